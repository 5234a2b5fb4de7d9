/**
 * The UI's live updates: model changes are published by topic (`fleet`, `placements`,
 * `hub`), gathered for a few milliseconds, and sent to every open page as one
 * server-sent event `change` with the new generation and the topics that changed, so
 * a burst of watch events costs one refetch per page, not one per event. Each stream
 * starts with a `hello` event, tells the browser to reconnect after one second
 * (`retry:`), and carries a `ping` event every `keepAliveMs` so both ends notice a dead
 * connection.
 *
 * @example
 * ```ts
 * const feed = new ChangeFeed();
 * const body = feed.open(); // a text/event-stream body for one page
 * feed.publish("fleet");
 * feed.close();
 * ```
 *
 * @module
 */

/** Options of `ChangeFeed`. */
export interface ChangeFeedOptions {
  /** How long changes are gathered before they are sent (default 25 ms). */
  batchMs?: number;
  /** Interval of `ping` events (default 15 000 ms). */
  keepAliveMs?: number;
  /** Most streams open at once (default 64); `open` returns undefined beyond. */
  maxStreams?: number;
}

/** One `change` event's data. */
export interface ChangeEvent {
  generation: number;
  topics: string[];
}

const encoder = new TextEncoder();

/** Fans changes out to the open event streams. */
export class ChangeFeed {
  readonly #streams = new Set<ReadableStreamDefaultController<Uint8Array>>();
  readonly #pending = new Set<string>();
  readonly #batchMs: number;
  readonly #maxStreams: number;
  readonly #keepAlive: ReturnType<typeof setInterval>;
  readonly #listeners = new Set<(e: ChangeEvent) => void>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #generation = 1;
  #closed = false;

  constructor(options: ChangeFeedOptions = {}) {
    this.#batchMs = options.batchMs ?? 25;
    this.#maxStreams = options.maxStreams ?? 64;
    this.#keepAlive = setInterval(
      () => this.#send("event: ping\ndata: {}\n\n"),
      options.keepAliveMs ?? 15_000,
    );
  }

  /** The generation: grows with every change sent. */
  get generation(): number {
    return this.#generation;
  }

  /** Streams open now. */
  get streams(): number {
    return this.#streams.size;
  }

  /** Notes that `topic` changed; sent with the next batch. */
  publish(topic: string): void {
    if (this.#closed) return;
    this.#pending.add(topic);
    this.#timer ??= setTimeout(() => this.#flush(), this.#batchMs);
  }

  /** Calls `listener` with every change sent (in-process consumers, tests). */
  listen(listener: (e: ChangeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #flush(): void {
    this.#timer = undefined;
    if (this.#pending.size === 0) return;
    const event: ChangeEvent = {
      generation: ++this.#generation,
      topics: [...this.#pending].sort(),
    };
    this.#pending.clear();
    this.#send(`event: change\ndata: ${JSON.stringify(event)}\n\n`);
    for (const l of this.#listeners) l(event);
  }

  #send(text: string): void {
    const bytes = encoder.encode(text);
    for (const c of this.#streams) {
      try {
        c.enqueue(bytes);
      } catch {
        this.#streams.delete(c); // the page went away
      }
    }
  }

  /** A new event stream, or undefined when too many are open. */
  open(hello: Record<string, unknown> = {}): ReadableStream<Uint8Array> | undefined {
    if (this.#closed || this.#streams.size >= this.#maxStreams) return undefined;
    let self: ReadableStreamDefaultController<Uint8Array>;
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        self = controller;
        this.#streams.add(controller);
        const data = JSON.stringify({ generation: this.#generation, ...hello });
        controller.enqueue(encoder.encode(`retry: 1000\nevent: hello\ndata: ${data}\n\n`));
      },
      cancel: () => {
        this.#streams.delete(self);
      },
    });
  }

  /** Ends every stream and stops the timers. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    clearInterval(this.#keepAlive);
    for (const c of this.#streams) {
      try {
        c.close();
      } catch { /* already closed */ }
    }
    this.#streams.clear();
  }
}
