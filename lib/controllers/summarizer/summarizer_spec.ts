/**
 * A StatusSummarizer's spec made ready to use: its `objects` clauses, its CEL
 * expressions compiled, and every problem found on the way (a syntax error, a
 * duplicate or reserved name, a combined field without the subject it needs). A spec
 * with problems still summarizes what it can; the problems become the summarizer's
 * conditions. Evaluating one reported copy gives its `Contribution`.
 *
 * @example
 * ```ts
 * const s = compileSummarizer(summarizer.spec);
 * if (s.problems.length === 0) s.contribution(copy, { name: "florin", labels: {} });
 * ```
 *
 * @module
 */
import type { KubeObject } from "../../controller/list_watch.ts";
import {
  type CombinedFieldType,
  type DownsyncObjectTest,
  EDGE_KEYS,
  type StatusSummarizer,
} from "../../edge/api_types.ts";
import { canonicalJson } from "../placement/projected_form.ts";
import { type CelProgram, compileCel, EvalFailure, toCelInput } from "./cel_program.ts";

/** The default length of `status.broken`. */
export const DEFAULT_LIMIT = 20;
/** The longest `status.broken` any summarizer gets. */
export const MAX_LIMIT = 1000;

/** The `cluster` a copy was reported by. */
export interface ClusterInfo {
  /** The SyncTarget's name. */
  name: string;
  /** The Location's name. */
  location: string;
  /** The Location's labels, overlaid by the SyncTarget's. */
  labels: Record<string, string>;
}

/** One combined field. */
export interface CombinedField {
  name: string;
  type: CombinedFieldType;
  subject?: CelProgram;
}

/** What one copy adds to a summary. */
export interface Contribution {
  cluster: string;
  namespace: string;
  name: string;
  /** Canonical JSON of `group`. */
  groupKey: string;
  group: Record<string, unknown>;
  /** Subject values by combined field index (undefined: none, e.g. a failed evaluation). */
  values: (number | undefined)[];
  /** Why the copy is broken; undefined when it is not. */
  broken?: string;
  /** Evaluation failures met on this copy. */
  failures: string[];
}

/** A compiled StatusSummarizer spec. */
export interface CompiledSummarizer {
  objects: DownsyncObjectTest[];
  groupBy: { name: string; def: CelProgram | undefined }[];
  combined: CombinedField[];
  brokenWhen?: CelProgram;
  limit: number;
  /** One line per problem with the spec. */
  problems: string[];
  /** Canonical JSON of the spec it was made from. */
  fingerprint: string;
  /** Evaluates the spec on one copy reported by `cluster`. */
  contribution(copy: KubeObject, cluster: ClusterInfo): Contribution;
}

const TYPES = new Set(["COUNT", "SUM", "MIN", "MAX", "AVG"]);
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Compiles `spec`; never throws. */
export function compileSummarizer(spec: StatusSummarizer["spec"] | undefined): CompiledSummarizer {
  const s = spec ?? {};
  const problems: string[] = [];
  const compile = (where: string, source: unknown): CelProgram | undefined => {
    if (typeof source !== "string" || source.trim() === "") {
      problems.push(`${where}: an expression is required`);
      return undefined;
    }
    const p = compileCel(source);
    if ("error" in p) {
      problems.push(`${where}: invalid CEL expression: ${p.error}`);
      return undefined;
    }
    return p;
  };
  const names = new Set<string>(["group"]);
  const checkName = (where: string, name: unknown): name is string => {
    if (typeof name !== "string" || !FIELD_NAME.test(name)) {
      problems.push(`${where}: name ${JSON.stringify(name)} is not an identifier`);
      return false;
    }
    if (names.has(name)) {
      problems.push(`${where}: name "${name}" is used twice (or is reserved)`);
      return false;
    }
    names.add(name);
    return true;
  };
  const objects = Array.isArray(s.objects) ? s.objects : [];
  if (objects.length === 0) problems.push("spec.objects: name at least one clause");
  objects.forEach((o, i) => {
    const rs = o?.resources ?? [];
    if (rs.length === 0 || rs.includes("*")) {
      problems.push(`spec.objects[${i}]: name the resources (no "*")`);
    }
  });
  const groupNames = new Set<string>();
  const groupBy = (Array.isArray(s.groupBy) ? s.groupBy : []).map((g, i) => {
    const where = `spec.groupBy[${i}]`;
    const name = String(g?.name ?? "");
    if (typeof g?.name !== "string" || !FIELD_NAME.test(name) || groupNames.has(name)) {
      problems.push(`${where}: name ${JSON.stringify(g?.name)} is not a unique identifier`);
    }
    groupNames.add(name);
    return { name, def: compile(`${where}.def`, g?.def) };
  });
  const combined: CombinedField[] = [];
  (Array.isArray(s.combinedFields) ? s.combinedFields : []).forEach((f, i) => {
    const where = `spec.combinedFields[${i}]`;
    if (!checkName(where, f?.name)) return;
    if (!TYPES.has(f.type)) {
      problems.push(`${where}: type ${JSON.stringify(f.type)} is not COUNT, SUM, MIN, MAX or AVG`);
      return;
    }
    if (f.type === "COUNT") return combined.push({ name: f.name, type: f.type });
    const subject = compile(`${where}.subject`, f.subject);
    if (subject) combined.push({ name: f.name, type: f.type, subject });
  });
  const brokenWhen = s.brokenWhen === undefined || s.brokenWhen === ""
    ? undefined
    : compile("spec.brokenWhen", s.brokenWhen);
  let limit = DEFAULT_LIMIT;
  if (s.limit !== undefined) {
    if (!Number.isInteger(s.limit) || s.limit < 0) {
      problems.push(`spec.limit: ${JSON.stringify(s.limit)} is not a count`);
    } else limit = Math.min(s.limit, MAX_LIMIT);
  }
  return {
    objects,
    groupBy,
    combined,
    brokenWhen,
    limit,
    problems,
    fingerprint: canonicalJson(s),
    contribution: (copy, cluster) => contributionOf(copy, cluster, groupBy, combined, brokenWhen),
  };
}

