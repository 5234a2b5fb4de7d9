/**
 * The running summary of one StatusSummarizer, kept incrementally: each reported copy's
 * `Contribution` is remembered by copy key, and replacing or removing one adjusts its
 * group's counters in O(1) (MIN/MAX rescan only their own group, and only when the
 * extreme value itself left). Reading `rows()` costs O(groups), `broken(limit)`
 * O(broken copies). Nothing here depends on how many copies are unchanged.
 *
 * @example
 * ```ts
 * const state = new SummaryState(compiled.combined);
 * state.put("mb1|apps/deployments|ns/web", "mb1", contribution);
 * state.rows(); // [{ group: { ready: true }, clusters: 1, readyReplicas: 1 }]
 * ```
 *
 * @module
 */
import type { BrokenCopy, SummaryRow } from "../../edge/api_types.ts";
import type { CombinedField, Contribution } from "./summarizer_spec.ts";

interface Group {
  group: Record<string, unknown>;
  count: number;
  /** Per combined field: how many copies gave a value, and their sum. */
  n: number[];
  sum: number[];
  /** Per combined field: the current extreme (MIN/MAX), undefined = recompute. */
  extreme: (number | undefined)[];
  members: Set<string>;
}

interface Entry {
  mailbox: string;
  c: Contribution;
}

/** Copies' contributions and what they add up to. */
export class SummaryState {
  readonly #fields: CombinedField[];
  readonly #entries = new Map<string, Entry>();
  readonly #groups = new Map<string, Group>();
  readonly #byMailbox = new Map<string, Set<string>>();
  readonly #clusters = new Map<string, number>();
  readonly #broken = new Map<string, BrokenCopy>();
  readonly #failures = new Map<string, string[]>();
  /** Contributions replaced or removed so far (tests count work with it). */
  changes = 0;

  constructor(fields: CombinedField[]) {
    this.#fields = fields;
  }

  /** How many copies contribute. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Sets (or with `c` undefined, removes) the contribution of copy `key` held in
   * `mailbox`. Returns true when the summary may have changed.
   */
  put(key: string, mailbox: string, c: Contribution | undefined): boolean {
    const old = this.#entries.get(key);
    if (!old && !c) return false;
    if (old && c && sameContribution(old.c, c)) return false;
    this.changes++;
    if (old) this.#remove(key, old);
    if (c) this.#add(key, { mailbox, c });
    return true;
  }

