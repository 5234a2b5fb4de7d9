/**
 * The where-resolver's level-based reconcile of one EdgePlacement key
 * (`<wmw cluster id>|<name>`): recompute its destinations from the informer caches
 * and write only what differs —
 *
 * - the SinglePlacementSlice of the same name in the same workspace, with an
 *   ownerReference to the placement (created, or merge-patched when its destinations or
 *   owner differ);
 * - the placement's `status.matchingLocationCount`;
 * - the annotation `validation-error.kubestellar.io/where` listing problems (invalid
 *   selectors), removed once they are fixed; each new problem is also logged.
 *
 * When the placement is gone, its slice (recognised by the ownerReference) is deleted
 * with a UID precondition, so nothing depends on garbage collection.
 *
 * @module
 */
import {
  EDGE_API_VERSION,
  type EdgePlacement,
  type SinglePlacementSlice,
} from "../../edge/api_types.ts";
import type { Logger } from "../../log/logger.ts";
import { sameDestinations, type WhereResult } from "./where_resolution.ts";

/** The annotation listing an EdgePlacement's where-problems (one per line). */
export const WHERE_PROBLEMS_ANNOTATION = "validation-error.kubestellar.io/where";

/** What the reconciler reads. */
export interface WhereState {
  placement(key: string): EdgePlacement | undefined;
  slice(key: string): SinglePlacementSlice | undefined;
  /** Resolves selectors against the current inventory. */
  resolve(placement: EdgePlacement): WhereResult;
}

/** What the reconciler writes (in the placement's workspace `cluster`). */
export interface WhereApi {
  createSlice(cluster: string, slice: SinglePlacementSlice): Promise<void>;
  patchSlice(cluster: string, name: string, patch: Record<string, unknown>): Promise<void>;
  deleteSlice(cluster: string, name: string, uid: string): Promise<void>;
  patchPlacement(cluster: string, name: string, patch: Record<string, unknown>): Promise<void>;
}

/** Splits `<cluster>|<name>`. */
export function splitPlacementKey(key: string): { cluster: string; name: string } {
  const bar = key.indexOf("|");
  return { cluster: key.slice(0, bar), name: key.slice(bar + 1) };
}

function ownerOf(ep: EdgePlacement) {
  return {
    apiVersion: EDGE_API_VERSION,
    kind: "EdgePlacement",
    name: ep.metadata.name,
    uid: ep.metadata.uid ?? "",
  };
}

function ownedBy(sps: SinglePlacementSlice, name: string): boolean {
  return (sps.metadata.ownerReferences ?? []).some((o) =>
    o.kind === "EdgePlacement" && o.name === name
  );
}

/** Reconciles EdgePlacements into SinglePlacementSlices. */
export class WhereReconciler {
  readonly #state: WhereState;
  readonly #api: WhereApi;
  readonly #log: Logger;

  constructor(state: WhereState, api: WhereApi, log: Logger) {
    this.#state = state;
    this.#api = api;
    this.#log = log;
  }

  /** Converges placement `key`. */
  async reconcile(key: string): Promise<void> {
    const { cluster, name } = splitPlacementKey(key);
    const ep = this.#state.placement(key);
    const sps = this.#state.slice(key);
    if (!ep) {
      if (sps && ownedBy(sps, name) && !sps.metadata.deletionTimestamp) {
        await this.#api.deleteSlice(cluster, name, sps.metadata.uid ?? "");
        this.#log.info("deleted SinglePlacementSlice of a deleted EdgePlacement", {
          workspace: cluster,
          placement: name,
        });
      }
      return;
    }
    if (ep.metadata.deletionTimestamp) return;
    const result = this.#state.resolve(ep);
    const owner = ownerOf(ep);
    if (!sps) {
      await this.#api.createSlice(cluster, {
        apiVersion: EDGE_API_VERSION,
        kind: "SinglePlacementSlice",
        metadata: { name, ownerReferences: [owner] },
        destinations: result.destinations,
      });
      this.#log.info("created SinglePlacementSlice", {
        workspace: cluster,
        placement: name,
        destinations: result.destinations.length,
      });
    } else {
      const owners = sps.metadata.ownerReferences ?? [];
      const ownerOk = owners.length === 1 && owners[0].uid === owner.uid &&
        owners[0].kind === owner.kind && owners[0].name === owner.name &&
        owners[0].apiVersion === owner.apiVersion;
      const destOk = sameDestinations(sps.destinations, result.destinations);
      if (!ownerOk || !destOk) {
        const patch: Record<string, unknown> = {};
        if (!ownerOk) patch.metadata = { ownerReferences: [owner] };
        if (!destOk) patch.destinations = result.destinations;
        await this.#api.patchSlice(cluster, name, patch);
        this.#log.info("updated SinglePlacementSlice", {
          workspace: cluster,
          placement: name,
          destinations: result.destinations.length,
        });
      }
    }
    await this.#updatePlacement(cluster, ep, result);
  }

  async #updatePlacement(cluster: string, ep: EdgePlacement, result: WhereResult): Promise<void> {
    const patch: Record<string, unknown> = {};
    if (ep.status?.matchingLocationCount !== result.matchingLocationCount) {
      patch.status = { matchingLocationCount: result.matchingLocationCount };
    }
    const before = ep.metadata.annotations?.[WHERE_PROBLEMS_ANNOTATION];
    const after = result.problems.length > 0 ? result.problems.join("\n") : undefined;
    if (before !== after) {
      patch.metadata = { annotations: { [WHERE_PROBLEMS_ANNOTATION]: after ?? null } };
      const old = new Set((before ?? "").split("\n"));
      for (const p of result.problems) {
        if (old.has(p)) continue;
        this.#log.warn("EdgePlacement problem", {
          workspace: cluster,
          placement: ep.metadata.name,
          problem: p,
        });
      }
    }
    if (Object.keys(patch).length > 0) {
      await this.#api.patchPlacement(cluster, ep.metadata.name, patch);
    }
  }
}
