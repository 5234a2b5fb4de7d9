/**
 * Structured, leveled logs for long-running processes (controllers, syncer,
 * kcp-lite): one line per record on stderr, `-V` turns on verbose records.
 *
 * Lines look like klog's: `I1123 22:34:16.123456 mailbox-controller] created mailbox name="x"`.
 * Values of keys that look secret (token, password, key data) are never printed.
 *
 * @example
 * ```ts
 * const log = new Logger("where-resolver", { verbose: true });
 * log.info("resolved placement", { placement: "ep1", locations: 2 });
 * log.debug("details only with -V");
 * ```
 *
 * @module
 */

/** Options of `Logger`. */
export interface LoggerOptions {
  /** Print `debug` records. */
  verbose?: boolean;
  /** Where lines go (default stderr). */
  write?: (line: string) => void;
  /** Clock for timestamps (tests). */
  now?: () => Date;
}

const SECRET_KEY = /(token|password|secret|key-?data|authorization|bearer)/i;

/** Formats one value for a log line. */
export function formatValue(key: string, value: unknown): string {
  if (SECRET_KEY.test(key)) return '"<redacted>"';
  if (value instanceof Error) return JSON.stringify(value.message);
  if (typeof value === "string") return JSON.stringify(value);
  if (
    typeof value === "number" || typeof value === "boolean" || value === null || value === undefined
  ) {
    return String(value);
  }
  try {
    return JSON.stringify(value);
  } catch {
    return JSON.stringify(String(value));
  }
}

function stamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${
    p(d.getUTCMinutes())
  }:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}000`;
}

const encoder = new TextEncoder();

/** A named logger. */
export class Logger {
  readonly name: string;
  readonly verbose: boolean;
  readonly #write: (line: string) => void;
  readonly #now: () => Date;

  constructor(name: string, options: LoggerOptions = {}) {
    this.name = name;
    this.verbose = options.verbose ?? false;
    this.#write = options.write ?? ((line) => Deno.stderr.writeSync(encoder.encode(line + "\n")));
    this.#now = options.now ?? (() => new Date());
  }

  /** A logger for a part of this one (`name/part`). */
  child(part: string): Logger {
    return new Logger(`${this.name}/${part}`, {
      verbose: this.verbose,
      write: this.#write,
      now: this.#now,
    });
  }

  info(msg: string, fields?: Record<string, unknown>): void {
    this.#log("I", msg, fields);
  }

  warn(msg: string, fields?: Record<string, unknown>): void {
    this.#log("W", msg, fields);
  }

  error(msg: string, fields?: Record<string, unknown>): void {
    this.#log("E", msg, fields);
  }

  /** Logged only when verbose. */
  debug(msg: string, fields?: Record<string, unknown>): void {
    if (this.verbose) this.#log("I", msg, fields);
  }

  #log(level: string, msg: string, fields?: Record<string, unknown>): void {
    let line = `${level}${stamp(this.#now())} ${this.name}] ${msg}`;
    for (const [k, v] of Object.entries(fields ?? {})) line += ` ${k}=${formatValue(k, v)}`;
    this.#write(line);
  }
}
