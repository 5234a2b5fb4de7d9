/**
 * The client side of `bench/kcplite_fleet.ts`: HTTPS requests with a bearer token over one
 * pooled client, bounded-concurrency loops, watch streams that record when each event
 * arrives, and a process's current and peak RSS from `/proc`.
 *
 * @module
 */
import { parse as parseYaml } from "yaml";

/** What the benchmark reads of the objects it watches. */
export interface FleetObject {
  metadata?: { name?: string; annotations?: Record<string, string> };
  status?: { phase?: string };
}

/** A server and the credentials of one kubeconfig user. */
export class FleetClient {
  readonly #client: Deno.HttpClient;

  constructor(readonly url: string, readonly token: string, ca: string) {
    this.#client = Deno.createHttpClient({ caCerts: [ca], poolMaxIdlePerHost: 64 });
  }

  /** The client of user `user` in the admin kubeconfig at `path`. */
  static async fromKubeconfig(path: string, url: string, user: string): Promise<FleetClient> {
    const doc = parseYaml(await Deno.readTextFile(path)) as {
      clusters: { cluster: { "certificate-authority-data": string } }[];
      users: { name: string; user: { token: string } }[];
    };
    const token = doc.users.find((u) => u.name === user)!.user.token;
    return new FleetClient(url, token, atob(doc.clusters[0].cluster["certificate-authority-data"]));
  }

  /** A JSON request; throws with the status and the start of the body unless 2xx (or `ok`). */
  async call(method: string, path: string, body?: unknown, ok: number[] = []): Promise<unknown> {
    for (let attempt = 0;; attempt++) {
      const res = await fetch(`${this.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        client: this.#client,
      });
      const text = await res.text();
      if (res.status === 429 && attempt < 20) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      if (!res.ok && !ok.includes(res.status)) {
        throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
      }
      return text ? JSON.parse(text) : undefined;
    }
  }

  /**
   * Watches `path` from `resourceVersion`; calls `onEvent(object, type)` as events arrive.
   * Resolves once the response headers are in; `stop()` ends it.
   */
  async watch(
    path: string,
    resourceVersion: string,
    onEvent: (object: FleetObject, type: string) => void,
  ): Promise<{ stop(): void }> {
    const abort = new AbortController();
    const sep = path.includes("?") ? "&" : "?";
    const res = await fetch(
      `${this.url}${path}${sep}watch=true&resourceVersion=${resourceVersion}&timeoutSeconds=3600`,
      {
        headers: { authorization: `Bearer ${this.token}` },
        client: this.#client,
        signal: abort.signal,
      },
    );
    if (!res.ok || !res.body) throw new Error(`watch ${path}: ${res.status}`);
    (async () => {
      let buffer = "";
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let nl: number;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          const e = JSON.parse(line) as { type: string; object: FleetObject };
          onEvent(e.object, e.type);
        }
      }
    })().catch(() => {});
    return { stop: () => abort.abort() };
  }

  close(): void {
    this.#client.close();
  }
}

/** Runs `work(i)` for i in [0, n) with at most `concurrency` at a time. */
export async function forEachConcurrently(
  n: number,
  concurrency: number,
  work: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) await work(next++);
  }));
}

/** Resolves when `done()` holds, polling every `ms`. */
export async function until(done: () => boolean | Promise<boolean>, ms = 50): Promise<void> {
  while (!await done()) await new Promise((r) => setTimeout(r, ms));
}

/** Current and peak resident memory of a process, in bytes (Linux `/proc`). */
export async function processMemory(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kib("VmRSS") * 1024, peak: kib("VmHWM") * 1024 };
}
