/**
 * Shell completion for the command tree: `kubestellar __complete WORD… PARTIAL` and the
 * `kubectl_complete-<plugin>` executables answer with one candidate per line
 * (`value<TAB>description`) and, last, `:<directive>`, the protocol of cobra that kubectl
 * uses for its plugins (`kubectl_complete-<plugin> ARG… PARTIAL`, kubectl ≥ 1.26) and that
 * the scripts of `kubestellar completion bash|zsh|fish` read.
 *
 * Command words come from the command tree; a command's flags from its own usage text
 * (`completion_flags.ts`); names from the API only where a name is wanted
 * (`completion_names.ts`, loaded lazily, with a short timeout). Completing command words and
 * flags loads neither client-node nor kcp-lite: only the command module being completed,
 * which imports its argument parser alone.
 *
 * @module
 */
import type { CommandModule } from "./command.ts";
import { type CompletionFlag, findFlag, usageFlags } from "./completion_flags.ts";
import { captureOutput, outRaw } from "./io.ts";

/** cobra's `ShellCompDirective` bits. */
export const DIRECTIVE = {
  default: 0,
  error: 1,
  noSpace: 2,
  noFileComp: 4,
  filterFileExt: 8,
  filterDirs: 16,
  keepOrder: 32,
} as const;

/** The part of a command-tree node completion reads. */
export interface CompletionNode {
  name: string;
  summary: string;
  hidden?: boolean;
  prog?: string;
  load?: () => Promise<CommandModule>;
  children?: CompletionNode[];
}

/** One offered word. */
export interface Candidate {
  value: string;
  description?: string;
}

/** The answer to one completion request. */
export interface CompletionResult {
  candidates: Candidate[];
  directive: number;
}

/** Where a leaf command's arguments stand at the cursor. */
export interface LeafState {
  /** The node's path in the tree (`["remove", "wmw"]`). */
  path: string[];
  /** Every word typed so far (the connection flags among them apply to name lookups). */
  typed: string[];
  /** Positional words typed after the command words. */
  positionals: string[];
  /** Values of the command's value flags typed so far, by every spelling. */
  values: Map<string, string>;
  partial: string;
}

/** Completes a positional word of one command (by its path joined with spaces). */
export type PositionalCompleter = (state: LeafState) => Promise<CompletionResult | undefined>;

/** Completes the value of one flag (by any of its spellings). */
export type FlagValueCompleter = (state: LeafState) => Promise<CompletionResult>;

/** What the tree itself cannot tell: names from the API and other dynamic words. */
export interface CompletionSources {
  positionals: Record<string, PositionalCompleter>;
  flagValues: Record<string, FlagValueCompleter>;
}

/** Candidates among `words` that start with `partial`. */
export function matching(
  words: (string | Candidate)[],
  partial: string,
  directive: number = DIRECTIVE.noFileComp,
): CompletionResult {
  const candidates = words.map((w) => typeof w === "string" ? { value: w } : w)
    .filter((c) => c.value.startsWith(partial));
  return { candidates, directive };
}

function commandWords(nodes: CompletionNode[], partial: string): CompletionResult {
  return matching(
    nodes.filter((n) => !n.hidden).map((n) => ({ value: n.name, description: n.summary })),
    partial,
  );
}

/** The usage text a command prints for `--help` (captured, not printed). */
export async function usageOf(node: CompletionNode, path: string[]): Promise<string> {
  if (!node.load) return "";
  try {
    const mod = await node.load();
    const prog = node.prog ?? `kubestellar ${path.join(" ")}`;
    return await captureOutput(() => mod.main({ prog, args: ["--help"] }).catch(() => {}));
  } catch {
    return "";
  }
}

function flagCandidates(flags: CompletionFlag[], partial: string): CompletionResult {
  const names = flags.flatMap((f) => f.names).filter((n) =>
    partial.startsWith("--") ? n.startsWith("--") : true
  );
  return matching([...new Set(names)].sort(), partial);
}

