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
import { eventually, putSyncerConfig, syncerConnection } from "../lib/syncer/hub_fixture.ts";
import { CRD, getOr, NS, quiet, setUp, widgetCrd, WIDGETS } from "../lib/syncer/e2e_objects.ts";
import { startSyncer } from "../../lib/syncer/syncer.ts";

/** Generous bound for reacting to a newly served resource (the re-check is 10 min). */
const REACT_MS = 8_000;
const RESYNC_MS = 600_000;

const CRD_DOWNSYNC = {
  group: "apiextensions.k8s.io",
  resource: "customresourcedefinitions",
  apiVersion: "v1",
  objects: ["widgets.example.com"],
};

function widget(name: string, size: number) {
  return { apiVersion: "example.com/v1", kind: "Widget", metadata: { name }, spec: { size } };
}

Deno.test("syncer: a CRD downsynced into the WEC makes its objects upsync at once", async () => {
  const { hub, mb, wec } = await setUp(false);
  try {
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
    const syncer = startSyncer({
      mailbox: await syncerConnection(hub, mb),
      wec: wec.config,
      syncTargetName: "florin",
      syncTargetUid: mb.syncTargetUid,
      log: quiet(),
      resyncMs: RESYNC_MS,
    });
    try {
      await syncer.ready;
      await eventually("widgets served in the WEC", () => wec.client.list(WIDGETS));
      await wec.client.create(WIDGETS, widget("edge1", 2));
      const copy = await eventually(
        "edge1 upsynced into the mailbox",
        () => getOr(mb.client, { ...WIDGETS, name: "edge1" }),
        REACT_MS,
      );
      assertEquals(copy.spec, { size: 2 });
      assertEquals(
        copy.metadata?.annotations?.["edge.kubestellar.io/upsynced"],
        "Widget/ns1/edge1",
      );
    } finally {
      await syncer.stop();
    }
  } finally {
    mb.client.close();
    await wec.stop();
    await hub.stop();
  }
});

Deno.test("syncer: a kind whose CRD reaches the mailbox after the SyncerConfig downsyncs at once", async () => {
  const { hub, mb, wec } = await setUp(false);
  try {
    await putSyncerConfig(mb, {
      clusterScope: [CRD_DOWNSYNC],
      namespacedObjects: [{
        group: "example.com",
        resource: "widgets",
        apiVersion: "v1",
        objectsByNamespace: [{ namespace: "ns1", names: ["w1"] }],
      }],
    });
    const syncer = startSyncer({
      mailbox: await syncerConnection(hub, mb),
      wec: wec.config,
      syncTargetName: "florin",
      syncTargetUid: mb.syncTargetUid,
      log: quiet(),
      resyncMs: RESYNC_MS,
      // Without the CRD watches, the informers of the missing kind would wait this long.
      backoffMaxMs: 60_000,
    });
    try {
      await syncer.ready;
      // Let the informers of the not-yet-served kind fail a few times (back-off grows).
      await new Promise((r) => setTimeout(r, 1_500));
      await mb.client.create(CRD, widgetCrd);
      await eventually("widgets served in the mailbox", () => mb.client.list(WIDGETS));
      await mb.client.create(WIDGETS, widget("w1", 3));
      const copy = await eventually(
        "w1 downsynced into the WEC",
        () => getOr(wec.client, { ...WIDGETS, name: "w1" }),
        REACT_MS,
      );
      assertEquals(copy.spec, { size: 3 });
    } finally {
      await syncer.stop();
    }
  } finally {
    mb.client.close();
    await wec.stop();
    await hub.stop();
  }
});
