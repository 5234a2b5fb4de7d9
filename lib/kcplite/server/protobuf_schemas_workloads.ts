/**
 * Protobuf schemas of the workload kinds kubectl's generators create: apps/v1 Deployment
 * (`kubectl create deployment`) and batch/v1 Job and CronJob (`kubectl create job|cronjob`,
 * including `kubectl create job --from=cronjob/…`).
 *
 * @module
 */
import { LABEL_SELECTOR, OBJECT_META, OBJECT_REFERENCE } from "./protobuf_schemas_meta.ts";
import { POD_TEMPLATE_SPEC } from "./protobuf_schemas_pod.ts";
import {
  bool,
  int,
  intOrString,
  KEEP,
  msg,
  REP,
  type Schema,
  str,
  time,
} from "./protobuf_schemas_types.ts";

/** apps/v1 DeploymentSpec. */
const DEPLOYMENT_SPEC: Schema = {
  1: int("replicas", KEEP),
  2: msg("selector", LABEL_SELECTOR),
  3: msg("template", POD_TEMPLATE_SPEC),
  4: msg("strategy", {
    1: str("type"),
    2: msg("rollingUpdate", {
      1: intOrString("maxUnavailable", KEEP),
      2: intOrString("maxSurge", KEEP),
    }),
  }),
  5: int("minReadySeconds"),
  6: int("revisionHistoryLimit", KEEP),
  7: bool("paused"),
  9: int("progressDeadlineSeconds", KEEP),
};

/** apps/v1 DeploymentStatus. */
const DEPLOYMENT_STATUS: Schema = {
  1: int("observedGeneration"),
  2: int("replicas"),
  3: int("updatedReplicas"),
  4: int("availableReplicas"),
  5: int("unavailableReplicas"),
  6: msg("conditions", {
    1: str("type"),
    2: str("status"),
    4: str("reason"),
    5: str("message"),
    6: time("lastUpdateTime"),
    7: time("lastTransitionTime"),
  }, REP),
  7: int("readyReplicas"),
  8: int("collisionCount", KEEP),
  9: int("terminatingReplicas", KEEP),
};

/** apps/v1 Deployment. */
export const DEPLOYMENT: Schema = {
  1: msg("metadata", OBJECT_META),
  2: msg("spec", DEPLOYMENT_SPEC),
  3: msg("status", DEPLOYMENT_STATUS),
};

/** batch/v1 PodFailurePolicy. */
const POD_FAILURE_POLICY: Schema = {
  1: msg("rules", {
    1: str("action"),
    2: msg("onExitCodes", {
      1: str("containerName", KEEP),
      2: str("operator"),
      3: int("values", REP),
    }),
    3: msg("onPodConditions", { 1: str("type"), 2: str("status") }, REP),
  }, REP),
};

/** batch/v1 JobSpec. */
const JOB_SPEC: Schema = {
  1: int("parallelism", KEEP),
  2: int("completions", KEEP),
  3: int("activeDeadlineSeconds", KEEP),
  4: msg("selector", LABEL_SELECTOR),
  5: bool("manualSelector", KEEP),
  6: msg("template", POD_TEMPLATE_SPEC),
  7: int("backoffLimit", KEEP),
  8: int("ttlSecondsAfterFinished", KEEP),
  9: str("completionMode", KEEP),
  10: bool("suspend", KEEP),
  11: msg("podFailurePolicy", POD_FAILURE_POLICY),
  12: int("backoffLimitPerIndex", KEEP),
  13: int("maxFailedIndexes", KEEP),
  14: str("podReplacementPolicy", KEEP),
  15: str("managedBy", KEEP),
  16: msg("successPolicy", {
    1: msg("rules", { 1: str("succeededIndexes", KEEP), 2: int("succeededCount", KEEP) }, REP),
  }),
};

/** batch/v1 JobStatus. */
const JOB_STATUS: Schema = {
  1: msg("conditions", {
    1: str("type"),
    2: str("status"),
    3: time("lastProbeTime"),
    4: time("lastTransitionTime"),
    5: str("reason"),
    6: str("message"),
  }, REP),
  2: time("startTime"),
  3: time("completionTime"),
  4: int("active"),
  5: int("succeeded"),
  6: int("failed"),
  7: str("completedIndexes"),
  8: msg("uncountedTerminatedPods", { 1: str("succeeded", REP), 2: str("failed", REP) }),
  9: int("ready", KEEP),
  10: str("failedIndexes", KEEP),
  11: int("terminating", KEEP),
};

/** batch/v1 Job. */
export const JOB: Schema = {
  1: msg("metadata", OBJECT_META),
  2: msg("spec", JOB_SPEC),
  3: msg("status", JOB_STATUS),
};

/** batch/v1 CronJob. */
export const CRON_JOB: Schema = {
  1: msg("metadata", OBJECT_META),
  2: msg("spec", {
    1: str("schedule"),
    2: int("startingDeadlineSeconds", KEEP),
    3: str("concurrencyPolicy"),
    4: bool("suspend", KEEP),
    5: msg("jobTemplate", { 1: msg("metadata", OBJECT_META), 2: msg("spec", JOB_SPEC) }),
    6: int("successfulJobsHistoryLimit", KEEP),
    7: int("failedJobsHistoryLimit", KEEP),
    8: str("timeZone", KEEP),
  }),
  3: msg("status", {
    1: msg("active", OBJECT_REFERENCE, REP),
    4: time("lastScheduleTime"),
    5: time("lastSuccessfulTime"),
  }),
};
