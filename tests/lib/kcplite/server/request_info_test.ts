/**
 * Request routing: `/clusters/<x>` prefixes, verbs, namespaces, subresources, identity
 * suffixes and invalid cluster names.
 *
 * @module
 */
import { assertEquals, assertRejects } from "../../../support/assert.ts";
import {
  parseRequestInfo,
  splitRequestTarget,
} from "../../../../lib/kcplite/server/request_info.ts";
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

Deno.test("splitRequestTarget: the path and query the URL parser gives", () => {
  const targets = [
    "/",
    "/version",
    "/clusters/root:a/api/v1/namespaces/ns/configmaps?watch=true&resourceVersion=12",
    "/api/v1/pods?labelSelector=a%3Db%2Cc+in+(x,y)&fieldSelector=metadata.name%3Dn",
    "/apis/g/v1/things?x=a+b&y=%E2%9C%93&y=2&empty=&flag",
    "/api/v1/namespaces/ns/configmaps/a%2Fb",
    "/api/v1/../v1/namespaces",
    "/api/v1/./namespaces/%2e%2e/x",
    "/a//b/?q=1#fragment",
    "/a b?c d",
    "/a\\b?x=<y>",
    "/api?x='quote'&y=\"dq\"",
    "/caf\u00e9?n=\u00e9",
  ];
  for (const target of targets) {
    const url = new URL(target, "https://kcp-lite.invalid");
    const split = splitRequestTarget(target);
    assertEquals(split.path, url.pathname, target);
    assertEquals([...split.query], [...url.searchParams], target);
  }
});
