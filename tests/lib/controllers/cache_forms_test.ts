/**
 * The hosted controllers' informer caches keep slim forms: each form is pinned to the
 * exact fields it keeps (no status, managed fields, finalizers or spec parts no reader
 * needs), and the readers decide the same from a slim form as from the whole object.
 */
import { assertEquals, assertTrue } from "../../support/assert.ts";
import type { KubeObject } from "../../../lib/controller/list_watch.ts";
import {
  mailboxBindingForm,
  mailboxSyncTargetForm,
  mailboxWorkspaceForm,
} from "../../../lib/controllers/mailbox/mailbox_cache_forms.ts";
import {
  type MailboxApi,
  MailboxReconciler,
  type WorkspaceObject,
} from "../../../lib/controllers/mailbox/mailbox_reconciler.ts";
import {
  parameterSourceForm,
  sliceForm,
  syncerConfigForm,
  translatorWorkspaceForm,
} from "../../../lib/controllers/placement/translator_cache_forms.ts";
import { whereInventoryForm } from "../../../lib/controllers/where/where_cache_forms.ts";
import { inventoryCachedForm } from "../../../lib/controllers/summarizer/mailbox_clusters.ts";
import type { SyncTarget } from "../../../lib/edge/api_types.ts";
import { parameterDefinitions } from "../../../lib/placement/customize/expand_parameters.ts";
import { Logger } from "../../../lib/log/logger.ts";

const T = "2026-12-07T03:36:35Z";
const managedFields = [{ manager: "kubectl", operation: "Update", time: T, fieldsV1: { f: {} } }];

function meta(name: string, cluster: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    uid: `uid-${name}`,
    resourceVersion: "42",
    creationTimestamp: T,
    generation: 3,
    managedFields,
    ...extra,
    annotations: { "kcp.io/cluster": cluster, ...(extra.annotations as object ?? {}) },
  };
}

const syncTarget: KubeObject = {
  apiVersion: "edge.kubestellar.io/v2alpha1",
  kind: "SyncTarget",
  metadata: meta("st-0", "imw", {
    labels: { id: "st-0", env: "prod" },
    annotations: { "note": "site 7" },
  }),
  spec: { cells: { a: "b" } },
  status: { conditions: [{ type: "Ready", status: "True", lastTransitionTime: T }] },
};

const location: KubeObject = {
  apiVersion: "edge.kubestellar.io/v2alpha1",
  kind: "Location",
  metadata: meta("st-0", "imw", { labels: { env: "prod" } }),
  spec: {
    resource: { group: "edge.kubestellar.io", version: "v2alpha1", resource: "synctargets" },
    instanceSelector: { matchLabels: { id: "st-0" } },
  },
};

const workspace: WorkspaceObject = {
  apiVersion: "tenancy.kcp.io/v1alpha1",
  kind: "Workspace",
  metadata: meta("imw-mb-uid-st-0", "espw", {
    labels: { "tenancy.kcp.io/phase": "Ready" },
    finalizers: ["core.kcp.io/logicalcluster"],
    annotations: {
      "edge.kubestellar.io/sync-target-name": "st-0",
      "edge.kubestellar.io/sync-target-workspace": "root:imw1",
      "experimental.tenancy.kcp.io/owner": '{"username":"kcp-admin"}',
      "internal.tenancy.kcp.io/shard": "1pfxsevk",
    },
  }),
  spec: {
    type: { name: "universal", path: "root" },
    cluster: "mbc",
    URL: "https://x/clusters/mbc",
  },
  status: {
    phase: "Ready",
    initializers: [],
    conditions: [{ type: "WorkspaceScheduled", status: "True", lastTransitionTime: T }],
  },
};

const binding: KubeObject = {
  apiVersion: "apis.kcp.io/v1alpha1",
  kind: "APIBinding",
  metadata: meta("bind-edge", "mbc", { finalizers: ["apis.kcp.io/apibinding-finalizer"] }),
  spec: { reference: { export: { path: "root:espw", name: "edge.kubestellar.io" } } },
  status: {
    phase: "Bound",
    boundResources: [{ group: "edge.kubestellar.io", resource: "synctargets", schema: {} }],
    conditions: [{ type: "Ready", status: "True", lastTransitionTime: T }],
  },
};

/** The paths of every leaf value kept (`a.b.c`); arrays are leaves. */
function leaves(o: unknown, at = ""): string[] {
  if (o === null || typeof o !== "object" || Array.isArray(o)) return o === undefined ? [] : [at];
  return Object.entries(o).flatMap(([k, v]) => leaves(v, at ? `${at}.${k}` : k));
}

const IDENTITY = [
  "metadata.name",
  "metadata.resourceVersion",
  "metadata.annotations.kcp.io/cluster",
];

Deno.test("cache forms: the mailbox controller keeps names, ids, phase and cluster only", () => {
  assertEquals(
    leaves(mailboxSyncTargetForm(syncTarget)).sort(),
    [...IDENTITY, "metadata.uid"].sort(),
  );
  assertEquals(leaves(mailboxBindingForm(binding)).sort(), [...IDENTITY].sort());
  assertEquals(
    leaves(mailboxWorkspaceForm(workspace)).sort(),
    [
      ...IDENTITY,
      "metadata.uid",
      "metadata.annotations.edge.kubestellar.io/sync-target-name",
      "metadata.annotations.edge.kubestellar.io/sync-target-workspace",
      "spec.cluster",
      "status.phase",
    ].sort(),
  );
  const deleting = { ...syncTarget, metadata: { ...syncTarget.metadata, deletionTimestamp: T } };
  assertEquals(mailboxSyncTargetForm(deleting).metadata?.deletionTimestamp, T);
});

