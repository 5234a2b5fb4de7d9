/**
 * Strategic merge patch (`application/strategic-merge-patch+json`) for built-in kinds, as the
 * API server applies it (apimachinery `strategicpatch`, parallel-list mode):
 *
 * - maps merge recursively and `null` deletes a key;
 * - lists with a merge key (see merge_keys.ts) merge element by element; primitive lists
 *   marked as sets are unioned; all other lists are replaced;
 * - directives: `$patch: replace | delete | merge` in a map or list element,
 *   `$retainKeys: [...]`, `$deleteFromPrimitiveList/<field>: [...]`,
 *   `$setElementOrder/<field>: [...]`.
 *
 * Element order after a merge follows the patch for the elements it names and the live object
 * for the others (patched elements first when the live order cannot tell).
 *
 * @example
 * ```ts
 * const out = applyStrategicMergePatch(deployment, {
 *   spec: { template: { spec: { containers: [{ name: "web", image: "nginx:1.27" }] } } },
 * }, { group: "apps", kind: "Deployment" });
 * ```
 *
 * @module
 */
import { deepClone, deepEqual, getOwn, isObject, type JsonObject, setOwn } from "./json_value.ts";
import { type GroupKind, listStrategy, supportsStrategicMerge } from "./merge_keys.ts";
import { PatchError } from "./patch_error.ts";

export { type GroupKind, PatchError, supportsStrategicMerge };

const PATCH = "$patch";
const RETAIN_KEYS = "$retainKeys";
const SET_ORDER = "$setElementOrder/";
const DELETE_PRIMITIVE = "$deleteFromPrimitiveList/";

/**
 * Applies a strategic merge patch for the kind `gk`; returns a new object and never mutates
 * its inputs. Throws PatchError on malformed directives or list elements without their
 * merge key.
 */
export function applyStrategicMergePatch(
  original: unknown,
  patch: unknown,
  gk: GroupKind,
): unknown {
  if (!isObject(patch)) throw new PatchError("a strategic merge patch must be a JSON object");
  const base = isObject(original) ? deepClone(original) : {};
  return new Merger(gk).mergeMap(base, deepClone(patch), []);
}

function show(v: unknown): string {
  return JSON.stringify(v);
}

/** Position of `item` in `list`, comparing maps by merge key and primitives by value. */
function indexIn(list: unknown[], item: unknown, key: string | undefined): number {
  if (key !== undefined && isObject(item)) {
    return list.findIndex((x) => isObject(x) && deepEqual(x[key], item[key]));
  }
  return list.findIndex((x) => deepEqual(x, item));
}

/**
 * Interleaves `left` (server-only items, in live order) into `right` (patched items, in the
 * wanted order): a left item goes first only when the live order says it came earlier.
 */
function mergeSorted(
  left: unknown[],
  right: unknown[],
  liveOrder: unknown[],
  key: string | undefined,
): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) {
      out.push(right[j++]);
    } else if (j >= right.length) {
      out.push(left[i++]);
    } else {
      const li = indexIn(liveOrder, left[i], key);
      const ri = indexIn(liveOrder, right[j], key);
      out.push(li >= 0 && ri >= 0 && li < ri ? left[i++] : right[j++]);
    }
  }
  return out;
}

/** Orders `merged`: items named by `order` in that order, the rest interleaved by `live`. */
function orderBy(
  merged: unknown[],
  order: unknown[],
  live: unknown[],
  key: string | undefined,
): unknown[] {
  const named: unknown[] = [];
  const rest: unknown[] = [];
  for (const item of merged) (indexIn(order, item, key) >= 0 ? named : rest).push(item);
  named.sort((a, b) => indexIn(order, a, key) - indexIn(order, b, key));
  return mergeSorted(rest, named, live, key);
}

class Merger {
  constructor(readonly gk: GroupKind) {}

