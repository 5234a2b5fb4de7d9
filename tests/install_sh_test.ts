/**
 * `install.sh` end to end against a local download server (loopback, free port) serving
 * release archives built from this checkout (bundle build) and a stand-in kcp release:
 *
 * - bare-process mode: installs kcp and KubeStellar, starts the stand-in kcp, waits for
 *   it, runs `kubestellar start`, prints the environment lines; a second run skips
 *   everything (no downloads). The stand-in kcp serves no API, so a real `kubestellar
 *   start` could only fail: the test's Deno wrapper (`KUBESTELLAR_DENO`) records the start
 *   command line instead of running it. Everything before it is the real flow.
 * - hosting-cluster mode against kube-mode kcp-lite with real helm: `deploy` creates the
 *   release, the external kubeconfig (from a Secret the test seeds, as the core's init
 *   container would) is written and exported; the version comes from the "latest" redirect.
 * - bad input: unknown flag, unsupported OS/arch, checksum mismatch, unreachable URL —
 *   one clear line, non-zero exit, nothing half-installed.
 * - shellcheck, when installed (skipped with a message otherwise).
 *
 * @module
 */
import { dirname, join } from "node:path";
import { loadKubeconfig } from "../lib/kubeconfig/kubeconfig.ts";
import { restClientFor } from "../lib/kube/rest_client.ts";
import { release } from "../scripts/release.ts";
import { assertEquals, assertMatch, assertStringIncludes, assertTrue } from "./support/assert.ts";
import { REPO_ROOT } from "./support/cli.ts";
import { startKubeCluster } from "./support/control_plane.ts";
import { type DownloadServer, startDownloadServer } from "./support/download_server.ts";
import { kubeTools } from "./support/kube_tools.ts";

const INSTALL_SH = join(REPO_ROOT, "install.sh");
const VERSION = "v0.9.1-test";
const OS = Deno.build.os === "darwin" ? "darwin" : "linux";
const ARCH = Deno.build.arch === "aarch64" ? "arm64" : "amd64";
const BASE_PATH = "/usr/local/bin:/usr/bin:/bin";

const STANDIN_KCP = `#!/bin/sh
# Stand-in for kcp in the install.sh tests: a version, and a "server" that only writes
# .kcp/admin.kubeconfig and stays up until SIGTERM.
case "$1" in
  --version) echo "kcp version v1.24.3+kcp-v0.11.0" ;;
  start)
    mkdir -p .kcp
    echo "$$" > .kcp/standin.pid
    printf 'apiVersion: v1\\nkind: Config\\nclusters: []\\n' > .kcp/admin.kubeconfig
    trap 'exit 0' TERM INT
    while :; do sleep 1; done ;;
  *) echo "stand-in kcp: unsupported: $*" >&2; exit 2 ;;
esac
`;

const STANDIN_WS = `#!/bin/sh
# Stand-in for kcp's kubectl-ws: a workspace is "ready" once $KUBECONFIG exists.
[ -f "\${KUBECONFIG:-}" ] || { echo "error: no kubeconfig" >&2; exit 1; }
echo "Current workspace is \\"$1\\"."
`;

function denoWrapper(log: string): string {
  return `#!/bin/sh
# Records 'kubestellar start' (the stand-in kcp serves no API); runs everything else.
case " $* " in
  *"kubestellar.js start "*) echo "$*" >> '${log}'; echo "stand-in: kubestellar start recorded"; exit 0 ;;
esac
exec '${Deno.execPath()}' "$@"
`;
}

