/**
 * The `edge.kubestellar.io/v2alpha1` API types (controllers-spec §1) as TypeScript
 * shapes, with the group's well-known labels and annotations.
 *
 * @module
 */
import type { LabelSelector } from "../kube/label_selector.ts";

/** The group and version of every edge kind. */
export const EDGE_GROUP = "edge.kubestellar.io";
/** The one served version. */
export const EDGE_VERSION = "v2alpha1";
/** `apiVersion` of edge objects. */
export const EDGE_API_VERSION = `${EDGE_GROUP}/${EDGE_VERSION}`;

/** Common object metadata the controllers read. */
export interface EdgeObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<
    { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }
  >;
  deletionTimestamp?: string;
  [field: string]: unknown;
}

/** One test an object must pass to be downsynced (all present criteria must hold). */
export interface DownsyncObjectTest {
  apiGroup?: string;
  resources?: string[];
  namespaces?: string[];
  namespaceSelectors?: LabelSelector[];
  objectNames?: string[];
  labelSelectors?: LabelSelector[];
}

/** Which WEC objects to upsync. */
export interface UpsyncSet {
  apiGroup?: string;
  resources: string[];
  namespaces?: string[];
  names?: string[];
}

/** Binds a "where" (Locations) to a "what" (objects). */
export interface EdgePlacement {
  apiVersion?: string;
  kind?: "EdgePlacement";
  metadata: EdgeObjectMeta;
  spec: {
    locationSelectors?: LabelSelector[];
    downsync?: DownsyncObjectTest[];
    wantSingletonReportedState?: boolean;
    upsync?: UpsyncSet[];
  };
  status?: { specGeneration?: number; matchingLocationCount?: number };
}

/** One resolved destination. */
export interface SinglePlacement {
  /** Logical cluster id of the IMW holding the Location and SyncTarget. */
  cluster: string;
  locationName: string;
  syncTargetName: string;
  syncTargetUID: string;
}

/** The where-resolution of one EdgePlacement (same name, same workspace). */
export interface SinglePlacementSlice {
  apiVersion?: string;
  kind?: "SinglePlacementSlice";
  metadata: EdgeObjectMeta;
  destinations: SinglePlacement[];
}

/** An edge cluster as seen from the inventory. */
export interface SyncTarget {
  apiVersion?: string;
  kind?: "SyncTarget";
  metadata: EdgeObjectMeta;
  spec?: {
    unschedulable?: boolean;
    evictAfter?: string;
    supportedAPIExports?: Array<{ export?: string; path?: string }>;
    cells?: Record<string, string>;
  };
  status?: Record<string, unknown>;
}

/** A place workloads can go; selects SyncTargets by label. */
export interface Location {
  apiVersion?: string;
  kind?: "Location";
  metadata: EdgeObjectMeta;
  spec: {
    resource: { group: string; version: string; resource: string };
    description?: string;
    availableSelectorLabels?: Array<{ key: string; values: string[]; description?: string }>;
    instanceSelector?: LabelSelector | null;
  };
  status?: { instances?: number; availableInstances?: number };
}

/** A set of JSONPath replacements applied to downsynced objects. */
export interface Customizer {
  apiVersion?: string;
  kind?: "Customizer";
  metadata: EdgeObjectMeta;
  replacements?: Array<{ path: string; value: string }>;
}

/** A group/resource/version triple as the SyncerConfig spells it. */
export interface SyncerResource {
  group: string;
  resource: string;
  apiVersion: string;
}

/** What one syncer must sync; the placement translator owns `the-one`. */
export interface SyncerConfig {
  apiVersion?: string;
  kind?: "SyncerConfig";
  metadata: EdgeObjectMeta;
  spec: {
    namespaceScope?: { namespaces?: string[]; resources?: SyncerResource[] };
    namespacedObjects?: Array<
      SyncerResource & { objectsByNamespace: Array<{ namespace: string; names: string[] }> }
    >;
    clusterScope?: Array<SyncerResource & { objects?: string[] }>;
    upsync?: UpsyncSet[];
  };
  status?: { lastSyncerHeartbeatTime?: string };
}

