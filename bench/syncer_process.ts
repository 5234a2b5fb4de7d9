/**
 * A `kubestellar syncer` process for a benchmark: its mailbox kubeconfig is written
 * (mode 0600) from a connection's server, CA and credentials, and the process is
 * started against a WEC kubeconfig with its output discarded. It runs with the V8 flags
 * the released binary and the syncer image carry (`TIGHT_HEAP_V8_FLAGS`, plus any in
 * `KUBESTELLAR_BENCH_V8_FLAGS`), so its memory is the deployed syncer's.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { withTightHeap } from "../lib/process/v8_flags.ts";

const MAIN = join(fileURLToPath(import.meta.url), "..", "..", "main.ts");

/** How the syncer reaches its mailbox. */
export interface MailboxConnection {
  server: string;
  caData?: string;
  token?: string;
  certData?: string;
  keyData?: string;
}

/** Writes `dir/mailbox.kubeconfig` and starts the syncer; kill the child to stop it. */
export async function startSyncerProcess(
  mailbox: MailboxConnection,
  wecKubeconfig: string,
  syncTarget: { name: string; uid: string },
  dir: string,
): Promise<Deno.ChildProcess> {
  const kubeconfig = join(dir, "mailbox.kubeconfig");
  const user: Record<string, string> = {};
  if (mailbox.token) user.token = mailbox.token;
  if (mailbox.certData) user["client-certificate-data"] = btoa(mailbox.certData);
  if (mailbox.keyData) user["client-key-data"] = btoa(mailbox.keyData);
  await Deno.writeTextFile(
    kubeconfig,
    stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{
        name: "mb",
        cluster: {
          server: mailbox.server,
          "certificate-authority-data": btoa(mailbox.caData ?? ""),
        },
      }],
      users: [{ name: "u", user }],
      contexts: [{ name: "c", context: { cluster: "mb", user: "u" } }],
      "current-context": "c",
    }),
    { mode: 0o600 },
  );
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--quiet",
      MAIN,
      "syncer",
      "--from-kubeconfig",
      kubeconfig,
      "--to-kubeconfig",
      wecKubeconfig,
      "--sync-target-name",
      syncTarget.name,
      "--sync-target-uid",
      syncTarget.uid,
    ],
    env: { DENO_V8_FLAGS: withTightHeap(Deno.env.get("KUBESTELLAR_BENCH_V8_FLAGS")) },
    stdout: "null",
    stderr: "null",
  }).spawn();
}
