/**
 * The built-in groups only a plain Kubernetes API serves (kube mode): apps, batch,
 * networking, policy, autoscaling, storage, scheduling and apiregistration (APIServices
 * are stored; nothing is aggregated). kcp's generic control plane
 * does not serve them (kcp-spec §8.1); there they arrive through APIBindings (e.g.
 * `root:compute`'s `kubernetes` export, §2.8) built from these definitions.
 *
 * @module
 */
import { builtin } from "./builtin_def.ts";
import type { ResourceDef } from "./resource_def.ts";

/** apps/v1, batch/v1, networking.k8s.io/v1, policy/v1, autoscaling/v2, storage, scheduling. */
export function workloadGroups(): ResourceDef[] {
  const apps = "apps";
  const net = "networking.k8s.io";
  return [
    builtin({
      group: apps,
      version: "v1",
      resource: "controllerrevisions",
      kind: "ControllerRevision",
      namespaced: true,
    }),
    builtin({
      group: apps,
      version: "v1",
      resource: "daemonsets",
      kind: "DaemonSet",
      namespaced: true,
      shortNames: ["ds"],
      categories: ["all"],
      status: true,
    }),
    builtin({
      group: apps,
      version: "v1",
      resource: "deployments",
      kind: "Deployment",
      namespaced: true,
      shortNames: ["deploy"],
      categories: ["all"],
      status: true,
      scale: true,
    }),
    builtin({
      group: apps,
      version: "v1",
      resource: "replicasets",
      kind: "ReplicaSet",
      namespaced: true,
      shortNames: ["rs"],
      categories: ["all"],
      status: true,
      scale: true,
    }),
    builtin({
      group: apps,
      version: "v1",
      resource: "statefulsets",
      kind: "StatefulSet",
      namespaced: true,
      shortNames: ["sts"],
      categories: ["all"],
      status: true,
      scale: true,
    }),
    builtin({
      group: "autoscaling",
      version: "v2",
      resource: "horizontalpodautoscalers",
      kind: "HorizontalPodAutoscaler",
      namespaced: true,
      shortNames: ["hpa"],
      categories: ["all"],
      status: true,
    }),
    builtin({
      group: "batch",
      version: "v1",
      resource: "cronjobs",
      kind: "CronJob",
      namespaced: true,
      shortNames: ["cj"],
      categories: ["all"],
      status: true,
    }),
    builtin({
      group: "batch",
      version: "v1",
      resource: "jobs",
      kind: "Job",
      namespaced: true,
      categories: ["all"],
      status: true,
    }),
    builtin({
      group: net,
      version: "v1",
      resource: "ingressclasses",
      kind: "IngressClass",
      namespaced: false,
    }),
    builtin({
      group: net,
      version: "v1",
      resource: "ingresses",
      kind: "Ingress",
      namespaced: true,
      shortNames: ["ing"],
      status: true,
    }),
    builtin({
      group: net,
      version: "v1",
      resource: "networkpolicies",
      kind: "NetworkPolicy",
      namespaced: true,
      shortNames: ["netpol"],
    }),
    builtin({
      group: "policy",
      version: "v1",
      resource: "poddisruptionbudgets",
      kind: "PodDisruptionBudget",
      namespaced: true,
      shortNames: ["pdb"],
      status: true,
    }),
    builtin({
      group: "scheduling.k8s.io",
      version: "v1",
      resource: "priorityclasses",
      kind: "PriorityClass",
      namespaced: false,
      shortNames: ["pc"],
    }),
    // Stored only: no aggregated API server is ever proxied to.
    builtin({
      group: "apiregistration.k8s.io",
      version: "v1",
      resource: "apiservices",
      kind: "APIService",
      namespaced: false,
      status: true,
      categories: ["api-extensions"],
    }),
    // Stored only: API Priority and Fairness is not enforced (an edge cluster's FlowSchemas
    // and PriorityLevelConfigurations can be placed and read back; docs/denaturing.md).
    builtin({
      group: "flowcontrol.apiserver.k8s.io",
      version: "v1",
      resource: "flowschemas",
      kind: "FlowSchema",
      namespaced: false,
      status: true,
    }),
    builtin({
      group: "flowcontrol.apiserver.k8s.io",
      version: "v1",
      resource: "prioritylevelconfigurations",
      kind: "PriorityLevelConfiguration",
      namespaced: false,
      status: true,
    }),
    builtin({
      group: "storage.k8s.io",
      version: "v1",
      resource: "storageclasses",
      kind: "StorageClass",
      namespaced: false,
      shortNames: ["sc"],
    }),
  ];
}
