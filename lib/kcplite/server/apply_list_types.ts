/**
 * How server-side apply treats a list field: merged item by item by merge keys, merged as a
 * set of primitives, or replaced whole (atomic).
 *
 * The schema decides first (`x-kubernetes-list-type: map` with `x-kubernetes-list-map-keys`,
 * `x-kubernetes-list-type: set`, as CRDs and APIResourceSchemas declare them); for the
 * built-in kinds (and bound or CRD-backed copies of them) the strategic merge keys kcp-lite
 * already knows fill in the rest. Every other list is atomic.
 *
 * @example
 * ```ts
 * const lists = listTypesOf(deploymentDef);
 * lists(["spec", "template", "spec", "containers"]); // { type: "map", keys: ["name"] }
 * ```
 *
 * @module
 */
import { isObject, type JsonObject } from "../../kube/patch/json_value.ts";
import { listStrategy, supportsStrategicMerge } from "../../kube/patch/merge_keys.ts";
import type { ResourceDef } from "../api/resource_def.ts";

/** How one list merges. */
export type ApplyListType =
  | { type: "map"; keys: string[] }
  | { type: "set" }
  | { type: "atomic" };

/** The list type of the list at a path of field names (list items are transparent). */
export type ListTypes = (fieldPath: readonly string[]) => ApplyListType;

const ATOMIC: ApplyListType = { type: "atomic" };

/** The schema node at a path of field names, if the schema describes it. */
function schemaAt(schema: unknown, fieldPath: readonly string[]): JsonObject | undefined {
  let node = isObject(schema) ? schema : undefined;
  for (const name of fieldPath) {
    while (node && node.type === "array" && isObject(node.items)) node = node.items;
    if (!node) return undefined;
    const props = node.properties;
    if (isObject(props) && isObject(props[name])) node = props[name] as JsonObject;
    else if (isObject(node.additionalProperties)) node = node.additionalProperties;
    else return undefined;
  }
  return node;
}

function fromSchema(node: JsonObject | undefined): ApplyListType | undefined {
  const type = node?.["x-kubernetes-list-type"];
  if (type === "set") return { type: "set" };
  if (type === "atomic") return ATOMIC;
  if (type === "map") {
    const keys = node?.["x-kubernetes-list-map-keys"];
    if (Array.isArray(keys) && keys.length > 0) return { type: "map", keys: keys.map(String) };
  }
  return undefined;
}

/** The list types of a resource's objects. */
export function listTypesOf(def: ResourceDef): ListTypes {
  const gk = { group: def.group, kind: def.kind };
  const strategic = supportsStrategicMerge(gk);
  return (fieldPath) => {
    const declared = fromSchema(schemaAt(def.schema, fieldPath));
    if (declared) return declared;
    // object metadata (finalizers, ownerReferences) merges the same way for every kind
    if (!strategic && fieldPath[0] !== "metadata") return ATOMIC;
    const s = listStrategy(gk, fieldPath);
    if (s.strategy === "merge") return { type: "map", keys: [s.key] };
    if (s.strategy === "set") return { type: "set" };
    return ATOMIC;
  };
}
