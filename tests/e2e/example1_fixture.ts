/**
 * The stage of the example1 acceptance test (controllers-spec §8): a kcp-mode core, two
 * kube-mode edge clusters `florin` and `guilder`, a user whose shell runs real kubectl
 * with this checkout's plugins on `PATH` (and a private `KUBESTELLAR_STATE_DIR`), the
 * syncers of the generated WEC manifests as local processes (kube-mode clusters run no
 * pods), and the §8.3/§8.4 checks of mailboxes and edge clusters made with kubectl.
 *
 * @module
 */
import { join } from "node:path";
import { stringify } from "yaml";
import { parseManifest } from "../../lib/kube/apply_objects.ts";
import type { KubeObject } from "../../lib/kube/rest_client.ts";
import { mailboxKubeconfigOf, syncerArgsOf } from "../../lib/quickstart/syncer_install.ts";
import { waitUntil } from "../../lib/quickstart/wait_until.ts";
import { assertEquals } from "../support/assert.ts";
import {
  type ControlPlane,
  startControlPlane,
  startKubeCluster,
} from "../support/control_plane.ts";
import { kubeTools } from "../support/kube_tools.ts";
import { type PluginUser, pluginUser, type RunResult } from "../support/plugin_path.ts";
import type { EdgeName } from "./example1_objects.ts";

