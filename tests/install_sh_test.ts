/**
 * `install.sh` end to end against a local download server (loopback, free port) serving
 * release archives built from this checkout (bundle build) and a stand-in kcp release:
 *
 * - bare-process mode: installs kcp and KubeStellar, starts the stand-in kcp (this
 *   checkout's kcp-lite under the name kcp), waits for it, runs `kubestellar start` from the
 *   installed archive (its own Deno: the PATH has no Deno and no Node), prints the
 *   environment lines; a second run skips everything (no downloads); `remove-kubestellar`
 *   then stops kcp and the controllers and deletes what was installed.
 * - hosting-cluster mode against kube-mode kcp-lite with real helm: `deploy` creates the
 *   release, the external kubeconfig (from a Secret the test seeds, as the core's init
 *   container would) is written and exported; the version comes from the "latest" redirect.
 * - bad input: unknown flag, unsupported OS/arch, checksum mismatch, unreachable URL —
 *   one clear line, non-zero exit, nothing half-installed.
 * - shellcheck of install.sh, images/core-entry.sh and .ci/run, when shellcheck is installed
 *   (skipped with a message otherwise; CI installs it).
 *
 * @module
 */
import { dirname, join } from "node:path";
import { loadKubeconfig } from "../lib/kubeconfig/kubeconfig.ts";
import { restClientFor } from "../lib/kube/rest_client.ts";
import { assertEquals, assertMatch, assertStringIncludes, assertTrue } from "./support/assert.ts";
import { startKubeCluster } from "./support/control_plane.ts";
import { kubeTools } from "./support/kube_tools.ts";
import { optionalTool, toolAvailable } from "./support/optional_tool.ts";
import {
  alive,
  BASE_PATH,
  entries,
  exportLines,
  fixture,
  install,
  INSTALL_SH,
  sh,
  standinPids,
  stopStandinKcp,
  VERSION,
} from "./install_sh_fixture.ts";
import { recordNames, stopBackground } from "../lib/process/background_process.ts";

const OS_ARCH = `${Deno.build.os === "darwin" ? "darwin" : "linux"}/${
  Deno.build.arch === "aarch64" ? "arm64" : "amd64"
}`;

const haveTools = await optionalTool("bash", "install.sh end-to-end test") &&
  await optionalTool("curl", "install.sh end-to-end test") &&
  await optionalTool("tar", "install.sh end-to-end test");

/** Whether a process named exactly `kcp` runs here (pgrep, or /proc where pgrep is absent). */
async function otherKcpRunning(): Promise<boolean> {
  if (await toolAvailable("pgrep", ["--version"])) {
    const r = await new Deno.Command("pgrep", { args: ["-x", "kcp"], stdout: "null" }).output();
    return r.success;
  }
  try {
    for (const e of Deno.readDirSync("/proc")) {
      if (!/^\d+$/.test(e.name)) continue;
      const comm = await Deno.readTextFile(`/proc/${e.name}/comm`).catch(() => "");
      if (comm.trim() === "kcp") return true;
    }
  } catch {
    // No /proc either: nothing to tell.
  }
  return false;
}

