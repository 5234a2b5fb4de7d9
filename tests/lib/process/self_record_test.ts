import { join } from "node:path";
import { assertEquals, assertTrue } from "../../support/assert.ts";
import {
  readRecord,
  recordNames,
  startBackground,
  stopBackground,
} from "../../../lib/process/background_process.ts";
import { recordSelf } from "../../../lib/process/self_record.ts";

Deno.test("a process records itself, beside a live instance as name@pid, and forgets only its own", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ks-self-record-" });
  const state = join(dir, "state");
  try {
    const mine = await recordSelf(["mailbox-controller"], state, "(stderr)");
    assertEquals(mine.names, ["mailbox-controller"]);
    const rec = await readRecord("mailbox-controller", state);
    assertEquals([rec?.pid, rec?.name, rec?.logFile], [Deno.pid, "mailbox-controller", "(stderr)"]);
    assertEquals(
      (await Deno.stat(join(state, "mailbox-controller.pid.json"))).mode! & 0o777,
      0o600,
    );
    // Recording again (the launcher recorded this very process) keeps the one record.
    const again = await recordSelf(["mailbox-controller"], state, "(stderr)");
    assertEquals(await recordNames("mailbox-controller", state), ["mailbox-controller"]);
    await again.forget();
    await mine.forget();
    assertEquals(await recordNames("mailbox-controller", state), []);

    // Another live process holds the name: this one records itself as name@pid.
    const other = await startBackground({
      name: "placement-translator",
      command: "/bin/sh",
      args: ["-c", "exec sleep 30"],
      logFile: join(dir, "other.log"),
      stateDir: state,
    });
    const second = await recordSelf(["placement-translator"], state, "(stderr)");
    assertEquals(second.names, [`placement-translator@${Deno.pid}`]);
    assertEquals(await recordNames("placement-translator", state), [
      "placement-translator",
      `placement-translator@${Deno.pid}`,
    ]);
    // Only exact instances match: a longer name is another service.
    assertEquals(await recordNames("placement", state), []);
    await second.forget();
    assertEquals(await recordNames("placement-translator", state), ["placement-translator"]);
    assertEquals((await readRecord("placement-translator", state))?.pid, other.pid);
    assertTrue(await stopBackground("placement-translator", state));
    assertEquals(await recordNames(undefined, state), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
