/**
 * Upstream's example1 walkthrough (PoC2023q1, v0.14) starting the central controllers as
 * bare processes under their own names, on the quickstart's topology (a kcp-mode core,
 * two kube-mode edge clusters): its controller start-up lines run verbatim in bash, as a
 * user pastes them (`mailbox-controller -v=2 &`, `kubestellar-where-resolver -v 2 &`,
 * `placement-translator --allclusters-context system:admin -v=2 &`), then its mailbox wait
 * loop and its stage-3 `kubectl get rs` wait loop, also verbatim; and `kubestellar stop`
 * stops the three, which recorded themselves in the state directory.
 *
 * Adapted only where the doc's environment differs: `sleep` is shortened (the lines stay
 * as written), and `FLORIN_WS`/`GUILDER_WS` carry the `espw:` prefix because our mailboxes
 * are children of `root:espw` (design §5), so the loop's `kubectl ws root:$ii` reaches them.
 *
 * @module
 */
import { join } from "node:path";
import { processStartTime } from "../../lib/process/process_identity.ts";
import { assertEquals, assertStringIncludes } from "../support/assert.ts";
import { assertPrinted } from "../support/command_output.ts";
import { eventually, Example1Stage } from "./example1_fixture.ts";
import { EDGES, wmwCObjects } from "./example1_objects.ts";

/** The walkthrough's shell prelude: short sleeps, and the started controllers' pids kept. */
const PRELUDE = `set -e
sleep() { command sleep 0.2; }
`;

const START_CONTROLLERS = `
kubectl ws root:espw
mailbox-controller -v=2 &
echo $! >> "$PIDS"
sleep 10

kubectl ws root
while [ $(kubectl ws tree | grep "\\-mb\\-" | wc -l) -ne 2 ]; do
  sleep 10
done

kubectl ws root:espw
kubestellar-where-resolver -v 2 &
echo $! >> "$PIDS"
sleep 10

kubectl ws root:espw
placement-translator --allclusters-context system:admin -v=2 &
echo $! >> "$PIDS"
sleep 10
`;

const MAILBOX_NAMES = `
kubectl ws root:espw
GUILDER_WS=$(kubectl get Workspace -o json | jq -r '.items | .[] | .metadata | select(.annotations ["edge.kubestellar.io/sync-target-name"] == "guilder") | .name')
FLORIN_WS=$(kubectl get Workspace -o json | jq -r '.items | .[] | .metadata | select(.annotations ["edge.kubestellar.io/sync-target-name"] == "florin") | .name')
FLORIN_WS=espw:$FLORIN_WS GUILDER_WS=espw:$GUILDER_WS
`;

const WAIT_FOR_RS = `
# wait until SyncerConfig, ReplicaSets and Deployments are ready
mbxws=($FLORIN_WS $GUILDER_WS)
for ii in "\${mbxws[@]}"; do
  kubectl ws root:$ii
  # wait for SyncerConfig resource
  while ! kubectl get SyncerConfig the-one &> /dev/null; do
    sleep 10
  done
  echo "* SyncerConfig resource exists in mailbox $ii"
  # wait for ReplicaSet resource
  while ! kubectl get rs &> /dev/null; do
    sleep 10
  done
  echo "* ReplicaSet resource exists in mailbox $ii"
  # wait until ReplicaSet in mailbox
  while ! kubectl get rs -n commonstuff commond; do
    sleep 10
  done
  echo "* commonstuff ReplicaSet in mailbox $ii"
done
`;

Deno.test("the walkthrough's controller lines, mailbox and kubectl get rs wait loops, verbatim", async (t) => {
  const stage = await Example1Stage.start();
  const pids = join(stage.user.dir, "controller.pids");
  const env = { KUBESTELLAR_STATE_DIR: stage.stateDir, PIDS: pids };
  /** Runs a bash script as the user (output to a file: the controllers outlive it). */
  const bash = async (name: string, script: string) => {
    const file = join(stage.user.dir, `${name}.sh`);
    const log = join(stage.user.dir, `${name}.log`);
    await Deno.writeTextFile(file, PRELUDE + script);
    const r = await stage.user.run("/bin/bash", [
      "-c",
      'timeout 120 bash "$1" >"$2" 2>&1',
      "walkthrough",
      file,
      log,
    ], env);
    const output = await Deno.readTextFile(log);
    assertEquals(r.code, 0, `${name}.sh exited ${r.code}:\n${output}`);
    return output;
  };
  try {
    await t.step("setup: kubestellar init, the two locations, wmw-c", async () => {
      const init = await stage.user.run("kubestellar", ["init"], env);
      assertEquals(init.code, 0, init.stderr);
      for (const [name, labels] of Object.entries(EDGES)) {
        await stage.kubectl(
          ...["kubestellar", "ensure", "location", "--imw", "root:imw1", name, ...labels],
        );
      }
    });

    await t.step("the controllers start under their own names and record themselves", async () => {
      await bash("start-controllers", START_CONTROLLERS);
      const want = [
        "kubestellar-where-resolver.pid.json",
        "mailbox-controller.pid.json",
        "placement-translator.pid.json",
      ];
      await eventually("the three controllers recorded", () => {
        const state = [...Deno.readDirSync(stage.stateDir)].map((e) => e.name).sort();
        return Promise.resolve(JSON.stringify(state) === JSON.stringify(want) || `${state}`);
      });
    });

    await t.step("wmw-c with its ReplicaSet and EdgePlacement", async () => {
      await stage.kubectl("ws", "root");
      await stage.kubectl("kubestellar", "ensure", "wmw", "wmw-c");
      const applied = await stage.kubectl(
        "apply",
        "-f",
        await stage.manifest("wmw-c.yaml", wmwCObjects()),
      );
      assertStringIncludes(applied, "replicaset.apps/commond created");
    });

    await t.step("stage 3: the kubectl get rs wait loop over both mailboxes", async () => {
      const out = await bash("wait-for-rs", MAILBOX_NAMES + WAIT_FOR_RS);
      for (const line of ["SyncerConfig resource exists", "commonstuff ReplicaSet in mailbox"]) {
        assertEquals(out.split("\n").filter((l) => l.includes(line)).length, 2, out);
      }
    });

    await t.step("kubestellar stop stops the three hand-started controllers", async () => {
      const stopped = await stage.user.run("kubestellar", ["stop"], env);
      assertPrinted(
        stopped,
        "An older deployment of mailbox-controller is already running - terminating it ....",
        "An older deployment of kubestellar-where-resolver is already running - terminating it ....",
        "An older deployment of placement-translator is already running - terminating it ....",
        "kubestellar stopped .....",
      );
      for (const pid of await startedPids(pids)) {
        assertEquals(await alive(pid), false, `pid ${pid}`);
      }
      assertEquals([...Deno.readDirSync(stage.stateDir)].map((e) => e.name), []);
    });
  } finally {
    // Whatever the outcome, end the processes this test started (by their pids only).
    for (const pid of await startedPids(pids)) {
      if (!await alive(pid)) continue;
      try {
        Deno.kill(pid, "SIGTERM");
      } catch { /* gone */ }
    }
    await stage.stop();
  }
});

async function startedPids(file: string): Promise<number[]> {
  const text = await Deno.readTextFile(file).catch(() => "");
  return text.split("\n").map(Number).filter((n) => n > 0);
}

async function alive(pid: number): Promise<boolean> {
  return await processStartTime(pid) !== undefined;
}
