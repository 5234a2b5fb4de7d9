/**
 * The API-surface functions in the exact shapes the generic server's `ApiHooks`
 * (`lib/kcplite/server/api_hooks.ts`) asks for: OpenAPI documents by path, Table
 * output, write-time pruning and validation, and CRD preparation (validate, then
 * establish in place).
 *
 * @example
 * ```ts
 * const hooks: ApiHooks = {
 *   discovery: …,
 *   openapi: openApiFor,
 *   toTable: tableFor,
 *   validate: validateForWrite,
 *   prepareCrd: prepareCrd,
 * };
 * ```
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import { type CustomResourceDefinition, establishCrd } from "./crd_conversion.ts";
import { crdValidationErrors } from "./crd_validation.ts";
import { openApiV3Document, openApiV3Index } from "./openapi_v3.ts";
import type { ResourceDef, ResourceRegistry } from "./resource_def.ts";
import { applySchemaDefaults } from "./schema_defaults.ts";
import { pruneUnknownFields } from "./schema_pruning.ts";
import { unknownFieldCauses, validateAgainstSchema } from "./schema_validation.ts";
import type { StatusCause } from "./status_error.ts";
import { toTable } from "./table.ts";

/** A JSON document and its content type. */
export interface OpenApiReply {
  body: unknown;
  contentType: string;
}

/**
 * `/openapi/v3` (the index) or `/openapi/v3/<api/v1 | apis/g/v>` (a document), path after
 * any `/clusters/<x>` prefix, query string ignored; undefined for anything else.
 */
export function openApiFor(path: string, registry: ResourceRegistry): OpenApiReply | undefined {
  const clean = path.split("?")[0].replace(/\/+$/, "");
  if (clean === "/openapi/v3" || clean === "openapi/v3") {
    return { body: openApiV3Index(registry), contentType: "application/json" };
  }
  const m = /^\/?openapi\/v3\/(.+)$/.exec(clean);
  if (!m) return undefined;
  const doc = openApiV3Document(registry, m[1]);
  return doc && { body: doc, contentType: "application/json" };
}

/** A Table of `objects` with row objects as PartialObjectMetadata. */
export function tableFor(def: ResourceDef, objects: KubeObject[]): Record<string, unknown> {
  return toTable(def, objects) as unknown as Record<string, unknown>;
}

/**
 * With `strict`, the unknown fields first (as problems); then prunes `object` in place,
 * fills in schema defaults and returns its type/required/enum problems.
 */
export function validateForWrite(
  def: ResourceDef,
  object: KubeObject,
  strict: boolean,
): StatusCause[] {
  const causes = strict ? unknownFieldCauses(def, object) : [];
  const pruned = pruneUnknownFields(def, object);
  if (pruned !== object) {
    for (const k of Object.keys(object)) delete object[k];
    Object.assign(object, pruned);
  }
  applySchemaDefaults(def, object);
  return [...causes, ...validateAgainstSchema(def, object)];
}

/** Validates a CRD; when valid, sets its defaults and established status in place. */
export function prepareCrd(crd: KubeObject): StatusCause[] {
  const causes = crdValidationErrors(crd as CustomResourceDefinition);
  if (causes.length) return causes;
  const established = establishCrd(crd as CustomResourceDefinition);
  for (const k of Object.keys(crd)) delete crd[k];
  Object.assign(crd, established);
  return [];
}
