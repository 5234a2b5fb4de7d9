/**
 * State from associated objects (PoC2023q1 outline; issue 15): for a downsynced workload
 * (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job) the syncer watches the WEC's
 * ReplicaSets and Pods, follows their owner references up to the workload, and returns
 * a bounded summary into the mailbox copy's annotation
 * `edge.kubestellar.io/associated-state` (JSON):
 *
 * ```json
 * {"replicaSets":{"total":1,"ready":0},
 *  "pods":{"total":2,"ready":1,"phases":{"Pending":1,"Running":1}},
 *  "failures":[{"kind":"Pod","name":"web-7d9-x2","reason":"ImagePullBackOff","message":"…"}]}
 * ```
 *
 * Bounded: counts, and at most `MAX_FAILURES` failure reasons (the most recent first);
 * never a per-pod object in the hub. Watch-driven: a ReplicaSet or Pod event queues its
 * workload, whose summary is written only when it changed. The annotation stays in the
 * mailbox (the syncer never copies it down), where the status summarizer (`reason` of a
 * broken copy) and `kubestellar-list-syncing-objects` show it.
 *
 * @module
 */
import type { KubeObject } from "../kube/rest_client.ts";
/** The most failure reasons one summary keeps. */
export const MAX_FAILURES = 5;

/** The workload kinds whose associated objects are summarized, by resource. */
export const WORKLOAD_KINDS: Record<string, string> = {
  "apps/deployments": "Deployment",
  "apps/replicasets": "ReplicaSet",
  "apps/statefulsets": "StatefulSet",
  "apps/daemonsets": "DaemonSet",
  "batch/jobs": "Job",
};

/** One failure reason. */
export interface AssociatedFailure {
  kind: "Pod" | "ReplicaSet";
  name: string;
  reason: string;
  message?: string;
  /** When it was observed (RFC 3339), for ordering. */
  time?: string;
}

/** The summary of a workload's associated objects. */
export interface AssociatedState {
  replicaSets: { total: number; ready: number };
  pods: { total: number; ready: number; phases: Record<string, number> };
  failures: AssociatedFailure[];
}

type Any = Record<string, unknown>;
const asList = (v: unknown): Any[] => (Array.isArray(v) ? v as Any[] : []);

function podFailures(pod: KubeObject): AssociatedFailure[] {
  const name = pod.metadata?.name ?? "";
  const status = (pod.status ?? {}) as Any;
  const out: AssociatedFailure[] = [];
  for (const cs of [...asList(status.initContainerStatuses), ...asList(status.containerStatuses)]) {
    const state = (cs.state ?? {}) as Any;
    const waiting = state.waiting as Any | undefined;
    const terminated = state.terminated as Any | undefined;
    if (
      waiting?.reason && waiting.reason !== "ContainerCreating" &&
      waiting.reason !== "PodInitializing"
    ) {
      out.push({
        kind: "Pod",
        name,
        reason: String(waiting.reason),
        message: waiting.message as string,
      });
    } else if (terminated && terminated.exitCode !== 0 && terminated.reason !== "Completed") {
      out.push({
        kind: "Pod",
        name,
        reason: String(terminated.reason ?? "Error"),
        message: `container ${cs.name} exited with ${terminated.exitCode}`,
        time: terminated.finishedAt as string,
      });
    }
  }
  for (const c of asList(status.conditions)) {
    if (c.type === "PodScheduled" && c.status === "False") {
      out.push({
        kind: "Pod",
        name,
        reason: String(c.reason ?? "Unschedulable"),
        message: c.message as string,
        time: c.lastTransitionTime as string,
      });
    }
  }
  if (status.phase === "Failed") {
    out.push({
      kind: "Pod",
      name,
      reason: String(status.reason ?? "Failed"),
      message: status.message as string,
    });
  }
  return out;
}

function replicaSetFailures(rs: KubeObject): AssociatedFailure[] {
  return asList((rs.status as Any | undefined)?.conditions)
    .filter((c) => c.type === "ReplicaFailure" && c.status === "True")
    .map((c) => ({
      kind: "ReplicaSet" as const,
      name: rs.metadata?.name ?? "",
      reason: String(c.reason ?? "ReplicaFailure"),
      message: c.message as string,
      time: c.lastTransitionTime as string,
    }));
}

function podReady(pod: KubeObject): boolean {
  return asList((pod.status as Any | undefined)?.conditions)
    .some((c) => c.type === "Ready" && c.status === "True");
}

/** Summarizes `replicaSets` and `pods` (those owned by one workload). */
export function associatedState(replicaSets: KubeObject[], pods: KubeObject[]): AssociatedState {
  const phases: Record<string, number> = {};
  for (const p of pods) {
    const phase = String((p.status as Any | undefined)?.phase ?? "Unknown");
    phases[phase] = (phases[phase] ?? 0) + 1;
  }
  const rsReady = replicaSets.filter((rs) => {
    const want = Number((rs.spec as Any | undefined)?.replicas ?? 1);
    return Number((rs.status as Any | undefined)?.readyReplicas ?? 0) >= want;
  }).length;
  const failures = [...replicaSets.flatMap(replicaSetFailures), ...pods.flatMap(podFailures)]
    .sort((a, b) => (b.time ?? "").localeCompare(a.time ?? "") || a.name.localeCompare(b.name))
    .slice(0, MAX_FAILURES)
    .map((f) =>
      Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as AssociatedFailure
    );
  return {
    replicaSets: { total: replicaSets.length, ready: rsReady },
    pods: { total: pods.length, ready: pods.filter(podReady).length, phases },
    failures,
  };
}

/** The owner references of `obj` that a controller set (kind, name, uid). */
export function controllerOwner(
  obj: KubeObject,
): { kind: string; name: string; uid: string } | undefined {
  const refs = (obj.metadata?.ownerReferences ?? []) as {
    kind: string;
    name: string;
    uid: string;
    controller?: boolean;
  }[];
  return refs.find((r) => r.controller) ?? refs[0];
}
