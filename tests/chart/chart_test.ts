/**
 * The core Helm chart with real helm 3.17: `helm lint` and `helm template` for a plain
 * Kubernetes and an OpenShift hosting cluster, bad values, and the embedded copy
 * (`lib/deploy/chart_files.ts`) matching `chart/` byte for byte.
 *
 * @module
 */
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { CHART_FILES } from "../../lib/deploy/chart_files.ts";
import { CHART_DIR, readChartDir } from "../../scripts/embed_chart.ts";
import { assertEquals, assertStringIncludes, assertTrue } from "../support/assert.ts";
import { kubeTools } from "../support/kube_tools.ts";

interface Obj {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

async function helm(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { helm } = await kubeTools();
  const home = await Deno.makeTempDir({ prefix: "chart-test-home-" });
  try {
    const r = await new Deno.Command(helm, {
      args,
      env: { HOME: home, HELM_CACHE_HOME: join(home, "c"), HELM_CONFIG_HOME: join(home, "g") },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

async function render(sets: string[]): Promise<Obj[]> {
  const r = await helm([
    "template",
    "kubestellar",
    CHART_DIR,
    "--namespace",
    "ks-ns",
    ...sets.flatMap((s) => ["--set", s]),
  ]);
  assertEquals(r.code, 0, r.stderr);
  return parseAllDocuments(r.stdout).map((d) => d.toJSON() as Obj).filter((o) => o);
}

function byKind(objs: Obj[]): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const o of objs) (result[o.kind] ??= []).push(o.metadata.name);
  return result;
}

Deno.test("the embedded chart module matches chart/", async () => {
  assertEquals({ ...CHART_FILES }, await readChartDir());
});

Deno.test("helm lint passes for Kubernetes and OpenShift values", async () => {
  for (
    const sets of [
      [],
      ["EXTERNAL_HOSTNAME=ks.example.com", "EXTERNAL_PORT=1234"],
      ["clusterType=OpenShift"],
      ["kcp.flavor=kcp-lite"],
    ]
  ) {
    const r = await helm(["lint", "--strict", CHART_DIR, ...sets.flatMap((s) => ["--set", s])]);
    assertEquals(r.code, 0, `${sets}: ${r.stdout}${r.stderr}`);
    assertStringIncludes(r.stdout, "0 chart(s) failed");
  }
});

Deno.test("helm template for Kubernetes: Ingress with SSL passthrough, no Route", async () => {
  const objs = await render([
    "EXTERNAL_HOSTNAME=ks.example.com",
    "EXTERNAL_PORT=1234",
    "image.tag=v9.9.9",
  ]);
  assertEquals(byKind(objs), {
    ServiceAccount: ["kubestellar-sa"],
    PersistentVolumeClaim: ["kubestellar-pvc"],
    Role: ["kubestellar-role"],
    RoleBinding: ["kubestellar-role-binding"],
    Service: ["kubestellar"],
    Deployment: ["kubestellar"],
    Ingress: ["kubestellar-ingress"],
  });
  const ingress = objs.find((o) => o.kind === "Ingress")!;
  assertEquals(
    ingress.metadata.annotations?.["nginx.ingress.kubernetes.io/ssl-passthrough"],
    "true",
  );
  const rules = ingress.spec!.rules as { host: string }[];
  assertEquals(rules[0].host, "ks.example.com");
  const deploy = objs.find((o) => o.kind === "Deployment")!;
  const pod = (deploy.spec!.template as { spec: Record<string, unknown> }).spec;
  type C = {
    name: string;
    image: string;
    args?: string[];
    env?: { name: string; value: string }[];
  };
  const containers = pod.containers as C[];
  assertEquals(containers.map((c) => c.name), [
    "kcp",
    "init",
    "mailbox-controller",
    "where-resolver",
    "placement-translator",
    "status-summarizer",
  ]);
  for (const c of containers.slice(2)) {
    assertEquals(c.args, [c.name], "core-entry.sh's role is the container's name");
    assertEquals(c.image, "ghcr.io/kubestellar/kubestellar-deno:v9.9.9");
  }
  assertEquals((pod.initContainers as C[]).map((c) => c.name), ["pki"]);
  assertEquals(containers[0].image, "ghcr.io/kcp-dev/kcp:v0.11.0");
  assertEquals(containers[1].image, "ghcr.io/kubestellar/kubestellar-deno:v9.9.9");
  const env = Object.fromEntries(containers[1].env!.map((e) => [e.name, e.value]));
  assertEquals(env.EXTERNAL_HOSTNAME, "ks.example.com");
  assertEquals(env.EXTERNAL_PORT, "1234");
  assertTrue(containers[0].args!.includes("--secure-port=6443"));
  assertEquals((pod.securityContext as { runAsUser: number }).runAsUser, 65532);
});

Deno.test("helm template for OpenShift: passthrough Route, no Ingress", async () => {
  const objs = await render(["clusterType=OpenShift"]);
  const kinds = byKind(objs);
  assertEquals(kinds.Route, ["kubestellar-route"]);
  assertEquals(kinds.Ingress, undefined);
  const route = objs.find((o) => o.kind === "Route")!;
  assertEquals(route.spec!.host, undefined, "the router assigns the host");
  assertEquals((route.spec!.tls as { termination: string }).termination, "passthrough");
  const deploy = objs.find((o) => o.kind === "Deployment")!;
  const pod = (deploy.spec!.template as { spec: Record<string, unknown> }).spec;
  assertEquals(pod.securityContext, undefined, "OpenShift assigns user and group");
  const role = objs.find((o) => o.kind === "Role") as unknown as {
    rules: { apiGroups: string[] }[];
  };
  assertTrue(role.rules.some((r) => r.apiGroups.includes("route.openshift.io")));
});

Deno.test("helm template for kcp-lite runs kcp-lite from the controllers image", async () => {
  const objs = await render(["kcp.flavor=kcp-lite", "EXTERNAL_HOSTNAME=h.example"]);
  const deploy = objs.find((o) => o.kind === "Deployment")!;
  const pod = (deploy.spec!.template as { spec: { containers: { args: string[] }[] } }).spec;
  assertEquals(pod.containers[0].args.slice(0, 3), ["kcp-lite", "start", "--bind-address=0.0.0.0"]);
});

Deno.test("helm template rejects an unknown clusterType or kcp flavor", async () => {
  let r = await helm(["template", "kubestellar", CHART_DIR, "--set", "clusterType=Nomad"]);
  assertTrue(r.code !== 0);
  assertStringIncludes(r.stderr, "clusterType must be Kubernetes or OpenShift");
  r = await helm(["template", "kubestellar", CHART_DIR, "--set", "kcp.flavor=etcd"]);
  assertTrue(r.code !== 0);
  assertStringIncludes(r.stderr, "kcp.flavor must be kcp or kcp-lite");
});
