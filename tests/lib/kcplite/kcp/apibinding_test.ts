import { assertEquals, assertTrue } from "../../../support/assert.ts";
import { StatusError } from "../../../../lib/kcplite/api/status_error.ts";
import type { KubeObject } from "../../../../lib/kube/rest_client.ts";
import {
  type CustomResourceDefinition,
  establishCrd,
} from "../../../../lib/kcplite/api/crd_conversion.ts";
import { apiCreate, apiDelete, k, type KcpTestEnv, startEnv, waitFor } from "./kcp_test_env.ts";

const BINDINGS = "apis.kcp.io/apibindings";

function phase(o: KubeObject | undefined): string | undefined {
  return (o?.status as { phase?: string } | undefined)?.phase;
}

async function workspace(env: KcpTestEnv, name: string): Promise<string> {
  apiCreate(env, "root", "tenancy.kcp.io", "workspaces", { metadata: { name } });
  await waitFor(
    () => phase(env.store.get(k("root", "tenancy.kcp.io/workspaces", name))) === "Ready",
    `${name} Ready`,
  );
  return env.backend.resolveCluster(`root:${name}`)!;
}

function widgetSchema(prefix: string): KubeObject {
  return {
    metadata: { name: `${prefix}.widgets.example.io` },
    spec: {
      group: "example.io",
      names: { plural: "widgets", singular: "widget", kind: "Widget", listKind: "WidgetList" },
      scope: "Namespaced",
      versions: [{
        name: "v1",
        served: true,
        storage: true,
        schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
        subresources: { status: {} },
      }],
    },
  };
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assertTrue(e instanceof StatusError, String(e));
    assertEquals(e.code, 403);
    return e.message;
  }
  throw new Error("expected a refusal");
}

