import { assertEquals } from "../../../support/assert.ts";
import {
  type WhereApi,
  WhereReconciler,
} from "../../../../lib/controllers/where/where_reconciler.ts";
import type { WhereResult } from "../../../../lib/controllers/where/where_resolution.ts";
import type { EdgePlacement, SinglePlacementSlice } from "../../../../lib/edge/api_types.ts";
import { Logger } from "../../../../lib/log/logger.ts";

const KEY = "wmw|ep";
const DEST = { cluster: "i", locationName: "l", syncTargetName: "s", syncTargetUID: "u" };
const OWNER = {
  apiVersion: "edge.kubestellar.io/v2alpha1",
  kind: "EdgePlacement",
  name: "ep",
  uid: "ep-uid",
};

class Fake implements WhereApi {
  ep?: EdgePlacement;
  sps?: SinglePlacementSlice;
  result: WhereResult = { destinations: [DEST], matchingLocationCount: 1, problems: [] };
  calls: string[] = [];
  warnings: string[] = [];
  createSlice(cluster: string, s: SinglePlacementSlice): Promise<void> {
    this.calls.push(
      `create ${cluster} ${s.metadata.name} ${
        JSON.stringify(s.metadata.ownerReferences)
      } ${s.destinations.length}`,
    );
    return Promise.resolve();
  }
  patchSlice(cluster: string, name: string, patch: Record<string, unknown>): Promise<void> {
    this.calls.push(`patch-sps ${cluster} ${name} ${JSON.stringify(patch)}`);
    return Promise.resolve();
  }
  deleteSlice(cluster: string, name: string, uid: string): Promise<void> {
    this.calls.push(`delete-sps ${cluster} ${name} ${uid}`);
    return Promise.resolve();
  }
  patchPlacement(cluster: string, name: string, patch: Record<string, unknown>): Promise<void> {
    this.calls.push(`patch-ep ${cluster} ${name} ${JSON.stringify(patch)}`);
    return Promise.resolve();
  }
  async run(): Promise<string[]> {
    this.calls = [];
    const log = new Logger("t", { write: (l) => this.warnings.push(l) });
    await new WhereReconciler(
      {
        placement: (k) => k === KEY ? this.ep : undefined,
        slice: (k) => k === KEY ? this.sps : undefined,
        resolve: () => this.result,
      },
      this,
      log,
    ).reconcile(KEY);
    return this.calls;
  }
}

function ep(extra: Partial<EdgePlacement> = {}): EdgePlacement {
  return { metadata: { name: "ep", uid: "ep-uid" }, spec: {}, ...extra };
}

Deno.test("where reconcile: creates the owned slice and writes the count", async () => {
  const f = new Fake();
  f.ep = ep();
  assertEquals(await f.run(), [
    `create wmw ep ${JSON.stringify([OWNER])} 1`,
    `patch-ep wmw ep {"status":{"matchingLocationCount":1}}`,
  ]);
});

Deno.test("where reconcile: nothing written when all is current", async () => {
  const f = new Fake();
  f.ep = ep({ status: { matchingLocationCount: 1 } });
  f.sps = { metadata: { name: "ep", ownerReferences: [OWNER] }, destinations: [DEST] };
  assertEquals(await f.run(), []);
});

Deno.test("where reconcile: patches changed destinations and a stale owner", async () => {
  const f = new Fake();
  f.ep = ep({ status: { matchingLocationCount: 1 } });
  f.sps = {
    metadata: { name: "ep", ownerReferences: [{ ...OWNER, uid: "old" }] },
    destinations: [],
  };
  assertEquals(await f.run(), [
    `patch-sps wmw ep ${
      JSON.stringify({ metadata: { ownerReferences: [OWNER] }, destinations: [DEST] })
    }`,
  ]);
});

Deno.test("where reconcile: problems set and cleared as an annotation, logged once", async () => {
  const f = new Fake();
  f.ep = ep({ status: { matchingLocationCount: 0 } });
  f.sps = { metadata: { name: "ep", ownerReferences: [OWNER] }, destinations: [] };
  f.result = { destinations: [], matchingLocationCount: 0, problems: ["p1", "p2"] };
  assertEquals(await f.run(), [
    `patch-ep wmw ep {"metadata":{"annotations":{"validation-error.kubestellar.io/where":"p1\\np2"}}}`,
  ]);
  assertEquals(f.warnings.filter((w) => w.includes("EdgePlacement problem")).length, 2);
  f.ep.metadata.annotations = { "validation-error.kubestellar.io/where": "p1\np2" };
  assertEquals(await f.run(), []);
  f.result = { destinations: [], matchingLocationCount: 0, problems: [] };
  assertEquals(await f.run(), [
    `patch-ep wmw ep {"metadata":{"annotations":{"validation-error.kubestellar.io/where":null}}}`,
  ]);
});

Deno.test("where reconcile: a deleted placement's slice is deleted; others left alone", async () => {
  const f = new Fake();
  f.sps = { metadata: { name: "ep", uid: "sps-uid", ownerReferences: [OWNER] }, destinations: [] };
  assertEquals(await f.run(), ["delete-sps wmw ep sps-uid"]);
  f.sps = { metadata: { name: "ep", uid: "sps-uid" }, destinations: [] };
  assertEquals(await f.run(), []);
  f.sps = undefined;
  assertEquals(await f.run(), []);
  f.ep = ep({ metadata: { name: "ep", uid: "x", deletionTimestamp: "t" } });
  assertEquals(await f.run(), []);
});
