/**
 * Writes one API response: the body (bytes, text, an object as JSON, or JSON text already
 * made, see {@link JsonText}), its Content-Type and Content-Length, kube-apiserver's
 * `Warning` headers, and extra headers. A response whose
 * headers already went out (a watch or a streamed list that failed midway) is ended
 * instead.
 *
 * @example
 * ```ts
 * send(res, 200, { kind: "Status" });
 * sendError(res, new StatusError(404, "NotFound", "not found"));
 * ```
 *
 * @module
 */
import type { ServerReply } from "./http1_exchange.ts";
import type { StatusError } from "../api/status_error.ts";

/** A reply body that is JSON text already (a stored object), sent as it is. */
export class JsonText {
  constructor(readonly text: string) {}
}

/** Sends `body` with `status`. */
export function send(
  res: ServerReply,
  status: number,
  body: unknown,
  contentType?: string,
  warnings?: string[],
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  const json = body instanceof JsonText;
  const bytes = body instanceof Uint8Array
    ? body
    : body === undefined
    ? new Uint8Array()
    : new TextEncoder().encode(
      json ? body.text : typeof body === "string" ? body : JSON.stringify(body),
    );
  // kube-apiserver's warning format: `299 - "<text>"` (Go-quoted)
  if (warnings?.length) res.setHeader("Warning", warnings.map((w) => `299 - ${JSON.stringify(w)}`));
  res.writeHead(status, {
    "Content-Type": contentType ??
      (typeof body === "string" && !json ? "text/plain" : "application/json"),
    "Content-Length": bytes.length,
  });
  res.end(bytes);
}

/** Sends a StatusError as its Status object. */
export function sendError(res: ServerReply, e: StatusError): void {
  send(res, e.code, e.toStatus());
}
