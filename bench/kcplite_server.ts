/**
 * kcp-lite server figures: time from start to a ready `/readyz` (in-process, per mode;
 * target ≤ 1 s), ConfigMap creates per second from 16 concurrent HTTPS clients (target
 * ≥ 2,000/s), and watch delivery latency p50/p99 with 100 watchers (target p99 ≤ 50 ms).
 * The throughput and latency runs talk to a server in its own process
 * (`kubestellar kcp-lite start --kube-mode`), as real clients would.
 *
 * @module
 */
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { startKcpLite } from "../lib/kcplite/kcp_lite_server.ts";
import { startKcpLiteProcess } from "./kcp_lite_process.ts";
import type { Benchmark } from "./registry.ts";
import { median, ms, percentile } from "./stats.ts";

interface Target {
  url: string;
  token: string;
  ca: string;
}

async function targetOf(kubeconfigPath: string, url: string): Promise<Target> {
  const doc = parseYaml(await Deno.readTextFile(kubeconfigPath)) as {
    clusters: { cluster: { "certificate-authority-data": string } }[];
    users: { user: { token: string } }[];
  };
  return {
    url,
    token: doc.users[0].user.token,
    ca: atob(doc.clusters[0].cluster["certificate-authority-data"]),
  };
}

async function readyzOnce(url: string, ca: string): Promise<boolean> {
  const client = Deno.createHttpClient({ caCerts: [ca] });
  try {
    const res = await fetch(`${url}/readyz`, { client });
    return res.ok && (await res.text()) === "ok";
  } catch {
    return false;
  } finally {
    client.close();
  }
}

async function startToReady(mode: "kcp" | "kube"): Promise<number> {
  const dir = await Deno.makeTempDir({ prefix: "kcp-lite-bench-" });
  const t0 = performance.now();
  const server = await startKcpLite({ rootDirectory: dir, securePort: 0, mode });
  const ca = await Deno.readTextFile(join(dir, "ca.crt"));
  while (!await readyzOnce(server.url, ca)) await new Promise((r) => setTimeout(r, 5));
  const elapsed = performance.now() - t0;
  await server.stop();
  await Deno.remove(dir, { recursive: true });
  return elapsed;
}

/** Starts kube-mode kcp-lite in a child process, with a client target for it. */
async function startChild(
  dir: string,
): Promise<{ target: Target; pid: number; stop(): Promise<void> }> {
  const server = await startKcpLiteProcess(dir, "kube");
  const target = await targetOf(server.adminKubeconfigPath, server.url);
  return { target, pid: server.pid, stop: () => server.stop() };
}

async function createsPerSecond(
  t: Target,
  clients: number,
  total: number,
  prefix: string,
): Promise<number> {
  const per = Math.floor(total / clients);
  const headers = { authorization: `Bearer ${t.token}`, "content-type": "application/json" };
  const run = async (c: number) => {
    const client = Deno.createHttpClient({ caCerts: [t.ca] });
    try {
      for (let i = 0; i < per; i++) {
        const res = await fetch(`${t.url}/api/v1/namespaces/default/configmaps`, {
          method: "POST",
          headers,
          body: JSON.stringify({
            metadata: { name: `${prefix}-${c}-${i}` },
            data: { i: String(i) },
          }),
          client,
        });
        await res.body?.cancel();
        if (res.status !== 201) throw new Error(`create answered ${res.status}`);
      }
    } finally {
      client.close();
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, (_, c) => run(c)));
  return (per * clients) / ((performance.now() - t0) / 1000);
}

/** CPU time (user + system, ms) a process used so far; NaN where /proc is missing. */
function cpuMs(pid: number): number {
  try {
    const fields = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms
  } catch {
    return NaN;
  }
}

function now(): number {
  return performance.timeOrigin + performance.now();
}

async function watchLatency(t: Target, watchers: number, events: number): Promise<number[]> {
  const latencies: number[] = [];
  const headers = { authorization: `Bearer ${t.token}` };
  const client = Deno.createHttpClient({ caCerts: [t.ca], http2: false });
  const path = `${t.url}/api/v1/namespaces/kube-public/configmaps?watch=true&resourceVersion=`;
  const list = await fetch(`${t.url}/api/v1/namespaces/kube-public/configmaps`, {
    headers,
    client,
  });
  const rv = (await list.json()).metadata.resourceVersion;
  const controllers: AbortController[] = [];
  const streams: ReadableStreamDefaultReader<string>[] = [];
  let received = 0;
  const allDone = Promise.withResolvers<void>();
  const readers = Array.from({ length: watchers }, async () => {
    const abort = new AbortController();
    controllers.push(abort);
    const res = await fetch(path + rv, { headers, client, signal: abort.signal });
    const lines = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    streams.push(lines);
    let buf = "";
    try {
      for (;;) {
        const { value, done } = await lines.read();
        if (done) return;
        buf += value;
        let nl: number;
        while ((nl = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          const at = now();
          const ev = JSON.parse(line);
          latencies.push(at - Number(ev.object.data.sent));
          if (++received === watchers * events) allDone.resolve();
        }
      }
    } catch {
      // aborted
    }
  });
  await new Promise((r) => setTimeout(r, 500));
  const writer = Deno.createHttpClient({ caCerts: [t.ca] });
  for (let i = 0; i < events; i++) {
    const res = await fetch(`${t.url}/api/v1/namespaces/kube-public/configmaps`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ metadata: { name: `w${i}` }, data: { sent: String(now()) } }),
      client: writer,
    });
    await res.body?.cancel();
    await new Promise((r) => setTimeout(r, 20));
  }
  await Promise.race([allDone.promise, new Promise((r) => setTimeout(r, 10_000))]);
  await Promise.allSettled(streams.map((r) => r.cancel()));
  for (const c of controllers) c.abort();
  await Promise.allSettled(readers);
  writer.close();
  client.close();
  return latencies;
}

export const kcpliteServer: Benchmark = {
  name: "kcplite-server",
  description: "kcp-lite start→/readyz (≤ 1 s), creates/s with 16 clients (≥ 2,000/s), " +
    "watch latency p50/p99 with 100 watchers (p99 ≤ 50 ms)",
  async run() {
    for (const mode of ["kube", "kcp"] as const) {
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) runs.push(await startToReady(mode));
      console.log(
        `start to /readyz (${mode} mode, in-process, median of 3)`.padEnd(60),
        ms(median(runs)),
      );
    }
    const dir = await Deno.makeTempDir({ prefix: "kcp-lite-bench-" });
    const server = await startChild(dir);
    try {
      await createsPerSecond(server.target, 16, 320, "warm"); // warm-up
      const cpu0 = cpuMs(server.pid);
      const rate = await createsPerSecond(server.target, 16, 4000, "run");
      const perCreate = (cpuMs(server.pid) - cpu0) / 4000;
      console.log("ConfigMap creates/s, 16 concurrent clients".padEnd(60), rate.toFixed(0));
      console.log(
        "server CPU per create (capacity of one free core)".padEnd(60),
        `${(perCreate * 1000).toFixed(0)} µs (${(1000 / perCreate).toFixed(0)}/s)`,
      );
      const lat = await watchLatency(server.target, 100, 50);
      console.log(
        `watch delivery latency, 100 watchers × 50 events (n=${lat.length})`.padEnd(60),
        `p50 ${ms(percentile(lat, 50))}  p99 ${ms(percentile(lat, 99))}`,
      );
    } finally {
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
};
