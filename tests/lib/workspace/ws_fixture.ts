/**
 * Shared setup of the workspace library tests: a fake kcp, a kubeconfig file pointing
 * at one of its workspaces, and a runner that opens a fresh session per operation (as
 * each `kubectl ws` invocation does) and captures what it prints.
 *
 * @module
 */
import { join } from "node:path";
import { type FakeKcp, startFakeKcp } from "../../support/fake_kcp_workspaces.ts";
import { makeTestPki, type TestPki } from "../../support/fake_apiserver.ts";
import {
  openWorkspaceSession,
  type WorkspaceSession,
} from "../../../lib/workspace/workspace_session.ts";
import { loadKubeconfig } from "../../../lib/kubeconfig/kubeconfig.ts";

/** What one operation printed. */
export interface Printed {
  out: string[];
  err: string[];
}

/** The fixture given to each test. */
export interface WsFixture {
  kcp: FakeKcp;
  kubeconfigPath: string;
  /** Runs `fn` on a new session; resolves to the printed lines (rejects as `fn` does). */
  run(fn: (s: WorkspaceSession) => Promise<unknown>): Promise<Printed>;
  /** Server URL of context `name` (default: the current context). */
  serverOf(context?: string): Promise<string | undefined>;
  /** Name of the cluster of context `name`. */
  clusterOf(context: string): Promise<string | undefined>;
  currentContext(): Promise<string>;
}

let sharedPki: Promise<TestPki> | undefined;

/** One PKI per test process (making certificates is the slow part); removed at exit. */
function testPki(): Promise<TestPki> {
  sharedPki ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "ws-pki-" });
    globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
    return await makeTestPki(dir);
  })();
  return sharedPki;
}

/** Starts a fake kcp with a kubeconfig in `startPath`, runs `fn`, cleans up. */
export async function withWsFixture(
  fn: (f: WsFixture) => Promise<void>,
  startPath = "root",
): Promise<void> {
  const kcp = await startFakeKcp({ pki: await testPki() });
  const dir = await Deno.makeTempDir({ prefix: "ws-lib-" });
  const kubeconfigPath = join(dir, "config");
  await Deno.writeTextFile(kubeconfigPath, kcp.kubeconfig(startPath));
  const load = () => loadKubeconfig({ kubeconfig: kubeconfigPath });
  const fixture: WsFixture = {
    kcp,
    kubeconfigPath,
    async run(op) {
      const printed: Printed = { out: [], err: [] };
      const session = await openWorkspaceSession({ kubeconfig: kubeconfigPath }, {
        out: (l) => printed.out.push(l),
        err: (l) => printed.err.push(l),
        timing: { pollMs: 10, visiblePollMs: 10, readyTimeoutMs: 2_000 },
      });
      try {
        await op(session);
      } finally {
        session.close();
      }
      return printed;
    },
    async serverOf(context) {
      const kc = await load();
      const ctx = kc.find("contexts", context ?? kc.currentContext)?.value;
      return ctx?.cluster ? kc.find("clusters", ctx.cluster)?.value.server : undefined;
    },
    async clusterOf(context) {
      return (await load()).find("contexts", context)?.value.cluster;
    },
    async currentContext() {
      return (await load()).currentContext;
    },
  };
  try {
    await fn(fixture);
  } finally {
    await kcp.close();
    await Deno.remove(dir, { recursive: true });
  }
}
