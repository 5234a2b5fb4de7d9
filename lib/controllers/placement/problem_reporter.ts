/**
 * Telling users what is wrong with an EdgePlacement (a selector that does not parse, a
 * resource the workspace does not serve, a missing namespace, a Customizer that does
 * not parse): each problem once per placement (whichever part found it), as a log line and a Warning Event about the
 * EdgePlacement in its workspace's `default` namespace. A problem that went away and
 * comes back is reported again.
 *
 * @module
 */
import { EDGE_API_VERSION, type EdgePlacement } from "../../edge/api_types.ts";
import type { RestClient } from "../../kube/rest_client.ts";
import type { Logger } from "../../log/logger.ts";

const EVENTS = { group: "", version: "v1", resource: "events", namespace: "default" };

/** Reports placement problems. */
export class ProblemReporter {
  readonly #base: RestClient;
  readonly #log: Logger;
  /** placement key → source ("selection", "mailbox:<name>") → problems last reported. */
  readonly #reported = new Map<string, Map<string, Set<string>>>();

  constructor(base: RestClient, log: Logger) {
    this.#base = base;
    this.#log = log;
  }

  /** The problems reported now for a placement (all sources). */
  problemsOf(placementKey: string): string[] {
    return [...(this.#reported.get(placementKey)?.values() ?? [])].flatMap((s) => [...s]).sort();
  }

  /** Records the current problems `source` found for `placement`; new ones are reported. */
  report(cluster: string, placement: EdgePlacement, source: string, problems: string[]): void {
    const key = `${cluster}|${placement.metadata.name}`;
    let bySource = this.#reported.get(key);
    if (!bySource) this.#reported.set(key, bySource = new Map());
    const before = new Set([...bySource.values()].flatMap((s) => [...s]));
    const now = new Set(problems);
    if (now.size === 0) bySource.delete(source);
    else bySource.set(source, now);
    for (const p of now) {
      if (before.has(p)) continue; // already told (by this or another source)
      this.#log.warn("EdgePlacement problem", {
        workspace: cluster,
        placement: placement.metadata.name,
        problem: p,
      });
      this.#event(cluster, placement, p).catch((e) =>
        this.#log.debug("could not record an event", { workspace: cluster, error: e })
      );
    }
  }

  /** Forgets a deleted placement. */
  forget(placementKey: string): void {
    this.#reported.delete(placementKey);
  }

  async #event(cluster: string, placement: EdgePlacement, message: string): Promise<void> {
    const client = this.#base.withCluster(cluster);
    const now = new Date().toISOString();
    try {
      await client.create(EVENTS, {
        apiVersion: "v1",
        kind: "Event",
        metadata: { generateName: `${placement.metadata.name}.`, namespace: "default" },
        involvedObject: {
          apiVersion: EDGE_API_VERSION,
          kind: "EdgePlacement",
          name: placement.metadata.name,
          uid: placement.metadata.uid,
        },
        reason: "PlacementProblem",
        message,
        type: "Warning",
        source: { component: "placement-translator" },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      });
    } finally {
      client.close();
    }
  }
}
