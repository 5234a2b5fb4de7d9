/**
 * The mailbox controller process (`kubestellar controller mailbox-controller`):
 * informers on SyncTargets in every workspace bound to the edge export (through the
 * export's virtual workspace), on the Workspaces of the ESPW, and on the `bind-edge`
 * APIBindings of every workspace (shard-wide `/clusters/*`); each event enqueues the
 * mailbox name it concerns; workers run `MailboxReconciler` once every informer has
 * synced.
 *
 * Metrics beyond the runtime's: `kubestellar_mailbox_workspaces` (mailbox workspaces
 * in the ESPW) and `kubestellar_mailbox_sync_targets` (SyncTargets seen).
 *
 * @module
 */
import { runWithInformers } from "../../controller/run_with_informers.ts";
import { Informer } from "../../controller/informer.ts";
import { type KubeObject, objectKey } from "../../controller/list_watch.ts";
import { edgeApiBinding } from "../../edge/api_export.ts";
import { mailboxName, parseMailboxName, type SyncTarget } from "../../edge/api_types.ts";
import { isAlreadyExists, isConflict, isNotFound } from "../../kube/rest_errors.ts";
import type { ControllerContext, ControllerDefinition } from "../runtime/controller_context.ts";
import { openEdgeView, waitForEdgeExport } from "../runtime/edge_resources.ts";
import { instrumentedController } from "../runtime/instrumented_controller.ts";
import { restListWatch } from "../../controller/rest_list_watch.ts";
import {
  MAILBOX_BINDING_NAME,
  type MailboxApi,
  MailboxReconciler,
  type WorkspaceObject,
} from "./mailbox_reconciler.ts";
import {
  mailboxBindingForm,
  mailboxSyncTargetForm,
  mailboxWorkspaceForm,
} from "./mailbox_cache_forms.ts";

const WORKSPACES = { group: "tenancy.kcp.io", version: "v1alpha1", resource: "workspaces" };
const API_BINDINGS = { group: "apis.kcp.io", version: "v1alpha1", resource: "apibindings" };
const LOGICAL_CLUSTERS = { group: "core.kcp.io", version: "v1alpha1", resource: "logicalclusters" };
const FIELD_MANAGER = "mailbox-controller";

function clusterOf(obj: KubeObject): string {
  return obj.metadata?.annotations?.["kcp.io/cluster"] ?? "";
}

function mailboxOf(st: KubeObject): string {
  return mailboxName(clusterOf(st), st.metadata?.uid ?? "");
}

