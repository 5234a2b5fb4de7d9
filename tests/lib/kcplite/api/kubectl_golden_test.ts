/**
 * Golden check with real kubectl 1.32: a fake server that answers discovery, OpenAPI v3
 * and Table requests only with this package's functions must let kubectl create
 * objects with server-side field validation (`fieldValidation=Strict`, no fallback to
 * `/openapi/v2`), list with its Table columns, and resolve short names.
 */
import type { ServerResponse } from "node:http";
import { join } from "node:path";
import { assertEquals, assertStringIncludes, assertTrue } from "../../../support/assert.ts";
import {
  type FakeRequest,
  kubeconfigFor,
  makeTestPki,
  sendJson,
  sendStatus,
  startFakeApiServer,
} from "../../../support/fake_apiserver.ts";
import { kubeTools } from "../../../support/kube_tools.ts";
import { kubeModeBuiltins } from "../../../../lib/kcplite/api/builtin_catalogs.ts";
import { crdToResourceDefs } from "../../../../lib/kcplite/api/crd_conversion.ts";
import { StaticRegistry } from "../../../../lib/kcplite/api/static_registry.ts";
import { discoveryResponse } from "../../../../lib/kcplite/api/discovery_response.ts";
import { apiGroup, apiResourceList } from "../../../../lib/kcplite/api/discovery.ts";
import { negotiateObjectForm } from "../../../../lib/kcplite/api/media_type.ts";
import { defaultApiHooks, openapiFor } from "../../../../lib/kcplite/server/default_api_hooks.ts";
import type { ResourceDef } from "../../../../lib/kcplite/api/resource_def.ts";
import type { StatusCause } from "../../../../lib/kcplite/api/status_error.ts";
import { toTable } from "../../../../lib/kcplite/api/table.ts";
import type { KubeObject } from "../../../../lib/kube/rest_client.ts";
import { widgetCrd } from "./crd_fixture.ts";

const hooks = defaultApiHooks();

/** The server's write-time schema steps: strict unknown fields, prune, default, validate. */
function validateForWrite(def: ResourceDef, obj: KubeObject, strict: boolean): StatusCause[] {
  const unknown = strict ? hooks.unknownFields!(def, obj) : [];
  if (unknown.length) return unknown.map((field) => ({ field, message: "unknown field" }));
  const stored = hooks.applyDefaults!(def, hooks.prune!(def, obj));
  return hooks.validate!(def, stored);
}

const registry = new StaticRegistry([...kubeModeBuiltins(), ...crdToResourceDefs(widgetCrd())]);

function handle(req: FakeRequest, res: ServerResponse): void {
  const url = new URL(req.url, "https://x");
  const parts = url.pathname.split("/").filter(Boolean);
  const accept = req.headers["accept"] ?? "";
  if (url.pathname === "/api" || url.pathname === "/apis") {
    const r = discoveryResponse(registry, parts[0] as "api" | "apis", accept, "127.0.0.1");
    res.writeHead(200, { "content-type": r.contentType });
    res.end(JSON.stringify(r.body));
    return;
  }
  if (parts[0] === "openapi") {
    const r = openapiFor(url.pathname, registry, accept);
    if (!r) return sendStatus(res, 404, "NotFound", "not found");
    res.writeHead(r.status, { ...r.headers, "content-type": r.contentType ?? "application/json" });
    res.end(r.body as string | Uint8Array | undefined);
    return;
  }
  const [group, version, rest] = parts[0] === "api"
    ? ["", parts[1], parts.slice(2)]
    : [parts[1] ?? "", parts[2], parts.slice(3)];
  if (!version) {
    const g = apiGroup(registry, group);
    return g ? sendJson(res, 200, g) : sendStatus(res, 404, "NotFound", "not found");
  }
  if (rest.length === 0) {
    const l = apiResourceList(registry, group, version);
    return l ? sendJson(res, 200, l) : sendStatus(res, 404, "NotFound", "not found");
  }
  const resource = rest[0] === "namespaces" && rest.length >= 3 ? rest[2] : rest[0];
  const name = rest[0] === "namespaces" && rest.length >= 3 ? rest[3] : rest[1];
  const def = registry.lookup(group, version, resource);
  if (!def) {
    return sendStatus(res, 404, "NotFound", "the server could not find the requested resource");
  }
  if (req.method === "POST") {
    const obj = JSON.parse(req.body) as KubeObject;
    const causes = validateForWrite(def, obj, url.searchParams.get("fieldValidation") === "Strict");
    if (causes.length) {
      return sendStatus(
        res,
        422,
        "Invalid",
        causes.map((c) => `${c.field}: ${c.message}`).join(", "),
      );
    }
    obj.metadata = {
      ...obj.metadata,
      uid: "u1",
      resourceVersion: "7",
      creationTimestamp: "2026-01-01T00:00:00Z",
    };
    return sendJson(res, 201, obj);
  }
  if (req.method === "GET" && !name) {
    const items: KubeObject[] = [{
      metadata: {
        name: "web",
        namespace: "default",
        creationTimestamp: new Date(Date.now() - 90_000).toISOString(),
      },
      spec: { replicas: 2 },
      status: { readyReplicas: 1, updatedReplicas: 2, availableReplicas: 1 },
    }];
    if (negotiateObjectForm(accept) === "Table") {
      return sendJson(res, 200, toTable(def, items, { resourceVersion: "9" }));
    }
    return sendJson(res, 200, {
      kind: def.listKind,
      apiVersion: "apps/v1",
      metadata: { resourceVersion: "9" },
      items,
    });
  }
  return sendStatus(res, 404, "NotFound", `${resource} "${name}" not found`);
}

