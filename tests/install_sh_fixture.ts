/**
 * What the `install.sh` end-to-end test serves and runs: this checkout's release archive
 * and a stand-in kcp release on a local download server, a Deno wrapper that records
 * `kubestellar start` instead of running it, and helpers to run `install.sh` and read
 * what it printed and installed.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { release } from "../scripts/release.ts";
import { REPO_ROOT } from "./support/cli.ts";
import { type DownloadServer, startDownloadServer } from "./support/download_server.ts";

export const INSTALL_SH = join(REPO_ROOT, "install.sh");
export const VERSION = "v0.9.1-test";
const OS = Deno.build.os === "darwin" ? "darwin" : "linux";
const ARCH = Deno.build.arch === "aarch64" ? "arm64" : "amd64";
export const BASE_PATH = "/usr/local/bin:/usr/bin:/bin";

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

export async function sh(
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
export async function fixture(dir: string): Promise<Fixture> {
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

export function install(f: Fixture, args: string[], env: Record<string, string> = {}) {
  return sh("bash", [INSTALL_SH, ...args], { ...f.env, ...env }, f.dir);
}

export function exportLines(stdout: string): string[] {
  const i = stdout.indexOf("Please create/update the following environment variables: ");
  return i < 0 ? [] : stdout.slice(i).split("\n").slice(1).filter((l) => l.startsWith("export "));
}

export function entries(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  } catch {
    return [];
  }
}

export async function stopStandinKcp(folder: string): Promise<void> {
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