Deno.test({ name: "install.sh", ignore: !haveTools }, async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "install-sh-test-" });
  const f = await fixture(dir);
  try {
    const otherKcp = await otherKcpRunning();
    if (otherKcp) console.log("bare-mode step SKIPPED: another process named kcp is running");
    await t.step(
      "bare-process mode: kcp and KubeStellar installed and running, then removed",
      async () => {
        if (otherKcp) return;
        const folder = join(dir, "bare");
        const state = f.env.KUBESTELLAR_STATE_DIR;
        const started = Date.now();
        const r = await install(f, ["--kubestellar-version", VERSION, "--ensure-folder", folder]);
        const seconds = (Date.now() - started) / 1000;
        const kcpPids = await standinPids(folder);
        try {
          assertEquals(r.code, 0, r.stdout + r.stderr);
          console.log(`install.sh bare mode against the local server: ${seconds.toFixed(1)} s`);
          // Everything ran with no Deno and no Node on PATH.
          assertEquals(entries(f.env.PATH).filter((n) => /^(deno|node|npm|npx)$/.test(n)), []);
          assertStringIncludes(r.stdout, "< KubeStellar bootstrap started >");
          assertStringIncludes(r.stdout, "kcp not found in the PATH.");
          assertStringIncludes(r.stdout, `Running kcp... logfile=${folder}/kcp_log.txt`);
          assertStringIncludes(r.stdout, "kcp version v0.11.0 ... ok");
          assertStringIncludes(r.stdout, "Starting or restarting KubeStellar...");
          assertStringIncludes(r.stdout, "Finished launching KubeStellar ...");
          assertStringIncludes(r.stdout, "< KubeStellar bootstrap completed successfully >");
          assertEquals(exportLines(r.stdout), [
            `export PATH="${folder}/kcp/bin:$PATH"`,
            `export KUBECONFIG="${folder}/.kcp/admin.kubeconfig"`,
            `export PATH="${folder}/kubestellar/bin:$PATH"`,
          ]);
          assertEquals(entries(join(folder, "kcp", "bin")), ["kcp", "kubectl-ws"]);
          const bin = entries(join(folder, "kubestellar", "bin"));
          assertTrue(bin.includes("kubectl-kubestellar") && !bin.includes("kubectl-ws"), `${bin}`);
          assertTrue(!bin.includes("kubectl_complete-ws"), "kcp's plugin is there: no stand-ins");
          assertEquals(
            (entries(folder)).filter((n) => n.startsWith(".kubestellar-install")),
            [],
          );

          // The installed commands run from the archive's own Deno.
          const path = `${folder}/kubestellar/bin:${folder}/kcp/bin:${f.env.PATH}`;
          const user = { ...f.env, PATH: path, KUBECONFIG: `${folder}/.kcp/admin.kubeconfig` };
          const rel = await sh("kubestellar-release", [], user);
          assertEquals(rel.stdout, `${VERSION}\n`, rel.stderr);
          const ver = await sh("kubestellar-version", ["platform"], user);
          assertEquals(ver.stdout, `${OS_ARCH}\n`, ver.stderr);

          // Second run, with the printed environment applied: nothing to download or start.
          const before = f.server.requests.length;
          const again = await install(f, [
            "--kubestellar-version",
            VERSION,
            "--ensure-folder",
            folder,
          ], { PATH: path, KUBECONFIG: `${folder}/.kcp/admin.kubeconfig` });
          assertEquals(again.code, 0, again.stdout + again.stderr);
          assertStringIncludes(again.stdout, "kcp found in the PATH at");
          assertStringIncludes(again.stdout, "kcp process is running already: pid=");
          assertStringIncludes(again.stdout, `KubeStellar ${VERSION} found at`);
          assertEquals(f.server.requests.length, before, "no downloads on the second run");
          assertEquals(exportLines(again.stdout), []);

          // remove-kubestellar stops what install.sh and kubestellar start recorded and
          // deletes what they installed.
          const removed = await sh("remove-kubestellar", [], user, folder);
          assertEquals(removed.code, 0, removed.stdout + removed.stderr);
          const lines = removed.stdout.trimEnd().split("\n");
          assertEquals(lines.at(-1), "Finished deletion ....");
          assertTrue(lines.includes(`Stopped kcp (pid ${kcpPids[0]})`), removed.stdout);
          // One process hosts the controllers: one line names them all.
          const controllers = lines.find((l) =>
            /^Stopped .*mailbox-controller.* \(pid \d+\)$/.test(l)
          );
          for (const name of ["kubestellar-where-resolver", "placement-translator"]) {
            assertTrue(controllers?.includes(name), `${name}: ${removed.stdout}`);
          }
          for (const gone of ["kcp", ".kcp", "kcp_log.txt", "kubestellar"]) {
            assertTrue(
              lines.includes(`Deleted ${join(folder, gone)}`),
              `${gone}: ${removed.stdout}`,
            );
          }
          assertEquals(entries(folder), []);
          assertEquals(entries(state), []);
          for (const pid of kcpPids) assertEquals(await alive(pid), false, `stand-in pid ${pid}`);
        } finally {
          await stopStandinKcp(kcpPids);
          for (const name of await recordNames(undefined, state)) await stopBackground(name, state);
        }
      },
    );

    await t.step(
      "hosting-cluster mode deploys with helm and fetches the external kubeconfig",
      async () => {
        const cp = await startKubeCluster();
        const client = restClientFor(
          await (await loadKubeconfig({ kubeconfig: cp.kubeconfigPath })).restConfig(),
        );
        try {
          const external = "apiVersion: v1\nkind: Config\nclusters:\n- name: root\n  cluster:\n" +
            "    server: https://ks.example.com:1234/clusters/root\n";
          await client.create({ version: "v1", resource: "namespaces" }, {
            metadata: { name: "ks-core" },
          });
          await client.create({ version: "v1", resource: "secrets", namespace: "ks-core" }, {
            metadata: { name: "kubestellar" },
            data: { "external.kubeconfig": btoa(external) },
          });
          const { helm } = await kubeTools();
          const folder = join(dir, "kube");
          const started = Date.now();
          const r = await install(f, [
            "--endpoint-address",
            "ks.example.com:1234",
            "--host-ns",
            "ks-core",
            "--ensure-folder",
            folder,
          ], {
            PATH: `${dirname(helm)}:${f.env.PATH}`,
            KUBECONFIG: cp.kubeconfigPath,
            HELM_CACHE_HOME: join(dir, "helm-cache"),
            HELM_CONFIG_HOME: join(dir, "helm-config"),
            HELM_DATA_HOME: join(dir, "helm-data"),
            KUBESTELLAR_WAIT_TIMEOUT: "30s",
          });
          const seconds = (Date.now() - started) / 1000;
          assertEquals(r.code, 0, r.stdout + r.stderr);
          console.log(
            `install.sh hosting-cluster mode against the local server: ${seconds.toFixed(1)} s`,
          );
          assertStringIncludes(r.stdout, `Latest KubeStellar release: ${VERSION}`);
          assertStringIncludes(
            r.stdout,
            "< Deploy kcp and KubeStellar into Kubernetes, namespace=ks-core >",
          );
          assertStringIncludes(r.stdout, "STATUS: deployed");
          const dep = await client.get({
            group: "apps",
            version: "v1",
            resource: "deployments",
            namespace: "ks-core",
            name: "kubestellar",
          });
          assertEquals(dep.metadata?.name, "kubestellar");
          assertEquals(await Deno.readTextFile(join(folder, "kubestellar.kubeconfig")), external);
          assertEquals(
            (await Deno.stat(join(folder, "kubestellar.kubeconfig"))).mode! & 0o777,
            0o600,
          );
          const lines = exportLines(r.stdout);
          assertEquals(lines.at(-1), `export KUBECONFIG="${folder}/kubestellar.kubeconfig"`);
          assertTrue(!(entries(folder)).includes(".kcp"), "no kcp started in kube mode");
        } finally {
          client.close();
          await cp.stop();
        }
      },
    );

    await t.step("bad input: one clear line, non-zero exit, nothing created", async () => {
      const folder = join(dir, "never");
      const cases: [string[], Record<string, string>, RegExp][] = [
        [["--no-such-flag"], {}, /^install\.sh: unknown flag '--no-such-flag'/],
        [["extra"], {}, /^install\.sh: unknown positional argument 'extra'/],
        [["--os", "windows"], {}, /^install\.sh: Unsupported operating system type: 'windows'/],
        [["--arch", "s390x"], {}, /^install\.sh: Unsupported architecture type: 's390x'/],
        [["--openshift", "maybe"], {}, /^install\.sh: --openshift value must be 'true' or 'false'/],
        [["--endpoint-address", "nocolon"], {}, /must have the form domain_name:port/],
        [["--kubestellar-version"], {}, /^install\.sh: missing release version/],
        [["--kubestellar-version", "1.2.3"], {}, /is not of the form vX\.Y\.Z/],
      ];
      for (const [args, env, re] of cases) {
        const r = await install(f, ["--ensure-folder", folder, ...args], env);
        assertEquals(r.code, 1, `${args}: ${r.stdout}${r.stderr}`);
        assertMatch(r.stderr, re, `${args}`);
        assertEquals(r.stderr.trim().split("\n").length, 1, r.stderr);
      }
      // Detection: an OS and a machine type that are not supported.
      const fake = join(dir, "fake-uname");
      await Deno.mkdir(fake);
      await Deno.writeTextFile(
        join(fake, "uname"),
        '#!/bin/sh\ncase "$1" in -s) echo SunOS ;; -m) echo sparc64 ;; esac\n',
        { mode: 0o755 },
      );
      const fakePath = `${fake}:${BASE_PATH}`;
      let r = await install(f, ["--ensure-folder", folder], { PATH: fakePath });
      assertEquals(r.code, 1);
      assertMatch(r.stderr, /^install\.sh: Unsupported operating system type: SunOS/);
      r = await install(f, ["--os", "linux", "--ensure-folder", folder], { PATH: fakePath });
      assertEquals(r.code, 1);
      assertMatch(r.stderr, /^install\.sh: Unsupported architecture type: sparc64/);
      assertEquals(entries(folder), [], "nothing created for bad input");
    });

    await t.step("checksum mismatch installs nothing of KubeStellar", async () => {
      const folder = join(dir, "badsum");
      const r = await install(
        f,
        ["--kubestellar-version", VERSION, "--deploy", "false", "--ensure-folder", folder],
        { KUBESTELLAR_DOWNLOAD_BASE: `${f.server.url}/bad` },
      );
      assertEquals(r.code, 1, r.stdout);
      assertMatch(r.stderr, /^install\.sh: checksum mismatch for kubestellar_v0\.9\.1-test_/);
      assertEquals(entries(folder), ["kcp"], "kcp verified and installed, KubeStellar not");
    });

    await t.step("unreachable download URL: clear error, nothing installed", async () => {
      const folder = join(dir, "unreachable");
      // --deploy false: no check for a running kcp (another one on a shared machine
      // would end the run before the download this step is about).
      const r = await install(
        f,
        ["--kubestellar-version", VERSION, "--deploy", "false", "--ensure-folder", folder],
        { KCP_DOWNLOAD_BASE: "http://127.0.0.1:1/kcp" },
      );
      assertEquals(r.code, 1, r.stdout);
      assertMatch(
        r.stderr,
        /install\.sh: cannot download http:\/\/127\.0\.0\.1:1\/kcp\/v0\.11\.0\/checksums\.txt/,
      );
      assertEquals(entries(folder), []);
    });
  } finally {
    await f.server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

const shellcheck = await optionalTool("shellcheck", "the shellcheck test of the shell scripts");

Deno.test({ name: "the shell scripts are shellcheck-clean", ignore: !shellcheck }, async () => {
  const root = dirname(INSTALL_SH);
  const scripts = [INSTALL_SH, join(root, "images", "core-entry.sh"), join(root, ".ci", "run")];
  const r = await sh("shellcheck", scripts, { PATH: Deno.env.get("PATH") ?? BASE_PATH });
  assertEquals(r.code, 0, r.stdout + r.stderr);
});
