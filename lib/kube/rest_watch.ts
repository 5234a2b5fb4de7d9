/**
 * Watch streams: the server's newline-delimited JSON events as an async iterator.
 *
 * `ERROR` events end the stream with the typed error of their `Status` (a
 * `GoneError` for 410 / Expired, which tells an informer to relist). Leaving the
 * `for await` loop early, `close()`, or aborting the signal the stream was made with
 * cancels the HTTP response; a read waiting for the server's next line ends at once
 * (the iteration just finishes).
 *
 * @example
 * ```ts
 * const events = await client.watch(ref, { resourceVersion: rv, allowWatchBookmarks: true });
 * for await (const ev of events) console.log(ev.type, ev.object.metadata?.name);
 * ```
 *
 * @module
 */
import { LineSplitter } from "../http/line_splitter.ts";
import { errorForStatus, type KubeStatus } from "./rest_errors.ts";

/** One watch event. */
export interface WatchEvent<T> {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK";
  object: T;
}

/** A running watch. */
export class WatchStream<T> implements AsyncIterable<WatchEvent<T>> {
  readonly #body: ReadableStream<Uint8Array>;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #closed = false;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = () => void this.close();

  /** Wraps a successful watch response's body; aborting `signal` closes the stream. */
  constructor(body: ReadableStream<Uint8Array>, signal?: AbortSignal) {
    this.#body = body;
    this.#signal = signal;
    if (signal?.aborted) this.#onAbort();
    else signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  /** Stops the watch and releases the connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#signal?.removeEventListener("abort", this.#onAbort);
    try {
      if (this.#reader) await this.#reader.cancel();
      else await this.#body.cancel();
    } catch {
      // already errored or closed
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    if (this.#closed) return;
    this.#reader = this.#body.getReader();
    const reader = this.#reader;
    const decoder = new TextDecoder();
    const lines = new LineSplitter();
    try {
      while (true) {
        const { value, done } = await reader.read().catch((e) => {
          // A read cut short by close() (or by the abort) is the end, not a failure.
          if (this.#closed) return { value: undefined, done: true as const };
          throw e;
        });
        if (this.#closed) return;
        const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
        for (const line of lines.push(text)) {
          if (this.#closed) return;
          const trimmed = line.trim();
          if (trimmed !== "") yield parseEvent<T>(trimmed);
        }
        if (done) {
          const rest = lines.end().trim();
          if (rest !== "") yield parseEvent<T>(rest);
          return;
        }
      }
    } finally {
      await this.close();
    }
  }
}

function parseEvent<T>(line: string): WatchEvent<T> {
  let event: { type?: string; object?: unknown };
  try {
    event = JSON.parse(line);
  } catch {
    throw new Error(`the server sent a watch event that is not JSON: ${line.slice(0, 80)}`);
  }
  if (event.type === "ERROR") {
    throw errorForStatus((event.object ?? {}) as KubeStatus);
  }
  return event as WatchEvent<T>;
}
