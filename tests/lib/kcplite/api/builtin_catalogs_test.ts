import { assertEquals, assertTrue } from "../../../support/assert.ts";
import { kcpModeBuiltins, kubeModeBuiltins } from "../../../../lib/kcplite/api/builtin_catalogs.ts";
import { kcpDefaultRootExports } from "../../../../lib/kcplite/api/kcp_catalog.ts";
import { StaticRegistry } from "../../../../lib/kcplite/api/static_registry.ts";
import { compareVersionPriority } from "../../../../lib/kcplite/api/builtin_def.ts";

Deno.test("kube mode serves the plain Kubernetes kinds with kubectl's short names", () => {
  const reg = new StaticRegistry(kubeModeBuiltins());
  const expectShort: [string, string, string, string][] = [
    ["", "v1", "configmaps", "cm"],
    ["", "v1", "namespaces", "ns"],
    ["", "v1", "serviceaccounts", "sa"],
    ["", "v1", "services", "svc"],
    ["", "v1", "pods", "po"],
    ["apps", "v1", "deployments", "deploy"],
    ["apps", "v1", "statefulsets", "sts"],
    ["apiextensions.k8s.io", "v1", "customresourcedefinitions", "crd"],
    ["networking.k8s.io", "v1", "ingresses", "ing"],
    ["autoscaling", "v2", "horizontalpodautoscalers", "hpa"],
    ["policy", "v1", "poddisruptionbudgets", "pdb"],
  ];
  for (const [g, v, r, short] of expectShort) {
    const def = reg.lookup(g, v, r);
    assertTrue(def, `${g}/${v}/${r} served`);
    assertTrue(def.shortNames.includes(short), `${r} has short name ${short}`);
    assertEquals(def.source, "builtin");
    assertEquals(def.storageResource, `${g}/${r}`);
  }
  for (
    const r of [
      "endpoints",
      "events",
      "limitranges",
      "resourcequotas",
      "persistentvolumeclaims",
      "persistentvolumes",
      "nodes",
      "replicationcontrollers",
      "secrets",
    ]
  ) assertTrue(reg.lookup("", "v1", r), r);
  for (
    const [g, r] of [
      ["apps", "replicasets"],
      ["apps", "daemonsets"],
      ["apps", "controllerrevisions"],
      ["batch", "jobs"],
      ["batch", "cronjobs"],
      ["rbac.authorization.k8s.io", "clusterroles"],
      ["rbac.authorization.k8s.io", "clusterrolebindings"],
      ["rbac.authorization.k8s.io", "roles"],
      ["rbac.authorization.k8s.io", "rolebindings"],
      ["networking.k8s.io", "ingressclasses"],
      ["networking.k8s.io", "networkpolicies"],
      ["coordination.k8s.io", "leases"],
      ["events.k8s.io", "events"],
      ["admissionregistration.k8s.io", "mutatingwebhookconfigurations"],
      ["admissionregistration.k8s.io", "validatingwebhookconfigurations"],
      ["storage.k8s.io", "storageclasses"],
      ["scheduling.k8s.io", "priorityclasses"],
      ["authorization.k8s.io", "selfsubjectaccessreviews"],
    ]
  ) assertTrue(reg.lookup(g, "v1", r), `${g}/${r}`);
  assertEquals(reg.lookup("", "v1", "namespaces")?.namespaced, false);
  assertEquals(reg.lookup("", "v1", "configmaps")?.namespaced, true);
  assertEquals(reg.lookup("authorization.k8s.io", "v1", "selfsubjectaccessreviews")?.verbs, [
    "create",
  ]);
  const deploy = reg.lookupKind("apps", "v1", "Deployment");
  assertEquals(deploy?.subresources, { status: true, scale: true });
  assertEquals(deploy?.categories, ["all"]);
  assertEquals(deploy?.listKind, "DeploymentList");
  assertEquals(deploy?.singularName, "deployment");
  assertEquals(reg.lookup("", "v1", "endpoints")?.singularName, "endpoints");
  const schema = reg.lookup("", "v1", "configmaps")?.schema as Record<string, unknown>;
  assertEquals(schema["x-kubernetes-group-version-kind"], [
    { group: "", version: "v1", kind: "ConfigMap" },
  ]);
});

Deno.test("kube mode: every group/version/plural and kind appears once", () => {
  const defs = kubeModeBuiltins();
  const keys = new Set(defs.map((d) => `${d.group}/${d.version}/${d.resource}`));
  assertEquals(keys.size, defs.length);
  assertEquals(defs[0].group, "");
  const groups = defs.map((d) => d.group).filter((g) => g !== "");
  assertEquals(groups, [...groups].sort());
});

