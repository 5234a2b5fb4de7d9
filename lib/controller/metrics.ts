/**
 * A small Prometheus metrics registry (counters, gauges, histograms with labels)
 * rendered in the text exposition format.
 *
 * @example
 * ```ts
 * const m = new MetricsRegistry();
 * const reconciles = m.counter("reconcile_total", "Reconciles run", ["controller", "result"]);
 * reconciles.inc({ controller: "mailbox", result: "ok" });
 * m.render(); // "# HELP reconcile_total Reconciles run\n# TYPE reconcile_total counter\n..."
 * ```
 *
 * @module
 */

type Labels = Record<string, string>;

function labelText(names: string[], labels: Labels, extra?: [string, string]): string {
  const parts = names.map((n) => `${n}="${escape(labels[n] ?? "")}"`);
  if (extra) parts.push(`${extra[0]}="${extra[1]}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

function escape(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function keyOf(names: string[], labels: Labels): string {
  return names.map((n) => labels[n] ?? "").join("\u0000");
}

interface Metric {
  render(): string;
}

/** A monotonically increasing value per label set. */
export class Counter implements Metric {
  readonly #values = new Map<
    string,
    { labels: Labels; value: number; collect?: () => number }
  >();
  constructor(readonly name: string, readonly help: string, readonly labelNames: string[] = []) {}

  inc(labels: Labels = {}, by = 1): void {
    const k = keyOf(this.labelNames, labels);
    const cur = this.#values.get(k) ?? { labels, value: 0 };
    cur.value += by;
    this.#values.set(k, cur);
  }

  get(labels: Labels = {}): number {
    const v = this.#values.get(keyOf(this.labelNames, labels));
    return v ? (v.collect?.() ?? v.value) : 0;
  }

  /** Reads the series `labels` from `collect` on each scrape (a count kept elsewhere). */
  track(labels: Labels, collect: () => number): void {
    this.#values.set(keyOf(this.labelNames, labels), { labels, value: 0, collect });
  }

  render(): string {
    let s = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} counter\n`;
    for (const { labels, value, collect } of this.#values.values()) {
      s += `${this.name}${labelText(this.labelNames, labels)} ${collect?.() ?? value}\n`;
    }
    return s;
  }
}

/** A value that goes up and down; may be computed on each scrape. */
export class Gauge implements Metric {
  readonly #values = new Map<string, { labels: Labels; value: number | (() => number) }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: string[] = [],
    collect?: () => number,
  ) {
    if (collect) this.track({}, collect);
  }

  set(value: number, labels: Labels = {}): void {
    this.#values.set(keyOf(this.labelNames, labels), { labels, value });
  }

  /** Computes the value of the series `labels` on each scrape. */
  track(labels: Labels, collect: () => number): void {
    this.#values.set(keyOf(this.labelNames, labels), { labels, value: collect });
  }

  render(): string {
    let s = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} gauge\n`;
    for (const { labels, value } of this.#values.values()) {
      const v = typeof value === "function" ? value() : value;
      s += `${this.name}${labelText(this.labelNames, labels)} ${v}\n`;
    }
    return s;
  }
}

/** Observations counted into cumulative buckets. */
export class Histogram implements Metric {
  readonly #series = new Map<
    string,
    { labels: Labels; counts: number[]; sum: number; count: number }
  >();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: string[] = [],
    readonly buckets: number[] = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10],
  ) {}

  observe(value: number, labels: Labels = {}): void {
    const k = keyOf(this.labelNames, labels);
    const s = this.#series.get(k) ??
      { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
    this.buckets.forEach((b, i) => {
      if (value <= b) s.counts[i]++;
    });
    s.sum += value;
    s.count++;
    this.#series.set(k, s);
  }

  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} histogram\n`;
    for (const s of this.#series.values()) {
      this.buckets.forEach((b, i) => {
        out += `${this.name}_bucket${labelText(this.labelNames, s.labels, ["le", String(b)])} ${
          s.counts[i]
        }\n`;
      });
      out += `${this.name}_bucket${
        labelText(this.labelNames, s.labels, ["le", "+Inf"])
      } ${s.count}\n`;
      out += `${this.name}_sum${labelText(this.labelNames, s.labels)} ${s.sum}\n`;
      out += `${this.name}_count${labelText(this.labelNames, s.labels)} ${s.count}\n`;
    }
    return out;
  }
}

/**
 * The set of metrics one process exposes. Asking again for a metric of the same name
 * and type returns the one already registered (several controllers in one process
 * share `kubestellar_reconcile_total`, told apart by label), so every family is
 * rendered once.
 */
export class MetricsRegistry {
  readonly #metrics = new Map<string, Metric>();

  counter(name: string, help: string, labelNames: string[] = []): Counter {
    return this.#add(name, Counter, () => new Counter(name, help, labelNames));
  }

  /** A gauge; `collect` (unlabelled series) is computed on each scrape. */
  gauge(name: string, help: string, labelNames: string[] = [], collect?: () => number): Gauge {
    const g = this.#add(name, Gauge, () => new Gauge(name, help, labelNames));
    if (collect) g.track({}, collect);
    return g;
  }

  histogram(name: string, help: string, labelNames: string[] = [], buckets?: number[]): Histogram {
    return this.#add(name, Histogram, () => new Histogram(name, help, labelNames, buckets));
  }

  /** The text exposition format. */
  render(): string {
    return [...this.#metrics.values()].map((m) => m.render()).join("");
  }

  // deno-lint-ignore no-explicit-any
  #add<M extends Metric>(name: string, type: new (...args: any[]) => M, make: () => M): M {
    const existing = this.#metrics.get(name);
    if (existing) {
      if (!(existing instanceof type)) {
        throw new Error(`metric ${name} is already registered with another type`);
      }
      return existing;
    }
    const m = make();
    this.#metrics.set(name, m);
    return m;
  }
}
