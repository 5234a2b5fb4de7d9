import { join } from "node:path";
import { assertEquals, assertStringIncludes, assertTrue } from "../../support/assert.ts";
import {
  readRecord,
  runningRecord,
  startBackground,
  stopBackground,
} from "../../../lib/process/background_process.ts";
import { isSameProcessAlive } from "../../../lib/process/process_identity.ts";

Deno.test("a background process is recorded, logs to its file, and is stopped by record", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ks-bg-" });
  try {
    const log = join(dir, "logs", "sleeper-log.txt");
    await Deno.mkdir(join(dir, "logs"));
    const rec = await startBackground({
      name: "sleeper",
      command: "/bin/sh",
      args: ["-c", "echo started; exec sleep 30"],
      logFile: log,
      stateDir: join(dir, "state"),
    });
    assertTrue(await isSameProcessAlive(rec));
    assertEquals((await runningRecord("sleeper", join(dir, "state")))?.pid, rec.pid);
    const st = await Deno.stat(join(dir, "state", "sleeper.pid.json"));
    assertEquals(st.mode! & 0o777, 0o600);
    for (let i = 0; i < 100; i++) {
      if ((await Deno.readTextFile(log).catch(() => "")).includes("started")) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assertStringIncludes(await Deno.readTextFile(log), "started");
    assertEquals(await stopBackground("sleeper", join(dir, "state")), true);
    assertEquals(await isSameProcessAlive(rec), false);
    assertEquals(await readRecord("sleeper", join(dir, "state")), undefined);
    assertEquals(
      await stopBackground("sleeper", join(dir, "state")),
      false,
      "second stop is a no-op",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a stale record whose pid now belongs to another process is not acted on", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ks-bg-" });
  try {
    const other = new Deno.Command("sleep", { args: ["30"], stdout: "null", stderr: "null" })
      .spawn();
    await Deno.writeTextFile(
      join(dir, "ghost.pid.json"),
      JSON.stringify({ pid: other.pid, startTime: "1", name: "ghost", command: [], logFile: "" }),
    );
    assertEquals(await runningRecord("ghost", dir), undefined);
    assertEquals(await stopBackground("ghost", dir), false);
    assertTrue(
      await isSameProcessAlive({ pid: other.pid, startTime: (await readStart(other.pid))! }),
    );
    other.kill("SIGKILL");
    await other.status;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function readStart(pid: number): Promise<string | undefined> {
  const { processStartTime } = await import("../../../lib/process/process_identity.ts");
  return await processStartTime(pid);
}
