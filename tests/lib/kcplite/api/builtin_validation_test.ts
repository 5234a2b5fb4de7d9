/**
 * kcp-lite type-checks built-in kinds as kube-apiserver decodes them (issue 13 item 3), in
 * kube mode: each bad input of the issue is refused with kube-apiserver's status and
 * wording, unknown fields follow `fieldValidation` (dropped, `Warning` headers, or a 400),
 * patches are checked by their result, and what is stored never breaks a list or a Table.
 *
 * @module
 */
import { assertEquals, assertStringIncludes } from "../../../support/assert.ts";
import { startKubeCluster } from "../../../support/control_plane.ts";
import { request } from "../server/server_test_client.ts";

const NS = "/api/v1/namespaces/default";
const JSON_TYPE = "application/json";

function post(cp: Parameters<typeof request>[0], path: string, obj: unknown) {
  return request(cp, "POST", path, { body: JSON.stringify(obj), contentType: JSON_TYPE });
}

const meta = (name: string) => ({ name });

Deno.test("kube mode refuses ill-typed built-in objects as kube-apiserver does", async (t) => {
  const cp = await startKubeCluster();
  try {
    const cases: [string, string, unknown, string][] = [
      [
        "ConfigMap data with a number",
        `${NS}/configmaps`,
        { apiVersion: "v1", kind: "ConfigMap", metadata: meta("c"), data: { a: 1 } },
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal ' +
        "number into Go struct field ConfigMap.data of type string",
      ],
      [
        "Secret data that is not base64",
        `${NS}/secrets`,
        { apiVersion: "v1", kind: "Secret", metadata: meta("s"), data: { a: "not base64!" } },
        'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3',
      ],
      [
        "Service ports: 5",
        `${NS}/services`,
        { apiVersion: "v1", kind: "Service", metadata: meta("svc"), spec: { ports: 5 } },
        'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal number ' +
        "into Go struct field ServiceSpec.spec.ports of type []v1.ServicePort",
      ],
      [
        'Pod containers: [1, "x", null]',
        `${NS}/pods`,
        {
          apiVersion: "v1",
          kind: "Pod",
          metadata: meta("p"),
          spec: { containers: [1, "x", null] },
        },
        'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go ' +
        "struct field PodSpec.spec.containers of type v1.Container",
      ],
      [
        'Deployment replicas: "abc"',
        "/apis/apps/v1/namespaces/default/deployments",
        {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: meta("d"),
          spec: { replicas: "abc" },
        },
        'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal ' +
        "string into Go struct field DeploymentSpec.spec.replicas of type int32",
      ],
    ];
    for (const [what, path, obj, message] of cases) {
      await t.step(`${what} → 400`, async () => {
        const r = await post(cp, path, obj);
        assertEquals(r.status, 400, r.text);
        assertEquals(r.body.reason, "BadRequest");
        assertEquals(r.body.message, message);
        const name = (obj as { metadata: { name: string } }).metadata.name;
        assertEquals((await request(cp, "GET", `${path}/${name}`)).status, 404);
      });
    }

    await t.step("a PUT is decoded the same way", async () => {
      const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: meta("put"), data: { a: "1" } };
      assertEquals((await post(cp, `${NS}/configmaps`, cm)).status, 201);
      const r = await request(cp, "PUT", `${NS}/configmaps/put`, {
        body: JSON.stringify({ ...cm, data: { a: true } }),
        contentType: JSON_TYPE,
      });
      assertEquals(r.status, 400);
      assertStringIncludes(
        String(r.body.message),
        "json: cannot unmarshal bool into Go struct field ConfigMap.data of type string",
      );
    });

    await t.step("lists and Tables keep working", async () => {
      for (const path of [`${NS}/services`, `${NS}/pods`, `${NS}/configmaps`]) {
        assertEquals((await request(cp, "GET", path)).status, 200);
      }
    });
  } finally {
    await cp.stop();
  }
});

