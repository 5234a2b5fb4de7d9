/**
 * Errors of the REST client: the server's `Status` as a typed `ApiError` (with
 * `GoneError` for 410, which watchers must handle by relisting), and
 * `ConnectionError` when the server could not be reached at all.
 *
 * @example
 * ```ts
 * try {
 *   await client.get(ref);
 * } catch (e) {
 *   if (isNotFound(e)) return undefined;
 *   throw e;
 * }
 * ```
 *
 * @module
 */

/** The Kubernetes `metav1.Status` fields a client looks at. */
export interface KubeStatus {
  kind?: string;
  apiVersion?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: Array<{ reason?: string; message?: string; field?: string }>;
    retryAfterSeconds?: number;
  };
}

/** A request the server answered with a failure `Status`. */
export class ApiError extends Error {
  /** The server's status (synthesized when the body was not a Status). */
  readonly status: KubeStatus;
  /** HTTP status code. */
  readonly code: number;
  /** Machine-readable reason (`NotFound`, `AlreadyExists`, `Conflict`, `Forbidden`, …). */
  readonly reason: string;

  constructor(status: KubeStatus, code = status.code ?? 500) {
    super(status.message || `the server answered ${code} ${status.reason ?? ""}`.trim());
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.reason = status.reason ?? "";
  }
}

/** 410 Gone / Expired: the requested resourceVersion is too old; relist. */
export class GoneError extends ApiError {
  constructor(status: KubeStatus) {
    super(status, 410);
    this.name = "GoneError";
  }
}

/**
 * 401 Unauthorized that remained after the credentials were refreshed (or could not
 * be). `reported` is true when the credential source already logged the refusal, so
 * retry loops need not log it again.
 */
export class UnauthorizedError extends ApiError {
  readonly reported: boolean;

  constructor(status: KubeStatus, reported: boolean) {
    super(status, 401);
    this.name = "UnauthorizedError";
    this.reported = reported;
  }
}

/**
 * True for a 401 whose credential source has logged it already (retry quietly), also
 * when it is the `cause` of the error in hand (a batch of writes that failed for it).
 */
export function isReportedUnauthorized(e: unknown): boolean {
  for (let inner = e, depth = 0; inner instanceof Error && depth < 5; depth++) {
    if (inner instanceof UnauthorizedError) return inner.reported;
    inner = inner.cause;
  }
  return false;
}

/**
 * The level to log a failure that will be retried at: `debug` for a 401 its credential
 * source has logged once already (`isReportedUnauthorized`), else `warn`.
 */
export function retryLogLevel(e: unknown): "debug" | "warn" {
  return isReportedUnauthorized(e) ? "debug" : "warn";
}

/** The server could not be reached (DNS, refused, TLS verification, timeout). */
export class ConnectionError extends Error {
  /** The server URL that was tried. */
  readonly server: string;

  constructor(server: string, reason: string, options?: { cause?: unknown }) {
    super(`cannot connect to the server at ${server}: ${reason}`, options);
    this.name = "ConnectionError";
    this.server = server;
  }
}

const REASON_BY_CODE: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  406: "NotAcceptable",
  409: "Conflict",
  410: "Expired",
  415: "UnsupportedMediaType",
  422: "Invalid",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

/** Builds the typed error for a failed HTTP response body. */
export function apiErrorFrom(code: number, bodyText: string): ApiError {
  let status: KubeStatus | undefined;
  try {
    const parsed = JSON.parse(bodyText);
    if (parsed && typeof parsed === "object" && parsed.kind === "Status") status = parsed;
  } catch {
    // not JSON: synthesized below
  }
  status ??= {
    kind: "Status",
    apiVersion: "v1",
    status: "Failure",
    code,
    reason: REASON_BY_CODE[code] ?? "Unknown",
    message: bodyText.trim().split("\n")[0] ||
      `the server answered ${code} ${REASON_BY_CODE[code] ?? ""}`.trim(),
  };
  return errorForStatus(status, code);
}

/** The typed error for a `Status` (e.g. one carried by a watch ERROR event). */
export function errorForStatus(status: KubeStatus, code = status.code ?? 500): ApiError {
  if (code === 410 || status.reason === "Expired" || status.reason === "Gone") {
    return new GoneError(status);
  }
  return new ApiError(status, code);
}

/** True for a 404 `ApiError`. */
export function isNotFound(e: unknown): boolean {
  return e instanceof ApiError && e.code === 404;
}

/** True for a 409 `AlreadyExists`. */
export function isAlreadyExists(e: unknown): boolean {
  return e instanceof ApiError && e.code === 409 && e.reason === "AlreadyExists";
}

/** True for a 409 `Conflict` (stale resourceVersion). */
export function isConflict(e: unknown): boolean {
  return e instanceof ApiError && e.code === 409 && e.reason !== "AlreadyExists";
}

/** True for 403. */
export function isForbidden(e: unknown): boolean {
  return e instanceof ApiError && e.code === 403;
}

/** True for 410 (watch too old). */
export function isGone(e: unknown): e is GoneError {
  return e instanceof GoneError;
}
