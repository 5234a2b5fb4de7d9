/**
 * A small Go-pflag-style parser for the syncer's and list-syncing-objects' flags:
 * `--name value`, `--name=value`, booleans `--name` / `--name=true|false`, and `-v N`.
 * Unknown flags and missing values are `UsageError`s naming the flag.
 *
 * @example
 * ```ts
 * const r = parseFlags(["--watch", "--api-kind=ReplicaSet"], {
 *   prog: "kubestellar-list-syncing-objects",
 *   strings: ["--api-kind"], booleans: ["--watch"],
 * });
 * // r.values["--api-kind"] === "ReplicaSet"; r.booleans.has("--watch")
 * ```
 *
 * @module
 */
import { UsageError } from "../cli/errors.ts";

/** What flags exist. */
export interface FlagSpec {
  prog: string;
  /** Flags that take a value (with dashes; `-v` style short names allowed). */
  strings: string[];
  booleans: string[];
  /** Extra lines after a usage error (e.g. a usage line). */
  usage?: string[];
}

/** The parsed command line. */
export interface ParsedFlags {
  values: Record<string, string>;
  booleans: Set<string>;
  positionals: string[];
  help: boolean;
}

/** Parses `args`. */
export function parseFlags(args: string[], spec: FlagSpec): ParsedFlags {
  const result: ParsedFlags = { values: {}, booleans: new Set(), positionals: [], help: false };
  const fail = (msg: string): never => {
    throw new UsageError(`${spec.prog}: ${msg}`, 2, spec.usage ?? []);
  };
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (word === "-h" || word === "--help") {
      result.help = true;
      continue;
    }
    if (word === "--") {
      result.positionals.push(...args.slice(i + 1));
      break;
    }
    if (!word.startsWith("-") || word === "-") {
      result.positionals.push(word);
      continue;
    }
    const eq = word.indexOf("=");
    const rawName = eq > 0 ? word.slice(0, eq) : word;
    // Go flags accept one or two dashes.
    const name = rawName.startsWith("--") || rawName.length === 2 ? rawName : `-${rawName}`;
    if (spec.strings.includes(name)) {
      if (eq > 0) result.values[name] = word.slice(eq + 1);
      else if (i + 1 < args.length) result.values[name] = args[++i];
      else fail(`flag needs an argument: ${rawName}`);
      continue;
    }
    if (spec.booleans.includes(name)) {
      const v = eq > 0 ? word.slice(eq + 1) : "true";
      if (v !== "true" && v !== "false") fail(`invalid boolean value "${v}" for ${rawName}`);
      if (v === "true") result.booleans.add(name);
      else result.booleans.delete(name);
      continue;
    }
    fail(`unknown flag: ${rawName}`);
  }
  return result;
}
