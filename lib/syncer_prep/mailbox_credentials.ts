/**
 * What `prep-for-syncer` makes in the mailbox workspace for a syncer (commands-spec
 * §8.4 steps 4–7): ServiceAccount `<id>` in `default`, ClusterRole `<id>` (everything,
 * plus `access` to `/`), ClusterRoleBinding `<id>`, and a token from Secret
 * `<id>-token` (a TokenRequest when no token appears in time). Objects are labelled
 * with the SyncTarget's UID; objects of an earlier identity for the same SyncTarget
 * are removed, so re-runs never pile up. The token is returned, never printed.
 *
 * @module
 */
import type { KubeObject, ResourceRef, RestClient } from "../kube/rest_client.ts";
import { isAlreadyExists, isNotFound } from "../kube/rest_errors.ts";
import { SYNCER_FOR_LABEL } from "./syncer_identity.ts";

const SA = { version: "v1", resource: "serviceaccounts" };
const SECRETS = { version: "v1", resource: "secrets" };
const RBAC = "rbac.authorization.k8s.io";
const CLUSTER_ROLES = { group: RBAC, version: "v1", resource: "clusterroles" };
const BINDINGS = { group: RBAC, version: "v1", resource: "clusterrolebindings" };
/** The namespace of the syncer's ServiceAccount in the mailbox. */
export const MAILBOX_SA_NAMESPACE = "default";

/** Options of `ensureSyncerCredentials`. */
export interface SyncerCredentialsOptions {
  id: string;
  syncTargetUid: string;
  /** Progress lines (the seed's "Creating service account …"). */
  say: (line: string) => void;
  /** How long to wait for the token Secret to be filled (default 20 s). */
  tokenWaitMs?: number;
}

async function getOrUndefined<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

async function removeStale(mb: RestClient, opts: SyncerCredentialsOptions): Promise<void> {
  const labelSelector = `${SYNCER_FOR_LABEL}=${opts.syncTargetUid}`;
  const ns = MAILBOX_SA_NAMESPACE;
  const stale = async (ref: ResourceRef) =>
    (await mb.list<KubeObject>(ref, { labelSelector })).items
      .map((o) => o.metadata?.name ?? "")
      .filter((n) => n !== "" && n !== opts.id && n !== `${opts.id}-token`);
  const del = (ref: ResourceRef, name: string) => getOrUndefined(() => mb.delete({ ...ref, name }));
  for (const name of await stale({ ...SA, namespace: ns })) {
    await del({ ...SA, namespace: ns }, name);
  }
  for (const name of await stale({ ...SECRETS, namespace: ns })) {
    await del({ ...SECRETS, namespace: ns }, name);
  }
  for (const name of await stale(BINDINGS)) await del(BINDINGS, name);
  for (const name of await stale(CLUSTER_ROLES)) await del(CLUSTER_ROLES, name);
}

async function upsert(
  mb: RestClient,
  ref: ResourceRef,
  obj: KubeObject,
): Promise<"created" | "updated"> {
  const name = obj.metadata!.name!;
  const current = await getOrUndefined(() => mb.get<KubeObject>({ ...ref, name }));
  if (!current) {
    try {
      await mb.create(ref, obj);
      return "created";
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
  }
  await mb.patch({ ...ref, name }, obj, "merge");
  return "updated";
}

async function waitForToken(
  mb: RestClient,
  name: string,
  waitMs: number,
): Promise<string | undefined> {
  const deadline = Date.now() + waitMs;
  while (true) {
    const secret = await getOrUndefined(() =>
      mb.get<KubeObject>({ ...SECRETS, namespace: MAILBOX_SA_NAMESPACE, name })
    );
    const data = secret?.data as Record<string, string> | undefined;
    if (data?.token) return atob(data.token);
    if (Date.now() >= deadline) return undefined;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Ensures the syncer's identity in the mailbox; resolves to its token. */
export async function ensureSyncerCredentials(
  mb: RestClient,
  opts: SyncerCredentialsOptions,
): Promise<string> {
  const { id, say } = opts;
  const ns = MAILBOX_SA_NAMESPACE;
  const labels = { [SYNCER_FOR_LABEL]: opts.syncTargetUid };
  await removeStale(mb, opts);
  const sa = await upsert(mb, { ...SA, namespace: ns }, {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: id, namespace: ns, labels },
  });
  say(sa === "created" ? `Creating service account "${id}"` : `Updating service account "${id}".`);
  await upsert(mb, CLUSTER_ROLES, {
    apiVersion: `${RBAC}/v1`,
    kind: "ClusterRole",
    metadata: { name: id, labels },
    rules: [
      { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
      { nonResourceURLs: ["/"], verbs: ["access"] },
    ],
  }).then((r) => {
    say(
      r === "created"
        ? `Creating cluster role "${id}" to give service account "${id}"`
        : `Updating cluster role "${id}" with`,
    );
    say("");
    say(` 1. write and sync access to the synctarget "${id}"`);
    say(" 2. write access to apiresourceimports.");
    say("");
  });
  await getOrUndefined(() => mb.delete({ ...BINDINGS, name: id }));
  await mb.create(BINDINGS, {
    apiVersion: `${RBAC}/v1`,
    kind: "ClusterRoleBinding",
    metadata: { name: id, labels },
    roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: id },
    subjects: [{ kind: "ServiceAccount", name: id, namespace: ns }],
  });
  say(
    `Creating or updating cluster role binding "${id}" to bind service account "${id}" ` +
      `to cluster role "${id}".`,
  );
  say("");
  const secretName = `${id}-token`;
  await upsert(mb, { ...SECRETS, namespace: ns }, {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: secretName,
      namespace: ns,
      labels,
      annotations: { "kubernetes.io/service-account.name": id },
    },
    type: "kubernetes.io/service-account-token",
  });
  const token = await waitForToken(mb, secretName, opts.tokenWaitMs ?? 20_000);
  if (token) return token;
  // No token controller filled the Secret: ask for a long-lived bound token.
  const review = await mb.requestJson<{ status?: { token?: string } }>(
    "POST",
    `/api/v1/namespaces/${ns}/serviceaccounts/${id}/token`,
    {
      body: {
        apiVersion: "authentication.k8s.io/v1",
        kind: "TokenRequest",
        spec: { expirationSeconds: 10 * 365 * 24 * 3600 },
      },
    },
  );
  const requested = review?.status?.token;
  if (!requested) {
    throw new Error(`no token for service account "${id}" appeared in the mailbox workspace`);
  }
  return requested;
}
