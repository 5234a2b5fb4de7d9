/**
 * Protobuf schemas of core/v1 `PodSpec`, `PodTemplateSpec` and `Pod`: containers, the
 * common volume sources, scheduling (affinity, tolerations, topology spread), the pod
 * security context and DNS settings. Rare volume sources (cloud disks, iSCSI, …) are not
 * described: a body carrying them answers 415 rather than losing them.
 *
 * @module
 */
import { LABEL_SELECTOR, OBJECT_META } from "./protobuf_schemas_meta.ts";
import {
  CONTAINER,
  RESOURCE_REQUIREMENTS,
  SE_LINUX_OPTIONS,
  SECURITY_PROFILE,
  WINDOWS_OPTIONS,
} from "./protobuf_schemas_container.ts";
import {
  bool,
  INLINE,
  int,
  KEEP,
  LOCAL_OBJECT_REFERENCE,
  mapOf,
  msg,
  quantity,
  REP,
  type Schema,
  str,
  strMap,
  time,
} from "./protobuf_schemas_types.ts";

const KEY_TO_PATH: Schema = { 1: str("key"), 2: str("path"), 3: int("mode", KEEP) };

const OBJECT_FIELD_SELECTOR: Schema = { 1: str("apiVersion"), 2: str("fieldPath") };
const RESOURCE_FIELD_SELECTOR: Schema = {
  1: str("containerName"),
  2: str("resource"),
  3: quantity("divisor"),
};
const DOWNWARD_API_FILE: Schema = {
  1: str("path"),
  2: msg("fieldRef", OBJECT_FIELD_SELECTOR),
  3: msg("resourceFieldRef", RESOURCE_FIELD_SELECTOR),
  4: int("mode", KEEP),
};

/** A ConfigMap or Secret projection: {localObjectReference (inline), items, optional=4}. */
const KEYS_PROJECTION: Schema = {
  1: msg("", LOCAL_OBJECT_REFERENCE, INLINE),
  2: msg("items", KEY_TO_PATH, REP),
  4: bool("optional", KEEP),
};

const VOLUME_PROJECTION: Schema = {
  1: msg("secret", KEYS_PROJECTION),
  2: msg("downwardAPI", { 1: msg("items", DOWNWARD_API_FILE, REP) }),
  3: msg("configMap", KEYS_PROJECTION),
  4: msg("serviceAccountToken", {
    1: str("audience"),
    2: int("expirationSeconds", KEEP),
    3: str("path"),
  }),
};

/** core/v1 VolumeSource, the common sources. */
const VOLUME_SOURCE: Schema = {
  1: msg("hostPath", { 1: str("path"), 2: str("type", KEEP) }),
  2: msg("emptyDir", { 1: str("medium"), 2: quantity("sizeLimit") }),
  6: msg("secret", {
    1: str("secretName"),
    2: msg("items", KEY_TO_PATH, REP),
    3: int("defaultMode", KEEP),
    4: bool("optional", KEEP),
  }),
  7: msg("nfs", { 1: str("server"), 2: str("path"), 3: bool("readOnly") }),
  10: msg("persistentVolumeClaim", { 1: str("claimName"), 2: bool("readOnly") }),
  16: msg("downwardAPI", {
    1: msg("items", DOWNWARD_API_FILE, REP),
    2: int("defaultMode", KEEP),
  }),
  19: msg("configMap", {
    1: msg("", LOCAL_OBJECT_REFERENCE, INLINE),
    2: msg("items", KEY_TO_PATH, REP),
    3: int("defaultMode", KEEP),
    4: bool("optional", KEEP),
  }),
  26: msg("projected", {
    1: msg("sources", VOLUME_PROJECTION, REP),
    2: int("defaultMode", KEEP),
  }),
  28: msg("csi", {
    1: str("driver"),
    2: bool("readOnly", KEEP),
    3: str("fsType", KEEP),
    4: strMap("volumeAttributes"),
    5: msg("nodePublishSecretRef", LOCAL_OBJECT_REFERENCE),
  }),
  30: msg("image", { 1: str("reference"), 2: str("pullPolicy") }),
};

/** core/v1 Volume: a name and its (inlined) source. */
const VOLUME: Schema = { 1: str("name"), 2: msg("", VOLUME_SOURCE, INLINE) };

const NODE_SELECTOR_REQUIREMENT: Schema = {
  1: str("key"),
  2: str("operator"),
  3: str("values", REP),
};
const NODE_SELECTOR_TERM: Schema = {
  1: msg("matchExpressions", NODE_SELECTOR_REQUIREMENT, REP),
  2: msg("matchFields", NODE_SELECTOR_REQUIREMENT, REP),
};
const POD_AFFINITY_TERM: Schema = {
  1: msg("labelSelector", LABEL_SELECTOR),
  2: str("namespaces", REP),
  3: str("topologyKey"),
  4: msg("namespaceSelector", LABEL_SELECTOR),
  5: str("matchLabelKeys", REP),
  6: str("mismatchLabelKeys", REP),
};
const POD_AFFINITY: Schema = {
  1: msg("requiredDuringSchedulingIgnoredDuringExecution", POD_AFFINITY_TERM, REP),
  2: msg(
    "preferredDuringSchedulingIgnoredDuringExecution",
    { 1: int("weight", KEEP), 2: msg("podAffinityTerm", POD_AFFINITY_TERM) },
    REP,
  ),
};

