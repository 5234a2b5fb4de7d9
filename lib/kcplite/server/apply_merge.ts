/**
 * The merge of server-side apply, on plain objects with no server: the field set of an
 * applied configuration, conflicts with other Apply managers, the merge of the
 * configuration into the live object, the removal of fields the manager applied before and
 * no longer applies, and the resulting `metadata.managedFields`.
 *
 * @example
 * ```ts
 * const { object } = mergeApplied({
 *   live, config, lists: listTypesOf(def), who: { manager: "kubectl", subresource: "" },
 *   apiVersion: "v1", force: false,
 * });
 * ```
 *
 * @module
 */
import {
  deepClone,
  deepEqual,
  getOwn,
  isObject,
  type JsonObject,
  setOwn,
} from "../../kube/patch/json_value.ts";
import type { ApplyListType, ListTypes } from "./apply_list_types.ts";
import {
  applyEntry,
  type ApplyManager,
  type ApplyOwner,
  applyOwners,
  type FieldPath,
  FieldSet,
  keyElement,
  type ManagedFieldsEntry,
  managedFieldsOf,
  sameManager,
  updatedManagedFields,
  valueElement,
} from "./managed_fields.ts";

/** Metadata fields the server owns; an applied configuration never owns them. */
const SERVER_METADATA = new Set([
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "selfLink",
  "managedFields",
  "generateName",
]);

/** A field another Apply manager owns with a different value. */
export interface ApplyConflict {
  owner: ApplyManager;
  path: FieldPath;
}

/** Thrown when the configuration conflicts with other managers and `force` is off. */
export class ApplyConflictError extends Error {
  constructor(readonly conflicts: ApplyConflict[]) {
    super(`${conflicts.length} apply conflict(s)`);
    this.name = "ApplyConflictError";
  }
}

/** What an apply works on. */
export interface ApplyInput {
  /** The stored object; undefined when the apply creates it. */
  live: JsonObject | undefined;
  /** The applied configuration (the request body). */
  config: JsonObject;
  lists: ListTypes;
  who: ApplyManager;
  /** The apiVersion the configuration is written in (recorded in the entry). */
  apiVersion: string;
  /** `force=true`: take over conflicting fields instead of failing. */
  force: boolean;
  /** The kind has a status subresource: a main-resource apply owns nothing in `status`. */
  statusSubresource?: boolean;
}

/** The object to store, with its new `metadata.managedFields`. */
export interface ApplyOutput {
  object: JsonObject;
  managedFields: ManagedFieldsEntry[];
}

/** The configuration without `null` values (they own nothing and set nothing). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map(withoutNulls);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) setOwn(out, k, withoutNulls(v));
  return out;
}

/** The items of a list merged by keys, or undefined when the list is not keyed (or an item lacks a key). */
function keyedItems(list: unknown[], type: ApplyListType): JsonObject[] | undefined {
  if (type.type !== "map") return undefined;
  const ok = list.every((item) => isObject(item) && type.keys.every((k) => item[k] !== undefined));
  return ok ? list as JsonObject[] : undefined;
}

function isPrimitive(v: unknown): boolean {
  return v === null || typeof v !== "object";
}

function collect(
  value: unknown,
  path: string[],
  names: string[],
  lists: ListTypes,
  out: FieldSet,
): void {
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) out.add(path);
    for (const k of keys) collect(value[k], [...path, `f:${k}`], [...names, k], lists, out);
    return;
  }
  if (Array.isArray(value)) {
    const type = lists(names);
    const keyed = keyedItems(value, type);
    if (keyed && type.type === "map") {
      for (const item of keyed) {
        const itemPath = [...path, keyElement(item, type.keys)];
        out.add(itemPath);
        for (const k of Object.keys(item)) {
          collect(item[k], [...itemPath, `f:${k}`], [...names, k], lists, out);
        }
      }
    } else if (type.type === "set" && value.every(isPrimitive)) {
      for (const v of value) out.add([...path, valueElement(v)]);
    } else {
      out.add(path);
    }
    return;
  }
  out.add(path);
}

/**
 * The fields an applied configuration sets: every leaf, keyed list items and set items;
 * never apiVersion, kind or server-owned metadata. `statusOnly` counts only `status`,
 * `withoutStatus` everything but `status`.
 */
export function fieldSetOf(
  config: JsonObject,
  lists: ListTypes,
  scope: { statusOnly?: boolean; withoutStatus?: boolean } = {},
): FieldSet {
  const out = new FieldSet();
  for (const [k, v] of Object.entries(config)) {
    if (k === "apiVersion" || k === "kind") continue;
    if (scope.statusOnly ? k !== "status" : scope.withoutStatus && k === "status") continue;
    if (k === "metadata" && isObject(v)) {
      for (const [mk, mv] of Object.entries(v)) {
        if (!SERVER_METADATA.has(mk)) {
          collect(mv, ["f:metadata", `f:${mk}`], ["metadata", mk], lists, out);
        }
      }
      continue;
    }
    collect(v, [`f:${k}`], [k], lists, out);
  }
  return out;
}

function sameKey(a: unknown, b: JsonObject, keys: readonly string[]): boolean {
  return isObject(a) && keys.every((k) => deepEqual(a[k], b[k]));
}

/** The item of `container` a path element names, and where it is. */
function step(container: unknown, element: string): { value: unknown; index?: number } {
  const body = element.slice(2);
  if (element.startsWith("f:")) {
    return { value: isObject(container) ? getOwn(container, body) : undefined };
  }
  if (!Array.isArray(container)) return { value: undefined };
  const wanted = JSON.parse(body) as unknown;
  const index = element.startsWith("k:")
    ? container.findIndex((x) => isObject(wanted) && sameKey(x, wanted, Object.keys(wanted)))
    : container.findIndex((x) => deepEqual(x, wanted));
  return index < 0 ? { value: undefined } : { value: container[index], index };
}

