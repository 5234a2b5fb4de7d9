/**
 * The flags shell completion offers for a command, read from the command's own usage text
 * (what `COMMAND --help` prints), so completion always matches what each command documents
 * and its parser accepts, with no second list to keep in step.
 *
 * Usage texts name flags in a few regular shapes: `--imw ws_path`, `[--short]`, `-V|--verbose`,
 * `-v, --v string`, `-o table|json|yaml`, `--openshift $boolean`, and option tables
 * (`  --kube-mode            serve …`). A flag followed by one space and a word takes a
 * value; `a|b|c` after it lists the values; `$kubectl_flag` stands for kubectl's global
 * flags but `--context`, `kubectl flags` (kcp's plugins) for all of them, and `$helm_flag`
 * for helm's.
 *
 * @example
 * ```ts
 * usageFlags("Usage: x ($kubectl_flag | --imw ws_path | -o table|json|yaml | -X)*");
 * // flags: --imw (value), -o (values table, json, yaml), -X; kubectl's flags too
 * ```
 *
 * @module
 */
import { HELM_FLAGS } from "../deploy/helm_flags.ts";
import { KUBECTL_FLAGS, type PassThroughFlag } from "./kubectl_flags.ts";

/** One flag as completion sees it. */
export interface CompletionFlag {
  /** Every spelling, short first (`-v`, `--v`). */
  names: string[];
  takesValue: boolean;
  /** The values the usage lists (`table|json|yaml`), if any. */
  choices?: string[];
}

/** What a usage text says about a command's flags and fixed positional words. */
export interface UsageFlags {
  flags: CompletionFlag[];
  /** Fixed words the usage offers for a positional (`[buildDate|gitCommit|…]`). */
  positionalChoices: string[];
}

const FLAG = /(^|[\s[(|,])(--?[A-Za-z][A-Za-z0-9_-]*)/g;
const BOOLEAN_WORDS = new Set(["$boolean", "bool", "boolean", "true|false"]);

function valueAfter(rest: string): { takesValue: boolean; choices?: string[] } {
  // One space (or "="), then a word: the flag's value. Two spaces start a description.
  const m = /^[ =]([A-Za-z0-9_$<.~][^\s)\]]*)/.exec(rest);
  if (!m || rest.startsWith("  ")) return { takesValue: false };
  const word = m[1];
  if (BOOLEAN_WORDS.has(word)) return { takesValue: true, choices: ["true", "false"] };
  if (/^[A-Za-z0-9_.-]+(\|[A-Za-z0-9_.-]+)+$/.test(word)) {
    return { takesValue: true, choices: word.split("|") };
  }
  return { takesValue: true };
}

function passThroughFlags(flags: PassThroughFlag[]): CompletionFlag[] {
  return flags.map((f) => ({ names: [...f.names], takesValue: f.takesValue }));
}

/** Reads the flags a usage text documents. */
export function usageFlags(usage: string): UsageFlags {
  const byName = new Map<string, CompletionFlag>();
  const add = (names: string[], takesValue: boolean, choices?: string[]) => {
    const known = names.map((n) => byName.get(n)).find((f) => f !== undefined);
    const flag = known ?? { names: [], takesValue: false };
    for (const n of names) {
      if (!flag.names.includes(n)) flag.names.push(n);
      byName.set(n, flag);
    }
    flag.takesValue ||= takesValue;
    if (choices && !flag.choices) flag.choices = choices;
  };
  for (const line of usage.split("\n")) {
    let group: string[] = [];
    for (const m of line.matchAll(FLAG)) {
      const name = m[2];
      const end = m.index! + m[0].length;
      const rest = line.slice(end);
      group.push(name);
      // `-V|--verbose` and `-v, --v string`: spellings of one flag.
      if (/^(\||, )--?[A-Za-z]/.test(rest)) continue;
      const { takesValue, choices } = valueAfter(rest);
      add(group, takesValue, choices);
      group = [];
    }
  }
  const flags = [...new Set(byName.values())];
  for (const f of flags) f.names.sort((a, b) => a.length - b.length);
  // The seed's `$kubectl_flag` means "all kubectl flags except --context"; kcp's plugins
  // (`[kubectl flags]`) take --context too.
  if (/kubectl flags/.test(usage)) mergeIn(flags, [{ names: ["--context"], takesValue: true }]);
  if (/kubectl[_ ]flag/.test(usage)) mergeIn(flags, passThroughFlags(KUBECTL_FLAGS));
  if (/\$helm_flag/.test(usage)) mergeIn(flags, passThroughFlags(HELM_FLAGS));
  return { flags, positionalChoices: positionalChoices(usage) };
}

function mergeIn(flags: CompletionFlag[], more: CompletionFlag[]): void {
  for (const f of more) {
    if (!flags.some((g) => g.names.some((n) => f.names.includes(n)))) flags.push(f);
  }
}

/** `[a|b|c]` with plain words only: the fixed words of an optional positional. */
function positionalChoices(usage: string): string[] {
  const words: string[] = [];
  for (const m of usage.matchAll(/\[([A-Za-z][\w-]*(?:\|[A-Za-z][\w-]*)+)\]/g)) {
    for (const w of m[1].split("|")) if (!words.includes(w)) words.push(w);
  }
  return words;
}

/** The flag `word` names (`--imw`, or `--imw=…`), if the command has it. */
export function findFlag(flags: CompletionFlag[], word: string): CompletionFlag | undefined {
  const eq = word.indexOf("=");
  const name = word.startsWith("-") && eq > 0 ? word.slice(0, eq) : word;
  return flags.find((f) => f.names.includes(name));
}
