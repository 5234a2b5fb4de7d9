/**
 * Waiting for an APIBinding to become `Bound`, so the resources it brings are served
 * before a command uses them; and the export identity of each resource bindings provide.
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import type { KubeObject, RestClient } from "../kube/rest_client.ts";
import { groupResource } from "../controllers/placement/discovery.ts";

const API_BINDINGS = { group: "apis.kcp.io", version: "v1alpha1", resource: "apibindings" };

/** Resolves once APIBinding `name` reports phase Bound; a clear error after `timeoutMs`. */
export async function waitForBinding(
  client: RestClient,
  name: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  let phase = "";
  while (true) {
    const b = await client.get<KubeObject>({ ...API_BINDINGS, name });
    phase = String((b.status as Record<string, unknown> | undefined)?.phase ?? "");
    if (phase === "Bound") return;
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 1000);
  }
  throw new UserError(
    `APIBinding "${name}" is not Bound after ${timeoutMs / 1000}s (phase ${
      phase || "unset"
    }): check that the export it references exists and that you may bind it`,
  );
}

/**
 * Resolves once every APIBinding in `names` reports phase Bound (one LIST per poll); a
 * clear error naming the first unbound one after `timeoutMs`.
 */
export async function waitForBindings(
  client: RestClient,
  names: string[],
  timeoutMs = 30_000,
): Promise<void> {
  if (names.length === 0) return;
  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  for (;;) {
    const list = await client.list<KubeObject>(API_BINDINGS);
    const phase = new Map(
      (list.items ?? []).map((b) => [
        b.metadata?.name,
        String((b.status as Record<string, unknown> | undefined)?.phase ?? ""),
      ]),
    );
    const waiting = names.find((n) => phase.get(n) !== "Bound");
    if (waiting === undefined) return;
    if (Date.now() >= deadline) {
      throw new UserError(
        `APIBinding "${waiting}" is not Bound after ${timeoutMs / 1000}s (phase ${
          phase.get(waiting) || "unset"
        }): check that the export it references exists and that you may bind it`,
      );
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 1000);
  }
}

/**
 * `group/resource` → identity hash of the export, for the resources `bindings` provide:
 * reading a bound resource across workspaces needs it (`deployments:<identity>`).
 */
export function boundIdentities(bindings: KubeObject[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const b of bindings) {
    const bound = (b.status as {
      boundResources?: { group?: string; resource?: string; schema?: { identityHash?: string } }[];
    } | undefined)?.boundResources ?? [];
    for (const r of bound) {
      if (r.resource && r.schema?.identityHash) {
        out.set(groupResource(r.group ?? "", r.resource), r.schema.identityHash);
      }
    }
  }
  return out;
}
