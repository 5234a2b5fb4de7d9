/**
 * The steps the fleet benchmark (`fleet.ts`) is made of: the run's shared state, namespaces
 * of ConfigMaps, placing them and waiting for their copies, the unselected-create CPU
 * measurement, and the steady churn.
 *
 * @module
 */
import type { RestClient } from "../lib/kube/rest_client.ts";
import { putEdgePlacement } from "../tests/support/edge_fixtures.ts";
import { ms, percentile } from "./stats.ts";
import {
  configMap,
  type CopyEvent,
  type FleetArgs,
  idle,
  pool,
  secs,
  until,
} from "./fleet_support.ts";
import { cpuSeconds, jsCpuSeconds } from "./process_usage.ts";

/** ConfigMaps of one namespace. */
export const CM = (namespace: string) => ({ version: "v1", resource: "configmaps", namespace });
/** Namespaces. */
export const NS = { version: "v1", resource: "namespaces" };

/** Prints one figure with its target. */
export function figure(name: string, value: string, target: string, met?: boolean): void {
  const verdict = met === undefined ? "" : met ? " (met)" : " (NOT met)";
  console.log(`${name}: ${value} — target ${target}${verdict}`);
}

/** What the steps share. */
export interface Fleet {
  args: FleetArgs;
  wmw: RestClient;
  ctl: number;
  kcp: number;
  port: number;
  added: Map<string, number>;
  listeners: Set<(e: CopyEvent) => void>;
}

/** Creates namespace `name` in the WMW. */
export async function namespace(wmw: RestClient, name: string): Promise<void> {
  await wmw.create(NS, { apiVersion: "v1", kind: "Namespace", metadata: { name } });
}

/** Creates `n` ConfigMaps in a new namespace `ns`. */
export async function objects(f: Fleet, ns: string, n: number): Promise<void> {
  await namespace(f.wmw, ns);
  await pool(n, (i) => f.wmw.create(CM(ns), configMap(ns, `cm-${i}`)));
}

/** Places namespace `ns` on the locations labelled `label`; waits for `copies` copies. */
export async function place(f: Fleet, ns: string, label: string, copies: number, names?: string[]) {
  const t0 = performance.now();
  await putEdgePlacement(f.wmw, `ep-${ns}`, [{ matchLabels: { [label]: "yes" } }], {
    downsync: [{ apiGroup: "", resources: ["configmaps"], namespaces: [ns], objectNames: names }],
  });
  await until(`${copies} copies of ${ns}`, () => (f.added.get(ns) ?? 0) >= copies);
  return performance.now() - t0;
}

/** The CPU seconds of 3 rounds of one condition: their median and spread (max − min). */
export interface RoundsCpu {
  median: number;
  spread: number;
}

/**
 * Controller CPU (its JavaScript thread, less what it spends idle over as long) for 300
 * creates in a namespace no placement selects: the median of 3 rounds, and how far the
 * rounds lie apart (the measurement's own noise).
 */
export async function unselectedCpu(f: Fleet, ns: string): Promise<RoundsCpu> {
  const rounds: number[] = [];
  for (let i = 0; i < 3; i++) rounds.push(await unselectedRound(f, `${ns}-${i}`));
  return { median: percentile(rounds, 50), spread: Math.max(...rounds) - Math.min(...rounds) };
}

/**
 * The verdict on "unselected creates cost no more after N placed": the worst ratio to
 * fresh is at most `limit`, or the worst excess over fresh is within the rounds' spread
 * (on a fast machine 300 such creates cost a millisecond or two, where a ratio of two
 * medians is noise, not cost).
 */
export function unselectedVerdict(
  fresh: RoundsCpu,
  after: RoundsCpu[],
  limit: number,
): { met: boolean; worstRatio: number; noise: number; withinNoise: boolean } {
  const worst = Math.max(...after.map((a) => a.median));
  const noise = Math.max(fresh.spread, ...after.map((a) => a.spread));
  const worstRatio = fresh.median > 0 ? worst / fresh.median : worst > 0 ? Infinity : 1;
  const withinNoise = worst - fresh.median <= noise;
  return { met: worstRatio <= limit || withinNoise, worstRatio, noise, withinNoise };
}

