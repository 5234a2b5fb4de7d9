/**
 * What the `install.sh` end-to-end test serves and runs: this checkout's release archive
 * (with its Deno runtime) and a stand-in kcp release on a local download server, a PATH
 * without Deno or Node for everything installed, and helpers to run `install.sh` and read
 * what it printed and installed.
 *
 * The stand-in kcp is this checkout's kcp-lite under the name `kcp` (run by the test's own
 * Deno, by absolute path: nothing on the PATH), so that `install.sh` really starts a
 * server, `kubestellar start` really runs against it from the installed archive, and
 * `remove-kubestellar` really stops both.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { processStartTime } from "../lib/process/process_identity.ts";
import { release } from "../scripts/release.ts";
import { MAIN_TS, REPO_ROOT } from "./support/cli.ts";
import { type DownloadServer, startDownloadServer } from "./support/download_server.ts";

export const INSTALL_SH = join(REPO_ROOT, "install.sh");
export const VERSION = "v0.9.1-test";
const OS = Deno.build.os === "darwin" ? "darwin" : "linux";
const ARCH = Deno.build.arch === "aarch64" ? "arm64" : "amd64";
export const BASE_PATH = "/usr/local/bin:/usr/bin:/bin";

/** The tools install.sh, the installed commands and the stand-ins use (no deno, no node). */
const TOOLS = [
  "awk",
  "basename",
  "bash",
  "cat",
  "chmod",
  "cp",
  "curl",
  "cut",
  "date",
  "dirname",
  "env",
  "grep",
  "gzip",
  "head",
  "id",
  "kill",
  "ln",
  "ls",
  "mkdir",
  "mktemp",
  "mv",
  "nohup",
  "pgrep",
  "ps",
  "readlink",
  "rm",
  "sed",
  "setsid",
  "sh",
  "sha256sum",
  "shasum",
  "sleep",
  "sort",
  "tail",
  "tar",
  "tee",
  "touch",
  "tr",
  "uname",
  "wc",
];

/**
 * A directory of links to the system's tools but Deno and Node (and npm): the PATH
 * install.sh and the installed commands run with, proving they need neither.
 */
export async function toolsWithoutDenoOrNode(dir: string): Promise<string> {
  const bin = join(dir, "tools-bin");
  await Deno.mkdir(bin, { recursive: true });
  for (const tool of TOOLS) {
    for (const sys of BASE_PATH.split(":")) {
      const path = join(sys, tool);
      if (await Deno.stat(path).then((st) => st.isFile, () => false)) {
        await Deno.symlink(path, join(bin, tool));
        break;
      }
    }
  }
  return bin;
}

function standinKcp(): string {
  const run = [Deno.execPath(), "run", "-A", "--quiet", "--config", join(REPO_ROOT, "deno.json")]
    .map((w) => `'${w}'`).join(" ");
  return `#!/bin/sh
# Stand-in for kcp in the install.sh tests: this checkout's kcp-lite, kept under the name
# kcp (this shell is the process install.sh starts and records) until SIGTERM.
case "$1" in
  --version) echo "kcp version v1.24.3+kcp-v0.11.0" ;;
  start)
    mkdir -p .kcp
    ${run} '${MAIN_TS}' kcp-lite start --root-directory .kcp --secure-port 0 &
    child=$!
    echo "$$ $child" > .kcp/standin.pids
    trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit 0' TERM INT
    wait "$child" ;;
  *) echo "stand-in kcp: unsupported: $*" >&2; exit 2 ;;
esac
`;
}

const STANDIN_WS = `#!/bin/sh
# Stand-in for kcp's kubectl-ws: a workspace is "ready" once $KUBECONFIG exists.
[ -f "\${KUBECONFIG:-}" ] || { echo "error: no kubeconfig" >&2; exit 1; }
echo "Current workspace is \\"$1\\"."
`;

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
    { "bin/kcp": standinKcp(), "LICENSE": "stand-in" },
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
  const home = join(dir, "home");
  await Deno.mkdir(home);
  return {
    dir,
    server,
    env: {
      PATH: await toolsWithoutDenoOrNode(dir),
      HOME: home,
      KUBESTELLAR_DOWNLOAD_BASE: `${server.url}/ks`,
      KCP_DOWNLOAD_BASE: `${server.url}/kcp`,
      KUBESTELLAR_LATEST_URL: `${server.url}/latest`,
      KUBESTELLAR_STATE_DIR: join(dir, "state"),
      KCP_READY_TIMEOUT: "60",
      NO_COLOR: "1",
    },
  };
}

export function install(f: Fixture, args: string[], env: Record<string, string> = {}) {
  return sh("/bin/bash", [INSTALL_SH, ...args], { ...f.env, ...env }, f.dir);
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

/** The pids of the stand-in kcp and of its kcp-lite, as the stand-in wrote them. */
export async function standinPids(folder: string): Promise<number[]> {
  try {
    return (await Deno.readTextFile(join(folder, ".kcp", "standin.pids"))).trim().split(/\s+/)
      .map(Number).filter((p) => p > 0);
  } catch {
    return [];
  }
}

/** Ends the stand-in kcp and its kcp-lite (these pids only) if they still run. */
export async function stopStandinKcp(pids: number[]): Promise<void> {
  for (const pid of [...pids].reverse()) {
    if (!await alive(pid)) continue; // gone (its pid may already be someone else's)
    try {
      Deno.kill(pid, "SIGTERM");
    } catch { /* already gone */ }
  }
  // Wait until they are gone, so that the next run does not find a kcp process.
  for (let i = 0; i < 100; i++) {
    if (!(await Promise.all(pids.map(alive))).includes(true)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** True while `pid` runs (a zombie, gone but not yet reaped, does not count). */
export async function alive(pid: number): Promise<boolean> {
  return await processStartTime(pid) !== undefined;
}
