/**
 * End-to-end tests of the syncer on kcp-lite (kcp mode hub, kube-mode WEC), with the
 * syncer authenticating as its own ServiceAccount the way prep-for-syncer sets it up.
 *
 * @module
 */
import { assertEquals, assertStringIncludes, assertTrue } from "../support/assert.ts";
import { eventually, putSyncerConfig, syncerConnection } from "../lib/syncer/hub_fixture.ts";
import {
  CM,
  configmapsIn,
  CRD,
  DEPLOY,
  deployment,
  getOr,
  NS,
  quiet,
  setUp,
  tearDown,
  widgetCrd,
  WIDGETS,
} from "../lib/syncer/e2e_objects.ts";
import { startSyncer } from "../../lib/syncer/syncer.ts";
import { Logger } from "../../lib/log/logger.ts";
import type { KubeObject } from "../../lib/kube/rest_client.ts";

/** How long the hub stays down in the outage test. */
const OUTAGE_MS = Number(Deno.env.get("KUBESTELLAR_TEST_OUTAGE_MS") ?? "5000");

Deno.test("syncer: downsync create/update/delete, CRDs first, ownership, create-only, status return, upsync", async () => {
  const { hub, mb, wec } = await setUp(false);
  const lines: string[] = [];
  try {
    await mb.client.create(CRD, widgetCrd);
    // A kind the WEC does not serve (its CRD is not downsynced): reported, the rest syncs.
    const gadgetCrd = structuredClone(widgetCrd) as KubeObject & {
      spec: { names: Record<string, string> };
    };
    gadgetCrd.metadata = { name: "gadgets.example.com" };
    gadgetCrd.spec.names = {
      plural: "gadgets",
      singular: "gadget",
      kind: "Gadget",
      listKind: "GadgetList",
    };
    await mb.client.create(CRD, gadgetCrd);
    await eventually(
      "the CRD served in the mailbox",
      () => getOr(mb.client, { ...WIDGETS, name: "x" }).then(() => mb.client.list(WIDGETS)),
    );
    await mb.client.create(CM, { metadata: { name: "cm1", labels: { l: "1" } }, data: { a: "1" } });
    await mb.client.create(CM, {
      metadata: {
        name: "keep",
        annotations: { "edge.kubestellar.io/downsync-overwrite": "false" },
      },
      data: { v: "first" },
    });
    await mb.client.create(CM, { metadata: { name: "foreign" }, data: { from: "mailbox" } });
    await mb.client.create(DEPLOY, deployment("web"));
    await mb.client.create(WIDGETS, {
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w1" },
      spec: { size: 3 },
    });
    const GADGETS = { ...WIDGETS, resource: "gadgets" };
    await eventually("gadgets served in the mailbox", () => mb.client.list(GADGETS));
    await mb.client.create(GADGETS, {
      apiVersion: "example.com/v1",
      kind: "Gadget",
      metadata: { name: "g1" },
    });
    await wec.client.create(NS, { metadata: { name: "ns1" } });
    await wec.client.create(CM, { metadata: { name: "foreign" }, data: { from: "wec" } });
    await putSyncerConfig(mb, {
      namespacedObjects: [
        configmapsIn(["cm1", "keep", "foreign"]),
        {
          group: "apps",
          resource: "deployments",
          apiVersion: "v1",
          objectsByNamespace: [{ namespace: "ns1", names: ["web"] }],
        },
        {
          group: "example.com",
          resource: "widgets",
          apiVersion: "v1",
          objectsByNamespace: [{ namespace: "ns1", names: ["w1"] }],
        },
        {
          group: "example.com",
          resource: "gadgets",
          apiVersion: "v1",
          objectsByNamespace: [{ namespace: "ns1", names: ["g1"] }],
        },
      ],
      clusterScope: [{
        group: "apiextensions.k8s.io",
        resource: "customresourcedefinitions",
        apiVersion: "v1",
        objects: ["widgets.example.com"],
      }],
      upsync: [{ apiGroup: "", resources: ["configmaps"], namespaces: ["reports"], names: ["*"] }],
    });
    const syncer = startSyncer({
      mailbox: await syncerConnection(hub, mb),
      wec: wec.config,
      syncTargetName: "florin",
      syncTargetUid: mb.syncTargetUid,
      log: new Logger("syncer", { write: (l) => lines.push(l) }),
    });
    try {
      await syncer.ready;
      const cm1 = await eventually(
        "cm1 in the WEC",
        () => getOr(wec.client, { ...CM, name: "cm1" }),
      );
      assertEquals(cm1.data, { a: "1" });
      assertEquals(cm1.metadata?.labels, { l: "1" });
      assertEquals(
        cm1.metadata?.annotations?.["edge.kubestellar.io/downsynced"],
        "ConfigMap/ns1/cm1",
      );
      assertTrue(!("kcp.io/cluster" in (cm1.metadata?.annotations ?? {})));
      await eventually("the deployment", () => getOr(wec.client, { ...DEPLOY, name: "web" }));
      await eventually("the CRD", () => getOr(wec.client, { ...CRD, name: "widgets.example.com" }));
      const w1 = await eventually(
        "the widget",
        () => getOr(wec.client, { ...WIDGETS, name: "w1" }),
      );
      assertEquals(w1.spec, { size: 3 });
      await eventually("keep", () => getOr(wec.client, { ...CM, name: "keep" }));

      // Updates flow down, except to create-only objects and objects the syncer does not own.
      await mb.client.patch({ ...CM, name: "cm1" }, { data: { a: "2" } }, "merge");
      await mb.client.patch({ ...CM, name: "keep" }, { data: { v: "second" } }, "merge");
      await eventually(
        "cm1 updated",
        async () => (await getOr(wec.client, { ...CM, name: "cm1" }))?.data?.a === "2",
      );
      assertEquals((await getOr(wec.client, { ...CM, name: "keep" }))?.data, { v: "first" });
      assertEquals((await getOr(wec.client, { ...CM, name: "foreign" }))?.data, { from: "wec" });

      // Status flows up to the mailbox object's /status.
      const dep = (await getOr(wec.client, { ...DEPLOY, name: "web" }))!;
      await wec.client.updateStatus({ ...DEPLOY, name: "web" }, {
        ...dep,
        status: { replicas: 1, readyReplicas: 1 },
      });
      await eventually(
        "status in the mailbox",
        async () =>
          ((await getOr(mb.client, { ...DEPLOY, name: "web" }))?.status as {
            readyReplicas?: number;
          })?.readyReplicas === 1,
      );
      const w = (await getOr(wec.client, { ...WIDGETS, name: "w1" }))!;
      await wec.client.updateStatus({ ...WIDGETS, name: "w1" }, {
        ...w,
        status: { phase: "Shiny" },
      });
      await eventually(
        "widget status in the mailbox",
        async () =>
          ((await getOr(mb.client, { ...WIDGETS, name: "w1" }))?.status as { phase?: string })
            ?.phase === "Shiny",
      );

      // Upsync: WEC objects into the mailbox, updates and deletions too.
      const REPORTS = { version: "v1", resource: "configmaps", namespace: "reports" };
      await wec.client.create(NS, { metadata: { name: "reports" } });
      await wec.client.create(REPORTS, { metadata: { name: "r1" }, data: { n: "1" } });
      const r1 = await eventually(
        "r1 upsynced",
        () => getOr(mb.client, { ...REPORTS, name: "r1" }),
      );
      assertEquals(
        r1.metadata?.annotations?.["edge.kubestellar.io/upsynced"],
        "ConfigMap/reports/r1",
      );
      await wec.client.patch({ ...REPORTS, name: "r1" }, { data: { n: "2" } }, "merge");
      await eventually(
        "r1 updated",
        async () => (await getOr(mb.client, { ...REPORTS, name: "r1" }))?.data?.n === "2",
      );
      await wec.client.delete({ ...REPORTS, name: "r1" });
      await eventually(
        "r1 gone from the mailbox",
        async () => !(await getOr(mb.client, { ...REPORTS, name: "r1" })),
      );

      // Deletions flow down: an object deleted from the mailbox, one dropped from the config.
      await mb.client.delete({ ...CM, name: "cm1" });
      await eventually(
        "cm1 deleted",
        async () => !(await getOr(wec.client, { ...CM, name: "cm1" })),
      );
      await putSyncerConfig(mb, {
        namespacedObjects: [configmapsIn(["keep", "foreign"])],
        clusterScope: [{
          group: "apiextensions.k8s.io",
          resource: "customresourcedefinitions",
          apiVersion: "v1",
          objects: ["widgets.example.com"],
        }],
      });
      await eventually(
        "web deleted",
        async () => !(await getOr(wec.client, { ...DEPLOY, name: "web" })),
      );
      // A WEC object deleted by someone comes back.
      await wec.client.delete({ ...CM, name: "keep" });
      await eventually("keep recreated", () => getOr(wec.client, { ...CM, name: "keep" }));
      assertTrue(!!(await getOr(wec.client, { ...CM, name: "foreign" })), "foreign never deleted");
      assertTrue(!!(await getOr(wec.client, { ...NS, name: "ns1" })), "namespaces stay");
      assertTrue(
        lines.some((l) =>
          l.includes("does not serve example.com/v1/gadgets") && l.includes("ns1/g1")
        ),
        lines.join("\n"),
      );
    } finally {
      await syncer.stop();
    }
  } finally {
    await tearDown({ hub, mb, wec });
  }
});

