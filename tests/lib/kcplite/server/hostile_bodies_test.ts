/**
 * Issue 13's hostile request bodies and parameters get a 4xx, never a 5xx, in both modes:
 * JSON and YAML nested 6,000 levels deep on create and on merge / strategic merge / JSON
 * patch (400); objects at the nesting limit still work; `resourceVersion=abc` and `-1` on a
 * list and `0x10` on a watch are a 400 with kube-apiserver's message.
 *
 * @module
 */
import { assertEquals, assertStringIncludes } from "../../../support/assert.ts";
import {
  type ControlPlane,
  startControlPlane,
  startKubeCluster,
} from "../../../support/control_plane.ts";
import { eventually } from "../../../support/eventually.ts";
import { request } from "./server_test_client.ts";
import { MAX_NESTING_DEPTH } from "../../../../lib/kcplite/server/nesting_limit.ts";

const JSON_TYPE = "application/json";

/** `{"a":{"a":…1…}}` with `depth` levels of objects. */
function nested(depth: number): string {
  return '{"a":'.repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
}

function configMapWith(name: string, extra: string): string {
  return `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}"},"x":${extra}}`;
}

async function hostileBodies(cp: ControlPlane, base: string): Promise<void> {
  const cms = `${base}/api/v1/namespaces/default/configmaps`;
  const expect400 = (r: { status: number; body: Record<string, unknown> }) => {
    assertEquals(r.status, 400, JSON.stringify(r.body).slice(0, 300));
    assertEquals(r.body.reason, "BadRequest");
    assertStringIncludes(String(r.body.message), "nested too deeply");
  };
  expect400(
    await request(cp, "POST", cms, {
      body: configMapWith("deep", nested(6000)),
      contentType: JSON_TYPE,
    }),
  );
  expect400(
    await request(cp, "POST", cms, {
      body: `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep-yaml"},"x":` +
        "[".repeat(6000) + "]".repeat(6000) + "}",
      contentType: "application/yaml",
    }),
  );
  const created = await request(cp, "POST", cms, {
    body: configMapWith("target", "{}"),
    contentType: JSON_TYPE,
  });
  assertEquals(created.status, 201);
  for (const type of ["merge", "strategic-merge"]) {
    expect400(
      await request(cp, "PATCH", `${cms}/target`, {
        body: `{"data":${nested(6000)}}`,
        contentType: `application/${type}-patch+json`,
      }),
    );
  }
  expect400(
    await request(cp, "PATCH", `${cms}/target`, {
      body: `[{"op":"add","path":"/x/deep","value":${nested(6000)}}]`,
      contentType: "application/json-patch+json",
    }),
  );
  // At the limit (in a custom resource that keeps any JSON): accepted, patched, listed; a
  // patch that would go past it: 400, not 500.
  const crd = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "blobs.example.com" },
    spec: {
      group: "example.com",
      scope: "Namespaced",
      names: { plural: "blobs", singular: "blob", kind: "Blob", listKind: "BlobList" },
      versions: [{
        name: "v1",
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: { x: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
          },
        },
      }],
    },
  };
  const crds = `${base}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`;
  assertEquals(
    (await request(cp, "POST", crds, { body: JSON.stringify(crd), contentType: JSON_TYPE })).status,
    201,
  );
  const blobs = `${base}/apis/example.com/v1/namespaces/default/blobs`;
  await eventually("blobs served", async () => (await request(cp, "GET", blobs)).status === 200);
  const limit = MAX_NESTING_DEPTH;
  const atLimit = await request(cp, "POST", blobs, {
    body: `{"apiVersion":"example.com/v1","kind":"Blob","metadata":{"name":"at-limit"},"x":${
      nested(limit - 1)
    }}`,
    contentType: JSON_TYPE,
  });
  assertEquals(atLimit.status, 201, atLimit.text.slice(0, 300));
  const merged = await request(cp, "PATCH", `${blobs}/at-limit`, {
    body: `{"x":${nested(limit - 1)}}`,
    contentType: "application/merge-patch+json",
  });
  assertEquals(merged.status, 200, merged.text.slice(0, 300));
  const path = "/x" + "/a".repeat(limit - 3);
  expect400(
    await request(cp, "PATCH", `${blobs}/at-limit`, {
      body: `[{"op":"add","path":"${path}/more","value":${nested(limit - 2)}}]`,
      contentType: "application/json-patch+json",
    }),
  );
  assertEquals((await request(cp, "GET", `${blobs}/at-limit`)).status, 200);
  assertEquals((await request(cp, "GET", blobs)).status, 200);
}

async function strictResourceVersions(cp: ControlPlane, base: string): Promise<void> {
  const cms = `${base}/api/v1/namespaces/default/configmaps`;
  const cases: [string, string][] = [
    [`${cms}?resourceVersion=abc`, "abc"],
    [`${cms}?resourceVersion=-1`, "-1"],
    [`${cms}?resourceVersion=abc&limit=5`, "abc"],
    [`${cms}?watch=true&resourceVersion=0x10`, "0x10"],
    [`${cms}/x?resourceVersion=1e3`, "1e3"],
  ];
  for (const [path, value] of cases) {
    const r = await request(cp, "GET", path);
    assertEquals(r.status, 400, path);
    assertEquals(r.body.reason, "BadRequest");
    assertEquals(
      r.body.message,
      `invalid resource version: resourceVersion: Invalid value: "${value}": ` +
        `strconv.ParseUint: parsing "${value}": invalid syntax`,
    );
  }
  const big = await request(cp, "GET", `${cms}?resourceVersion=99999999999999999999`);
  assertEquals(big.status, 400);
  assertStringIncludes(String(big.body.message), "value out of range");
  assertEquals((await request(cp, "GET", `${cms}?resourceVersion=0`)).status, 200);
}

Deno.test("kube mode: hostile bodies and resourceVersions get a 400", async () => {
  const cp = await startKubeCluster();
  try {
    await hostileBodies(cp, "");
    await strictResourceVersions(cp, "");
  } finally {
    await cp.stop();
  }
});

Deno.test("kcp mode: hostile bodies and resourceVersions get a 400", async () => {
  const cp = await startControlPlane();
  try {
    await hostileBodies(cp, "/clusters/root");
    await strictResourceVersions(cp, "/clusters/root");
  } finally {
    await cp.stop();
  }
});
