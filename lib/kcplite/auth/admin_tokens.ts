/**
 * The admin bearer tokens of one kcp-lite start, kept or renewed as kcp v0.11 does
 * (`pkg/server/options/authentication.go`):
 *
 * - the **kept** token — `shard-admin` (context `system:admin`) in kcp mode, the one admin
 *   user in kube mode (a real cluster keeps its admin credentials too) — survives restarts:
 *   its SHA-256 is stored in `<root>/.admin-token-store` (32 raw bytes, mode 0600), and on the
 *   next start the token is taken back from the existing `admin.kubeconfig`, but only if its
 *   hash matches;
 * - the **volatile** token — `kcp-admin` (contexts `root` and `base`), kcp mode only — is new
 *   on every start, so copies of an old kubeconfig lose it.
 *
 * A new kept token's hash is written by {@link AdminTokens.persist} only after the
 * kubeconfig holding it, so a start that fails halfway leaves no hash without its token.
 *
 * @example
 * ```ts
 * const tokens = await loadAdminTokens(".kcp", "kcp");
 * await writeAdminKubeconfig(".kcp/admin.kubeconfig", { ...tokens, mode: "kcp", url, caPem });
 * await tokens.persist();
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { atomicWriteFile } from "../../fs/atomic_write.ts";
import { KUBE_MODE_ENTRY_NAME, SHARD_ADMIN_USER } from "../admin_kubeconfig.ts";

/** The token hash file, as kcp names it. */
export const ADMIN_TOKEN_STORE = ".admin-token-store";
/** The admin kubeconfig's file name. */
export const ADMIN_KUBECONFIG = "admin.kubeconfig";

/** The tokens of one start. */
export interface AdminTokens {
  /** kcp mode: `kcp-admin` (new every start); kube mode: the kept admin token. */
  adminToken: string;
  /** kcp mode: `shard-admin` (kept across restarts). */
  shardAdminToken?: string;
  /** Records the kept token's hash (once the kubeconfig holding it is written). */
  persist(): Promise<void>;
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

async function readOrUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

/** The token of user `name` in a kubeconfig text, if there is one. */
function tokenOf(text: string, name: string): string | undefined {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch {
    return undefined;
  }
  const users = (doc as { users?: unknown } | null)?.users;
  if (!Array.isArray(users)) return undefined;
  const entry = users.find((u) => (u as { name?: unknown })?.name === name) as
    | { user?: { token?: unknown } }
    | undefined;
  const token = entry?.user?.token;
  return typeof token === "string" && token !== "" ? token : undefined;
}

/**
 * The tokens for a start in `root`. Throws one line when the stored hash no longer
 * matches the kubeconfig's token (as kcp does): the fix is to remove the hash file.
 */
export async function loadAdminTokens(root: string, mode: "kcp" | "kube"): Promise<AdminTokens> {
  const storePath = join(root, ADMIN_TOKEN_STORE);
  const kubeconfigPath = join(root, ADMIN_KUBECONFIG);
  const keptUser = mode === "kcp" ? SHARD_ADMIN_USER : KUBE_MODE_ENTRY_NAME;
  const stored = await readOrUndefined(() => Deno.readFile(storePath));
  let kept: string;
  let persist = () => Promise.resolve();
  const advice = `remove "${storePath}" and start again to get a new one`;
  if (stored) {
    const text = await readOrUndefined(() => Deno.readTextFile(kubeconfigPath));
    const token = text === undefined ? undefined : tokenOf(text, keptUser);
    if (token === undefined) {
      throw new Error(
        `cannot write "${kubeconfigPath}" without the ${keptUser} token whose hash is in ` +
          `"${storePath}": ${advice}`,
      );
    }
    if (stored.length !== 32 || !sameBytes(await sha256(token), stored)) {
      throw new Error(
        `the ${keptUser} token in "${kubeconfigPath}" is not valid anymore: ${advice}`,
      );
    }
    kept = token;
  } else {
    kept = crypto.randomUUID();
    persist = async () => {
      await atomicWriteFile(storePath, await sha256(kept), { mode: 0o600 });
    };
  }
  if (mode === "kube") return { adminToken: kept, persist };
  return { adminToken: crypto.randomUUID(), shardAdminToken: kept, persist };
}
