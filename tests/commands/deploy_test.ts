/**
 * `kubectl kubestellar deploy`: argument rules (unit), and real helm 3.17 against a
 * kube-mode kcp-lite hosting cluster — release created with the chart's objects, a second
 * deploy is an idempotent upgrade, `helm delete kubestellar` removes it, the temporary
 * chart directory is gone afterwards; OpenShift without an endpoint waits for the Route's
 * host (and gives up, clearly, when none comes).
 *
 * @module
 */
import { dirname, join } from "node:path";
import { parseDeployArgs } from "../../lib/deploy/deploy_args.ts";
import { helmConnectionFlags } from "../../lib/deploy/helm_flags.ts";
import { helmUpgradeArgs } from "../../lib/deploy/helm_upgrade.ts";
import { loadKubeconfig } from "../../lib/kubeconfig/kubeconfig.ts";
import { type RestClient, restClientFor } from "../../lib/kube/rest_client.ts";
import { isNotFound } from "../../lib/kube/rest_errors.ts";
import { assertEquals, assertMatch, assertStringIncludes, assertTrue } from "../support/assert.ts";
import { runCli } from "../support/cli.ts";
import { type ControlPlane, startKubeCluster } from "../support/control_plane.ts";
import { kubeTools } from "../support/kube_tools.ts";

const PROG = "kubectl-kubestellar-deploy";

Deno.test("deploy arguments: flags in any order, helm flags passed on", () => {
  const r = parseDeployArgs(PROG, [
    "-n",
    "ks",
    "--external-endpoint",
    "ks.example.com:1234",
    "--wait",
    "--kubeconfig=/k",
    "--openshift",
    "false",
    "-X",
  ]);
  assertEquals(r.helmFlags, ["-n", "ks", "--wait", "--kubeconfig=/k"]);
  assertEquals([r.host, r.port, r.openshift, r.trace], ["ks.example.com", 1234, false, true]);
  const os = parseDeployArgs(PROG, ["--openshift", "true"]);
  assertEquals([os.host, os.port, os.openshift], ["", 443, true]);
  assertEquals(parseDeployArgs(PROG, ["--openshift", "maybe", "-h"]).help, true);
});

Deno.test("deploy arguments: the documented errors", () => {
  const cases: [string[], RegExp][] = [
    [["--external-endpoint", "a:b:c"], /should only have one colon/],
    [["--external-endpoint", "host"], /should have a colon in it/],
    [["--external-endpoint", ":443"], /needs a domain name/],
    [["--external-endpoint", "h.example:99999"], /port from 1 to 65535/],
    [["--openshift", "yes"], /--openshift should be true or false/],
    [[], /--external-endpoint cannot be omitted unless --openshift true/],
    [["--openshift"], /missing --openshift value/],
    [["--external-endpoint", "h:1", "extra"], /no positional arguments are allowed/],
    [["--external-endpoint", "h:1", "--no-such-flag"], /unknown flag "--no-such-flag"/],
    [["--external-endpoint", "h:1", "--context", "x"], /--context flag not supported/],
  ];
  for (const [args, re] of cases) {
    let message = "";
    try {
      parseDeployArgs(PROG, args);
    } catch (e) {
      message = (e as Error).message;
    }
    assertMatch(message, re, `${args.join(" ")} -> ${message}`);
    assertTrue(message.startsWith(`${PROG}: `), message);
  }
});

Deno.test("deploy builds helm upgrade -i with the seed's values after the user's flags", () => {
  const args = helmUpgradeArgs({
    chartPath: "/tmp/c",
    openshift: true,
    host: "",
    port: 443,
    imageTag: "v1.2.3",
    helmFlags: ["-n", "ks"],
  });
  assertEquals(args, [
    "upgrade",
    "-i",
    "-n",
    "ks",
    "kubestellar",
    "/tmp/c",
    "--set",
    "clusterType=OpenShift",
    "--set-string",
    "EXTERNAL_HOSTNAME=",
    "--set",
    "EXTERNAL_PORT=443",
    "--set-string",
    "image.tag=v1.2.3",
  ]);
  assertEquals(helmConnectionFlags(["--kube-context", "c", "-n=ks", "--kubeconfig", "/k"]), {
    context: "c",
    namespace: "ks",
    kubeconfig: "/k",
  });
});

