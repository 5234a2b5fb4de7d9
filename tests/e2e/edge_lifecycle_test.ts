/**
 * Object lifecycle on the edges (issue 13 item 2), with the placement translator and a
 * syncer on kcp-lite: a namespace deleted in the WMW leaves the mailbox and the edge;
 * deleting an EdgePlacement removes what only it placed (namespaced objects,
 * namespaces, cluster-scoped objects such as a CRD) while what another placement still selects
 * stays; a create-only object is left on the edge until its namespace goes.
 */
import { PlacementTranslator } from "../../lib/controllers/placement/translator.ts";
import { EDGE_API_VERSION } from "../../lib/edge/api_types.ts";
import type { KubeObject, RestClient } from "../../lib/kube/rest_client.ts";
import { serverForCluster } from "../../lib/kube/rest_paths.ts";
import { Logger } from "../../lib/log/logger.ts";
import { startSyncer } from "../../lib/syncer/syncer.ts";
import { assertTrue } from "../support/assert.ts";
import { startWec } from "../lib/syncer/hub_fixture.ts";
import {
  addLocation,
  addWmw,
  eventually,
  getOrUndefined,
  putSlice,
  R,
  startHub,
} from "../lib/controllers/placement/translator_fixture.ts";

const CRDS = {
  group: "apiextensions.k8s.io",
  version: "v1",
  resource: "customresourcedefinitions",
};
const CRD_NAME = "widgets.ep2.test";
const cm = (ns: string, name: string) => ({ ...R.configmaps, namespace: ns, name });
const ns = (name: string) => ({ ...R.namespaces, name });

async function gone(client: RestClient, ref: Parameters<typeof getOrUndefined>[1]) {
  const o = await getOrUndefined(client, ref);
  return !o || !!o.metadata?.deletionTimestamp;
}

Deno.test("edge lifecycle: namespaces and objects leave mailbox and edge when nothing places them", async () => {
  const hub = await startHub();
  const wec = await startWec();
  const abort = new AbortController();
  const quiet = new Logger("t", { write: () => {} });
  let translatorDone: Promise<void> | undefined;
  let syncer: { stop(): Promise<void> } | undefined;
  try {
    const florin = await addLocation(hub, "florin", { env: "prod" });
    const { client: wmw } = await addWmw(hub, "wmw-l");
    for (const name of ["gone", "shared", "only"]) {
      await wmw.create(R.namespaces, { apiVersion: "v1", kind: "Namespace", metadata: { name } });
    }
    const put = (namespace: string, name: string, annotations?: Record<string, string>) =>
      wmw.create({ ...R.configmaps, namespace }, {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name, namespace, annotations },
        data: { v: name },
      });
    await put("gone", "a");
    await put("shared", "s1");
    await put("only", "o");
    await put("only", "keep", { "edge.kubestellar.io/downsync-overwrite": "false" });
    await wmw.create(CRDS, {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: CRD_NAME },
      spec: {
        group: "ep2.test",
        names: { plural: "widgets", singular: "widget", kind: "Widget", listKind: "WidgetList" },
        scope: "Namespaced",
        versions: [{
          name: "v1",
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
          },
        }],
      },
    });
    const placement = (name: string, downsync: unknown[]) =>
      wmw.create(R.placements, {
        apiVersion: EDGE_API_VERSION,
        kind: "EdgePlacement",
        metadata: { name },
        spec: { locationSelectors: [{ matchLabels: { env: "prod" } }], downsync },
      });
    await placement("ep1", [{
      apiGroup: "",
      resources: ["configmaps"],
      namespaces: ["gone", "shared"],
    }]);
    await placement("ep2", [
      { apiGroup: "", resources: ["configmaps"], namespaces: ["shared", "only"] },
      {
        apiGroup: "apiextensions.k8s.io",
        resources: ["customresourcedefinitions"],
        objectNames: [CRD_NAME],
      },
    ]);
    await putSlice(wmw, "ep1", [florin]);
    await putSlice(wmw, "ep2", [florin]);
    const translator = new PlacementTranslator({ client: hub.admin, log: quiet });
    translatorDone = translator.run(abort.signal);
    syncer = startSyncer({
      mailbox: {
        ...hub.admin.config,
        server: serverForCluster(hub.admin.config.server, `root:espw:${florin.mailbox}`),
      },
      wec: wec.config,
      syncTargetName: "florin",
      syncTargetUid: florin.syncTargetUID,
      log: quiet,
    });
    const edge = wec.client;
    for (const [n, name] of [["gone", "a"], ["shared", "s1"], ["only", "o"], ["only", "keep"]]) {
      await eventually(`${n}/${name} on the edge`, () => getOrUndefined(edge, cm(n, name)));
    }
    await eventually(
      "CRD on the edge",
      () => getOrUndefined(edge, { ...CRDS, name: CRD_NAME }),
    );

    // kubectl delete ns gone (in the WMW)
    await wmw.delete(ns("gone"));
    await eventually("namespace gone leaves the mailbox", () => gone(florin.client, ns("gone")));
    await eventually("namespace gone leaves the edge", () => gone(edge, ns("gone")));

    // deleting ep2 (and its slice, as the where-resolver does)
    await wmw.delete({ ...R.placements, name: "ep2" });
    await wmw.delete({ ...R.slices, name: "ep2" });
    await eventually("only/o leaves the mailbox", () => gone(florin.client, cm("only", "o")));
    await eventually("namespace only leaves the mailbox", () => gone(florin.client, ns("only")));
    await eventually(
      "CRD leaves the mailbox",
      () => gone(florin.client, { ...CRDS, name: CRD_NAME }),
    );
    await eventually(
      "CRD leaves the edge",
      () => gone(edge, { ...CRDS, name: CRD_NAME }),
    );
    await eventually(
      "namespace only leaves the edge (with its create-only object)",
      () => gone(edge, ns("only")),
    );
    assertTrue(
      !!(await getOrUndefined(edge, cm("shared", "s1"))),
      "what ep1 still selects stays on the edge",
    );
    assertTrue(!!(await getOrUndefined(florin.client, cm("shared", "s1"))), "and in the mailbox");

    // deleting ep1: nothing is placed any more
    await wmw.delete({ ...R.placements, name: "ep1" });
    await wmw.delete({ ...R.slices, name: "ep1" });
    await eventually(
      "namespace shared leaves the mailbox",
      () => gone(florin.client, ns("shared")),
    );
    await eventually("namespace shared leaves the edge", () => gone(edge, ns("shared")));
    const sc = await florin.client.get<KubeObject>({ ...R.syncerConfigs, name: "the-one" });
    assertTrue(
      JSON.stringify(sc.spec) === JSON.stringify({ namespaceScope: {} }),
      `an empty SyncerConfig remains: ${JSON.stringify(sc.spec)}`,
    );
  } finally {
    await syncer?.stop();
    abort.abort();
    await translatorDone;
    await wec.stop();
    await hub.stop();
  }
});
