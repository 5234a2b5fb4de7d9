/**
 * Whether the UI can reach the hub, for the page's connection banner: watch errors
 * that mean the hub is away (no connection, 401, 5xx) mark it unreachable at once; a
 * cheap read every few seconds (`probe`) marks it reachable again. Errors that concern
 * one resource only (403, 404: not allowed, not served) are kept per source and shown
 * as problems, not as a lost hub. Every change of state calls `onChange`.
 *
 * @example
 * ```ts
 * const health = new HubHealth(() => feed.publish("hub"));
 * health.failed("synctargets", e);
 * health.succeeded();
 * health.status(); // { connected: true, since: "…", problems: [...] }
 * ```
 *
 * @module
 */
import { describeError } from "../cli/errors.ts";
import { ApiError } from "../kube/rest_errors.ts";

/** What `/api/hub` returns. */
export interface HubStatus {
  /** The hub answers. */
  connected: boolean;
  /** When `connected` last changed (RFC 3339). */
  since: string;
  /** Why it is not connected. */
  error?: string;
  /** What the UI is waiting for, if anything (e.g. the edge APIExport). */
  waiting?: string;
  /** Per-source problems that do not mean the hub is away (`source: message`). */
  problems: string[];
}

/** True when `e` means the hub as a whole is unreachable or refuses us. */
export function meansHubAway(e: unknown): boolean {
  if (e instanceof ApiError) return e.code === 401 || e.code >= 500;
  return true; // connection errors, timeouts, broken streams
}

/** Tracks reachability of the hub. */
export class HubHealth {
  readonly #onChange: () => void;
  readonly #now: () => Date;
  #connected = false;
  #since: Date;
  #error: string | undefined = "not contacted yet";
  #waiting: string | undefined;
  readonly #problems = new Map<string, string>();

  constructor(onChange: () => void, now: () => Date = () => new Date()) {
    this.#onChange = onChange;
    this.#now = now;
    this.#since = now();
  }

  /** True while the hub answers. */
  get connected(): boolean {
    return this.#connected;
  }

  /** A read succeeded. */
  succeeded(): void {
    if (this.#connected && this.#error === undefined) return;
    this.#connected = true;
    this.#error = undefined;
    this.#since = this.#now();
    this.#onChange();
  }

  /** A read by `source` failed with `e`. */
  failed(source: string, e: unknown): void {
    if (!meansHubAway(e)) {
      this.problem(source, describeError(e));
      return;
    }
    const error = describeError(e);
    if (!this.#connected && this.#error === error) return;
    if (this.#connected) this.#since = this.#now();
    this.#connected = false;
    this.#error = error;
    this.#onChange();
  }

  /** Sets (or, with undefined, clears) the problem of one source. */
  problem(source: string, message: string | undefined): void {
    if (this.#problems.get(source) === message) return;
    if (message === undefined) this.#problems.delete(source);
    else this.#problems.set(source, message);
    this.#onChange();
  }

  /** Says what the UI waits for (undefined: nothing). */
  waitingFor(what: string | undefined): void {
    if (this.#waiting === what) return;
    this.#waiting = what;
    this.#onChange();
  }

  /** The state for the page. */
  status(): HubStatus {
    return {
      connected: this.#connected,
      since: this.#since.toISOString(),
      ...(this.#error !== undefined ? { error: this.#error } : {}),
      ...(this.#waiting !== undefined ? { waiting: this.#waiting } : {}),
      problems: [...this.#problems].sort(([a], [b]) => a.localeCompare(b)).map(([s, m]) =>
        `${s}: ${m}`
      ),
    };
  }
}
