import { assertEquals, assertTrue } from "../../../support/assert.ts";
import { kubeModeBuiltins } from "../../../../lib/kcplite/api/builtin_catalogs.ts";
import { StaticRegistry } from "../../../../lib/kcplite/api/static_registry.ts";
import {
  openApiFor,
  prepareCrd,
  tableFor,
  validateForWrite,
} from "../../../../lib/kcplite/api/server_hooks.ts";
import { isCrdEstablished } from "../../../../lib/kcplite/api/crd_conversion.ts";
import type { KubeObject } from "../../../../lib/kube/rest_client.ts";
import { widgetCrd } from "./crd_fixture.ts";

const registry = new StaticRegistry(kubeModeBuiltins());
const def = (r: string) => registry.all().find((d) => d.resource === r)!;

Deno.test("openApiFor serves the index and group-version documents by path", () => {
  const index = openApiFor("/openapi/v3", registry)!;
  assertEquals(index.contentType, "application/json");
  const url = (index.body as { paths: Record<string, { serverRelativeURL: string }> })
    .paths["apis/apps/v1"].serverRelativeURL;
  const doc = openApiFor(url, registry)!;
  assertTrue((doc.body as { paths: Record<string, unknown> }).paths);
  assertTrue(openApiFor("/openapi/v3/api/v1", registry));
  assertEquals(openApiFor("/openapi/v3/apis/nope/v1", registry), undefined);
  assertEquals(openApiFor("/openapi/v2", registry), undefined);
});

Deno.test("validateForWrite prunes in place and reports unknown fields only when strict", () => {
  const cm: KubeObject = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "x" },
    datas: {},
  };
  assertEquals(validateForWrite(def("configmaps"), structuredClone(cm), false), []);
  const strict = structuredClone(cm);
  assertEquals(validateForWrite(def("configmaps"), strict, true).map((c) => c.field), ["datas"]);
  assertEquals(strict, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } });
  const pod: KubeObject = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p" },
    spec: {
      nodeName: "n1",
      restartPolicy: "Always",
      containers: [{ name: "c", image: "busybox", command: ["sh"], resources: {} }],
      volumes: [{ name: "v", emptyDir: {} }],
    },
  };
  const kept = structuredClone(pod);
  assertEquals(validateForWrite(def("pods"), kept, true), []);
  assertEquals(kept, pod);
  const badPod = structuredClone(pod);
  (badPod.spec as { containers: { image: unknown }[] }).containers[0].image = 5;
  assertEquals(validateForWrite(def("pods"), badPod, false).map((c) => c.field), [
    "spec.containers[0].image",
  ]);
});

Deno.test("prepareCrd establishes a valid CRD in place and reports an invalid one", () => {
  const crd = widgetCrd() as KubeObject;
  assertEquals(prepareCrd(crd), []);
  assertTrue(isCrdEstablished(crd as ReturnType<typeof widgetCrd>));
  const bad = widgetCrd() as KubeObject;
  (bad.spec as { group: string }).group = "nodot";
  const causes = prepareCrd(bad);
  assertTrue(causes.some((c) => c.field === "spec.group"));
  assertEquals(bad.status, undefined);
});

Deno.test("tableFor gives a Table", () => {
  const t = tableFor(def("namespaces"), [{ metadata: { name: "default" } }]);
  assertEquals(t.kind, "Table");
});
