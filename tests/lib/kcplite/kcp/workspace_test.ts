import { assertEquals, assertTrue } from "../../../support/assert.ts";
import { StatusError } from "../../../../lib/kcplite/api/status_error.ts";
import type { KubeObject } from "../../../../lib/kube/rest_client.ts";
import { ADMIN, apiCreate, apiDelete, k, SERVER, startEnv, waitFor } from "./kcp_test_env.ts";

const WS = "tenancy.kcp.io/workspaces";
const LC = "core.kcp.io/logicalclusters";

function phase(o: KubeObject | undefined): string | undefined {
  return (o?.status as { phase?: string } | undefined)?.phase;
}

function expectStatusError(fn: () => unknown, code: number, re: RegExp): void {
  try {
    fn();
  } catch (e) {
    assertTrue(e instanceof StatusError, String(e));
    assertEquals(e.code, code);
    assertTrue(re.test(e.message), e.message);
    return;
  }
  throw new Error("expected a StatusError");
}

Deno.test("workspace in root: organization by default, Scheduling → Ready with its content", async () => {
  const env = await startEnv();
  try {
    const { store, backend } = env;
    const alice = { name: "alice", groups: ["system:authenticated"] };
    const created = apiCreate(env, "root", "tenancy.kcp.io", "workspaces", {
      apiVersion: "tenancy.kcp.io/v1alpha1",
      kind: "Workspace",
      metadata: { name: "espw" },
    }, alice);
    assertEquals(phase(created), "Scheduling");
    assertEquals((created.spec as { type: unknown }).type, { name: "organization", path: "root" });
    assertEquals(created.metadata?.annotations?.["kcp.io/cluster"], "root");
    const ws = await waitFor(() => {
      const o = store.get(k("root", WS, "espw"));
      return phase(o) === "Ready" && o;
    }, "espw Ready");
    const id = (ws.spec as { cluster: string }).cluster;
    assertTrue(/^[a-z0-9]{16}$/.test(id));
    assertEquals((ws.spec as { URL: string }).URL, `${SERVER}/clusters/${id}`);
    assertEquals(ws.metadata?.labels?.["tenancy.kcp.io/phase"], "Ready");
    assertEquals(
      ws.metadata?.annotations?.["experimental.tenancy.kcp.io/owner"],
      '{"username":"alice"}',
    );
    assertEquals(backend.resolveCluster("root:espw"), id);
    assertEquals(backend.resolveCluster(id), id);
    assertEquals(backend.clusterPath(id), "root:espw");

    const lc = store.get(k(id, LC, "cluster"))!;
    assertEquals(phase(lc), "Ready");
    assertEquals(lc.metadata?.annotations?.["kcp.io/path"], "root:espw");
    assertEquals(lc.metadata?.annotations?.["internal.tenancy.kcp.io/type"], "root:organization");
    assertEquals((lc.spec as { owner: unknown }).owner, {
      apiVersion: "tenancy.kcp.io/v1alpha1",
      resource: "workspaces",
      name: "espw",
      cluster: "root",
      uid: ws.metadata?.uid,
    });
    assertTrue(store.get(k(id, "/namespaces", "default")));
    const crb = store.get(
      k(id, "rbac.authorization.k8s.io/clusterrolebindings", "workspace-admin"),
    )!;
    assertEquals((crb.subjects as { name: string }[])[0].name, "alice");
    const bindings = store.list({ cluster: id, resource: "apis.kcp.io/apibindings" }).items;
    assertEquals(
      bindings.map((b) =>
        (b.spec as { reference: { export: { name: string } } }).reference.export.name
      )
        .sort(),
      [
        "apiresource.kcp.io",
        "scheduling.kcp.io",
        "tenancy.kcp.io",
        "topology.kcp.io",
        "workload.kcp.io",
      ],
    );
    assertTrue(bindings.every((b) => phase(b) === "Bound"));
    assertTrue(bindings.every((b) => /^[a-z.]+-[a-z0-9]{5}$/.test(b.metadata!.name!)));
    // the default service account and its token appear
    await waitFor(() => store.get(k(id, "/serviceaccounts", "default", "default")), "default SA");

    // nested: in an organization, an untyped child is universal; paths resolve through both
    const child = apiCreate(env, id, "tenancy.kcp.io", "workspaces", {
      metadata: { name: "team-a" },
    });
    assertEquals((child.spec as { type: unknown }).type, { name: "universal", path: "root" });
    const childId = await waitFor(
      () => backend.resolveCluster("root:espw:team-a"),
      "root:espw:team-a",
    );
    assertEquals(backend.resolveCluster(`${id}:team-a`), childId);
    assertEquals(backend.clusterPath(childId), "root:espw:team-a");
    await waitFor(() => phase(store.get(k(id, WS, "team-a"))) === "Ready", "team-a Ready");
    assertEquals(backend.resolveCluster("root:nope"), undefined);
    assertEquals(backend.resolveCluster("root:espw:nope"), undefined);
    assertEquals(backend.resolveCluster("Bad_Name"), undefined);

    // a universal workspace has no default child type
    expectStatusError(
      () => apiCreate(env, childId, "tenancy.kcp.io", "workspaces", { metadata: { name: "x" } }),
      403,
      /spec\.defaultChildWorkspaceType of workspace type %s:%s must be set/,
    );
    // an organization only goes under root
    expectStatusError(
      () =>
        apiCreate(env, childId, "tenancy.kcp.io", "workspaces", {
          metadata: { name: "x" },
          spec: { type: { name: "organization", path: "root" } },
        }),
      403,
      /only allows \[root:root\] parent workspaces, but parent type root:universal/,
    );
    expectStatusError(
      () =>
        apiCreate(env, "root", "tenancy.kcp.io", "workspaces", {
          metadata: { name: "y" },
          spec: { type: { name: "nosuchtype" } },
        }),
      403,
      /workspace type "nosuchtype" cannot be resolved/,
    );
    expectStatusError(
      () => apiCreate(env, "root", "tenancy.kcp.io", "workspaces", { metadata: { name: "Bad" } }),
      422,
      /metadata\.name/,
    );
    // spec.type is immutable
    const stored = store.get(k("root", WS, "espw"))!;
    const changed = structuredClone(stored);
    (changed.spec as { type: unknown }).type = { name: "universal", path: "root" };
    expectStatusError(
      () =>
        backend.admit({
          operation: "UPDATE",
          cluster: "root",
          def: backend.resources("root").lookup("tenancy.kcp.io", "v1alpha1", "workspaces")!,
          object: changed,
          oldObject: stored,
          user: ADMIN,
        }),
      403,
      /spec\.type is immutable/,
    );

    // deletion removes the content recursively and the LogicalCluster (watchers see DELETED)
    const deletedLcs: string[] = [];
    const w = store.watch({ resource: LC }, undefined, (ev) => {
      if (ev.type === "DELETED") deletedLcs.push(ev.key.cluster);
    });
    apiDelete(env, k("root", WS, "espw"));
    await waitFor(() => !store.get(k("root", WS, "espw")), "espw gone");
    w.stop();
    assertEquals(deletedLcs.sort(), [id, childId].sort());
    assertEquals(store.get(k(id, "/namespaces", "default")), undefined);
    assertEquals(store.list({ cluster: id, resource: "apis.kcp.io/apibindings" }).items, []);
    assertEquals(store.list({ cluster: childId, resource: "/secrets" }).items, []);
    assertEquals(backend.resolveCluster("root:espw"), undefined);
  } finally {
    await env.close();
  }
});

