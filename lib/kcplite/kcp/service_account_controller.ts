/**
 * Service accounts of every workspace (kcp-spec §2.6, §5.5): a `default` ServiceAccount
 * in each namespace (and the `kube-root-ca.crt` ConfigMap when a CA is known), and, like
 * Kubernetes' token controller with auto-generation, a token Secret
 * `<sa>-token-<5 chars>` of type `kubernetes.io/service-account-token` for each
 * ServiceAccount, listed in its `secrets`. User-created token Secrets that name a
 * ServiceAccount are filled in; token Secrets of a deleted ServiceAccount are removed.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import type { ObjectStore } from "../store/object_store.ts";
import { signServiceAccountToken } from "../auth/service_account_token.ts";
import { A, isDeleting, R, SA_TOKEN_SECRET_TYPE } from "./kcp_kinds.ts";
import { randomSuffix } from "./hashes.ts";
import { keyOf, type SystemWriter } from "./system_writer.ts";
import { startStoreController, type StoreController } from "./store_controller.ts";
import { OwnWrites } from "./own_writes.ts";

/** What the controller needs. */
export interface ServiceAccountControllerOptions {
  store: ObjectStore;
  writer: SystemWriter;
  /** Signs tokens. */
  signingKey: CryptoKey;
  /** PEM of the CA clients should trust (`ca.crt`), when known. */
  caCertPem?(): string | undefined;
  onError?(key: string, error: unknown): void;
}

function b64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function isWorkspaceCluster(cluster: string): boolean {
  return cluster !== "" && !cluster.startsWith("system:");
}

/** Starts the controller. */
export function startServiceAccountController(
  opts: ServiceAccountControllerOptions,
): StoreController {
  const { store } = opts;
  // The token Secret and the account's update a reconcile writes do not reconcile it again.
  const own = new OwnWrites(store);
  const saKey = (cluster: string, namespace: string, name: string) =>
    `sa|${cluster}|${namespace}|${name}`;
  return startStoreController("serviceaccounts", store, [
    {
      scope: { resource: R.namespaces },
      keys: (k, { type }) =>
        type === "DELETED" || !isWorkspaceCluster(k.cluster) ? [] : [`ns|${k.cluster}||${k.name}`],
    },
    {
      scope: { resource: R.serviceAccounts },
      keys: (k, change) => {
        if (!isWorkspaceCluster(k.cluster)) return [];
        const key = saKey(k.cluster, k.namespace, k.name);
        return own.isEcho(key, change) ? [] : [key];
      },
    },
    {
      scope: { resource: R.secrets },
      keys: (k, change) => {
        const o = change.object;
        if ((o as { type?: string }).type !== SA_TOKEN_SECRET_TYPE) return [];
        const sa = o.metadata?.annotations?.[A.saName];
        const key = sa ? saKey(k.cluster, k.namespace, sa) : undefined;
        return key && !own.isEcho(key, change) ? [key] : [];
      },
    },
  ], async (key) => {
    const [kind, cluster, namespace, name] = key.split("|");
    if (kind === "ns") ensureDefaults(opts, cluster, name);
    else await reconcileServiceAccount(opts, own, key, { cluster, ns: namespace, name });
  }, { onError: opts.onError });
}

function ensureDefaults(opts: ServiceAccountControllerOptions, cluster: string, ns: string): void {
  const namespace = opts.store.get(keyOf(cluster, R.namespaces, ns));
  const terminating =
    (namespace?.status as { phase?: string } | undefined)?.phase === "Terminating";
  if (!namespace || isDeleting(namespace) || terminating) return;
  opts.writer.ensure(keyOf(cluster, R.serviceAccounts, "default", ns), {});
  const ca = opts.caCertPem?.();
  if (ca) {
    opts.writer.ensure(keyOf(cluster, R.configMaps, "kube-root-ca.crt", ns), {
      data: { "ca.crt": ca },
    });
  }
}