async function sh(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await new Deno.Command(cmd, {
    args,
    env,
    cwd,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
}

async function sha256(data: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", data.slice());
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function tarGz(files: Record<string, string>, dir: string, out: string): Promise<Uint8Array> {
  const root = await Deno.makeTempDir({ dir });
  for (const [name, text] of Object.entries(files)) {
    await Deno.mkdir(join(root, dirname(name)), { recursive: true });
    await Deno.writeTextFile(join(root, name), text, { mode: 0o755 });
  }
  const r = await sh("tar", ["-czf", out, "-C", root, "."], { PATH: BASE_PATH });
  if (r.code !== 0) throw new Error(r.stderr);
  return await Deno.readFile(out);
}

interface Fixture {
  dir: string;
  server: DownloadServer;
  env: Record<string, string>;
  startLog: string;
}

/** Serves this checkout's release archive and the stand-in kcp release. */
async function fixture(dir: string): Promise<Fixture> {
  const rel = await release({
    version: VERSION,
    outDir: join(dir, "release"),
    targets: [`${OS}/${ARCH}`],
  });
  const server = startDownloadServer({}, { "/latest": `/tag/${VERSION}` });
  const ksArchive = await Deno.readFile(rel.archives[0].path);
  const ksName = `kubestellar_${VERSION}_${OS}_${ARCH}.tar.gz`;
  server.put(`/ks/${VERSION}/${ksName}`, ksArchive);
  server.put(`/tag/${VERSION}`, `<html>KubeStellar ${VERSION}</html>\n`);
  server.put(`/ks/${VERSION}/checksums.txt`, await Deno.readTextFile(rel.checksums));
  server.put(`/bad/${VERSION}/${ksName}`, ksArchive);
  server.put(`/bad/${VERSION}/checksums.txt`, `${"0".repeat(64)}  ${ksName}\n`);
  const kcpName = `kcp_0.11.0_${OS}_${ARCH}.tar.gz`;
  const pluginName = `kubectl-kcp-plugin_0.11.0_${OS}_${ARCH}.tar.gz`;
  const kcp = await tarGz(
    { "bin/kcp": STANDIN_KCP, "LICENSE": "stand-in" },
    dir,
    join(dir, kcpName),
  );
  const plugin = await tarGz({ "bin/kubectl-ws": STANDIN_WS }, dir, join(dir, pluginName));
  server.put(`/kcp/v0.11.0/${kcpName}`, kcp);
  server.put(`/kcp/v0.11.0/${pluginName}`, plugin);
  server.put(
    `/kcp/v0.11.0/checksums.txt`,
    `${await sha256(kcp)}  ${kcpName}\n${await sha256(plugin)}  ${pluginName}\n`,
  );
  const startLog = join(dir, "start.log");
  const wrapper = join(dir, "deno-wrapper");
  await Deno.writeTextFile(wrapper, denoWrapper(startLog), { mode: 0o755 });
  const home = join(dir, "home");
  await Deno.mkdir(home);
  return {
    dir,
    server,
    startLog,
    env: {
      PATH: BASE_PATH,
      HOME: home,
      KUBESTELLAR_DOWNLOAD_BASE: `${server.url}/ks`,
      KCP_DOWNLOAD_BASE: `${server.url}/kcp`,
      KUBESTELLAR_LATEST_URL: `${server.url}/latest`,
      KUBESTELLAR_DENO: wrapper,
      KCP_READY_TIMEOUT: "30",
      NO_COLOR: "1",
    },
  };
}

function install(f: Fixture, args: string[], env: Record<string, string> = {}) {
  return sh("bash", [INSTALL_SH, ...args], { ...f.env, ...env }, f.dir);
}

function exportLines(stdout: string): string[] {
  const i = stdout.indexOf("Please create/update the following environment variables: ");
  return i < 0 ? [] : stdout.slice(i).split("\n").slice(1).filter((l) => l.startsWith("export "));
}

function entries(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  } catch {
    return [];
  }
}

async function stopStandinKcp(folder: string): Promise<void> {
  try {
    const pid = Number((await Deno.readTextFile(join(folder, ".kcp", "standin.pid"))).trim());
    if (!(pid > 0)) return;
    Deno.kill(pid, "SIGTERM");
    // Wait until it is gone, so that the next run does not find a kcp process.
    for (let i = 0; i < 100; i++) {
      const alive = await new Deno.Command("kill", { args: ["-0", String(pid)], stderr: "null" })
        .output();
      if (!alive.success) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch {
    // not started
  }
}

const haveCurl = await new Deno.Command("curl", { args: ["--version"], stdout: "null" })
  .output().then((r) => r.success).catch(() => false);
if (!haveCurl) console.log("install.sh end-to-end test SKIPPED: curl is not installed");

Deno.test({ name: "install.sh", ignore: !haveCurl }, async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "install-sh-test-" });
  const f = await fixture(dir);
  try {
    const otherKcp = await new Deno.Command("pgrep", { args: ["-x", "kcp"], stdout: "null" })
      .output().then((r) => r.success).catch(() => false);
    if (otherKcp) console.log("bare-mode step SKIPPED: another process named kcp is running");
    await t.step("bare-process mode installs, starts kcp, runs kubestellar start", async () => {
      if (otherKcp) return;
      const folder = join(dir, "bare");
      const started = Date.now();
      const r = await install(f, ["--kubestellar-version", VERSION, "--ensure-folder", folder]);
      const seconds = (Date.now() - started) / 1000;
      try {
        assertEquals(r.code, 0, r.stdout + r.stderr);
        console.log(`install.sh bare mode against the local server: ${seconds.toFixed(1)} s`);
        assertStringIncludes(r.stdout, "< KubeStellar bootstrap started >");
        assertStringIncludes(r.stdout, "kcp not found in the PATH.");
        assertStringIncludes(r.stdout, `Running kcp... logfile=${folder}/kcp_log.txt`);
        assertStringIncludes(r.stdout, "kcp version v0.11.0 ... ok");
        assertStringIncludes(r.stdout, "Starting or restarting KubeStellar...");
        assertStringIncludes(r.stdout, "< KubeStellar bootstrap completed successfully >");
        assertEquals(exportLines(r.stdout), [
          `export PATH="${folder}/kcp/bin:$PATH"`,
          `export KUBECONFIG="${folder}/.kcp/admin.kubeconfig"`,
          `export PATH="${folder}/kubestellar/bin:$PATH"`,
        ]);
        const start = await Deno.readTextFile(f.startLog);
        assertStringIncludes(start, "kubestellar.js start --ensure-imw imw1 --ensure-wmw wmw1");
        assertEquals(entries(join(folder, "kcp", "bin")), ["kcp", "kubectl-ws"]);
        const bin = entries(join(folder, "kubestellar", "bin"));
        assertTrue(bin.includes("kubectl-kubestellar") && !bin.includes("kubectl-ws"), `${bin}`);
        assertEquals(
          (entries(folder)).filter((n) => n.startsWith(".kubestellar-install")),
          [],
        );

        // The installed commands work (bundle build, run by the Deno wrapper).
        const path = `${folder}/kubestellar/bin:${folder}/kcp/bin:${BASE_PATH}`;
        const rel = await sh("kubestellar-release", [], { ...f.env, PATH: path });
        assertEquals(rel.stdout, `${VERSION}\n`, rel.stderr);

        // Second run, with the printed environment applied: nothing to download or start.
        const before = f.server.requests.length;
        const again = await install(f, [
          "--kubestellar-version",
          VERSION,
          "--ensure-folder",
          folder,
        ], {
          PATH: path,
          KUBECONFIG: `${folder}/.kcp/admin.kubeconfig`,
        });
        assertEquals(again.code, 0, again.stdout + again.stderr);
        assertStringIncludes(again.stdout, "kcp found in the PATH at");
        assertStringIncludes(again.stdout, "kcp process is running already: pid=");
        assertStringIncludes(again.stdout, `KubeStellar ${VERSION} found at`);
        assertEquals(f.server.requests.length, before, "no downloads on the second run");
        assertEquals(exportLines(again.stdout), []);
      } finally {
        await stopStandinKcp(folder);
      }
    });

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
            PATH: `${dirname(helm)}:${BASE_PATH}`,
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
      const r = await install(f, ["--kubestellar-version", VERSION, "--ensure-folder", folder], {
        KCP_DOWNLOAD_BASE: "http://127.0.0.1:1/kcp",
      });
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

const shellcheck = await new Deno.Command("shellcheck", { args: ["--version"], stdout: "null" })
  .output().then((r) => r.success).catch(() => false);
if (!shellcheck) {
  console.log("install.sh shellcheck test SKIPPED: shellcheck is not installed");
}

Deno.test({ name: "install.sh is shellcheck-clean", ignore: !shellcheck }, async () => {
  const r = await sh("shellcheck", [INSTALL_SH], { PATH: Deno.env.get("PATH") ?? BASE_PATH });
  assertEquals(r.code, 0, r.stdout + r.stderr);
});
