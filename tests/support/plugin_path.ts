/**
 * Running commands as a user does, through real kubectl's plugin lookup: a temporary
 * directory with the `deno task link` wrappers on `PATH` next to kubectl, its own
 * `HOME`, and a private copy of a control plane's admin kubeconfig as `$KUBECONFIG`
 * (so workspace switches never touch the server's own file).
 *
 * @example
 * ```ts
 * const cp = await startControlPlane();
 * const user = await pluginUser(cp.kubeconfigPath);
 * const r = await user.kubectl("kubestellar", "ensure", "wmw", "example-wmw");
 * await user.cleanup();
 * ```
 *
 * @module
 */
import { dirname, join } from "node:path";
import { link } from "../../scripts/link.ts";
import { kubeTools } from "./kube_tools.ts";
import { freeLoopbackPort } from "../../lib/net/free_port.ts";

/** What a finished command left behind. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A user's shell: PATH with the plugins and kubectl, HOME, KUBECONFIG. */
export interface PluginUser {
  /** The temporary directory (HOME and working directory). */
  dir: string;
  /** The user's kubeconfig (a copy of the admin kubeconfig). */
  kubeconfig: string;
  /** Environment the commands run with. */
  env: Record<string, string>;
  /** Runs real kubectl with `args`. */
  kubectl(...args: string[]): Promise<RunResult>;
  /** Runs any executable on the user's PATH (e.g. `kubestellar`). */
  run(command: string, args: string[], extraEnv?: Record<string, string>): Promise<RunResult>;
  /** Removes the directory. */
  cleanup(): Promise<void>;
}

let linked: Promise<string> | undefined;

/** One directory of wrappers per test process. */
function linkedBin(): Promise<string> {
  linked ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "ks-plugins-" });
    await link(dir);
    globalThis.addEventListener("unload", () => {
      try {
        Deno.removeSync(dir, { recursive: true });
      } catch { /* already gone */ }
    });
    return dir;
  })();
  return linked;
}

/** Makes a user whose kubeconfig is a copy of `adminKubeconfig`. */
export async function pluginUser(adminKubeconfig: string): Promise<PluginUser> {
  const { kubectl } = await kubeTools();
  const bin = await linkedBin();
  const dir = await Deno.makeTempDir({ prefix: "ks-user-" });
  const kubeconfig = join(dir, "kubeconfig");
  await Deno.copyFile(adminKubeconfig, kubeconfig);
  await Deno.chmod(kubeconfig, 0o600);
  const env = {
    PATH: `${bin}:${dirname(kubectl)}:/usr/bin:/bin`,
    HOME: dir,
    KUBECONFIG: kubeconfig,
    NO_COLOR: "1",
  };
  const run = async (command: string, args: string[], extraEnv: Record<string, string> = {}) => {
    const r = await new Deno.Command(command, {
      args,
      cwd: dir,
      env: { ...env, ...extraEnv },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
  };
  return {
    dir,
    kubeconfig,
    env,
    kubectl: (...args) => run(kubectl, args),
    run: (command, args, extraEnv) =>
      run(command.includes("/") ? command : join(bin, command), args, extraEnv),
    cleanup: () => Deno.remove(dir, { recursive: true }),
  };
}

/**
 * Runs `kubestellar init` in this process (quietly) against `kubeconfig`: a fast way to
 * set up the ESPW, IMWs and WMWs for tests of later commands.
 */
export async function initInProcess(
  kubeconfig: string,
  options: { imws?: string[]; wmws?: string[] } = {},
): Promise<void> {
  const { openCoreSession } = await import("../../lib/core/core_session.ts");
  const { runInit } = await import("../../lib/core/init.ts");
  const session = await openCoreSession("kubestellar", ["--kubeconfig", kubeconfig], {
    out: () => {},
    err: () => {},
  });
  try {
    await runInit(session, {
      prog: "kubestellar",
      verbose: false,
      trace: false,
      localKcp: false,
      imws: options.imws ?? [],
      wmws: options.wmws ?? [],
      waitTimeoutMs: 60_000,
      waitPollMs: 100,
      progress: () => {},
    });
  } finally {
    session.close();
  }
}

/** The URL of a loopback port nothing listens on (a server that is down). */
export function downServer(): string {
  return `https://127.0.0.1:${freeLoopbackPort()}`;
}
