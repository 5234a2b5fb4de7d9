/**
 * `deno task link DIR`: puts every documented executable name into DIR as a small
 * script that runs this checkout, so that with DIR on PATH `kubectl kubestellar …`
 * works through kubectl's plugin lookup.
 *
 * The stand-ins for kcp's own kubectl plugins (`kubectl-ws`, `kubectl-kcp` and their
 * completers; see `KCP_PLUGIN_STAND_INS`) are installed only when kcp's plugin is not on
 * PATH. The controllers' upstream names (`mailbox-controller`, …), `remove-kubestellar` and
 * kubectl's plugin completers (`kubectl_complete-kubestellar`, …) are installed too.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { EXECUTABLES, KCP_PLUGIN_STAND_INS } from "../commands/tree.ts";
import { REPO_ROOT } from "./build_stamp.ts";

function onPath(name: string, except: string): boolean {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (!dir || resolve(dir) === except) continue;
    try {
      Deno.statSync(join(dir, name));
      return true;
    } catch { /* not here */ }
  }
  return false;
}

/** Writes the wrappers; returns the names written. */
export async function link(dir: string): Promise<string[]> {
  const target = resolve(dir);
  await Deno.mkdir(target, { recursive: true });
  const deno = Deno.execPath();
  const main = join(REPO_ROOT, "main.ts");
  const config = join(REPO_ROOT, "deno.json");
  const written: string[] = [];
  for (const name of Object.keys(EXECUTABLES)) {
    const kcpOwn = KCP_PLUGIN_STAND_INS[name];
    if (kcpOwn && kcpOwn.some((own) => onPath(own, target))) continue;
    const script = `#!/bin/sh
# Runs the KubeStellar toolkit from ${REPO_ROOT} as '${name}'. Made by 'deno task link'.
KUBESTELLAR_INVOKED_AS='${name}' exec '${deno}' run -A --quiet --config '${config}' '${main}' "$@"
`;
    const path = join(target, name);
    const tmp = `${path}.tmp-${Deno.pid}`;
    await Deno.writeTextFile(tmp, script, { mode: 0o755 });
    await Deno.chmod(tmp, 0o755);
    await Deno.rename(tmp, path);
    written.push(name);
  }
  return written;
}

if (import.meta.main) {
  if (Deno.args.length !== 1 || Deno.args[0].startsWith("-")) {
    console.error("Usage: deno task link DIR");
    Deno.exit(2);
  }
  const names = await link(Deno.args[0]);
  console.log(`Linked ${names.length} commands into ${resolve(Deno.args[0])}: ${names.join(" ")}`);
}