Deno.test("cache forms: the where-resolver keeps labels and spec of its inventory", () => {
  const expected = [...IDENTITY, "metadata.uid", "metadata.labels.id", "metadata.labels.env"];
  assertEquals(
    leaves(whereInventoryForm(syncTarget)).sort(),
    [...expected, "spec.cells.a"].sort(),
  );
  const loc = whereInventoryForm(location);
  assertEquals(loc.spec, location.spec);
  assertTrue(loc.spec === location.spec, "the spec is kept by reference, not copied");
  assertTrue(loc.metadata?.labels === location.metadata?.labels, "labels by reference");
});

Deno.test("cache forms: the translator keeps parameters, slice keys, SyncerConfig keys", () => {
  const st = parameterSourceForm(syncTarget);
  assertEquals(
    leaves(st).sort(),
    [
      ...IDENTITY,
      "metadata.uid",
      "metadata.labels.id",
      "metadata.labels.env",
      "metadata.annotations.note",
    ].sort(),
  );
  for (const o of [syncTarget, location]) {
    assertEquals(
      parameterDefinitions(parameterSourceForm(o).metadata, parameterSourceForm(o).metadata),
      parameterDefinitions(o.metadata, o.metadata),
      "customization sees the same parameters",
    );
  }
  const slice = {
    metadata: meta("ep-1", "wmw", { ownerReferences: [{ kind: "EdgePlacement" }] }),
    destinations: [{ cluster: "imw", locationName: "st-0", syncTargetName: "st-0" }],
  };
  assertEquals(leaves(sliceForm(slice)).sort(), [...IDENTITY].sort());
  const config = {
    metadata: meta("the-one", "mbc"),
    spec: { namespaceScope: {}, namespacedObjects: [] },
    status: { lastSyncerHeartbeatTime: T },
  };
  assertEquals(leaves(syncerConfigForm(config)).sort(), [...IDENTITY].sort());
  assertEquals(
    leaves(translatorWorkspaceForm(workspace)).sort(),
    [
      ...IDENTITY,
      "metadata.uid",
      "spec.cluster",
      "status.phase",
    ].sort(),
  );
});

Deno.test("cache forms: the status summarizer keeps the names and labels of its inventory", () => {
  for (const o of [syncTarget, location]) {
    assertEquals(
      leaves(inventoryCachedForm(o)).sort(),
      [...IDENTITY, ...Object.keys(o.metadata!.labels!).map((k) => `metadata.labels.${k}`)].sort(),
    );
  }
});

class CallLog implements MailboxApi {
  calls: string[] = [];
  createWorkspace(name: string, a: Record<string, string>) {
    return Promise.resolve(void this.calls.push(`create ${name} ${JSON.stringify(a)}`));
  }
  annotateWorkspace(name: string, a: Record<string, string>) {
    return Promise.resolve(void this.calls.push(`annotate ${name} ${JSON.stringify(a)}`));
  }
  deleteWorkspace(name: string, uid: string) {
    return Promise.resolve(void this.calls.push(`delete ${name} ${uid}`));
  }
  createBinding(cluster: string) {
    return Promise.resolve(void this.calls.push(`bind ${cluster}`));
  }
  pathOf() {
    return Promise.resolve("root:imw1");
  }
}

async function reconcileWith(
  st: KubeObject | undefined,
  ws: WorkspaceObject | undefined,
  bound: KubeObject | undefined,
): Promise<string[]> {
  const api = new CallLog();
  const r = new MailboxReconciler(
    {
      syncTargetOf: () => st as SyncTarget | undefined,
      workspace: () => ws,
      hasBinding: (c) =>
        bound !== undefined && c === bound.metadata?.annotations?.["kcp.io/cluster"],
    },
    api,
    new Logger("test", { write: () => {} }),
  );
  await r.reconcile(workspace.metadata!.name!);
  return api.calls;
}

Deno.test("cache forms: the mailbox reconcile decides the same from slim forms", async () => {
  const deleting = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, deletionTimestamp: T } });
  const stale: WorkspaceObject = {
    ...workspace,
    metadata: { ...workspace.metadata, annotations: { "kcp.io/cluster": "espw" } },
  };
  const initializing: WorkspaceObject = { ...workspace, status: { phase: "Initializing" } };
  const scenarios: [string, KubeObject | undefined, WorkspaceObject | undefined, KubeObject?][] = [
    ["create", syncTarget, undefined],
    ["bind", syncTarget, workspace],
    ["converged", syncTarget, workspace, binding],
    ["annotate", syncTarget, stale, binding],
    ["not ready", syncTarget, initializing],
    ["delete", undefined, workspace],
    ["SyncTarget deleting", deleting(syncTarget), workspace],
    ["not ours", undefined, stale],
    ["workspace deleting", syncTarget, deleting(workspace)],
  ];
  let calls = 0;
  for (const [what, st, ws, b] of scenarios) {
    const full = await reconcileWith(st, ws, b);
    const slim = await reconcileWith(
      st && mailboxSyncTargetForm(st),
      ws && mailboxWorkspaceForm(ws),
      b && mailboxBindingForm(b),
    );
    assertEquals(slim, full, what);
    calls += full.length;
  }
  assertEquals(calls, 5, "create, bind, annotate, and two deletes");
});
