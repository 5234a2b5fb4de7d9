/**
 * The where-resolver process (`kubestellar controller where-resolver`): informers on
 * EdgePlacements, SinglePlacementSlices, Locations and SyncTargets in every workspace
 * bound to the edge export, through the export's virtual workspace (which it also
 * writes through). A placement or
 * slice event enqueues that placement; a Location or SyncTarget change that can alter
 * a resolution (labels, spec, appearance, disappearance) enqueues only the placements
 * it can affect (`AffectedPlacements`), and each reconcile recomputes from the caches
 * and writes only differences.
 *
 * Metrics beyond the runtime's: `kubestellar_where_placements`,
 * `kubestellar_where_locations`, `kubestellar_where_sync_targets`.
 *
 * @module
 */
import { runWithInformers } from "../../controller/run_with_informers.ts";
import { Informer } from "../../controller/informer.ts";
import { type KubeObject, objectKey } from "../../controller/list_watch.ts";
import type {
  EdgePlacement,
  Location,
  SinglePlacementSlice,
  SyncTarget,
} from "../../edge/api_types.ts";
import { deepEqual } from "../../kube/patch/json_value.ts";
import type { RestClient } from "../../kube/rest_client.ts";
import { isAlreadyExists, isConflict, isNotFound } from "../../kube/rest_errors.ts";
import type { ControllerContext, ControllerDefinition } from "../runtime/controller_context.ts";
import { openEdgeView, waitForEdgeExport } from "../runtime/edge_resources.ts";
import { instrumentedController } from "../runtime/instrumented_controller.ts";
import { restListWatch } from "../../controller/rest_list_watch.ts";
import { AffectedPlacements } from "./affected_placements.ts";
import { SyncTargetIndex } from "./sync_target_index.ts";
import { whereInventoryForm } from "./where_cache_forms.ts";
import { type WhereApi, WhereReconciler } from "./where_reconciler.ts";
import {
  type IndexedLocation,
  InstanceSelectorCache,
  resolvePlacement,
} from "./where_resolution.ts";

const FIELD_MANAGER = "where-resolver";

type Obj<T> = T & KubeObject;

function clusterOf(obj: KubeObject): string {
  return obj.metadata?.annotations?.["kcp.io/cluster"] ?? "";
}

function locationView(loc: Obj<Location>): IndexedLocation {
  return {
    cluster: clusterOf(loc),
    name: loc.metadata.name,
    labels: loc.metadata.labels,
    instanceSelector: loc.spec?.instanceSelector,
    resourceVersion: loc.metadata.resourceVersion,
  };
}

function whereRelevantChange(a: KubeObject, b: KubeObject): boolean {
  return !deepEqual(a.metadata?.labels ?? {}, b.metadata?.labels ?? {}) ||
    !deepEqual(a.spec, b.spec) || a.metadata?.uid !== b.metadata?.uid;
}

