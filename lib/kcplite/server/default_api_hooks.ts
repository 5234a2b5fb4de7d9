/**
 * The {@link ApiHooks} wired to `lib/kcplite/api/`: legacy and aggregated discovery with
 * Accept negotiation for `/api`, `/apis`, `/api/v1`, `/apis/<g>` and `/apis/<g>/<v>`.
 *
 * @module
 */
import { discoveryResponse } from "../api/discovery_response.ts";
import { apiGroup, apiResourceList } from "../api/discovery.ts";
import type { ResourceRegistry } from "../api/resource_def.ts";
import type { ApiHooks, DocumentReply } from "./api_hooks.ts";

/** Discovery for a path after the cluster prefix; undefined when nothing is served there. */
export function discoveryFor(
  path: string,
  accept: string,
  registry: ResourceRegistry,
  serverAddress = "",
): DocumentReply | undefined {
  const parts = path.split("/").filter((p) => p !== "");
  if (parts[0] === "api") {
    if (parts.length === 1) return discoveryResponse(registry, "api", accept, serverAddress);
    if (parts.length === 2) {
      const list = apiResourceList(registry, "", parts[1]);
      return list && { body: list };
    }
    return undefined;
  }
  if (parts[0] !== "apis") return undefined;
  if (parts.length === 1) return discoveryResponse(registry, "apis", accept, serverAddress);
  if (parts.length === 2) {
    const group = apiGroup(registry, parts[1]);
    return group && { body: group };
  }
  if (parts.length === 3) {
    const list = apiResourceList(registry, parts[1], parts[2]);
    return list && { body: list };
  }
  return undefined;
}

/** The hooks kcp-lite runs with. */
export function defaultApiHooks(): ApiHooks {
  return {
    discovery: (path, accept, registry) => discoveryFor(path, accept, registry),
  };
}
