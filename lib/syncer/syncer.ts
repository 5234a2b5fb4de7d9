/**
 * The syncer (controllers-spec §5, design §6): keeps one WEC in step with its mailbox
 * workspace, watch-driven in both directions.
 *
 * - An informer on the mailbox's SyncerConfigs turns `the-one` into a `SyncPlan`.
 * - Per downsynced resource, informers on the mailbox and the WEC feed a work queue;
 *   `reconcileDownsync`/`reconcileStatusReturn` converge one object per key (for
 *   workloads, ReplicaSets and Pods feed `associated_objects.ts`). Per upsynced
 *   resource an informer on the WEC feeds `reconcileUpsync`.
 * - Informers on the CRDs of both sides (and on the mailbox's APIBindings, under kcp)
 *   re-plan at once when a resource becomes served or stops being served: discovery
 *   of that group is forgotten, informers of that group waiting to retry retry now,
 *   and the SyncerConfig is applied again (`served_resources_watch.ts`).
 * - Every 60 s (a safety net) every cached object is requeued; every 30 s a heartbeat is sent.
 * - Informers resume watches, relist on 410 and back off when a server is away; the
 *   caches survive, so a hub outage leaves the WEC as it was until the hub returns.
 *   Rejected credentials are logged as one clear line (at most every 30 s per
 *   server); tokens never appear in logs.
 *
 * @example
 * ```ts
 * const syncer = startSyncer({ mailbox: mb, wec, syncTargetName: "st1", syncTargetUid: uid });
 * await syncer.ready;
 * await syncer.stop();
 * ```
 *
 * @module
 */
import { Controller } from "../controller/controller.ts";
import { Informer, type InformerHandlers } from "../controller/informer.ts";
import type { KubeObject } from "../controller/list_watch.ts";
import { EDGE_GROUP, EDGE_KEYS, EDGE_VERSION, SYNCER_CONFIG_NAME } from "../edge/api_types.ts";
import type { SyncerConfig } from "../edge/api_types.ts";
import { restClientFor } from "../kube/rest_client.ts";
import type { RestConfig } from "../kube/rest_config.ts";
import { Logger } from "../log/logger.ts";
import { type CachedLookup, reconcileDownsync, type ReconcileOutcome } from "./downsync.ts";
import { isOwned } from "./object_copy.ts";
import { restObjectApi } from "./object_api.ts";
import { ResourceDiscovery } from "./resource_discovery.ts";
import { ServedResourcesWatch } from "./served_resources_watch.ts";
import { restListWatch } from "../controller/rest_list_watch.ts";
import { reconcileStatusReturn } from "./status_return.ts";
import {
  dependencyRank,
  parseResourceKey,
  planFromSyncerConfig,
  type ResourceId,
  resourceKey,
  type SyncPlan,
} from "./sync_plan.ts";
import { reconcileUpsync, upsyncResourcesIn } from "./upsync.ts";
import { AssociatedObjects, isWorkload } from "./associated_objects.ts";
import { describeSyncError } from "./sync_errors.ts";
import { runHeartbeat, specChanged } from "./syncer_heartbeat.ts";
import { renaturingListWatch, renaturingObjectApi, wecResourceInfo } from "./renaturing.ts";

/** Options of `startSyncer`. */
export interface SyncerOptions {
  /** Connection to the mailbox workspace (upstream). */
  mailbox: RestConfig;
  /** Connection to the WEC (downstream). */
  wec: RestConfig;
  syncTargetName: string;
  syncTargetUid: string;
  log?: Logger;
  /** Full requeue from the caches, a safety net (default 60 000 ms). */
  resyncMs?: number;
  /** Longest retry delay after errors (default 5 000 ms). */
  backoffMaxMs?: number;
  /** Concurrent reconciles (default 4). */
  workers?: number;
  /** Told about every write to the WEC (benchmarks, metrics). */
  onWecWrite?(action: "create" | "update" | "delete", id: ResourceId, obj: KubeObject): void;
  /** Told about every status written to the mailbox. */
  onStatusReturn?(id: ResourceId, obj: KubeObject): void;
}

