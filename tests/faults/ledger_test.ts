/**
 * The fault tests' ledger: two writes of one key in flight at once may be answered in
 * either order, so the key is left to the hub's word (ambiguous) until a write of it
 * runs alone again. Found when the controllers' kill test reported an acknowledged write
 * "lost" that a concurrent delete of the same key had overtaken.
 *
 * @module
 */
import { assertEquals } from "../support/assert.ts";
import { Ledger } from "../support/fleet_workload.ts";
import type { RestClient } from "../../lib/kube/rest_client.ts";

/** A client whose writes resolve when the test says so, in any order. */
function heldClient() {
  const pending: (() => void)[] = [];
  const hold = () => new Promise<unknown>((r) => pending.push(() => r({})));
  const client = { update: hold, create: hold, delete: hold } as unknown as RestClient;
  return { client, pending };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

Deno.test("ledger: writes of one key that overlap leave it to the hub; a lone write settles it", async () => {
  const ledger = new Ledger();
  const { client, pending } = heldClient();
  const put = ledger.put(client, "ns", "cm-1");
  const remove = ledger.remove(client, "ns", "cm-1");
  await tick();
  // The delete is answered first, the update second: the hub may hold either.
  pending[1]();
  await remove;
  pending[0]();
  await put;
  assertEquals(ledger.ambiguous.has("ns/cm-1"), true);
  assertEquals(ledger.lostIn(new Map()), [], "whatever the hub holds, nothing counts as lost");
  const alone = ledger.put(client, "ns", "cm-1");
  await tick();
  pending[2]();
  await alone;
  assertEquals(ledger.ambiguous.has("ns/cm-1"), false);
  assertEquals(ledger.lostIn(new Map()), ["ns/cm-1"], "the lone write's version must be there");
});

Deno.test("ledger: writes of different keys at once stay exact", async () => {
  const ledger = new Ledger();
  const { client, pending } = heldClient();
  const a = ledger.put(client, "ns", "cm-1");
  const b = ledger.remove(client, "ns", "cm-2");
  await tick();
  pending[1]();
  pending[0]();
  await Promise.all([a, b]);
  assertEquals([...ledger.ambiguous], []);
  assertEquals(ledger.lostIn(new Map([["ns/cm-1", 1]])), []);
});
