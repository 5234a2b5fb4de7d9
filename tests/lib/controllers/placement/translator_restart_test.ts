/**
 * The placement translator across restarts (its own and kcp-lite's), with bad input,
 * and in create-only mode: it converges to the right mailbox contents, with nothing
 * lost and nothing duplicated, and problems are reported while other placements work.
 */
import { PlacementTranslator } from "../../../../lib/controllers/placement/translator.ts";
import { EDGE_API_VERSION } from "../../../../lib/edge/api_types.ts";
import { edgeApiBinding } from "../../../../lib/edge/api_export.ts";
import type { KubeObject } from "../../../../lib/kube/rest_client.ts";
import { Logger } from "../../../../lib/log/logger.ts";
import { assertEquals, assertTrue } from "../../../support/assert.ts";
import { customizer, deployment, populateWmwC } from "./example1_workloads.ts";
import {
  addLocation,
  addWmw,
  ensure,
  ensureWorkspace,
  eventually,
  getOrUndefined,
  type Hub,
  putSlice,
  R,
  startHub,
} from "./translator_fixture.ts";

function run(hub: Hub, lines: string[] = []): () => Promise<void> {
  const abort = new AbortController();
  const t = new PlacementTranslator({
    client: hub.admin,
    log: new Logger("pt", { write: (l) => lines.push(l) }),
  });
  const done = t.run(abort.signal);
  return async () => {
    abort.abort();
    await done;
  };
}

const cm = { ...R.configmaps, namespace: "commonstuff", name: "httpd-htdocs" };
const commond = { ...R.deployments, namespace: "commonstuff", name: "commond" };

function envOf(d: KubeObject | undefined): string | undefined {
  return (d?.spec as { template: { spec: { containers: { env: { value: string }[] }[] } } })
    ?.template.spec.containers[0].env[0].value;
}

