/**
 * `/openapi/v2` (issue 17 item 1): served in kube mode and per workspace in kcp mode, from
 * the same schemas as `/openapi/v3` (CRDs and bound kinds included), as JSON or gnostic
 * protobuf by Accept (406 otherwise), with kube-openapi's quoted SHA-512 ETag and 304 for a
 * matching If-None-Match; `/openapi/v3` documents redirect a stale `?hash=` and mark a
 * current one immutable.
 *
 * @module
 */
import { assertEquals, assertTrue } from "../../../support/assert.ts";
import { type ControlPlane, startKubeCluster } from "../../../support/control_plane.ts";
import { kubeModeBuiltins } from "../../../../lib/kcplite/api/builtin_catalogs.ts";
import { StaticRegistry } from "../../../../lib/kcplite/api/static_registry.ts";
import { openApiV2Document } from "../../../../lib/kcplite/api/openapi_v2.ts";
import { encodeOpenApiV2 } from "../../../../lib/kcplite/api/openapi_v2_protobuf.ts";
import { adminCredentials } from "../server/server_test_client.ts";

const PROTOBUF = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

async function get(cp: ControlPlane, path: string, headers: Record<string, string> = {}) {
  const { token, ca } = await adminCredentials(cp);
  const client = Deno.createHttpClient({ caCerts: [ca] });
  try {
    const res = await fetch(`${cp.url}${path}`, {
      headers: { authorization: `Bearer ${token}`, ...headers },
      client,
      redirect: "manual",
    });
    return {
      status: res.status,
      headers: res.headers,
      bytes: new Uint8Array(await res.arrayBuffer()),
    };
  } finally {
    client.close();
  }
}

Deno.test("the v2 document describes every kind with its GVK and fieldValidation on PATCH", () => {
  const doc = openApiV2Document(new StaticRegistry(kubeModeBuiltins()));
  assertEquals(doc.swagger, "2.0");
  const defs = doc.definitions as Record<string, Record<string, unknown>>;
  const deploy = defs["io.k8s.api.apps.v1.Deployment"];
  assertEquals(deploy["x-kubernetes-group-version-kind"], [
    { group: "apps", version: "v1", kind: "Deployment" },
  ]);
  const spec = (deploy.properties as Record<string, Record<string, unknown>>).spec;
  assertEquals(spec.$ref, "#/definitions/io.k8s.api.apps.v1.DeploymentSpec");
  assertTrue(defs["io.k8s.api.core.v1.PodSpec"] !== undefined);
  const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>;
  const patch = paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"].patch;
  const params = (patch.parameters as { name: string; in: string }[]).map((p) => p.name);
  assertTrue(params.includes("fieldValidation"));
  assertEquals(patch["x-kubernetes-group-version-kind"], {
    group: "apps",
    version: "v1",
    kind: "Deployment",
  });
  // no OpenAPI v3-only keywords and no v3 references are left
  const text = JSON.stringify(doc);
  assertEquals(text.includes("#/components/"), false);
  assertEquals(text.includes('"anyOf"'), false);
  assertTrue(encodeOpenApiV2(doc).length > 1000);
});

Deno.test("/openapi/v2 and /openapi/v3 negotiate, tag and revalidate like kube-openapi", async (t) => {
  const cp = await startKubeCluster();
  try {
    await t.step("JSON by default, protobuf when asked, 406 otherwise", async () => {
      const json = await get(cp, "/openapi/v2");
      assertEquals(json.status, 200);
      assertEquals(json.headers.get("content-type"), "application/json");
      const doc = JSON.parse(new TextDecoder().decode(json.bytes));
      assertEquals(doc.swagger, "2.0");
      const pb = await get(cp, "/openapi/v2", { accept: `${PROTOBUF}, application/json` });
      assertEquals(
        pb.headers.get("content-type"),
        "application/com.github.proto-openapi.spec.v2.v1.0+protobuf",
      );
      assertEquals(pb.bytes[0], 0x0a); // field 1 (swagger), length-delimited
      assertEquals((await get(cp, "/openapi/v2", { accept: "text/html" })).status, 406);
    });

    await t.step("ETag and 304", async () => {
      const first = await get(cp, "/openapi/v2");
      const etag = first.headers.get("etag")!;
      assertTrue(/^"[0-9A-F]{128}"$/.test(etag));
      const again = await get(cp, "/openapi/v2", { "if-none-match": etag });
      assertEquals([again.status, again.bytes.length], [304, 0]);
      const index = await get(cp, "/openapi/v3");
      const v3 = await get(cp, "/openapi/v3", { "if-none-match": index.headers.get("etag")! });
      assertEquals(v3.status, 304);
    });

    await t.step("v3 documents: stale hash → 301, current hash → immutable", async () => {
      const index = JSON.parse(new TextDecoder().decode((await get(cp, "/openapi/v3")).bytes));
      const url = index.paths["apis/apps/v1"].serverRelativeURL as string;
      const current = await get(cp, url);
      assertEquals(current.status, 200);
      assertEquals(current.headers.get("cache-control"), "public, immutable");
      assertEquals(current.headers.get("etag"), `"${url.split("hash=")[1]}"`);
      const stale = await get(cp, "/openapi/v3/apis/apps/v1?hash=ABC");
      assertEquals(stale.status, 301);
      assertEquals(stale.headers.get("location"), url);
    });
  } finally {
    await cp.stop();
  }
});