interface Env {
  cp: ControlPlane;
  client: RestClient;
  dir: string;
  env: Record<string, string>;
  helm(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
}

async function withHostingCluster(fn: (e: Env) => Promise<void>): Promise<void> {
  const cp = await startKubeCluster();
  const dir = await Deno.makeTempDir({ prefix: "deploy-test-" });
  const client = restClientFor(
    await (await loadKubeconfig({ kubeconfig: cp.kubeconfigPath }))
      .restConfig(),
  );
  try {
    const { helm } = await kubeTools();
    await Deno.mkdir(join(dir, "tmp"));
    const env = {
      PATH: `${dirname(helm)}:${Deno.env.get("PATH")}`,
      HOME: dir,
      HELM_CACHE_HOME: join(dir, "helm-cache"),
      HELM_CONFIG_HOME: join(dir, "helm-config"),
      HELM_DATA_HOME: join(dir, "helm-data"),
      TMPDIR: join(dir, "tmp"),
      KUBECONFIG: cp.kubeconfigPath,
    };
    const runHelm = async (args: string[]) => {
      const r = await new Deno.Command(helm, { args, env, stdout: "piped", stderr: "piped" })
        .output();
      const dec = new TextDecoder();
      return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
    };
    await fn({ cp, client, dir, env, helm: runHelm });
  } finally {
    client.close();
    await cp.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

async function exists(client: RestClient, ref: Parameters<RestClient["get"]>[0]) {
  try {
    await client.get(ref);
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

const OBJECTS = [
  { version: "v1", resource: "serviceaccounts", name: "kubestellar-sa" },
  { version: "v1", resource: "persistentvolumeclaims", name: "kubestellar-pvc" },
  { version: "v1", resource: "services", name: "kubestellar" },
  { group: "apps", version: "v1", resource: "deployments", name: "kubestellar" },
  { group: "networking.k8s.io", version: "v1", resource: "ingresses", name: "kubestellar-ingress" },
  {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    resource: "roles",
    name: "kubestellar-role",
  },
  {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    resource: "rolebindings",
    name: "kubestellar-role-binding",
  },
];

Deno.test("deploy installs, upgrades idempotently, and helm delete removes the release", async () => {
  await withHostingCluster(async ({ client, env, dir, helm }) => {
    const args = ["deploy", "--external-endpoint", "ks.example.com:1234", "-n", "ks"];
    const first = await runCli([...args, "--create-namespace"], { as: "kubectl-kubestellar", env });
    assertEquals(first.code, 0, first.stderr);
    assertStringIncludes(first.stdout, 'Release "kubestellar" does not exist. Installing it now.');
    for (const ref of OBJECTS) {
      assertTrue(await exists(client, { ...ref, namespace: "ks" }), `${ref.resource} ${ref.name}`);
    }
    const dep = await client.get<
      {
        spec: { template: { spec: { containers: { env?: { name: string; value: string }[] }[] } } };
      }
    >(
      {
        group: "apps",
        version: "v1",
        resource: "deployments",
        namespace: "ks",
        name: "kubestellar",
      },
    );
    const initEnv = dep.spec.template.spec.containers[1].env!;
    assertEquals(initEnv.find((e) => e.name === "EXTERNAL_PORT")?.value, "1234");

    const second = await runCli(args, { as: "kubectl-kubestellar", env });
    assertEquals(second.code, 0, second.stderr);
    assertStringIncludes(second.stdout, 'Release "kubestellar" has been upgraded.');
    const list = await helm(["list", "-n", "ks", "-o", "json"]);
    const releases = JSON.parse(list.stdout) as {
      name: string;
      revision: string;
      status: string;
    }[];
    assertEquals(releases.map((r) => [r.name, r.revision, r.status]), [[
      "kubestellar",
      "2",
      "deployed",
    ]]);
    assertEquals([...Deno.readDirSync(join(dir, "tmp"))], [], "the chart directory was removed");

    const del = await helm(["delete", "kubestellar", "-n", "ks"]);
    assertEquals(del.code, 0, del.stderr);
    for (const ref of OBJECTS) {
      assertTrue(!(await exists(client, { ...ref, namespace: "ks" })), `${ref.name} removed`);
    }
  });
});

Deno.test("deploy reports helm's failure and a missing helm clearly", async () => {
  await withHostingCluster(async ({ env }) => {
    const bad = await runCli(
      ["deploy", "--external-endpoint", "h.example:443", "-n", "absent-ns", "-X"],
      { as: "kubectl-kubestellar", env },
    );
    assertEquals(bad.code, 1);
    assertStringIncludes(bad.stderr, 'helm upgrade of release "kubestellar" failed');
    assertMatch(
      bad.stderr,
      /^\+ helm upgrade -i -n absent-ns kubestellar \S+ --set clusterType=Kubernetes/m,
    );
    const noHelm = await runCli(
      ["deploy", "--external-endpoint", "h.example:443"],
      { as: "kubectl-kubestellar", env: { ...env, KUBESTELLAR_HELM: "/nonexistent/helm" } },
    );
    assertEquals(noHelm.code, 1);
    assertMatch(noHelm.stderr, /^kubectl-kubestellar-deploy: helm not found/);
  });
});

const ROUTE_CRD = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "routes.route.openshift.io" },
  spec: {
    group: "route.openshift.io",
    scope: "Namespaced",
    names: { plural: "routes", singular: "route", kind: "Route", listKind: "RouteList" },
    versions: [{
      name: "v1",
      served: true,
      storage: true,
      schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
    }],
  },
};

async function addRouteApi(client: RestClient): Promise<void> {
  await client.create(
    { group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions" },
    ROUTE_CRD,
  );
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      await client.list({ group: "route.openshift.io", version: "v1", resource: "routes" });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error("the Route API did not become available");
}

Deno.test("deploy --openshift true waits for the router to assign the Route's host", async () => {
  await withHostingCluster(async ({ client, env }) => {
    await addRouteApi(client);
    const running = runCli(["deploy", "--openshift", "true", "-n", "default"], {
      as: "kubectl-kubestellar",
      env: { ...env, KUBESTELLAR_WAIT_TIMEOUT: "60s" },
    });
    const route = {
      group: "route.openshift.io",
      version: "v1",
      resource: "routes",
      namespace: "default",
      name: "kubestellar-route",
    };
    // Play the router: once the Route exists, give it a host.
    const deadline = Date.now() + 60_000;
    while (!(await exists(client, route)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    await client.patch(
      route,
      { spec: { host: "kubestellar-route-default.apps.example.com" } },
      "merge",
    );
    const r = await running;
    assertEquals(r.code, 0, r.stderr);
    assertStringIncludes(
      r.stdout,
      "External endpoint: kubestellar-route-default.apps.example.com:443",
    );
  });
});

Deno.test("deploy --openshift true gives up clearly when no host is assigned", async () => {
  await withHostingCluster(async ({ client, env }) => {
    await addRouteApi(client);
    const r = await runCli(["deploy", "--openshift", "true"], {
      as: "kubectl-kubestellar",
      env: { ...env, KUBESTELLAR_WAIT_TIMEOUT: "1s" },
    });
    assertEquals(r.code, 1);
    assertMatch(
      r.stderr,
      /assigned no host to Route kubestellar-route in namespace "default" within 1(\.0)?s/,
    );
  });
});

Deno.test("deploy -h prints the usage line", async () => {
  const r = await runCli(["deploy", "-h"], { as: "kubectl-kubestellar" });
  assertEquals(r.code, 0);
  assertMatch(
    r.stdout,
    /^Usage: kubectl kubestellar deploy .*--external-endpoint \$domain_name:\$port/,
  );
});
