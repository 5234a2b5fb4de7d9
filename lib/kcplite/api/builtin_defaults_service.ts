/**
 * The Kubernetes API server's field defaults of a Service (core/v1 `SetDefaults_Service`
 * plus the IP-family fields the Service registry fills in on a single-stack IPv4
 * cluster): type ClusterIP, sessionAffinity None, ports' protocol TCP and targetPort =
 * port, the traffic policies, ipFamilyPolicy and ipFamilies. The addresses (cluster IP,
 * node ports) are allocated separately, in `service_allocation.ts`.
 *
 * @example
 * ```ts
 * const svc = { apiVersion: "v1", kind: "Service", metadata: { name: "web" },
 *   spec: { ports: [{ port: 80 }] } };
 * defaultService(svc);
 * svc.spec.ports[0]; // { port: 80, protocol: "TCP", targetPort: 80 }
 * ```
 *
 * @module
 */
import { fill, type JsonObject, objectAt, objectsAt } from "./builtin_defaults_pod.ts";

/** Types whose Services get a cluster IP. */
const CLUSTER_IP_TYPES = new Set(["ClusterIP", "NodePort", "LoadBalancer"]);

/** True for Service types that expose node ports. */
export function exposesNodePorts(spec: JsonObject): boolean {
  return spec.type === "NodePort" ||
    (spec.type === "LoadBalancer" && spec.allocateLoadBalancerNodePorts !== false);
}

/** True for Service types that get a cluster IP (all but ExternalName). */
export function hasClusterIp(spec: JsonObject): boolean {
  return CLUSTER_IP_TYPES.has(String(spec.type));
}

/** True for a headless Service (`clusterIP: None`). */
export function isHeadless(spec: JsonObject): boolean {
  return spec.clusterIP === "None" ||
    (Array.isArray(spec.clusterIPs) && spec.clusterIPs[0] === "None");
}

function defaultPort(port: JsonObject): void {
  fill(port, "protocol", "TCP");
  if (
    port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 ||
    port.targetPort === ""
  ) {
    port.targetPort = port.port;
  }
}

/** Defaults of a Service in place. */
export function defaultService(obj: JsonObject): void {
  const spec = objectAt(obj, "spec") ?? {};
  obj.spec = spec;
  fill(spec, "type", "ClusterIP");
  fill(spec, "sessionAffinity", "None");
  if (spec.sessionAffinity === "ClientIP") {
    const config = objectAt(spec, "sessionAffinityConfig") ?? {};
    spec.sessionAffinityConfig = config;
    const clientIP = objectAt(config, "clientIP") ?? {};
    config.clientIP = clientIP;
    fill(clientIP, "timeoutSeconds", 10800);
  }
  for (const port of objectsAt(spec, "ports")) defaultPort(port);
  if (spec.type === "NodePort" || spec.type === "LoadBalancer") {
    fill(spec, "externalTrafficPolicy", "Cluster");
  }
  if (spec.type === "LoadBalancer") fill(spec, "allocateLoadBalancerNodePorts", true);
  if (!hasClusterIp(spec)) return;
  fill(spec, "internalTrafficPolicy", "Cluster");
  const selectorless = Object.keys(objectAt(spec, "selector") ?? {}).length === 0;
  fill(
    spec,
    "ipFamilyPolicy",
    isHeadless(spec) && selectorless ? "RequireDualStack" : "SingleStack",
  );
  if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) spec.ipFamilies = ["IPv4"];
}
