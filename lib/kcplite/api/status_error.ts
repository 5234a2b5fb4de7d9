/**
 * A failure the API server reports as a Kubernetes `Status` body (kcp-spec §8.10):
 * thrown anywhere below the HTTP layer, turned into the response there.
 *
 * @example
 * ```ts
 * throw StatusError.notFound({ group: "apps", resource: "deployments" }, "web");
 * // 404 {"kind":"Status","reason":"NotFound","message":"deployments.apps \"web\" not found",...}
 * ```
 *
 * @module
 */
import type { KubeStatus } from "../../kube/rest_errors.ts";

/** A cause of an Invalid (422) answer. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** What the message names: `deployments.apps` for group `apps`, `configmaps` for core. */
export interface ResourceName {
  group: string;
  resource: string;
}

/** `resource.group` or just `resource` for the core group. */
export function qualifiedResource(r: ResourceName): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

/** A Kubernetes API failure with its HTTP code, reason and message. */
export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: KubeStatus["details"],
  ) {
    super(message);
    this.name = "StatusError";
  }

  /** The `Status` body. */
  toStatus(): KubeStatus {
    const status: KubeStatus = {
      kind: "Status",
      apiVersion: "v1",
      status: "Failure",
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) status.details = this.details;
    return { metadata: {}, ...status } as KubeStatus;
  }

  static badRequest(message: string): StatusError {
    return new StatusError(400, "BadRequest", message);
  }

  static unauthorized(message = "Unauthorized"): StatusError {
    return new StatusError(401, "Unauthorized", message);
  }

  static forbidden(message: string, r?: ResourceName, name?: string): StatusError {
    return new StatusError(403, "Forbidden", message, r ? detailsOf(r, name) : undefined);
  }

  static notFound(r: ResourceName, name: string): StatusError {
    return new StatusError(
      404,
      "NotFound",
      `${qualifiedResource(r)} "${name}" not found`,
      detailsOf(r, name),
    );
  }

  static alreadyExists(r: ResourceName, name: string): StatusError {
    return new StatusError(
      409,
      "AlreadyExists",
      `${qualifiedResource(r)} "${name}" already exists`,
      detailsOf(r, name),
    );
  }

  static conflict(r: ResourceName, name: string, why: string): StatusError {
    return new StatusError(
      409,
      "Conflict",
      `Operation cannot be fulfilled on ${qualifiedResource(r)} "${name}": ${why}`,
      detailsOf(r, name),
    );
  }

  static gone(message: string): StatusError {
    return new StatusError(410, "Expired", message);
  }

  static invalid(
    kind: string,
    group: string,
    name: string,
    causes: StatusCause[],
  ): StatusError {
    const text = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join(", ");
    return new StatusError(422, "Invalid", `${kind} "${name}" is invalid: ${text}`, {
      name,
      group,
      kind,
      causes: causes.map((c) => ({ reason: c.reason ?? "FieldValueInvalid", ...c })),
    });
  }

  static methodNotAllowed(message: string): StatusError {
    return new StatusError(405, "MethodNotAllowed", message);
  }

  static unsupportedMediaType(contentType: string): StatusError {
    return new StatusError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (got ${contentType})`,
    );
  }

  static tooLarge(message = "Request entity too large"): StatusError {
    return new StatusError(413, "RequestEntityTooLarge", message);
  }

  static internal(message: string): StatusError {
    return new StatusError(500, "InternalError", message);
  }
}

function detailsOf(r: ResourceName, name?: string): KubeStatus["details"] {
  const d: KubeStatus["details"] = { group: r.group, kind: r.resource };
  if (name !== undefined) d.name = name;
  return d;
}
