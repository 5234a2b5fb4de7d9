/**
 * Watch streams: the server's newline-delimited JSON events as an async iterator.
 *
 * `ERROR` events end the stream with the typed error of their `Status` (a
 * `GoneError` for 410 / Expired, which tells an informer to relist). Leaving the
 * `for await` loop early, or `close()`, cancels the HTTP response.
 *
 * @example
 * ```ts
 * const events = await client.watch(ref, { resourceVersion: rv, allowWatchBookmarks: true });
 * for await (const ev of events) console.log(ev.type, ev.object.metadata?.name);
 * ```
 *
 * @module
 */
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
  readonly #onEnd: () => void;

  /** Wraps a successful watch response's body; `onEnd` runs once when it ends. */
  constructor(body: ReadableStream<Uint8Array>, onEnd: () => void = () => {}) {
    this.#body = body;
    this.#onEnd = onEnd;
  }

  /** Stops the watch and releases the connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      if (this.#reader) await this.#reader.cancel();
      else await this.#body.cancel();
    } catch {
      // already errored or closed
    }
    this.#onEnd();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    if (this.#closed) return;
    this.#reader = this.#body.getReader();
    const decoder = new TextDecoder();
    let buffered = "";
    try {
      while (true) {
        const { value, done } = await this.#reader.read();
        if (done) {
          buffered += decoder.decode();
        } else {
          buffered += decoder.decode(value, { stream: true });
        }
        let nl: number;
        while ((nl = buffered.indexOf("\n")) >= 0) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          if (line !== "") yield parseEvent<T>(line);
        }
        if (done) {
          if (buffered.trim() !== "") yield parseEvent<T>(buffered.trim());
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
