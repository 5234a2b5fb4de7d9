/**
 * The left-to-right argument scanner of the `kubectl kubestellar …` commands.
 *
 * The documented commands accept their own flags, kubectl's flags and positionals
 * interleaved in any order (commands-spec §1.2). Own value flags take the next word;
 * kubectl flags are passed on (`--x=y` as one word, `--x y` as two when `--x` takes a
 * value); `--context…` is rejected where the seed says so. Unlike upstream, a boolean
 * kubectl flag never swallows the following word, and unknown flags are an error.
 *
 * @example
 * ```ts
 * const r = scanPluginArgs(["--imw", "root:imw1", "loc1", "env=prod", "-X"], {
 *   prog: "kubectl-kubestellar-ensure-location",
 *   usage: "Usage: kubectl kubestellar ensure location ...",
 *   flags: [{ names: ["--imw"], key: "imw", value: "IMW pathname" }],
 * });
 * // r.values.imw === "root:imw1"; r.positionals = ["loc1", "env=prod"]; r.trace === true
 * ```
 *
 * @module
 */
import { UsageError } from "./errors.ts";
import { KUBECTL_FLAGS, type PassThroughFlag } from "./kubectl_flags.ts";

/** One of the command's own flags. */
export interface OwnFlag {
  /** Spellings, e.g. `["-o"]` or `["--imw"]`. */
  names: string[];
  /** Key in `ScanResult.values` / `ScanResult.switches`. */
  key: string;
  /**
   * What the value is called in the "missing …" message, e.g. "IMW pathname".
   * Absent for boolean switches.
   */
  value?: string;
  /** True if the flag may be given more than once (values accumulate). */
  repeatable?: boolean;
}

/** How to scan. */
export interface ScanOptions {
  /** Name used in messages (`<prog>: missing …`). */
  prog: string;
  /** The one-line usage printed by `-h`/`--help`. */
  usage: string;
  /** The command's own flags. */
  flags?: OwnFlag[];
  /** Flags passed on to kubectl/helm; defaults to kubectl's global flags. */
  passThrough?: PassThroughFlag[];
  /** Reject `--context` (the seed's "all kubectl flags except --context"). Default true. */
  rejectContext?: boolean;
  /** Accept `-X` (echo commands). Default true. */
  acceptTrace?: boolean;
}

/** What the scanner found. */
export interface ScanResult {
  /** Values of own value flags (last one wins). */
  values: Record<string, string>;
  /** All values of repeatable own flags, in order. */
  repeated: Record<string, string[]>;
  /** Own boolean switches that were given. */
  switches: Set<string>;
  /** Pass-through flag words, in order, ready to append to a kubectl command line. */
  passThrough: string[];
  /** Positional words, in order. */
  positionals: string[];
  /** `-X` was given. */
  trace: boolean;
  /** `-h`/`--help` was given: the caller prints `usage` and exits 0. */
  help: boolean;
}

/** Scans `args`; throws `UsageError` (exit 1, as the upstream scripts) on bad flags. */
export function scanPluginArgs(args: string[], options: ScanOptions): ScanResult {
  const own = options.flags ?? [];
  const passThrough = options.passThrough ?? KUBECTL_FLAGS;
  const rejectContext = options.rejectContext ?? true;
  const acceptTrace = options.acceptTrace ?? true;
  const result: ScanResult = {
    values: {},
    repeated: {},
    switches: new Set(),
    passThrough: [],
    positionals: [],
    trace: false,
    help: false,
  };
  const fail = (msg: string): never => {
    throw new UsageError(`${options.prog}: ${msg}`, 1, [options.usage]);
  };
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (word === "-h" || word === "--help") {
      result.help = true;
      continue;
    }
    if (word === "-X" && acceptTrace) {
      result.trace = true;
      continue;
    }
    const flag = own.find((f) => f.names.includes(word));
    if (flag) {
      if (flag.value === undefined) {
        result.switches.add(flag.key);
        continue;
      }
      if (i + 1 >= args.length) fail(`missing ${flag.value}`);
      const value = args[++i];
      result.values[flag.key] = value;
      (result.repeated[flag.key] ??= []).push(value);
      continue;
    }
    if (word.startsWith("--context") && rejectContext) fail("--context flag not supported");
    if (word === "--") {
      result.positionals.push(...args.slice(i + 1));
      break;
    }
    if (word.startsWith("-") && word !== "-") {
      const eq = word.indexOf("=");
      const name = eq > 0 ? word.slice(0, eq) : word;
      const ownWithEq = own.find((f) => f.names.includes(name));
      if (ownWithEq && eq > 0 && ownWithEq.value !== undefined) {
        const value = word.slice(eq + 1);
        result.values[ownWithEq.key] = value;
        (result.repeated[ownWithEq.key] ??= []).push(value);
        continue;
      }
      const spec = passThrough.find((f) => f.names.includes(name));
      if (!spec && !(name === "--context" && !rejectContext)) {
        fail(`unknown flag ${JSON.stringify(name)}; run with -h for usage`);
      }
      const takesValue = spec ? spec.takesValue : true;
      result.passThrough.push(word);
      if (eq < 0 && takesValue) {
        if (i + 1 >= args.length) fail(`flag ${name} needs a value`);
        result.passThrough.push(args[++i]);
      }
      continue;
    }
    result.positionals.push(word);
  }
  return result;
}