function contributionOf(
  copy: KubeObject,
  cluster: ClusterInfo,
  groupBy: CompiledSummarizer["groupBy"],
  combined: CombinedField[],
  brokenWhen: CelProgram | undefined,
): Contribution {
  const failures: string[] = [];
  const reported = { ...copy, status: copy.status ?? {}, metadata: copy.metadata ?? {} };
  const bindings = {
    obj: toCelInput(reported),
    cluster: { name: cluster.name, location: cluster.location, labels: cluster.labels },
  };
  const run = (what: string, p: CelProgram): unknown => {
    const v = p.evaluate(bindings);
    if (v instanceof EvalFailure) {
      failures.push(`${what}: ${v.message}`);
      return undefined;
    }
    return v;
  };
  const group: Record<string, unknown> = {};
  for (const g of groupBy) group[g.name] = g.def ? (run(g.name, g.def) ?? null) : null;
  const values = combined.map((f) => {
    if (!f.subject) return undefined;
    const v = run(f.name, f.subject);
    if (v === undefined) return undefined;
    if (typeof v !== "number" || !Number.isFinite(v)) {
      failures.push(`${f.name}: the subject gave ${JSON.stringify(v)}, not a number`);
      return undefined;
    }
    return v;
  });
  let broken: string | undefined;
  if (brokenWhen) {
    const v = run("brokenWhen", brokenWhen);
    if (v === true) broken = reasonOf(reported, brokenWhen.source);
    else if (v !== false && v !== undefined) {
      failures.push(`brokenWhen: gave ${JSON.stringify(v)}, not a boolean`);
    }
  }
  return {
    cluster: cluster.name,
    namespace: copy.metadata?.namespace ?? "",
    name: copy.metadata?.name ?? "",
    groupKey: canonicalJson(group),
    group,
    values,
    broken,
    failures,
  };
}

/**
 * Why a copy is broken, for people: the most recent failure among its associated
 * objects (reported by the syncer), else its first false condition, else that it has
 * not reported yet, else the expression that held.
 */
export function reasonOf(obj: KubeObject, expression: string): string {
  const assoc = obj.metadata?.annotations?.[EDGE_KEYS.associatedState];
  if (assoc) {
    try {
      const failure = (JSON.parse(assoc) as { failures?: { reason?: string; message?: string }[] })
        .failures?.[0];
      if (failure?.reason) {
        return failure.message ? `${failure.reason}: ${failure.message}` : failure.reason;
      }
    } catch { /* a malformed annotation says nothing */ }
  }
  const status = (obj.status ?? {}) as Record<string, unknown>;
  const conditions = Array.isArray(status.conditions) ? status.conditions : [];
  const failing = conditions.find((c) => c?.status === "False");
  if (failing) {
    const why = failing.reason ?? failing.message;
    return `${failing.type} is False${why ? `: ${why}` : ""}`;
  }
  if (Object.keys(status).length === 0) return "no status reported yet";
  return `brokenWhen holds: ${expression}`;
}