/** A command failed: its output in the message. */
function failed(what: string, r: RunResult): Error {
  return new Error(`${what} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
}

/** A local syncer process and its log. */
interface SyncerProcess {
  child: Deno.ChildProcess;
  done: Promise<void>;
  /** 1 for the first syncer of an edge cluster, 2 after a restart, … */
  generation: number;
}

/** Everything the scenario runs on. */
export class Example1Stage {
  readonly syncers = new Map<EdgeName, SyncerProcess>();
  #started = new Map<EdgeName, number>();
  private constructor(
    readonly hub: ControlPlane,
    readonly wecs: Record<EdgeName, ControlPlane>,
    readonly user: PluginUser,
    private readonly kubectlPath: string,
    readonly stateDir: string,
  ) {}

  /** Starts the core, the two edge clusters and the user's shell. */
  static async start(): Promise<Example1Stage> {
    const [hub, florin, guilder] = await Promise.all([
      startControlPlane(),
      startKubeCluster(),
      startKubeCluster(),
    ]);
    const user = await pluginUser(hub.kubeconfigPath);
    const { kubectl } = await kubeTools();
    const stateDir = join(user.dir, "state");
    return new Example1Stage(hub, { florin, guilder }, user, kubectl, stateDir);
  }

  /** Runs kubectl against the core with the user's kubeconfig; the result as is. */
  run(...args: string[]): Promise<RunResult> {
    return this.user.run(this.kubectlPath, args, { KUBESTELLAR_STATE_DIR: this.stateDir });
  }

  /** Runs kubectl against the core; throws unless it succeeds; returns stdout. */
  async kubectl(...args: string[]): Promise<string> {
    const r = await this.run(...args);
    if (r.code !== 0) throw failed(`kubectl ${args.join(" ")}`, r);
    return r.stdout;
  }

  /** kubectl against the core, output parsed as JSON (`-o json` is added). */
  async json<T = KubeObject>(...args: string[]): Promise<T> {
    return JSON.parse(await this.kubectl(...args, "-o", "json")) as T;
  }

  /** kubectl against an edge cluster; throws unless it succeeds; returns stdout. */
  wec(name: EdgeName, ...args: string[]): Promise<string> {
    return this.kubectl("--kubeconfig", this.wecs[name].kubeconfigPath, ...args);
  }

  /**
   * `kubectl get … -o json` against the core's current workspace (`on` = "hub") or an
   * edge cluster; undefined when kubectl says the object is not there.
   */
  async get(on: "hub" | EdgeName, ...args: string[]): Promise<KubeObject | undefined> {
    const target = on === "hub" ? [] : ["--kubeconfig", this.wecs[on].kubeconfigPath];
    const r = await this.run(...target, "get", ...args, "-o", "json");
    if (r.code === 0) return JSON.parse(r.stdout);
    if (/NotFound|not found|doesn.t have a resource type/.test(r.stderr)) return undefined;
    throw failed(`kubectl get ${args.join(" ")} on ${on}`, r);
  }

  /** `kubestellar-list-syncing-objects --json <args>`: the objects across all mailboxes. */
  async listSyncing(...args: string[]): Promise<KubeObject[]> {
    const r = await this.user.run("kubestellar-list-syncing-objects", ["--json", ...args]);
    if (r.code !== 0) throw failed("kubestellar-list-syncing-objects", r);
    return r.stdout.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  }

  /** Writes `objects` as a multi-document YAML file in the user's directory; its path. */
  async manifest(file: string, objects: KubeObject[]): Promise<string> {
    const path = join(this.user.dir, file);
    await Deno.writeTextFile(
      path,
      objects.map((o) => stringify(o, { version: "1.1" })).join("---\n"),
    );
    return path;
  }

  /** Runs the syncer that `<name>-syncer.yaml` describes as a local process. */
  async startSyncer(name: EdgeName): Promise<void> {
    const objects = await parseManifest(
      await Deno.readTextFile(join(this.user.dir, `${name}-syncer.yaml`)),
    );
    const mbConfig = join(this.user.dir, `${name}-mailbox.kubeconfig`);
    await Deno.writeTextFile(mbConfig, mailboxKubeconfigOf(objects), { mode: 0o600 });
    const bin = this.user.env.PATH.split(":")[0];
    const log = await Deno.open(join(this.user.dir, `syncer-${name}.log`), {
      create: true,
      append: true,
    });
    const child = new Deno.Command(join(bin, "kubestellar"), {
      args: [
        "syncer",
        "--from-kubeconfig",
        mbConfig,
        "--to-kubeconfig",
        this.wecs[name].kubeconfigPath,
        ...syncerArgsOf(objects),
      ],
      cwd: this.user.dir,
      env: this.user.env,
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const pump = async (s: ReadableStream<Uint8Array>) => {
      for await (const chunk of s) await log.write(chunk);
    };
    const done = Promise.all([pump(child.stdout), pump(child.stderr), child.status])
      .then(() => {}, () => {})
      .finally(() => log.close());
    const generation = (this.#started.get(name) ?? 0) + 1;
    this.#started.set(name, generation);
    this.syncers.set(name, { child, done, generation });
  }

  /** Ends a local syncer (SIGKILL: a crash) and waits for it. */
  async killSyncer(name: EdgeName, signal: Deno.Signal = "SIGKILL"): Promise<void> {
    const s = this.syncers.get(name);
    if (!s) return;
    this.syncers.delete(name);
    try {
      s.child.kill(signal);
    } catch { /* already gone */ }
    await s.done;
  }

  /** Waits until the (latest) syncer of `name` says it started, and is still running. */
  async syncerStarted(name: EdgeName): Promise<void> {
    const s = this.syncers.get(name)!;
    let exited = false;
    s.done.then(() => exited = true);
    await eventually(`the ${name} syncer running`, async () => {
      if (exited) throw new Error(`the ${name} syncer exited: ${await this.syncerLog(name)}`);
      const starts = (await this.syncerLog(name)).split("syncer started").length - 1;
      return starts === s.generation ? true : "no start line yet";
    });
  }

  /** The syncer log of an edge cluster (for failure messages). */
  async syncerLog(name: EdgeName): Promise<string> {
    return await Deno.readTextFile(join(this.user.dir, `syncer-${name}.log`)).catch(() => "");
  }

  /** Stops everything this stage started (controllers are stopped by the test). */
  async stop(): Promise<void> {
    for (const name of [...this.syncers.keys()]) await this.killSyncer(name, "SIGTERM");
    await this.run("kubestellar", "stop").catch(() => {});
    await Promise.all([this.hub.stop(), this.wecs.florin.stop(), this.wecs.guilder.stop()]);
    await this.user.cleanup().catch(() => {});
  }
}

/** Polls `probe` (true, or why not yet) for up to 30 s. */
export function eventually(what: string, probe: () => Promise<true | string>): Promise<void> {
  return waitUntil(what, probe, 30_000);
}

/** The value of the first env var of a workload's first container. */
// deno-lint-ignore no-explicit-any
export const envOf = (o: any): string | undefined =>
  o?.spec?.template?.spec?.containers?.[0]?.env?.[0]?.value;
/** A ConfigMap's `index.html`. */
export const page = (o: KubeObject | undefined) =>
  (o?.data as Record<string, string> | undefined)?.["index.html"] ?? "";

/** One expected object: `kubectl get` arguments and what must hold of it. */
export type Want = [args: string[], check: (o: KubeObject) => boolean | string];

/** Waits until every wanted object is there (per `on`) and passes its check. */
export function expectAll(stage: Example1Stage, on: "hub" | EdgeName, what: string, wants: Want[]) {
  return eventually(what, async () => {
    for (const [args, check] of wants) {
      const o = await stage.get(on, ...args);
      if (!o) return `${args.join(" ")}: not there`;
      const r = check(o);
      if (r !== true) return `${args.join(" ")}: ${r === false ? "not as expected" : r}`;
    }
    return true;
  });
}

/** Check: the page holds every part. */
export const pageHas = (...parts: string[]) => (o: KubeObject) =>
  parts.every((p) => page(o).includes(p)) || `page is ${JSON.stringify(page(o))}`;
/** Check: the workload's EXAMPLE_VAR is `value`. */
export const envIs = (value: string) => (o: KubeObject) =>
  envOf(o) === value || `EXAMPLE_VAR is ${JSON.stringify(envOf(o))}`;
/** Check: being there is enough. */
export const present = () => true;

/** §8.3: the projected objects in `name`'s mailbox (the current workspace). */
export async function checkMailbox(stage: Example1Stage, name: EdgeName): Promise<void> {
  const projected = (o: KubeObject) =>
    o.metadata?.labels?.["edge.kubestellar.io/projected"] === "yes" || "not labelled projected";
  const wants: Want[] = [
    [
      ["replicaset", "-n", "commonstuff", "commond"],
      (o) => projected(o) === true ? envIs("env is prod")(o) : projected(o),
    ],
    [["configmap", "-n", "commonstuff", "httpd-htdocs"], pageHas(`Running in ${name}.`)],
    [["namespace", "commonstuff"], present],
    [["apibinding", "bind-apps"], present],
  ];
  if (name === "guilder") {
    wants.push(
      [["deployment", "-n", "specialstuff", "speciald"], envIs("in prod env")],
      [["crd", "crontabs.stable.example.com"], (o) =>
        // deno-lint-ignore no-explicit-any
        (o.status as any)?.conditions?.some((c: any) =>
          c.type === "Established" && c.status === "True"
        ) || "not Established"],
      [["crontabs.stable.example.com", "-n", "specialstuff", "my-new-cron-object"], present],
      [["configmap", "-n", "specialstuff", "httpd-htdocs"], pageHas("Running in guilder.")],
      [
        ["namespace", "specialstuff"],
        (o) =>
          o.metadata?.labels?.special === "yes" && o.metadata?.annotations?.["just-for"] === "fun",
      ],
      [["apiservice", "v1090.example.my"], present],
      [["apibinding", "bind-kubernetes"], present],
    );
  }
  await expectAll(stage, "hub", `projected objects in ${name}'s mailbox`, wants);
  if (name === "florin") {
    assertEquals(await stage.get("hub", "namespace", "specialstuff"), undefined);
  }
}

/** §8.4: the objects on edge cluster `name`, downsynced and customized. */
export async function checkEdge(stage: Example1Stage, name: EdgeName): Promise<void> {
  const downsynced = (o: KubeObject) =>
    o.metadata?.annotations?.["edge.kubestellar.io/downsynced"] !== undefined ||
    "no downsynced annotation";
  const wants: Want[] = [
    [["namespace", "commonstuff"], present],
    [
      ["replicaset", "-n", "commonstuff", "commond"],
      (o) => downsynced(o) === true ? envIs("env is prod")(o) : downsynced(o),
    ],
    [
      ["configmap", "-n", "commonstuff", "httpd-htdocs"],
      pageHas("This is a common web site.", `Running in ${name}.`),
    ],
  ];
  if (name === "guilder") {
    wants.push(
      [["namespace", "specialstuff"], present],
      [["deployment", "-n", "specialstuff", "speciald"], envIs("in prod env")],
      [
        ["configmap", "-n", "specialstuff", "httpd-htdocs"],
        pageHas("This is a special web site.", "Running in guilder."),
      ],
      [["apiservice", "v1090.example.my"], present],
      [["crontabs.stable.example.com", "-n", "specialstuff", "my-new-cron-object"], present],
    );
  }
  await expectAll(stage, name, `workload on ${name}`, wants);
}
