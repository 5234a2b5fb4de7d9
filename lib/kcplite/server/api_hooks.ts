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
import type { OpenApiReply, OpenApiRequest } from "../api/openapi_handler.ts";
import type { ResourceDef, ResourceRegistry } from "../api/resource_def.ts";
import type { StatusCause } from "../api/status_error.ts";
import type { TypedDecodeResult } from "../api/typed_decode.ts";

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
  /**
   * `/openapi/v2`, `/openapi/v3` and `/openapi/v3/<gv path>` (with Accept negotiation,
   * ETags and 304s); undefined for unknown documents.
   */
  openapi?(request: OpenApiRequest, registry: ResourceRegistry): OpenApiReply | undefined;
  /** A `meta.k8s.io/v1` Table of the objects (`includeObject`: None, Metadata, Object). */
  toTable?(
    def: ResourceDef,
    objects: KubeObject[],
    includeObject?: string,
  ): Record<string, unknown>;
  /** Type, required, enum and bound violations against `def.schema`. */
  validate?(def: ResourceDef, object: KubeObject): StatusCause[];
  /** Paths of fields `def.schema` does not declare (for `fieldValidation`). */
  unknownFields?(def: ResourceDef, object: KubeObject): string[];
  /**
   * For built-in kinds with Kubernetes' Go types: the object decoded as kube-apiserver
   * decodes it (type mismatch, unknown fields, what is kept); undefined for other kinds.
   */
  decodeTyped?(def: ResourceDef, object: KubeObject): TypedDecodeResult | undefined;
  /** A copy of the object without the fields its schema does not declare. */
  prune?(def: ResourceDef, object: KubeObject): KubeObject;
  /** Fills in the schema's `default:` values (after pruning); may change `object` in place. */
  applyDefaults?(def: ResourceDef, object: KubeObject): KubeObject;
  /**
   * Validates a CustomResourceDefinition (problems → 422) and, when it is valid, returns
   * it as established (status conditions, accepted names).
   */
  prepareCrd?(
    crd: KubeObject,
    registry: ResourceRegistry,
  ): { causes: StatusCause[]; crd?: KubeObject };
}