  /** The keys of the copies held in `mailbox`. */
  keysIn(mailbox: string): string[] {
    return [...(this.#byMailbox.get(mailbox) ?? [])];
  }

  /** Every copy key. */
  keys(): string[] {
    return [...this.#entries.keys()];
  }

  #add(key: string, e: Entry): void {
    this.#entries.set(key, e);
    let keys = this.#byMailbox.get(e.mailbox);
    if (!keys) this.#byMailbox.set(e.mailbox, keys = new Set());
    keys.add(key);
    this.#clusters.set(e.c.cluster, (this.#clusters.get(e.c.cluster) ?? 0) + 1);
    let g = this.#groups.get(e.c.groupKey);
    if (!g) {
      const zeros = () => this.#fields.map(() => 0);
      g = {
        group: e.c.group,
        count: 0,
        n: zeros(),
        sum: zeros(),
        extreme: this.#fields.map(() => undefined),
        members: new Set(),
      };
      this.#groups.set(e.c.groupKey, g);
    }
    e.c.group = g.group; // one object per group, not per copy
    g.count++;
    g.members.add(key);
    this.#fields.forEach((f, i) => {
      const v = e.c.values[i];
      if (v === undefined) return;
      g.n[i]++;
      g.sum[i] += v;
      const x = g.extreme[i];
      if (f.type === "MIN" && (g.n[i] === 1 || (x !== undefined && v < x))) g.extreme[i] = v;
      if (f.type === "MAX" && (g.n[i] === 1 || (x !== undefined && v > x))) g.extreme[i] = v;
    });
    if (e.c.broken !== undefined) {
      this.#broken.set(key, {
        cluster: e.c.cluster,
        namespace: e.c.namespace,
        name: e.c.name,
        reason: e.c.broken,
      });
    }
    if (e.c.failures.length > 0) this.#failures.set(key, e.c.failures);
  }

  #remove(key: string, e: Entry): void {
    this.#entries.delete(key);
    const keys = this.#byMailbox.get(e.mailbox);
    keys?.delete(key);
    if (keys?.size === 0) this.#byMailbox.delete(e.mailbox);
    const left = (this.#clusters.get(e.c.cluster) ?? 1) - 1;
    if (left === 0) this.#clusters.delete(e.c.cluster);
    else this.#clusters.set(e.c.cluster, left);
    const g = this.#groups.get(e.c.groupKey)!;
    g.count--;
    g.members.delete(key);
    if (g.count === 0) this.#groups.delete(e.c.groupKey);
    else {
      this.#fields.forEach((f, i) => {
        const v = e.c.values[i];
        if (v === undefined) return;
        g.n[i]--;
        g.sum[i] -= v;
        if ((f.type === "MIN" || f.type === "MAX") && g.extreme[i] === v) {
          g.extreme[i] = undefined; // recomputed from the group's members when read
        }
      });
    }
    this.#broken.delete(key);
    this.#failures.delete(key);
  }

  #extreme(g: Group, i: number): number | undefined {
    if (g.n[i] === 0) return undefined;
    if (g.extreme[i] !== undefined) return g.extreme[i];
    const min = this.#fields[i].type === "MIN";
    let best: number | undefined;
    for (const k of g.members) {
      const v = this.#entries.get(k)!.c.values[i];
      if (v === undefined) continue;
      if (best === undefined || (min ? v < best : v > best)) best = v;
    }
    g.extreme[i] = best;
    return best;
  }

  /** One row per distinct group, ordered by the group's JSON. */
  rows(): SummaryRow[] {
    return [...this.#groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, g]) => {
        const row: SummaryRow = { group: structuredClone(g.group) };
        this.#fields.forEach((f, i) => {
          if (f.type === "COUNT") row[f.name] = g.count;
          else if (f.type === "SUM") row[f.name] = g.sum[i];
          else if (f.type === "AVG") row[f.name] = g.n[i] === 0 ? null : g.sum[i] / g.n[i];
          else row[f.name] = this.#extreme(g, i) ?? null;
        });
        return row;
      });
  }

  /** The first `limit` broken copies by cluster, namespace, name; and how many there are. */
  broken(limit: number): { list: BrokenCopy[]; count: number } {
    const all = [...this.#broken.values()];
    const order = (b: BrokenCopy) => `${b.cluster}\u0000${b.namespace}\u0000${b.name}`;
    all.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
    return { list: all.slice(0, limit), count: all.length };
  }

  /** How many distinct clusters reported at least one copy. */
  observedClusters(): number {
    return this.#clusters.size;
  }

  /** Evaluation failures: how many copies had one, and the first few lines. */
  failures(max = 3): { copies: number; samples: string[] } {
    const samples: string[] = [];
    for (const [key, lines] of this.#failures) {
      if (samples.length >= max) break;
      const e = this.#entries.get(key);
      samples.push(`${e?.c.cluster} ${e?.c.namespace}/${e?.c.name}: ${lines[0]}`);
    }
    return { copies: this.#failures.size, samples };
  }
}

function sameContribution(a: Contribution, b: Contribution): boolean {
  return a.groupKey === b.groupKey && a.broken === b.broken && a.cluster === b.cluster &&
    a.values.length === b.values.length && a.values.every((v, i) => v === b.values[i]) &&
    a.failures.join("\n") === b.failures.join("\n");
}
