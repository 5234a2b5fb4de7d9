/**
 * The core's object logic against one in-process kcp-lite (no child processes):
 * ensureObject, the edge binding, SyncTarget/Location pairs, WMW bindings, the checks
 * made before changes, and the space-provider objects in a kube-mode cluster.
 */
import { UserError } from "../../../lib/cli/errors.ts";
import { waitForBinding } from "../../../lib/core/api_bindings.ts";
import { openCoreSession } from "../../../lib/core/core_session.ts";
import { ensureObject } from "../../../lib/core/ensure_object.ts";
import { ensureEdgeBinding, ensureLocation, removeLocation } from "../../../lib/core/inventory.ts";
import { ensureSpaceProvider } from "../../../lib/core/space_provider.ts";
import { apiBindingTo, ensureWmwBindings, KUBE_EXPORTS } from "../../../lib/core/wmw.ts";
import {
  bindingExists,
  findChildWorkspace,
  requireExport,
  requireWorkspace,
} from "../../../lib/core/workspace_checks.ts";
import type { KubeObject, RestClient } from "../../../lib/kube/rest_client.ts";
import { restClientFor } from "../../../lib/kube/rest_client.ts";
import { loadKubeconfig } from "../../../lib/kubeconfig/kubeconfig.ts";
import { assertEquals, assertMatch, assertTrue } from "../../support/assert.ts";
import { startControlPlane, startKubeCluster } from "../../support/control_plane.ts";
import { initInProcess } from "../../support/plugin_path.ts";

const ST = { group: "edge.kubestellar.io", version: "v2alpha1", resource: "synctargets" };
const LOC = { group: "edge.kubestellar.io", version: "v2alpha1", resource: "locations" };
const WS = { group: "tenancy.kcp.io", version: "v1alpha1", resource: "workspaces" };
const AB = { group: "apis.kcp.io", version: "v1alpha1", resource: "apibindings" };

async function rejects(p: Promise<unknown>): Promise<UserError> {
  try {
    await p;
  } catch (e) {
    assertTrue(e instanceof UserError, String(e));
    return e;
  }
  throw new Error("expected a UserError");
}

async function newWorkspace(root: RestClient, name: string): Promise<void> {
  await root.create(WS, {
    apiVersion: "tenancy.kcp.io/v1alpha1",
    kind: "Workspace",
    metadata: { name },
    spec: { type: { name: "universal", path: "root" } },
  });
  for (let i = 0; i < 200; i++) {
    const ws = await root.get<KubeObject>({ ...WS, name });
    if ((ws.status as { phase?: string } | undefined)?.phase === "Ready") return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`workspace ${name} not ready`);
}

