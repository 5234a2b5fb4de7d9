import type { KubeObject } from "../../../lib/kube/rest_client.ts";
import type { ObjectApi } from "../../../lib/syncer/object_api.ts";
import {
  renaturingListWatch,
  renaturingObjectApi,
  wecResourceOf,
} from "../../../lib/syncer/renaturing.ts";
import type { ResourceId } from "../../../lib/syncer/sync_plan.ts";
import { assertEquals } from "../../support/assert.ts";

const DENATURED_RB: ResourceId = {
  group: "denatured.kubestellar.io",
  version: "v1",
  resource: "rolebindings",
};
const RB: ResourceId = {
  group: "rbac.authorization.k8s.io",
  version: "v1",
  resource: "rolebindings",
};
const CM: ResourceId = { group: "", version: "v1", resource: "configmaps" };

Deno.test("renaturing: the WEC side of a denatured resource is the natured one", async () => {
  assertEquals(wecResourceOf(DENATURED_RB), RB);
  assertEquals(wecResourceOf(CM), CM);
  const calls: Array<[string, ResourceId, KubeObject | undefined]> = [];
  const stored = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: "rb" },
  };
  const inner: ObjectApi = {
    get: (id) => (calls.push(["get", id, undefined]), Promise.resolve(stored)),
    create: (id, _ns, o) => (calls.push(["create", id, o]), Promise.resolve(o)),
    update: (id, _ns, o) => (calls.push(["update", id, o]), Promise.resolve(o)),
    updateStatus: (id, _ns, o) => (calls.push(["status", id, o]), Promise.resolve(o)),
    delete: (id) => (calls.push(["delete", id, undefined]), Promise.resolve()),
  };
  const wec = renaturingObjectApi(inner);
  const denatured = { ...stored, apiVersion: "denatured.kubestellar.io/v1" };
  assertEquals(await wec.get(DENATURED_RB, "ns", "rb"), denatured);
  assertEquals(await wec.create(DENATURED_RB, "ns", denatured), denatured);
  assertEquals(calls[1], ["create", RB, stored]);
  await wec.delete(DENATURED_RB, "ns", "rb");
  assertEquals(calls[2][1], RB);
  await wec.create(CM, "ns", { apiVersion: "v1", kind: "ConfigMap" });
  assertEquals(calls[3], ["create", CM, { apiVersion: "v1", kind: "ConfigMap" }]);

  let watched: ResourceId | undefined;
  const lw = renaturingListWatch(DENATURED_RB, (id) => {
    watched = id;
    return {
      list: () => Promise.resolve({ items: [stored], resourceVersion: "1" }),
      async *watch() {
        yield { type: "ADDED" as const, object: stored };
      },
    };
  });
  assertEquals(watched, RB);
  const signal = new AbortController().signal;
  assertEquals((await lw.list(signal)).items, [denatured]);
  for await (const ev of lw.watch("1", signal)) assertEquals(ev.object, denatured);
});
