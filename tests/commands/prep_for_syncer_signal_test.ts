/**
 * `prep-for-syncer` while it waits for a mailbox that never comes: progress lines on a
 * pipe (no terminal), and SIGINT/SIGTERM put the starting workspace back in the user's
 * kubeconfig (exit 130/143), as upstream's EXIT trap did.
 *
 * @module
 */
import { assertEquals, assertMatch, assertStringIncludes } from "../support/assert.ts";
import { pluginUser } from "../support/plugin_path.ts";
import { kubeTools } from "../support/kube_tools.ts";
import { type Hub, startHub, SYNC_TARGETS } from "../lib/syncer/hub_fixture.ts";
import { EDGE_API_VERSION } from "../../lib/edge/api_types.ts";

const PROG = "kubectl-kubestellar-prep_for_syncer";

/** Reads a child's stream into `text` as it comes; `until` resolves when it contains a string. */
function collect(stream: ReadableStream<Uint8Array>) {
  const state = { text: "" };
  const waiters: { needle: string; resolve: () => void }[] = [];
  const done = (async () => {
    const dec = new TextDecoder();
    for await (const chunk of stream) {
      state.text += dec.decode(chunk, { stream: true });
      for (const w of waiters.filter((w) => state.text.includes(w.needle))) w.resolve();
    }
  })();
  return {
    state,
    done,
    until(needle: string): Promise<void> {
      if (state.text.includes(needle)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ needle, resolve }));
    },
  };
}

async function lonelySyncTarget(hub: Hub, name: string): Promise<void> {
  const imw = hub.admin.withCluster("root:imw1");
  await imw.create(SYNC_TARGETS, {
    apiVersion: EDGE_API_VERSION,
    kind: "SyncTarget",
    metadata: { name },
    spec: {},
  });
  imw.close();
}

for (
  const [sig, code, waitFor] of [
    ["SIGINT", 130, "stdout:root:espw"],
    ["SIGTERM", 143, "stderr:waiting for the mailbox workspace"],
  ] as const
) {
  Deno.test(`prep-for-syncer: ${sig} while waiting restores the workspace (exit ${code})`, async () => {
    const hub = await startHub();
    const user = await pluginUser(hub.cp.kubeconfigPath);
    const { kubectl } = await kubeTools();
    try {
      await lonelySyncTarget(hub, "lonely");
      const child = new Deno.Command(kubectl, {
        args: ["kubestellar", "prep-for-syncer", "--imw", "root:imw1", "lonely"],
        cwd: user.dir,
        env: user.env,
        clearEnv: true,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const out = collect(child.stdout);
      const err = collect(child.stderr);
      const [stream, needle] = waitFor.split(/:(.*)/s);
      await (stream === "stdout" ? out : err).until(needle);
      child.kill(sig);
      const status = await child.status;
      await Promise.all([out.done, err.done]);
      assertEquals(status.code, code, err.state.text);
      assertEquals(out.state.text.split("\n"), [
        `Current workspace is "root:imw1".`,
        `Current workspace is "root:espw".`,
        `Current workspace is "root".`,
        "",
      ]);
      const errLines = err.state.text.trimEnd().split("\n");
      assertEquals(errLines.at(-1), `${PROG}: interrupted by ${sig}`);
      if (sig === "SIGTERM") {
        // No terminal here, and still a progress line while it waited.
        assertMatch(
          errLines[0],
          /^waiting for the mailbox workspace root:espw:\S+-mb-\S+ \(absent, 5s of 70s\)$/,
        );
      }
      const now = await user.kubectl("ws", ".");
      assertEquals(now.stdout, `Current workspace is "root".\n`);
      assertStringIncludes(
        await Deno.readTextFile(user.kubeconfig),
        "/clusters/root\n",
      );
    } finally {
      await user.cleanup();
      await hub.stop();
    }
  });
}
