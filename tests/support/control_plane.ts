/**
 * The "control plane provider" seam of the test suite (design §4, §7):
 *
 * - `startControlPlane()`: kcp-lite in kcp mode, in-process, on a free loopback port in a
 *   temporary root directory (or the given one, kept on stop, for restart tests); or, when
 *   `KUBESTELLAR_TEST_KCP` names a real kcp binary, that binary (`kcp start
 *   --root-directory … --secure-port … --bind-address 127.0.0.1`), waited for until
 *   `/readyz` answers `ok`.
 * - `startKubeCluster()`: kcp-lite in kube mode (a stand-in edge or hosting cluster).
 *
 * Both return the admin kubeconfig path and the server URL; `stop()` ends the server and
 * removes the temporary directory.
 *
 * @example
 * ```ts
 * const cp = await startControlPlane();
 * try { ... run kubectl --kubeconfig cp.kubeconfigPath ... } finally { await cp.stop(); }
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { type KcpLiteOptions, startKcpLite } from "../../lib/kcplite/kcp_lite_server.ts";
import type { StoreStats } from "../../lib/kcplite/store/backed_store.ts";
import { freeLoopbackPort as freePort } from "../../lib/net/free_port.ts";

/** A running control plane for a test. */
export interface ControlPlane {
  kubeconfigPath: string;
  url: string;
  /** The temporary root directory. */
  rootDirectory: string;
  /** The kcp-lite store's figures (for tests that count its work). */
  storeStats?(): StoreStats;
  stop(): Promise<void>;
}

/** Options of the kcp-lite control planes. */
export interface ControlPlaneOptions {
  /** Reuse this root directory (not removed on stop) instead of a new temporary one. */
  rootDirectory?: string;
  /** Watch bookmark interval (ms), for tests of bookmarks. */
  bookmarkIntervalMs?: number;
  /** kcp-lite's in-flight budgets and time limits, for tests of them. */
  limits?: KcpLiteOptions["limits"];
}

async function startLite(
  mode: "kcp" | "kube",
  options: ControlPlaneOptions,
): Promise<ControlPlane> {
  const dir = options.rootDirectory ?? await Deno.makeTempDir({ prefix: `kcp-lite-${mode}-` });
  try {
    const server = await startKcpLite({
      rootDirectory: dir,
      securePort: 0,
      bindAddress: "127.0.0.1",
      mode,
      bookmarkIntervalMs: options.bookmarkIntervalMs,
      limits: options.limits,
    });
    return {
      kubeconfigPath: server.adminKubeconfigPath,
      url: server.url,
      rootDirectory: dir,
      storeStats: () => server.storeStats(),
      async stop() {
        await server.stop();
        if (!options.rootDirectory) await Deno.remove(dir, { recursive: true });
      },
    };
  } catch (e) {
    if (!options.rootDirectory) await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw e;
  }
}

async function waitForReal(
  url: string,
  kubeconfigPath: string,
  child: Deno.ChildProcess,
): Promise<void> {
  const deadline = Date.now() + 120_000;
  let status: Deno.CommandStatus | undefined;
  child.status.then((s) => status = s);
  while (Date.now() < deadline) {
    if (status) throw new Error(`kcp exited early with code ${status.code}`);
    try {
      const text = await Deno.readTextFile(kubeconfigPath);
      const doc = parseYaml(text) as {
        clusters: { cluster: { "certificate-authority-data": string } }[];
      };
      const ca = atob(doc.clusters[0].cluster["certificate-authority-data"]);
      const client = Deno.createHttpClient({ caCerts: [ca] });
      try {
        const res = await fetch(`${url}/readyz`, { client });
        const body = await res.text();
        if (res.ok && body.trim() === "ok") return;
      } finally {
        client.close();
      }
    } catch {
      // not there yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("kcp did not become ready within 120 s");
}

async function startRealKcp(binary: string, options: ControlPlaneOptions): Promise<ControlPlane> {
  const dir = options.rootDirectory ?? await Deno.makeTempDir({ prefix: "kcp-real-" });
  const port = freePort();
  const child = new Deno.Command(binary, {
    args: [
      "start",
      "--root-directory",
      dir,
      "--secure-port",
      String(port),
      "--bind-address",
      "127.0.0.1",
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const url = `https://127.0.0.1:${port}`;
  const kubeconfigPath = join(dir, "admin.kubeconfig");
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // already gone
    }
    await child.status;
    if (!options.rootDirectory) await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  try {
    await waitForReal(url, kubeconfigPath, child);
  } catch (e) {
    await stop();
    throw e;
  }
  return { kubeconfigPath, url, rootDirectory: dir, stop };
}

/** A kcp control plane: real kcp when `KUBESTELLAR_TEST_KCP` is set, else kcp-lite. */
export function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const real = Deno.env.get("KUBESTELLAR_TEST_KCP");
  if (real) return startRealKcp(real, options);
  return startLite("kcp", options);
}

/** A plain Kubernetes API server (kcp-lite in kube mode). */
export function startKubeCluster(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  return startLite("kube", options);
}
