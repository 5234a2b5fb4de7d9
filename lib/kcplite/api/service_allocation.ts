/**
 * Cluster IPs and node ports of Services, as a kube-mode API server allocates them: a
 * cluster IP from the service CIDR 10.96.0.0/12 for ClusterIP, NodePort and LoadBalancer
 * Services that set none (`None` stays headless), a node port from 30000–32767 for each
 * port of a NodePort or LoadBalancer Service that sets none (and a health-check node port
 * for a LoadBalancer with `externalTrafficPolicy: Local`). Addresses are unique per
 * cluster: what is in use is read from the cluster's stored Services at each allocation,
 * so it survives restarts and frees itself when a Service is deleted. An explicit address
 * another Service holds is refused (422). Like the real allocators, dynamic allocation
 * takes the upper band first (from 10.96.1.0 and 30128), leaving the lower band to
 * explicit choices. On update, values the client left out are carried over from the
 * stored Service; a type change that no longer needs them drops the unchanged ones.
 *
 * @example
 * ```ts
 * allocateServiceAddresses(svc, undefined, () => storedServices);
 * svc.spec.clusterIP; // "10.96.1.0" in an empty cluster
 * ```
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import { type JsonObject, objectAt, objectsAt } from "./builtin_defaults_pod.ts";
import { exposesNodePorts, hasClusterIp } from "./builtin_defaults_service.ts";
import { StatusError } from "./status_error.ts";

/** The Services stored in the cluster now. */
export type ServiceLister = () => KubeObject[];

/** The service CIDR's first address (10.96.0.0) as a number, and its size (/12). */
const CIDR_BASE = (10 << 24) + (96 << 16);
const CIDR_SIZE = 1 << 20;
/** Offsets below this are the static band (explicit IPs); dynamic allocation starts here. */
const IP_DYNAMIC_START = 256;

/** The node port range and where dynamic allocation starts in it. */
export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;
const PORT_DYNAMIC_START = 30128;

