/**
 * The API-surface functions the generic server takes from `lib/kcplite/api/` (discovery,
 * OpenAPI, Table output, schema validation, CRD establishment), gathered behind one
 * interface so the server is wired once by the start code and unit tests can pass stubs.
 * Every hook is optional: without it the server skips that feature (no Table, no schema
 * validation, 404 for discovery/OpenAPI documents).
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import type { ResourceDef, ResourceRegistry } from "../api/resource_def.ts";
import type { StatusCause } from "../api/status_error.ts";

/** A reply to a non-resource GET: a JSON body and its content type. */
export interface DocumentReply {
  body: unknown;
  contentType?: string;
}

/** What the server needs from the API surface. */
export interface ApiHooks {
  /**
   * Discovery for `/api`, `/api/v1`, `/apis`, `/apis/<g>`, `/apis/<g>/<v>` (path after the
   * cluster prefix); undefined when the path is not a discovery path or names nothing served.
   */
  discovery?(path: string, accept: string, registry: ResourceRegistry): DocumentReply | undefined;
  /** `/openapi/v3` and `/openapi/v3/<gv path>`; undefined for unknown documents. */
  openapi?(path: string, registry: ResourceRegistry): DocumentReply | undefined;
  /** A `meta.k8s.io/v1` Table of the objects. */
  toTable?(def: ResourceDef, objects: KubeObject[]): Record<string, unknown>;
  /**
   * Prunes unknown fields of `object` in place per the schema and returns validation
   * problems; with `strict`, unknown fields are problems too (fieldValidation=Strict).
   */
  validate?(def: ResourceDef, object: KubeObject, strict: boolean): StatusCause[];
  /**
   * Validates a CustomResourceDefinition (problems → 422) and, when it is valid, fills in
   * what establishing it sets (status conditions, accepted names) in place.
   */
  prepareCrd?(crd: KubeObject): StatusCause[];
}
