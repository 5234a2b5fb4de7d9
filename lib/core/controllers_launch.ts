/**
 * The process-control part of `kubestellar start|stop` (commands-spec §3.2, §3.4;
 * design §6): the central controllers run in one background process,
 * `kubestellar controller all --log-folder <log folder>`, where each controller appends
 * to its own `<log folder>/<executable>-log.txt` as upstream's separate processes did
 * (the process's own output goes to `kubestellar-controllers-log.txt`). One process
 * keeps the three within their memory budget: an idle Deno process alone is 65–70 MiB.
 * It runs with the tight-heap V8 flags (`lib/process/v8_flags.ts`).
 *
 * The process is recorded in a pid file (pid + start time) under the state directory
 * once per controller (upstream's executable names), so `stop` reports each as upstream
 * did and acts on exactly those records — never on processes found by a name pattern.
 * Records left by separate controller processes (earlier builds, or a controller started by
 * hand under its own name: see `commands/controller.ts`) are stopped the same.
 *
 * A launch counts as successful once the process's `/readyz` answers 200 (every hosted
 * controller has synced its informers, so a controller failing at start-up is caught) on the
 * loopback address given with `--metrics-bind-address`.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { CONTROLLER_REGISTRY, type ControllerEntry } from "../controllers/registry.ts";
import {
  type ProcessRecord,
  recordAlias,
  recordNames,
  runningRecord,
  startBackground,
  stopBackground,
} from "../process/background_process.ts";
import { addInstalled } from "../process/install_record.ts";
import { isSameProcessAlive } from "../process/process_identity.ts";
import { withTightHeap } from "../process/v8_flags.ts";
import { type SelfCommand, selfCommand } from "./self_command.ts";
import { freeLoopbackPort } from "../net/free_port.ts";

/** The controllers `start` launches, in order (upstream's names and labels). */
export const CONTROLLERS: readonly ControllerEntry[] = CONTROLLER_REGISTRY;

/** The log file of the controllers process's own output (crashes, start-up errors). */
export const HOST_LOG_NAME = "kubestellar-controllers-log.txt";

/** Where pid files live: `$KUBESTELLAR_STATE_DIR`, else `$XDG_STATE_HOME/kubestellar`, else `~/.local/state/kubestellar`. */
export function stateDirectory(
  env: (n: string) => string | undefined = (n) => Deno.env.get(n),
): string {
  const explicit = env("KUBESTELLAR_STATE_DIR");
  if (explicit) return resolve(explicit);
  const xdg = env("XDG_STATE_HOME");
  if (xdg) return join(resolve(xdg), "kubestellar");
  const home = env("HOME") ?? env("USERPROFILE") ?? ".";
  return join(resolve(home), ".local", "state", "kubestellar");
}

/** The log file of a controller. */
export function logFileOf(logFolder: string, c: ControllerEntry): string {
  return join(resolve(logFolder), `${c.executable}-log.txt`);
}

/**
 * Stops every recorded, running controller, printing upstream's line for each (all
 * lines first: the controllers may share one process).
 */
export async function stopControllers(
  stateDir: string,
  print: (line: string) => void,
): Promise<void> {
  const records = new Map<ControllerEntry, string[]>();
  for (const c of CONTROLLERS) records.set(c, await recordNames(c.executable, stateDir));
  for (const [c, names] of records) {
    for (const name of names) {
      if (await runningRecord(name, stateDir)) {
        print(`An older deployment of ${c.executable} is already running - terminating it ....`);
        break;
      }
    }
  }
  for (const names of records.values()) {
    for (const name of names) await stopBackground(name, stateDir);
  }
}

/** Options of `launchControllers`. */
export interface LaunchOptions {
  logFolder: string;
  stateDir: string;
  /** Result lines (stdout). */
  print: (line: string) => void;
  /** Warnings (stderr). */
  warn: (line: string) => void;
  /** How long to wait for `/readyz` (default 60 s). */
  readyTimeoutMs?: number;
  /** `-v` given to the controllers (default 2). */
  verbosity?: number;
  /** What runs `controller all …` (default: this toolkit; tests use a stand-in). */
  self?: SelfCommand;
}

/** What happened to the controllers. */
export type LaunchOutcome = "running" | "failed";

