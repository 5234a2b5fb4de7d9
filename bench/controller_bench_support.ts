/**
 * What the controller benchmarks share: a kcp-lite (kcp mode) with the edge API and one
 * IMW and WMW, and controller processes (`kubestellar controller …`) read through their
 * `/metrics`. The count of Ready, bound mailboxes is `mailbox_readiness.ts`.
 *
 * @module
 */
import { startKcpLite } from "../lib/kcplite/kcp_lite_server.ts";
import { Logger } from "../lib/log/logger.ts";
import type { RestClient } from "../lib/kube/rest_client.ts";
import { type EdgeFixture, setUpEdge } from "../tests/support/edge_fixtures.ts";

const MAIN_TS = new URL("../main.ts", import.meta.url).pathname;

/** A free loopback port. */
export { freeLoopbackPort as freePort } from "../lib/net/free_port.ts";

/** The sum of a metric's series on a controller's `/metrics`. */
export async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
      sum += Number(line.slice(line.lastIndexOf(" ") + 1));
    }
  }
  return sum;
}

/** A kcp-lite in this process with the edge API, `root:imw1` and `root:wmw1`. */
export interface BenchEdge {
  kubeconfigPath: string;
  edge: EdgeFixture;
  espw: RestClient;
  /** The shard admin on `*`. */
  wildcard: RestClient;
  stop(): Promise<void>;
}

/** Starts the kcp-lite of a controller benchmark. */
export async function startBenchEdge(prefix: string): Promise<BenchEdge> {
  const dir = await Deno.makeTempDir({ prefix });
  const server = await startKcpLite({
    rootDirectory: dir,
    securePort: 0,
    mode: "kcp",
    logger: new Logger("kcp-lite", { write: () => {} }),
  });
  const edge = await setUpEdge(server.adminKubeconfigPath, { imws: ["imw1"], wmws: ["wmw1"] });
  const wildcard = edge.admin.withCluster("*");
  return {
    kubeconfigPath: server.adminKubeconfigPath,
    edge,
    espw: edge.workspace(edge.espwPath),
    wildcard,
    async stop() {
      wildcard.close();
      edge.close();
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** `kubestellar controller <word> --kubeconfig … --metrics-bind-address 127.0.0.1:<port>`. */
export function startControllerProcess(
  word: string,
  kubeconfig: string,
  port: number,
  options: { v8Flags?: string; extraArgs?: string[] } = {},
): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--quiet",
      MAIN_TS,
      "controller",
      word,
      "--kubeconfig",
      kubeconfig,
      "--metrics-bind-address",
      `127.0.0.1:${port}`,
      ...(options.extraArgs ?? []),
    ],
    env: options.v8Flags ? { DENO_V8_FLAGS: options.v8Flags } : {},
    stdout: "null",
    stderr: "null",
  }).spawn();
}

/** Waits for a controller process's `/readyz`. */
export async function controllerReady(port: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
    await res?.body?.cancel();
    if (res?.ok) return;
    if (Date.now() > deadline) throw new Error(`controller on port ${port} not ready`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** SIGTERM, and wait for the exit. */
export async function stopProcess(child: Deno.ChildProcess): Promise<void> {
  child.kill("SIGTERM");
  await child.status;
}
