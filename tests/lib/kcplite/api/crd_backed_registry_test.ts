import { assertEquals, assertTrue } from "../../../support/assert.ts";
import { kcpModeBuiltins } from "../../../../lib/kcplite/api/builtin_catalogs.ts";
import {
  CRD_STORAGE_RESOURCE,
  CrdBackedRegistry,
} from "../../../../lib/kcplite/api/crd_backed_registry.ts";
import {
  type CustomResourceDefinition,
  establishCrd,
} from "../../../../lib/kcplite/api/crd_conversion.ts";
import type { ResourceDef } from "../../../../lib/kcplite/api/resource_def.ts";
import type {
  ListScope,
  ObjectKey,
  ObjectStore,
  StoreEvent,
} from "../../../../lib/kcplite/store/object_store.ts";
import type { KubeObject } from "../../../../lib/kube/rest_client.ts";
import { widgetCrd } from "./crd_fixture.ts";
import {
  apiResourceSchemaToResourceDefs,
  resourceDefToApiResourceSchema,
} from "../../../../lib/kcplite/api/api_resource_schema.ts";
import { kubeModeBuiltins } from "../../../../lib/kcplite/api/builtin_catalogs.ts";

/** Just enough of an ObjectStore: a map, list and synchronous watches. */
class TinyStore {
  objects = new Map<string, { key: ObjectKey; object: KubeObject }>();
  listeners: { scope: ListScope; fn: (e: StoreEvent) => void; on: boolean }[] = [];
  rv = 0;
  lists = 0;
  #k(k: ObjectKey) {
    return `${k.cluster}|${k.resource}|${k.namespace}|${k.name}`;
  }
  list(scope: ListScope) {
    this.lists++;
    const items = [...this.objects.values()].filter((o) =>
      o.key.resource === scope.resource &&
      (scope.cluster === undefined || o.key.cluster === scope.cluster)
    ).map((o) => structuredClone(o.object));
    return { items, resourceVersion: this.rv };
  }
  #emit(type: StoreEvent["type"], key: ObjectKey, object: KubeObject) {
    for (const l of this.listeners) {
      if (
        l.on && l.scope.resource === key.resource &&
        (l.scope.cluster ?? key.cluster) === key.cluster
      ) {
        l.fn({ type, key, object, resourceVersion: this.rv });
      }
    }
  }
  put(key: ObjectKey, object: KubeObject) {
    const existed = this.objects.has(this.#k(key));
    this.rv++;
    this.objects.set(this.#k(key), { key, object });
    this.#emit(existed ? "MODIFIED" : "ADDED", key, object);
  }
  remove(key: ObjectKey) {
    const o = this.objects.get(this.#k(key))!;
    this.rv++;
    this.objects.delete(this.#k(key));
    this.#emit("DELETED", key, o.object);
  }
  watch(scope: ListScope, _from: number | undefined, fn: (e: StoreEvent) => void) {
    const l = { scope, fn, on: true };
    this.listeners.push(l);
    return { stop: () => (l.on = false) };
  }
}

const crdKey = (cluster: string, name: string): ObjectKey => ({
  cluster,
  resource: CRD_STORAGE_RESOURCE,
  namespace: "",
  name,
});

/** A namespaced CRD `<plural>.<group>` with one served and stored version, v1. */
function v1Crd(group: string, plural: string, kind: string): CustomResourceDefinition {
  return {
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      names: { plural, kind },
      scope: "Namespaced",
      versions: [{
        name: "v1",
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: "object" } },
      }],
    },
  };
}

Deno.test("established CRDs of the cluster are served and follow store writes", () => {
  const store = new TinyStore();
  const reg = new CrdBackedRegistry(store as unknown as ObjectStore, "c1", kcpModeBuiltins());
  try {
    assertEquals(reg.lookup("example.com", "v1", "widgets"), undefined);
    store.put(crdKey("c1", "widgets.example.com"), widgetCrd()); // not established yet
    assertEquals(reg.lookup("example.com", "v1", "widgets"), undefined);
    store.put(crdKey("c1", "widgets.example.com"), establishCrd(widgetCrd()));
    assertEquals(reg.lookup("example.com", "v1", "widgets")?.source, "crd");
    assertEquals(reg.lookupKind("example.com", "v1beta1", "Widget")?.resource, "widgets");
    // cached: no relist without writes
    const lists = store.lists;
    reg.all();
    reg.lookup("", "v1", "configmaps");
    assertEquals(store.lists, lists);
    // other clusters' CRDs are invisible
    store.put(
      crdKey("c2", "gadgets.example.com"),
      establishCrd({
        ...widgetCrd(),
        metadata: { name: "gadgets.example.com" },
        spec: { ...widgetCrd().spec, names: { plural: "gadgets", kind: "Gadget" } },
      }),
    );
    assertEquals(reg.lookup("example.com", "v1", "gadgets"), undefined);
    store.remove(crdKey("c1", "widgets.example.com"));
    assertEquals(reg.lookup("example.com", "v1", "widgets"), undefined);
  } finally {
    reg.close();
  }
  assertTrue(!store.listeners[0].on, "close stops the watch");
});

Deno.test("built-ins win over bound resources, which win over CRDs", () => {
  const store = new TinyStore();
  const deployDef = kubeModeBuiltins().find((d) => d.resource === "deployments")!;
  let bound: ResourceDef[] = [];
  const reg = new CrdBackedRegistry(
    store as unknown as ObjectStore,
    "c1",
    kcpModeBuiltins(),
    () => bound,
  );
  try {
    // a CRD for apps/deployments is served while nothing else provides it
    const deployCrd = establishCrd(v1Crd("apps", "deployments", "Deployment"));
    store.put(crdKey("c1", "deployments.apps"), deployCrd);
    assertEquals(reg.lookup("apps", "v1", "deployments")?.source, "crd");
    bound = apiResourceSchemaToResourceDefs(
      resourceDefToApiResourceSchema(deployDef, "v124"),
      "id1",
    );
    assertEquals(reg.lookup("apps", "v1", "deployments")?.source, "binding");
    assertEquals(reg.shadowingDef(deployCrd)?.source, "binding");
    // a CRD shadowing a built-in (configmaps) is never served
    const cmCrd = establishCrd(v1Crd("", "configmaps", "Fake"));
    store.put(crdKey("c1", "configmaps."), cmCrd);
    assertEquals(reg.lookup("", "v1", "configmaps")?.kind, "ConfigMap");
    assertEquals(reg.lookupKind("", "v1", "Fake"), undefined);
    assertEquals(reg.shadowingDef(cmCrd)?.source, "builtin");
  } finally {
    reg.close();
  }
});
