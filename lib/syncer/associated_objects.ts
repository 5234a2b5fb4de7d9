/**
 * The syncer's watch of the objects associated with downsynced workloads: informers on
 * the WEC's ReplicaSets and Pods (started once the plan holds a workload kind), indexed
 * by controlling owner, so an event queues exactly the workload it belongs to (a Pod
 * through its ReplicaSet up to a Deployment), and `reconcile` writes the workload's
 * `associatedState` into its mailbox copy's annotation when it changed.
 *
 * @module
 */
import type { Informer, InformerHandlers } from "../controller/informer.ts";
import { EDGE_KEYS } from "../edge/api_types.ts";
import type { KubeObject, RestClient } from "../kube/rest_client.ts";
import { refOf } from "./object_api.ts";
import { associatedState, controllerOwner, WORKLOAD_KINDS } from "./associated_state.ts";
import type { CachedLookup, ReconcileOutcome } from "./downsync.ts";
import type { ResourceId, SyncPlan } from "./sync_plan.ts";

const REPLICASETS: ResourceId = { group: "apps", version: "v1", resource: "replicasets" };
const PODS: ResourceId = { group: "", version: "v1", resource: "pods" };

/** What the associated-object watch needs from the syncer. */
export interface AssociatedDeps {
  plan(): SyncPlan;
  /** Starts an informer on the WEC. */
  startWecInformer(id: ResourceId, handlers: InformerHandlers<KubeObject>): Informer<KubeObject>;
  /** Queues the associated-state reconcile of a workload. */
  enqueue(id: ResourceId, namespace: string, name: string): void;
  mailboxCached(id: ResourceId, namespace: string, name: string): CachedLookup;
  wecCached(id: ResourceId, namespace: string, name: string): CachedLookup;
  /** The mailbox workspace's client. */
  mailbox: RestClient;
}

/** True when objects of `id` own ReplicaSets or Pods. */
export function isWorkload(id: { group: string; resource: string }): boolean {
  return `${id.group}/${id.resource}` in WORKLOAD_KINDS;
}

type Index = Map<string, Map<string, KubeObject>>;

function indexed(index: Index, oldObj: KubeObject | undefined, obj: KubeObject | undefined): void {
  const key = (o: KubeObject) => `${o.metadata?.namespace}/${o.metadata?.name}`;
  const oldOwner = oldObj && controllerOwner(oldObj)?.uid;
  if (oldOwner) index.get(oldOwner)?.delete(key(oldObj!));
  const owner = obj && controllerOwner(obj)?.uid;
  if (!owner) return;
  let children = index.get(owner);
  if (!children) index.set(owner, children = new Map());
  children.set(key(obj!), obj!);
}

/** ReplicaSets and Pods of the WEC, by owner, and the summaries they make. */
export class AssociatedObjects {
  readonly #deps: AssociatedDeps;
  #replicaSets: Informer<KubeObject> | undefined;
  #pods: Informer<KubeObject> | undefined;
  readonly #rsByOwner: Index = new Map();
  readonly #podsByOwner: Index = new Map();

  constructor(deps: AssociatedDeps) {
    this.#deps = deps;
  }

  /** Starts the informers once `plan` downsyncs a workload kind. */
  ensure(plan: SyncPlan): void {
    if (this.#pods || ![...plan.downsync.values()].some((s) => isWorkload(s.id))) return;
    const watch = (id: ResourceId, index: Index, isReplicaSet: boolean) => {
      const on = (old: KubeObject | undefined, obj: KubeObject | undefined) => {
        indexed(index, old, obj);
        this.#touch(obj ?? old!, isReplicaSet);
      };
      return this.#deps.startWecInformer(id, {
        onAdd: (o) => on(undefined, o),
        onUpdate: on,
        onDelete: (o) => on(o, undefined),
      });
    };
    this.#replicaSets = watch(REPLICASETS, this.#rsByOwner, true);
    this.#pods = watch(PODS, this.#podsByOwner, false);
  }

  /** Queues the workloads `obj` (a ReplicaSet or Pod) belongs to. */
  #touch(obj: KubeObject, isReplicaSet: boolean): void {
    const ns = obj.metadata?.namespace ?? "";
    if (isReplicaSet) this.#enqueueKind("ReplicaSet", ns, obj.metadata?.name ?? "");
    let owner = controllerOwner(obj);
    for (let depth = 0; owner && depth < 2; depth++) {
      this.#enqueueKind(owner.kind, ns, owner.name);
      const parent = owner.kind === "ReplicaSet"
        ? this.#replicaSets?.get(`${ns}/${owner.name}`)
        : undefined;
      owner = parent ? controllerOwner(parent) : undefined;
    }
  }

  #enqueueKind(kind: string, namespace: string, name: string): void {
    for (const sel of this.#deps.plan().downsync.values()) {
      if (WORKLOAD_KINDS[`${sel.id.group}/${sel.id.resource}`] === kind) {
        if (this.#deps.plan().wantsDownsync(sel.id, namespace, name)) {
          this.#deps.enqueue(sel.id, namespace, name);
        }
      }
    }
  }

  /** Writes the summary of workload `id` `namespace/name` into its mailbox copy. */
  async reconcile(id: ResourceId, namespace: string, name: string): Promise<ReconcileOutcome> {
    if (!isWorkload(id) || !this.#deps.plan().wantsDownsync(id, namespace, name)) return;
    if (!this.#replicaSets || !this.#pods) return;
    if (this.#replicaSets.listCount === 0 || this.#pods.listCount === 0) {
      return { requeueAfterMs: 500 };
    }
    const wec = this.#deps.wecCached(id, namespace, name);
    const mb = this.#deps.mailboxCached(id, namespace, name);
    if (!wec.synced || !mb.synced) return { requeueAfterMs: 500 };
    const uid = wec.obj?.metadata?.uid;
    if (!uid || !mb.obj) return;
    const replicaSets = [...(this.#rsByOwner.get(uid)?.values() ?? [])];
    const owners = [uid, ...replicaSets.map((rs) => rs.metadata?.uid ?? "")];
    const pods = owners.flatMap((o) => [...(this.#podsByOwner.get(o)?.values() ?? [])]);
    const text = JSON.stringify(associatedState(replicaSets, pods));
    if (mb.obj.metadata?.annotations?.[EDGE_KEYS.associatedState] === text) return;
    const annotations = { [EDGE_KEYS.associatedState]: text };
    await this.#deps.mailbox.patch(
      refOf(id, namespace, name),
      { metadata: { annotations } },
      "merge",
    );
  }
}