/** core/v1 Affinity. */
const AFFINITY: Schema = {
  1: msg("nodeAffinity", {
    1: msg("requiredDuringSchedulingIgnoredDuringExecution", {
      1: msg("nodeSelectorTerms", NODE_SELECTOR_TERM, REP),
    }),
    2: msg(
      "preferredDuringSchedulingIgnoredDuringExecution",
      { 1: int("weight", KEEP), 2: msg("preference", NODE_SELECTOR_TERM) },
      REP,
    ),
  }),
  2: msg("podAffinity", POD_AFFINITY),
  3: msg("podAntiAffinity", POD_AFFINITY),
};

const TOLERATION: Schema = {
  1: str("key"),
  2: str("operator"),
  3: str("value"),
  4: str("effect"),
  5: int("tolerationSeconds", KEEP),
};

const POD_SECURITY_CONTEXT: Schema = {
  1: msg("seLinuxOptions", SE_LINUX_OPTIONS),
  2: int("runAsUser", KEEP),
  3: bool("runAsNonRoot", KEEP),
  4: int("supplementalGroups", REP),
  5: int("fsGroup", KEEP),
  6: int("runAsGroup", KEEP),
  7: msg("sysctls", { 1: str("name"), 2: str("value") }, REP),
  8: msg("windowsOptions", WINDOWS_OPTIONS),
  9: str("fsGroupChangePolicy", KEEP),
  10: msg("seccompProfile", SECURITY_PROFILE),
  11: msg("appArmorProfile", SECURITY_PROFILE),
  12: str("supplementalGroupsPolicy", KEEP),
  13: str("seLinuxChangePolicy", KEEP),
};

const TOPOLOGY_SPREAD_CONSTRAINT: Schema = {
  1: int("maxSkew", KEEP),
  2: str("topologyKey"),
  3: str("whenUnsatisfiable"),
  4: msg("labelSelector", LABEL_SELECTOR),
  5: int("minDomains", KEEP),
  6: str("nodeAffinityPolicy", KEEP),
  7: str("nodeTaintsPolicy", KEEP),
  8: str("matchLabelKeys", REP),
};

/** core/v1 PodSpec. */
export const POD_SPEC: Schema = {
  1: msg("volumes", VOLUME, REP),
  2: msg("containers", CONTAINER, REP),
  3: str("restartPolicy"),
  4: int("terminationGracePeriodSeconds", KEEP),
  5: int("activeDeadlineSeconds", KEEP),
  6: str("dnsPolicy"),
  7: strMap("nodeSelector"),
  8: str("serviceAccountName"),
  9: str("serviceAccount"),
  10: str("nodeName"),
  11: bool("hostNetwork"),
  12: bool("hostPID"),
  13: bool("hostIPC"),
  14: msg("securityContext", POD_SECURITY_CONTEXT),
  15: msg("imagePullSecrets", LOCAL_OBJECT_REFERENCE, REP),
  16: str("hostname"),
  17: str("subdomain"),
  18: msg("affinity", AFFINITY),
  19: str("schedulerName"),
  20: msg("initContainers", CONTAINER, REP),
  21: bool("automountServiceAccountToken", KEEP),
  22: msg("tolerations", TOLERATION, REP),
  23: msg("hostAliases", { 1: str("ip"), 2: str("hostnames", REP) }, REP),
  24: str("priorityClassName"),
  25: int("priority", KEEP),
  26: msg("dnsConfig", {
    1: str("nameservers", REP),
    2: str("searches", REP),
    3: msg("options", { 1: str("name"), 2: str("value", KEEP) }, REP),
  }),
  27: bool("shareProcessNamespace", KEEP),
  28: msg("readinessGates", { 1: str("conditionType") }, REP),
  29: str("runtimeClassName", KEEP),
  30: bool("enableServiceLinks", KEEP),
  31: str("preemptionPolicy", KEEP),
  32: mapOf("overhead", "quantity"),
  33: msg("topologySpreadConstraints", TOPOLOGY_SPREAD_CONSTRAINT, REP),
  34: msg(
    "ephemeralContainers",
    { 1: msg("", CONTAINER, INLINE), 2: str("targetContainerName") },
    REP,
  ),
  35: bool("setHostnameAsFQDN", KEEP),
  36: msg("os", { 1: str("name") }),
  37: bool("hostUsers", KEEP),
  38: msg("schedulingGates", { 1: str("name") }, REP),
  39: msg(
    "resourceClaims",
    {
      1: str("name"),
      3: str("resourceClaimName", KEEP),
      4: str("resourceClaimTemplateName", KEEP),
    },
    REP,
  ),
  40: msg("resources", RESOURCE_REQUIREMENTS),
};

/** core/v1 PodTemplateSpec. */
export const POD_TEMPLATE_SPEC: Schema = {
  1: msg("metadata", OBJECT_META),
  2: msg("spec", POD_SPEC),
};

/** core/v1 PodStatus: what a client may send (generators send it empty). */
const POD_STATUS: Schema = {
  1: str("phase"),
  3: str("message"),
  4: str("reason"),
  5: str("hostIP"),
  6: str("podIP"),
  7: time("startTime"),
  9: str("qosClass"),
  11: str("nominatedNodeName"),
  12: msg("podIPs", { 1: str("ip") }, REP),
  14: str("resize"),
  16: msg("hostIPs", { 1: str("ip") }, REP),
  17: int("observedGeneration"),
};

/** core/v1 Pod. */
export const POD: Schema = {
  1: msg("metadata", OBJECT_META),
  2: msg("spec", POD_SPEC),
  3: msg("status", POD_STATUS),
};
