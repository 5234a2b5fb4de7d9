/**
 * The edge view's own error answers: a `v1` Status, as an API server writes one.
 *
 * @module
 */

/** A JSON `Status` response with `code`, `reason` and a one-line `message`. */
export function statusResponse(code: number, reason: string, message: string): Response {
  const body = {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    code,
  };
  return new Response(JSON.stringify(body), {
    status: code,
    headers: { "content-type": "application/json" },
  });
}
