/**
 * Discovery through the edge view: the view presents the natured world, so the group
 * `denatured.kubestellar.io` is left out of `/apis` (both the APIGroupList and the
 * aggregated APIGroupDiscoveryList), and kubectl never resolves `rolebindings` to the
 * denatured resource. The denatured resources stay reachable by their full paths.
 *
 * @module
 */
import { DENATURED_GROUP } from "../denature/denatured_kinds.ts";
import { answerHeaders } from "./mapped_request.ts";

/** True for `/apis` (optionally under `/clusters/<name>`). */
export function isGroupListPath(path: string): boolean {
  return /^(\/clusters\/[^/]+)?\/apis\/?$/.test(path);
}

type Json = Record<string, unknown>;

/** `/apis` as kcp answered it, without the denatured group. */
export async function withoutDenaturedGroup(res: Response): Promise<Response> {
  const headers = answerHeaders(res.headers);
  const type = (res.headers.get("content-type") ?? "").toLowerCase();
  if (!res.ok || !type.includes("json")) {
    return new Response(res.body, { status: res.status, headers });
  }
  const text = await res.text();
  let body: Json;
  try {
    body = JSON.parse(text);
  } catch {
    return new Response(text, { status: res.status, headers });
  }
  const named = (g: unknown) =>
    (g as Json)?.name ?? ((g as Json)?.metadata as Json | undefined)?.name;
  for (const key of ["groups", "items"]) {
    if (Array.isArray(body[key])) {
      body[key] = (body[key] as unknown[]).filter((g) => named(g) !== DENATURED_GROUP);
    }
  }
  return new Response(JSON.stringify(body), { status: res.status, headers });
}