/** The value at a field path, or undefined. */
export function valueAt(obj: unknown, path: FieldPath): unknown {
  let node = obj;
  for (const element of path) {
    node = step(node, element).value;
    if (node === undefined) return undefined;
  }
  return node;
}

/** Removes the field or list item at a path (in place); missing paths are ignored. */
export function removePath(obj: JsonObject, path: FieldPath): void {
  if (path.length === 0) return;
  const parent = valueAt(obj, path.slice(0, -1));
  const last = path[path.length - 1];
  if (last.startsWith("f:")) {
    if (isObject(parent)) delete parent[last.slice(2)];
    return;
  }
  const { index } = step(parent, last);
  if (index !== undefined && Array.isArray(parent)) parent.splice(index, 1);
}

/** Merges an applied value into a live one: maps field by field, keyed and set lists by item. */
export function mergeValue(
  live: unknown,
  config: unknown,
  names: string[],
  lists: ListTypes,
): unknown {
  if (isObject(config)) {
    const out: JsonObject = isObject(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(config)) {
      setOwn(out, k, mergeValue(getOwn(out, k), v, [...names, k], lists));
    }
    return out;
  }
  if (!Array.isArray(config)) return config;
  if (!Array.isArray(live)) return deepClone(config);
  const type = lists(names);
  const keyed = keyedItems(config, type);
  if (keyed && type.type === "map" && keyedItems(live, type)) {
    const out = live.slice();
    for (const item of keyed) {
      const at = out.findIndex((x) => sameKey(x, item, type.keys));
      if (at >= 0) out[at] = mergeValue(out[at], item, names, lists);
      else out.push(deepClone(item));
    }
    return out;
  }
  if (type.type === "set" && config.every(isPrimitive) && live.every(isPrimitive)) {
    const out = live.slice();
    for (const v of config) if (!out.some((x) => deepEqual(x, v))) out.push(v);
    return out;
  }
  return deepClone(config);
}

/** True when the path is a merge-key field of the list item it is in (implied by the item). */
function isItemKey(path: FieldPath): boolean {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (!last?.startsWith("f:") || !parent?.startsWith("k:")) return false;
  return Object.hasOwn(JSON.parse(parent.slice(2)) as JsonObject, last.slice(2));
}

function isEmpty(v: unknown): boolean {
  return Array.isArray(v) ? v.length === 0 : isObject(v) && Object.keys(v).length === 0;
}

/**
 * Removes the fields a manager no longer applies unless a manager still owns them (or
 * something below them); list items go before their fields, and maps or lists the removal
 * leaves empty go too unless someone owns them.
 */
function removeDropped(merged: JsonObject, dropped: FieldPath[], owned: FieldSet[]): void {
  const ownedByAny = (p: FieldPath) => owned.some((set) => set.coversOrBelow(p));
  const ordered = [...dropped].sort((a, b) => a.length - b.length);
  for (const path of ordered) {
    if (isItemKey(path) || ownedByAny(path)) continue;
    if (valueAt(merged, path) === undefined) continue;
    removePath(merged, path);
    for (let up = path.slice(0, -1); up.length > 0; up = up.slice(0, -1)) {
      if (!isEmpty(valueAt(merged, up)) || ownedByAny(up)) break;
      removePath(merged, up);
    }
  }
}

/** The conflicts of the applied fields with other Apply managers' fields. */
function findConflicts(
  live: JsonObject,
  config: JsonObject,
  applied: FieldSet,
  others: ApplyOwner[],
): ApplyConflict[] {
  const conflicts: ApplyConflict[] = [];
  for (const path of applied.paths()) {
    for (const other of others) {
      if (!other.fields.has(path)) continue;
      if (deepEqual(valueAt(live, path), valueAt(config, path))) continue;
      conflicts.push({ owner: { manager: other.manager, subresource: other.subresource }, path });
    }
  }
  return conflicts;
}

/**
 * Applies a configuration: throws {@link ApplyConflictError} on conflicts unless `force`;
 * otherwise returns the merged object (with `metadata.managedFields` set) and the entries.
 * A status-subresource manager (`who.subresource === "status"`) applies only `status`.
 */
export function mergeApplied(input: ApplyInput): ApplyOutput {
  const { lists, who } = input;
  const statusOnly = who.subresource === "status";
  const config = withoutNulls(input.config) as JsonObject;
  const live = deepClone(input.live ?? {});
  const withoutStatus = !statusOnly && input.statusSubresource === true;
  const applied = fieldSetOf(config, lists, { statusOnly, withoutStatus });
  const entries = managedFieldsOf(live);
  const owners = applyOwners(entries);
  const others = owners.filter((o) => !sameManager(o, who));
  const before = owners.find((o) => sameManager(o, who))?.fields ??
    new FieldSet();
  const conflicts = findConflicts(live, config, applied, others);
  if (conflicts.length > 0 && !input.force) throw new ApplyConflictError(conflicts);
  for (const c of conflicts) {
    others.find((o) => sameManager(o, c.owner))?.fields.delete(c.path);
  }
  const scoped = statusOnly ? { status: config.status } : config;
  const merged = mergeValue(live, scoped, [], lists) as JsonObject;
  removeDropped(merged, before.paths().filter((p) => !applied.has(p)), [
    applied,
    ...others.map((o) => o.fields),
  ]);
  const managedFields = updatedManagedFields(
    entries,
    others,
    applyEntry(who, input.apiVersion, applied),
  );
  const meta = isObject(merged.metadata) ? merged.metadata : (merged.metadata = {});
  meta.managedFields = managedFields;
  return { object: merged, managedFields };
}
