/**
 * `remove-kubestellar` acts on what the toolkit recorded, and only that: recorded
 * processes are stopped by pid and start time (a process of the same name that nobody
 * recorded keeps running), recorded paths are deleted, a recorded log folder loses only the
 * controllers' log files; `--folder` limits deletions to files under it.
 *
 * @module
 */
import { join } from "node:path";
import { assertEquals, assertTrue } from "../support/assert.ts";
import { runCli } from "../support/cli.ts";
import { startBackground } from "../../lib/process/background_process.ts";
import { addInstalled, readInstalled } from "../../lib/process/install_record.ts";
import { isSameProcessAlive } from "../../lib/process/process_identity.ts";
import { pathExists } from "../support/path_exists.ts";

Deno.test("remove-kubestellar stops and deletes what was recorded, nothing else", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ks-remove-" });
  const state = join(dir, "state");
  const unrecorded = new Deno.Command("sleep", { args: ["30"] }).spawn();
  try {
    const sleeper = (name: string) =>
      startBackground({
        name,
        command: "/bin/sh",
        args: ["-c", "exec sleep 30"],
        logFile: join(dir, `${name}.log`),
        stateDir: state,
      });
    const kcp = await sleeper("kcp");
    const controller = await sleeper("mailbox-controller");
    const install = join(dir, "install");
    const other = join(dir, "elsewhere");
    for (const d of ["kcp/bin", "kubestellar/bin", ".kcp", "logs"]) {
      await Deno.mkdir(join(install, d), { recursive: true });
    }
    await Deno.mkdir(other);
    await Deno.writeTextFile(join(install, "kcp_log.txt"), "log\n");
    await Deno.writeTextFile(join(install, "logs", "mailbox-controller-log.txt"), "log\n");
    await Deno.writeTextFile(join(install, "logs", "notes.txt"), "the user's own file\n");
    for (const p of ["kcp", "kubestellar", ".kcp", "kcp_log.txt"]) {
      await addInstalled(state, "path", join(install, p));
    }
    await addInstalled(state, "path", other);
    await addInstalled(state, "log-folder", join(install, "logs"));
    await addInstalled(state, "log-folder", join(install, "logs")); // recorded once

    const env = { KUBESTELLAR_STATE_DIR: state, HOME: dir };
    const r = await runCli(["--folder", install], { as: "remove-kubestellar", env });
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.stdout.split("\n").filter((l) => l).sort(), [
      `Deleted ${join(install, ".kcp")}`,
      `Deleted ${join(install, "kcp")}`,
      `Deleted ${join(install, "kcp_log.txt")}`,
      `Deleted ${join(install, "kubestellar")}`,
      `Deleted log files in ${join(install, "logs")}`,
      "Finished deletion ....",
      `Stopped kcp (pid ${kcp.pid})`,
      `Stopped mailbox-controller (pid ${controller.pid})`,
    ]);
    assertEquals(await isSameProcessAlive(kcp), false);
    assertEquals(await isSameProcessAlive(controller), false);
    assertTrue(await pathExists(join(install, "logs", "notes.txt")), "the user's file stays");
    assertTrue(await pathExists(other), "outside --folder stays");
    assertEquals(await readInstalled(state), [{ kind: "path", path: other }]);
    // A process nobody recorded is never touched.
    assertEquals(await Deno.stat(`/proc/${unrecorded.pid}`).then(() => true, () => false), true);

    // The rest, without --folder; then nothing is left to do.
    const rest = await runCli([], { as: "remove-kubestellar", env });
    assertEquals(rest.stdout, `Deleted ${other}\nFinished deletion ....\n`, rest.stderr);
    const none = await runCli(["-y"], { as: "remove-kubestellar", env });
    assertEquals(
      none.stdout,
      `Nothing recorded to remove (state directory ${state}).\nFinished deletion ....\n`,
    );
    const bad = await runCli(["--frobnicate"], { as: "remove-kubestellar", env });
    assertEquals([bad.code, bad.stderr], [
      2,
      "remove-kubestellar: unknown argument '--frobnicate' (see --help)\n",
    ]);
  } finally {
    unrecorded.kill();
    await unrecorded.status;
    await Deno.remove(dir, { recursive: true });
  }
});
