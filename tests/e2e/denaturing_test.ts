/**
 * Denaturing end to end on the quickstart topology (a kcp-mode core, two kube-mode edge
 * clusters with their syncers): one object of every forcibly-denatured kind written with
 * kubectl in natured form through the edge view and placed by an EdgePlacement that
 * names the natured kinds.
 *
 * - In the WMW it is stored denatured: a RoleBinding there grants nothing (a service
 *   account's request stays Forbidden, and the same binding made natured would grant),
 *   no webhook configuration is there to intercept a ConfigMap create;
 * - each mailbox holds the denatured form; each edge cluster the natured form, where the
 *   RoleBinding grants;
 * - status written on an edge returns to the mailbox copy; updates (a strategic merge
 *   patch through the view) and deletions flow to the edges.
 */
import type { KubeObject } from "../../lib/kube/rest_client.ts";
import { assertEquals, assertMatch, assertStringIncludes } from "../support/assert.ts";
import { eventually, Example1Stage } from "./example1_fixture.ts";
import { type EdgeName, EDGES } from "./example1_objects.ts";
import { denaturingPlacement, PLACED, TEAM, viewObjects } from "./denaturing_objects.ts";

const VIEW = "wmw-d-edge-view";

Deno.test("denaturing: natured kinds written through the edge view are inert in the center and act on the edges", async (t) => {
  const stage = await Example1Stage.start();
  const k = (...args: string[]) => stage.kubectl(...args);
  const view = (...args: string[]) => k("--context", VIEW, ...args);
  let broken = false;
  const step = async (name: string, fn: () => Promise<void>) => {
    const ok = await t.step({ name, ignore: broken, fn });
    if (!ok) broken = true;
  };
  const edgeHas = async (edge: EdgeName, res: string, ns: string | undefined, name: string) =>
    await stage.get(edge, res, ...(ns ? ["-n", ns] : []), name);
  try {
    await step("start, two onboarded edge clusters, a WMW and its edge-view context", async () => {
      const started = await k("kubestellar", "start");
      assertMatch(started, / edge view is running \(log file: .*kubestellar-edge-view-log\.txt\)/);
      for (const [name, labels] of Object.entries(EDGES)) {
        await k("kubestellar", "ensure", "location", "--imw", "root:imw1", name, ...labels);
      }
      for (const name of Object.keys(EDGES) as EdgeName[]) {
        await k("ws", "root");
        const r = await stage.run("kubestellar", "prep-for-syncer", "--imw", "root:imw1", name);
        assertEquals(r.code, 0, r.stderr);
        await stage.wec(name, "apply", "-f", `${name}-syncer.yaml`);
        await stage.startSyncer(name);
      }
      for (const name of Object.keys(EDGES) as EdgeName[]) await stage.syncerStarted(name);
      await k("ws", "root");
      await k("kubestellar", "ensure", "wmw", "wmw-d");
      assertEquals(
        (await k("kubestellar", "edge-view", "wmw-d")).trim(),
        `Context "${VIEW}" is set up for the edge view of root:wmw-d.`,
      );
    });

    await step("kubectl apply through the view: natured kinds stored denatured", async () => {
      const applied = await view("apply", "-f", await stage.manifest("team.yaml", viewObjects()));
      assertStringIncludes(applied, "rolebinding.rbac.authorization.k8s.io/reader-binding created");
      assertStringIncludes(
        applied,
        "validatingwebhookconfiguration.admissionregistration.k8s.io/demo-denier created",
      );
      await k("apply", "-f", await stage.manifest("ep.yaml", [denaturingPlacement()]));
      // Through the view: the natured form, as written.
      const rb = await stage.json(
        "--context",
        VIEW,
        "get",
        "rolebinding",
        "-n",
        TEAM,
        "reader-binding",
      );
      assertEquals([rb.apiVersion, rb.kind], ["rbac.authorization.k8s.io/v1", "RoleBinding"]);
      const listed = await view("get", "rolebindings", "-n", TEAM);
      assertMatch(listed, /reader-binding\s+cm-reader/);
      // In the workspace itself: only its own RBAC natured; the workload's RBAC denatured.
      assertEquals(await stage.get("hub", "rolebinding", "-n", TEAM, "reader-binding"), undefined);
      const stored = await stage.json(
        "get",
        "rolebindings.denatured.kubestellar.io",
        "-n",
        TEAM,
        "reader-binding",
      );
      assertEquals(stored.apiVersion, "denatured.kubestellar.io/v1");
      const vwcs = await stage.json<{ items: KubeObject[] }>(
        "get",
        "validatingwebhookconfigurations",
      );
      assertEquals(vwcs.items.map((o) => o.metadata?.name), []);
    });

    await step("in the WMW the RoleBinding grants nothing; natured, it would", async () => {
      // The workspace's own (natured) ServiceAccount and Role with the same names.
      await k("create", "serviceaccount", "reader", "-n", TEAM);
      await k(
        "create",
        "role",
        "cm-reader",
        "-n",
        TEAM,
        "--verb=get,list",
        "--resource=configmaps",
      );
      const token = (await k("create", "token", "reader", "-n", TEAM)).trim();
      const asReader = () => stage.run("--token", token, "get", "configmaps", "-n", TEAM);
      const denied = await asReader();
      assertEquals(denied.code, 1, denied.stdout);
      assertMatch(denied.stderr, /Forbidden|forbidden/);
      // Control: the same binding, natured and made directly in the workspace, grants.
      await k(
        "create",
        "rolebinding",
        "direct",
        "-n",
        TEAM,
        "--role=cm-reader",
        `--serviceaccount=${TEAM}:reader`,
      );
      await eventually(
        "the natured binding grants",
        async () => (await asReader()).code === 0 || "still denied",
      );
      await k("delete", "rolebinding", "direct", "-n", TEAM);
      await eventually(
        "denied again",
        async () => (await asReader()).code !== 0 || "still granted",
      );
    });

    await step("in the WMW no webhook intercepts a ConfigMap create", async () => {
      await k("create", "configmap", "not-intercepted", "-n", TEAM, "--from-literal=a=b");
      assertEquals((await stage.get("hub", "configmap", "-n", TEAM, "not-intercepted"))?.data, {
        a: "b",
      });
    });

    await step("preview and list-syncing-objects show the denatured kinds", async () => {
      const preview = await k("kubestellar", "preview");
      assertMatch(
        preview,
        /RoleBinding\.denatured\.kubestellar\.io team\/reader-binding \(denatured; RoleBinding\.rbac\.authorization\.k8s\.io on the edge\)/,
      );
      await eventually("natured RoleBindings asked for, denatured copies listed", async () => {
        const objs = await stage.listSyncing(
          "--api-group",
          "rbac.authorization.k8s.io",
          "--api-kind",
          "RoleBinding",
        );
        const copies = objs.filter((o) => o.metadata?.name === "reader-binding");
        return copies.length === 2 || `${copies.length} copies`;
      });
    });

    await step("each mailbox holds the denatured forms", async () => {
      for (const [res, , name] of PLACED) {
        const [plural] = res.split(".");
        await eventually(`${plural} ${name} in both mailboxes`, async () => {
          const objs = await stage.listSyncing(
            "--api-group",
            "denatured.kubestellar.io",
            "--api-resource",
            plural,
            "--api-kind",
            "X",
          );
          const copies = objs.filter((o) => o.metadata?.name === name);
          if (copies.length !== 2) return `${copies.length} copies`;
          return copies.every((o) => o.apiVersion === "denatured.kubestellar.io/v1") ||
            "not denatured";
        });
      }
    });

    await step("each edge cluster holds the natured forms, owned by the syncer", async () => {
      for (const edge of Object.keys(EDGES) as EdgeName[]) {
        for (const [res, ns, name] of PLACED) {
          await eventually(`${res} ${name} on ${edge}`, async () => {
            const o = await edgeHas(edge, res, ns, name);
            if (!o) return "not there";
            const kind = o.kind ?? "";
            return o.metadata?.annotations?.["edge.kubestellar.io/downsynced"] ===
                `${kind}/${ns ?? ""}/${name}` ||
              "no ownership annotation";
          });
        }
      }
      const rb = await edgeHas("florin", "rolebinding", TEAM, "reader-binding");
      assertEquals(rb?.roleRef, {
        apiGroup: "rbac.authorization.k8s.io",
        kind: "Role",
        name: "cm-reader",
      });
      const vwc = await edgeHas(
        "guilder",
        "validatingwebhookconfiguration",
        undefined,
        "demo-denier",
      );
      assertEquals((vwc?.webhooks as { failurePolicy: string }[])[0].failurePolicy, "Fail");
    });

    await step("on the edge cluster the RoleBinding grants", async () => {
      const wec = stage.wecs.florin.kubeconfigPath;
      await stage.wec(
        "florin",
        "create",
        "configmap",
        "edge-data",
        "-n",
        TEAM,
        "--from-literal=x=y",
      );
      const token = (await stage.wec("florin", "create", "token", "reader", "-n", TEAM)).trim();
      const r = await stage.run(
        "--kubeconfig",
        wec,
        "--token",
        token,
        "get",
        "configmaps",
        "-n",
        TEAM,
      );
      assertEquals(r.code, 0, r.stderr);
      assertStringIncludes(r.stdout, "edge-data");
      const other = await stage.run(
        "--kubeconfig",
        wec,
        "--token",
        token,
        "get",
        "secrets",
        "-n",
        TEAM,
      );
      assertMatch(other.stderr, /Forbidden|forbidden/);
    });

    await step("status on the edge returns to the mailbox copy", async () => {
      await stage.wec(
        "florin",
        "patch",
        "resourcequota",
        "demo-quota",
        "-n",
        TEAM,
        "--subresource=status",
        "--type=merge",
        "-p",
        JSON.stringify({ status: { hard: { configmaps: "10" }, used: { configmaps: "2" } } }),
      );
      await eventually("used configmaps in florin's mailbox copy", async () => {
        const objs = await stage.listSyncing(
          "--api-group",
          "denatured.kubestellar.io",
          "--api-kind",
          "ResourceQuota",
        );
        const used = objs.map((o) =>
          (o.status as { used?: Record<string, string> })?.used?.configmaps
        );
        return used.includes("2") || `used: ${JSON.stringify(used)}`;
      });
    });

    await step(
      "updates through the view (strategic merge patch, server-side apply) reach the edges",
      async () => {
        const out = await view(
          "patch",
          "rolebinding",
          "reader-binding",
          "-n",
          TEAM,
          "-p",
          JSON.stringify({ metadata: { labels: { tier: "gold" } } }),
        );
        assertStringIncludes(out, "rolebinding.rbac.authorization.k8s.io/reader-binding patched");
        for (const edge of Object.keys(EDGES) as EdgeName[]) {
          await eventually(`label on ${edge}`, async () => {
            const rb = await edgeHas(edge, "rolebinding", TEAM, "reader-binding");
            return rb?.metadata?.labels?.tier === "gold" || "no label yet";
          });
        }
        const role = {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "Role",
          metadata: { name: "ssa-role", namespace: TEAM },
          rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }],
        };
        const ssa = await view(
          "apply",
          "--server-side",
          "-f",
          await stage.manifest("ssa.yaml", [role]),
        );
        assertStringIncludes(ssa, "role.rbac.authorization.k8s.io/ssa-role serverside-applied");
        const applied = await stage.json("--context", VIEW, "get", "role", "-n", TEAM, "ssa-role");
        assertEquals(applied.apiVersion, "rbac.authorization.k8s.io/v1");
        await eventually("the applied Role on guilder", async () => {
          const r = await edgeHas("guilder", "role", TEAM, "ssa-role");
          return (r?.rules as { resources: string[] }[] | undefined)?.[0]?.resources[0] ===
              "secrets" ||
            "not there";
        });
      },
    );

    await step("deletion through the view removes the natured objects from the edges", async () => {
      await view("delete", "validatingwebhookconfiguration", "demo-denier");
      await view("delete", "role", "cm-reader", "-n", TEAM);
      for (const edge of Object.keys(EDGES) as EdgeName[]) {
        await eventually(
          `gone from ${edge}`,
          async () => {
            if (await edgeHas(edge, "validatingwebhookconfiguration", undefined, "demo-denier")) {
              return "vwc there";
            }
            return !(await edgeHas(edge, "role", TEAM, "cm-reader")) || "role there";
          },
        );
      }
      // The workspace's own natured Role is untouched.
      assertEquals((await stage.get("hub", "role", "-n", TEAM, "cm-reader"))?.kind, "Role");
    });
  } finally {
    if (broken) {
      for (const name of Object.keys(EDGES) as EdgeName[]) {
        console.error(`--- syncer log ${name}:\n${(await stage.syncerLog(name)).slice(-6000)}`);
      }
    }
    await stage.stop();
  }
});
