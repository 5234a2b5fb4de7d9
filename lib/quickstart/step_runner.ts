/**
 * Runs the quickstart's steps one after another and shows each result the way a
 * person wants to see it: a numbered heading, what happened, how long it took.
 * The first failing step stops the run; clean-up actions registered by earlier
 * steps run in reverse order when asked to.
 *
 * @example
 * ```ts
 * const run = new StepRunner(out);
 * await run.step("Start kcp-lite", async (show) => { ...; show("serving at https://127.0.0.1:6443"); });
 * await run.cleanup();
 * ```
 *
 * @module
 */

/** Prints one result line under the current step. */
export type Show = (line: string) => void;

/** The outcome of one step. */
export interface StepResult {
  title: string;
  ok: boolean;
  ms: number;
  error?: string;
}

/** Runs steps and remembers clean-up actions. */
export class StepRunner {
  readonly results: StepResult[] = [];
  readonly #print: (line: string) => void;
  readonly #cleanups: { title: string; fn: () => Promise<void> }[] = [];

  constructor(print: (line: string) => void) {
    this.#print = print;
  }

  /** True while no step has failed. */
  get ok(): boolean {
    return this.results.every((r) => r.ok);
  }

  /** Runs one step; resolves to its value, or throws `StepFailed` after reporting it. */
  async step<T>(title: string, fn: (show: Show) => Promise<T>): Promise<T> {
    const n = this.results.length + 1;
    this.#print(`\n==> Step ${n}: ${title}`);
    const t0 = performance.now();
    try {
      const value = await fn((line) => this.#print(`    ${line}`));
      const ms = performance.now() - t0;
      this.results.push({ title, ok: true, ms });
      this.#print(`    ok (${(ms / 1000).toFixed(1)} s)`);
      return value;
    } catch (e) {
      const ms = performance.now() - t0;
      const error = e instanceof Error ? e.message : String(e);
      this.results.push({ title, ok: false, ms, error });
      this.#print(`    FAILED: ${error}`);
      throw new StepFailed(title, error);
    }
  }

  /** Registers a clean-up action (run by `cleanup`, last registered first). */
  onCleanup(title: string, fn: () => Promise<void>): void {
    this.#cleanups.push({ title, fn });
  }

  /** Runs the clean-up actions; failures are reported, not thrown. */
  async cleanup(): Promise<void> {
    while (this.#cleanups.length > 0) {
      const c = this.#cleanups.pop()!;
      try {
        await c.fn();
      } catch (e) {
        this.#print(`    clean-up "${c.title}" failed: ${e instanceof Error ? e.message : e}`);
      }
    }
  }

  /** A summary table of the steps. */
  summary(): string[] {
    const lines = ["", "Summary:"];
    for (const [i, r] of this.results.entries()) {
      lines.push(
        `  ${String(i + 1).padStart(2)}. ${r.ok ? "ok    " : "FAILED"} ${
          (r.ms / 1000).toFixed(1).padStart(6)
        } s  ${r.title}`,
      );
    }
    const total = this.results.reduce((s, r) => s + r.ms, 0);
    lines.push(`  total ${(total / 1000).toFixed(1)} s`);
    return lines;
  }
}

/** Thrown by `StepRunner.step` when a step fails (already reported). */
export class StepFailed extends Error {
  constructor(readonly title: string, message: string) {
    super(`step "${title}" failed: ${message}`);
    this.name = "StepFailed";
  }
}
