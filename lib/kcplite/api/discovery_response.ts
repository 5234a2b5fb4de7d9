/**
 * The answer to `GET /api` and `GET /apis` for a given Accept header: aggregated
 * discovery when the client asks for it (kubectl ≥ 1.26 does), legacy `APIVersions` /
 * `APIGroupList` otherwise. The server sends `body` as JSON with `contentType` and
 * `Vary: Accept`.
 *
 * @example
 * ```ts
 * const { contentType, body } = discoveryResponse(registry, "apis", req.headers.get("accept"));
 * ```
 *
 * @module
 */
import { aggregatedDiscovery } from "./aggregated_discovery.ts";
import { apiGroupList, legacyApiVersions } from "./discovery.ts";
import { negotiateDiscovery } from "./media_type.ts";
import type { ResourceRegistry } from "./resource_def.ts";

/** A discovery document and its Content-Type. */
export interface DiscoveryResponse {
  contentType: string;
  body: unknown;
}

/** `/api` or `/apis` in the form the Accept header asks for. */
export function discoveryResponse(
  registry: ResourceRegistry,
  root: "api" | "apis",
  accept: string | null | undefined,
  serverAddress = "",
): DiscoveryResponse {
  const form = negotiateDiscovery(accept);
  if (form.form === "aggregated") {
    return {
      contentType: form.contentType,
      body: aggregatedDiscovery(registry, root, form.version),
    };
  }
  return {
    contentType: "application/json",
    body: root === "api" ? legacyApiVersions(serverAddress) : apiGroupList(registry),
  };
}
