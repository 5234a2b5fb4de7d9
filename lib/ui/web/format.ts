/// <reference lib="dom" />
/**
 * Small pure helpers of the page: relative times, label and selector text, the
 * labels/selectors editors' parsing, and the words and symbols of copy states (so a
 * state never depends on colour alone).
 *
 * @module
 */

/** How long ago `iso` was, in words (`12s ago`, `5m ago`). */
export function ago(iso: string | undefined, now = Date.now()): string {
  if (!iso) return "never";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 120) return `${s}s ago`;
  if (s < 7200) return `${Math.round(s / 60)}m ago`;
  if (s < 172800) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
}

/** `k=v` words of a label set, sorted by key. */
export function labelWords(labels: Record<string, string> | undefined): string[] {
  return Object.entries(labels ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) =>
    `${k}=${v}`
  );
}

/** Parses `k=v, k2=v2` (commas, spaces or new lines between) into labels. */
export function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const word of text.split(/[\s,]+/).filter(Boolean)) {
    const eq = word.indexOf("=");
    if (eq <= 0) throw new Error(`"${word}" is not key=value`);
    out[word.slice(0, eq)] = word.slice(eq + 1);
  }
  return out;
}

interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

/** The string form of a `metav1.LabelSelector` (as kubectl shows it). */
export function selectorText(
  sel: { matchLabels?: Record<string, string>; matchExpressions?: Requirement[] } | null,
): string {
  if (!sel) return "<none>";
  const parts = labelWords(sel.matchLabels);
  for (const e of sel.matchExpressions ?? []) {
    const vals = (e.values ?? []).join(",");
    if (e.operator === "In") parts.push(`${e.key} in (${vals})`);
    else if (e.operator === "NotIn") parts.push(`${e.key} notin (${vals})`);
    else if (e.operator === "Exists") parts.push(e.key);
    else if (e.operator === "DoesNotExist") parts.push(`!${e.key}`);
  }
  return parts.length > 0 ? parts.join(",") : "<everything>";
}

/** The states of a copy: word, symbol and meaning, in the order a copy goes through. */
export const STATES: Record<string, { word: string; symbol: string; meaning: string }> = {
  pending: { word: "pending", symbol: "◌", meaning: "selected, not in the mailbox yet" },
  mailbox: { word: "in mailbox", symbol: "✉", meaning: "in the mailbox workspace" },
  edge: { word: "on edge", symbol: "⇣", meaning: "delivered: the live syncer reported since" },
  status: { word: "status", symbol: "✓", meaning: "status returned from the edge" },
  error: { word: "error", symbol: "✕", meaning: "the edge reports a failure" },
  unknown: { word: "unknown", symbol: "?", meaning: "the mailbox cannot be read" },
};

/** The text of one object of a preview (`Deployment commonstuff/commond`). */
export function objectText(o: { kind: string; namespace?: string; name: string }): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name}`;
}

/** Splits a list into pages: the items of page `page` (0-based) of `size`. */
export function pageOf<T>(items: T[], page: number, size: number): { items: T[]; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const p = Math.min(Math.max(0, page), pages - 1);
  return { items: items.slice(p * size, p * size + size), pages };
}
