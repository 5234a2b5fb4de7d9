/**
 * Discovery through the edge view: the view presents the natured world, so the group
 * `denatured.kubestellar.io` is left out of `/apis` (both the APIGroupList and the
 * aggregated APIGroupDiscoveryList), and kubectl never resolves `rolebindings` to the
 * denatured resource. The denatured resources stay reachable by their full paths.
 *
 * @module
 */
import { DENATURED_GROUP } from "../denature/denatured_kinds.ts";
import { rewriteJsonAnswer } from "./mapped_request.ts";

/** True for `/apis` (optionally under `/clusters/<name>`). */
export function isGroupListPath(path: string): boolean {
  return /^(\/clusters\/[^/]+)?\/apis\/?$/.test(path);
}

type Json = Record<string, unknown>;

/** `/apis` as kcp answered it, without the denatured group. */
export function withoutDenaturedGroup(res: Response): Promise<Response> {
  if (!res.ok) return rewriteJsonAnswer(res, (v) => v);
  const named = (g: unknown) =>
    (g as Json)?.name ?? ((g as Json)?.metadata as Json | undefined)?.name;
  return rewriteJsonAnswer(res, (value) => {
    const body = value as Json;
    for (const key of ["groups", "items"]) {
      if (Array.isArray(body?.[key])) {
        body[key] = (body[key] as unknown[]).filter((g) => named(g) !== DENATURED_GROUP);
      }
    }
    return body;
  });
}
