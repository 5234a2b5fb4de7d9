/**
 * One request of the edge view for a forcibly-denatured kind: sent to the denatured
 * resource with the body in denatured form, the answer (object, list, Table, Status,
 * watch stream) turned back into the natured form at the version the client used.
 *
 * Strategic merge patches, which CRD-backed resources refuse, are applied in the view
 * with `lib/kube/patch/strategic_merge_patch.ts` on the natured form and sent as an
 * update guarded by the resourceVersion (retried on conflict). Server-side apply
 * bodies (YAML or JSON) are mapped and sent on. Protobuf is answered 415/406.
 *
 * @module
 */
import { LineSplitter } from "../http/line_splitter.ts";
import { applyStrategicMergePatch, PatchError } from "../kube/patch/strategic_merge_patch.ts";
import { toDenatured, toNatured } from "./view_bodies.ts";
import type { MappedPath } from "./view_path.ts";
import { statusResponse } from "./view_status.ts";

/** Sends one request to kcp (the user's credentials already in `headers`). */
export type Upstream = (
  method: string,
  pathAndQuery: string,
  headers: Headers,
  body?: string,
) => Promise<Response>;

/** What a mapped request is handled with. */
export interface MappedRequest {
  method: string;
  mapped: MappedPath;
  query: URLSearchParams;
  /** Headers to send on (credentials included, hop-by-hop removed). */
  headers: Headers;
  /** The request body as text (already bounded by the caller). */
  body: string;
  upstream: Upstream;
}

const JSON_TYPE = "application/json";
const SMP = "application/strategic-merge-patch+json";
const APPLY = "application/apply-patch+yaml";
const PROTOBUF = "application/vnd.kubernetes.protobuf";
const CONFLICT_RETRIES = 5;

function mediaType(value: string | null): string {
  return (value ?? "").split(";")[0].trim().toLowerCase();
}

/** The Accept header for kcp: JSON (a Table when the client asked for one). */
function acceptFor(accept: string | null): string | undefined {
  const a = (accept ?? "").toLowerCase();
  const wantsJson = a === "" || a.includes("json") || a.includes("*/*");
  if (!wantsJson) return undefined;
  return a.includes("as=table")
    ? "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
    : JSON_TYPE;
}

function isWatch(r: MappedRequest): boolean {
  const w = r.query.get("watch");
  return r.method === "GET" && (r.mapped.legacyWatch || w === "1" || w === "true");
}

/** Handles a mapped request; never throws for bad input (a 4xx Response instead). */
export async function handleMapped(r: MappedRequest): Promise<Response> {
  const kind = r.mapped.kind;
  const contentType = mediaType(r.headers.get("content-type"));
  if (contentType === PROTOBUF) {
    return statusResponse(415, "UnsupportedMediaType", "the edge view takes JSON bodies only");
  }
  const accept = acceptFor(r.headers.get("accept"));
  if (!accept) {
    return statusResponse(406, "NotAcceptable", "the edge view answers in JSON only");
  }
  r.headers.set("accept", accept);
  const pathAndQuery = r.mapped.upstreamPath + (r.query.size ? `?${r.query}` : "");
  if (isWatch(r)) return naturedStream(await r.upstream("GET", pathAndQuery, r.headers), r);
  let body: string | undefined;
  if (r.body !== "") {
    let parsed: unknown;
    try {
      parsed = contentType === APPLY ? await parseYamlOrJson(r.body) : JSON.parse(r.body);
    } catch {
      return statusResponse(400, "BadRequest", "the request body is not valid JSON or YAML");
    }
    if (r.method === "PATCH" && contentType === SMP) return await strategicPatch(r, parsed);
    body = JSON.stringify(r.method === "DELETE" ? parsed : toDenatured(parsed, kind));
    if (contentType !== APPLY) r.headers.set("content-type", contentType || JSON_TYPE);
  } else if (r.method === "PATCH" && contentType === SMP) {
    return statusResponse(400, "BadRequest", "the patch body is empty");
  }
  return await natured(await r.upstream(r.method, pathAndQuery, r.headers, body), r);
}

async function parseYamlOrJson(text: string): Promise<unknown> {
  try {
    return JSON.parse(text);
  } catch {
    const { parse } = await import("yaml");
    return parse(text);
  }
}