Deno.test("kcp mode serves the generic control plane and kcp kinds, no workloads", () => {
  const reg = new StaticRegistry(kcpModeBuiltins());
  for (const r of ["pods", "services", "endpoints", "nodes", "persistentvolumes"]) {
    assertEquals(reg.lookup("", "v1", r), undefined, r);
  }
  assertEquals(reg.lookup("apps", "v1", "deployments"), undefined);
  assertEquals(reg.lookup("networking.k8s.io", "v1", "ingresses"), undefined);
  for (const r of ["configmaps", "secrets", "namespaces", "serviceaccounts", "events"]) {
    assertTrue(reg.lookup("", "v1", r), r);
  }
  for (
    const [g, r] of [
      ["tenancy.kcp.io", "workspaces"],
      ["tenancy.kcp.io", "workspacetypes"],
      ["core.kcp.io", "logicalclusters"],
      ["core.kcp.io", "shards"],
      ["apis.kcp.io", "apiresourceschemas"],
      ["apis.kcp.io", "apiexports"],
      ["apis.kcp.io", "apibindings"],
      ["apis.kcp.io", "apiexportendpointslices"],
      ["scheduling.kcp.io", "locations"],
      ["scheduling.kcp.io", "placements"],
      ["workload.kcp.io", "synctargets"],
      ["apiresource.kcp.io", "negotiatedapiresources"],
      ["topology.kcp.io", "partitions"],
      ["rbac.authorization.k8s.io", "clusterroles"],
      ["apiextensions.k8s.io", "customresourcedefinitions"],
      ["coordination.k8s.io", "leases"],
    ]
  ) assertTrue(reg.lookup(g, "v1alpha1", r) ?? reg.lookup(g, "v1", r), `${g}/${r}`);
  const ws = reg.lookup("tenancy.kcp.io", "v1alpha1", "workspaces");
  assertEquals(ws?.shortNames, ["ws"]);
  assertEquals(ws?.namespaced, false);
  assertEquals(ws?.categories, ["kcp"]);
  assertEquals(ws?.printerColumns?.map((c) => c.name), ["Type", "Region", "Phase", "URL", "Age"]);
});

Deno.test("kcp mode options drop shards and the default-bound groups", () => {
  const reg = new StaticRegistry(kcpModeBuiltins({ shards: false, defaultBoundGroups: false }));
  assertEquals(reg.lookup("core.kcp.io", "v1alpha1", "shards"), undefined);
  assertEquals(reg.lookup("tenancy.kcp.io", "v1alpha1", "workspaces"), undefined);
  assertTrue(reg.lookup("core.kcp.io", "v1alpha1", "logicalclusters"));
  assertEquals(kcpDefaultRootExports().map((e) => e.exportName), [
    "tenancy.kcp.io",
    "scheduling.kcp.io",
    "workload.kcp.io",
    "apiresource.kcp.io",
    "topology.kcp.io",
  ]);
});

Deno.test("version priority: GA, then beta, then alpha, higher numbers first", () => {
  const sorted = ["v1alpha1", "v2beta1", "v1", "foo", "v1beta2", "v2", "v1beta1"].sort(
    compareVersionPriority,
  );
  assertEquals(sorted, ["v2", "v1", "v2beta1", "v1beta2", "v1beta1", "v1alpha1", "foo"]);
});

Deno.test("StaticRegistry keeps the first definition of a resource", () => {
  const defs = kubeModeBuiltins();
  const cm = defs.find((d) => d.resource === "configmaps")!;
  const shadow = { ...cm, kind: "Other", source: "crd" as const };
  const reg = new StaticRegistry([cm, shadow]);
  assertEquals(reg.all().length, 1);
  assertEquals(reg.lookup("", "v1", "configmaps")?.kind, "ConfigMap");
  assertEquals(reg.lookupKind("", "v1", "Other"), undefined);
});

Deno.test("kube mode stores APIServices (cluster-scoped, status subresource); kcp mode does not serve them", () => {
  const kube = new StaticRegistry(kubeModeBuiltins());
  const def = kube.lookup("apiregistration.k8s.io", "v1", "apiservices");
  assertTrue(def, "apiservices served in kube mode");
  assertEquals([def!.kind, def!.namespaced, def!.subresources.status], ["APIService", false, true]);
  assertEquals(
    kube.lookupKind("apiregistration.k8s.io", "v1", "APIService")?.resource,
    "apiservices",
  );
  const kcp = new StaticRegistry(kcpModeBuiltins());
  assertEquals(kcp.lookup("apiregistration.k8s.io", "v1", "apiservices"), undefined);
});