function ipOf(offset: number): string {
  const n = CIDR_BASE + offset;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** The lowest free value from `start` to `end`, then from `low` to `start`; undefined when full. */
function firstFree(used: Set<number>, low: number, start: number, end: number) {
  for (let v = start; v <= end; v++) if (!used.has(v)) return v;
  for (let v = low; v < start; v++) if (!used.has(v)) return v;
  return undefined;
}

/** Addresses held by the other Services of the cluster. */
interface UsedAddresses {
  ips: Set<string>;
  ports: Set<number>;
}

function nodePortsOf(spec: JsonObject): number[] {
  const ports = objectsAt(spec, "ports").map((p) => p.nodePort);
  return [...ports, spec.healthCheckNodePort].filter((p): p is number =>
    typeof p === "number" && p > 0
  );
}

function usedByOthers(svc: KubeObject, services: ServiceLister): UsedAddresses {
  const used: UsedAddresses = { ips: new Set(), ports: new Set() };
  const { namespace, name } = svc.metadata ?? {};
  for (const other of services()) {
    if (other.metadata?.namespace === namespace && other.metadata?.name === name) continue;
    const spec = (other.spec ?? {}) as JsonObject;
    const ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [spec.clusterIP];
    for (const ip of ips) if (typeof ip === "string" && ip !== "None") used.ips.add(ip);
    for (const port of nodePortsOf(spec)) used.ports.add(port);
  }
  return used;
}

function invalid(svc: KubeObject, field: string, value: unknown, why: string): StatusError {
  return StatusError.invalid("Service", "", String(svc.metadata?.name ?? ""), [{
    field,
    message: `Invalid value: ${JSON.stringify(value)}: ${why}`,
  }]);
}

/** How a port is matched to the stored one: by name (unique), unnamed ones by number. */
function portKey(port: JsonObject): string {
  return port.name ? `name:${port.name}` : `port:${port.port}`;
}

/** Carries over from the stored Service what an update left out, drops what no longer fits. */
function carryOver(spec: JsonObject, old: JsonObject): void {
  if (hasClusterIp(spec) && hasClusterIp(old)) {
    if (!spec.clusterIP && !spec.clusterIPs) {
      spec.clusterIP = old.clusterIP;
      spec.clusterIPs = old.clusterIPs;
    }
  } else if (!hasClusterIp(spec) && spec.clusterIP === old.clusterIP) {
    for (const f of ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"]) delete spec[f];
  }
  const oldPorts = new Map(objectsAt(old, "ports").map((p) => [portKey(p), p.nodePort]));
  if (exposesNodePorts(spec) && exposesNodePorts(old)) {
    const taken = new Set(nodePortsOf(spec));
    for (const port of objectsAt(spec, "ports")) {
      const previous = oldPorts.get(portKey(port));
      if (port.nodePort == null && typeof previous === "number" && !taken.has(previous)) {
        port.nodePort = previous;
        taken.add(previous);
      }
    }
  } else if (!exposesNodePorts(spec)) {
    for (const port of objectsAt(spec, "ports")) {
      if (port.nodePort != null && oldPorts.get(portKey(port)) === port.nodePort) {
        delete port.nodePort;
      }
    }
  }
  const local = spec.type === "LoadBalancer" && spec.externalTrafficPolicy === "Local";
  if (local && spec.healthCheckNodePort == null && old.healthCheckNodePort != null) {
    spec.healthCheckNodePort = old.healthCheckNodePort;
  }
}

function allocateClusterIp(svc: KubeObject, spec: JsonObject, used: UsedAddresses): void {
  if (!spec.clusterIP && Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0) {
    spec.clusterIP = spec.clusterIPs[0];
  }
  if (spec.clusterIP) {
    if (spec.clusterIP !== "None" && used.ips.has(String(spec.clusterIP))) {
      throw invalid(svc, "spec.clusterIPs", spec.clusterIP, "provided IP is already allocated");
    }
  } else {
    const usedOffsets = new Set<number>();
    for (const ip of used.ips) {
      const parts = ip.split(".").map(Number);
      if (parts.length === 4) {
        usedOffsets.add(
          ((parts[0] << 24) + (parts[1] << 16) + (parts[2] << 8) + parts[3]) - CIDR_BASE,
        );
      }
    }
    const offset = firstFree(usedOffsets, 1, IP_DYNAMIC_START, CIDR_SIZE - 2);
    if (offset === undefined) {
      throw invalid(svc, "spec.clusterIPs", "", "range is full");
    }
    spec.clusterIP = ipOf(offset);
  }
  if (!Array.isArray(spec.clusterIPs) || spec.clusterIPs.length === 0) {
    spec.clusterIPs = [spec.clusterIP];
  }
}

function allocateNodePort(svc: KubeObject, field: string, used: Set<number>): number {
  const port = firstFree(used, NODE_PORT_MIN, PORT_DYNAMIC_START, NODE_PORT_MAX);
  if (port === undefined) throw invalid(svc, field, 0, "range is full");
  used.add(port);
  return port;
}

function allocateNodePorts(svc: KubeObject, spec: JsonObject, used: Set<number>): void {
  const ports = objectsAt(spec, "ports");
  ports.forEach((port, i) => {
    if (typeof port.nodePort === "number" && port.nodePort > 0 && used.has(port.nodePort)) {
      const field = `spec.ports[${i}].nodePort`;
      throw invalid(svc, field, port.nodePort, "provided port is already allocated");
    }
  });
  for (const port of ports) if (typeof port.nodePort === "number") used.add(port.nodePort);
  ports.forEach((port, i) => {
    if (port.nodePort == null || port.nodePort === 0) {
      port.nodePort = allocateNodePort(svc, `spec.ports[${i}].nodePort`, used);
    }
  });
}

/**
 * Fills in the cluster IP(s) and node ports of a Service being created (`old` undefined)
 * or updated, in place. Throws a 422 `StatusError` for an address another Service holds.
 */
export function allocateServiceAddresses(
  svc: KubeObject,
  old: KubeObject | undefined,
  services: ServiceLister,
): void {
  const spec = objectAt(svc as unknown as JsonObject, "spec");
  if (!spec) return;
  const oldSpec = old && objectAt(old as unknown as JsonObject, "spec");
  if (oldSpec) carryOver(spec, oldSpec);
  const needsIp = hasClusterIp(spec);
  const needsPorts = exposesNodePorts(spec);
  const wantsHealthPort = spec.type === "LoadBalancer" && spec.externalTrafficPolicy === "Local";
  if (!needsIp && !needsPorts && !wantsHealthPort) return;
  const used = usedByOthers(svc, services);
  if (needsIp) allocateClusterIp(svc, spec, used);
  if (needsPorts) allocateNodePorts(svc, spec, used.ports);
  if (wantsHealthPort && (spec.healthCheckNodePort == null || spec.healthCheckNodePort === 0)) {
    spec.healthCheckNodePort = allocateNodePort(svc, "spec.healthCheckNodePort", used.ports);
  }
}
