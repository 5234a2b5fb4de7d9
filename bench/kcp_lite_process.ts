/**
 * Starts `kubestellar kcp-lite start` as its own process for a benchmark (so the
 * server's CPU is not the benchmark client's), and waits until it printed where it
 * serves.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const MAIN = join(fileURLToPath(import.meta.url), "..", "..", "main.ts");

/** A running kcp-lite process. */
export interface KcpLiteProcess {
  url: string;
  pid: number;
  adminKubeconfigPath: string;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/** Reads the child's stdout until `marker` appears; resolves to what was read. */
export async function readUntil(child: Deno.ChildProcess, marker: string): Promise<string> {
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes(marker)) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the server process exited early");
    text += value;
  }
  reader.releaseLock();
  child.stdout.cancel().catch(() => {});
  return text;
}

/** Starts kcp-lite (kcp mode, or kube mode) on a free port with state under `dir`. */
export async function startKcpLiteProcess(
  dir: string,
  mode: "kcp" | "kube" = "kcp",
): Promise<KcpLiteProcess> {
  const args = ["run", "-A", "--quiet", MAIN, "kcp-lite", "start"];
  if (mode === "kube") args.push("--kube-mode");
  args.push("--secure-port", "0", "--root-directory", dir);
  const child = new Deno.Command(Deno.execPath(), { args, stdout: "piped", stderr: "null" })
    .spawn();
  const text = await readUntil(child, "admin kubeconfig:");
  const url = /serving at (\S+)/.exec(text)?.[1] ?? "";
  return {
    url,
    pid: child.pid,
    adminKubeconfigPath: join(dir, "admin.kubeconfig"),
    async stop() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}
