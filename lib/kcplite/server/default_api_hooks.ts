/**
 * The {@link ApiHooks} wired to `lib/kcplite/api/`: legacy and aggregated discovery with
 * Accept negotiation for `/api`, `/apis`, `/api/v1`, `/apis/<g>` and `/apis/<g>/<v>`;
 * the OpenAPI v3 index and group-version documents; Table output; schema validation,
 * unknown-field detection, pruning and defaulting; CRD validation and establishment.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import { type CustomResourceDefinition, establishCrd } from "../api/crd_conversion.ts";
import { CrdBackedRegistry } from "../api/crd_backed_registry.ts";
import { crdValidationErrors } from "../api/crd_validation.ts";
import { discoveryResponse } from "../api/discovery_response.ts";
import { apiGroup, apiResourceList } from "../api/discovery.ts";
import { type OpenApiReply, serveOpenApi } from "../api/openapi_handler.ts";
import type { ResourceRegistry } from "../api/resource_def.ts";
import { applySchemaDefaults } from "../api/schema_defaults.ts";
import { pruneUnknownFields } from "../api/schema_pruning.ts";
import { unknownFieldCauses, validateAgainstSchema } from "../api/schema_validation.ts";
import { type IncludeObject, parseIncludeObject, toTable } from "../api/table.ts";
import { decodeBuiltin } from "../api/typed_decode.ts";
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

/** `/openapi/v2`, `/openapi/v3` and `/openapi/v3/<api/v1|apis/g/v>` for a plain GET. */
export function openapiFor(
  path: string,
  registry: ResourceRegistry,
  accept = "application/json",
): OpenApiReply | undefined {
  return serveOpenApi({ path, query: new URLSearchParams(), accept }, registry);
}

function prepareCrd(crd: KubeObject, registry: ResourceRegistry) {
  const typed = crd as CustomResourceDefinition;
  const causes = crdValidationErrors(typed);
  if (causes.length > 0) return { causes };
  const shadow = registry instanceof CrdBackedRegistry ? registry.shadowingDef(typed) : undefined;
  const nameConflict = shadow
    ? `"${shadow.resource}" is already served in group "${shadow.group}"`
    : undefined;
  return { causes: [], crd: establishCrd(typed, { nameConflict }) as KubeObject };
}

/** The hooks kcp-lite runs with. */
export function defaultApiHooks(): ApiHooks {
  return {
    discovery: (path, accept, registry) => discoveryFor(path, accept, registry),
    openapi: serveOpenApi,
    toTable: (def, objects, includeObject) =>
      toTable(def, objects, {
        includeObject: parseIncludeObject(includeObject) as IncludeObject | undefined,
      }) as unknown as Record<string, unknown>,
    validate: (def, object) => validateAgainstSchema(def, object),
    unknownFields: (def, object) => unknownFieldCauses(def, object).map((c) => String(c.field)),
    decodeTyped: decodeBuiltin,
    prune: (def, object) => pruneUnknownFields(def, object),
    applyDefaults: (def, object) => applySchemaDefaults(def, object),
    prepareCrd,
  };
}
