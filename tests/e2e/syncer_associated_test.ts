/**
 * End-to-end: the syncer returns a bounded summary of a downsynced Deployment's
 * ReplicaSets and Pods on the WEC into the mailbox copy's
 * `edge.kubestellar.io/associated-state` annotation, watch-driven, and never copies it
 * down; plus the summary function's bounds.
 *
 * @module
 */
import { assertEquals, assertTrue } from "../support/assert.ts";
import { eventually, putSyncerConfig, syncerConnection } from "../lib/syncer/hub_fixture.ts";
import { DEPLOY, deployment, quiet, setUp, tearDown } from "../lib/syncer/e2e_objects.ts";
import { startSyncer } from "../../lib/syncer/syncer.ts";
import { associatedState, MAX_FAILURES } from "../../lib/syncer/associated_state.ts";
import type { KubeObject } from "../../lib/kube/rest_client.ts";

const RS = { group: "apps", version: "v1", resource: "replicasets", namespace: "ns1" };
const PODS = { version: "v1", resource: "pods", namespace: "ns1" };
const KEY = "edge.kubestellar.io/associated-state";

function pod(name: string, owner: KubeObject, waiting?: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      ownerReferences: [{
        apiVersion: "apps/v1",
        kind: "ReplicaSet",
        name: owner.metadata!.name!,
        uid: owner.metadata!.uid!,
        controller: true,
      }],
    },
    spec: { containers: [{ name: "c", image: "nginx" }] },
    ...(waiting
      ? {
        status: {
          phase: "Pending",
          containerStatuses: [{
            name: "c",
            state: { waiting: { reason: waiting, message: "no" } },
          }],
        },
      }
      : {}),
  };
}

Deno.test("associated state: counts and at most MAX_FAILURES reasons, newest first", () => {
  const rs = { metadata: { name: "rs", uid: "u" }, spec: { replicas: 7 }, status: {} };
  const pods = Array.from({ length: 7 }, (_, i) => ({
    metadata: { name: `p${i}` },
    status: {
      phase: "Pending",
      conditions: [{
        type: "PodScheduled",
        status: "False",
        reason: "Unschedulable",
        lastTransitionTime: `2024-01-0${i + 1}T00:00:00Z`,
      }],
    },
  }));
  const s = associatedState([rs], pods);
  assertEquals(s.replicaSets, { total: 1, ready: 0 });
  assertEquals(s.pods, { total: 7, ready: 0, phases: { Pending: 7 } });
  assertEquals(s.failures.length, MAX_FAILURES);
  assertEquals(s.failures[0].name, "p6");
});

Deno.test("syncer: a Deployment's ReplicaSets and Pods come back as a bounded annotation", async () => {
  const setup = await setUp(false);
  const { hub, mb, wec } = setup;
  let syncer: { stop(): Promise<void> } | undefined;
  try {
    await mb.client.create(DEPLOY, deployment("web"));
    await putSyncerConfig(mb, {
      namespacedObjects: [{
        group: "apps",
        resource: "deployments",
        apiVersion: "v1",
        objectsByNamespace: [{ namespace: "ns1", names: ["web"] }],
      }],
    });
    syncer = startSyncer({
      mailbox: await syncerConnection(hub, mb),
      wec: wec.config,
      syncTargetName: "florin",
      syncTargetUid: mb.syncTargetUid,
      log: quiet(),
    });
    const down = await eventually(
      "web on the WEC",
      () => wec.client.get<KubeObject>({ ...DEPLOY, name: "web" }).catch(() => undefined),
    );
    const state = async () => {
      const copy = await mb.client.get<KubeObject>({ ...DEPLOY, name: "web" });
      const text = copy.metadata?.annotations?.[KEY];
      return text ? JSON.parse(text) : undefined;
    };
    await eventually("an empty summary first", async () => (await state())?.pods?.total === 0);
    const rs = await wec.client.create<KubeObject>(RS, {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: "web-1",
        ownerReferences: [{
          apiVersion: "apps/v1",
          kind: "Deployment",
          name: "web",
          uid: down.metadata!.uid!,
          controller: true,
        }],
      },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "c", image: "nginx" }] },
        },
      },
    });
    const broken = await wec.client.create<KubeObject>(PODS, pod("web-1-a", rs));
    await wec.client.updateStatus(
      { ...PODS, name: "web-1-a" },
      pod("web-1-a", rs, "ImagePullBackOff"),
    );
    await wec.client.create(PODS, pod("web-1-b", rs));
    const s = await eventually("the failing pod reported", async () => {
      const s = await state();
      return s?.pods?.total === 2 && s.failures?.length === 1 ? s : undefined;
    });
    assertEquals(s.replicaSets, { total: 1, ready: 0 });
    assertEquals(s.failures[0], {
      kind: "Pod",
      name: "web-1-a",
      reason: "ImagePullBackOff",
      message: "no",
    });
    await wec.client.delete({ ...PODS, name: broken.metadata!.name! });
    await eventually("the failure gone", async () => (await state())?.pods?.total === 1);
    assertEquals((await state()).failures, []);
    const wecCopy = await wec.client.get<KubeObject>({ ...DEPLOY, name: "web" });
    assertTrue(!wecCopy.metadata?.annotations?.[KEY], "the annotation stays in the mailbox");
  } finally {
    await syncer?.stop();
    await tearDown(setup);
  }
});