Deno.test("placement translator: restarts of the translator and of kcp-lite converge", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pt-restart-" });
  let hub = await startHub({ rootDirectory: dir });
  let stop: (() => Promise<void>) | undefined;
  try {
    const florin = await addLocation(hub, "florin", { "loc-name": "florin", env: "prod" });
    const guilder = await addLocation(hub, "guilder", { "loc-name": "guilder", env: "prod" });
    const wmw = await addWmw(hub, "wmw-c");
    await populateWmwC(wmw.client, [florin, guilder]);
    stop = run(hub);
    for (const mb of [florin, guilder]) {
      await eventually("projected", () => getOrUndefined(mb.client, commond));
      await eventually("htdocs", () => getOrUndefined(mb.client, cm));
    }
    await stop();
    stop = undefined;

    // Changes while the translator is down.
    await wmw.client.delete(cm);
    const d = await wmw.client.get<KubeObject>(commond);
    (d.spec as { replicas: number }).replicas = 3;
    await wmw.client.update(commond, d);
    await putSlice(wmw.client, "edge-placement-c", [florin]);

    stop = run(hub);
    await eventually(
      "guilder copy removed",
      async () => !(await getOrUndefined(guilder.client, commond)),
    );
    await eventually(
      "florin htdocs removed",
      async () => !(await getOrUndefined(florin.client, cm)),
    );
    await eventually(
      "florin updated",
      async () =>
        ((await florin.client.get<KubeObject>(commond)).spec as { replicas: number }).replicas ===
          3,
    );
    const list = await florin.client.list<KubeObject>({
      ...R.deployments,
      namespace: "commonstuff",
    });
    assertEquals(list.items.map((i) => i.metadata?.name), ["commond"], "nothing duplicated");
    assertEquals(envOf(list.items[0]), "env is prod");
    await stop();
    stop = undefined;

    // kcp-lite restart on the same state (the translator restarts with it: new port).
    const florinMailbox = florin.mailbox;
    await hub.stop();
    hub = await startHub({ rootDirectory: dir });
    stop = run(hub);
    const florin2 = hub.admin.withCluster(`root:espw:${florinMailbox}`);
    const wmw2 = hub.admin.withCluster("root:wmw-c");
    try {
      const after = await florin2.list<KubeObject>({ ...R.deployments, namespace: "commonstuff" });
      assertEquals(after.items.map((i) => i.metadata?.name), ["commond"], "nothing lost");
      const cur = await wmw2.get<KubeObject>(commond);
      (cur.spec as { replicas: number }).replicas = 2;
      await wmw2.update(commond, cur);
      await eventually(
        "change after kcp-lite restart",
        async () =>
          ((await florin2.get<KubeObject>(commond)).spec as { replicas: number }).replicas === 2,
      );
      const sc = await florin2.get<KubeObject>({ ...R.syncerConfigs, name: "the-one" });
      assertEquals(
        JSON.stringify((sc.spec as { namespacedObjects: unknown[] }).namespacedObjects),
        JSON.stringify([{
          group: "apps",
          resource: "deployments",
          apiVersion: "v1",
          objectsByNamespace: [{ namespace: "commonstuff", names: ["commond"] }],
        }]),
      );
    } finally {
      florin2.close();
      wmw2.close();
    }
  } finally {
    await stop?.();
    await hub.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("placement translator: bad input is reported, other placements keep working; create-only", async () => {
  const hub = await startHub();
  const lines: string[] = [];
  let stop: (() => Promise<void>) | undefined;
  try {
    const florin = await addLocation(hub, "florin", { "loc-name": "florin", env: "prod" });
    const wmw = await addWmw(hub, "wmw-b");
    const c = wmw.client;
    await ensure(c, R.namespaces, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "ns1" },
    });
    await ensure(c, { ...R.customizers, namespace: "ns1" }, {
      ...customizer("ns1", '"x"'),
      replacements: [{ path: "spec.no-dollar", value: '"x"' }],
    });
    await ensure(
      c,
      { ...R.deployments, namespace: "ns1" },
      deployment("ns1", "web", "web", "example-customizer"),
    );
    const keep = deployment("ns1", "keep", "keep");
    keep.metadata!.annotations = { "edge.kubestellar.io/downsync-overwrite": "false" };
    await ensure(c, { ...R.deployments, namespace: "ns1" }, keep);
    const placement = (name: string, downsync: unknown[]) =>
      ensure(c, R.placements, {
        apiVersion: EDGE_API_VERSION,
        kind: "EdgePlacement",
        metadata: { name },
        spec: { locationSelectors: [{ matchLabels: { env: "prod" } }], downsync },
      });
    await placement("bad", [{ apiGroup: "", resources: ["configmaps"], namespaces: ["missing"] }, {
      apiGroup: "",
      resources: ["widgets"],
    }]);
    await placement("good", [{
      apiGroup: "apps",
      resources: ["deployments"],
      namespaces: ["ns1"],
    }]);
    await putSlice(c, "bad", [florin]);
    await putSlice(c, "good", [florin]);
    stop = run(hub, lines);

    const web = await eventually(
      "good placement works",
      () => getOrUndefined(florin.client, { ...R.deployments, namespace: "ns1", name: "web" }),
    );
    assertEquals(envOf(web), "example value", "a broken replacement is skipped");
    const events = await eventually("events", async () => {
      const list = await c.list<KubeObject>({ ...R.events, namespace: "default" });
      const msgs = list.items.filter((e) => e.reason === "PlacementProblem").map((e) =>
        String(e.message)
      );
      return msgs.length >= 3 ? msgs : undefined;
    });
    assertTrue(events.some((m) => m.includes('namespace "missing", which does not exist')));
    assertTrue(events.some((m) => m.includes('resource "widgets"')));
    assertTrue(events.some((m) => m.includes('must start with "$"')));
    assertTrue(
      lines.some((l) => l.includes("EdgePlacement problem") && l.includes('placement="bad"')),
    );

    // create-only: the first copy stays as created
    const keepRef = { ...R.deployments, namespace: "ns1", name: "keep" };
    await eventually("keep projected", () => getOrUndefined(florin.client, keepRef));
    const src = await c.get<KubeObject>(keepRef);
    (src.spec as { replicas: number }).replicas = 5;
    await c.update(keepRef, src);
    const webRef = { ...R.deployments, namespace: "ns1", name: "web" };
    const w = await c.get<KubeObject>(webRef);
    (w.spec as { replicas: number }).replicas = 4;
    await c.update(webRef, w);
    await eventually(
      "web updated",
      async () =>
        ((await florin.client.get<KubeObject>(webRef)).spec as { replicas: number }).replicas === 4,
    );
    assertEquals(
      ((await florin.client.get<KubeObject>(keepRef)).spec as { replicas: number }).replicas,
      1,
    );

    // a mailbox workspace deleted and re-created (as the mailbox controller does) is refilled
    const espw = hub.admin.withCluster("root:espw");
    await espw.delete({ ...R.workspaces, name: florin.mailbox });
    await eventually(
      "mailbox gone",
      async () => !(await getOrUndefined(espw, { ...R.workspaces, name: florin.mailbox })),
    );
    espw.close();
    await ensureWorkspace(hub.admin, "root:espw", florin.mailbox);
    await ensure(florin.client, R.bindings, edgeApiBinding("bind-edge", "root:espw"));
    await eventually("refilled", () => getOrUndefined(florin.client, webRef));
  } finally {
    await stop?.();
    await hub.stop();
  }
});
