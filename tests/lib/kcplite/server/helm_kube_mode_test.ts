/**
 * Real helm 3.17 against kcp-lite in kube mode: install a small chart (ConfigMap,
 * Deployment, Service), upgrade it with a new value, list, and uninstall.
 *
 * @module
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../../../support/assert.ts";
import { startKubeCluster } from "../../../support/control_plane.ts";
import { runHelm } from "../helm_session.ts";
import { kubectl } from "./server_test_client.ts";

const CHART = {
  "Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
  "values.yaml": "greeting: hello\n",
  "templates/objects.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-config
data:
  greeting: {{ .Values.greeting | quote }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
---
apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-svc
spec:
  selector: {app: web}
  ports: [{port: 80}]
`,
};

Deno.test("helm installs, upgrades and uninstalls a chart on kcp-lite", async () => {
  const cp = await startKubeCluster();
  const home = await Deno.makeTempDir({ prefix: "helm-home-" });
  const chart = join(home, "chart");
  await Deno.mkdir(join(chart, "templates"), { recursive: true });
  for (const [name, text] of Object.entries(CHART)) {
    await Deno.writeTextFile(join(chart, name), text);
  }
  const run = async (args: string[]) => {
    const out = await runHelm(cp, home, args);
    assertEquals(out.code, 0, `helm ${args.join(" ")}: ${out.stderr}`);
    return out.stdout;
  };
  try {
    assertStringIncludes(await run(["install", "demo", chart]), "deployed");
    await run(["upgrade", "demo", chart, "--set", "greeting=bye"]);
    const list = await run(["list", "-o", "json"]);
    const releases = JSON.parse(list) as { name: string; revision: string; status: string }[];
    assertEquals(releases.map((r) => [r.name, r.revision, r.status]), [["demo", "2", "deployed"]]);
    const k = await kubectl(cp, home, ["get", "cm", "demo-config", "-o", "jsonpath={.data}"]);
    assertEquals(k.stdout, '{"greeting":"bye"}');
    await run(["uninstall", "demo"]);
    const gone = await kubectl(cp, home, ["get", "deploy,svc,cm", "-o", "name"]);
    assertEquals(gone.stdout.split("\n").filter((l) => l.includes("demo")), []);
  } finally {
    await cp.stop();
    await Deno.remove(home, { recursive: true });
  }
});
