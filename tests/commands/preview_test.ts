/**
 * `kubectl kubestellar preview` against kcp-lite with the example1 wmw-c workloads: the
 * table names each destination with its location selector and each object with its
 * downsync test; JSON and YAML carry the same; problems are listed; nothing is written;
 * bad input is one line and a non-zero exit.
 */
import { parse as parseYaml } from "yaml";
import { commondReadySummarizer } from "../../lib/quickstart/summary_step.ts";
import type { KubeObject } from "../../lib/kube/rest_client.ts";
import { assertEquals, assertStringIncludes, assertTrue } from "../support/assert.ts";
import { runCli } from "../support/cli.ts";
import { populateWmwC } from "../lib/controllers/placement/example1_workloads.ts";
import {
  addLocation,
  addWmw,
  ensure,
  R,
  startHub,
} from "../lib/controllers/placement/translator_fixture.ts";
import { EDGE_API_VERSION, STATUS_SUMMARIZERS } from "../../lib/edge/api_types.ts";

Deno.test("kubectl kubestellar preview", async (t) => {
  const hub = await startHub();
  try {
    const florin = await addLocation(hub, "florin", { "loc-name": "florin", env: "prod" });
    const guilder = await addLocation(hub, "guilder", { "loc-name": "guilder", env: "prod" });
    const wmw = await addWmw(hub, "wmw-c");
    await populateWmwC(wmw.client, [florin, guilder]);
    await ensure(wmw.client, R.placements, {
      apiVersion: EDGE_API_VERSION,
      kind: "EdgePlacement",
      metadata: { name: "lost" },
      spec: {
        locationSelectors: [{ matchLabels: { env: "test" } }],
        downsync: [{ apiGroup: "", resources: ["configmaps"], namespaces: ["missing"] }],
      },
    });
    await ensure(wmw.client, R.placements, {
      apiVersion: EDGE_API_VERSION,
      kind: "EdgePlacement",
      metadata: { name: "unresolved" },
      spec: {
        locationSelectors: [{ matchLabels: { "loc-name": "guilder" } }],
        downsync: [{ apiGroup: "", resources: ["configmaps"], namespaces: ["commonstuff"] }],
      },
    });
    const kc = hub.cp.kubeconfigPath;
    const preview = (...args: string[]) =>
      runCli(["preview", "--kubeconfig", kc, ...args], { as: "kubectl-kubestellar" });
    // What the WMW holds, by name and resourceVersion (the list's own resourceVersion is the
    // server-wide one, which the server's own controllers move).
    const snapshot = async () =>
      (await wmw.client.list<KubeObject>(R.configmaps)).items.map((o) =>
        `${o.metadata?.namespace}/${o.metadata?.name}@${o.metadata?.resourceVersion}`
      ).sort();
    const before = await snapshot();

    await t.step("table: destinations, objects and why", async () => {
      const r = await preview("--wmw", "root:wmw-c");
      assertEquals(r.code, 0, r.stderr);
      const lines = r.stdout.split("\n");
      assertTrue(
        lines.some((l) =>
          /^edge-placement-c\s+florin\s+florin\s+locationSelectors\[0\]: env=prod$/.test(l)
        ),
      );
      assertTrue(lines.some((l) => /^edge-placement-c\s+guilder\s+guilder\s+/.test(l)));
      assertTrue(
        lines.some((l) =>
          /^edge-placement-c\s+ConfigMap commonstuff\/httpd-htdocs\s+downsync\[0\]: configmaps \(core group\), namespaces commonstuff, names httpd-htdocs$/
            .test(l)
        ),
        r.stdout,
      );
      assertTrue(
        lines.some((l) =>
          /^edge-placement-c\s+Deployment\.apps commonstuff\/commond\s+downsync\[1\]/.test(l)
        ),
      );
      assertTrue(
        lines.some((l) =>
          /^edge-placement-c\s+APIBinding\.apis\.kcp\.io bind-kubernetes\s+defines deployments\.apps$/
            .test(l)
        ),
      );
      assertTrue(lines.some((l) => /^lost\s+<none>\s+<none>/.test(l)));
      assertStringIncludes(
        r.stdout,
        'lost: downsync[0] names namespace "missing", which does not exist in the workspace',
      );
      assertStringIncludes(r.stdout, "lost: no SinglePlacementSlice yet");
    });

    await t.step("objects a StatusSummarizer summarizes say so", async () => {
      await ensure(wmw.client, STATUS_SUMMARIZERS, commondReadySummarizer());
      const r = await preview("--wmw", "root:wmw-c", "edge-placement-c");
      assertEquals(r.code, 0, r.stderr);
      assertTrue(
        r.stdout.split("\n").some((l) =>
          /^edge-placement-c\s+Deployment\.apps commonstuff\/commond \(summarized by commond-ready\)\s+downsync\[1\]/
            .test(l)
        ),
        r.stdout,
      );
      const j = JSON.parse((await preview("--wmw", "root:wmw-c", "-o", "json")).stdout);
      const commond = j.placements[0].objects.find((o: { name: string }) => o.name === "commond");
      assertEquals(commond.summarizedBy, ["commond-ready"]);
      await wmw.client.delete({ ...STATUS_SUMMARIZERS, name: "commond-ready" });
    });

    await t.step("-o json and -o yaml, one placement named; kubectl flags anywhere", async () => {
      const j = await preview("edge-placement-c", "-o", "json", "--wmw", "wmw-c");
      assertEquals(j.code, 0, j.stderr);
      const doc = JSON.parse(j.stdout);
      assertEquals(doc.placements.length, 1);
      assertEquals(
        doc.placements[0].objects.map((o: { kind: string; name: string }) => `${o.kind}/${o.name}`),
        ["APIBinding/bind-kubernetes", "ConfigMap/httpd-htdocs", "Deployment/commond"],
      );
      assertEquals(
        doc.placements[0].destinations.map((d: { syncTarget: string }) => d.syncTarget),
        ["florin", "guilder"],
      );
      const y = await runCli([
        "preview",
        "-o",
        "yaml",
        "--wmw",
        "root:wmw-c",
        "edge-placement-c",
        "--kubeconfig",
        kc,
      ], {
        as: "kubectl-kubestellar",
      });
      assertEquals(y.code, 0, y.stderr);
      assertEquals(parseYaml(y.stdout), doc);
    });

    await t.step(
      "no slice yet: the shard admin sees destinations resolved from the inventory",
      async () => {
        const r = await preview("--context", "system:admin", "--wmw", "root:wmw-c", "unresolved");
        assertEquals(r.code, 0, r.stderr);
        assertTrue(
          /^unresolved\s+guilder\s+guilder\s+locationSelectors\[0\]: loc-name=guilder$/m.test(
            r.stdout,
          ),
          r.stdout,
        );
        assertTrue(!/^unresolved\s+florin/m.test(r.stdout));
        assertStringIncludes(
          r.stdout,
          "unresolved: no SinglePlacementSlice yet (is the where-resolver running?): destinations resolved from the inventory",
        );
      },
    );

    await t.step("writes nothing", async () => {
      assertEquals(await snapshot(), before);
    });

    await t.step("bad input: one line, non-zero exit", async () => {
      const missing = await preview("--wmw", "root:wmw-c", "nope");
      assertEquals(missing.code, 1);
      assertEquals(missing.stderr.trim().split("\n").length, 1, missing.stderr);
      assertStringIncludes(
        missing.stderr,
        'EdgePlacement "nope" not found in workspace root:wmw-c',
      );
      const format = await preview("-o", "wide");
      assertEquals(format.code, 1);
      assertStringIncludes(format.stderr, 'unknown output format "wide"');
      const notWmw = await preview("--wmw", "root");
      assertEquals(notWmw.code, 1);
      assertStringIncludes(notWmw.stderr, "does not serve EdgePlacements");
    });
  } finally {
    await hub.stop();
  }
});