async function unselectedRound(f: Fleet, ns: string): Promise<number> {
  await namespace(f.wmw, ns);
  await idle(f.ctl);
  const cpu0 = await jsCpuSeconds(f.ctl);
  const t0 = performance.now();
  await pool(300, (i) => f.wmw.create(CM(ns), configMap(ns, `stray-${i}`)));
  await idle(f.ctl);
  const busy = await jsCpuSeconds(f.ctl) - cpu0;
  const wall = performance.now() - t0;
  // What the process spends anyway (timers, bookmarks, GC) over as long a time.
  const idle0 = await jsCpuSeconds(f.ctl);
  await new Promise((r) => setTimeout(r, wall));
  const background = await jsCpuSeconds(f.ctl) - idle0;
  if (Deno.env.get("FLEET_DEBUG")) {
    console.log(`  ${ns}: ${busy.toFixed(3)} s in ${ms(wall)}, idle ${background.toFixed(3)} s`);
  }
  return Math.max(0, busy - background);
}

/** Patches object `ns/name` to `v` and resolves to when it did. */
export async function change(f: Fleet, ns: string, name: string, v: string): Promise<number> {
  const at = performance.now();
  await f.wmw.patch({ ...CM(ns), name }, { data: { v } }, "merge");
  return at;
}

/** The steady churn figure. */
export async function churn(f: Fleet): Promise<void> {
  const { churnObjects: k, churnMailboxes: c, churnSeconds: s, churnRate: r } = f.args;
  await objects(f, "churn", k);
  const placedIn = await place(f, "churn", "churn", k * c);
  console.log(`churn set-up: ${k} objects on ${c} mailboxes in ${secs(placedIn)}`);
  await idle(f.ctl);
  await idle(f.kcp); // the new namespace's service-account tokens
  const sent = new Map<string, number>();
  const latencies: number[] = [];
  /** Latencies by the 10-s window their update was sent in: does the churn keep up? */
  const windows: number[][] = [];
  const listener = (e: CopyEvent) => {
    if (e.type !== "MODIFIED" || e.namespace !== "churn" || !e.value) return;
    const at = sent.get(e.value);
    if (at === undefined) return;
    latencies.push(e.at - at);
    (windows[Math.floor((at - t0) / 10_000)] ??= []).push(e.at - at);
  };
  f.listeners.add(listener);
  const cpu0 = await cpuSeconds(f.ctl);
  const kcp0 = await cpuSeconds(f.kcp);
  const t0 = performance.now();
  let seq = 0;
  const writes: Promise<unknown>[] = [];
  while (performance.now() - t0 < s * 1000) {
    const due = t0 + (seq * 1000) / r;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
    const v = `c${++seq}`;
    sent.set(v, performance.now());
    writes.push(f.wmw.patch({ ...CM("churn"), name: `cm-${(seq * 7919) % k}` }, {
      data: { v },
    }, "merge"));
  }
  await Promise.all(writes);
  const wall = (performance.now() - t0) / 1000;
  const cpu = await cpuSeconds(f.ctl) - cpu0;
  const kcpCpu = await cpuSeconds(f.kcp) - kcp0;
  const expected = seq * c;
  await until(`${expected} churned copies`, () => latencies.length >= expected, 120_000)
    .catch(() => console.log(`(only ${latencies.length} of ${expected} copies updated)`));
  f.listeners.delete(listener);
  const byWindow = windows.filter((w) => w?.length).map((w) => ms(percentile(w, 99)));
  console.log(`churn p99 by 10-s window of sending: ${byWindow.join(", ")}`);
  const p99 = percentile(latencies, 99);
  figure(
    `steady churn, ${k} objects × ${c} mailboxes, ${r} updates/s for ${s} s: latency`,
    `p50 ${ms(percentile(latencies, 50))}, p99 ${ms(p99)} over ${latencies.length} copies; ` +
      `controller CPU ${cpu.toFixed(1)} s in ${wall.toFixed(0)} s (${
        (100 * cpu / wall).toFixed(0)
      }% of one core; kcp-lite ${(100 * kcpCpu / wall).toFixed(0)}%)`,
    "p99 ≤ 1 s",
    p99 <= 1000,
  );
}