async function flagValue(
  flag: CompletionFlag,
  state: LeafState,
  sources: CompletionSources,
  prefix: string,
): Promise<CompletionResult> {
  let result: CompletionResult;
  const dynamic = flag.names.map((n) => sources.flagValues[n]).find((c) => c !== undefined);
  if (flag.choices) result = matching(flag.choices, state.partial);
  else if (dynamic) result = await dynamic(state);
  else return { candidates: [], directive: DIRECTIVE.default };
  if (!prefix) return result;
  return {
    directive: result.directive,
    candidates: result.candidates.map((c) => ({ ...c, value: prefix + c.value })),
  };
}

/** Completes `partial` after the typed words, from the tree's root. */
export async function completeWords(
  tree: CompletionNode[],
  typed: string[],
  partial: string,
  sources: CompletionSources,
): Promise<CompletionResult> {
  let nodes = tree;
  let node: CompletionNode | undefined;
  let i = 0;
  for (; i < typed.length; i++) {
    const next = nodes.find((n) => n.name === typed[i]);
    if (!next) break;
    node = next;
    if (!next.children) {
      i++;
      break;
    }
    nodes = next.children;
  }
  if (!node || node.children) {
    if (i < typed.length) return { candidates: [], directive: DIRECTIVE.noFileComp };
    if (partial.startsWith("-")) {
      return matching(node ? [] : ["--help", "--version"], partial);
    }
    return commandWords(nodes, partial);
  }
  const path = typed.slice(0, i);
  const { flags, positionalChoices } = usageFlags(await usageOf(node, path));
  const state: LeafState = {
    path,
    typed,
    positionals: [],
    values: new Map(),
    partial,
  };
  let pending: CompletionFlag | undefined;
  for (const word of typed.slice(i)) {
    if (pending) {
      for (const n of pending.names) state.values.set(n, word);
      pending = undefined;
    } else if (word.startsWith("-") && word !== "-") {
      const flag = findFlag(flags, word);
      const eq = word.indexOf("=");
      if (flag?.takesValue && eq < 0) pending = flag;
      else if (flag && eq > 0) {
        for (const n of flag.names) state.values.set(n, word.slice(eq + 1));
      }
    } else state.positionals.push(word);
  }
  if (pending) return await flagValue(pending, state, sources, "");
  if (partial.startsWith("-")) {
    const eq = partial.indexOf("=");
    const flag = eq > 0 ? findFlag(flags, partial) : undefined;
    if (flag?.takesValue) {
      const prefix = partial.slice(0, eq + 1);
      return await flagValue(flag, { ...state, partial: partial.slice(eq + 1) }, sources, prefix);
    }
    return flagCandidates(flags, partial);
  }
  const positional = sources.positionals[path.join(" ")];
  const special = positional ? await positional(state) : undefined;
  if (special) return special;
  if (state.positionals.length === 0 && positionalChoices.length > 0) {
    return matching(positionalChoices, partial);
  }
  return { candidates: [], directive: DIRECTIVE.default };
}

/** The protocol's lines: candidates (`value<TAB>description`), then `:<directive>`. */
export function formatCompletion(result: CompletionResult): string {
  const lines = result.candidates.map((c) =>
    c.description ? `${c.value}\t${c.description.replace(/\s+/g, " ")}` : c.value
  );
  return [...lines, `:${result.directive}`].join("\n") + "\n";
}

/**
 * Answers one completion request: `path` is where the executable starts in the tree,
 * `words` the words after it, the last being the one to complete (possibly "").
 */
export async function runCompletion(
  tree: CompletionNode[],
  path: string[],
  words: string[],
): Promise<number> {
  const { COMPLETION_SOURCES } = await import("./completion_sources.ts");
  const typed = [...path, ...words.slice(0, -1)];
  const partial = words.at(-1) ?? "";
  let result: CompletionResult;
  try {
    result = await completeWords(tree, typed, partial, COMPLETION_SOURCES);
  } catch {
    result = { candidates: [], directive: DIRECTIVE.error };
  }
  outRaw(formatCompletion(result));
  return 0;
}
