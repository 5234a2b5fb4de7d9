/**
 * The `admin.kubeconfig` kcp-lite writes into its root directory on every start
 * (kcp-spec §5.1), atomically and with mode 0600.
 *
 * - kcp mode, laid out like kcp's: clusters `root` (`<url>/clusters/root`) and `base`
 *   (`<url>`); users `kcp-admin` and `shard-admin` (bearer tokens); contexts `root`
 *   (root, kcp-admin), `base` (base, kcp-admin), `system:admin` (base, shard-admin);
 *   current context `root`.
 * - kube mode: one cluster, user and context, all named `default`.
 *
 * Both carry the kcp-lite CA as `certificate-authority-data`.
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

function b64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

/** The kubeconfig document as YAML text. */
export function adminKubeconfigText(o: AdminKubeconfigOptions): string {
  const caData = b64(o.caPem);
  const cluster = (server: string) => ({ server, "certificate-authority-data": caData });
  let doc: Record<string, unknown>;
  if (o.mode === "kcp") {
    doc = {
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        { name: "base", cluster: cluster(o.url) },
        { name: "root", cluster: cluster(`${o.url}/clusters/root`) },
      ],
      contexts: [
        { name: "base", context: { cluster: "base", user: "kcp-admin" } },
        { name: "root", context: { cluster: "root", user: "kcp-admin" } },
        { name: "system:admin", context: { cluster: "base", user: "shard-admin" } },
      ],
      "current-context": "root",
      preferences: {},
      users: [
        { name: "kcp-admin", user: { token: o.adminToken } },
        { name: "shard-admin", user: { token: o.shardAdminToken ?? "" } },
      ],
    };
  } else {
    const n = KUBE_MODE_ENTRY_NAME;
    doc = {
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: n, cluster: cluster(o.url) }],
      contexts: [{ name: n, context: { cluster: n, user: n } }],
      "current-context": n,
      preferences: {},
      users: [{ name: n, user: { token: o.adminToken } }],
    };
  }
  return stringify(doc);
}

/** Writes the kubeconfig atomically with mode 0600. */
export async function writeAdminKubeconfig(
  path: string,
  options: AdminKubeconfigOptions,
): Promise<void> {
  await atomicWriteFile(path, adminKubeconfigText(options), { mode: 0o600 });
}
