import { assertEquals } from "../../../support/assert.ts";
import { kcpModeBuiltins, kubeModeBuiltins } from "../../../../lib/kcplite/api/builtin_catalogs.ts";
import { parseIncludeObject, toTable } from "../../../../lib/kcplite/api/table.ts";
import { humanDuration } from "../../../../lib/kcplite/api/builtin_printers.ts";
import { readJsonPath } from "../../../../lib/kcplite/api/printer_jsonpath.ts";
import { crdToResourceDefs } from "../../../../lib/kcplite/api/crd_conversion.ts";
import { widgetCrd } from "./crd_fixture.ts";

const now = new Date("2026-01-01T12:00:00Z");
const kube = kubeModeBuiltins();
const kcp = kcpModeBuiltins();
const def = (defs: typeof kube, g: string, r: string) =>
  defs.find((d) => d.group === g && d.resource === r)!;
const names = (t: { columnDefinitions: { name: string }[] }) =>
  t.columnDefinitions.map((c) => c.name);

Deno.test("human durations follow kubectl's rounding", () => {
  const s = 1000, m = 60 * s, h = 60 * m, d = 24 * h;
  assertEquals(humanDuration(45 * s), "45s");
  assertEquals(humanDuration(119 * s), "119s");
  assertEquals(humanDuration(5 * m + 10 * s), "5m10s");
  assertEquals(humanDuration(5 * m), "5m");
  assertEquals(humanDuration(95 * m), "95m");
  assertEquals(humanDuration(3 * h + 20 * m), "3h20m");
  assertEquals(humanDuration(30 * h), "30h");
  assertEquals(humanDuration(4 * d + 2 * h), "4d2h");
  assertEquals(humanDuration(100 * d), "100d");
  assertEquals(humanDuration(3 * 365 * d + 30 * d), "3y30d");
  assertEquals(humanDuration(-500), "0s");
});

Deno.test("deployments print READY, UP-TO-DATE, AVAILABLE, AGE", () => {
  const t = toTable(def(kube, "apps", "deployments"), [{
    metadata: { name: "web", namespace: "d", creationTimestamp: "2026-01-01T11:55:00Z" },
    spec: { replicas: 3 },
    status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  }], { now, resourceVersion: "42" });
  assertEquals(t.kind, "Table");
  assertEquals(t.apiVersion, "meta.k8s.io/v1");
  assertEquals(t.metadata, { resourceVersion: "42" });
  assertEquals(names(t), ["Name", "Ready", "Up-to-date", "Available", "Age"]);
  assertEquals(t.columnDefinitions[0].format, "name");
  assertEquals(t.rows[0].cells, ["web", "2/3", 3, 2, "5m"]);
  assertEquals(t.rows[0].object, {
    kind: "PartialObjectMetadata",
    apiVersion: "meta.k8s.io/v1",
    metadata: { name: "web", namespace: "d", creationTimestamp: "2026-01-01T11:55:00Z" },
  });
});

Deno.test("namespaces print STATUS; unknown kinds print NAME, AGE", () => {
  const ns = toTable(def(kube, "", "namespaces"), [
    {
      metadata: { name: "default", creationTimestamp: "2025-12-01T12:00:00Z" },
      status: { phase: "Active" },
    },
  ], { now });
  assertEquals(names(ns), ["Name", "Status", "Age"]);
  assertEquals(ns.rows[0].cells, ["default", "Active", "31d"]);
  const lease = toTable(def(kube, "networking.k8s.io", "networkpolicies"), [
    { metadata: { name: "np", creationTimestamp: "2026-01-01T11:59:30Z" } },
  ], { now });
  assertEquals(names(lease), ["Name", "Age"]);
  assertEquals(lease.rows[0].cells, ["np", "30s"]);
});

Deno.test("workspaces print TYPE, REGION, PHASE, URL, AGE like kcp", () => {
  const t = toTable(def(kcp, "tenancy.kcp.io", "workspaces"), [{
    metadata: {
      name: "espw",
      creationTimestamp: "2026-01-01T10:00:00Z",
      labels: { "tenancy.kcp.io/phase": "Ready" },
    },
    spec: { type: { name: "organization", path: "root" }, URL: "https://h:6443/clusters/abc" },
  }], { now, includeObject: "None" });
  assertEquals(names(t), ["Name", "Type", "Region", "Phase", "URL", "Age"]);
  assertEquals(t.rows[0].cells, [
    "espw",
    "organization",
    null,
    "Ready",
    "https://h:6443/clusters/abc",
    "120m",
  ]);
  assertEquals(t.rows[0].object, undefined);
});

Deno.test("CRDs print their additionalPrinterColumns; includeObject=Object carries the object", () => {
  const [v1, v1beta1] = crdToResourceDefs(widgetCrd());
  const w = {
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name: "w1", creationTimestamp: "2026-01-01T11:00:00Z" },
    spec: { size: 4 },
  };
  const t = toTable(v1, [w], { now, includeObject: "Object" });
  assertEquals(names(t), ["Name", "Size"]);
  assertEquals(t.rows[0].cells, ["w1", 4]);
  assertEquals(t.rows[0].object, w);
  const plain = toTable(v1beta1, [w], { now });
  assertEquals(names(plain), ["Name", "Age"]);
  assertEquals(plain.rows[0].cells, ["w1", "60m"]);
  assertEquals(parseIncludeObject(null), "Metadata");
  assertEquals(parseIncludeObject("Object"), "Object");
  assertEquals(parseIncludeObject("All"), undefined);
});

Deno.test("printer JSONPaths: escaped dots, quoted members, indices, wildcards", () => {
  const o = { metadata: { labels: { "tenancy.kcp.io/phase": "Ready" } }, a: [{ b: 1 }, { b: 2 }] };
  assertEquals(readJsonPath(o, ".metadata.labels['tenancy\\.kcp\\.io/phase']"), ["Ready"]);
  assertEquals(readJsonPath(o, ".metadata.labels.tenancy\\.kcp\\.io/phase"), ["Ready"]);
  assertEquals(readJsonPath(o, '{.metadata.labels["tenancy.kcp.io/phase"]}'), ["Ready"]);
  assertEquals(readJsonPath(o, ".a[1].b"), [2]);
  assertEquals(readJsonPath(o, ".a[-1].b"), [2]);
  assertEquals(readJsonPath(o, ".a[*].b"), [1, 2]);
  assertEquals(readJsonPath(o, ".missing.x"), []);
  assertEquals(readJsonPath(o, ".a[oops"), []);
});

Deno.test("events print LAST SEEN, TYPE, REASON, OBJECT, MESSAGE with NAME only in wide", () => {
  const t = toTable(def(kube, "", "events"), [{
    metadata: { name: "web.1", namespace: "d" },
    involvedObject: { kind: "Pod", name: "web-1" },
    reason: "Scheduled",
    message: "assigned",
    type: "Normal",
    lastTimestamp: "2026-01-01T11:59:00Z",
  }], { now });
  assertEquals(names(t), ["Last Seen", "Type", "Reason", "Object", "Message", "Name"]);
  assertEquals(t.columnDefinitions[5].priority, 1);
  assertEquals(t.rows[0].cells, ["60s", "Normal", "Scheduled", "pod/web-1", "assigned", "web.1"]);
});
