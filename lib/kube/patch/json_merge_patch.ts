/**
 * JSON merge patch (RFC 7386, `application/merge-patch+json`): objects merge recursively,
 * `null` removes a key, anything else (arrays included) replaces.
 *
 * @example
 * ```ts
 * applyMergePatch({ a: 1, b: { c: 2 } }, { a: null, b: { d: 3 } }); // { b: { c: 2, d: 3 } }
 * createMergePatch({ a: 1, b: 2 }, { b: 3 }); // { a: null, b: 3 }
 * ```
 *
 * @module
 */
import { deepClone, deepEqual, getOwn, isObject, type JsonObject, setOwn } from "./json_value.ts";

/** Applies a merge patch; returns a new value and never mutates its inputs. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return deepClone(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete out[k];
    } else {
      setOwn(out, k, applyMergePatch(getOwn(out, k), v));
    }
  }
  // Values copied from target by the spread are shared; clone those not replaced above.
  for (const k of Object.keys(out)) {
    if (!Object.hasOwn(patch, k)) setOwn(out, k, deepClone(out[k]));
  }
  return out;
}

/**
 * Computes a merge patch that turns `original` into `modified`: removed keys become `null`,
 * changed objects are diffed recursively, other changed values are copied whole.
 * Returns `{}` when the two are equal objects.
 */
export function createMergePatch(original: unknown, modified: unknown): unknown {
  if (!isObject(original) || !isObject(modified)) return deepClone(modified);
  const patch: JsonObject = {};
  for (const k of Object.keys(original)) {
    if (!Object.hasOwn(modified, k)) setOwn(patch, k, null);
  }
  for (const [k, v] of Object.entries(modified)) {
    if (!Object.hasOwn(original, k)) {
      setOwn(patch, k, deepClone(v));
    } else if (!deepEqual(original[k], v)) {
      setOwn(
        patch,
        k,
        isObject(original[k]) && isObject(v) ? createMergePatch(original[k], v) : deepClone(v),
      );
    }
  }
  return patch;
}
