/**
 * Reading a request body (a web `Request`, as `Deno.serve` hands it) with a size bound, so
 * a server answers an oversized body with a 413 instead of buffering it all.
 *
 * @example
 * ```ts
 * try {
 *   const bytes = await readBoundedBody(req, 3 * 1024 * 1024);
 * } catch (e) {
 *   if (e instanceof BodyTooLargeError) return new Response("too large", { status: 413 });
 * }
 * ```
 *
 * @module
 */
import { concatBytes } from "./concat_bytes.ts";

/** The body (or its declared length) is over the bound. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`bodies are limited to ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/** The body's bytes (empty when there is none); throws `BodyTooLargeError` past `limit`. */
export async function readBoundedBody(req: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limit) throw new BodyTooLargeError(limit);
  if (!req.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req.body) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(chunk);
  }
  return concatBytes(chunks);
}