  mergeMap(original: JsonObject, patch: JsonObject, path: string[]): JsonObject {
    if (Object.hasOwn(patch, PATCH)) {
      const directive = patch[PATCH];
      delete patch[PATCH];
      if (directive === "replace") return this.mergeMap({}, patch, path);
      if (directive === "delete") return {};
      if (directive !== "merge") {
        throw new PatchError(`unknown patch type: ${String(directive)} in map: ${show(patch)}`);
      }
    }
    this.#retainKeys(original, patch);
    const orders = new Map<string, unknown[]>();
    const deletions = new Map<string, unknown[]>();
    for (const k of Object.keys(patch)) {
      if (!k.startsWith("$")) continue;
      const v = patch[k];
      delete patch[k];
      if (k.startsWith(SET_ORDER)) {
        if (!Array.isArray(v)) throw new PatchError(`${k} must be a list, got ${show(v)}`);
        orders.set(k.slice(SET_ORDER.length), v);
      } else if (k.startsWith(DELETE_PRIMITIVE)) {
        if (!Array.isArray(v)) throw new PatchError(`${k} must be a list, got ${show(v)}`);
        deletions.set(k.slice(DELETE_PRIMITIVE.length), v);
      } else {
        throw new PatchError(`unknown strategic merge patch directive ${show(k)}`);
      }
    }
    for (const [k, v] of Object.entries(patch)) {
      const sub = [...path, k];
      const have = getOwn(original, k);
      if (v === null) {
        delete original[k];
      } else if (isObject(v)) {
        setOwn(original, k, this.mergeMap(isObject(have) ? have : {}, v, sub));
      } else if (Array.isArray(v)) {
        setOwn(original, k, this.mergeList(Array.isArray(have) ? have : [], v, sub));
      } else {
        setOwn(original, k, v);
      }
    }
    for (const [field, remove] of deletions) {
      const have = getOwn(original, field);
      if (Array.isArray(have)) {
        original[field] = have.filter((x) => indexIn(remove, x, undefined) < 0);
      }
    }
    for (const [field, order] of orders) {
      const have = getOwn(original, field);
      if (!Array.isArray(have)) continue;
      const strategy = listStrategy(this.gk, [...path, field]);
      const key = strategy.strategy === "merge" && have.some(isObject) ? strategy.key : undefined;
      if (key !== undefined) {
        for (const item of order) {
          if (!isObject(item) || !Object.hasOwn(item, key)) {
            throw new PatchError(
              `${SET_ORDER}${field}: ${show(item)} does not contain declared merge key: ${key}`,
            );
          }
        }
      }
      original[field] = orderBy(have, order, have, key);
    }
    return original;
  }

  #retainKeys(original: JsonObject, patch: JsonObject): void {
    if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
    const keep = patch[RETAIN_KEYS];
    delete patch[RETAIN_KEYS];
    if (!Array.isArray(keep)) throw new PatchError("invalid patch format of retainKeys");
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || k.startsWith(DELETE_PRIMITIVE) || k.startsWith(SET_ORDER)) continue;
      if (!keep.includes(k)) throw new PatchError("invalid patch format of retainKeys");
    }
    for (const k of Object.keys(original)) if (!keep.includes(k)) delete original[k];
  }

  /** A new list value from the patch alone (directives processed, nulls dropped). */
  #fresh(item: unknown, path: string[]): unknown {
    if (isObject(item)) return this.mergeMap({}, item, path);
    return item;
  }

  mergeList(original: unknown[], patch: unknown[], path: string[]): unknown[] {
    const strategy = listStrategy(this.gk, path);
    if (strategy.strategy === "replace") return patch.map((x) => this.#fresh(x, path));
    const elements = [...original, ...patch];
    const allMaps = elements.length > 0 && elements.every(isObject);
    if (!allMaps) {
      if (elements.some((x) => isObject(x) || Array.isArray(x))) {
        throw new PatchError(`list ${path.join(".")} mixes maps and other values`);
      }
      const merged: unknown[] = [];
      for (const x of [...original, ...patch]) {
        if (indexIn(merged, x, undefined) < 0) merged.push(x);
      }
      return orderBy(merged, patch, original, undefined);
    }
    if (strategy.strategy === "set") {
      throw new PatchError(`cannot merge lists without merge key for ${path.join(".")}`);
    }
    return this.#mergeByKey(original as JsonObject[], patch as JsonObject[], strategy.key, path);
  }

  #mergeByKey(
    original: JsonObject[],
    patch: JsonObject[],
    key: string,
    path: string[],
  ): unknown[] {
    let live = original;
    let replace = false;
    const items: JsonObject[] = [];
    for (const item of patch) {
      if (!Object.hasOwn(item, PATCH)) {
        items.push(item);
        continue;
      }
      const directive = item[PATCH];
      if (directive === "delete") {
        if (!Object.hasOwn(item, key)) {
          throw new PatchError(`map: ${show(item)} does not contain declared merge key: ${key}`);
        }
        live = live.filter((x) => !deepEqual(x[key], item[key]));
      } else if (directive === "replace") {
        replace = true;
      } else if (directive === "merge") {
        delete item[PATCH];
        items.push(item);
      } else {
        throw new PatchError(`unknown patch type: ${String(directive)} in map: ${show(item)}`);
      }
    }
    if (replace) return items.map((x) => this.#fresh(x, path));
    const merged = [...live];
    for (const item of items) {
      if (!Object.hasOwn(item, key)) {
        throw new PatchError(`map: ${show(item)} does not contain declared merge key: ${key}`);
      }
      const at = indexIn(merged, item, key);
      if (at >= 0) {
        merged[at] = this.mergeMap(merged[at] as JsonObject, item, path);
      } else {
        merged.push(this.mergeMap({}, item, path));
      }
    }
    return orderBy(merged, items, live, key);
  }
}