Deno.test("workspace types: shard admin creates without owner; type use permission is checked", async () => {
  const env = await startEnv();
  try {
    const created = apiCreate(env, "root", "tenancy.kcp.io", "workspaces", {
      metadata: { name: "org" },
    }, { name: "shard-admin", groups: ["system:masters"] });
    assertEquals(created.metadata?.annotations?.["experimental.tenancy.kcp.io/owner"], undefined);
    // a user without `use` on root:home cannot create one (home also cannot have a parent)
    expectStatusError(
      () =>
        apiCreate(env, "root", "tenancy.kcp.io", "workspaces", {
          metadata: { name: "h" },
          spec: { type: { name: "home", path: "root" } },
        }, { name: "bob", groups: ["system:authenticated"] }),
      403,
      /root:home cannot have any parent/,
    );
    // a type nobody was granted `use` on
    apiCreate(env, "root", "tenancy.kcp.io", "workspacetypes", {
      metadata: { name: "special" },
      spec: { extend: { with: [{ name: "universal", path: "root" }] } },
    });
    expectStatusError(
      () =>
        apiCreate(env, "root", "tenancy.kcp.io", "workspaces", {
          metadata: { name: "s" },
          spec: { type: { name: "special", path: "root" } },
        }, { name: "bob", groups: ["system:authenticated"] }),
      403,
      /unable to use workspace type root:special: missing verb='use' permission on workspacetype/,
    );
    const special = apiCreate(env, "root", "tenancy.kcp.io", "workspaces", {
      metadata: { name: "s" },
      spec: { type: { name: "special" } },
    });
    assertEquals((special.spec as { type: unknown }).type, { name: "special", path: "root" });
    await waitFor(
      () => phase(env.store.get(k("root", WS, "s"))) === "Ready",
      "special Ready",
    );
    const id = await waitFor(() => env.backend.resolveCluster("root:org"), "org");
    await waitFor(
      () => phase(env.store.get(k("root", WS, "org"))) === "Ready",
      "org Ready",
    );
    assertEquals(
      env.store.get(k(id, "rbac.authorization.k8s.io/clusterrolebindings", "workspace-admin")),
      undefined,
    );
  } finally {
    await env.close();
  }
});
