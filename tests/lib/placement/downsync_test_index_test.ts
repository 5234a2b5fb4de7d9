import { DownsyncTestIndex } from "../../../lib/placement/downsync_test_index.ts";
import { assertEquals } from "../../support/assert.ts";

const sorted = (s: Set<string>) => [...s].sort();

Deno.test("downsync test index: group, resource, namespace and name narrow the candidates", () => {
  const index = new DownsyncTestIndex();
  index.put("w|cm-ns1", [{ apiGroup: "", resources: ["configmaps"], namespaces: ["ns1"] }]);
  index.put("w|named", [{ apiGroup: "", resources: ["configmaps"], objectNames: ["a", "b"] }]);
  index.put("w|any-group", [{ resources: ["deployments"] }]);
  index.put("w|everything", [{ resources: ["*"], namespaces: ["*"] }]);
  index.put("w|apps", [{ apiGroup: "apps", namespaces: ["ns2"], labelSelectors: [{}] }]);
  assertEquals(sorted(index.candidates("", "configmaps", "ns1", "x")), [
    "w|cm-ns1",
    "w|everything",
  ]);
  assertEquals(sorted(index.candidates("", "configmaps", "ns2", "a")), ["w|everything", "w|named"]);
  assertEquals(sorted(index.candidates("apps", "deployments", "ns2", "d")), [
    "w|any-group",
    "w|apps",
    "w|everything",
  ]);
  assertEquals(sorted(index.candidates("apps", "deployments", "ns3", "d")), [
    "w|any-group",
    "w|everything",
  ]);
  assertEquals(sorted(index.candidates("", "namespaces", "", "ns1")), ["w|everything"]);
  index.remove("w|everything");
  assertEquals(sorted(index.candidates("", "secrets", "ns1", "s")), []);
  index.put("w|named", [{ apiGroup: "", resources: ["configmaps"], objectNames: ["c"] }]);
  assertEquals(sorted(index.candidates("", "configmaps", "ns9", "a")), [], "re-filed, not added");
  assertEquals(sorted(index.candidates("", "configmaps", "ns9", "c")), ["w|named"]);
  assertEquals(index.size, 4);
});

Deno.test("downsync test index: a test naming the natured group finds denatured objects", () => {
  const index = new DownsyncTestIndex();
  index.put("w|rbac", [{ apiGroup: "rbac.authorization.k8s.io", resources: ["rolebindings"] }]);
  index.put("w|cm", [{ apiGroup: "", resources: ["configmaps"] }]);
  assertEquals(sorted(index.candidates("denatured.kubestellar.io", "rolebindings", "ns", "rb")), [
    "w|rbac",
  ]);
  assertEquals(sorted(index.candidates("rbac.authorization.k8s.io", "rolebindings", "ns", "rb")), [
    "w|rbac",
  ]);
  assertEquals(sorted(index.candidates("denatured.kubestellar.io", "roles", "ns", "r")), []);
});