/** Runs the mailbox controller. */
async function run(ctx: ControllerContext, signal: AbortSignal): Promise<void> {
  const log = ctx.log;
  const edge = await waitForEdgeExport(ctx, signal);
  if (!edge) return;
  const espw = ctx.client.withCluster(ctx.espwPath);
  const view = openEdgeView(edge, ctx);
  log.info("reading SyncTargets", { via: view.via });
  const wildcard = ctx.allClusters.withCluster("*");
  const onError = (what: string) => (e: unknown) =>
    log.warn(`${what} watch failed, retrying`, { error: e });

  const stByMailbox = new Map<string, string>();
  const mailboxByCluster = new Map<string, string>();
  const pathCache = new Map<string, string>();

  const syncTargets = new Informer<SyncTarget & KubeObject>(
    restListWatch(view.all, view.ref("synctargets")),
    undefined,
    { onError: onError("SyncTarget"), clock: ctx.clock, cachedForm: mailboxSyncTargetForm },
  );
  const workspaces = new Informer<WorkspaceObject>(
    restListWatch(espw, WORKSPACES),
    undefined,
    {
      onError: onError("Workspace"),
      clock: ctx.clock,
      keyOf: (o) => o.metadata?.name ?? "",
      cachedForm: mailboxWorkspaceForm,
    },
  );
  const bindings = new Informer(
    restListWatch(wildcard, API_BINDINGS, {
      fieldSelector: `metadata.name=${MAILBOX_BINDING_NAME}`,
    }),
    undefined,
    {
      onError: onError("APIBinding"),
      clock: ctx.clock,
      keyOf: clusterOf,
      cachedForm: mailboxBindingForm,
    },
  );

  const api: MailboxApi = {
    async createWorkspace(name, annotations) {
      try {
        await espw.create(WORKSPACES, {
          apiVersion: "tenancy.kcp.io/v1alpha1",
          kind: "Workspace",
          metadata: { name, annotations },
        }, { fieldManager: FIELD_MANAGER });
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
      }
    },
    async annotateWorkspace(name, annotations) {
      await espw.patch({ ...WORKSPACES, name }, { metadata: { annotations } }, "merge", {
        fieldManager: FIELD_MANAGER,
      });
    },
    async deleteWorkspace(name, uid) {
      try {
        await espw.delete({ ...WORKSPACES, name }, { preconditions: { uid } });
      } catch (e) {
        if (!isNotFound(e) && !isConflict(e)) throw e;
      }
    },
    async createBinding(clusterId) {
      const c = ctx.allClusters.withCluster(clusterId);
      try {
        await c.create(API_BINDINGS, edgeApiBinding(MAILBOX_BINDING_NAME, ctx.espwPath), {
          fieldManager: FIELD_MANAGER,
        });
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
      } finally {
        c.close();
      }
    },
    async pathOf(clusterId) {
      const cached = pathCache.get(clusterId);
      if (cached) return cached;
      const c = ctx.allClusters.withCluster(clusterId);
      try {
        const lc = await c.get<KubeObject>({ ...LOGICAL_CLUSTERS, name: "cluster" });
        const path = lc.metadata?.annotations?.["kcp.io/path"];
        if (path) pathCache.set(clusterId, path);
        return path;
      } catch (e) {
        log.debug("cannot read the path of a logical cluster", { cluster: clusterId, error: e });
        return undefined;
      } finally {
        c.close();
      }
    },
  };
  const reconciler = new MailboxReconciler(
    {
      syncTargetOf(name) {
        const key = stByMailbox.get(name);
        return key === undefined ? undefined : syncTargets.get(key);
      },
      workspace: (name) => workspaces.get(name),
      hasBinding: (cluster) => bindings.get(cluster) !== undefined,
    },
    api,
    log,
  );
  const controller = instrumentedController(ctx, "mailbox", (key) => reconciler.reconcile(key));

  syncTargets.addHandlers({
    onAdd(st) {
      const name = mailboxOf(st);
      stByMailbox.set(name, objectKey(st));
      controller.enqueue(name);
    },
    onUpdate(_old, st) {
      controller.enqueue(mailboxOf(st));
    },
    onDelete(st) {
      const name = mailboxOf(st);
      stByMailbox.delete(name);
      controller.enqueue(name);
    },
  });
  const onWorkspace = (ws: WorkspaceObject, gone = false) => {
    const name = ws.metadata?.name ?? "";
    if (!parseMailboxName(name)) return;
    const cluster = ws.spec?.cluster;
    if (cluster) {
      if (gone) mailboxByCluster.delete(cluster);
      else mailboxByCluster.set(cluster, name);
    }
    controller.enqueue(name);
  };
  workspaces.addHandlers({
    onAdd: (ws) => onWorkspace(ws),
    onUpdate: (_o, ws) => onWorkspace(ws),
    onDelete: (ws) => onWorkspace(ws, true),
  });
  const onBinding = (b: KubeObject) => {
    const name = mailboxByCluster.get(clusterOf(b));
    if (name) controller.enqueue(name);
  };
  bindings.addHandlers({
    onAdd: onBinding,
    onUpdate: (_o, b) => onBinding(b),
    onDelete: onBinding,
  });
  ctx.metrics.gauge(
    "kubestellar_mailbox_workspaces",
    "Mailbox workspaces in the ESPW.",
    [],
    () => workspaces.list().filter((w) => parseMailboxName(w.metadata?.name ?? "")).length,
  );
  ctx.metrics.gauge(
    "kubestellar_mailbox_sync_targets",
    "SyncTargets seen in all inventory workspaces.",
    [],
    () => stByMailbox.size,
  );

  try {
    await runWithInformers([syncTargets, workspaces, bindings], signal, async () => {
      log.info("informers synced", {
        syncTargets: syncTargets.list().length,
        workspaces: workspaces.list().length,
      });
      ctx.setReady();
      await controller.run(signal);
    });
  } finally {
    espw.close();
    wildcard.close();
    view.close();
  }
}

/** The mailbox controller. */
export const mailboxController: ControllerDefinition = { name: "mailbox-controller", run };
