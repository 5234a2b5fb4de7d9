/**
 * The quickstart's topology with every part in its own process, for fault tests and the
 * soak benchmark: a kcp-mode kcp-lite core, two kube-mode kcp-lite edge clusters
 * (`florin`: env=prod; `guilder`: env=prod, extended=yes), the controllers as
 * `kubestellar start` launches them, and one syncer per edge cluster. Any part can be
 * killed with `kill -9` and started again, the servers on the same root directory and
 * port.
 *
 * The user's kubeconfig is a copy of the core's `admin.kubeconfig`, as the quickstart and
 * the seed's sessions make it; the test's own clients always read the core's current
 * `admin.kubeconfig`, so they follow a core restart as an operator would.
 *
 * @module
 */
import { join } from "node:path";
import { loadKubeconfig } from "../../lib/kubeconfig/kubeconfig.ts";
import { type RestClient, restClientFor } from "../../lib/kube/rest_client.ts";
import { readRecord } from "../../lib/process/background_process.ts";
import { installSyncer } from "../../lib/quickstart/syncer_install.ts";
import { MAIN_TS, runCli } from "./cli.ts";
import { pumpToLog } from "./process_log.ts";
import { ServerProcess } from "./server_process.ts";

/** The two edge clusters. */
export type EdgeName = "florin" | "guilder";
/** The edge clusters and their Location labels. */
export const EDGES: Record<EdgeName, string[]> = {
  florin: ["loc-name=florin", "env=prod"],
  guilder: ["loc-name=guilder", "env=prod", "extended=yes"],
};
const EDGE_NAMES = Object.keys(EDGES) as EdgeName[];

/** The name under which `kubestellar start` records the controllers' process. */
const CONTROLLERS_RECORD = "mailbox-controller";

async function clientFor(kubeconfigPath: string, cluster?: string): Promise<RestClient> {
  const kc = await loadKubeconfig({ kubeconfig: kubeconfigPath });
  const client = restClientFor(await kc.restConfig());
  return cluster ? client.withCluster(cluster) : client;
}

/** A syncer process. */
interface SyncerProcess {
  child: Deno.ChildProcess;
  done: Promise<unknown>;
}

/** Everything the fault tests run on. */
export class FleetStage {
  readonly #syncers = new Map<EdgeName, SyncerProcess>();
  readonly #syncerArgs = new Map<EdgeName, string[]>();
  readonly #clients: RestClient[] = [];
  readonly #edgeClients = new Map<EdgeName, RestClient>();
  #hub: RestClient | undefined;

  private constructor(
    readonly dir: string,
    readonly core: ServerProcess,
    readonly edges: Record<EdgeName, ServerProcess>,
  ) {}

  /** The user's environment: their kubeconfig copy and KubeStellar state directory. */
  get env(): Record<string, string> {
    return {
      KUBECONFIG: join(this.dir, "kubeconfig"),
      KUBESTELLAR_STATE_DIR: join(this.dir, "state"),
    };
  }

  /** The folder of every log file. */
  get logs(): string {
    return join(this.dir, "logs");
  }

  /** Starts the servers, KubeStellar and both syncers; resolves when all run. */
  static async start(): Promise<FleetStage> {
    const dir = await Deno.makeTempDir({ prefix: "kubestellar-fleet-" });
    const logs = join(dir, "logs");
    await Deno.mkdir(logs);
    const server = (name: string, mode: "kcp" | "kube") =>
      ServerProcess.start({
        name,
        mode,
        rootDirectory: join(dir, name),
        logFile: join(logs, `${name}-log.txt`),
      });
    const [core, florin, guilder] = await Promise.all([
      server("core", "kcp"),
      server("florin", "kube"),
      server("guilder", "kube"),
    ]);
    const stage = new FleetStage(dir, core, { florin, guilder });
    try {
      await stage.refreshUserKubeconfig();
      await stage.startControllers();
      for (const name of EDGE_NAMES) await stage.#onboard(name);
      return stage;
    } catch (e) {
      await stage.close();
      throw e;
    }
  }

  /** Copies the core's `admin.kubeconfig` to the user's kubeconfig (mode 0600). */
  async refreshUserKubeconfig(): Promise<void> {
    await Deno.copyFile(this.core.kubeconfigPath, this.env.KUBECONFIG);
    await Deno.chmod(this.env.KUBECONFIG, 0o600);
  }

  /** Runs `kubestellar <args>` as the user; throws with its output unless it succeeds. */
  async kubestellar(...args: string[]): Promise<string> {
    const r = await runCli(args, { cwd: this.dir, env: this.env });
    if (r.code !== 0) {
      throw new Error(`kubestellar ${args.join(" ")} exited ${r.code}: ${r.stderr}${r.stdout}`);
    }
    return r.stdout;
  }