Deno.test("APIExport + APIBinding: identity, Bound resources served, bind check, conflicts", async () => {
  const env = await startEnv();
  try {
    const { store, backend } = env;
    const provider = await workspace(env, "provider");
    const consumer = await workspace(env, "consumer");
    apiCreate(env, provider, "apis.kcp.io", "apiresourceschemas", widgetSchema("v1"));
    apiCreate(env, provider, "apis.kcp.io", "apiexports", {
      metadata: { name: "widgets" },
      spec: { latestResourceSchemas: ["v1.widgets.example.io"] },
    });
    const exp = await waitFor(() => {
      const o = store.get(k(provider, "apis.kcp.io/apiexports", "widgets"));
      return (o?.status as { identityHash?: string } | undefined)?.identityHash ? o : undefined;
    }, "identity");
    const identity = (exp.status as { identityHash: string }).identityHash;
    assertEquals(exp.metadata?.annotations?.["kcp.io/path"], "root:provider");
    assertTrue(store.get(k(provider, "/secrets", "widgets", "kcp-system")));

    // an endpoint slice (in another workspace) publishes the virtual workspace URL
    apiCreate(env, consumer, "apis.kcp.io", "apiexportendpointslices", {
      metadata: { name: "widgets" },
      spec: { export: { path: "root:provider", name: "widgets" } },
    });
    const slice = await waitFor(() => {
      const o = store.get(k(consumer, "apis.kcp.io/apiexportendpointslices", "widgets"));
      return (o?.status as { endpoints?: unknown[] } | undefined)?.endpoints?.length
        ? o
        : undefined;
    }, "slice endpoints");
    assertEquals((slice.status as { endpoints: unknown[] }).endpoints, [{
      url: `https://127.0.0.1:6443/services/apiexport/${provider}/widgets`,
    }]);

    // a user without `bind` in the provider workspace is refused, and so is a missing export
    const bob = { name: "bob", groups: ["system:authenticated"] };
    const binding = {
      metadata: { name: "widgets" },
      spec: { reference: { export: { path: "root:provider", name: "widgets" } } },
    };
    assertEquals(
      refusal(() => apiCreate(env, consumer, "apis.kcp.io", "apibindings", binding, bob)),
      'apibindings.apis.kcp.io "widgets" is forbidden: unable to create APIBinding: no permission to bind to export root:provider:widgets',
    );
    assertTrue(
      /no permission to bind to export root:provider:nothing/.test(
        refusal(() =>
          apiCreate(env, consumer, "apis.kcp.io", "apibindings", {
            metadata: { name: "x" },
            spec: { reference: { export: { path: "root:provider", name: "nothing" } } },
          })
        ),
      ),
    );
    // granting bind lets bob bind
    apiCreate(env, provider, "rbac.authorization.k8s.io", "clusterroles", {
      metadata: { name: "bind-widgets" },
      rules: [{
        verbs: ["bind"],
        apiGroups: ["apis.kcp.io"],
        resources: ["apiexports"],
        resourceNames: ["widgets"],
      }],
    });
    apiCreate(env, provider, "rbac.authorization.k8s.io", "clusterrolebindings", {
      metadata: { name: "bind-widgets" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "bind-widgets" },
      subjects: [{ kind: "User", name: "bob" }],
    });
    apiCreate(env, consumer, "apis.kcp.io", "apibindings", binding, bob);
    const bound = await waitFor(() => {
      const o = store.get(k(consumer, BINDINGS, "widgets"));
      return phase(o) === "Bound" && o;
    }, "Bound");
    const st = bound.status as { apiExportClusterName: string; boundResources: unknown[] };
    assertEquals(st.apiExportClusterName, provider);
    const schemaUid = store.get(
      k(provider, "apis.kcp.io/apiresourceschemas", "v1.widgets.example.io"),
    )
      ?.metadata?.uid;
    assertEquals(st.boundResources, [{
      group: "example.io",
      resource: "widgets",
      schema: { name: "v1.widgets.example.io", UID: schemaUid, identityHash: identity },
      storageVersions: ["v1"],
    }]);
    const def = backend.resources(consumer).lookup("example.io", "v1", "widgets")!;
    assertEquals(def.source, "binding");
    assertEquals(def.identity, identity);
    assertEquals(def.kind, "Widget");
    assertEquals(backend.resources(provider).lookup("example.io", "v1", "widgets"), undefined);
    assertTrue(
      backend.wildcardResources().all().some((d) =>
        d.resource === "widgets" && d.identity === identity
      ),
    );
    const vw = backend.virtualWorkspace(provider, "widgets")!;
    assertEquals(vw.boundClusters(), [consumer]);
    assertTrue(vw.resources.lookup("example.io", "v1", "widgets"));

    // a CRD overlapping the bound resource is refused
    assertTrue(
      /overlaps with a bound CustomResourceDefinition for "widgets" APIBinding/.test(
        refusal(() =>
          apiCreate(env, consumer, "apiextensions.k8s.io", "customresourcedefinitions", {
            metadata: { name: "widgets.example.io" },
            spec: {
              group: "example.io",
              names: { plural: "widgets", kind: "Widget" },
              scope: "Namespaced",
            },
          })
        ),
      ),
    );

    // a second export of the same resource conflicts in the consumer
    apiCreate(env, provider, "apis.kcp.io", "apiresourceschemas", widgetSchema("v2"));
    apiCreate(env, provider, "apis.kcp.io", "apiexports", {
      metadata: { name: "widgets-too" },
      spec: { latestResourceSchemas: ["v2.widgets.example.io"] },
    });
    await waitFor(
      () =>
        (store.get(k(provider, "apis.kcp.io/apiexports", "widgets-too"))?.status as {
          identityHash?: string;
        })
          ?.identityHash,
      "second identity",
    );
    apiCreate(env, consumer, "apis.kcp.io", "apibindings", {
      metadata: { name: "widgets-too" },
      spec: { reference: { export: { path: "root:provider", name: "widgets-too" } } },
    });
    const conflicted = await waitFor(() => {
      const o = store.get(k(consumer, BINDINGS, "widgets-too"));
      const c =
        (o?.status as { conditions?: { type: string; reason?: string; message?: string }[] })
          ?.conditions?.find((c) => c.type === "InitialBindingCompleted");
      return c?.reason === "NamingConflicts" && c;
    }, "conflict");
    assertTrue(
      /naming conflict with APIBinding "widgets" bound to APIExport root:provider:widgets, spec.names.plural=widgets is forbidden/
        .test(conflicted.message!),
    );
    assertEquals(phase(store.get(k(consumer, BINDINGS, "widgets-too"))), "Binding");

    // a CRD of another group is served next to the bound resource, only where it lives
    const crd = establishCrd({
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "gadgets.example.io" },
      spec: {
        group: "example.io",
        names: { plural: "gadgets", singular: "gadget", kind: "Gadget", listKind: "GadgetList" },
        scope: "Namespaced",
        versions: [{
          name: "v1",
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
          },
        }],
      },
    } as CustomResourceDefinition);
    apiCreate(env, consumer, "apiextensions.k8s.io", "customresourcedefinitions", crd);
    assertEquals(backend.resources(consumer).lookup("example.io", "v1", "gadgets")?.source, "crd");
    assertEquals(backend.resources(provider).lookup("example.io", "v1", "gadgets"), undefined);

    // deleting the binding removes its objects in the consumer, then the binding
    store.create(k(consumer, def.storageResource, "w1", "default"), {
      apiVersion: "example.io/v1",
      kind: "Widget",
      metadata: { name: "w1", namespace: "default" },
    });
    apiDelete(env, k(consumer, BINDINGS, "widgets"));
    await waitFor(() => !store.get(k(consumer, BINDINGS, "widgets")), "binding gone");
    assertEquals(store.get(k(consumer, def.storageResource, "w1", "default")), undefined);
    assertEquals(backend.resources(consumer).lookup("example.io", "v1", "widgets"), undefined);

    // schemas are immutable (a replace with the same spec in another key order is fine)
    const same = store.get(k(provider, "apis.kcp.io/apiresourceschemas", "v1.widgets.example.io"))!;
    const reordered = structuredClone(same);
    const sp = same.spec as Record<string, unknown>;
    reordered.spec = Object.fromEntries(Object.keys(sp).reverse().map((key) => [key, sp[key]]));
    backend.admit({
      operation: "UPDATE",
      cluster: provider,
      def: backend.resources(provider).lookup("apis.kcp.io", "v1alpha1", "apiresourceschemas")!,
      object: reordered,
      oldObject: same,
      user: { name: "kcp-admin", groups: ["system:kcp:admin"] },
    });
    const schema = store.get(
      k(provider, "apis.kcp.io/apiresourceschemas", "v1.widgets.example.io"),
    )!;
    const changed = structuredClone(schema);
    (changed.spec as { scope: string }).scope = "Cluster";
    assertTrue(/is immutable/.test(refusal(() =>
      backend.admit({
        operation: "UPDATE",
        cluster: provider,
        def: backend.resources(provider).lookup("apis.kcp.io", "v1alpha1", "apiresourceschemas")!,
        object: changed,
        oldObject: schema,
        user: { name: "kcp-admin", groups: ["system:kcp:admin"] },
      })
    )));
  } finally {
    await env.close();
  }
});