Deno.test("core objects on kcp-lite", async (t) => {
  const cp = await startControlPlane();
  const dir = await Deno.makeTempDir({ prefix: "ks-core-" });
  const kubeconfig = `${dir}/kubeconfig`;
  await Deno.copyFile(cp.kubeconfigPath, kubeconfig);
  const kc = await loadKubeconfig({ kubeconfig });
  const client = restClientFor(await kc.restConfig());
  const root = client.withCluster("root");
  try {
    await t.step("before init: the checks say what is missing", async () => {
      const e = await rejects(requireExport(client, "root:espw", "edge.kubestellar.io"));
      assertEquals(
        e.message,
        "the APIExport root:espw:edge.kubestellar.io does not exist: run 'kubestellar init' first",
      );
      const w = await rejects(requireWorkspace(client, "root:imw-x"));
      assertMatch(w.message, /^workspace "root:imw-x" not found/);
      await requireWorkspace(client, "root"); // root always exists
    });

    await initInProcess(kubeconfig, { imws: ["imw1"] });

    await t.step("ensureObject: created, unchanged despite server defaults, replaced", async () => {
      const cm = {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: { name: "ks-test", labels: { a: "1" } },
        rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }],
      };
      assertEquals(await ensureObject(root, cm), "created");
      assertEquals(await ensureObject(root, cm), "unchanged");
      const next = { ...cm, rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["list"] }] };
      assertEquals(await ensureObject(root, next), "replaced");
      assertEquals(await ensureObject(root, next), "unchanged");
      const stored = await root.get<KubeObject>({
        group: "rbac.authorization.k8s.io",
        version: "v1",
        resource: "clusterroles",
        name: "ks-test",
      });
      assertEquals(stored.rules, next.rules);
    });

    await t.step(
      "ensureLocation: pair, labels added never removed, default Location dropped",
      async () => {
        const imw = client.withCluster("root:imw1");
        try {
          assertTrue(await bindingExists(imw, "edge.kubestellar.io"));
          await imw.create(LOC, {
            apiVersion: "edge.kubestellar.io/v2alpha1",
            kind: "Location",
            metadata: { name: "default" },
            spec: {
              resource: {
                group: "edge.kubestellar.io",
                version: "v2alpha1",
                resource: "synctargets",
              },
              instanceSelector: {},
            },
          });
          const lines: string[] = [];
          await ensureLocation(imw, "c1", [["env", "prod"]], (l) => lines.push(l));
          assertEquals(lines, [
            "synctarget.edge.kubestellar.io/c1 created",
            "location.edge.kubestellar.io/c1 created",
            "synctarget.edge.kubestellar.io/c1 labeled",
            "location.edge.kubestellar.io/c1 labeled",
          ]);
          const again: string[] = [];
          await ensureLocation(imw, "c1", [["zone", "a"]], (l) => again.push(l));
          assertEquals(again, [
            "synctarget.edge.kubestellar.io/c1 labeled",
            "location.edge.kubestellar.io/c1 labeled",
          ]);
          const st = await imw.get<KubeObject>({ ...ST, name: "c1" });
          assertEquals(st.metadata?.labels, { id: "c1", env: "prod", zone: "a" });
          const locs = await imw.list<KubeObject>(LOC);
          assertEquals(locs.items.map((l) => l.metadata?.name), ["c1"]);

          const removed: string[] = [];
          await removeLocation(imw, "c1", (l) => removed.push(l));
          await removeLocation(imw, "c1", (l) => removed.push(l));
          assertEquals(removed, [
            'synctarget.edge.kubestellar.io "c1" deleted',
            'location.edge.kubestellar.io "c1" deleted',
          ]);
        } finally {
          imw.close();
        }
      },
    );

    await t.step("ensureEdgeBinding: created once and Bound", async () => {
      await newWorkspace(root, "imw2");
      const imw = client.withCluster("root:imw2");
      try {
        const lines: string[] = [];
        await ensureEdgeBinding(imw, (l) => lines.push(l));
        await ensureEdgeBinding(imw, (l) => lines.push(l));
        assertEquals(lines, ["apibinding.apis.kcp.io/edge.kubestellar.io created"]);
        const b = await imw.get<KubeObject>({ ...AB, name: "edge.kubestellar.io" });
        assertEquals((b.status as { phase: string }).phase, "Bound");
      } finally {
        imw.close();
      }
    });

    await t.step(
      "ensureWmwBindings: adds and removes the kube bindings, keeps bind-espw",
      async () => {
        await newWorkspace(root, "wmw-x");
        assertEquals((await findChildWorkspace(client, "root", "wmw-x"))?.metadata?.name, "wmw-x");
        assertEquals(await findChildWorkspace(client, "root", "nope"), undefined);
        const wmw = client.withCluster("root:wmw-x");
        try {
          const lines: string[] = [];
          await ensureWmwBindings(wmw, false, (l) => lines.push(l));
          assertEquals(lines, ["apibinding.apis.kcp.io/bind-espw created"]);
          lines.length = 0;
          await ensureWmwBindings(wmw, true, (l) => lines.push(l));
          assertEquals(lines, KUBE_EXPORTS.map((e) => `apibinding.apis.kcp.io/bind-${e} created`));
          const bound = await wmw.list<KubeObject>(AB);
          const ours = bound.items.filter((b) => b.metadata?.name?.startsWith("bind-"));
          assertEquals(ours.length, KUBE_EXPORTS.length + 1);
          assertTrue(ours.every((b) => (b.status as { phase: string }).phase === "Bound"));
          lines.length = 0;
          await ensureWmwBindings(wmw, true, (l) => lines.push(l));
          assertEquals(lines, []);
          await ensureWmwBindings(wmw, false, (l) => lines.push(l));
          assertEquals(
            lines,
            KUBE_EXPORTS.map((e) => `apibinding.apis.kcp.io "bind-${e}" deleted`),
          );
        } finally {
          wmw.close();
        }
      },
    );

    await t.step("a binding to an export that does not exist is reported, bounded", async () => {
      const wmw = client.withCluster("root:wmw-x");
      try {
        await wmw.create(AB, apiBindingTo("bind-nothing", "root:espw", "no-such-export"))
          .catch(() => {});
        const exists = await bindingExists(wmw, "bind-nothing");
        if (exists) {
          const e = await rejects(waitForBinding(wmw, "bind-nothing", 300));
          assertMatch(e.message, /^APIBinding "bind-nothing" is not Bound after 0\.3s/);
        }
      } finally {
        wmw.close();
      }
    });

    await t.step("openCoreSession refuses a server URL that is not a workspace", async () => {
      const e = await rejects(
        openCoreSession("p", ["--server", cp.url, "--kubeconfig", kubeconfig]),
      );
      assertMatch(
        e.message,
        /^p: the kubeconfig's current server https:\/\/127\.0\.0\.1:\d+ is not a kcp workspace URL/,
      );
    });
  } finally {
    root.close();
    client.close();
    await cp.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("space-provider objects land in the space-manager cluster, idempotently", async () => {
  const cp = await startControlPlane();
  const sm = await startKubeCluster();
  const dir = await Deno.makeTempDir({ prefix: "ks-sp-" });
  const kubeconfig = `${dir}/kubeconfig`;
  await Deno.copyFile(cp.kubeconfigPath, kubeconfig);
  const smClient = restClientFor(
    await (await loadKubeconfig({ kubeconfig: sm.kubeconfigPath })).restConfig(),
  );
  try {
    await smClient.create(
      { group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions" },
      {
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: { name: "spaceproviderdescs.space.kubestellar.io" },
        spec: {
          group: "space.kubestellar.io",
          scope: "Cluster",
          names: {
            plural: "spaceproviderdescs",
            singular: "spaceproviderdesc",
            kind: "SpaceProviderDesc",
          },
          versions: [{
            name: "v1alpha1",
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
            },
          }],
        },
      },
    );
    const session = await openCoreSession("kubestellar", ["--kubeconfig", kubeconfig], {
      out: () => {},
    });
    const settings = {
      kubeconfigPath: sm.kubeconfigPath,
      inCluster: false,
      providerName: "default",
      namespace: "spaceprovider-default",
    };
    try {
      for (let i = 0; i < 50; i++) {
        try {
          await ensureSpaceProvider(session, settings, false);
          break;
        } catch (e) {
          if (i === 49) throw e; // the CRD may take a moment to be served
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      const lines: string[] = [];
      session.out = (l) => lines.push(l);
      await ensureSpaceProvider(session, settings, true);
      assertEquals(lines, [
        "namespace/spaceprovider-default unchanged",
        "secret/kcpsec unchanged",
        "spaceproviderdesc/default unchanged",
      ]);
    } finally {
      session.close();
    }
    const desc = await smClient.get<KubeObject>({
      group: "space.kubestellar.io",
      version: "v1alpha1",
      resource: "spaceproviderdescs",
      name: "default",
    });
    assertEquals(desc.spec, {
      ProviderType: "kcp",
      SpacePrefixForDiscovery: "ks-",
      secretRef: { namespace: "spaceprovider-default", name: "kcpsec" },
    });
    const secret = await smClient.get<KubeObject>({
      version: "v1",
      resource: "secrets",
      namespace: "spaceprovider-default",
      name: "kcpsec",
    });
    const text = atob((secret.data as Record<string, string>).kubeconfig);
    assertTrue(text.includes(`server: ${cp.url}/clusters/root`), text);
  } finally {
    smClient.close();
    await sm.stop();
    await cp.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
