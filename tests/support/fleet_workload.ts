/**
 * The workload of the fault tests and the soak benchmark, and the record of what the
 * hub acknowledged: ConfigMaps `fcm-<n>` in `faults-all` (placed on every env=prod
 * cluster by `ep-all`) and in `faults-g` (placed on extended=yes clusters only by
 * `ep-g`), each carrying its version in `data.v`.
 *
 * Every write goes through a {@link Ledger}: a write the hub acknowledged is the truth
 * the fleet must converge to; a write that failed without an answer (the core was
 * killed mid-request) is ambiguous, and then the hub's own state decides.
 *
 * @module
 */
import { EDGE_API_VERSION } from "../../lib/edge/api_types.ts";
import type { KubeObject, RestClient } from "../../lib/kube/rest_client.ts";
import { isNotFound } from "../../lib/kube/rest_errors.ts";

/** The workload management workspace. */
export const WMW = "root:wmw1";
/** The namespaces of the workload, and the clusters each goes to. */
export const WORKLOAD_NAMESPACES = {
  /** Placed on every env=prod cluster. */
  all: "faults-all",
  /** Placed on extended=yes clusters only. */
  extended: "faults-g",
} as const;
/** Name prefix of the workload's ConfigMaps. */
export const NAME_PREFIX = "fcm-";

/** The ConfigMaps REST reference. */
export const CONFIGMAPS = { version: "v1", resource: "configmaps" };
const NAMESPACES = { version: "v1", resource: "namespaces" };
const PLACEMENTS = {
  group: "edge.kubestellar.io",
  version: "v2alpha1",
  resource: "edgeplacements",
};

function placement(name: string, selector: Record<string, string>, namespace: string): KubeObject {
  return {
    apiVersion: EDGE_API_VERSION,
    kind: "EdgePlacement",
    metadata: { name },
    spec: {
      locationSelectors: [{ matchLabels: selector }],
      downsync: [{
        apiGroup: "",
        resources: ["configmaps"],
        namespaces: [namespace],
        objectNames: ["*"],
      }],
    },
  };
}

/** The placements of the workload: `ep-all` and `ep-g`. */
export const WORKLOAD_PLACEMENTS = [
  placement("ep-all", { env: "prod" }, WORKLOAD_NAMESPACES.all),
  placement("ep-g", { extended: "yes" }, WORKLOAD_NAMESPACES.extended),
];

/** Creates the namespaces and placements in the WMW (AlreadyExists is fine). */
export async function createWorkloadFrame(wmw: RestClient): Promise<void> {
  for (const name of Object.values(WORKLOAD_NAMESPACES)) {
    await createIfAbsent(wmw, NAMESPACES, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name },
    });
  }
  for (const ep of WORKLOAD_PLACEMENTS) await createIfAbsent(wmw, PLACEMENTS, ep);
}

async function createIfAbsent(client: RestClient, ref: typeof CONFIGMAPS, body: KubeObject) {
  try {
    await client.create(ref, body);
  } catch (e) {
    if (!/AlreadyExists|already exists/.test(String(e))) throw e;
  }
}

/** A workload ConfigMap at a version. */
export function workloadConfigMap(namespace: string, name: string, version: number): KubeObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { namespace, name, labels: { "fault-test": "yes" } },
    data: { v: String(version) },
  };
}

/** `namespace/name` of a ConfigMap. */
export type Key = string;

/** What the hub acknowledged, write by write. */
export class Ledger {
  /** Key → the acknowledged version, or null once deleted. */
  readonly acknowledged = new Map<Key, number | null>();
  /**
   * Keys whose last write got no answer, or overlapped another write of the same key (the
   * replies of two writes in flight at once may come back in either order): the hub
   * decides their state.
   */
  readonly ambiguous = new Set<Key>();
  /** Writes in flight by key. */
  readonly #inFlight = new Map<Key, number>();
  /** Keys of which two writes were in flight at once, until none is. */
  readonly #overlapped = new Set<Key>();
  /** Writes acknowledged and writes that failed. */
  readonly counts = { acknowledged: 0, failed: 0 };
  /** The first few failures, for a test's message. */
  readonly failures: string[] = [];
  #version = 0;

  /** The next version number (unique across keys). */
  nextVersion(): number {
    return ++this.#version;
  }

  /** Creates or updates `namespace/name` to a new version. */
  async put(client: RestClient, namespace: string, name: string): Promise<void> {
    const key = `${namespace}/${name}`;
    const version = this.nextVersion();
    const body = workloadConfigMap(namespace, name, version);
    await this.#record(key, version, async () => {
      for (let attempt = 0;; attempt++) {
        try {
          await client.update({ ...CONFIGMAPS, namespace, name }, body);
          return;
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
        try {
          await client.create({ ...CONFIGMAPS, namespace }, body);
          return;
        } catch (e) {
          // Another writer created it between the two calls: update it after all.
          if (!/AlreadyExists|already exists/.test(String(e)) || attempt >= 3) throw e;
        }
      }
    });
  }

  /** Deletes `namespace/name` (NotFound counts as done). */
  async remove(client: RestClient, namespace: string, name: string): Promise<void> {
    await this.#record(`${namespace}/${name}`, null, async () => {
      try {
        await client.delete({ ...CONFIGMAPS, namespace, name });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    });
  }

  async #record(key: Key, outcome: number | null, write: () => Promise<void>): Promise<void> {
    const before = this.#inFlight.get(key) ?? 0;
    if (before > 0) this.#overlapped.add(key);
    this.#inFlight.set(key, before + 1);
    try {
      await write();
      this.acknowledged.set(key, outcome);
      if (this.#overlapped.has(key)) this.ambiguous.add(key);
      else this.ambiguous.delete(key);
      this.counts.acknowledged++;
    } catch (e) {
      this.ambiguous.add(key);
      this.counts.failed++;
      if (this.failures.length < 5) {
        this.failures.push(`${key}: ${e instanceof Error ? e.message : e}`);
      }
    } finally {
      const left = this.#inFlight.get(key)! - 1;
      if (left > 0) this.#inFlight.set(key, left);
      else {
        this.#inFlight.delete(key);
        this.#overlapped.delete(key);
      }
    }
  }

  /** Keys whose acknowledged state the hub does not hold (lost writes). */
  lostIn(hubState: Map<Key, number>): Key[] {
    const lost: Key[] = [];
    for (const [key, version] of this.acknowledged) {
      if (this.ambiguous.has(key)) continue;
      const held = hubState.get(key);
      if (version === null ? held !== undefined : held !== version) lost.push(key);
    }
    return lost;
  }
}

/** The workload ConfigMaps a client sees in `namespaces`: key → version. */
export async function workloadState(
  client: RestClient,
  namespaces: readonly string[],
): Promise<Map<Key, number>> {
  const state = new Map<Key, number>();
  for (const namespace of namespaces) {
    let items: KubeObject[];
    try {
      items = (await client.list({ ...CONFIGMAPS, namespace })).items;
    } catch (e) {
      if (isNotFound(e)) continue;
      throw e;
    }
    for (const cm of items) {
      const name = cm.metadata?.name ?? "";
      if (!name.startsWith(NAME_PREFIX)) continue;
      state.set(`${namespace}/${name}`, Number((cm.data as Record<string, string>)?.v));
    }
  }
  return state;
}
