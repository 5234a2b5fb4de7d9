/**
 * A resource whose mailbox copies the status summarizer reads, and how kcp lets it be
 * read across mailboxes:
 *
 * - a resource an APIBinding provides (Deployments from `root:compute`'s `kubernetes`
 *   export): one wildcard watch under `/clusters/*`, addressed with the export's
 *   identity (`deployments:<identity>`);
 * - a resource every workspace serves itself (ConfigMaps, Secrets…): one wildcard watch;
 * - a resource a CRD defines in each workspace: kcp v0.11 serves no wildcard request
 *   for it except as PartialObjectMetadata (`apiBindingAwareCRDLister.Get`), so its
 *   copies are read mailbox by mailbox (`perMailbox`).
 *
 * @module
 */
import type { KubeObject } from "../../controller/list_watch.ts";
import type { ResourceRef } from "../../kube/rest_client.ts";

/** A summarized resource at the version its workspace serves. */
export interface CopySource {
  group: string;
  version: string;
  resource: string;
  /** The identity hash of the APIExport that provides it, when an APIBinding does. */
  identity?: string;
  /** Readable only workspace by workspace (CRD-defined). */
  perMailbox?: boolean;
}

/** `group/resource`. */
export function grOf(r: { group: string; resource: string }): string {
  return `${r.group}/${r.resource}`;
}

/** Identifies a source: its resource, version, identity and how it is read. */
export function sourceId(s: CopySource): string {
  return `${grOf(s)}@${s.version}${s.identity ? `:${s.identity}` : ""}${
    s.perMailbox ? "|per-mailbox" : ""
  }`;
}

/** How a source is addressed in one workspace (`perWorkspace`) or across all of them. */
export function sourceRef(s: CopySource, perWorkspace: boolean): ResourceRef {
  return {
    group: s.group,
    version: s.version,
    resource: !perWorkspace && s.identity ? `${s.resource}:${s.identity}` : s.resource,
  };
}

/** The key of a copy within its mailbox: `namespace/name`, or `name`. */
export function copyKeyOf(o: KubeObject): string {
  return o.metadata?.namespace
    ? `${o.metadata.namespace}/${o.metadata.name}`
    : `${o.metadata?.name}`;
}

/**
 * What a copy feed's cache keeps of a copy: where it is and its resourceVersion, enough
 * to report updates and deletes after a relist, never the object itself.
 */
export function copyCachedForm(o: KubeObject): KubeObject {
  const md = o.metadata ?? {};
  const cluster = md.annotations?.["kcp.io/cluster"];
  return {
    metadata: {
      name: md.name,
      namespace: md.namespace,
      resourceVersion: md.resourceVersion,
      ...(cluster === undefined ? {} : { annotations: { "kcp.io/cluster": cluster } }),
    },
  };
}