Deno.test("syncer: restart catches up; hub restart and outage leave the WEC untouched, then resync; wrong token is logged and retried", async () => {
  const { hub, mb, wec } = await setUp(true);
  const mbConfig = await syncerConnection(hub, mb);
  try {
    await mb.client.create(CM, { metadata: { name: "a" }, data: { v: "1" } });
    await mb.client.create(CM, { metadata: { name: "c" }, data: { v: "1" } });
    await mb.client.create(DEPLOY, deployment("web"));
    await putSyncerConfig(mb, {
      namespacedObjects: [
        configmapsIn(["a", "b", "c"]),
        {
          group: "apps",
          resource: "deployments",
          apiVersion: "v1",
          objectsByNamespace: [{ namespace: "ns1", names: ["web"] }],
        },
      ],
    });
    const start = () =>
      startSyncer({
        mailbox: mbConfig,
        wec: wec.config,
        syncTargetName: "florin",
        syncTargetUid: mb.syncTargetUid,
        log: quiet(),
      });
    let syncer = start();
    await eventually(
      "a and c",
      async () =>
        !!(await getOr(wec.client, { ...CM, name: "a" })) &&
        !!(await getOr(wec.client, { ...CM, name: "c" })),
    );

    // Syncer restart: changes made while it was down are applied.
    await syncer.stop();
    await mb.client.patch({ ...CM, name: "a" }, { data: { v: "2" } }, "merge");
    await mb.client.create(CM, { metadata: { name: "b" }, data: { v: "1" } });
    await mb.client.delete({ ...CM, name: "c" });
    syncer = start();
    await eventually(
      "caught up after restart",
      async () =>
        (await getOr(wec.client, { ...CM, name: "a" }))?.data?.v === "2" &&
        !!(await getOr(wec.client, { ...CM, name: "b" })) &&
        !(await getOr(wec.client, { ...CM, name: "c" })),
    );
    await eventually("web", () => getOr(wec.client, { ...DEPLOY, name: "web" }));

    // Hub restart with an outage: the WEC stays as it was; status set meanwhile goes up later.
    const snapshot = async () =>
      (await wec.client.list<KubeObject>({
        version: "v1",
        resource: "configmaps",
        namespace: "ns1",
      })).items
        .map((o) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`).sort();
    const before = await snapshot();
    await hub.restart(OUTAGE_MS, async () => {
      const dep = (await getOr(wec.client, { ...DEPLOY, name: "web" }))!;
      await wec.client.updateStatus({ ...DEPLOY, name: "web" }, {
        ...dep,
        status: { replicas: 1, readyReplicas: 1 },
      });
      await new Promise((r) => setTimeout(r, OUTAGE_MS / 2));
      assertEquals(await snapshot(), before, "WEC untouched during the outage");
    });
    assertEquals(await snapshot(), before, "WEC untouched across the restart");
    const mb2 = hub.admin.withCluster(mb.path);
    try {
      await eventually(
        "status returned after the outage",
        async () =>
          ((await getOr(mb2, { ...DEPLOY, name: "web" }))?.status as { readyReplicas?: number })
            ?.readyReplicas === 1,
        30_000,
      );
      await mb2.patch({ ...CM, name: "b" }, { data: { v: "after" } }, "merge");
      await eventually(
        "update after the outage",
        async () => (await getOr(wec.client, { ...CM, name: "b" }))?.data?.v === "after",
        30_000,
      );
    } finally {
      mb2.close();
      await syncer.stop();
    }

    // A wrong token: one clear line, retried with back-off, no crash, no token in the log.
    const lines: string[] = [];
    const bad = startSyncer({
      mailbox: { ...mbConfig, token: "wrong-token-value" },
      wec: wec.config,
      syncTargetName: "florin",
      syncTargetUid: mb.syncTargetUid,
      log: new Logger("syncer", { write: (l) => lines.push(l) }),
      backoffMaxMs: 200,
    });
    await eventually(
      "the credentials line",
      () =>
        Promise.resolve(lines.some((l) => l.includes("rejected the syncer's credentials (401"))),
    );
    await bad.stop();
    assertStringIncludes(lines.join("\n"), "retrying with back-off");
    assertTrue(!lines.join("\n").includes("wrong-token-value"));
    assertTrue(!lines.join("\n").includes(mbConfig.token!));
  } finally {
    await tearDown({ hub, mb, wec });
  }
});