async function ready(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`, {
      signal: AbortSignal.timeout(2000),
    });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/** Sizes of the log files before a launch, so only this launch's records are read. */
type LogMarks = Map<string, number>;

async function markLogs(files: string[]): Promise<LogMarks> {
  const marks: LogMarks = new Map();
  for (const file of files) {
    marks.set(
      file,
      (await Deno.stat(file).catch(() => undefined))?.size ?? 0,
    );
  }
  return marks;
}

/** The non-empty lines appended to `file` since `marks` were taken. */
async function newLogLines(file: string, marks: LogMarks): Promise<string[]> {
  try {
    const bytes = await Deno.readFile(file);
    return new TextDecoder().decode(bytes.subarray(marks.get(file) ?? 0)).split("\n")
      .filter((l) => l.trim() !== "");
  } catch {
    return [];
  }
}

/**
 * Why the launch failed, and whose failure it was: the controller that logged an error
 * (its last error record), else the process's own last line.
 */
async function failureOf(
  logFolder: string,
  hostLog: string,
  state: "exited" | "timeout",
  marks: LogMarks,
): Promise<{ who: ControllerEntry; why: string; logFile: string }> {
  for (const c of CONTROLLERS) {
    const file = logFileOf(logFolder, c);
    const error = (await newLogLines(file, marks)).findLast((l) => l.startsWith("E"));
    if (error) return { who: c, why: `it exited: ${error}`, logFile: file };
  }
  const last = (await newLogLines(hostLog, marks)).at(-1) ?? "";
  const why = state === "timeout"
    ? "not ready in time (no ok from /readyz: informers not synced)"
    : `it exited: ${last}`;
  return { who: CONTROLLERS[0], why, logFile: hostLog };
}

/** Waits until the controllers process is ready or gone. */
async function awaitReady(
  rec: ProcessRecord,
  port: number,
  timeoutMs: number,
): Promise<"ready" | "exited" | "timeout"> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 25;; delay = Math.min(delay * 2, 250)) {
    if (await ready(port)) return "ready";
    if (!await isSameProcessAlive(rec)) return "exited";
    if (Date.now() >= deadline) return "timeout";
    await new Promise((r) => setTimeout(r, delay));
  }
}

/**
 * Launches the controllers (one process hosting all) and reports on each with
 * upstream's lines. Resolves to the outcome by upstream executable name.
 */
export async function launchControllers(
  options: LaunchOptions,
): Promise<Record<string, LaunchOutcome>> {
  const logFolder = resolve(options.logFolder);
  await Deno.mkdir(logFolder, { recursive: true });
  await addInstalled(options.stateDir, "log-folder", logFolder);
  const self = options.self ?? await selfCommand();
  const hostLog = join(logFolder, HOST_LOG_NAME);
  const port = freeLoopbackPort();
  const [first, ...others] = CONTROLLERS;
  const marks = await markLogs([hostLog, ...CONTROLLERS.map((c) => logFileOf(logFolder, c))]);
  const rec = await startBackground({
    name: first.executable,
    command: self.command,
    args: [
      ...self.args,
      "controller",
      "all",
      "--log-folder",
      logFolder,
      "--metrics-bind-address",
      `127.0.0.1:${port}`,
      "-v",
      String(options.verbosity ?? 2),
    ],
    logFile: hostLog,
    stateDir: options.stateDir,
    env: { DENO_V8_FLAGS: withTightHeap(Deno.env.get("DENO_V8_FLAGS")) },
  });
  for (const c of others) await recordAlias(rec, c.executable, options.stateDir);
  const state = await awaitReady(rec, port, options.readyTimeoutMs ?? 60_000);
  const outcomes: Record<string, LaunchOutcome> = {};
  if (state === "ready") {
    for (const c of CONTROLLERS) {
      options.print(` ${c.label} is running (log file: ${logFileOf(logFolder, c)})`);
      outcomes[c.executable] = "running";
    }
    return outcomes;
  }
  for (const c of CONTROLLERS) await stopBackground(c.executable, options.stateDir, 2000);
  const { who, why, logFile } = await failureOf(logFolder, hostLog, state, marks);
  options.print(` ${who.label} failed to start ..... exiting`);
  options.warn(` ${who.label}: ${why} (log file: ${logFile})`);
  for (const c of CONTROLLERS) outcomes[c.executable] = "failed";
  return outcomes;
}
