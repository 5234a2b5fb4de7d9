/**
 * The defaults a Kubernetes API server gives built-in objects on every create and update
 * (the `SetDefaults_*` of core/v1, apps/v1 and batch/v1), as a table from storage
 * resource to defaulter. kcp-lite applies them in kube mode only (through the kube
 * backend's admission), never in kcp mode, where real kcp serves the workload kinds
 * through APIBindings without Go defaulting. A default never replaces what the client
 * set. Services also get a cluster IP and node ports (see `service_allocation.ts`).
 *
 * @example
 * ```ts
 * const d = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" },
 *   spec: { template: { spec: { containers: [{ name: "c", image: "nginx:1" }] } } } };
 * defaultBuiltinObject("apps/deployments", d);
 * d.spec.replicas; // 1
 * ```
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import type { ResourceDef } from "./resource_def.ts";
import {
  defaultPodSpec,
  defaultPodTemplate,
  fill,
  type JsonObject,
  objectAt,
  objectsAt,
} from "./builtin_defaults_pod.ts";
import { defaultService } from "./builtin_defaults_service.ts";
import { allocateServiceAddresses, type ServiceLister } from "./service_allocation.ts";

/** The spec of an object, created empty when it has none. */
function specOf(obj: JsonObject): JsonObject {
  const spec = objectAt(obj, "spec");
  if (spec) return spec;
  const created: JsonObject = {};
  obj.spec = created;
  return created;
}

/** The `strategy`-like field of `spec`, created with `type` when absent. */
function strategyOf(spec: JsonObject, field: string, type: string): JsonObject {
  const strategy = objectAt(spec, field) ?? {};
  spec[field] = strategy;
  fill(strategy, "type", type);
  return strategy;
}

function defaultRollingUpdate(strategy: JsonObject, values: JsonObject): void {
  if (strategy.type !== "RollingUpdate") return;
  const rolling = objectAt(strategy, "rollingUpdate") ?? {};
  strategy.rollingUpdate = rolling;
  for (const [field, value] of Object.entries(values)) fill(rolling, field, value);
}

function defaultDeployment(obj: JsonObject): void {
  const spec = specOf(obj);
  fill(spec, "replicas", 1);
  defaultRollingUpdate(strategyOf(spec, "strategy", "RollingUpdate"), {
    maxUnavailable: "25%",
    maxSurge: "25%",
  });
  fill(spec, "revisionHistoryLimit", 10);
  fill(spec, "progressDeadlineSeconds", 600);
  defaultPodTemplate(objectAt(spec, "template"));
}

function defaultReplicaSet(obj: JsonObject): void {
  const spec = specOf(obj);
  fill(spec, "replicas", 1);
  defaultPodTemplate(objectAt(spec, "template"));
}

/** `volumeMode: Filesystem` of a PersistentVolumeClaimSpec. */
function defaultClaimSpec(spec: JsonObject | undefined): void {
  if (spec) fill(spec, "volumeMode", "Filesystem");
}

function defaultStatefulSet(obj: JsonObject): void {
  const spec = specOf(obj);
  fill(spec, "replicas", 1);
  fill(spec, "podManagementPolicy", "OrderedReady");
  defaultRollingUpdate(strategyOf(spec, "updateStrategy", "RollingUpdate"), { partition: 0 });
  fill(spec, "revisionHistoryLimit", 10);
  const retention = objectAt(spec, "persistentVolumeClaimRetentionPolicy") ?? {};
  spec.persistentVolumeClaimRetentionPolicy = retention;
  fill(retention, "whenDeleted", "Retain");
  fill(retention, "whenScaled", "Retain");
  for (const claim of objectsAt(spec, "volumeClaimTemplates")) {
    defaultClaimSpec(objectAt(claim, "spec"));
  }
  defaultPodTemplate(objectAt(spec, "template"));
}

function defaultDaemonSet(obj: JsonObject): void {
  const spec = specOf(obj);
  defaultRollingUpdate(strategyOf(spec, "updateStrategy", "RollingUpdate"), {
    maxUnavailable: 1,
    maxSurge: 0,
  });
  fill(spec, "revisionHistoryLimit", 10);
  defaultPodTemplate(objectAt(spec, "template"));
}