/** Runs the where-resolver. */
async function run(ctx: ControllerContext, signal: AbortSignal): Promise<void> {
  const log = ctx.log;
  const edge = await waitForEdgeExport(ctx, signal);
  if (!edge) return;
  const view = openEdgeView(edge, ctx);
  log.info("reading edge objects", { via: view.via });
  const onError = (what: string) => (e: unknown) =>
    log.warn(`${what} watch failed, retrying`, { error: e });
  const informer = <T extends KubeObject>(
    resource: string,
    what: string,
    cachedForm?: (o: KubeObject) => KubeObject,
  ) =>
    new Informer<T>(restListWatch(view.all, view.ref(resource)), undefined, {
      onError: onError(what),
      clock: ctx.clock,
      cachedForm,
    });
  const placements = informer<Obj<EdgePlacement>>("edgeplacements", "EdgePlacement");
  const slices = informer<Obj<SinglePlacementSlice>>(
    "singleplacementslices",
    "SinglePlacementSlice",
  );
  const locations = informer<Obj<Location>>("locations", "Location", whereInventoryForm);
  const syncTargets = informer<Obj<SyncTarget>>("synctargets", "SyncTarget", whereInventoryForm);

  const index = new SyncTargetIndex();
  const selectorCache = new InstanceSelectorCache();
  const locationViews = new Map<string, IndexedLocation>();
  const affected = new AffectedPlacements();

  const inCluster = async (cluster: string, fn: (c: RestClient) => Promise<unknown>) => {
    const c = view.workspace(cluster);
    try {
      await fn(c);
    } finally {
      c.close();
    }
  };
  const sps = view.local("singleplacementslices");
  const eps = view.local("edgeplacements");
  const api: WhereApi = {
    createSlice: (cluster, slice) =>
      inCluster(cluster, async (c) => {
        try {
          await c.create(sps, slice, { fieldManager: FIELD_MANAGER });
        } catch (e) {
          if (!isAlreadyExists(e)) throw e;
          // Someone else's (or a stale cache): converge it on the next pass.
          throw new Error(`SinglePlacementSlice ${slice.metadata.name} appeared meanwhile`);
        }
      }),
    patchSlice: (cluster, name, patch) =>
      inCluster(
        cluster,
        (c) => c.patch({ ...sps, name }, patch, "merge", { fieldManager: FIELD_MANAGER }),
      ),
    deleteSlice: (cluster, name, uid) =>
      inCluster(cluster, async (c) => {
        try {
          await c.delete({ ...sps, name }, { preconditions: { uid } });
        } catch (e) {
          if (!isNotFound(e) && !isConflict(e)) throw e;
        }
      }),
    patchPlacement: (cluster, name, patch) =>
      inCluster(cluster, async (c) => {
        try {
          await c.patch({ ...eps, name }, patch, "merge", { fieldManager: FIELD_MANAGER });
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }),
  };
  const reconciler = new WhereReconciler(
    {
      placement: (key) => placements.get(key),
      slice: (key) => slices.get(key),
      resolve: (ep) =>
        resolvePlacement(ep.spec?.locationSelectors, locationViews.values(), index, selectorCache),
    },
    api,
    log,
  );
  const controller = instrumentedController(ctx, "where", (key) => reconciler.reconcile(key));
  const enqueue = (keys: Iterable<string>) => {
    for (const key of keys) controller.enqueue(key);
  };

  const onPlacement = (o: KubeObject) => controller.enqueue(objectKey(o));
  placements.addHandlers({
    onAdd(ep) {
      affected.putPlacement(objectKey(ep), ep);
      onPlacement(ep);
    },
    onUpdate(_a, ep) {
      affected.putPlacement(objectKey(ep), ep);
      onPlacement(ep);
    },
    onDelete(ep) {
      affected.removePlacement(objectKey(ep));
      onPlacement(ep);
    },
  });
  slices.addHandlers({
    onAdd: onPlacement,
    onUpdate: (_a, b) => onPlacement(b),
    onDelete: onPlacement,
  });
  locations.addHandlers({
    onAdd(loc) {
      const v = locationView(loc);
      locationViews.set(objectKey(loc), v);
      affected.putLocation(v);
      enqueue(affected.ofLocation(undefined, loc.metadata.labels ?? {}));
    },
    onUpdate(old, loc) {
      const v = locationView(loc);
      locationViews.set(objectKey(loc), v);
      affected.putLocation(v);
      if (whereRelevantChange(old, loc)) {
        enqueue(affected.ofLocation(old.metadata.labels ?? {}, loc.metadata.labels ?? {}));
      }
    },
    onDelete(loc) {
      locationViews.delete(objectKey(loc));
      affected.removeLocation(clusterOf(loc), loc.metadata.name);
      selectorCache.forget(clusterOf(loc), loc.metadata.name);
      enqueue(affected.ofLocation(loc.metadata.labels ?? {}, undefined));
    },
  });
  const stView = (st: Obj<SyncTarget>) => ({
    cluster: clusterOf(st),
    name: st.metadata.name,
    uid: st.metadata.uid ?? "",
    labels: st.metadata.labels,
  });
  syncTargets.addHandlers({
    onAdd(st) {
      index.put(stView(st));
      enqueue(affected.ofSyncTarget(clusterOf(st), undefined, st.metadata.labels ?? {}));
    },
    onUpdate(old, st) {
      index.put(stView(st));
      if (whereRelevantChange(old, st)) {
        enqueue(
          affected.ofSyncTarget(clusterOf(st), old.metadata.labels ?? {}, st.metadata.labels ?? {}),
        );
      }
    },
    onDelete(st) {
      index.remove(clusterOf(st), st.metadata.name);
      enqueue(affected.ofSyncTarget(clusterOf(st), st.metadata.labels ?? {}, undefined));
    },
  });
  ctx.metrics.gauge(
    "kubestellar_where_placements",
    "EdgePlacements seen.",
    [],
    () => placements.list().length,
  );
  ctx.metrics.gauge("kubestellar_where_locations", "Locations seen.", [], () => locationViews.size);
  ctx.metrics.gauge("kubestellar_where_sync_targets", "SyncTargets seen.", [], () => index.size);

  try {
    await runWithInformers([placements, slices, locations, syncTargets], signal, async () => {
      log.info("informers synced", {
        placements: placements.list().length,
        locations: locationViews.size,
        syncTargets: index.size,
      });
      ctx.setReady();
      await controller.run(signal);
    });
  } finally {
    view.close();
  }
}

/** The where-resolver. */
export const whereResolver: ControllerDefinition = { name: "where-resolver", run };
