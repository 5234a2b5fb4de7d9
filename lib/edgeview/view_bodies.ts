/**
 * How the edge view rewrites bodies between the natured form a client speaks and the
 * denatured form kcp stores: `apiVersion` of objects and lists (and of list items, Table
 * rows' objects, watch events' objects, managedFields entries), and the group named by
 * error Statuses.
 *
 * @example
 * ```ts
 * const kind = denaturedOf("rbac.authorization.k8s.io", "rolebindings")!;
 * toDenatured({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding" }, kind);
 * // { apiVersion: "denatured.kubestellar.io/v1", kind: "RoleBinding" }
 * ```
 *
 * @module
 */
import {
  DENATURED_API_VERSION,
  DENATURED_GROUP,
  type DenaturedKind,
  naturedApiVersion,
} from "../denature/denatured_kinds.ts";

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => !!v && typeof v === "object" && !Array.isArray(v);

function groupOf(apiVersion: unknown): string | undefined {
  if (typeof apiVersion !== "string") return undefined;
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

/**
 * A client's object of `kind` in denatured form (in place). Bodies of another
 * `apiVersion` or kind (DeleteOptions, a wrong kind kcp will refuse) are left alone.
 */
export function toDenatured(body: unknown, kind: DenaturedKind): unknown {
  if (!isObj(body)) return body;
  const ofKind = body.kind === kind.kind || body.kind === undefined;
  if (ofKind && groupOf(body.apiVersion) === kind.group && body.apiVersion !== undefined) {
    body.apiVersion = DENATURED_API_VERSION;
  }
  return body;
}

function objectToNatured(o: unknown, apiVersion: string): void {
  if (!isObj(o)) return;
  if (o.apiVersion === DENATURED_API_VERSION) o.apiVersion = apiVersion;
  const md = o.metadata;
  if (isObj(md) && Array.isArray(md.managedFields)) {
    for (const f of md.managedFields) {
      if (isObj(f) && f.apiVersion === DENATURED_API_VERSION) f.apiVersion = apiVersion;
    }
  }
}

function statusToNatured(s: Json, kind: DenaturedKind): void {
  const qualified = `${kind.resource}.${DENATURED_GROUP}`;
  const natured = kind.group ? `${kind.resource}.${kind.group}` : kind.resource;
  if (typeof s.message === "string") s.message = s.message.split(qualified).join(natured);
  const details = s.details;
  if (isObj(details) && details.group === DENATURED_GROUP) details.group = kind.group;
}

/**
 * kcp's answer about denatured `kind` in natured form at `version` (in place): an
 * object, a list, a Table, a Status or a watch event.
 */
export function toNatured(body: unknown, kind: DenaturedKind, version: string): unknown {
  if (!isObj(body)) return body;
  const apiVersion = naturedApiVersion(kind, version);
  if (typeof body.type === "string" && isObj(body.object) && body.kind === undefined) {
    toNatured(body.object, kind, version); // a watch event
    return body;
  }
  if (body.kind === "Status") {
    statusToNatured(body, kind);
    return body;
  }
  if (body.kind === "Table" && Array.isArray(body.rows)) {
    for (const row of body.rows) if (isObj(row)) objectToNatured(row.object, apiVersion);
    return body;
  }
  objectToNatured(body, apiVersion);
  if (Array.isArray(body.items)) {
    for (const item of body.items) objectToNatured(item, apiVersion);
  }
  return body;
}
