/**
 * The start-up every controller shares, as client-go's `WaitForCacheSync` then `Run`:
 * start the informers, wait until every one has listed (or the signal aborts), then run
 * the controller's own work; the informers are waited for before returning.
 *
 * @example
 * ```ts
 * await runWithInformers([placements, slices], signal, async () => {
 *   ctx.setReady();
 *   await controller.run(signal);
 * });
 * ```
 *
 * @module
 */

/** What `runWithInformers` needs of an informer. */
export interface RunnableInformer {
  run(signal: AbortSignal): Promise<void>;
  readonly synced: Promise<void>;
}

/** Options of {@link runWithInformers}. */
export interface RunWithInformersOptions {
  /** Called when an informer stops with an error (the others keep running). */
  onInformerError?: (error: unknown) => void;
}

/**
 * Runs `informers` until `signal` aborts; once all have synced, awaits `whenSynced` (not
 * called when the signal aborts first).
 */
export async function runWithInformers(
  informers: readonly RunnableInformer[],
  signal: AbortSignal,
  whenSynced: () => Promise<void>,
  options: RunWithInformersOptions = {},
): Promise<void> {
  const runs = informers.map((i) => {
    const run = i.run(signal);
    return options.onInformerError ? run.catch(options.onInformerError) : run;
  });
  try {
    await Promise.race([
      Promise.all(informers.map((i) => i.synced)),
      new Promise<void>((r) => signal.addEventListener("abort", () => r(), { once: true })),
    ]);
    if (!signal.aborted) await whenSynced();
  } finally {
    await Promise.all(runs);
  }
}