function tokenSecretsOf(store: ObjectStore, cluster: string, ns: string, sa: string): KubeObject[] {
  return store.list({ cluster, resource: R.secrets, namespace: ns }).items.filter((s) =>
    (s as { type?: string }).type === SA_TOKEN_SECRET_TYPE &&
    s.metadata?.annotations?.[A.saName] === sa
  );
}

/**
 * Converges one ServiceAccount's token Secrets: purged with the account (or when they name
 * another uid), filled in when they have no token, one made when there is none; the
 * account lists its token. The writes after the last signature are one store batch.
 */
async function reconcileServiceAccount(
  opts: ServiceAccountControllerOptions,
  own: OwnWrites,
  key: string,
  at: { cluster: string; ns: string; name: string },
): Promise<void> {
  const { store, writer } = opts;
  const { cluster, ns, name } = at;
  const sa = store.get(keyOf(cluster, R.serviceAccounts, name, ns));
  const secrets = tokenSecretsOf(store, cluster, ns, name);
  if (!sa || isDeleting(sa)) {
    for (const s of secrets) writer.purge(keyOf(cluster, R.secrets, s.metadata!.name!, ns));
    return;
  }
  const uid = sa.metadata!.uid!;
  // Fill in token Secrets that name this account but have no token yet (or a stale uid).
  const valid: string[] = [];
  for (const s of secrets) {
    const sUid = s.metadata?.annotations?.[A.saUid];
    if (sUid && sUid !== uid) {
      writer.purge(keyOf(cluster, R.secrets, s.metadata!.name!, ns));
      continue;
    }
    valid.push(s.metadata!.name!);
    if ((s.data as Record<string, string> | undefined)?.token) continue;
    const data = await tokenData(opts, cluster, ns, name, uid, s.metadata!.name!);
    writer.mutate(keyOf(cluster, R.secrets, s.metadata!.name!, ns), (o) => {
      o.metadata!.annotations = { ...(o.metadata!.annotations ?? {}), [A.saUid]: uid };
      o.data = { ...(o.data as Record<string, string> ?? {}), ...data };
    });
  }
  const listed = ((sa as { secrets?: { name?: string }[] }).secrets ?? []).map((s) => s.name);
  const existing = valid.find((n) => listed.includes(n)) ?? valid[0];
  const tokenName = existing ?? `${name}-token-${randomSuffix()}`;
  const data = existing ? undefined : await tokenData(opts, cluster, ns, name, uid, tokenName);
  store.batch(() =>
    own.reconciled(key, () => {
      if (data) {
        // Signing awaited: the account (or its namespace) may have gone meanwhile.
        const now = store.get(keyOf(cluster, R.serviceAccounts, name, ns));
        if (now?.metadata?.uid !== uid || isDeleting(now)) return;
        if (!store.has(keyOf(cluster, R.namespaces, ns))) return;
        writer.ensure(keyOf(cluster, R.secrets, tokenName, ns), {
          type: SA_TOKEN_SECRET_TYPE,
          metadata: { annotations: { [A.saName]: name, [A.saUid]: uid } },
          data,
        });
        valid.push(tokenName);
      }
      writer.mutate(keyOf(cluster, R.serviceAccounts, name, ns), (o) => {
        if (o.metadata?.uid !== uid) return false;
        const list = ((o as { secrets?: { name?: string }[] }).secrets ?? []).filter((s) =>
          s.name &&
          (!s.name.startsWith(`${name}-token-`) || valid.includes(s.name) || s.name === tokenName)
        );
        if (!list.some((s) => s.name === tokenName)) list.push({ name: tokenName });
        (o as { secrets?: unknown }).secrets = list;
      });
    })
  );
}

async function tokenData(
  opts: ServiceAccountControllerOptions,
  cluster: string,
  namespace: string,
  name: string,
  uid: string,
  secretName: string,
): Promise<Record<string, string>> {
  const token = await signServiceAccountToken(opts.signingKey, {
    cluster,
    namespace,
    name,
    uid,
    secretName,
  });
  return {
    token: b64(token),
    namespace: b64(namespace),
    "ca.crt": b64(opts.caCertPem?.() ?? ""),
  };
}
