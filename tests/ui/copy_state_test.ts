/**
 * Copy states and syncer liveness: each state from the facts it rests on, with the
 * reason the cell shows.
 *
 * @module
 */
import { copyState, statusFailure } from "../../lib/ui/copy_state.ts";
import { syncerLiveness } from "../../lib/ui/syncer_liveness.ts";
import { SYNCER_STALE_AFTER_MS } from "../../lib/syncer/syncer_heartbeat.ts";
import { assertEquals, assertStringIncludes } from "../support/assert.ts";

const NOW = new Date("2024-05-01T12:00:00Z");
const beat = (secondsAgo: number) => ({
  status: { lastSyncerHeartbeatTime: new Date(NOW.getTime() - secondsAgo * 1000).toISOString() },
});

Deno.test("syncer liveness comes from the heartbeat on the SyncerConfig", () => {
  assertEquals(syncerLiveness(undefined, NOW).state, "absent");
  assertEquals(syncerLiveness({}, NOW).state, "silent");
  const live = syncerLiveness(beat(10), NOW);
  assertEquals(live.state, "live");
  assertEquals(live.staleInMs, SYNCER_STALE_AFTER_MS - 10_000 + 1);
  const stale = syncerLiveness(beat(SYNCER_STALE_AFTER_MS / 1000 + 1), NOW);
  assertEquals(stale.state, "stale");
  assertStringIncludes(stale.detail, "the syncer stopped or cannot reach the hub");
});

Deno.test("copy states: pending, mailbox, edge, status, error, unknown", () => {
  const live = syncerLiveness(beat(5), NOW);
  const stale = syncerLiveness(beat(600), NOW);
  const base = { mailbox: "mb1", mailboxReady: true, liveness: live };
  const copy = { metadata: { name: "c" } };
  const seenBeforeBeat = NOW.getTime() - 60_000;
  const seenAfterBeat = NOW.getTime() - 1_000;
  const cases: [Parameters<typeof copyState>[0], string, string][] = [
    [{ ...base, mailboxReady: false }, "pending", "mailbox mb1 is not ready yet"],
    [{ ...base }, "pending", "not in mailbox mb1 yet"],
    [{ ...base, copy, copySeenAt: seenBeforeBeat }, "edge", "its syncer is live and has reported"],
    [{ ...base, copy, copySeenAt: seenAfterBeat }, "mailbox", "syncer: live"],
    [{ ...base, liveness: stale, copy, copySeenAt: seenBeforeBeat }, "mailbox", "stopped"],
    [{ ...base, copy: { ...copy, status: { readyReplicas: 1 } } }, "status", "readyReplicas 1"],
    [
      {
        ...base,
        copy: { ...copy, status: { phase: "Active" } },
        serverStatus: true,
        copySeenAt: 0,
      },
      "edge",
      "reported since",
    ],
    [
      {
        ...base,
        copy: {
          ...copy,
          status: { conditions: [{ type: "Available", status: "False", reason: "NoPods" }] },
        },
      },
      "error",
      "Available=False (NoPods)",
    ],
    [{ ...base, copy, mailboxOnly: true }, "mailbox", "stay in the mailbox"],
    [{ ...base, copiesUnreadable: "403", listed: true }, "mailbox", "listed in the SyncerConfig"],
    [{ ...base, copiesUnreadable: "403", listed: false }, "unknown", "not listed"],
  ];
  for (const [facts, state, detail] of cases) {
    const got = copyState(facts);
    assertEquals(got.state, state, JSON.stringify(facts));
    assertStringIncludes(got.detail, detail);
  }
  assertEquals(
    statusFailure({ conditions: [{ type: "ReplicaFailure", status: "True" }] }),
    "ReplicaFailure=True",
  );
  assertEquals(statusFailure({ conditions: [{ type: "Available", status: "True" }] }), undefined);
});
