/**
 * Installs a syncer the way the quickstart can on clusters that run no pods: the WEC
 * manifest written by `prep-for-cluster` is applied to the edge cluster (so its objects
 * are there as a real install would leave them), and the syncer that its Deployment
 * describes runs as a local process with the manifest's mailbox kubeconfig.
 *
 * @module
 */
import { join } from "node:path";
import { atomicWriteFile } from "../fs/atomic_write.ts";
import { applyObjects, parseManifest } from "../kube/apply_objects.ts";
import type { KubeObject, RestClient } from "../kube/rest_client.ts";

/** What the quickstart needs from a WEC manifest. */
export interface SyncerInstall {
  /** The mailbox kubeconfig from the manifest's Secret. */
  mailboxKubeconfig: string;
  /** The syncer's arguments from the Deployment, minus kubeconfig paths. */
  args: string[];
  /** kubectl-style lines of applying the manifest. */
  applied: string[];
}

function decode(value: string): string {
  return new TextDecoder().decode(Uint8Array.from(atob(value), (c) => c.charCodeAt(0)));
}

/** The kubeconfig carried by one of the manifest's Secrets. */
export function mailboxKubeconfigOf(objects: KubeObject[]): string {
  for (const o of objects) {
    if (o.kind !== "Secret") continue;
    const entries: Array<[string, string]> = [
      ...Object.entries((o.data ?? {}) as Record<string, string>).map(([k, v]) =>
        [k, decode(v)] as [string, string]
      ),
      ...Object.entries((o.stringData ?? {}) as Record<string, string>),
    ];
    for (const [, text] of entries) {
      if (/^\s*clusters:/m.test(text) && /^\s*current-context:/m.test(text)) return text;
    }
  }
  throw new Error("the WEC manifest holds no Secret with a kubeconfig for the mailbox");
}

/** The syncer container's arguments, without its kubeconfig flags. */
export function syncerArgsOf(objects: KubeObject[]): string[] {
  const deployment = objects.find((o) => o.kind === "Deployment");
  // deno-lint-ignore no-explicit-any
  const containers = (deployment as any)?.spec?.template?.spec?.containers ?? [];
  const container = containers[0];
  if (!container) throw new Error("the WEC manifest holds no syncer Deployment");
  const raw: string[] = [...(container.command ?? []).slice(1), ...(container.args ?? [])]
    .map(String);
  const args: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const a = raw[i];
    if (a === "syncer" || a === "kubestellar") continue;
    const flag = a.split("=")[0];
    if (/^--(from|to)-(kubeconfig|context)$/.test(flag)) {
      if (!a.includes("=")) i++;
      continue;
    }
    args.push(a);
  }
  if (!args.some((a) => a.startsWith("--sync-target-uid"))) {
    throw new Error("the syncer Deployment does not name its SyncTarget's UID");
  }
  return args;
}

/** Applies the manifest to the WEC and extracts what a local syncer needs. */
export async function installSyncer(
  wec: RestClient,
  manifestPath: string,
  workDir: string,
  name: string,
): Promise<SyncerInstall & { mailboxKubeconfigPath: string }> {
  const objects = await parseManifest(await Deno.readTextFile(manifestPath));
  const applied = await applyObjects(wec, objects);
  const mailboxKubeconfig = mailboxKubeconfigOf(objects);
  const mailboxKubeconfigPath = join(workDir, `${name}-mailbox.kubeconfig`);
  await atomicWriteFile(mailboxKubeconfigPath, mailboxKubeconfig, { mode: 0o600 });
  return { mailboxKubeconfig, args: syncerArgsOf(objects), applied, mailboxKubeconfigPath };
}
