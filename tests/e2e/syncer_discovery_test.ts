/**
 * End-to-end tests of the syncer reacting to resources that become served while it
 * runs (kcp-lite hub, kube-mode WEC): a CRD downsynced into the WEC makes its kind
 * upsyncable at once, and a CRD arriving in the mailbox after the SyncerConfig that
 * names its kind makes that kind downsync at once. The syncer's periodic re-check is
 * set far beyond the bounds below, so the first test can only pass through the CRD
 * watches; in the second, the informers' back-off retries would also get there, later.
 *
 * @module
 */
import { assertEquals } from "../support/assert.ts";
import { eventually, putSyncerConfig } from "../lib/syncer/hub_fixture.ts";
import type { RestClient } from "../../lib/kube/rest_client.ts";
import {
  CRD,
  getOr,
  NS,
  widgetCrd,
  WIDGETS,
  withSetUp,
  withSyncer,
} from "../lib/syncer/e2e_objects.ts";

/** Generous bound for reacting to a newly served resource (the re-check is 10 min). */
const REACT_MS = 8_000;
const RESYNC_MS = 600_000;

const CRD_DOWNSYNC = {
  group: "apiextensions.k8s.io",
  resource: "customresourcedefinitions",
  apiVersion: "v1",
  objects: ["widgets.example.com"],
};

/** Waits (at most `REACT_MS`) for the Widget `name` in namespace ns1 to exist through `client`. */
function arrives(what: string, client: RestClient, name: string) {
  return eventually(what, () => getOr(client, { ...WIDGETS, name }), REACT_MS);
}

function widget(name: string, size: number) {
  return { apiVersion: "example.com/v1", kind: "Widget", metadata: { name }, spec: { size } };
}

Deno.test("syncer: a CRD downsynced into the WEC makes its objects upsync at once", async () => {
  await withSetUp(false, async (setup) => {
    const { mb, wec } = setup;
    await mb.client.create(CRD, widgetCrd);
    await eventually("widgets served in the mailbox", () => mb.client.list(WIDGETS));
    await wec.client.create(NS, { metadata: { name: "ns1" } });
    await putSyncerConfig(mb, {
      clusterScope: [CRD_DOWNSYNC],
      upsync: [{
        apiGroup: "example.com",
        resources: ["widgets"],
        namespaces: ["ns1"],
        names: ["*"],
      }],
    });
    await withSyncer(setup, { resyncMs: RESYNC_MS }, async () => {
      await eventually("widgets served in the WEC", () => wec.client.list(WIDGETS));
      await wec.client.create(WIDGETS, widget("edge1", 2));
      const copy = await arrives("edge1 upsynced into the mailbox", mb.client, "edge1");
      assertEquals(copy.spec, { size: 2 });
      assertEquals(
        copy.metadata?.annotations?.["edge.kubestellar.io/upsynced"],
        "Widget/ns1/edge1",
      );
    });
  });
});

Deno.test("syncer: a kind whose CRD reaches the mailbox after the SyncerConfig downsyncs at once", async () => {
  await withSetUp(false, async (setup) => {
    const { mb, wec } = setup;
    await putSyncerConfig(mb, {
      clusterScope: [CRD_DOWNSYNC],
      namespacedObjects: [{
        group: "example.com",
        resource: "widgets",
        apiVersion: "v1",
        objectsByNamespace: [{ namespace: "ns1", names: ["w1"] }],
      }],
    });
    // Without the CRD watches, the informers of the missing kind would wait up to a minute.
    await withSyncer(setup, { resyncMs: RESYNC_MS, backoffMaxMs: 60_000 }, async () => {
      // Let the informers of the not-yet-served kind fail a few times (back-off grows).
      await new Promise((r) => setTimeout(r, 1_500));
      await mb.client.create(CRD, widgetCrd);
      await eventually("widgets served in the mailbox", () => mb.client.list(WIDGETS));
      await mb.client.create(WIDGETS, widget("w1", 3));
      const copy = await arrives("w1 downsynced into the WEC", wec.client, "w1");
      assertEquals(copy.spec, { size: 3 });
    });
  });
});
