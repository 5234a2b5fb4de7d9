/**
 * The object kinds whose Kubernetes protobuf bodies kcp-lite decodes, by `apiVersion/kind`:
 * what kubectl 1.32's typed generators send (`kubectl create namespace|configmap|secret|
 * serviceaccount|token|service|quota|role|clusterrole|rolebinding|clusterrolebinding|
 * deployment|job|cronjob|ingress|poddisruptionbudget|priorityclass`), plus Pod and the
 * DeleteOptions of typed deletes. Field numbers follow the upstream `generated.proto` files.
 *
 * @module
 */
import {
  CONDITION,
  DELETE_OPTIONS,
  LABEL_SELECTOR,
  OBJECT_META,
  OBJECT_REFERENCE,
  TYPED_LOCAL_OBJECT_REFERENCE,
} from "./protobuf_schemas_meta.ts";
import { POD } from "./protobuf_schemas_pod.ts";
import { CRON_JOB, DEPLOYMENT, JOB } from "./protobuf_schemas_workloads.ts";
import {
  bool,
  INLINE,
  int,
  intOrString,
  KEEP,
  LOCAL_OBJECT_REFERENCE,
  mapOf,
  msg,
  REP,
  type Schema,
  str,
  strMap,
} from "./protobuf_schemas_types.ts";

const POLICY_RULE: Schema = {
  1: str("verbs", REP),
  2: str("apiGroups", REP),
  3: str("resources", REP),
  4: str("resourceNames", REP),
  5: str("nonResourceURLs", REP),
};

const BINDING: Schema = {
  1: msg("metadata", OBJECT_META),
  2: msg("subjects", {
    1: str("kind"),
    2: str("apiGroup"),
    3: str("name"),
    4: str("namespace"),
  }, REP),
  3: msg("roleRef", { 1: str("apiGroup"), 2: str("kind"), 3: str("name") }),
};

const PORT_STATUS: Schema = { 1: int("port", KEEP), 2: str("protocol"), 3: str("error", KEEP) };

const SERVICE_PORT: Schema = {
  1: str("name"),
  2: str("protocol"),
  3: int("port", KEEP),
  4: intOrString("targetPort"),
  5: int("nodePort"),
  6: str("appProtocol", KEEP),
};

const SERVICE: Schema = {
  1: msg("metadata", OBJECT_META),
  2: msg("spec", {
    1: msg("ports", SERVICE_PORT, REP),
    2: strMap("selector"),
    3: str("clusterIP"),
    4: str("type"),
    5: str("externalIPs", REP),
    7: str("sessionAffinity"),
    8: str("loadBalancerIP"),
    9: str("loadBalancerSourceRanges", REP),
    10: str("externalName"),
    11: str("externalTrafficPolicy"),
    12: int("healthCheckNodePort"),
    13: bool("publishNotReadyAddresses"),
    14: msg("sessionAffinityConfig", { 1: msg("clientIP", { 1: int("timeoutSeconds", KEEP) }) }),
    17: str("ipFamilyPolicy", KEEP),
    18: str("clusterIPs", REP),
    19: str("ipFamilies", REP),
    20: bool("allocateLoadBalancerNodePorts", KEEP),
    21: str("loadBalancerClass", KEEP),
    22: str("internalTrafficPolicy", KEEP),
    23: str("trafficDistribution", KEEP),
  }),
  3: msg("status", {
    1: msg("loadBalancer", {
      1: msg("ingress", {
        1: str("ip"),
        2: str("hostname"),
        3: str("ipMode", KEEP),
        4: msg("ports", PORT_STATUS, REP),
      }, REP),
    }),
    2: msg("conditions", CONDITION, REP),
  }),
};

const RESOURCE_QUOTA: Schema = {
  1: msg("metadata", OBJECT_META),
  2: msg("spec", {
    1: mapOf("hard", "quantity"),
    2: str("scopes", REP),
    3: msg("scopeSelector", {
      1: msg("matchExpressions", {
        1: str("scopeName"),
        2: str("operator"),
        3: str("values", REP),
      }, REP),
    }),
  }),
  3: msg("status", { 1: mapOf("hard", "quantity"), 2: mapOf("used", "quantity") }),
};

const TOKEN_REQUEST: Schema = {
  1: msg("metadata", OBJECT_META),
  2: msg("spec", {
    1: str("audiences", REP),
    3: msg("boundObjectRef", {
      1: str("kind"),
      2: str("apiVersion"),
      3: str("name"),
      4: str("uid"),
    }),
    4: int("expirationSeconds", KEEP),
  }),
  3: msg("status", { 1: str("token"), 2: { name: "expirationTimestamp", type: "time" } }),
};

