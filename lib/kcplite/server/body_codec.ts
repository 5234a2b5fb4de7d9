/**
 * Request bodies: reading them with a size limit, and decoding JSON or YAML according to
 * `Content-Type` into plain values; malformed input becomes a 400 `Status`, so does input
 * nested deeper than the nesting limit ({@link ./nesting_limit.ts}); an unknown media type
 * is a 415, an oversized body a 413.
 *
 * @module
 */
import type { ServerRequest } from "./http1_exchange.ts";
import { parse as parseYaml } from "yaml";
import { StatusError } from "../api/status_error.ts";
import { decodeProtobufObject, PROTOBUF_MEDIA_TYPE } from "./protobuf_body.ts";
import { checkNesting, isStackOverflow, tooDeep } from "./nesting_limit.ts";

/** The default body limit: 3 MiB, like Kubernetes' request size limit. */
export const DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;

/**
 * Reads the whole body, failing with 413 once it passes `limit` bytes and with 408 when it
 * is not complete within `timeoutMs` (the connection is then closed by the listener).
 */
export function readBody(
  req: ServerRequest,
  limit: number,
  timeoutMs = 60_000,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? "0");
    if (declared > limit) {
      req.resume();
      reject(tooLarge(limit));
      return;
    }
    // Most bodies are all in by the time they are asked for: no timer, no events.
    const whole = req.bodyIfComplete();
    if (whole !== undefined) {
      if (whole.length > limit) reject(tooLarge(limit));
      else resolve(whole);
      return;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    let failed = false;
    const timer = setTimeout(() => {
      failed = true;
      reject(
        new StatusError(
          408,
          "Timeout",
          `the request body was not received within ${Math.round(timeoutMs / 1000)} s`,
        ),
      );
    }, timeoutMs);
    req.on("data", (chunk: Uint8Array) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        clearTimeout(timer);
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on("close", () => clearTimeout(timer));
    req.on("end", () => {
      clearTimeout(timer);
      if (failed) return;
      const out = new Uint8Array(size);
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.length;
      }
      resolve(out);
    });
    req.on("error", (e) => {
      clearTimeout(timer);
      if (!failed) reject(e);
    });
  });
}

function tooLarge(limit: number): StatusError {
  return StatusError.tooLarge(`the request body is larger than the limit of ${limit} bytes`);
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0].trim().toLowerCase();
}

/** The patch types kcp-lite accepts, by media type. */
export const PATCH_MEDIA_TYPES: Record<string, "merge" | "json" | "strategic" | "apply"> = {
  "application/merge-patch+json": "merge",
  "application/json-patch+json": "json",
  "application/strategic-merge-patch+json": "strategic",
  "application/apply-patch+yaml": "apply",
};

/**
 * Decodes a body: Kubernetes protobuf for the kinds kubectl's generators send, JSON for `application/json` (and the JSON patch types, or no type), YAML
 * for `application/yaml`/`application/apply-patch+yaml`. Throws 400 for malformed text and
 * 415 for other media types.
 */
export function decodeBody(bytes: Uint8Array, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
  if (type === PROTOBUF_MEDIA_TYPE) return decodeProtobufObject(bytes);
  const text = new TextDecoder().decode(bytes);
  const yaml = type === "application/yaml" || type === "text/yaml" ||
    type === "application/apply-patch+yaml";
  const json = type === "" || type === "application/json" ||
    (type in PATCH_MEDIA_TYPES && !yaml);
  if (!yaml && !json) throw StatusError.unsupportedMediaType(type);
  if (text.trim() === "") throw StatusError.badRequest("the request body is empty");
  let value: unknown;
  if (yaml) {
    try {
      value = parseYaml(text);
    } catch (e) {
      if (isStackOverflow(e)) throw tooDeep("the request body");
      throw StatusError.badRequest(
        `the request body is not valid YAML: ${(e as Error).message.split("\n")[0]}`,
      );
    }
  } else {
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw StatusError.badRequest(`the request body is not valid JSON: ${(e as Error).message}`);
    }
  }
  checkNesting(value, "the request body");
  return value;
}

/** True when the value is a plain JSON object. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
