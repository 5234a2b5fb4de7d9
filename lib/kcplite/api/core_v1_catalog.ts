/**
 * The core (`v1`) built-in resources: the part every control plane serves (kcp's
 * generic control plane, kcp-spec §8.1) and the workload part only a plain Kubernetes
 * API serves (pods, services, nodes, volumes, …).
 *
 * Their schemas are Kubernetes' own (`builtin_schemas.ts`), looked up by `builtin()`.
 *
 * @module
 */
import { builtin, STATUS_VERBS } from "./builtin_def.ts";
import type { ResourceDef } from "./resource_def.ts";

/** Core resources served by every control plane (kcp's generic control plane included). */
export function coreV1Generic(): ResourceDef[] {
  const v = "v1";
  return [
    builtin({
      version: v,
      resource: "configmaps",
      kind: "ConfigMap",
      namespaced: true,
      shortNames: ["cm"],
    }),
    builtin({
      version: v,
      resource: "events",
      kind: "Event",
      namespaced: true,
      shortNames: ["ev"],
    }),
    builtin({
      version: v,
      resource: "limitranges",
      kind: "LimitRange",
      namespaced: true,
      shortNames: ["limits"],
    }),
    builtin({
      version: v,
      resource: "namespaces",
      kind: "Namespace",
      namespaced: false,
      shortNames: ["ns"],
      verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
      status: true,
      extraSubresources: [{ name: "finalize", kind: "Namespace", verbs: ["update"] }],
    }),
    builtin({
      version: v,
      resource: "resourcequotas",
      kind: "ResourceQuota",
      namespaced: true,
      shortNames: ["quota"],
      status: true,
    }),
    builtin({
      version: v,
      resource: "secrets",
      kind: "Secret",
      namespaced: true,
    }),
    builtin({
      version: v,
      resource: "serviceaccounts",
      kind: "ServiceAccount",
      namespaced: true,
      shortNames: ["sa"],
      extraSubresources: [{
        name: "token",
        kind: "TokenRequest",
        group: "authentication.k8s.io",
        version: "v1",
        verbs: ["create"],
      }],
    }),
  ];
}

/** Core resources only a plain Kubernetes API serves (not kcp's generic control plane). */
export function coreV1Workloads(): ResourceDef[] {
  const v = "v1";
  return [
    builtin({
      version: v,
      resource: "endpoints",
      kind: "Endpoints",
      singularName: "endpoints",
      namespaced: true,
      shortNames: ["ep"],
    }),
    builtin({
      version: v,
      resource: "nodes",
      kind: "Node",
      namespaced: false,
      shortNames: ["no"],
      status: true,
    }),
    builtin({
      version: v,
      resource: "persistentvolumeclaims",
      kind: "PersistentVolumeClaim",
      namespaced: true,
      shortNames: ["pvc"],
      status: true,
    }),
    builtin({
      version: v,
      resource: "persistentvolumes",
      kind: "PersistentVolume",
      namespaced: false,
      shortNames: ["pv"],
      status: true,
    }),
    builtin({
      version: v,
      resource: "pods",
      kind: "Pod",
      namespaced: true,
      shortNames: ["po"],
      categories: ["all"],
      status: true,
      extraSubresources: [
        { name: "binding", kind: "Binding", verbs: ["create"] },
        { name: "ephemeralcontainers", kind: "Pod", verbs: [...STATUS_VERBS] },
        {
          name: "eviction",
          kind: "Eviction",
          group: "policy",
          version: "v1",
          verbs: ["create"],
        },
        { name: "exec", kind: "PodExecOptions", verbs: ["create", "get"] },
        { name: "log", kind: "Pod", verbs: ["get"] },
        { name: "portforward", kind: "PodPortForwardOptions", verbs: ["create", "get"] },
      ],
    }),
    builtin({
      version: v,
      resource: "podtemplates",
      kind: "PodTemplate",
      namespaced: true,
    }),
    builtin({
      version: v,
      resource: "replicationcontrollers",
      kind: "ReplicationController",
      namespaced: true,
      shortNames: ["rc"],
      categories: ["all"],
      status: true,
      scale: true,
    }),
    builtin({
      version: v,
      resource: "services",
      kind: "Service",
      namespaced: true,
      shortNames: ["svc"],
      categories: ["all"],
      status: true,
      extraSubresources: [{
        name: "proxy",
        kind: "ServiceProxyOptions",
        verbs: ["create", "delete", "get", "patch", "update"],
      }],
    }),
  ];
}