  /** `kubestellar start` (init, then the controllers in one background process). */
  async startControllers(): Promise<void> {
    await this.kubestellar(
      "start",
      "--log-folder",
      this.logs,
      "--ensure-imw",
      "imw1",
      "--ensure-wmw",
      "wmw1",
    );
  }

  /** The controllers' process id, from the record `kubestellar start` wrote. */
  async controllersPid(): Promise<number | undefined> {
    return (await readRecord(CONTROLLERS_RECORD, this.env.KUBESTELLAR_STATE_DIR))?.pid;
  }

  /** `kill -9` of the controllers' process. */
  async killControllers(): Promise<void> {
    const pid = await this.controllersPid();
    if (pid === undefined) throw new Error("no controllers process is recorded");
    try {
      Deno.kill(pid, "SIGKILL");
    } catch { /* already gone */ }
    for (let i = 0; i < 100; i++) {
      try {
        Deno.kill(pid, "SIGCONT");
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** A client of the core (reads the core's current admin kubeconfig after a restart). */
  async hub(cluster?: string): Promise<RestClient> {
    if (!this.#hub) {
      this.#hub = await clientFor(this.core.kubeconfigPath);
      this.#clients.push(this.#hub);
    }
    return cluster ? this.#hub.withCluster(cluster) : this.#hub;
  }

  /** A client of an edge cluster. */
  async edge(name: EdgeName): Promise<RestClient> {
    let client = this.#edgeClients.get(name);
    if (!client) {
      client = await clientFor(this.edges[name].kubeconfigPath);
      this.#edgeClients.set(name, client);
      this.#clients.push(client);
    }
    return client;
  }

  /** `kill -9` of the core. */
  async killCore(): Promise<void> {
    await this.core.kill9();
    this.#forgetHub();
  }

  /** Starts the core again on its root directory and port. */
  async restartCore(): Promise<void> {
    await this.core.restart();
    this.#forgetHub();
  }

  #forgetHub(): void {
    this.#hub?.close();
    this.#hub = undefined;
  }

  async #onboard(name: EdgeName): Promise<void> {
    await this.kubestellar("prep-for-cluster", "--imw", "root:imw1", name, ...EDGES[name]);
    const edge = await this.edge(name);
    const install = await installSyncer(
      edge,
      join(this.dir, `${name}-syncer.yaml`),
      this.dir,
      name,
    );
    this.#syncerArgs.set(name, [
      "--from-kubeconfig",
      install.mailboxKubeconfigPath,
      "--to-kubeconfig",
      this.edges[name].kubeconfigPath,
      ...install.args,
    ]);
    this.startSyncer(name);
  }

  /** Starts the syncer of `name` (again). */
  startSyncer(name: EdgeName): void {
    if (this.#syncers.has(name)) throw new Error(`the ${name} syncer is already running`);
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", MAIN_TS, "syncer", ...this.#syncerArgs.get(name)!],
      cwd: this.dir,
      env: { KUBESTELLAR_INVOKED_AS: "kubestellar", NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const pumped = pumpToLog(child, join(this.logs, `syncer-${name}-log.txt`));
    this.#syncers.set(name, { child, done: Promise.all([child.status, pumped]) });
  }

  /** The syncer's process id, while it runs. */
  syncerPid(name: EdgeName): number | undefined {
    return this.#syncers.get(name)?.child.pid;
  }

  /** `kill -9` of the syncer of `name`. */
  async killSyncer(name: EdgeName): Promise<void> {
    const syncer = this.#syncers.get(name);
    if (!syncer) return;
    try {
      syncer.child.kill("SIGKILL");
    } catch { /* already gone */ }
    await syncer.done;
    this.#syncers.delete(name);
  }

  /** Process ids of every running part, by name (for RSS readings). */
  async pids(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    if (this.core.pid) out.core = this.core.pid;
    for (const name of EDGE_NAMES) {
      const pid = this.syncerPid(name);
      if (pid) out[`syncer-${name}`] = pid;
    }
    const controllers = await this.controllersPid();
    if (controllers) out.controllers = controllers;
    return out;
  }

  /** Stops everything and removes the directory (kept, and named, when `keep`). */
  async close(keep = false): Promise<void> {
    for (const name of EDGE_NAMES) await this.killSyncer(name);
    await runCli(["stop", "--log-folder", this.logs], { cwd: this.dir, env: this.env })
      .catch(() => {});
    for (const c of this.#clients) c.close();
    this.#clients.length = 0;
    this.#hub = undefined;
    await Promise.all([this.core, ...Object.values(this.edges)].map((s) => s.stop()));
    if (keep) console.error(`fleet stage kept for inspection: ${this.dir}`);
    else await Deno.remove(this.dir, { recursive: true }).catch(() => {});
  }
}
