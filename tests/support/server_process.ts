/**
 * kcp-lite as a separate process (`kubestellar kcp-lite start`), the way an operator runs
 * the core or an edge cluster, so that a test can `kill -9` it and start it again on the
 * same root directory and port.
 *
 * @example
 * ```ts
 * const core = await ServerProcess.start({ name: "core", rootDirectory: dir, mode: "kcp", logFile });
 * await core.kill9();
 * await core.restart(); // same root directory, same port
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { MAIN_TS } from "./cli.ts";
import { freeLoopbackPort as freePort } from "../../lib/net/free_port.ts";
import { pumpToLog } from "./process_log.ts";

/** How to run one kcp-lite process. */
export interface ServerProcessOptions {
  name: string;
  rootDirectory: string;
  mode: "kcp" | "kube";
  /** Output of every run is appended here. */
  logFile: string;
  /** The port to serve on (kept across restarts); a free one when absent. */
  port?: number;
}

/** How long a start may take before the test gives up. */
const START_TIMEOUT_MS = 60_000;

/** A kcp-lite server running as a child process. */
export class ServerProcess {
  #child: Deno.ChildProcess | undefined;
  #exited: Promise<unknown> = Promise.resolve();
  /** How many times the process was started. */
  starts = 0;

  private constructor(readonly options: ServerProcessOptions, readonly port: number) {}

  /** Starts the server and waits until it serves. */
  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const server = new ServerProcess(options, options.port ?? freePort());
    await server.restart();
    return server;
  }

  /** The admin kubeconfig the server writes in its root directory. */
  get kubeconfigPath(): string {
    return join(this.options.rootDirectory, "admin.kubeconfig");
  }

  /** The process id, while running. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** True while the process runs. */
  get running(): boolean {
    return this.#child !== undefined;
  }

  /** Starts the process (again) on the same root directory and port; waits until it serves. */
  async restart(): Promise<void> {
    if (this.#child) throw new Error(`${this.options.name} is already running`);
    const args = [
      "run",
      "-A",
      "--quiet",
      MAIN_TS,
      "kcp-lite",
      "start",
      "--root-directory",
      this.options.rootDirectory,
      "--secure-port",
      String(this.port),
      ...(this.options.mode === "kube" ? ["--kube-mode"] : []),
    ];
    const child = new Deno.Command(Deno.execPath(), {
      args,
      env: { KUBESTELLAR_INVOKED_AS: "kubestellar", NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#child = child;
    this.starts++;
    const serving = Promise.withResolvers<void>();
    const watchLine = (line: string) => {
      if (/serving at https:\/\//.test(line)) serving.resolve();
    };
    const pumped = pumpToLog(child, this.options.logFile, watchLine);
    this.#exited = child.status.then(async (status) => {
      await pumped;
      if (this.#child === child) this.#child = undefined;
      serving.reject(new Error(`${this.options.name} exited (code ${status.code}) while starting`));
    });
    const timer = setTimeout(
      () => serving.reject(new Error(`${this.options.name} did not serve within 60 s`)),
      START_TIMEOUT_MS,
    );
    try {
      await serving.promise;
    } catch (e) {
      await this.kill9();
      throw new Error(`${e instanceof Error ? e.message : e}; see ${this.options.logFile}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** `kill -9`: the process ends at once, mid-write if it was writing. */
  async kill9(): Promise<void> {
    await this.#signal("SIGKILL");
  }

  /** A clean stop (SIGTERM). */
  async stop(): Promise<void> {
    await this.#signal("SIGTERM");
  }

  async #signal(signal: Deno.Signal): Promise<void> {
    const child = this.#child;
    if (!child) return;
    try {
      child.kill(signal);
    } catch { /* already gone */ }
    await this.#exited;
    this.#child = undefined;
  }
}
