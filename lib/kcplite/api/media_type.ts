/**
 * Accept-header negotiation for the response forms Kubernetes clients ask for with
 * media-type parameters: aggregated discovery
 * (`application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`), Table
 * (`application/json;as=Table;v=v1;g=meta.k8s.io`) and partial object metadata.
 *
 * @example
 * ```ts
 * negotiateDiscovery("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
 * // {form: "aggregated", version: "v2", contentType: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"}
 * negotiateObjectForm("application/json;as=Table;v=v1;g=meta.k8s.io,application/json"); // "Table"
 * ```
 *
 * @module
 */
import {
  aggregatedDiscoveryMediaType,
  type AggregatedDiscoveryVersion,
} from "./aggregated_discovery.ts";

/** One media range of an Accept header. */
export interface MediaRange {
  /** `application/json`, `*\/*`, … (lower case). */
  type: string;
  /** Parameters other than `q`, keys lower case. */
  params: Record<string, string>;
  q: number;
}

/** The media ranges of an Accept header, most preferred first (stable for equal q). */
export function parseAccept(accept: string | null | undefined): MediaRange[] {
  if (!accept) return [];
  const ranges: MediaRange[] = [];
  for (const part of accept.split(",")) {
    const [type, ...rest] = part.split(";").map((s) => s.trim());
    if (!type) continue;
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of rest) {
      const eq = p.indexOf("=");
      if (eq < 0) continue;
      const key = p.slice(0, eq).trim().toLowerCase();
      const value = p.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1");
      if (key === "q") q = Number(value) || 0;
      else params[key] = value;
    }
    ranges.push({ type: type.toLowerCase(), params, q });
  }
  return ranges.map((r, i) => ({ r, i })).sort((a, b) => b.r.q - a.r.q || a.i - b.i).map((x) =>
    x.r
  );
}

function isJsonLike(type: string): boolean {
  return type === "application/json" || type === "*/*" || type === "application/*";
}

/** How to answer `/api` or `/apis`. */
export type DiscoveryForm =
  | { form: "aggregated"; version: AggregatedDiscoveryVersion; contentType: string }
  | { form: "legacy"; contentType: "application/json" };

/**
 * Picks aggregated discovery (v2 or v2beta1) when the client lists it before a plain
 * JSON range, else legacy discovery as `application/json`.
 */
export function negotiateDiscovery(accept: string | null | undefined): DiscoveryForm {
  for (const r of parseAccept(accept)) {
    if (r.q <= 0) continue;
    const p = r.params;
    if (p.as !== undefined || p.g !== undefined) {
      if (
        r.type === "application/json" && p.g === "apidiscovery.k8s.io" &&
        p.as === "APIGroupDiscoveryList" && (p.v === "v2" || p.v === "v2beta1")
      ) {
        return { form: "aggregated", version: p.v, contentType: aggregatedDiscoveryMediaType(p.v) };
      }
      continue;
    }
    if (isJsonLike(r.type)) break;
  }
  return { form: "legacy", contentType: "application/json" };
}

/** The forms a GET of objects can take. */
export type ObjectForm = "Table" | "PartialObjectMetadata" | "PartialObjectMetadataList" | "Object";

/**
 * The form a GET/list answer should take: `Table` or partial metadata when asked for
 * with `as=…;g=meta.k8s.io` (v1 or v1beta1) ahead of plain JSON, else the objects.
 */
export function negotiateObjectForm(accept: string | null | undefined): ObjectForm {
  for (const r of parseAccept(accept)) {
    if (r.q <= 0) continue;
    const p = r.params;
    if (p.as !== undefined) {
      if (r.type !== "application/json" || p.g !== "meta.k8s.io") continue;
      if (p.v !== "v1" && p.v !== "v1beta1") continue;
      if (
        p.as === "Table" || p.as === "PartialObjectMetadata" ||
        p.as === "PartialObjectMetadataList"
      ) return p.as;
      continue;
    }
    if (isJsonLike(r.type) || r.type === "application/yaml") break;
  }
  return "Object";
}
