/**
 * Field sets of server-side apply and their `metadata.managedFields` form.
 *
 * A field path is a list of path elements written the way `FieldsV1` writes them:
 * `f:<name>` for a map field, `k:<json>` for a list item found by its merge keys,
 * `v:<json>` for an item of a list of primitives used as a set. A {@link FieldSet} holds
 * the paths a manager owns; `FieldsV1` is its tree form, where `".": {}` marks a path that
 * is owned itself and also has owned paths below it.
 *
 * @example
 * ```ts
 * const set = new FieldSet([["f:data", "f:a"]]);
 * toFieldsV1(set); // { "f:data": { "f:a": {} } }
 * pathText(["f:spec", 'k:{"name":"web"}', "f:image"]); // .spec[name="web"].image
 * ```
 *
 * @module
 */
import { isObject, type JsonObject } from "../../kube/patch/json_value.ts";
import { nowTimestamp } from "./object_lifecycle.ts";

/** One field path: `FieldsV1` path elements from the object root. */
export type FieldPath = readonly string[];

/** A set of field paths. */
export class FieldSet {
  readonly #paths = new Map<string, FieldPath>();

  constructor(paths: Iterable<FieldPath> = []) {
    for (const p of paths) this.add(p);
  }

  add(path: FieldPath): void {
    this.#paths.set(JSON.stringify(path), path);
  }

  has(path: FieldPath): boolean {
    return this.#paths.has(JSON.stringify(path));
  }

  delete(path: FieldPath): void {
    this.#paths.delete(JSON.stringify(path));
  }

  get size(): number {
    return this.#paths.size;
  }

  /** True when the set holds `path` or a path below it. */
  coversOrBelow(path: FieldPath): boolean {
    for (const p of this.#paths.values()) {
      if (p.length >= path.length && path.every((e, i) => p[i] === e)) return true;
    }
    return false;
  }

  paths(): FieldPath[] {
    return [...this.#paths.values()];
  }
}

/** A `FieldsV1` tree. */
export type FieldsV1 = { [element: string]: FieldsV1 };

/** The `FieldsV1` tree of a set. */
export function toFieldsV1(set: FieldSet): FieldsV1 {
  const root: FieldsV1 = {};
  const members = new Set<FieldsV1>();
  for (const path of set.paths()) {
    let node = root;
    for (const element of path) node = node[element] ??= {};
    members.add(node);
  }
  const mark = (node: FieldsV1) => {
    const children = Object.keys(node);
    for (const c of children) mark(node[c]);
    if (members.has(node) && children.length > 0) node["."] = {};
  };
  mark(root);
  return root;
}

/** The set a `FieldsV1` tree describes (malformed parts are skipped). */
export function fromFieldsV1(tree: unknown): FieldSet {
  const set = new FieldSet();
  const walk = (node: unknown, path: string[]) => {
    if (!isObject(node)) return;
    const keys = Object.keys(node);
    if (keys.length === 0 && path.length > 0) set.add(path);
    for (const k of keys) {
      if (k === ".") set.add(path);
      else walk(node[k], [...path, k]);
    }
  };
  walk(tree, []);
  return set;
}

/** The path element of a list item found by its merge keys. */
export function keyElement(item: JsonObject, keys: readonly string[]): string {
  const picked: JsonObject = {};
  for (const k of [...keys].sort()) picked[k] = item[k];
  return `k:${JSON.stringify(picked)}`;
}

/** The path element of a set item. */
export function valueElement(value: unknown): string {
  return `v:${JSON.stringify(value)}`;
}

/** How Kubernetes prints a path in conflict messages: `.spec.ports[port=80].name`. */
export function pathText(path: FieldPath): string {
  let out = "";
  for (const element of path) {
    const body = element.slice(2);
    if (element.startsWith("f:")) out += `.${body}`;
    else if (element.startsWith("v:")) out += `[=${body}]`;
    else if (element.startsWith("k:")) {
      const key = JSON.parse(body) as JsonObject;
      out += `[${Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",")}]`;
    } else out += `.${element}`;
  }
  return out;
}

/** One `metadata.managedFields` entry. */
export interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: FieldsV1;
  subresource?: string;
}

/** The Apply manager a request acts for: its name and the subresource (`""` or `status`). */
export interface ApplyManager {
  manager: string;
  subresource: string;
}

/** An Apply manager and the fields it owns. */
export interface ApplyOwner extends ApplyManager {
  fields: FieldSet;
}

/** The entries of an object's `metadata.managedFields` (non-entries are dropped). */
export function managedFieldsOf(obj: { metadata?: JsonObject }): ManagedFieldsEntry[] {
  const list = obj.metadata?.managedFields;
  if (!Array.isArray(list)) return [];
  return list.filter((e): e is ManagedFieldsEntry =>
    isObject(e) && typeof e.manager === "string" && typeof e.operation === "string"
  );
}

/** True when two Apply managers are the same (name and subresource). */
export function sameManager(a: ApplyManager, b: ApplyManager): boolean {
  return a.manager === b.manager && a.subresource === b.subresource;
}

/** True when an entry is the Apply entry of `who`. */
export function isEntryOf(entry: ManagedFieldsEntry, who: ApplyManager): boolean {
  return entry.operation === "Apply" && entry.manager === who.manager &&
    (entry.subresource ?? "") === who.subresource;
}

/** The Apply managers of the entries and what they own. */
export function applyOwners(entries: ManagedFieldsEntry[]): ApplyOwner[] {
  return entries.filter((e) => e.operation === "Apply").map((e) => ({
    manager: e.manager,
    subresource: e.subresource ?? "",
    fields: fromFieldsV1(e.fieldsV1),
  }));
}

/** A fresh Apply entry for `who` owning `fields`. */
export function applyEntry(
  who: ApplyManager,
  apiVersion: string,
  fields: FieldSet,
): ManagedFieldsEntry {
  const entry: ManagedFieldsEntry = {
    manager: who.manager,
    operation: "Apply",
    apiVersion,
    time: nowTimestamp(),
    fieldsType: "FieldsV1",
    fieldsV1: toFieldsV1(fields),
  };
  if (who.subresource) entry.subresource = who.subresource;
  return entry;
}

/**
 * The managedFields after an apply: other entries as they were except Apply entries whose
 * fields changed (`owners`, empty ones dropped), and the entry of `self` replaced.
 */
export function updatedManagedFields(
  entries: ManagedFieldsEntry[],
  owners: ApplyOwner[],
  self: ManagedFieldsEntry,
): ManagedFieldsEntry[] {
  const out: ManagedFieldsEntry[] = [];
  let placed = false;
  for (const entry of entries) {
    if (isEntryOf(entry, { manager: self.manager, subresource: self.subresource ?? "" })) {
      out.push(self);
      placed = true;
      continue;
    }
    if (entry.operation !== "Apply") {
      out.push(entry);
      continue;
    }
    const owner = owners.find((o) => isEntryOf(entry, o));
    if (!owner) out.push(entry);
    else if (owner.fields.size > 0) out.push({ ...entry, fieldsV1: toFieldsV1(owner.fields) });
  }
  if (!placed) out.push(self);
  return out;
}