async function kubectl(bin: string, env: Record<string, string>, args: string[]) {
  const out = await new Deno.Command(bin, { args, env, stdout: "piped", stderr: "piped" }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("real kubectl creates, validates and lists against our discovery and OpenAPI", async () => {
  const { kubectl: bin } = await kubeTools();
  const dir = await Deno.makeTempDir({ prefix: "kcplite-api-golden-" });
  const server = await startFakeApiServer(await makeTestPki(dir), handle);
  try {
    const kubeconfig = join(dir, "kubeconfig");
    await Deno.writeTextFile(kubeconfig, kubeconfigFor(server.url, server.pki), { mode: 0o600 });
    const env = { HOME: dir, KUBECONFIG: kubeconfig, PATH: "/usr/bin:/bin" };
    await Deno.writeTextFile(
      join(dir, "cm.yaml"),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\ndata:\n  a: "1"\n',
    );
    await Deno.writeTextFile(
      join(dir, "w.yaml"),
      "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 3\n",
    );

    const cm = await kubectl(bin, env, ["create", "-f", join(dir, "cm.yaml")]);
    assertEquals(cm.code, 0, cm.stderr);
    assertStringIncludes(cm.stdout, "configmap/demo created");
    const w = await kubectl(bin, env, ["create", "-f", join(dir, "w.yaml")]);
    assertEquals(w.code, 0, w.stderr);
    assertStringIncludes(w.stdout, "widget.example.com/w1 created");
    const posts = server.requests.filter((r) => r.method === "POST").map((r) => r.url);
    assertEquals(posts.length, 2);
    for (const p of posts) assertStringIncludes(p, "fieldValidation=Strict");
    assertTrue(!server.requests.some((r) => r.url.startsWith("/openapi/v2")), "no v2 fallback");
    assertTrue(
      !server.requests.some((r) => r.url.startsWith("/api/v1?") || r.url === "/api/v1"),
      "aggregated discovery used",
    );

    const get = await kubectl(bin, env, ["get", "deploy"]);
    assertEquals(get.code, 0, get.stderr);
    const [header, row] = get.stdout.trim().split("\n");
    assertEquals(header.split(/\s+/), ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]);
    assertEquals(row.split(/\s+/).slice(0, 4), ["web", "1/2", "2", "1"]);

    const explain = await kubectl(bin, env, ["explain", "widgets.spec"]);
    assertEquals(explain.code, 0, explain.stderr);
    assertTrue(/^\s+size\s+<integer>/m.test(explain.stdout), explain.stdout);
    const explainCm = await kubectl(bin, env, ["explain", "configmap.data"]);
    assertEquals(explainCm.code, 0, explainCm.stderr);
    assertStringIncludes(explainCm.stdout, "FIELD: data <map[string]string>");

    const wide = await kubectl(bin, env, ["api-resources", "--api-group=apps", "--no-headers"]);
    assertEquals(wide.code, 0, wide.stderr);
    assertTrue(
      /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m.test(wide.stdout),
      wide.stdout,
    );
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
