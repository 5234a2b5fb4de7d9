/**
 * Admission of `tenancy.kcp.io` Workspaces (kcp-spec §2.2–§2.3): name validation, type
 * defaulting and resolution, parent/child constraints, the `use` permission on the type,
 * the creator annotation, `status.phase: Scheduling` on create, and the immutable or
 * system-only fields on update.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import type { AdmissionRequest } from "../server/cluster_backend.ts";
import { StatusError } from "../api/status_error.ts";
import type { ObjectStore } from "../store/object_store.ts";
import { A, annotationsOf, labelsOf } from "./kcp_kinds.ts";
import { authorizeInCluster, isSystemMaster } from "./kcp_rbac.ts";
import { type TypeRef, typeText, type WorkspaceTypes } from "./workspace_types.ts";

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const GROUP = "tenancy.kcp.io";

interface WorkspaceSpec {
  type?: TypeRef;
  cluster?: string;
  URL?: string;
}

function specOf(obj: KubeObject | undefined): WorkspaceSpec {
  return (obj?.spec ?? {}) as WorkspaceSpec;
}

function forbidden(name: string, message: string): StatusError {
  return StatusError.forbidden(
    `workspaces.${GROUP} "${name}" is forbidden: ${message}`,
    { group: GROUP, resource: "workspaces" },
    name,
  );
}

/** Admission for Workspaces. */
export class WorkspaceAdmission {
  constructor(readonly store: ObjectStore, readonly types: WorkspaceTypes) {}

  /** Mutates and validates; throws a `StatusError` to refuse. */
  admit(req: AdmissionRequest): void {
    if (req.operation === "CREATE") this.#create(req);
    else if (req.operation === "UPDATE") this.#update(req);
  }

  #create(req: AdmissionRequest): void {
    const ws = req.object!;
    const name = ws.metadata?.name ?? "";
    if (!NAME.test(name)) {
      throw StatusError.invalid("Workspace", GROUP, name, [{
        field: "metadata.name",
        message:
          `Invalid value: "${name}": must match ^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$ (1-63 lowercase alphanumerics or '-')`,
      }]);
    }
    const spec = (ws.spec ??= {}) as WorkspaceSpec;
    const privileged = isSystemMaster(req.user);
    if (!privileged && spec.URL) {
      throw forbidden(name, "spec.URL can only be set by system privileged users");
    }
    if (!privileged && spec.cluster) {
      throw forbidden(name, "spec.cluster can only be changed by system privileged users");
    }
    const parentType = this.types.typeOfCluster(req.cluster);
    let ref = spec.type?.name ? spec.type : undefined;
    if (!ref) {
      const child = parentType ? this.types.defaultChild(parentType) : undefined;
      if (!child) {
        // kcp returns this string unformatted (kcp-spec §2.3).
        throw forbidden(
          name,
          "spec.defaultChildWorkspaceType of workspace type %s:%s must be set",
        );
      }
      ref = child;
    }
    const type = this.types.resolve(ref, req.cluster);
    if (!type) {
      throw forbidden(name, `workspace type "${typeText(ref)}" cannot be resolved`);
    }
    spec.type = { name: type.name, path: type.path };
    const why = this.types.placementError(type, parentType);
    if (why) throw forbidden(name, why);
    const typeCluster = this.types.dir.resolve(type.path);
    if (typeCluster !== undefined) {
      const decision = authorizeInCluster(this.store, typeCluster, {
        user: req.user,
        verb: "use",
        resourceRequest: true,
        apiGroup: GROUP,
        resource: "workspacetypes",
        name: type.name,
      });
      if (!decision.allowed) {
        throw forbidden(
          name,
          `unable to use workspace type ${
            typeText(type)
          }: missing verb='use' permission on workspacetype`,
        );
      }
    }
    if (!privileged) {
      annotationsOf(ws)[A.owner] = JSON.stringify({
        username: req.user.name,
        ...(req.user.uid ? { uid: req.user.uid } : {}),
        groups: req.user.groups,
      });
    } else if (ws.metadata?.annotations) {
      delete ws.metadata.annotations[A.owner];
    }
    labelsOf(ws)[A.phaseLabel] = "Scheduling";
    ws.status = { ...(ws.status as Record<string, unknown> ?? {}), phase: "Scheduling" };
  }

  #update(req: AdmissionRequest): void {
    if (req.subresource === "status") return;
    const ws = req.object!;
    const old = req.oldObject!;
    const name = ws.metadata?.name ?? "";
    const spec = (ws.spec ??= {}) as WorkspaceSpec;
    const oldSpec = specOf(old);
    // An update that omits the type, or names it without the path defaulting added,
    // keeps the stored one.
    const same = !spec.type ||
      (spec.type.name === oldSpec.type?.name &&
        (!spec.type.path || spec.type.path === oldSpec.type?.path));
    if (!same) throw forbidden(name, "spec.type is immutable");
    if (oldSpec.type) spec.type = oldSpec.type;
    const privileged = isSystemMaster(req.user);
    // An update that omits spec.cluster keeps it (it cannot be unset).
    if (oldSpec.cluster && !spec.cluster) spec.cluster = oldSpec.cluster;
    if (spec.cluster !== oldSpec.cluster && !privileged) {
      throw forbidden(name, "spec.cluster can only be changed by system privileged users");
    }
    if (spec.URL !== oldSpec.URL) {
      if (!privileged && spec.URL) {
        throw forbidden(name, "spec.URL can only be set by system privileged users");
      }
      if (!spec.URL) spec.URL = oldSpec.URL;
    }
    const oldOwner = old.metadata?.annotations?.[A.owner];
    const newOwner = ws.metadata?.annotations?.[A.owner];
    if (newOwner !== oldOwner && !privileged) {
      if (oldOwner === undefined) delete annotationsOf(ws)[A.owner];
      else annotationsOf(ws)[A.owner] = oldOwner;
    }
  }
}