Deno.test("binding root:compute's kubernetes export serves deployments in the workspace", async () => {
  const env = await startEnv();
  try {
    const { store, backend } = env;
    const wmw = await workspace(env, "wmw");
    assertEquals(backend.resources(wmw).lookup("apps", "v1", "deployments"), undefined);
    apiCreate(env, wmw, "apis.kcp.io", "apibindings", {
      metadata: { name: "kubernetes" },
      spec: { reference: { export: { path: "root:compute", name: "kubernetes" } } },
    }, { name: "carol", groups: ["system:authenticated"] });
    const b = await waitFor(() => {
      const o = store.get(k(wmw, BINDINGS, "kubernetes"));
      return phase(o) === "Bound" && o;
    }, "Bound");
    assertEquals(b.metadata?.annotations?.["extra.apis.kcp.io/compute.workload.kcp.io"], "true");
    const resources = (b.status as { boundResources: { group: string; resource: string }[] })
      .boundResources.map((r) => `${r.resource}.${r.group}`).sort();
    assertEquals(resources, [
      "deployments.apps",
      "ingresses.networking.k8s.io",
      "pods.",
      "services.",
    ]);
    const deploy = backend.resources(wmw).lookup("apps", "v1", "deployments")!;
    assertEquals(deploy.source, "binding");
    assertTrue(backend.resources(wmw).lookup("", "v1", "pods"));
    const compute = backend.resolveCluster("root:compute")!;
    assertEquals(backend.virtualWorkspace("root:compute", "kubernetes")!.boundClusters(), [wmw]);
    assertEquals(backend.virtualWorkspace(compute, "kubernetes")!.boundClusters(), [wmw]);
  } finally {
    await env.close();
  }
});
