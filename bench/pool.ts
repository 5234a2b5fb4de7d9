/**
 * Running many API calls of a benchmark's set-up `width` at a time.
 *
 * @module
 */

/** Calls `fn` on every item, at most `width` at once. */
export async function pool<T>(
  items: T[],
  width: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}