Deno.test("kube mode handles unknown fields by fieldValidation", async (t) => {
  const cp = await startKubeCluster();
  const cm = (name: string) => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, bogus: 1 },
    data: { a: "1" },
    extra: { x: 1 },
  });
  try {
    await t.step("default (Warn): dropped, one Warning each", async () => {
      const r = await post(cp, `${NS}/configmaps`, cm("warn"));
      assertEquals(r.status, 201, r.text);
      assertEquals(r.body.extra, undefined);
      assertEquals((r.body.metadata as Record<string, unknown>).bogus, undefined);
      assertEquals(
        r.headers.get("warning"),
        '299 - "unknown field \\"metadata.bogus\\"", 299 - "unknown field \\"extra\\""',
      );
      const stored = await request(cp, "GET", `${NS}/configmaps/warn`);
      assertEquals(stored.body.extra, undefined);
    });

    await t.step("Strict: 400 naming every unknown field", async () => {
      const r = await post(cp, `${NS}/configmaps?fieldValidation=Strict`, cm("strict"));
      assertEquals(r.status, 400);
      assertEquals(
        r.body.message,
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: ' +
          'unknown field "metadata.bogus", unknown field "extra"',
      );
    });

    await t.step("Ignore: dropped silently", async () => {
      const r = await post(cp, `${NS}/configmaps?fieldValidation=Ignore`, cm("ignore"));
      assertEquals(r.status, 201);
      assertEquals(r.headers.get("warning"), null);
      assertEquals(r.body.extra, undefined);
    });

    await t.step("an unknown directive: 422 on CreateOptions", async () => {
      const r = await post(cp, `${NS}/configmaps?fieldValidation=Loud`, cm("loud"));
      assertEquals(r.status, 422);
      assertEquals(
        r.body.message,
        'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loud": ' +
          'supported values: "", "Ignore", "Strict", "Warn"',
      );
    });

    await t.step("nested unknown fields carry their path", async () => {
      const pod = {
        apiVersion: "v1",
        kind: "Pod",
        metadata: meta("nested"),
        spec: {
          containers: [{ name: "c", image: "busybox", ports: [{ containerPort: 80, x: 1 }] }],
        },
      };
      const r = await post(cp, `${NS}/pods?fieldValidation=Strict`, pod);
      assertEquals(r.status, 400);
      assertStringIncludes(
        String(r.body.message),
        'strict decoding error: unknown field "spec.containers[0].ports[0].x"',
      );
    });
  } finally {
    await cp.stop();
  }
});

Deno.test("kube mode checks the result of a patch", async (t) => {
  const cp = await startKubeCluster();
  const path = `${NS}/configmaps/p`;
  try {
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: meta("p"), data: { a: "1" } };
    assertEquals((await post(cp, `${NS}/configmaps`, cm)).status, 201);

    await t.step('strategic merge patch {"data": "notamap"} → 422', async () => {
      const r = await request(cp, "PATCH", path, {
        body: '{"data": "notamap"}',
        contentType: "application/strategic-merge-patch+json",
      });
      assertEquals(r.status, 422, r.text);
      assertEquals(r.body.reason, "Invalid");
      assertEquals(
        r.body.message,
        ' "" is invalid: patch: Invalid value: "map[data:notamap]": cannot restore map from string',
      );
    });

    await t.step("merge patch → 422 with the patched object", async () => {
      const r = await request(cp, "PATCH", path, {
        body: '{"data": {"a": 2}}',
        contentType: "application/merge-patch+json",
      });
      assertEquals(r.status, 422, r.text);
      assertStringIncludes(
        String(r.body.message),
        ": json: cannot unmarshal number into Go struct field ConfigMap.data of type string",
      );
      assertStringIncludes(String(r.body.message), ' "" is invalid: patch: Invalid value: "{');
    });

    await t.step("nothing was stored", async () => {
      const r = await request(cp, "GET", path);
      assertEquals(r.body.data, { a: "1" });
    });
  } finally {
    await cp.stop();
  }
});
