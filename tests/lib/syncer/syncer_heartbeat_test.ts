/**
 * The syncer's heartbeat: a merge patch of `status.lastSyncerHeartbeatTime` on the
 * SyncerConfig `the-one`, every interval until stopped; a missing SyncerConfig is
 * skipped quietly, other failures are reported and the next beat tries again.
 *
 * @module
 */
import type { RestClient } from "../../../lib/kube/rest_client.ts";
import { ApiError } from "../../../lib/kube/rest_errors.ts";
import {
  heartbeatTime,
  runHeartbeat,
  SYNCER_HEARTBEAT_INTERVAL_MS,
  SYNCER_STALE_AFTER_MS,
} from "../../../lib/syncer/syncer_heartbeat.ts";
import { assertEquals, assertTrue } from "../../support/assert.ts";
import { eventually } from "../../support/eventually.ts";

function fakeMailbox(answers: Array<"ok" | 404 | 500>) {
  const calls: { ref: Record<string, unknown>; patch: unknown; type: string }[] = [];
  const client = {
    patch(ref: Record<string, unknown>, patch: unknown, type: string) {
      calls.push({ ref, patch, type });
      const a = answers[Math.min(calls.length - 1, answers.length - 1)];
      if (a === "ok") return Promise.resolve({});
      return Promise.reject(new ApiError({ reason: String(a), message: `answer ${a}` }, a));
    },
  } as unknown as RestClient;
  return { client, calls };
}

Deno.test("heartbeatTime is metav1.Time: seconds, UTC", () => {
  assertEquals(heartbeatTime(new Date("2024-05-01T10:20:30.456Z")), "2024-05-01T10:20:30Z");
  assertTrue(SYNCER_STALE_AFTER_MS > 2 * SYNCER_HEARTBEAT_INTERVAL_MS);
});

Deno.test("the heartbeat stamps the-one every interval, skipping 404, reporting other errors", async () => {
  const { client, calls } = fakeMailbox([404, 500, "ok"]);
  const errors: unknown[] = [];
  const beats: string[] = [];
  const abort = new AbortController();
  const done = runHeartbeat(client, {
    intervalMs: 5,
    now: () => new Date("2024-05-01T10:20:30Z"),
    onError: (e) => errors.push(e),
    onBeat: (t) => beats.push(t),
  }, abort.signal);
  await eventually("three beats", () => beats.length >= 1 && calls.length >= 3 ? true : undefined);
  abort.abort();
  await done;
  assertEquals(errors.length, 1, "only the 500 is reported");
  assertEquals(calls[0].type, "merge");
  assertEquals(calls[0].ref.resource, "syncerconfigs");
  assertEquals(calls[0].ref.name, "the-one");
  assertEquals(calls[0].patch, { status: { lastSyncerHeartbeatTime: "2024-05-01T10:20:30Z" } });
  assertEquals(beats[0], "2024-05-01T10:20:30Z");
});
