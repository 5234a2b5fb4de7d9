/**
 * Customization of a workload object for one destination (controllers-spec §4.6):
 * `%(name)` parameter expansion of the whole object when it is annotated
 * `edge.kubestellar.io/expand-parameters: "true"`, then the replacements of the
 * Customizer its `edge.kubestellar.io/customizer` annotation names (paths and values
 * expanded too when the Customizer is so annotated). A replacement that does not
 * parse is skipped and reported; the rest still apply.
 *
 * @example
 * ```ts
 * const { object } = customizeObject(rs, customizer, { env: "prod" });
 * ```
 *
 * @module
 */
import type { KubeObject } from "../../controller/list_watch.ts";
import { type Customizer, EDGE_KEYS } from "../../edge/api_types.ts";
import { expandDeep, expandString } from "../../placement/customize/expand_parameters.ts";
import { parseJsonPath, setAtPath } from "../../placement/customize/jsonpath.ts";

/** The Customizer an object asks for: namespace and name, or undefined. */
export function customizerRef(obj: KubeObject): { namespace: string; name: string } | undefined {
  const ref = obj.metadata?.annotations?.[EDGE_KEYS.customizer];
  if (!ref) return undefined;
  const slash = ref.indexOf("/");
  if (slash >= 0) return { namespace: ref.slice(0, slash), name: ref.slice(slash + 1) };
  return { namespace: obj.metadata?.namespace ?? "", name: ref };
}

/** True when parameter expansion is asked for on `obj`. */
export function wantsExpansion(
  obj: { metadata?: { annotations?: Record<string, string> } } | undefined,
): boolean {
  return obj?.metadata?.annotations?.[EDGE_KEYS.expandParameters] === "true";
}

/** A customized copy and the problems met. */
export interface CustomizationResult {
  object: KubeObject;
  problems: string[];
}

/**
 * Customizes a copy of `source` with `params` (the destination's Location and
 * SyncTarget labels/annotations) and `customizer` (undefined: none or not found).
 */
export function customizeObject(
  source: KubeObject,
  customizer: Customizer | undefined,
  params: Record<string, string>,
): CustomizationResult {
  const problems: string[] = [];
  let object = structuredClone(source);
  if (wantsExpansion(source)) object = expandDeep(object, params);
  if (!customizer) return { object, problems };
  const expand = wantsExpansion(customizer);
  const cname = `${customizer.metadata.namespace ?? ""}/${customizer.metadata.name}`;
  for (const [i, r] of (customizer.replacements ?? []).entries()) {
    const path = expand ? expandString(String(r.path ?? ""), params) : String(r.path ?? "");
    const valueText = expand ? expandString(String(r.value ?? ""), params) : String(r.value ?? "");
    let value: unknown;
    try {
      value = JSON.parse(valueText);
    } catch {
      problems.push(
        `Customizer ${cname} replacements[${i}]: value ${JSON.stringify(valueText)} is not JSON ` +
          `(a string value needs quotes, e.g. '"text"')`,
      );
      continue;
    }
    try {
      setAtPath(object, parseJsonPath(path), value);
    } catch (e) {
      problems.push(
        `Customizer ${cname} replacements[${i}]: ${e instanceof Error ? e.message : e}`,
      );
    }
  }
  return { object, problems };
}
