/**
 * End-to-end: the placement translator on kcp-lite with the example1 scenario —
 * projection into mailboxes (customized, with namespaces, CRDs and APIBindings),
 * SyncerConfigs, reported state, and changes and deletions of every input.
 */
import { PlacementTranslator } from "../../lib/controllers/placement/translator.ts";
import { Logger } from "../../lib/log/logger.ts";
import type { KubeObject } from "../../lib/kube/rest_client.ts";
import { assertEquals, assertTrue } from "../support/assert.ts";
import {
  addLocation,
  addWmw,
  type Destination,
  eventually,
  getOrUndefined,
  type Hub,
  putSlice,
  R,
  startHub,
} from "../lib/controllers/placement/translator_fixture.ts";
import { populateWmwC, populateWmwS } from "../lib/controllers/placement/example1_workloads.ts";

/** A translator running in this process. */
export function runTranslator(
  hub: Hub,
  lines: string[] = [],
): { stop(): Promise<void>; t: PlacementTranslator } {
  const abort = new AbortController();
  const t = new PlacementTranslator({
    client: hub.admin,
    log: new Logger("placement-translator", { write: (l) => lines.push(l), verbose: false }),
  });
  const done = t.run(abort.signal);
  return {
    t,
    async stop() {
      abort.abort();
      await done;
    },
  };
}

const cm = (ns: string) => ({ ...R.configmaps, namespace: ns, name: "httpd-htdocs" });
const dep = (ns: string, name: string) => ({ ...R.deployments, namespace: ns, name });
const theOne = { ...R.syncerConfigs, name: "the-one" };

function envOf(d: KubeObject | undefined): string | undefined {
  return (d?.spec as
    | { template: { spec: { containers: { env: { value: string }[] }[] } } }
    | undefined)
    ?.template.spec.containers[0].env[0].value;
}

async function syncerConfig(mb: Destination): Promise<Record<string, unknown> | undefined> {
  return (await getOrUndefined(mb.client, theOne))?.spec as Record<string, unknown> | undefined;
}

function namesIn(spec: Record<string, unknown> | undefined): string[] {
  const out: string[] = [];
  for (
    const e of (spec?.namespacedObjects ?? []) as {
      resource: string;
      objectsByNamespace: { namespace: string; names: string[] }[];
    }[]
  ) {
    for (const g of e.objectsByNamespace) {
      for (const n of g.names) out.push(`${e.resource}:${g.namespace}/${n}`);
    }
  }
  for (const e of (spec?.clusterScope ?? []) as { resource: string; objects: string[] }[]) {
    for (const n of e.objects) out.push(`${e.resource}:${n}`);
  }
  return out.sort();
}