/** kcp's JSON answer in natured form (non-JSON answers pass as they are). */
function natured(res: Response, r: MappedRequest): Promise<Response> {
  return rewriteJsonAnswer(res, (v) => toNatured(v, r.mapped.kind, r.mapped.version));
}

/**
 * kcp's answer with its JSON body rewritten by `rewrite` (other answers, and bodies that
 * do not parse, pass as they are); only the headers worth passing on are kept.
 */
export async function rewriteJsonAnswer(
  res: Response,
  rewrite: (value: unknown) => unknown,
): Promise<Response> {
  const headers = answerHeaders(res.headers);
  if (mediaType(res.headers.get("content-type")) !== JSON_TYPE || res.body === null) {
    return new Response(res.body, { status: res.status, headers });
  }
  const text = await res.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return new Response(text, { status: res.status, headers });
  }
  return new Response(JSON.stringify(rewrite(value)), { status: res.status, headers });
}

/** Headers of an answer worth passing on. */
export function answerHeaders(from: Headers): Headers {
  const out = new Headers();
  for (const name of ["content-type", "audit-id", "cache-control", "warning"]) {
    const v = from.get(name);
    if (v !== null) out.set(name, v);
  }
  return out;
}

/** A watch stream with each event's object in natured form. */
function naturedStream(res: Response, r: MappedRequest): Response {
  const headers = answerHeaders(res.headers);
  if (!res.ok || res.body === null) return new Response(res.body, { status: res.status, headers });
  const split = new LineSplitter();
  const encoder = new TextEncoder();
  const mapLine = (line: string): string => {
    if (line.trim() === "") return "";
    try {
      return JSON.stringify(toNatured(JSON.parse(line), r.mapped.kind, r.mapped.version)) + "\n";
    } catch {
      return line + "\n";
    }
  };
  const lines = new TransformStream<string, Uint8Array>({
    transform(chunk, controller) {
      for (const line of split.push(chunk)) {
        const out = mapLine(line);
        if (out) controller.enqueue(encoder.encode(out));
      }
    },
    flush(controller) {
      const out = mapLine(split.end());
      if (out) controller.enqueue(encoder.encode(out));
    },
  });
  return new Response(res.body.pipeThrough(new TextDecoderStream()).pipeThrough(lines), {
    status: res.status,
    headers,
  });
}

/** A strategic merge patch applied in the view, then sent as an update. */
async function strategicPatch(r: MappedRequest, patch: unknown): Promise<Response> {
  const kind = r.mapped.kind;
  const path = r.mapped.upstreamPath;
  const putQuery = new URLSearchParams();
  for (const k of ["dryRun", "fieldManager", "fieldValidation"]) {
    for (const v of r.query.getAll(k)) putQuery.append(k, v);
  }
  const getHeaders = new Headers(r.headers);
  getHeaders.delete("content-type");
  getHeaders.set("accept", JSON_TYPE);
  for (let attempt = 1;; attempt++) {
    const got = await r.upstream("GET", path, getHeaders);
    if (!got.ok) return await natured(got, r);
    const current = toNatured(await got.json(), kind, r.mapped.version) as Record<string, unknown>;
    let patched: Record<string, unknown>;
    try {
      patched = applyStrategicMergePatch(current, patch, {
        group: kind.group,
        kind: kind.kind,
      }) as Record<string, unknown>;
    } catch (e) {
      if (!(e instanceof PatchError)) throw e;
      return statusResponse(
        422,
        "Invalid",
        `the strategic merge patch does not apply: ${e.message}`,
      );
    }
    const md = (patched.metadata ??= {}) as Record<string, unknown>;
    md.resourceVersion = (current.metadata as Record<string, unknown> | undefined)?.resourceVersion;
    const headers = new Headers(r.headers);
    headers.set("content-type", JSON_TYPE);
    const put = await r.upstream(
      "PUT",
      path + (putQuery.size ? `?${putQuery}` : ""),
      headers,
      JSON.stringify(toDenatured(patched, kind)),
    );
    if (put.status !== 409 || attempt >= CONFLICT_RETRIES) return await natured(put, r);
    await put.body?.cancel();
  }
}
