/**
 * The core pod's container roles (`images/core-entry.sh`) outside a cluster: the `pki`
 * init container makes the serving certificates; kcp-lite (kcp mode) stands in for the
 * `kcp` container and serves them; the `init` container waits for it, writes the
 * external and internal kubeconfigs, runs `kubestellar init`, publishes the Secret
 * `kubestellar` in a kube-mode kcp-lite hosting cluster (with real kubectl) and marks the
 * pod ready; `get-external-kubeconfig` then reads what it published, and controller
 * containers (mailbox-controller, status-summarizer) start and stay up. The commands are
 * this checkout's, linked by `scripts/link.ts`, as the image's `bin/` would hold them.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { startKcpLite } from "../../lib/kcplite/kcp_lite_server.ts";
import { loadKubeconfig } from "../../lib/kubeconfig/kubeconfig.ts";
import { restClientFor } from "../../lib/kube/rest_client.ts";
import { link } from "../../scripts/link.ts";
import { assertEquals, assertStringIncludes, assertTrue } from "../support/assert.ts";
import { REPO_ROOT, runCli } from "../support/cli.ts";
import { startKubeCluster } from "../support/control_plane.ts";
import { kubeTools } from "../support/kube_tools.ts";
import { optionalTool } from "../support/optional_tool.ts";
import { pathExists } from "../support/path_exists.ts";

const ENTRY = join(REPO_ROOT, "images", "core-entry.sh");

interface KubeconfigDoc {
  clusters: { name: string; cluster: { server: string; "certificate-authority-data"?: string } }[];
  contexts: { name: string; context: { namespace?: string } }[];
}

const HAVE_BASH = await optionalTool("bash", "the core-entry.sh test");

Deno.test({
  name: "core-entry.sh pki and init publish working kubeconfigs in the hosting cluster",
  ignore: !HAVE_BASH,
}, async () => {
  const dir = await Deno.makeTempDir({ prefix: "core-entry-test-" });
  const hosting = await startKubeCluster();
  const data = join(dir, "data");
  const run = join(dir, "run");
  const bin = join(dir, "bin");
  await Deno.mkdir(data);
  await Deno.mkdir(run);
  await link(bin);
  const { kubectl } = await kubeTools();
  // The hosting cluster as the pod's service account would see it: namespace "ks".
  const hostingDoc = parseYaml(await Deno.readTextFile(hosting.kubeconfigPath)) as KubeconfigDoc;
  for (const c of hostingDoc.contexts) c.context.namespace = "ks";
  const hostingKubeconfig = join(dir, "hosting.kubeconfig");
  await Deno.writeTextFile(hostingKubeconfig, stringifyYaml(hostingDoc), { mode: 0o600 });
  const hostingClient = restClientFor(
    await (await loadKubeconfig({ kubeconfig: hosting.kubeconfigPath })).restConfig(),
  );
  await hostingClient.create({ version: "v1", resource: "namespaces" }, {
    metadata: { name: "ks" },
  });
  const env = {
    PATH: `${bin}:${dirname(kubectl)}:/usr/bin:/bin`,
    HOME: dir,
    KUBECONFIG: hostingKubeconfig,
    KUBESTELLAR_DATA_DIR: data,
    KUBESTELLAR_RUN_DIR: run,
    EXTERNAL_HOSTNAME: "ks.example.test",
    EXTERNAL_PORT: "1234",
    ENSURE_IMW: "imw1",
    ENSURE_WMW: "wmw1",
    KUBESTELLAR_WAIT_TIMEOUT: "60s",
  };
  let kcp: Awaited<ReturnType<typeof startKcpLite>> | undefined;
  let init: Deno.ChildProcess | undefined;
  try {
    const pki = await new Deno.Command("bash", {
      args: [ENTRY, "pki"],
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    assertEquals(pki.code, 0, dec.decode(pki.stdout) + dec.decode(pki.stderr));
    const serving = join(data, "serving");
    for (const f of ["ca.crt", "external.crt", "external.key", "service.crt", "service.key"]) {
      assertTrue(await pathExists(join(serving, f)), f);
    }
    assertEquals((await Deno.stat(join(serving, "external.key"))).mode! & 0o777, 0o600);

    // The kcp container: kcp-lite with the chart's --tls-sni-cert-key pairs.
    kcp = await startKcpLite({
      rootDirectory: join(data, "kcp"),
      securePort: 0,
      bindAddress: "127.0.0.1",
      mode: "kcp",
      sniCertKeys: [
        { certFile: join(serving, "external.crt"), keyFile: join(serving, "external.key") },
        { certFile: join(serving, "service.crt"), keyFile: join(serving, "service.key") },
      ],
    });
    assertEquals(kcp.adminKubeconfigPath, join(data, "kcp", "admin.kubeconfig"));

    init = new Deno.Command("bash", {
      args: [ENTRY, "init"],
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const output = Promise.all([
      new Response(init.stdout).text(),
      new Response(init.stderr).text(),
    ]);
    let exited = false;
    init.status.then(() => exited = true);
    const deadline = Date.now() + 90_000;
    while (!(await pathExists(join(run, "ready"))) && !exited && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    if (!(await pathExists(join(run, "ready")))) {
      if (!exited) init.kill("SIGTERM");
      const [o, e] = await output;
      throw new Error(`init did not get ready:\n${o}\n${e}`);
    }

    const secret = await hostingClient.get<{ data: Record<string, string> }>({
      version: "v1",
      resource: "secrets",
      namespace: "ks",
      name: "kubestellar",
    });
    assertEquals(Object.keys(secret.data).sort(), [
      "admin.kubeconfig",
      "cluster.kubeconfig",
      "external.kubeconfig",
    ]);
    const ca = await Deno.readTextFile(join(serving, "ca.crt"));
    const external = parseYaml(atob(secret.data["external.kubeconfig"])) as KubeconfigDoc;
    const root = (doc: KubeconfigDoc) => doc.clusters.find((c) => c.name === "root")!.cluster;
    assertEquals(root(external).server, "https://ks.example.test:1234/clusters/root");
    assertEquals(atob(root(external)["certificate-authority-data"]!), ca);
    const internal = parseYaml(atob(secret.data["cluster.kubeconfig"])) as KubeconfigDoc;
    assertEquals(root(internal).server, "https://kubestellar:6443/clusters/root");

    // kubestellar init ran against kcp: the ESPW and the requested workspaces exist.
    const kcpClient = restClientFor(
      await (await loadKubeconfig({ kubeconfig: kcp.adminKubeconfigPath, context: "root" }))
        .restConfig(),
    );
    try {
      const ws = await kcpClient.withCluster("root").list<{ metadata: { name: string } }>({
        group: "tenancy.kcp.io",
        version: "v1alpha1",
        resource: "workspaces",
      });
      const names = ws.items.map((w) => w.metadata.name);
      for (const n of ["espw", "imw1", "wmw1"]) assertTrue(names.includes(n), `${n} in ${names}`);
    } finally {
      kcpClient.close();
    }

    // What the commands read from there.
    const got = await runCli(["get-external-kubeconfig", "-n", "ks", "-o", join(dir, "ext")], {
      as: "kubectl-kubestellar",
      env: { KUBECONFIG: hosting.kubeconfigPath, HOME: dir },
    });
    assertEquals(got.code, 0, got.stderr);
    assertStringIncludes(await Deno.readTextFile(join(dir, "ext")), "ks.example.test:1234");

    // Controller containers once init is done: each starts and keeps running.
    const controllers = ["mailbox-controller", "status-summarizer"].map((role) => {
      const child = new Deno.Command("bash", {
        args: [ENTRY, role],
        env: { ...env, VERBOSITY: "1" },
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const c = {
        role,
        child,
        exited: false,
        output: Promise.all([
          new Response(child.stdout).text(),
          new Response(child.stderr).text(),
        ]),
      };
      child.status.then(() => c.exited = true);
      return c;
    });
    await new Promise((r) => setTimeout(r, 3000));
    for (const c of controllers) {
      const exitedEarly = c.exited;
      if (!exitedEarly) c.child.kill("SIGTERM");
      await c.child.status;
      const [cOut, cErr] = await c.output;
      assertTrue(!exitedEarly, `${c.role} exited early:\n${cOut}\n${cErr}`);
      assertStringIncludes(cOut, `starting ${c.role}`);
    }

    init.kill("SIGTERM");
    const status = await init.status;
    assertEquals(status.code, 0, "init ends promptly and cleanly on SIGTERM");
    const [stdout] = await output;
    assertStringIncludes(stdout, "***READY***");
    init = undefined;
  } finally {
    if (init) {
      try {
        init.kill("SIGKILL");
      } catch { /* gone */ }
      await init.status;
    }
    hostingClient.close();
    await kcp?.stop();
    await hosting.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
