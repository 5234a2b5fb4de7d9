/**
 * A `kubestellar syncer` process for a benchmark: its mailbox kubeconfig is written
 * (mode 0600) from a connection's server, CA and credentials, and the process is
 * started against a WEC kubeconfig with its output discarded.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";

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
    stdout: "null",
    stderr: "null",
  }).spawn();
}
