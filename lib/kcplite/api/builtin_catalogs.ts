/**
 * The two built-in catalogs kcp-lite serves: a plain Kubernetes 1.24+ API (kube mode)
 * and kcp v0.11's generic control plane plus kcp's kinds (kcp mode, kcp-spec §8.1).
 *
 * @example
 * ```ts
 * const kube = new StaticRegistry(kubeModeBuiltins());
 * kube.lookup("apps", "v1", "deployments")?.shortNames; // ["deploy"]
 * const root = new StaticRegistry(kcpModeBuiltins({ shards: true }));
 * root.lookup("", "v1", "pods"); // undefined: kcp serves no pods
 * ```
 *
 * @module
 */
import { compareDefs } from "./builtin_def.ts";
import { controlPlaneGroups } from "./control_plane_catalog.ts";
import { coreV1Generic, coreV1Workloads } from "./core_v1_catalog.ts";
import { kcpDefaultRootExports, kcpShardKinds, kcpSystemKinds } from "./kcp_catalog.ts";
import type { ResourceDef } from "./resource_def.ts";
import { workloadGroups } from "./workload_catalog.ts";

/** Every resource a kube-mode server serves, sorted (core first, then groups by name). */
export function kubeModeBuiltins(): ResourceDef[] {
  return [...coreV1Generic(), ...coreV1Workloads(), ...controlPlaneGroups(), ...workloadGroups()]
    .sort(compareDefs);
}

/** Which optional parts of the kcp catalog to include. */
export interface KcpBuiltinOptions {
  /** `core.kcp.io` shards (served in `root` only). Default true. */
  shards?: boolean;
  /**
   * The five groups real kcp serves through default APIBindings to `root` exports
   * (tenancy, scheduling, workload, apiresource, topology; kcp-spec §2.6). Default true;
   * pass false when the kcp layer supplies them as bound resources instead.
   */
  defaultBoundGroups?: boolean;
}

/**
 * What a kcp workspace serves without CRDs or user bindings: kcp's generic control
 * plane (no pods, deployments, services, …), `apis.kcp.io`, `core.kcp.io` and, unless
 * turned off, shards and the default-bound kcp groups. Sorted like
 * {@link kubeModeBuiltins}.
 */
export function kcpModeBuiltins(options: KcpBuiltinOptions = {}): ResourceDef[] {
  const defs = [...coreV1Generic(), ...controlPlaneGroups(), ...kcpSystemKinds()];
  if (options.shards ?? true) defs.push(...kcpShardKinds());
  if (options.defaultBoundGroups ?? true) {
    for (const e of kcpDefaultRootExports()) defs.push(...e.resources);
  }
  return defs.sort(compareDefs);
}