Deno.test("placement translator: example1 projection, changes and deletions", async (t) => {
  const hub = await startHub();
  const lines: string[] = [];
  let pt: { stop(): Promise<void> } | undefined;
  try {
    const florin = await addLocation(hub, "florin", { "loc-name": "florin", env: "prod" });
    const guilder = await addLocation(hub, "guilder", {
      "loc-name": "guilder",
      env: "prod",
      extended: "yes",
    });
    const wmwC = await addWmw(hub, "wmw-c");
    const wmwS = await addWmw(hub, "wmw-s");
    await populateWmwC(wmwC.client, [florin, guilder]);
    await populateWmwS(wmwS.client, [guilder]);
    pt = runTranslator(hub, lines);

    await t.step("both mailboxes get commonstuff, customized per destination", async () => {
      for (const mb of [florin, guilder]) {
        const c = await eventually(
          `htdocs in ${mb.locationName}`,
          () => getOrUndefined(mb.client, cm("commonstuff")),
        );
        assertEquals(
          (c.data as Record<string, string>)["index.html"],
          `This is a common web site. Running in ${mb.locationName}.`,
        );
        assertEquals(c.metadata?.labels?.["edge.kubestellar.io/projected"], "yes");
        const d = await eventually(
          "commond",
          () => getOrUndefined(mb.client, dep("commonstuff", "commond")),
        );
        assertEquals(envOf(d), "env is prod");
        const ns = await getOrUndefined(mb.client, { ...R.namespaces, name: "commonstuff" });
        assertEquals(ns?.metadata?.labels?.["edge.kubestellar.io/projected"], "yes");
        const b = await getOrUndefined(mb.client, { ...R.bindings, name: "bind-kubernetes" });
        assertEquals(
          b?.metadata?.labels?.["edge.kubestellar.io/projected"],
          "yes",
          "implicit definer",
        );
      }
      assertEquals(await getOrUndefined(florin.client, dep("specialstuff", "speciald")), undefined);
    });

    await t.step("guilder also gets specialstuff, the CRD and its object", async () => {
      const d = await eventually(
        "speciald",
        () => getOrUndefined(guilder.client, dep("specialstuff", "speciald")),
      );
      assertEquals(envOf(d), "in prod env");
      const ns = await getOrUndefined(guilder.client, { ...R.namespaces, name: "specialstuff" });
      assertEquals(ns?.metadata?.labels?.special, "yes");
      assertEquals(ns?.metadata?.annotations?.["just-for"], "fun");
      const crd = await getOrUndefined(guilder.client, {
        ...R.crds,
        name: "crontabs.stable.example.com",
      });
      assertTrue(crd, "CRD projected");
      await eventually("crontab", () =>
        getOrUndefined(guilder.client, {
          group: "stable.example.com",
          version: "v1",
          resource: "crontabs",
          namespace: "specialstuff",
          name: "my-new-cron-object",
        }));
    });

    await t.step(
      "SyncerConfigs list exactly the selected objects and the upsync union",
      async () => {
        const f = await eventually("florin the-one", () => syncerConfig(florin));
        assertEquals(namesIn(f), [
          "configmaps:commonstuff/httpd-htdocs",
          "deployments:commonstuff/commond",
        ]);
        assertEquals((f.upsync as unknown[]).length, 2);
        const g = await eventually("guilder the-one complete", async () => {
          const s = await syncerConfig(guilder);
          return namesIn(s).length === 7 ? s : undefined;
        });
        assertEquals(namesIn(g), [
          "configmaps:commonstuff/httpd-htdocs",
          "configmaps:specialstuff/httpd-htdocs",
          "crontabs:specialstuff/my-new-cron-object",
          "customresourcedefinitions:crontabs.stable.example.com",
          "deployments:commonstuff/commond",
          "deployments:specialstuff/speciald",
          "namespaces:specialstuff",
        ]);
        assertEquals((g.upsync as unknown[]).length, 3);
        assertTrue(!JSON.stringify(g).includes("apibindings"), "APIBindings never in SyncerConfig");
      },
    );

    await t.step("executing counts and singleton status return", async () => {
      await eventually(
        "count 2",
        async () =>
          (await wmwC.client.get<KubeObject>(dep("commonstuff", "commond"))).metadata?.annotations
            ?.["kubestellar.io/executing-count"] === "2",
      );
      await eventually(
        "count 1",
        async () =>
          (await wmwS.client.get<KubeObject>(dep("specialstuff", "speciald"))).metadata?.annotations
            ?.["kubestellar.io/executing-count"] === "1",
      );
      await guilder.client.patchStatus(dep("specialstuff", "speciald"), {
        status: { readyReplicas: 1, replicas: 1 },
      }, "merge");
      await eventually(
        "status copied back",
        async () =>
          ((await wmwS.client.get<KubeObject>(dep("specialstuff", "speciald"))).status as {
            readyReplicas?: number;
          })?.readyReplicas === 1,
      );
    });

    await t.step("a source change reaches every mailbox", async () => {
      const cur = await wmwC.client.get<KubeObject>(cm("commonstuff"));
      cur.data = { "index.html": "Changed. Running in %(loc-name)." };
      await wmwC.client.update(cm("commonstuff"), cur);
      for (const mb of [florin, guilder]) {
        await eventually(
          "changed page",
          async () =>
            ((await mb.client.get<KubeObject>(cm("commonstuff"))).data as Record<string, string>)[
              "index.html"
            ] ===
              `Changed. Running in ${mb.locationName}.`,
        );
      }
    });

    await t.step("a Location label change re-customizes its mailbox", async () => {
      const imw = hub.admin.withCluster("root:imw1");
      await imw.patch({ ...R.locations, name: "florin" }, {
        metadata: { labels: { "loc-name": "florin-2" } },
      }, "merge");
      imw.close();
      await eventually(
        "re-expanded",
        async () =>
          ((await florin.client.get<KubeObject>(cm("commonstuff"))).data as Record<string, string>)[
            "index.html"
          ] ===
            "Changed. Running in florin-2.",
      );
    });

    await t.step("Customizer change and deletion", async () => {
      const ref = { ...R.customizers, namespace: "commonstuff", name: "example-customizer" };
      await wmwC.client.patch(ref, {
        replacements: [{
          path: "$.spec.template.spec.containers.0.env.0.value",
          value: '"now %(env)"',
        }],
      }, "merge");
      await eventually(
        "new customization",
        async () =>
          envOf(await getOrUndefined(florin.client, dep("commonstuff", "commond"))) === "now prod",
      );
      await wmwC.client.delete(ref);
      await eventually(
        "uncustomized",
        async () =>
          envOf(await getOrUndefined(florin.client, dep("commonstuff", "commond"))) ===
            "example value",
      );
      await eventually(
        "missing customizer reported",
        () => lines.some((l) => l.includes("does not exist")),
      );
    });

    await t.step(
      "a resource defined later (new CRD) is discovered and projected with its CRD",
      async () => {
        await wmwC.client.create(R.crds, {
          apiVersion: "apiextensions.k8s.io/v1",
          kind: "CustomResourceDefinition",
          metadata: { name: "widgets.example.io" },
          spec: {
            group: "example.io",
            scope: "Namespaced",
            names: { plural: "widgets", singular: "widget", kind: "Widget" },
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
        const widgets = {
          group: "example.io",
          version: "v1",
          resource: "widgets",
          namespace: "commonstuff",
        };
        await eventually("widgets served", () =>
          wmwC.client.create(widgets, {
            apiVersion: "example.io/v1",
            kind: "Widget",
            metadata: { name: "w1", namespace: "commonstuff" },
            spec: { size: 3 },
          }));
        const ep = await wmwC.client.get<KubeObject>({ ...R.placements, name: "edge-placement-c" });
        (ep.spec as { downsync: unknown[] }).downsync.push({
          apiGroup: "example.io",
          resources: ["widgets"],
        });
        await wmwC.client.update({ ...R.placements, name: "edge-placement-c" }, ep);
        await eventually(
          "widget projected",
          () => getOrUndefined(florin.client, { ...widgets, name: "w1" }),
        );
        assertTrue(
          await getOrUndefined(florin.client, { ...R.crds, name: "widgets.example.io" }),
          "its CRD too",
        );
        // and a placement change that drops the test removes it again
        (ep.spec as { downsync: unknown[] }).downsync.pop();
        await wmwC.client.update({ ...R.placements, name: "edge-placement-c" }, {
          ...ep,
          metadata: { ...ep.metadata, resourceVersion: undefined },
        });
        await eventually(
          "widget removed",
          async () => !(await getOrUndefined(florin.client, { ...widgets, name: "w1" })),
        );
        await eventually(
          "CRD removed",
          async () =>
            !(await getOrUndefined(florin.client, { ...R.crds, name: "widgets.example.io" })),
        );
      },
    );

    await t.step("an object that stops matching leaves the mailboxes", async () => {
      await wmwS.client.patch({ ...R.namespaces, name: "specialstuff" }, {
        metadata: { labels: { special: "no" } },
      }, "merge");
      await eventually(
        "speciald gone",
        async () => !(await getOrUndefined(guilder.client, dep("specialstuff", "speciald"))),
      );
      assertTrue(
        await getOrUndefined(guilder.client, { ...R.namespaces, name: "specialstuff" }),
        "namespaces stay",
      );
      await wmwS.client.patch({ ...R.namespaces, name: "specialstuff" }, {
        metadata: { labels: { special: "yes" } },
      }, "merge");
      await eventually(
        "speciald back",
        () => getOrUndefined(guilder.client, dep("specialstuff", "speciald")),
      );
    });

    await t.step(
      "a destination leaving the slice, a source deletion, a placement deletion",
      async () => {
        await putSlice(wmwC.client, "edge-placement-c", [florin]);
        await eventually(
          "commond gone from guilder",
          async () => !(await getOrUndefined(guilder.client, dep("commonstuff", "commond"))),
        );
        assertTrue(
          await getOrUndefined(florin.client, dep("commonstuff", "commond")),
          "florin keeps it",
        );
        await wmwC.client.delete(cm("commonstuff"));
        await eventually(
          "htdocs gone",
          async () => !(await getOrUndefined(florin.client, cm("commonstuff"))),
        );
        await wmwS.client.delete({ ...R.placements, name: "edge-placement-s" });
        await eventually(
          "guilder emptied",
          async () => namesIn(await syncerConfig(guilder)).length === 0,
        );
        assertEquals(
          await getOrUndefined(guilder.client, dep("specialstuff", "speciald")),
          undefined,
        );
        assertEquals(
          await getOrUndefined(guilder.client, { ...R.crds, name: "crontabs.stable.example.com" }),
          undefined,
        );
        assertEquals(namesIn(await syncerConfig(florin)), ["deployments:commonstuff/commond"]);
      },
    );

    await t.step("deleting the slice and every placement never stops the translator", async () => {
      await wmwC.client.delete({ ...R.slices, name: "edge-placement-c" });
      await eventually(
        "florin emptied",
        async () => namesIn(await syncerConfig(florin)).length === 0,
      );
      await wmwC.client.delete({ ...R.placements, name: "edge-placement-c" });
      await putSlice(wmwC.client, "edge-placement-c", [florin]); // a stale slice without placement
      await new Promise((r) => setTimeout(r, 100));
      assertEquals(await getOrUndefined(florin.client, dep("commonstuff", "commond")), undefined);
    });
  } finally {
    await pt?.stop();
    await hub.stop();
  }
});
