/**
 * The three central controllers together on kcp-lite, each as the controller host runs
 * it: the mailbox controller makes a mailbox per SyncTarget, the where-resolver writes
 * the slice, the placement translator fills the mailboxes — and follows inventory
 * changes (a Location relabelled away, a SyncTarget deleted).
 */
import { startController } from "../../../../lib/controllers/runtime/controller_host.ts";
import { mailboxController } from "../../../../lib/controllers/mailbox/mailbox_controller.ts";
import { whereResolver } from "../../../../lib/controllers/where/where_controller.ts";
import { placementTranslator } from "../../../../lib/controllers/placement/placement_translator_controller.ts";
import { waitForBinding } from "../../../../lib/core/api_bindings.ts";
import type { KubeObject } from "../../../../lib/kube/rest_client.ts";
import { Logger } from "../../../../lib/log/logger.ts";
import { assertEquals } from "../../../support/assert.ts";
import { startControlPlane } from "../../../support/control_plane.ts";
import {
  deleteIfPresent,
  listMailboxes,
  LOCATIONS,
  putSyncTargetAndLocation,
  setUpEdge,
  SYNC_TARGETS,
  upsert,
} from "../../../support/edge_fixtures.ts";
import { populateWmwC } from "./example1_workloads.ts";
import { ensure, eventually, getOrUndefined, R } from "./translator_fixture.ts";

Deno.test("mailbox controller + where-resolver + placement translator: example1 wmw-c end to end", async () => {
  const cp = await startControlPlane();
  const edge = await setUpEdge(cp.kubeconfigPath, { imws: ["imw1"], wmws: ["wmw-c"] });
  const quiet = new Logger("pipeline", { write: () => {} });
  const running: { stop(): Promise<void> }[] = [];
  try {
    for (const def of [mailboxController, whereResolver, placementTranslator]) {
      running.push(
        await startController(def, { flags: edge.controllerFlags({ workers: 4 }), log: quiet }),
      );
    }
    const imw = edge.workspace("root:imw1");
    const wmw = edge.workspace("root:wmw-c");
    await ensure(wmw, R.bindings, {
      apiVersion: "apis.kcp.io/v1alpha1",
      kind: "APIBinding",
      metadata: { name: "bind-kubernetes" },
      spec: { reference: { export: { path: "root:compute", name: "kubernetes" } } },
    });
    await waitForBinding(wmw, "bind-kubernetes");
    await putSyncTargetAndLocation(imw, "florin", { "loc-name": "florin", env: "prod" });
    await putSyncTargetAndLocation(imw, "guilder", { "loc-name": "guilder", env: "prod" });
    await populateWmwC(wmw, undefined);

    const mailboxOf = async (st: string) =>
      (await listMailboxes(edge)).find((w) =>
        w.metadata?.annotations?.["edge.kubestellar.io/sync-target-name"] === st
      )
        ?.metadata?.name;
    const florinMb = await eventually("florin mailbox", () => mailboxOf("florin"));
    const guilderMb = await eventually("guilder mailbox", () => mailboxOf("guilder"));
    const florin = edge.workspace(`root:espw:${florinMb}`);
    const guilder = edge.workspace(`root:espw:${guilderMb}`);
    const commond = { ...R.deployments, namespace: "commonstuff", name: "commond" };
    const cm = { ...R.configmaps, namespace: "commonstuff", name: "httpd-htdocs" };
    for (const [mb, name] of [[florin, "florin"], [guilder, "guilder"]] as const) {
      const page = await eventually(`page in ${name}`, () => getOrUndefined(mb, cm), 30_000);
      assertEquals(
        (page.data as Record<string, string>)["index.html"],
        `This is a common web site. Running in ${name}.`,
      );
      await eventually(`commond in ${name}`, () => getOrUndefined(mb, commond), 30_000);
    }
    await eventually(
      "executing count 2",
      async () =>
        (await wmw.get<KubeObject>(commond)).metadata?.annotations
          ?.["kubestellar.io/executing-count"] === "2",
    );

    // A Location relabelled out of the placement: its mailbox is emptied.
    await upsert(imw, LOCATIONS, {
      metadata: { name: "guilder", labels: { "loc-name": "guilder", env: "test" } },
    });
    await eventually(
      "guilder emptied",
      async () => !(await getOrUndefined(guilder, commond)),
      30_000,
    );
    await eventually(
      "executing count 1",
      async () =>
        (await wmw.get<KubeObject>(commond)).metadata?.annotations
          ?.["kubestellar.io/executing-count"] === "1",
    );
    // A SyncTarget deleted: its mailbox goes, the translator carries on with the rest.
    await deleteIfPresent(imw, SYNC_TARGETS, "guilder");
    await eventually("guilder mailbox deleted", async () => !(await mailboxOf("guilder")), 30_000);
    const cur = await wmw.get<KubeObject>(cm);
    await wmw.update(cm, { ...cur, data: { "index.html": "v2 in %(loc-name)" } });
    await eventually(
      "florin still served",
      async () =>
        ((await florin.get<KubeObject>(cm)).data as Record<string, string>)["index.html"] ===
          "v2 in florin",
      30_000,
    );
  } finally {
    for (const r of running.reverse()) await r.stop();
    edge.close();
    await cp.stop();
  }
});