const INGRESS_BACKEND: Schema = {
  3: msg("resource", TYPED_LOCAL_OBJECT_REFERENCE),
  4: msg("service", {
    1: str("name"),
    2: msg("port", { 1: str("name"), 2: int("number") }),
  }),
};

const INGRESS: Schema = {
  1: msg("metadata", OBJECT_META),
  2: msg("spec", {
    1: msg("defaultBackend", INGRESS_BACKEND),
    2: msg("tls", { 1: str("hosts", REP), 2: str("secretName") }, REP),
    3: msg("rules", {
      1: str("host"),
      2: msg("", {
        1: msg("http", {
          1: msg("paths", {
            1: str("path"),
            2: msg("backend", INGRESS_BACKEND),
            3: str("pathType", KEEP),
          }, REP),
        }),
      }, INLINE),
    }, REP),
    4: str("ingressClassName", KEEP),
  }),
  3: msg("status", {
    1: msg("loadBalancer", {
      1: msg("ingress", {
        1: str("ip"),
        2: str("hostname"),
        4: msg("ports", PORT_STATUS, REP),
      }, REP),
    }),
  }),
};

const POD_DISRUPTION_BUDGET: Schema = {
  1: msg("metadata", OBJECT_META),
  2: msg("spec", {
    1: intOrString("minAvailable", KEEP),
    2: msg("selector", LABEL_SELECTOR),
    3: intOrString("maxUnavailable", KEEP),
    4: str("unhealthyPodEvictionPolicy", KEEP),
  }),
  3: msg("status", {
    1: int("observedGeneration"),
    2: mapOf("disruptedPods", "time"),
    3: int("disruptionsAllowed", KEEP),
    4: int("currentHealthy", KEEP),
    5: int("desiredHealthy", KEEP),
    6: int("expectedPods", KEEP),
    7: msg("conditions", CONDITION, REP),
  }),
};

const PRIORITY_CLASS: Schema = {
  1: msg("metadata", OBJECT_META),
  2: int("value", KEEP),
  3: bool("globalDefault"),
  4: str("description"),
  5: str("preemptionPolicy", KEEP),
};

/** Object schemas by `apiVersion/kind`. */
export const PROTOBUF_KINDS: Readonly<Record<string, Schema>> = {
  "v1/DeleteOptions": DELETE_OPTIONS,
  "meta.k8s.io/v1/DeleteOptions": DELETE_OPTIONS,
  "v1/Namespace": {
    1: msg("metadata", OBJECT_META),
    2: msg("spec", { 1: str("finalizers", REP) }),
    3: msg("status", {
      1: str("phase"),
      2: msg("conditions", CONDITION, REP),
    }),
  },
  "v1/ConfigMap": {
    1: msg("metadata", OBJECT_META),
    2: strMap("data"),
    3: mapOf("binaryData", "bytes"),
    4: bool("immutable", KEEP),
  },
  "v1/Secret": {
    1: msg("metadata", OBJECT_META),
    2: mapOf("data", "bytes"),
    3: str("type"),
    4: strMap("stringData"),
    5: bool("immutable", KEEP),
  },
  "v1/ServiceAccount": {
    1: msg("metadata", OBJECT_META),
    2: msg("secrets", OBJECT_REFERENCE, REP),
    3: msg("imagePullSecrets", LOCAL_OBJECT_REFERENCE, REP),
    4: bool("automountServiceAccountToken", KEEP),
  },
  "v1/Service": SERVICE,
  "v1/ResourceQuota": RESOURCE_QUOTA,
  "v1/Pod": POD,
  "authentication.k8s.io/v1/TokenRequest": TOKEN_REQUEST,
  "rbac.authorization.k8s.io/v1/Role": {
    1: msg("metadata", OBJECT_META),
    2: msg("rules", POLICY_RULE, REP),
  },
  "rbac.authorization.k8s.io/v1/ClusterRole": {
    1: msg("metadata", OBJECT_META),
    2: msg("rules", POLICY_RULE, REP),
    3: msg("aggregationRule", { 1: msg("clusterRoleSelectors", LABEL_SELECTOR, REP) }),
  },
  "rbac.authorization.k8s.io/v1/RoleBinding": BINDING,
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": BINDING,
  "apps/v1/Deployment": DEPLOYMENT,
  "batch/v1/Job": JOB,
  "batch/v1/CronJob": CRON_JOB,
  "networking.k8s.io/v1/Ingress": INGRESS,
  "policy/v1/PodDisruptionBudget": POD_DISRUPTION_BUDGET,
  "scheduling.k8s.io/v1/PriorityClass": PRIORITY_CLASS,
};
