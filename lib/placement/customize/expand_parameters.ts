/**
 * Parameter expansion for customization (controllers-spec §4.6.2): every `%(name)`
 * in a string is replaced by the definition of `name`; undefined names and any other
 * `%x` stay as they are, except that `%%` becomes a single `%` (the documented
 * behaviour; upstream's code left it unchanged).
 *
 * @module
 */

/** Expands `%(name)` references in one string. */
export function expandString(text: string, defs: Record<string, string>): string {
  return text.replace(/%%|%\(([^)]*)\)/g, (m, name: string | undefined) => {
    if (m === "%%") return "%";
    return name !== undefined && Object.hasOwn(defs, name) ? defs[name] : m;
  });
}

/** Returns a copy of `value` with every string leaf (not map keys) expanded. */
export function expandDeep<T>(value: T, defs: Record<string, string>): T {
  if (typeof value === "string") return expandString(value, defs) as T;
  if (Array.isArray(value)) return value.map((v) => expandDeep(v, defs)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = expandDeep(v, defs);
    return out as T;
  }
  return value;
}

/**
 * The parameter definitions of a destination: Location (and SyncTarget) labels and
 * annotations, labels winning over annotations and Location over SyncTarget.
 */
export function parameterDefinitions(
  ...sources:
    ({ labels?: Record<string, string>; annotations?: Record<string, string> } | undefined)[]
): Record<string, string> {
  const defs: Record<string, string> = {};
  for (const src of [...sources].reverse()) {
    Object.assign(defs, src?.annotations ?? {}, src?.labels ?? {});
  }
  return defs;
}
