// deno-lint-ignore-file no-explicit-any
import { denaturedOf } from "../../../lib/denature/denatured_kinds.ts";
import { toDenatured, toNatured } from "../../../lib/edgeview/view_bodies.ts";
import { BadPathError, mapViewPath } from "../../../lib/edgeview/view_path.ts";
import { isGroupListPath } from "../../../lib/edgeview/view_discovery.ts";
import { assertEquals, assertTrue } from "../../support/assert.ts";

const RBAC = "rbac.authorization.k8s.io";

Deno.test("view paths: natured paths of the denatured kinds map, everything else passes", () => {
  const m = mapViewPath(`/clusters/root:wmw1/apis/${RBAC}/v1/namespaces/ns/rolebindings/rb`)!;
  assertEquals(
    m.upstreamPath,
    "/clusters/root:wmw1/apis/denatured.kubestellar.io/v1/namespaces/ns/rolebindings/rb",
  );
  assertEquals([m.kind.kind, m.version, m.name, m.subresource], [
    "RoleBinding",
    "v1",
    "rb",
    undefined,
  ]);
  assertEquals(
    mapViewPath("/api/v1/namespaces/ns/resourcequotas/q/status")?.upstreamPath,
    "/apis/denatured.kubestellar.io/v1/namespaces/ns/resourcequotas/q/status",
  );
  assertEquals(
    mapViewPath("/clusters/root:w/api/v1/watch/namespaces/ns/serviceaccounts")?.upstreamPath,
    "/clusters/root:w/apis/denatured.kubestellar.io/v1/watch/namespaces/ns/serviceaccounts",
  );
  assertEquals(
    mapViewPath("/apis/flowcontrol.apiserver.k8s.io/v1beta2/flowschemas")?.version,
    "v1beta2",
  );
  for (
    const p of [
      "/api/v1/namespaces/ns/configmaps",
      "/api/v1/namespaces/rolebindings",
      "/api/v1/namespaces/ns/status",
      "/apis/apps/v1/deployments",
      "/apis",
      "/version",
      "/clusters/root:w/apis/denatured.kubestellar.io/v1/rolebindings",
    ]
  ) assertEquals(mapViewPath(p), undefined, p);
  for (const p of ["/api/v1/../v1/serviceaccounts", "/api//v1", "/apis/x/v1/a%2Fb"]) {
    let thrown: unknown;
    try {
      mapViewPath(p);
    } catch (e) {
      thrown = e;
    }
    assertTrue(thrown instanceof BadPathError, p);
  }
  assertEquals([isGroupListPath("/clusters/root:w/apis"), isGroupListPath("/apis/apps")], [
    true,
    false,
  ]);
});

Deno.test("view bodies: apiVersion both ways, lists, Tables, watch events, Statuses", () => {
  const kind = denaturedOf(RBAC, "rolebindings")!;
  assertEquals(toDenatured({ apiVersion: `${RBAC}/v1`, kind: "RoleBinding" }, kind), {
    apiVersion: "denatured.kubestellar.io/v1",
    kind: "RoleBinding",
  });
  const opts = { apiVersion: "v1", kind: "DeleteOptions" };
  assertEquals(toDenatured({ ...opts }, kind), opts);
  const den = "denatured.kubestellar.io/v1";
  const list = toNatured(
    {
      apiVersion: den,
      kind: "RoleBindingList",
      items: [{
        apiVersion: den,
        kind: "RoleBinding",
        metadata: { managedFields: [{ apiVersion: den }] },
      }],
    },
    kind,
    "v1",
  ) as Record<string, any>;
  assertEquals(list.apiVersion, `${RBAC}/v1`);
  assertEquals(list.items[0].apiVersion, `${RBAC}/v1`);
  assertEquals(list.items[0].metadata.managedFields[0].apiVersion, `${RBAC}/v1`);
  const table = toNatured({ kind: "Table", rows: [{ object: { apiVersion: den } }] }, kind, "v1");
  assertEquals((table as any).rows[0].object.apiVersion, `${RBAC}/v1`);
  const ev = toNatured(
    { type: "ADDED", object: { apiVersion: den, kind: "RoleBinding" } },
    kind,
    "v1",
  );
  assertEquals((ev as any).object.apiVersion, `${RBAC}/v1`);
  const status = toNatured(
    {
      kind: "Status",
      message: 'rolebindings.denatured.kubestellar.io "x" not found',
      details: { group: "denatured.kubestellar.io", kind: "rolebindings" },
    },
    kind,
    "v1",
  ) as any;
  assertEquals(status.message, 'rolebindings.rbac.authorization.k8s.io "x" not found');
  assertEquals(status.details.group, RBAC);
  const sa = denaturedOf("", "serviceaccounts")!;
  assertEquals(
    (toNatured({ apiVersion: den, kind: "ServiceAccount" }, sa, "v1") as any).apiVersion,
    "v1",
  );
});
