/**
 * The words shell completion takes from outside the command tree: names from the API for
 * the arguments that name workspaces, SyncTargets and workload management workspaces, the
 * kubeconfig's contexts, the controller names, and kcp's `kubectl ws` / `kubectl kcp`
 * grammar. API lookups share one short time budget (`completionTimeoutMs`).
 *
 * @module
 */
import { CONTROLLER_REGISTRY } from "../controllers/registry.ts";
import {
  type CompletionResult,
  type CompletionSources,
  DIRECTIVE,
  type LeafState,
  matching,
} from "./completion.ts";
import type { NameSource } from "./completion_names.ts";
import { SHELLS } from "./completion_scripts.ts";

const NONE: CompletionResult = { candidates: [], directive: DIRECTIVE.noFileComp };

/** Runs `lookup` against the API as the typed words connect, within the time budget. */
async function fromApi(
  state: LeafState,
  lookup: (source: NameSource, names: typeof import("./completion_names.ts")) => Promise<string[]>,
): Promise<CompletionResult> {
  const names = await import("./completion_names.ts");
  const work = (async () => {
    const source = await names.openNameSource(state.typed);
    if (!source) return [];
    try {
      return await lookup(source, names);
    } finally {
      source.close();
    }
  })();
  const found = await names.withinTime(work, names.completionTimeoutMs(), [] as string[]);
  return matching(found, state.partial);
}

const workspaces = (state: LeafState) =>
  fromApi(state, (source, n) => n.workspaceNames(source, state.partial));

/** SyncTarget names in the workspace `--imw` names (default: the current one). */
const syncTargets = (state: LeafState) =>
  fromApi(
    state,
    (source, n) =>
      n.syncTargetNames(source, n.workspaceArgumentPath(source.current, state.values.get("--imw"))),
  );

const contexts = (state: LeafState) => fromApi(state, (source) => Promise.resolve(source.contexts));

/** kcp's `kubectl ws` first words (kcp v0.11 `pkg/cliplugins/workspace/cmd`). */
const WS_WORDS = [
  { value: "use", description: "use the given workspace" },
  { value: "current", description: "print the current workspace" },
  { value: "create", description: "create a new workspace" },
  { value: "create-context", description: "create a kubeconfig context for the current workspace" },
  { value: "tree", description: "print the workspace tree" },
  { value: ".", description: "the current workspace" },
  { value: "..", description: "the parent workspace" },
  { value: "-", description: "the previous workspace" },
  { value: "~", description: "the home workspace" },
];

async function wsPositional(state: LeafState, positionals: string[]): Promise<CompletionResult> {
  if (positionals.length === 0) {
    const names = await workspaces(state);
    const words = matching(WS_WORDS, state.partial).candidates;
    return { candidates: [...words, ...names.candidates], directive: DIRECTIVE.noFileComp };
  }
  if (positionals[0] === "use" && positionals.length === 1) return await workspaces(state);
  return NONE;
}

/** `kubectl kcp bind apiexport <path>:<export>`: workspaces and the exports at a path. */
const exportReferences = (state: LeafState) =>
  fromApi(state, async (source, n) => {
    const colon = state.partial.lastIndexOf(":");
    const [children, exports] = await Promise.all([
      n.workspaceNames(source, state.partial).catch(() => []),
      colon < 0 ? Promise.resolve([]) : n.exportNames(source, state.partial.slice(0, colon)),
    ]);
    return [...exports, ...children];
  });

async function kcpPositional(state: LeafState): Promise<CompletionResult> {
  const [first, ...rest] = state.positionals;
  if (first === undefined) {
    return matching([
      { value: "bind", description: "bind different types into the current workspace" },
      { value: "workspace", description: "manage kcp workspaces (kubectl ws)" },
      { value: "ws", description: "manage kcp workspaces (kubectl ws)" },
    ], state.partial);
  }
  if (["workspace", "ws", "workspaces"].includes(first)) return await wsPositional(state, rest);
  if (first !== "bind") return NONE;
  if (rest.length === 0) {
    return matching([{ value: "apiexport", description: "bind to an APIExport" }], state.partial);
  }
  if (rest[0] === "apiexport" && rest.length === 1) return await exportReferences(state);
  return NONE;
}

const firstOnly = (
  complete: (state: LeafState) => Promise<CompletionResult>,
) =>
(state: LeafState) => state.positionals.length === 0 ? complete(state) : Promise.resolve(NONE);

/** The completion sources of this toolkit's commands. */
export const COMPLETION_SOURCES: CompletionSources = {
  positionals: {
    "ws": (state) => wsPositional(state, state.positionals),
    "kcp": kcpPositional,
    "prep-for-syncer": firstOnly(syncTargets),
    "prep-for-cluster": firstOnly(syncTargets),
    "remove location": firstOnly(syncTargets),
    "remove wmw": firstOnly((state) => fromApi(state, (source, n) => n.wmwNames(source))),
    "completion": firstOnly((state) => Promise.resolve(matching([...SHELLS], state.partial))),
    "controller": firstOnly((state) =>
      Promise.resolve(matching(
        [
          ...CONTROLLER_REGISTRY.map((c) => ({ value: c.name, description: c.summary })),
          { value: "all", description: "every controller in one process" },
        ],
        state.partial,
      ))
    ),
  },
  flagValues: {
    "--imw": workspaces,
    "--wmw": workspaces,
    "--espw": workspaces,
    "--espw-path": workspaces,
    "--context": contexts,
    "--root-context": contexts,
    "--allclusters-context": contexts,
    "--all-context": contexts,
    "--parent-context": contexts,
    "--from-context": contexts,
    "--to-context": contexts,
    "-n": (state) => fromApi(state, (source, n) => n.namespaceNames(source)),
    "--namespace": (state) => fromApi(state, (source, n) => n.namespaceNames(source)),
  },
};
