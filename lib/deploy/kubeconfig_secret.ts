/**
 * Reads a kubeconfig that the core published in the hosting cluster's Secret
 * `kubestellar` (keys `cluster.kubeconfig` for clients inside the cluster,
 * `external.kubeconfig` for clients outside) and writes it to a file, atomically, 0600.
 *
 * The core creates the Secret once it is ready, so a missing Secret is waited for
 * (bounded, progress on stderr) while the Deployment `kubestellar` exists; with no
 * Deployment either, nothing is deployed there and the failure is immediate. A Secret
 * without the key, or with data that is not base64 of a kubeconfig, is a clear error.
 *
 * @module
 */
import { dirname } from "node:path";
import { parse as parseYaml } from "yaml";
import { UserError } from "../cli/errors.ts";
import { atomicWriteFile } from "../fs/atomic_write.ts";
import type { KubeObject, RestClient } from "../kube/rest_client.ts";
import { ConnectionError, isForbidden, isNotFound } from "../kube/rest_errors.ts";
import type { KubeconfigAudience } from "./get_kubeconfig_args.ts";
import { formatWait } from "./wait_timeout.ts";

/** The Secret the core publishes its kubeconfigs in. */
export const CORE_SECRET = "kubestellar";

/** The Secret key holding each audience's kubeconfig. */
export const SECRET_KEYS: Record<KubeconfigAudience, string> = {
  internal: "cluster.kubeconfig",
  external: "external.kubeconfig",
};

interface SecretObject extends KubeObject {
  data?: Record<string, string>;
}

/** How to fetch. */
export interface FetchOptions {
  client: RestClient;
  namespace: string;
  audience: KubeconfigAudience;
  timeoutMs: number;
  intervalMs?: number;
  progressEveryMs?: number;
  progress: (line: string) => void;
}

async function getOrUndefined<T>(read: () => Promise<T>, what: string): Promise<T | undefined> {
  try {
    return await read();
  } catch (e) {
    if (isNotFound(e)) return undefined;
    if (e instanceof ConnectionError) throw new UserError(e.message);
    if (isForbidden(e)) throw new UserError(`not allowed to read ${what}: ${(e as Error).message}`);
    throw e;
  }
}

/** Waits for the Secret; resolves to it. */
async function waitForSecret(o: FetchOptions): Promise<SecretObject> {
  const ns = JSON.stringify(o.namespace);
  const start = Date.now();
  const every = o.progressEveryMs ?? 10_000;
  let nextProgress = start + every;
  for (;;) {
    const secret = await getOrUndefined(
      () =>
        o.client.get<SecretObject>({
          version: "v1",
          resource: "secrets",
          namespace: o.namespace,
          name: CORE_SECRET,
        }),
      `Secret ${CORE_SECRET} in namespace ${ns}`,
    );
    if (secret) return secret;
    const deployment = await getOrUndefined(
      () =>
        o.client.get({
          group: "apps",
          version: "v1",
          resource: "deployments",
          namespace: o.namespace,
          name: "kubestellar",
        }),
      `Deployment kubestellar in namespace ${ns}`,
    );
    if (!deployment) {
      throw new UserError(
        `no KubeStellar core in namespace ${ns}: neither Secret ${CORE_SECRET} nor Deployment ` +
          "kubestellar exists there; deploy it with 'kubectl kubestellar deploy' or pass -n NAMESPACE",
      );
    }
    const now = Date.now();
    if (now - start >= o.timeoutMs) {
      throw new UserError(
        `Secret ${CORE_SECRET} did not appear in namespace ${ns} within ${
          formatWait(o.timeoutMs)
        }: ` +
          "the core is not ready; see 'kubectl logs -n " + o.namespace +
          " deploy/kubestellar -c init' (raise $KUBESTELLAR_WAIT_TIMEOUT to wait longer)",
      );
    }
    if (now >= nextProgress) {
      o.progress(
        `waiting for the core in namespace ${ns} to publish Secret ${CORE_SECRET} ` +
          `(${Math.round((now - start) / 1000)}s)`,
      );
      nextProgress = now + every;
    }
    await new Promise((r) =>
      setTimeout(r, Math.min(o.intervalMs ?? 2000, o.timeoutMs - (now - start)))
    );
  }
}

/** Decodes and checks the kubeconfig under `key`; a `UserError` says what is wrong. */
export function kubeconfigFromSecret(secret: SecretObject, key: string, namespace: string): string {
  const where = `Secret ${CORE_SECRET} in namespace ${JSON.stringify(namespace)}`;
  const data = secret.data ?? {};
  const encoded = data[key];
  if (encoded === undefined) {
    const keys = Object.keys(data).sort();
    throw new UserError(
      `${where} has no key ${JSON.stringify(key)} (it has ${
        keys.length ? keys.map((k) => JSON.stringify(k)).join(", ") : "no keys"
      }): the core did not publish it; check 'kubectl logs -n ${namespace} deploy/kubestellar -c init'`,
    );
  }
  const compact = encoded.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    throw new UserError(`key ${JSON.stringify(key)} of ${where} is not valid base64`);
  }
  let text: string;
  try {
    const bytes = Uint8Array.from(atob(compact), (c) => c.charCodeAt(0));
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new UserError(`key ${JSON.stringify(key)} of ${where} is not valid base64 of text`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch {
    doc = undefined;
  }
  const clusters = (doc as { clusters?: unknown } | undefined)?.clusters;
  if (typeof doc !== "object" || doc === null || !Array.isArray(clusters)) {
    throw new UserError(`key ${JSON.stringify(key)} of ${where} does not hold a kubeconfig`);
  }
  return text;
}

/** Fetches the audience's kubeconfig and writes it to `output` (0600, atomically). */
export async function fetchKubeconfigToFile(o: FetchOptions, output: string): Promise<void> {
  try {
    const info = await Deno.stat(dirname(output) || ".");
    if (!info.isDirectory) throw new Deno.errors.NotFound();
  } catch {
    throw new UserError(
      `cannot write ${
        JSON.stringify(output)
      }: its directory does not exist; create it or choose another -o`,
    );
  }
  const secret = await waitForSecret(o);
  const text = kubeconfigFromSecret(secret, SECRET_KEYS[o.audience], o.namespace);
  try {
    await atomicWriteFile(output, text, { mode: 0o600 });
  } catch (e) {
    throw new UserError(`cannot write ${JSON.stringify(output)}: ${(e as Error).message}`);
  }
}
