/**
 * The `admin.kubeconfig` kcp-lite writes into its root directory on every start
 * (kcp-spec §5.1), atomically and with mode 0600, laid out the way client-go's
 * `clientcmd.WriteToFile` writes it (keys in alphabetical order, named entries sorted by
 * name), as kcp v0.11 does:
 *
 * - kcp mode: clusters `base` (`<url>`) and `root` (`<url>/clusters/root`); contexts
 *   `base` (base, kcp-admin), `root` (root, kcp-admin) and `system:admin` (base,
 *   shard-admin); current context `root`; users `kcp-admin` and `shard-admin` (tokens).
 * - kube mode: one cluster, user and context, all named `default`.
 *
 * Both carry the kcp-lite CA as `certificate-authority-data`. Which tokens go in, and
 * which of them survive a restart, is {@link ./auth/admin_tokens.ts}'s business.
 *
 * @module
 */
import { stringify } from "yaml";
import { atomicWriteFile } from "../fs/atomic_write.ts";

/** What goes into the file. */
export interface AdminKubeconfigOptions {
  mode: "kcp" | "kube";
  /** `https://host:port`. */
  url: string;
  caPem: string;
  /** Token of `kcp-admin` (kcp mode) or of the `default` user (kube mode). */
  adminToken: string;
  /** Token of `shard-admin` (kcp mode). */
  shardAdminToken?: string;
}

/** The name kube mode uses for its cluster, user and context. */
export const KUBE_MODE_ENTRY_NAME = "default";
/** The kcp-mode users. */
export const KCP_ADMIN_USER = "kcp-admin";
export const SHARD_ADMIN_USER = "shard-admin";

/** Sequences flush with their key, as client-go's YAML writer puts them. */
const CLIENTCMD_STYLE = { indentSeq: false, lineWidth: 0 } as const;

function b64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

/** The kubeconfig document as YAML text. */
export function adminKubeconfigText(o: AdminKubeconfigOptions): string {
  const caData = b64(o.caPem);
  // Keys are written in clientcmd's (alphabetical) order.
  const cluster = (name: string, server: string) => ({
    cluster: { "certificate-authority-data": caData, server },
    name,
  });
  const context = (name: string, clusterName: string, user: string) => ({
    context: { cluster: clusterName, user },
    name,
  });
  const user = (name: string, token: string) => ({ name, user: { token } });
  if (o.mode === "kcp") {
    return stringify({
      apiVersion: "v1",
      clusters: [cluster("base", o.url), cluster("root", `${o.url}/clusters/root`)],
      contexts: [
        context("base", "base", KCP_ADMIN_USER),
        context("root", "root", KCP_ADMIN_USER),
        context("system:admin", "base", SHARD_ADMIN_USER),
      ],
      "current-context": "root",
      kind: "Config",
      preferences: {},
      users: [
        user(KCP_ADMIN_USER, o.adminToken),
        user(SHARD_ADMIN_USER, o.shardAdminToken ?? ""),
      ],
    }, CLIENTCMD_STYLE);
  }
  const n = KUBE_MODE_ENTRY_NAME;
  return stringify({
    apiVersion: "v1",
    clusters: [cluster(n, o.url)],
    contexts: [context(n, n, n)],
    "current-context": n,
    kind: "Config",
    preferences: {},
    users: [user(n, o.adminToken)],
  }, CLIENTCMD_STYLE);
}

/** Writes the kubeconfig atomically with mode 0600. */
export async function writeAdminKubeconfig(
  path: string,
  options: AdminKubeconfigOptions,
): Promise<void> {
  await atomicWriteFile(path, adminKubeconfigText(options), { mode: 0o600 });
}