function defaultJob(obj: JsonObject): void {
  const spec = specOf(obj);
  if (spec.completions == null && spec.parallelism == null) spec.completions = 1;
  fill(spec, "parallelism", 1);
  fill(spec, "backoffLimit", spec.backoffLimitPerIndex != null ? 2147483647 : 6);
  fill(spec, "completionMode", "NonIndexed");
  fill(spec, "suspend", false);
  fill(spec, "podReplacementPolicy", spec.podFailurePolicy ? "Failed" : "TerminatingOrFailed");
  const template = objectAt(spec, "template");
  const templateLabels = template && objectAt(template, "metadata")?.labels;
  const metadata = objectAt(obj, "metadata");
  if (metadata && templateLabels && Object.keys(objectAt(metadata, "labels") ?? {}).length === 0) {
    metadata.labels = structuredClone(templateLabels);
  }
  defaultPodTemplate(template);
}

function defaultCronJob(obj: JsonObject): void {
  const spec = specOf(obj);
  fill(spec, "concurrencyPolicy", "Allow");
  fill(spec, "suspend", false);
  fill(spec, "successfulJobsHistoryLimit", 3);
  fill(spec, "failedJobsHistoryLimit", 1);
  const jobTemplate = objectAt(spec, "jobTemplate");
  const jobSpec = jobTemplate && objectAt(jobTemplate, "spec");
  if (jobSpec) defaultPodTemplate(objectAt(jobSpec, "template"));
}

function defaultPod(obj: JsonObject): void {
  defaultPodSpec(specOf(obj), true);
}

function defaultSecret(obj: JsonObject): void {
  fill(obj, "type", "Opaque");
}

function defaultClaim(obj: JsonObject): void {
  defaultClaimSpec(specOf(obj));
}

/** The defaulter of each built-in kind that has defaults, by storage resource. */
const DEFAULTERS: Record<string, (obj: JsonObject) => void> = {
  "/pods": defaultPod,
  "/podtemplates": (obj) => defaultPodTemplate(objectAt(obj, "template")),
  "/replicationcontrollers": defaultReplicaSet,
  "/services": defaultService,
  "/secrets": defaultSecret,
  "/persistentvolumeclaims": defaultClaim,
  "apps/deployments": defaultDeployment,
  "apps/replicasets": defaultReplicaSet,
  "apps/statefulsets": defaultStatefulSet,
  "apps/daemonsets": defaultDaemonSet,
  "batch/jobs": defaultJob,
  "batch/cronjobs": defaultCronJob,
};

/** True when objects of the storage resource have server defaults. */
export function hasBuiltinDefaults(storageResource: string): boolean {
  return Object.hasOwn(DEFAULTERS, storageResource);
}

/** Applies the defaults of a built-in kind to `object` (in place) and returns it. */
export function defaultBuiltinObject<T extends KubeObject>(storageResource: string, object: T): T {
  if (hasBuiltinDefaults(storageResource)) {
    DEFAULTERS[storageResource](object as unknown as JsonObject);
  }
  return object;
}

/** The parts of an admission request (`server/cluster_backend.ts`) defaulting looks at. */
export interface DefaultingRequest {
  operation: "CREATE" | "UPDATE" | "DELETE";
  def: ResourceDef;
  object?: KubeObject;
  oldObject?: KubeObject;
  subresource?: string;
}

/**
 * Kube-mode admission of defaults: on CREATE and UPDATE of a built-in kind, the kind's
 * defaults, and for Services the cluster IP and node ports (`services` lists the
 * cluster's stored Services). Status writes are left as they are.
 */
export function admitBuiltinDefaults(req: DefaultingRequest, services: ServiceLister): void {
  const { object, def } = req;
  if (!object || def.source !== "builtin" || req.operation === "DELETE") return;
  if (req.subresource === "status" || !hasBuiltinDefaults(def.storageResource)) return;
  defaultBuiltinObject(def.storageResource, object);
  if (def.storageResource === "/services") {
    allocateServiceAddresses(object, req.oldObject, services);
  }
}
