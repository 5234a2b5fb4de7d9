/**
 * Loads parts of `@kubernetes/client-node` lazily and quietly.
 *
 * client-node's main module pulls in node-fetch → whatwg-url → tr46, which requires
 * Node's deprecated `punycode` module, so Deno prints a `DEP0040` warning on import.
 * The warning is not ours to show to users: it is silenced while the module loads
 * (and only then). Callers pass the `import()` itself so the specifier stays static
 * for `deno compile` and `deno bundle`.
 *
 * @example
 * ```ts
 * const { KubeConfig } = await loadClientNode(() => import("@kubernetes/client-node/dist/config.js"));
 * ```
 *
 * @module
 */

/** Runs `load` (an `import()` of client-node) with Node deprecation warnings off. */
export async function loadClientNode<T>(load: () => Promise<T>): Promise<T> {
  const { default: process } = await import("node:process");
  const before = process.noDeprecation;
  process.noDeprecation = true;
  try {
    return await load();
  } finally {
    process.noDeprecation = before;
  }
}
