/**
 * The quickstart topology with `kubestellar ui` on it, for the browser tests:
 * `kubestellar quickstart --keep` (kcp-lite core, florin and guilder, syncers, the
 * example workloads) as a child process, then `kubestellar ui` on its kubeconfig as
 * another; the UI's one printed line gives the URL and token. `stop()` interrupts both
 * (the quickstart cleans up after itself) and removes the directory.
 *
 * @module
 */
import { join } from "node:path";
import { loadKubeconfig } from "../../lib/kubeconfig/kubeconfig.ts";
import { type RestClient, restClientFor } from "../../lib/kube/rest_client.ts";
import { MAIN_TS } from "../support/cli.ts";

/** A child process whose stdout lines are collected. */
export interface Child {
  process: Deno.ChildProcess;
  lines: string[];
  /** Resolves with the first line matching `re`. */
  waitForLine(re: RegExp, timeoutMs: number): Promise<string>;
  stop(): Promise<void>;
}

/** Starts `main.ts args` with its output collected. */
export function spawnCli(args: string[]): Child {
  const process = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN_TS, ...args],
    env: { NO_COLOR: "1", KUBESTELLAR_INVOKED_AS: "kubestellar" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve(l: string): void }[] = [];
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    let rest = "";
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        for (const w of [...waiters]) {
          if (w.re.test(line)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(line);
          }
        }
      }
    }
  };
  const pumping = Promise.all([pump(process.stdout), pump(process.stderr)]);
  return {
    process,
    lines,
    waitForLine(re, timeoutMs) {
      const found = lines.find((l) => re.test(l));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`no line matching ${re} within ${timeoutMs} ms:\n${lines.join("\n")}`));
        }, timeoutMs);
        waiters.push({
          re,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
        process.status.then(() => {
          clearTimeout(timer);
          reject(new Error(`process ended before a line matching ${re}:\n${lines.join("\n")}`));
        });
      });
    },
    async stop() {
      try {
        process.kill("SIGTERM");
      } catch { /* already gone */ }
      await process.status;
      await pumping.catch(() => {});
    },
  };
}

/** The running topology. */
export interface QuickstartUi {
  dir: string;
  /** The page's URL, token included. */
  url: string;
  base: string;
  token: string;
  ui: Child;
  /** kcp-admin on root (close it with `stop`). */
  hub: RestClient;
  stop(): Promise<void>;
}

/** Starts the quickstart, then the UI on it. */
export async function startQuickstartUi(): Promise<QuickstartUi> {
  const dir = await Deno.makeTempDir({ prefix: "ui-quickstart-" });
  const quickstart = spawnCli(["quickstart", "--keep", "--dir", dir]);
  let ui: Child | undefined;
  let hub: RestClient | undefined;
  const stop = async () => {
    hub?.close();
    await ui?.stop();
    await quickstart.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  try {
    await quickstart.waitForLine(/Press Ctrl-C to stop\./, 180_000);
    const kubeconfig = join(dir, "kubeconfig");
    ui = spawnCli(["ui", "--kubeconfig", kubeconfig]);
    const line = await ui.waitForLine(/^KubeStellar UI: /, 60_000);
    const url = line.slice("KubeStellar UI: ".length).trim();
    const kc = await loadKubeconfig({ kubeconfig, context: "root" });
    hub = restClientFor(await kc.restConfig());
    return {
      dir,
      url,
      base: url.slice(0, url.indexOf("/?token=")),
      token: url.slice(url.indexOf("?token=") + 7),
      ui,
      hub,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
