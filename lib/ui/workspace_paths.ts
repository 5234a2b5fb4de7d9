/**
 * Workspace paths for people: the edge objects seen across workspaces carry only their
 * logical cluster id (`kcp.io/cluster`), so the UI asks each workspace once for its
 * LogicalCluster `cluster`, whose `kcp.io/path` annotation is the path
 * (`root:imw1`). Until the answer comes (or when it cannot), the id stands in.
 *
 * @example
 * ```ts
 * const paths = new WorkspacePaths(client, () => feed.publish("fleet"));
 * paths.of("2x8zq1"); // "2x8zq1" at first, "root:imw1" once looked up
 * ```
 *
 * @module
 */
import type { KubeObject } from "../controller/list_watch.ts";
import type { RestClient } from "../kube/rest_client.ts";

const LOGICAL_CLUSTER = {
  group: "core.kcp.io",
  version: "v1alpha1",
  resource: "logicalclusters",
  name: "cluster",
};

/** Path lookups by logical cluster id, each made once. */
export class WorkspacePaths {
  readonly #client: RestClient;
  readonly #onResolved: () => void;
  readonly #paths = new Map<string, string>();
  /** Ids asked about: in flight, or failed (then asked again after a minute). */
  readonly #asked = new Map<string, number>();

  constructor(client: RestClient, onResolved: () => void) {
    this.#client = client;
    this.#onResolved = onResolved;
  }

  /** The path of logical cluster `id`, or `id` until it is known. */
  of(id: string): string {
    const known = this.#paths.get(id);
    if (known) return known;
    const asked = this.#asked.get(id);
    if (id && (asked === undefined || Date.now() - asked > 60_000)) {
      this.#asked.set(id, Date.now());
      this.#lookup(id);
    }
    return id;
  }

  /** Records a path learned elsewhere (a Workspace's `spec.cluster`). */
  learn(id: string, path: string): void {
    if (!id || this.#paths.get(id) === path) return;
    this.#paths.set(id, path);
  }

  async #lookup(id: string): Promise<void> {
    const c = this.#client.withCluster(id);
    try {
      const lc = await c.get<KubeObject>(LOGICAL_CLUSTER);
      const path = lc.metadata?.annotations?.["kcp.io/path"];
      if (path) {
        this.#paths.set(id, path);
        this.#onResolved();
      }
    } catch {
      // Not allowed or not there: the id stands in; a view a minute later asks again.
    } finally {
      c.close();
    }
  }
}
