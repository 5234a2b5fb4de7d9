/**
 * Checkpoints a store file's WAL from a worker thread, so that the store's own thread
 * never stops for it. SQLite's automatic checkpoint runs inside the commit that crosses its
 * threshold: it copies the WAL's pages into the database file and syncs both, and at
 * kcp-lite's write rates that stopped the server for about 100 ms every second or so (a
 * tenth of the time while thousands of workspaces were created). Here a second connection,
 * on a worker, runs a `PASSIVE` checkpoint every {@link CHECKPOINT_INTERVAL_MS}: it copies
 * what it can without blocking the writer, and the writer starts the WAL over once all of
 * it was copied. The store keeps its own automatic checkpoint, at a higher threshold, in
 * case the worker falls behind.
 *
 * Durability does not change: commits still reach the WAL before they return, and a
 * checkpoint cut off by a crash is finished by the next open, as SQLite's own would be.
 * The worker is started by the store after its first {@link START_AFTER_COMMITS} commits
 * (a store that writes little never needs one) and stopped, its connection closed, before
 * the store closes: closing waits for it, so that the last connection can checkpoint the
 * WAL away as before.
 *
 * The worker's code is a string run from a `blob:` URL: it needs no file of the source tree
 * at run time, and imports only `node:sqlite`.
 *
 * @module
 */

/** How often the worker checkpoints (ms). */
export const CHECKPOINT_INTERVAL_MS = 1_000;
/** Commits after which a store starts its checkpointer. */
export const START_AFTER_COMMITS = 1_000;
/** How long closing waits for the worker to close its connection (ms). */
const STOP_WAIT_MS = 5_000;

const WORKER_SOURCE = `
import { DatabaseSync } from "node:sqlite";
let db;
let timer;
function checkpoint() {
  try {
    db.prepare("PRAGMA wal_checkpoint(PASSIVE)").get();
  } catch (error) {
    // Busy or failing: the store's own checkpoint still bounds the WAL.
    self.postMessage({ type: "error", message: error instanceof Error ? error.message : String(error) });
  }
}
self.onmessage = (event) => {
  const message = event.data;
  if (message.type === "start") {
    try {
      db = new DatabaseSync(message.path, { timeout: 0 });
      timer = setInterval(checkpoint, message.intervalMs);
    } catch (error) {
      self.postMessage({ type: "error", message: error instanceof Error ? error.message : String(error) });
    }
  } else if (message.type === "stop") {
    clearInterval(timer);
    try {
      db?.close();
    } finally {
      Atomics.store(message.stopped, 0, 1);
      Atomics.notify(message.stopped, 0);
    }
  }
};
`;

/** A worker that checkpoints one store file; see the module documentation. */
export class WalCheckpointer {
  readonly #worker: Worker;
  #stopped = false;

  /** Starts checkpointing `path` every `intervalMs`; `onError` hears of failed checkpoints. */
  constructor(
    path: string,
    options: { intervalMs?: number; onError?: (message: string) => void } = {},
  ) {
    const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
    try {
      this.#worker = new Worker(url, { type: "module" });
    } finally {
      URL.revokeObjectURL(url);
    }
    this.#worker.onmessage = (event: MessageEvent<{ type: string; message?: string }>) => {
      if (event.data.type === "error") options.onError?.(event.data.message ?? "");
    };
    this.#worker.postMessage({
      type: "start",
      path,
      intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS,
    });
  }

  /**
   * Stops the worker after its connection is closed (waiting for a checkpoint in progress,
   * at most a few seconds). Calling it again does nothing.
   */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    const stopped = new Int32Array(new SharedArrayBuffer(4));
    this.#worker.postMessage({ type: "stop", stopped });
    Atomics.wait(stopped, 0, 0, STOP_WAIT_MS);
    this.#worker.terminate();
  }
}

/** When a store starts its {@link WalCheckpointer}: options of {@link CheckpointSchedule}. */
export interface CheckpointOptions {
  /** Commits before the worker starts (default {@link START_AFTER_COMMITS}). */
  afterCommits?: number;
  /** How often it checkpoints (ms, default {@link CHECKPOINT_INTERVAL_MS}). */
  intervalMs?: number;
}

/**
 * Counts a store's commits and starts its checkpointer at the threshold; `started` is
 * called then (the store raises its own automatic checkpoint's threshold).
 */
export class CheckpointSchedule {
  readonly #path: string;
  readonly #options: CheckpointOptions;
  readonly #started: () => void;
  #commits = 0;
  #checkpointer: WalCheckpointer | undefined;
  #failed = false;

  constructor(path: string, options: CheckpointOptions, started: () => void) {
    this.#path = path;
    this.#options = options;
    this.#started = started;
  }

  /** One more commit. */
  committed(): void {
    const due = this.#options.afterCommits ?? START_AFTER_COMMITS;
    if (this.#checkpointer || this.#failed || ++this.#commits < due) return;
    let reported = false;
    const report = (message: string) => {
      if (reported) return; // once: the store's own checkpoint still bounds the WAL
      reported = true;
      console.error(`kcp-lite store "${this.#path}": background checkpoint failed: ${message}`);
    };
    try {
      this.#checkpointer = new WalCheckpointer(this.#path, {
        intervalMs: this.#options.intervalMs,
        onError: report,
      });
    } catch (error) {
      // No worker (say, not permitted): the store checkpoints in its own thread, as before.
      this.#failed = true;
      report(error instanceof Error ? error.message : String(error));
      return;
    }
    this.#started();
  }

  /** Stops the worker (its connection closed) if it runs. */
  stop(): void {
    this.#checkpointer?.stop();
  }
}
