/**
 * The `Workspace` object of kcp (`tenancy.kcp.io/v1alpha1`) as the `kubectl ws`
 * commands see it: its resource coordinates, the fields they read, and how a
 * workspace type reference is written (`root:universal`).
 *
 * @example
 * ```ts
 * typeReferenceString({ name: "universal", path: "root" }); // "root:universal"
 * parseTypeFlag("root:Universal"); // { name: "universal", path: "root" }
 * ```
 *
 * @module
 */
import type { KubeObject, ResourceRef } from "../kube/rest_client.ts";

/** Where Workspaces live in every kcp logical cluster. */
export const WORKSPACES: ResourceRef = {
  group: "tenancy.kcp.io",
  version: "v1alpha1",
  resource: "workspaces",
};

/** The phase a workspace reaches when it can be used. */
export const READY_PHASE = "Ready";

/** `spec.type` of a Workspace. */
export interface WorkspaceTypeReference {
  name: string;
  path?: string;
}

/** The fields of a Workspace the commands read. */
export interface Workspace extends KubeObject {
  spec?: {
    type?: WorkspaceTypeReference;
    cluster?: string;
    URL?: string;
    [field: string]: unknown;
  };
  status?: {
    phase?: string;
    URL?: string;
    [field: string]: unknown;
  };
}

/** A type reference as kcp prints it: `path:name`, or just `name` without a path. */
export function typeReferenceString(type: WorkspaceTypeReference | undefined): string {
  if (!type) return "";
  return type.path ? `${type.path}:${type.name}` : type.name;
}

/**
 * Parses a `--type` value: `name` (path defaulted by the server) or `path:name`; the
 * name is lowercased as kcp does.
 */
export function parseTypeFlag(value: string): WorkspaceTypeReference {
  const i = value.lastIndexOf(":");
  if (i < 0) return { name: value.toLowerCase() };
  return { name: value.slice(i + 1).toLowerCase(), path: value.slice(0, i) };
}

/** The phase of a workspace ("" when the server has not set one). */
export function workspacePhase(ws: Workspace): string {
  return ws.status?.phase ?? "";
}

/** The URL kcp published for a workspace (`spec.URL`, older servers `status.URL`). */
export function workspaceUrl(ws: Workspace): string {
  return ws.spec?.URL ?? ws.status?.URL ?? "";
}
