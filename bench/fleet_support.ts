/**
 * What the fleet benchmark (`fleet.ts`) is built from: its arguments, process CPU and
 * memory from `/proc`, a wildcard watch of projected copies across all mailboxes, and
 * small helpers (bounded-concurrency creates, waiting until a process is idle).
 *
 * @module
 */
import type { KubeObject, RestClient } from "../lib/kube/rest_client.ts";
import { EDGE_KEYS } from "../lib/edge/api_types.ts";
import { jsCpuSeconds } from "./process_usage.ts";

/** The figures a run computes. */
export const PARTS = [
  "synctargets",
  "unselected",
  "new-placement",
  "fanout",
  "change",
  "churn",
  "syncer",
] as const;

/** One selectable part. */
export type Part = typeof PARTS[number];

/** The arguments of `deno task bench fleet`. */
export interface FleetArgs {
  /** SyncTargets (mailboxes). */
  targets: number;
  /** Objects placed before the "after N placed" figures (and in the syncer's mailbox). */
  objects: number;
  /** Objects and mailboxes of the steady churn, and its length. */
  churnObjects: number;
  churnMailboxes: number;
  churnSeconds: number;
  /** Updates per second of the churn. */
  churnRate: number;
  parts: Set<Part>;
}

function value(args: string[], flag: string): string | undefined {
  const i = args.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
  if (i < 0) return undefined;
  return args[i].includes("=") ? args[i].slice(args[i].indexOf("=") + 1) : args[i + 1];
}

function count(args: string[], flag: string, fallback: number): number {
  const text = value(args, flag);
  const n = Number(text ?? fallback);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`${flag} must be a positive integer, not "${text}"`);
  }
  return n;
}

/**
 * Parses `--targets N --objects M [--churn-objects K] [--churn-mailboxes C]
 * [--churn-seconds S] [--churn-rate R] [--parts a,b,…]`.
 */
export function fleetArgs(args: string[]): FleetArgs {
  const targets = count(args, "--targets", 10_000);
  const objects = count(args, "--objects", 10_000);
  const partsText = value(args, "--parts");
  const parts = new Set<Part>();
  for (const p of (partsText ?? PARTS.join(",")).split(",").map((s) => s.trim())) {
    if (!(PARTS as readonly string[]).includes(p)) {
      throw new Error(`unknown part "${p}": use some of ${PARTS.join(", ")}`);
    }
    parts.add(p as Part);
  }
  return {
    targets,
    objects: Math.max(objects, 900),
    churnObjects: count(args, "--churn-objects", Math.min(1000, Math.ceil(objects / 10))),
    churnMailboxes: count(args, "--churn-mailboxes", Math.min(100, targets)),
    churnSeconds: count(args, "--churn-seconds", 60),
    churnRate: count(args, "--churn-rate", 20),
    parts,
  };
}

/** Waits until process `pid` ran less than 5 ms of JavaScript in each of two 300 ms windows. */
export async function idle(pid: number, timeoutMs = 600_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let calm = 0;
  let last = await jsCpuSeconds(pid);
  while (calm < 2) {
    if (performance.now() > deadline) throw new Error(`process ${pid} did not become idle`);
    await new Promise((r) => setTimeout(r, 300));
    const now = await jsCpuSeconds(pid);
    calm = now - last < 0.005 ? calm + 1 : 0;
    last = now;
  }
}

/** Runs `fn(i)` for i < n, 16 at a time. */
export async function pool(n: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(16, n) }, async () => {
    while (next < n) await fn(next++);
  }));
}

/** A ConfigMap. */
export function configMap(
  namespace: string,
  name: string,
  labels: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, namespace, labels },
    data: { v: "0" },
  };
}

/** One event seen by `watchCopies`: the copy's mailbox cluster, namespace, name, data. */
export interface CopyEvent {
  type: string;
  cluster: string;
  namespace: string;
  name: string;
  value: string | undefined;
  at: number;
}

const CM = { version: "v1", resource: "configmaps" };

/**
 * Watches projected ConfigMaps in every mailbox (one wildcard watch, from now) and
 * reports each event. `stop()` ends it.
 */
export async function watchCopies(
  wildcard: RestClient,
  onEvent: (e: CopyEvent) => void,
): Promise<{ stop(): Promise<void> }> {
  const selector = { labelSelector: `${EDGE_KEYS.projected}=yes` };
  const list = await wildcard.list<KubeObject>(CM, { ...selector, limit: 1 });
  const abort = new AbortController();
  const stream = await wildcard.watch<KubeObject>(CM, {
    ...selector,
    resourceVersion: list.metadata.resourceVersion,
    signal: abort.signal,
  });
  const running = (async () => {
    for await (const ev of stream) {
      const md = ev.object.metadata ?? {};
      onEvent({
        type: ev.type,
        cluster: md.annotations?.["kcp.io/cluster"] ?? "",
        namespace: md.namespace ?? "",
        name: md.name ?? "",
        value: (ev.object.data as Record<string, string> | undefined)?.v,
        at: performance.now(),
      });
    }
  })().catch((e) => {
    if (!abort.signal.aborted) console.error(`watch of projected copies failed: ${e}`);
  });
  return {
    async stop() {
      abort.abort();
      await running;
    },
  };
}

/** Waits until `check()` holds, polling every 20 ms. */
export async function until(what: string, check: () => boolean, timeoutMs = 900_000) {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `12.3 s`. */
export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** `123.4 MiB`. */
