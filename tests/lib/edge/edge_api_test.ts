import { mailboxName, parseMailboxName } from "../../../lib/edge/api_types.ts";
import { edgeCrds, edgeResources } from "../../../lib/edge/crds.ts";
import { edgeApiBinding, edgeApiExportObjects } from "../../../lib/edge/api_export.ts";
import { assertEquals, assertTrue } from "../../support/assert.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

Deno.test("the edge CRDs have the documented names, scopes, short names and status", () => {
  const crds = edgeCrds();
  const summary = crds.map((c) => {
    const spec = c.spec as Record<string, Json>;
    const v = spec.versions[0];
    return [
      c.metadata!.name,
      spec.scope,
      (spec.names.shortNames ?? []).join(","),
      Boolean(v.subresources?.status),
      v.schema.openAPIV3Schema.type,
    ].join(" ");
  });
  assertEquals(summary, [
    "edgeplacements.edge.kubestellar.io Cluster epl false object",
    "singleplacementslices.edge.kubestellar.io Cluster sps false object",
    "customizers.edge.kubestellar.io Namespaced  false object",
    "syncerconfigs.edge.kubestellar.io Cluster escfg false object",
    "edgesyncconfigs.edge.kubestellar.io Cluster esc false object",
    "synctargets.edge.kubestellar.io Cluster  true object",
    "locations.edge.kubestellar.io Cluster  true object",
    "statussummarizers.edge.kubestellar.io Cluster  true object",
    "statussummaries.edge.kubestellar.io Cluster  true object",
    "roles.denatured.kubestellar.io Namespaced  false object",
    "rolebindings.denatured.kubestellar.io Namespaced  false object",
    "clusterroles.denatured.kubestellar.io Cluster  false object",
    "clusterrolebindings.denatured.kubestellar.io Cluster  false object",
    "serviceaccounts.denatured.kubestellar.io Namespaced  false object",
    "limitranges.denatured.kubestellar.io Namespaced  false object",
    "resourcequotas.denatured.kubestellar.io Namespaced  true object",
    "mutatingwebhookconfigurations.denatured.kubestellar.io Cluster  false object",
    "validatingwebhookconfigurations.denatured.kubestellar.io Cluster  false object",
    "apiservices.denatured.kubestellar.io Cluster  true object",
    "flowschemas.denatured.kubestellar.io Cluster  true object",
    "prioritylevelconfigurations.denatured.kubestellar.io Cluster  true object",
  ]);
  assertEquals(edgeResources().length, 9);
});

Deno.test("the APIExport lists one schema per CRD, with a prefix that follows the content", async () => {
  const { schemas, apiExport } = await edgeApiExportObjects();
  assertEquals(schemas.length, 21);
  const names = schemas.map((s) => s.metadata!.name!);
  assertEquals((apiExport.spec as Record<string, unknown>).latestResourceSchemas, names);
  for (const n of names) {
    assertTrue(/^v2alpha1-[0-9a-f]{8}\.[a-z]+\.(edge|denatured)\.kubestellar\.io$/.test(n), n);
  }
  const again = await edgeApiExportObjects();
  assertEquals(again.schemas.map((s) => s.metadata!.name), names);
  const binding = edgeApiBinding("bind-edge", "root:espw");
  assertEquals((binding.spec as Json).reference.export, {
    path: "root:espw",
    name: "edge.kubestellar.io",
  });
});

Deno.test("mailbox names join and split on -mb-", () => {
  const uid = "f0a82ab1-63f4-49ea-954d-3a41a35a9f1c";
  const name = mailboxName("1t82bk54r6gjnzsp", uid);
  assertEquals(name, `1t82bk54r6gjnzsp-mb-${uid}`);
  assertEquals(parseMailboxName(name), { imwCluster: "1t82bk54r6gjnzsp", syncTargetUid: uid });
  assertEquals(parseMailboxName("espw"), undefined);
  assertEquals(parseMailboxName("a-mb-b-mb-c"), undefined);
});