/** A running syncer. */
export interface RunningSyncer {
  /** Resolves once the SyncerConfig has been read and the first plan applied. */
  ready: Promise<void>;
  /** The current plan. */
  plan(): SyncPlan;
  /** Stops everything and closes the connections. */
  stop(): Promise<void>;
}

const SYNCER_CONFIGS: ResourceId = {
  group: EDGE_GROUP,
  version: EDGE_VERSION,
  resource: "syncerconfigs",
};

const nsNameKey = (o: KubeObject) =>
  o.metadata?.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : `${o.metadata?.name}`;

/** A queue key as words for a log line: `downsync apps/v1/deployments ns1/web`. */
function describeKey(key: string): string {
  if (key === "config") return "syncerconfig";
  const [kind, rk, ns, name] = key.split("|");
  const what =
    ({ u: "upsync", s: "status return", a: "associated state" } as Record<string, string>)[kind] ??
      "downsync";
  return `${what} ${rk} ${ns ? `${ns}/` : ""}${name}`;
}

const lookupKey = (namespace: string, name: string) => namespace ? `${namespace}/${name}` : name;

/** Starts a syncer; see the module documentation. */
export function startSyncer(options: SyncerOptions): RunningSyncer {
  const log = options.log ?? new Logger(`syncer-${options.syncTargetName}`);
  const abort = new AbortController();
  const signal = abort.signal;
  const mbClient = restClientFor(options.mailbox);
  const wecClient = restClientFor(options.wec);
  const mailbox = restObjectApi(mbClient);
  // The syncer works in mailbox terms; the WEC boundary renatures denatured kinds.
  const wec = renaturingObjectApi(restObjectApi(wecClient));
  const mbDiscovery = new ResourceDiscovery(mbClient);
  const wecDiscovery = new ResourceDiscovery(wecClient);
  const backoffMaxMs = options.backoffMaxMs ?? 5_000;
  const running: Promise<void>[] = [];
  const lastErrorLog = new Map<string, number>();
  let plan = planFromSyncerConfig(undefined);
  let upsyncResources: ResourceId[] = [];
  const mbInformers = new Map<string, Informer<KubeObject>>();
  const wecInformers = new Map<string, Informer<KubeObject>>();
  const reportedForeign = new Set<string>();

  const logError = (where: string, e: unknown) => {
    const { line, fields, quiet } = describeSyncError(where, e);
    if (quiet) return log.debug(line, fields);
    // At most one line per kind of failure (and object, when the server named it) per 30 s.
    const throttleKey = `${line}|${fields.message ?? ""}`;
    const now = performance.now();
    const last = lastErrorLog.get(throttleKey) ?? -Infinity;
    if (now - last < 30_000) return;
    lastErrorLog.set(throttleKey, now);
    log.warn(line, fields);
  };

  const controller = new Controller(`syncer-${options.syncTargetName}`, (key) => reconcile(key), {
    workers: options.workers ?? 4,
    retryBaseMs: 50,
    retryMaxMs: backoffMaxMs,
    onResult: (key, error) => {
      if (error) logError(describeKey(key), error);
    },
  });
  const enqueue = (kind: "d" | "s" | "u" | "a", id: ResourceId, ns: string, name: string) =>
    controller.enqueue(`${kind}|${resourceKey(id)}|${ns}|${name}`);

  function startInformer(
    side: "mailbox" | "wec",
    id: ResourceId,
    on: ((obj: KubeObject) => void) | InformerHandlers<KubeObject>,
  ): Informer<KubeObject> {
    const handlers = typeof on !== "function"
      ? on
      : { onAdd: on, onUpdate: (_o: KubeObject, n: KubeObject) => on(n), onDelete: on };
    const lw = (w: ResourceId) => restListWatch(side === "mailbox" ? mbClient : wecClient, w);
    const inf = new Informer<KubeObject>(
      side === "mailbox" ? lw(id) : renaturingListWatch(id, lw),
      handlers,
      {
        keyOf: nsNameKey,
        backoffMaxMs,
        onError: (e) => logError(`${side} ${resourceKey(id)}`, e),
      },
    );
    running.push(inf.run(signal));
    return inf;
  }

  const cached = (
    informers: Map<string, Informer<KubeObject>>,
    id: ResourceId,
    ns: string,
    name: string,
  ): CachedLookup => {
    const inf = informers.get(resourceKey(id));
    if (!inf) return { synced: false };
    if (inf.listCount === 0) return { synced: false };
    return { synced: true, obj: inf.get(lookupKey(ns, name)) };
  };
  const mailboxCached = (id: ResourceId, ns: string, name: string) =>
    cached(mbInformers, id, ns, name);
  const wecCached = (id: ResourceId, ns: string, name: string) =>
    cached(wecInformers, id, ns, name);

  function ensureDownsyncInformers(id: ResourceId): void {
    const key = resourceKey(id);
    if (!mbInformers.has(key)) {
      mbInformers.set(
        key,
        startInformer("mailbox", id, (o) => {
          const ns = o.metadata?.namespace ?? "";
          const name = o.metadata?.name ?? "";
          enqueue("d", id, ns, name);
          enqueue("s", id, ns, name);
          if (isWorkload(id)) enqueue("a", id, ns, name);
        }),
      );
    }
    ensureWecInformer(id);
  }

  function ensureWecInformer(id: ResourceId): void {
    const key = resourceKey(id);
    if (wecInformers.has(key)) return;
    wecInformers.set(
      key,
      startInformer("wec", id, (o) => {
        const ns = o.metadata?.namespace ?? "";
        const name = o.metadata?.name ?? "";
        if (o.metadata?.annotations?.[EDGE_KEYS.downsynced] || plan.wantsDownsync(id, ns, name)) {
          enqueue("d", id, ns, name);
          enqueue("s", id, ns, name);
          if (isWorkload(id)) enqueue("a", id, ns, name);
        }
        if (upsyncResources.some((u) => resourceKey(u) === key)) enqueue("u", id, ns, name);
      }),
    );
  }

  function enqueueEverything(): void {
    const ids = [...new Set([...mbInformers.keys(), ...wecInformers.keys()])]
      .map(parseResourceKey)
      .sort((a, b) => dependencyRank(a) - dependencyRank(b));
    for (const o of plan.namedObjects()) enqueue("d", o.id, o.namespace, o.name);
    for (const id of ids) {
      const key = resourceKey(id);
      for (const o of mbInformers.get(key)?.list() ?? []) {
        enqueue("d", id, o.metadata?.namespace ?? "", o.metadata?.name ?? "");
        enqueue("s", id, o.metadata?.namespace ?? "", o.metadata?.name ?? "");
      }
      for (const o of wecInformers.get(key)?.list() ?? []) {
        const ns = o.metadata?.namespace ?? "";
        const name = o.metadata?.name ?? "";
        if (isOwned(o, EDGE_KEYS.downsynced) || o.metadata?.annotations?.[EDGE_KEYS.downsynced]) {
          enqueue("d", id, ns, name);
        }
        if (upsyncResources.some((u) => resourceKey(u) === key)) enqueue("u", id, ns, name);
      }
    }
  }

  const associated = new AssociatedObjects({
    plan: () => plan,
    startWecInformer: (id, handlers) => startInformer("wec", id, handlers),
    enqueue: (id, ns, name) => enqueue("a", id, ns, name),
    mailboxCached,
    wecCached,
    mailbox: mbClient,
  });

  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));
  const configInformer = new Informer<KubeObject>(
    restListWatch(mbClient, SYNCER_CONFIGS),
    {
      onAdd: () => controller.enqueue("config"),
      onUpdate: (o, n) => specChanged(o, n) && controller.enqueue("config"),
      onDelete: () => controller.enqueue("config"),
    },
    {
      keyOf: nsNameKey,
      backoffMaxMs,
      onError: (e) => logError("mailbox syncerconfigs", e),
    },
  );

  let lastSpecText: string | undefined;
  async function reconcileConfig(): Promise<ReconcileOutcome> {
    if (configInformer.listCount === 0) return;
    const config = configInformer.get(SYNCER_CONFIG_NAME) as SyncerConfig | undefined;
    const next = planFromSyncerConfig(config);
    // An unreachable WEC must not hold up the downsync plan: keep the previous upsync
    // resources and look again soon.
    let nextUpsync = upsyncResources;
    let retry: ReconcileOutcome = undefined;
    try {
      nextUpsync = await upsyncResourcesIn(next, wecDiscovery);
    } catch (e) {
      logError("upsync discovery in the workload execution cluster", e);
      retry = { requeueAfterMs: 5_000 };
    }
    const previous = plan;
    plan = next;
    upsyncResources = nextUpsync;
    const ids = [...next.downsync.values()].map((s) => s.id)
      .sort((a, b) => dependencyRank(a) - dependencyRank(b));
    for (const id of ids) ensureDownsyncInformers(id);
    associated.ensure(next);
    for (const id of nextUpsync) ensureWecInformer(id);
    for (const o of previous.namedObjects()) enqueue("d", o.id, o.namespace, o.name);
    enqueueEverything();
    const specText = JSON.stringify(config?.spec ?? null);
    if (specText !== lastSpecText) {
      lastSpecText = specText;
      log.info("applied the SyncerConfig", {
        downsyncResources: ids.length,
        upsyncResources: nextUpsync.length,
      });
    }
    markReady();
    return retry;
  }

  async function reconcile(key: string) {
    if (key === "config") return await reconcileConfig();
    const [kind, rk, ns, name] = key.split("|");
    const id = parseResourceKey(rk);
    if (kind === "d") {
      return await reconcileDownsync(
        {
          plan: () => plan,
          mailboxCached,
          wec,
          wecCached,
          wecResource: (r) => wecResourceInfo(wecDiscovery, r),
          log,
          reportedForeign,
          onWrite: options.onWecWrite,
        },
        id,
        ns,
        name,
      );
    }
    if (kind === "a") return await associated.reconcile(id, ns, name);
    if (kind === "s") {
      return await reconcileStatusReturn(
        {
          plan: () => plan,
          mailboxCached,
          wecCached,
          mailbox,
          mailboxResource: (r) => mbDiscovery.resource(r),
          log,
          onWrite: options.onStatusReturn,
        },
        id,
        ns,
        name,
      );
    }
    return await reconcileUpsync(
      {
        plan: () => plan,
        wecCached,
        mailbox,
        mailboxResource: (r) => mbDiscovery.resource(r),
        log,
      },
      id,
      ns,
      name,
    );
  }

  const served = (side: "mailbox" | "wec") => ({
    onChanged: () => controller.enqueue("config"),
    onError: (e: unknown) => logError(`${side} served resources`, e),
    backoffMaxMs,
    apiBindings: side === "mailbox",
  });
  const mbSide = { client: mbClient, discovery: mbDiscovery, informers: mbInformers };
  const wecSide = { client: wecClient, discovery: wecDiscovery, informers: wecInformers };
  running.push(new ServedResourcesWatch(mbSide, served("mailbox")).run(signal));
  running.push(new ServedResourcesWatch(wecSide, served("wec")).run(signal));
  running.push(configInformer.run(signal));
  const onError = (e: unknown) => logError("heartbeat on the SyncerConfig", e);
  running.push(runHeartbeat(mbClient, { after: ready, onError }, signal));
  running.push(controller.run(signal));
  const resyncMs = options.resyncMs ?? 60_000;
  const resync = setInterval(() => {
    controller.enqueue("config");
  }, resyncMs);
  log.info("syncer started", {
    syncTarget: options.syncTargetName,
    syncTargetUid: options.syncTargetUid,
    mailbox: options.mailbox.server,
  });

  return {
    ready,
    plan: () => plan,
    async stop() {
      clearInterval(resync);
      abort.abort();
      await Promise.allSettled(running);
      mbClient.close();
      wecClient.close();
    },
  };
}
