/**
 * One request of the REST client, authenticated as the `RestConfig` says: bearer
 * token, basic auth or client certificate (fixed, or from a `CredentialSource`),
 * impersonation headers, a per-request timeout, and the caller's abort signal.
 *
 * On 401 the credential source (if any) is asked for other credentials and the
 * request is sent once more with them (an exec plugin re-run, a re-read token file
 * or kubeconfig). A 401 that remains is an `UnauthorizedError`. A 429, or a 5xx with
 * `Retry-After`, is sent again after the server's delay, as client-go does.
 *
 * @module
 */
import {
  type Credentials,
  type CredentialSource,
  sameCredentials,
  staticCredentials,
} from "./credentials.ts";
import type { RestConfig } from "./rest_config.ts";
import { apiErrorFrom, ConnectionError, UnauthorizedError } from "./rest_errors.ts";
import { joinServerPath } from "./rest_paths.ts";
import type { HttpTransport, TransportRequest, TransportResponse } from "./rest_transport.ts";
import type { RequestOptions } from "./rest_types.ts";
import { MAX_RETRIES, retryAfterSeconds, sleepUnlessAborted } from "./retry_after.ts";

/** A transport shared by the clients derived with `withCluster`, closed with the last. */
export class SharedTransport {
  refs = 1;
  constructor(readonly transport: HttpTransport) {}
  release(): void {
    if (--this.refs === 0) this.transport.close();
  }
}

/** Why a connection failed, in one line (the cause chain unwrapped). */
export function connectionReason(e: unknown, timedOut: boolean, timeoutMs?: number): string {
  if (timedOut) return `no answer within ${(timeoutMs ?? 0) / 1000}s`;
  // Deno's fetch says "fetch failed" and puts the reason in the cause chain.
  let inner: unknown = e;
  while (inner instanceof Error && inner.cause !== undefined) inner = inner.cause;
  const msg = inner instanceof Error ? inner.message : String(inner);
  return msg.replace(/^error sending request for url \([^)]*\): /, "")
    .replace(/^client error \(Connect\): /, "").split("\n")[0];
}

/** client-go's `headerKeyEscape`: bytes outside RFC 7230's token characters (and %) as %XX. */
function headerKeyEscape(key: string): string {
  let out = "";
  for (const b of new TextEncoder().encode(key)) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9!#$&'*+\-.^_`|~]/.test(c)
      ? c
      : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function headersFor(
  config: RestConfig,
  creds: Credentials,
  options: RequestOptions,
): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {
    "Accept": options.accept ?? "application/json",
    "User-Agent": "kubestellar",
  };
  if (creds.token) headers["Authorization"] = `Bearer ${creds.token}`;
  else if (creds.username !== undefined && creds.password !== undefined) {
    headers["Authorization"] = `Basic ${btoa(`${creds.username}:${creds.password}`)}`;
  }
  if (options.body !== undefined) {
    headers["Content-Type"] = options.contentType ?? "application/json";
  }
  const as = config.impersonate;
  if (as) {
    // client-go's impersonating round tripper: one header per group and extra value.
    headers["Impersonate-User"] = as.user;
    if (as.uid) headers["Impersonate-Uid"] = as.uid;
    if (as.groups?.length) headers["Impersonate-Group"] = as.groups;
    for (const [k, values] of Object.entries(as.extra ?? {})) {
      headers[`Impersonate-Extra-${headerKeyEscape(k)}`] = values;
    }
  }
  return headers;
}

function clientCertOf(creds: Credentials): TransportRequest["clientCert"] {
  return creds.certData && creds.keyData
    ? { certData: creds.certData, keyData: creds.keyData }
    : undefined;
}

/** What `sendRequest` resolves to: the answer, and `finish` to call once its body was read. */
export interface SentRequest {
  response: TransportResponse;
  /** Stops the timeout and the abort forwarding. */
  finish: () => void;
}

/**
 * Sends a request; resolves once the headers of a successful answer arrived. Failures
 * become `ApiError` (`UnauthorizedError` for 401) / `ConnectionError`; errors of the
 * credential source (an exec plugin that failed) pass through as they are.
 */
export async function sendRequest(
  config: RestConfig,
  transport: HttpTransport,
  method: string,
  path: string,
  options: RequestOptions,
): Promise<SentRequest> {
  const url = new URL(joinServerPath(config.server, path));
  for (const [k, v] of Object.entries(options.query ?? {})) {
    if (v !== undefined) url.searchParams.set(k, String(v));
  }
  const source: CredentialSource | undefined = config.credentials;
  let creds = source ? await source.current() : staticCredentials(config);
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) onAbort(); // already aborted: no event will come
  let timedOut = false;
  const timeoutMs = config.timeoutMs;
  let timer = timeoutMs
    ? setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs)
    : undefined;
  const finish = () => {
    clearTimeout(timer);
    timer = undefined;
    options.signal?.removeEventListener("abort", onAbort);
  };
  const body = options.body === undefined
    ? undefined
    : typeof options.body === "string"
    ? options.body
    : JSON.stringify(options.body);
  const attempt = async (c: Credentials): Promise<TransportResponse> => {
    try {
      return await transport.send({
        method,
        url: url.toString(),
        headers: headersFor(config, c, options),
        body,
        signal: controller.signal,
        clientCert: clientCertOf(c),
        streaming: options.streaming,
      });
    } catch (e) {
      finish();
      if (options.signal?.aborted) throw e;
      throw new ConnectionError(config.server, connectionReason(e, timedOut, timeoutMs), {
        cause: e,
      });
    }
  };
  let response = await attempt(creds);
  if (response.status === 401 && source) {
    let fresh: Credentials | undefined;
    try {
      fresh = await source.refresh(creds);
    } catch (e) {
      finish();
      await response.body?.cancel().catch(() => {});
      throw e;
    }
    if (fresh && !sameCredentials(fresh, creds)) {
      await response.body?.cancel().catch(() => {});
      creds = fresh;
      response = await attempt(creds);
    }
  }
  source?.settled?.(creds, response.status !== 401);
  for (let retries = 0; retries < MAX_RETRIES; retries++) {
    const seconds = retryAfterSeconds(response);
    if (seconds === undefined) break;
    await response.body?.cancel().catch(() => {});
    try {
      await sleepUnlessAborted(seconds * 1000, controller.signal);
    } catch (e) {
      finish();
      if (options.signal?.aborted) throw e;
      throw new ConnectionError(config.server, connectionReason(e, timedOut, timeoutMs));
    }
    response = await attempt(creds);
  }
  if (!response.ok) {
    const text = await response.text().catch(() => "");
    finish();
    const error = apiErrorFrom(response.status, text);
    if (response.status === 401) {
      throw new UnauthorizedError(error.status, source?.reportsRefusal === true);
    }
    throw error;
  }
  if (options.streaming) {
    // A stream lives on: only the caller's signal (or cancelling the body) ends it.
    clearTimeout(timer);
    timer = undefined;
  }
  return { response, finish };
}
