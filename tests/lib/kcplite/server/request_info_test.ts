/**
 * Request routing: `/clusters/<x>` prefixes, verbs, namespaces, subresources, identity
 * suffixes and invalid cluster names.
 *
 * @module
 */
import { assertEquals, assertRejects } from "../../../support/assert.ts";
import { parseRequestInfo } from "../../../../lib/kcplite/server/request_info.ts";
import { StatusError } from "../../../../lib/kcplite/api/status_error.ts";

const q = (s = "") => new URLSearchParams(s);

Deno.test("parseRequestInfo: resource requests", () => {
  const i = parseRequestInfo("GET", "/clusters/root:espw/api/v1/namespaces/ns/configmaps", q());
  assertEquals(i.cluster, { kind: "segment", segment: "root:espw" });
  assertEquals([i.verb, i.group, i.version, i.namespace, i.resource, i.name], [
    "list",
    "",
    "v1",
    "ns",
    "configmaps",
    "",
  ]);
  const w = parseRequestInfo("GET", "/apis/apps/v1/namespaces/ns/deployments/web", q("watch=1"));
  assertEquals([w.cluster.kind, w.verb, w.group, w.name], ["bare", "watch", "apps", "web"]);
  const s = parseRequestInfo("PUT", "/api/v1/namespaces/ns/status", q());
  assertEquals([s.resource, s.name, s.subresource, s.verb], [
    "namespaces",
    "ns",
    "status",
    "update",
  ]);
  const st = parseRequestInfo("PATCH", "/apis/x.io/v1/widgets/a/status", q());
  assertEquals([st.resource, st.name, st.subresource, st.verb], [
    "widgets",
    "a",
    "status",
    "patch",
  ]);
  const dc = parseRequestInfo("DELETE", "/api/v1/namespaces/ns/secrets", q());
  assertEquals(dc.verb, "deletecollection");
  const wc = parseRequestInfo("GET", "/clusters/%2A/apis/apis.kcp.io/v1alpha1/apibindings", q());
  assertEquals(wc.cluster, { kind: "wildcard" });
  const id = parseRequestInfo("GET", "/clusters/*/api/v1/services:abc123", q());
  assertEquals([id.resource, id.identity], ["services", "abc123"]);
  const old = parseRequestInfo("GET", "/api/v1/watch/namespaces/ns/configmaps", q());
  assertEquals([old.verb, old.namespace, old.resource], ["watch", "ns", "configmaps"]);
});

Deno.test("parseRequestInfo: non-resource paths and bad clusters", async () => {
  for (const p of ["/api", "/api/v1", "/apis", "/apis/apps", "/apis/apps/v1", "/version"]) {
    assertEquals(parseRequestInfo("GET", p, q()).resourceRequest, false, p);
  }
  assertEquals(parseRequestInfo("GET", "/clusters/root", q()).path, "/");
  const e = await assertRejects(() => parseRequestInfo("GET", "/clusters/Root_X/api", q()));
  assertEquals((e as StatusError).code, 400);
  assertEquals(e.message, 'invalid cluster: "Root_X" does not match the regex');
});
