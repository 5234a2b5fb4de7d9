/**
 * Which version of each resource a workload management workspace serves, for the
 * resources a StatusSummarizer's clauses name, and how their mailbox copies are read
 * (`copy_source.ts`): with the export's identity when one of the workspace's
 * APIBindings provides the resource (the translator projects the binding into the
 * mailboxes, so the copies are of that same bound resource), mailbox by mailbox when
 * one of its CRDs defines it (the CRD goes to the mailboxes too), else as a resource
 * every workspace serves. Discovery, the APIBindings and the CRDs of a workspace are
 * read once, cached, and read again (at most every 10 s) when a named resource is not
 * served yet — a CRD or an APIBinding may bring it later.
 *
 * @module
 */
import type { Clock } from "../../controller/clock.ts";
import type { KubeObject } from "../../controller/list_watch.ts";
import { boundIdentities } from "../../core/api_bindings.ts";
import type { StatusSummarizer } from "../../edge/api_types.ts";
import type { RestClient } from "../../kube/rest_client.ts";
import { isNotFound } from "../../kube/rest_errors.ts";
import { type ApiResourceInfo, discoverResources, groupResource } from "../placement/discovery.ts";
import { type CopySource, sourceId } from "./copy_source.ts";

/** How long a failed lookup waits before discovery runs again. */
export const DISCOVERY_RETRY_MS = 10_000;

const BINDINGS = { group: "apis.kcp.io", version: "v1alpha1", resource: "apibindings" };
const CRDS = {
  group: "apiextensions.k8s.io",
  version: "v1",
  resource: "customresourcedefinitions",
};

interface Served {
  resources: ApiResourceInfo[];
  /** `group/resource` → identity hash, for bound resources. */
  identities: Map<string, string>;
  /** `group/resource` of the workspace's CRDs. */
  crds: Set<string>;
  at: number;
}

async function listOrNone(client: RestClient, ref: typeof CRDS): Promise<KubeObject[]> {
  try {
    return (await client.list<KubeObject>(ref)).items ?? [];
  } catch (e) {
    if (isNotFound(e)) return [];
    throw e;
  }
}

/** Discovery results per workspace. */
export class WorkspaceResources {
  readonly #client: RestClient;
  readonly #clock: Clock;
  readonly #discovery = new Map<string, Served>();
  /** Sources (by `sourceId`) whose wildcard reads were refused: read per mailbox. */
  readonly #noWildcard = new Set<string>();

  constructor(client: RestClient, clock: Clock) {
    this.#client = client;
    this.#clock = clock;
  }

  /** Forgets what workspace `cluster` serves. */
  forget(cluster: string): void {
    this.#discovery.delete(cluster);
  }

  /** From now on, reads the copies of `s` mailbox by mailbox. */
  noWildcard(s: CopySource): void {
    this.#noWildcard.add(sourceId({ ...s, perMailbox: false }));
  }

  async #served(cluster: string, refresh: boolean): Promise<Served> {
    const known = this.#discovery.get(cluster);
    const now = this.#clock.now();
    if (known && !(refresh && now - known.at >= DISCOVERY_RETRY_MS)) return known;
    const client = this.#client.withCluster(cluster);
    try {
      const [resources, bindings, crds] = await Promise.all([
        discoverResources(client),
        listOrNone(client, BINDINGS),
        listOrNone(client, CRDS),
      ]);
      const served: Served = {
        resources,
        identities: boundIdentities(bindings),
        crds: new Set(crds.map((c) => {
          const spec = c.spec as { group?: string; names?: { plural?: string } } | undefined;
          return groupResource(spec?.group ?? "", spec?.names?.plural ?? "");
        })),
        at: now,
      };
      this.#discovery.set(cluster, served);
      return served;
    } finally {
      client.close();
    }
  }

  /** The named resources as copy sources, and those not served. */
  async resolve(
    cluster: string,
    objects: StatusSummarizer["spec"]["objects"],
  ): Promise<{ resources: CopySource[]; missing: string[] }> {
    const wanted = new Map<string, { group: string; resource: string }>();
    for (const o of objects ?? []) {
      for (const resource of o?.resources ?? []) {
        if (resource === "*") continue;
        const group = o.apiGroup ?? "";
        wanted.set(groupResource(group, resource), { group, resource });
      }
    }
    let served = await this.#served(cluster, false);
    const find = (w: { group: string; resource: string }) =>
      served.resources.find((s) => s.group === w.group && s.resource === w.resource);
    if ([...wanted.values()].some((w) => !find(w))) served = await this.#served(cluster, true);
    const resources: CopySource[] = [];
    const missing: string[] = [];
    for (const [gr, w] of wanted) {
      const info = find(w);
      if (!info) {
        missing.push(w.group ? `${w.resource}.${w.group}` : w.resource);
        continue;
      }
      const identity = served.identities.get(gr);
      const s: CopySource = { ...w, version: info.version, ...(identity ? { identity } : {}) };
      if (!identity && (served.crds.has(gr) || this.#noWildcard.has(sourceId(s)))) {
        s.perMailbox = true;
      }
      resources.push(s);
    }
    return { resources, missing };
  }
}
