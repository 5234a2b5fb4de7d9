import { join } from "node:path";
import {
  CONTROLLERS,
  HOST_LOG_NAME,
  launchControllers,
  logFileOf,
  stateDirectory,
  stopControllers,
} from "../../../lib/core/controllers_launch.ts";
import { runningRecord } from "../../../lib/process/background_process.ts";
import { assertEquals, assertMatch, assertTrue } from "../../support/assert.ts";

/**
 * A stand-in for `kubestellar controller all --log-folder DIR --metrics-bind-address A
 * -v N`: one process writing each controller's log file.
 */
const FAKE = `
const flag = (name) => Deno.args[Deno.args.indexOf(name) + 1];
const folder = flag("--log-folder");
const logs = { "mailbox-controller": "mailbox-controller", "where-resolver": "kubestellar-where-resolver", "placement-translator": "placement-translator" };
const mode = Deno.env.get("FAKE_MODE");
if (Deno.args[1] !== "all") Deno.exit(9);
if (mode === "crash") {
  console.error("cannot reach the ESPW");
  Deno.exit(3);
}
for (const [name, exe] of Object.entries(logs)) {
  Deno.writeTextFileSync(folder + "/" + exe + "-log.txt", name + " starting\\n", { append: true });
}
if (mode === "where-fails") {
  Deno.writeTextFileSync(folder + "/kubestellar-where-resolver-log.txt", "E1125 where-resolver] controller failed error=\\"no ESPW\\"\\n", { append: true });
  Deno.exit(1);
}
const [hostname, port] = flag("--metrics-bind-address").split(":");
console.error("host up");
Deno.serve({ hostname, port: Number(port), onListen() {} }, () => new Response("ok"));
`;

async function withDirs(fn: (d: { dir: string; script: string }) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "ks-launch-" });
  const script = join(dir, "fake_controller.ts");
  await Deno.writeTextFile(script, FAKE);
  try {
    await fn({ dir, script });
  } finally {
    await stopControllers(join(dir, "state"), () => {});
    await Deno.remove(dir, { recursive: true });
  }
}

function options(dir: string, script: string, mode = "") {
  const printed: string[] = [];
  const warned: string[] = [];
  return {
    printed,
    warned,
    opts: {
      logFolder: join(dir, "logs"),
      stateDir: join(dir, "state"),
      print: (l: string) => printed.push(l),
      warn: (l: string) => warned.push(l),
      readyTimeoutMs: 30_000,
      self: {
        command: "/bin/sh",
        args: [
          "-c",
          `FAKE_MODE='${mode}' exec '${Deno.execPath()}' run -A --quiet '${script}' "$@"`,
          "sh",
        ],
      },
    },
  };
}

Deno.test("start launches the controllers in one process, waits for /readyz, and stop stops exactly that", async () => {
  await withDirs(async ({ dir, script }) => {
    // A process whose command line contains a controller's name is not ours.
    const bystander = new Deno.Command("sh", {
      args: ["-c", "sleep 30; : tail -f mailbox-controller-log.txt"],
      stdout: "null",
      stderr: "null",
    }).spawn();
    try {
      const { printed, warned, opts } = options(dir, script);
      const outcomes = await launchControllers(opts);
      assertEquals(Object.values(outcomes), [
        "running",
        "running",
        "running",
        "running",
        "running",
      ]);
      assertEquals(printed, [
        ` mailbox-controller is running (log file: ${dir}/logs/mailbox-controller-log.txt)`,
        ` where-resolver is running (log file: ${dir}/logs/kubestellar-where-resolver-log.txt)`,
        ` placement translator is running (log file: ${dir}/logs/placement-translator-log.txt)`,
        ` status summarizer is running (log file: ${dir}/logs/status-summarizer-log.txt)`,
        ` edge view is running (log file: ${dir}/logs/kubestellar-edge-view-log.txt)`,
      ]);
      assertEquals(warned, []);
      assertMatch(
        await Deno.readTextFile(logFileOf(opts.logFolder, CONTROLLERS[1])),
        /^where-resolver starting\n/,
      );
      assertEquals(await Deno.readTextFile(join(opts.logFolder, HOST_LOG_NAME)), "host up\n");
      // One process, recorded under each controller's name.
      const pids = new Set<number>();
      for (const c of CONTROLLERS) {
        pids.add((await runningRecord(c.executable, opts.stateDir))!.pid);
      }
      assertEquals(pids.size, 1);
      const stopped: string[] = [];
      await stopControllers(opts.stateDir, (l) => stopped.push(l));
      assertEquals(stopped, [
        "An older deployment of mailbox-controller is already running - terminating it ....",
        "An older deployment of kubestellar-where-resolver is already running - terminating it ....",
        "An older deployment of placement-translator is already running - terminating it ....",
        "An older deployment of status-summarizer is already running - terminating it ....",
        "An older deployment of kubestellar-edge-view is already running - terminating it ....",
      ]);
      for (const c of CONTROLLERS) {
        assertEquals(await runningRecord(c.executable, opts.stateDir), undefined);
      }
      // Nothing left to stop; the bystander still runs.
      const again: string[] = [];
      await stopControllers(opts.stateDir, (l) => again.push(l));
      assertEquals(again, []);
      assertTrue(await isRunning(bystander.pid), "bystander untouched");
    } finally {
      bystander.kill();
      await bystander.status;
    }
  });
});

async function isRunning(pid: number): Promise<boolean> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    return !stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}

Deno.test("a controller that fails, or a process that crashes, fails the start with the reason", async () => {
  await withDirs(async ({ dir, script }) => {
    const fails = options(dir, script, "where-fails");
    const outcomes = await launchControllers(fails.opts);
    assertEquals(Object.values(outcomes), ["failed", "failed", "failed", "failed", "failed"]);
    assertEquals(fails.printed, [" where-resolver failed to start ..... exiting"]);
    assertEquals(fails.warned, [
      ' where-resolver: it exited: E1125 where-resolver] controller failed error="no ESPW" ' +
      `(log file: ${dir}/logs/kubestellar-where-resolver-log.txt)`,
    ]);
    for (const c of CONTROLLERS) {
      assertEquals(await runningRecord(c.executable, fails.opts.stateDir), undefined);
    }

    // The log files keep the earlier launch's error; only this launch's lines count.
    const crash = options(dir, script, "crash");
    await launchControllers(crash.opts);
    assertEquals(crash.printed, [" mailbox-controller failed to start ..... exiting"]);
    assertEquals(crash.warned, [
      ` mailbox-controller: it exited: cannot reach the ESPW (log file: ${dir}/logs/${HOST_LOG_NAME})`,
    ]);
    assertEquals(await runningRecord("mailbox-controller", crash.opts.stateDir), undefined);
  });
});

Deno.test("the state directory follows KUBESTELLAR_STATE_DIR, XDG_STATE_HOME, HOME", () => {
  const env = (vars: Record<string, string>) => (n: string) => vars[n];
  assertEquals(stateDirectory(env({ KUBESTELLAR_STATE_DIR: "/s", HOME: "/h" })), "/s");
  assertEquals(stateDirectory(env({ XDG_STATE_HOME: "/x", HOME: "/h" })), "/x/kubestellar");
  assertEquals(stateDirectory(env({ HOME: "/h" })), "/h/.local/state/kubestellar");
});