/** How a StatusSummarizer combines one field over the copies of a group. */
export type CombinedFieldType = "COUNT" | "SUM" | "MIN" | "MAX" | "AVG";

/**
 * Directs the status summarizer (issue 15): which placed objects to summarize, how to
 * group their reported states, what to combine per group, and when a copy is broken.
 * Expressions are CEL over `obj` (the object as one cluster reports it) and `cluster`
 * (`name`, `location`, `labels` of its SyncTarget and Location).
 */
export interface StatusSummarizer {
  apiVersion?: string;
  kind?: "StatusSummarizer";
  metadata: EdgeObjectMeta;
  spec: {
    /** Same clause shape as an EdgePlacement `downsync` test. */
    objects?: DownsyncObjectTest[];
    groupBy?: Array<{ name: string; def: string }>;
    combinedFields?: Array<{ name: string; type: CombinedFieldType; subject?: string }>;
    brokenWhen?: string;
    /** Longest `status.broken` list (default 20). */
    limit?: number;
  };
  status?: { observedGeneration?: number; conditions?: SummarizerCondition[] };
}

/** REST coordinates of StatusSummarizers and StatusSummaries in a workspace. */
export const STATUS_SUMMARIZERS = {
  group: EDGE_GROUP,
  version: EDGE_VERSION,
  resource: "statussummarizers",
};
/** See `STATUS_SUMMARIZERS`. */
export const STATUS_SUMMARIES = {
  group: EDGE_GROUP,
  version: EDGE_VERSION,
  resource: "statussummaries",
};

/** A condition of a StatusSummarizer (`Ready`, `ExpressionsValid`). */
export interface SummarizerCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  lastTransitionTime: string;
}

/** One row of a StatusSummary: the group's values and its combined fields. */
export type SummaryRow = { group: Record<string, unknown> } & Record<string, unknown>;

/** One broken copy. */
export interface BrokenCopy {
  cluster: string;
  namespace: string;
  name: string;
  reason: string;
}

/** The result of the StatusSummarizer of the same name, in the same workspace. */
export interface StatusSummary {
  apiVersion?: string;
  kind?: "StatusSummary";
  metadata: EdgeObjectMeta;
  status?: {
    rows: SummaryRow[];
    /** At most `limit` entries, ordered by cluster, namespace, name. */
    broken: BrokenCopy[];
    /** Every broken copy, also those left out of `broken`. */
    brokenCount: number;
    observedClusters: number;
    lastUpdateTime: string;
  };
}

/** The name of the SyncerConfig the placement translator maintains in each mailbox. */
export const SYNCER_CONFIG_NAME = "the-one";

/** Well-known labels and annotations (controllers-spec §1.9). */
export const EDGE_KEYS = {
  syncTargetName: "edge.kubestellar.io/sync-target-name",
  projected: "edge.kubestellar.io/projected",
  executingCount: "kubestellar.io/executing-count",
  downsynced: "edge.kubestellar.io/downsynced",
  upsynced: "edge.kubestellar.io/upsynced",
  downsyncOverwrite: "edge.kubestellar.io/downsync-overwrite",
  customizer: "edge.kubestellar.io/customizer",
  expandParameters: "edge.kubestellar.io/expand-parameters",
  /** On a mailbox copy: the syncer's summary of the workload's ReplicaSets and Pods. */
  associatedState: "edge.kubestellar.io/associated-state",
  kcpCluster: "kcp.io/cluster",
} as const;

/** Separator between the IMW's cluster id and the SyncTarget's UID in a mailbox name. */
export const MAILBOX_SEPARATOR = "-mb-";

/** The mailbox workspace name of a SyncTarget: `<imw cluster id>-mb-<SyncTarget uid>`. */
export function mailboxName(imwCluster: string, syncTargetUid: string): string {
  return `${imwCluster}${MAILBOX_SEPARATOR}${syncTargetUid}`;
}

/** Splits a mailbox workspace name; undefined when the name is not one. */
export function parseMailboxName(
  name: string,
): { imwCluster: string; syncTargetUid: string } | undefined {
  const parts = name.split(MAILBOX_SEPARATOR);
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { imwCluster: parts[0], syncTargetUid: parts[1] };
}
