/**
 * The OpenAPI v3 path items of one served resource: collection, item and subresource
 * paths with the operations its verbs allow. Each operation carries
 * `x-kubernetes-group-version-kind` and `x-kubernetes-action`; POST, PUT and PATCH
 * carry the `dryRun`, `fieldManager` and `fieldValidation` query parameters, which is
 * what kubectl ≥ 1.27 looks for before it sends `fieldValidation=Strict`
 * (toolchain.md §3).
 *
 * PATCH request bodies list JSON patch, merge patch and apply patch but not strategic
 * merge patch: kubectl then computes `apply` patches from its compiled-in types for
 * built-in kinds (strategic merge) and uses merge patches for custom resources, as it
 * does against a real server.
 *
 * @module
 */
import { definitionNameOf } from "./builtin_schemas.ts";
import type { ResourceDef } from "./resource_def.ts";

/** A JSON object in the document. */
export type Json = Record<string, unknown>;

/** The `components.schemas` name of a kind (`io.k8s.api.apps.v1.Deployment`, `com.example.v1.Widget`). */
export function schemaName(group: string, version: string, kind: string): string {
  let prefix: string;
  if (group === "") prefix = "io.k8s.api.core";
  else if (!group.includes(".") || group.endsWith(".k8s.io")) {
    prefix = `io.k8s.api.${group.split(".")[0]}`;
  } else prefix = group.split(".").reverse().join(".");
  return `${prefix}.${version}.${kind}`;
}

/** The schema name of a resource's kind: its Kubernetes definition's, or {@link schemaName}. */
export function kindSchemaName(def: ResourceDef): string {
  return (def.schema && definitionNameOf(def.schema)) ??
    schemaName(def.group, def.version, def.kind);
}

/** A `$ref` to a component schema. */
export function schemaRef(name: string): Json {
  return { $ref: `#/components/schemas/${name}` };
}

const STATUS_SCHEMA = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
const DELETE_OPTIONS_SCHEMA = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
const PATCH_SCHEMA = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";

/** The shared meta schemas every document references. */
export function metaSchemas(): Json {
  return {
    [STATUS_SCHEMA]: {
      type: "object",
      "x-kubernetes-preserve-unknown-fields": true,
      "x-kubernetes-group-version-kind": [{ group: "", version: "v1", kind: "Status" }],
    },
    [DELETE_OPTIONS_SCHEMA]: {
      type: "object",
      properties: {
        apiVersion: { type: "string" },
        kind: { type: "string" },
        dryRun: { type: "array", items: { type: "string" } },
        gracePeriodSeconds: { type: "integer" },
        preconditions: {
          type: "object",
          properties: { uid: { type: "string" }, resourceVersion: { type: "string" } },
        },
        propagationPolicy: { type: "string" },
      },
    },
    [PATCH_SCHEMA]: { type: "object", description: "A patch document." },
  };
}

function query(name: string, type: string, description: string): Json {
  return { name, in: "query", description, schema: { type }, uniqueItems: true };
}

const PRETTY = query("pretty", "string", "If 'true', the output is pretty printed.");
const DRY_RUN = query(
  "dryRun",
  "string",
  "When present, indicates that modifications should not be persisted (All).",
);
const FIELD_MANAGER = query(
  "fieldManager",
  "string",
  "A name associated with the actor making these changes.",
);
const FIELD_VALIDATION = query(
  "fieldValidation",
  "string",
  "How to handle unknown or duplicate fields: Ignore, Warn or Strict.",
);
const FORCE = query(
  "force",
  "boolean",
  "Force apply requests to take ownership of conflicting fields.",
);
const LIST_PARAMS = [
  query("allowWatchBookmarks", "boolean", "Request watch events of type BOOKMARK."),
  query("continue", "string", "The continue token of a previous list call."),
  query("fieldSelector", "string", "Restrict the returned objects by their fields."),
  query("labelSelector", "string", "Restrict the returned objects by their labels."),
  query("limit", "integer", "The maximum number of items to return."),
  query("resourceVersion", "string", "Which resource version the list or watch starts from."),
  query("resourceVersionMatch", "string", "How resourceVersion applies to list calls."),
  query("timeoutSeconds", "integer", "Timeout of the list or watch call."),
  query("watch", "boolean", "Watch for changes instead of listing."),
];
const WRITE_PARAMS = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION];

function pathParam(name: string, description: string): Json {
  return {
    name,
    in: "path",
    required: true,
    description,
    schema: { type: "string" },
    uniqueItems: true,
  };
}

function jsonContent(schema: Json): Json {
  return {
    "application/json": { schema },
    "application/yaml": { schema },
  };
}

function ok(schema: Json, code = "200"): Json {
  return {
    [code]: { description: "OK", content: jsonContent(schema) },
    "401": { description: "Unauthorized" },
  };
}

interface GVK {
  group: string;
  version: string;
  kind: string;
}

function op(
  action: string,
  id: string,
  gvk: GVK,
  parameters: Json[],
  responses: Json,
  requestBody?: Json,
): Json {
  const o: Json = {
    description: `${action} ${gvk.kind}`,
    operationId: id,
    parameters,
    responses,
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": { ...gvk },
  };
  if (requestBody) o.requestBody = requestBody;
  return o;
}

function patchBody(): Json {
  const schema = schemaRef(PATCH_SCHEMA);
  return {
    content: {
      "application/json-patch+json": { schema },
      "application/merge-patch+json": { schema },
      "application/apply-patch+yaml": { schema },
    },
    required: true,
  };
}

/** Operation id suffix: `NamespacedConfigMap`, `AppsV1Deployment`-style names. */
function idOf(def: ResourceDef, verb: string, suffix = ""): string {
  const gv = (def.group === "" ? "core" : def.group.split(".")[0]) + def.version;
  const scope = def.namespaced ? "Namespaced" : "";
  return `${verb}${gv[0].toUpperCase()}${gv.slice(1)}${scope}${def.kind}${suffix}`;
}

/** The path items (keyed by path) of one resource at its group/version. */
export function resourcePaths(def: ResourceDef): Record<string, Json> {
  const base = def.group === "" ? `/api/${def.version}` : `/apis/${def.group}/${def.version}`;
  const scoped = def.namespaced
    ? `${base}/namespaces/{namespace}/${def.resource}`
    : `${base}/${def.resource}`;
  const gvk: GVK = { group: def.group, version: def.version, kind: def.kind };
  const kindRef = schemaRef(kindSchemaName(def));
  const listRef = schemaRef(schemaName(def.group, def.version, def.listKind));
  const statusRef = schemaRef(STATUS_SCHEMA);
  const has = (v: string) => def.verbs.includes(v);
  const scopeParams = def.namespaced ? [pathParam("namespace", "object name and auth scope")] : [];
  const paths: Record<string, Json> = {};

  const collection: Json = { parameters: [...scopeParams, PRETTY] };
  if (has("list")) collection.get = op("list", idOf(def, "list"), gvk, LIST_PARAMS, ok(listRef));
  if (has("create")) {
    collection.post = op("post", idOf(def, "create"), gvk, WRITE_PARAMS, {
      ...ok(kindRef),
      "201": { description: "Created", content: jsonContent(kindRef) },
    }, { content: jsonContent(kindRef), required: true });
  }
  if (has("deletecollection")) {
    collection.delete = op(
      "deletecollection",
      idOf(def, "deleteCollection"),
      gvk,
      [DRY_RUN, ...LIST_PARAMS],
      ok(statusRef),
      { content: jsonContent(schemaRef(DELETE_OPTIONS_SCHEMA)) },
    );
  }
  paths[scoped] = collection;
  if (def.namespaced && has("list")) {
    paths[`${base}/${def.resource}`] = {
      parameters: [PRETTY],
      get: op(
        "list",
        idOf(def, "list", "ForAllNamespaces").replace("Namespaced", ""),
        gvk,
        LIST_PARAMS,
        ok(listRef),
      ),
    };
  }

  const itemParams = [pathParam("name", `name of the ${def.kind}`), ...scopeParams, PRETTY];
  const item: Json = { parameters: itemParams };
  if (has("get")) item.get = op("get", idOf(def, "read"), gvk, [], ok(kindRef));
  if (has("update")) {
    item.put = op("put", idOf(def, "replace"), gvk, WRITE_PARAMS, ok(kindRef), {
      content: jsonContent(kindRef),
      required: true,
    });
  }
  if (has("patch")) {
    item.patch = op(
      "patch",
      idOf(def, "patch"),
      gvk,
      [...WRITE_PARAMS, FORCE],
      ok(kindRef),
      patchBody(),
    );
  }
  if (has("delete")) {
    item.delete = op(
      "delete",
      idOf(def, "delete"),
      gvk,
      [
        DRY_RUN,
        query("gracePeriodSeconds", "integer", "Seconds before deletion."),
        query("propagationPolicy", "string", "Orphan, Background or Foreground."),
      ],
      ok(statusRef),
      { content: jsonContent(schemaRef(DELETE_OPTIONS_SCHEMA)) },
    );
  }
  if (Object.keys(item).length > 1) paths[`${scoped}/{name}`] = item;

  const sub = (name: string, subGvk: GVK, ref: Json) => {
    paths[`${scoped}/{name}/${name}`] = {
      parameters: itemParams,
      get: op("get", idOf(def, "read", cap(name)), subGvk, [], ok(ref)),
      put: op("put", idOf(def, "replace", cap(name)), subGvk, WRITE_PARAMS, ok(ref), {
        content: jsonContent(ref),
        required: true,
      }),
      patch: op(
        "patch",
        idOf(def, "patch", cap(name)),
        subGvk,
        [...WRITE_PARAMS, FORCE],
        ok(ref),
        patchBody(),
      ),
    };
  };
  if (def.subresources.status) sub("status", gvk, kindRef);
  if (def.subresources.scale) {
    sub(
      "scale",
      { group: "autoscaling", version: "v1", kind: "Scale" },
      schemaRef(schemaName("autoscaling", "v1", "Scale")),
    );
  }
  return paths;
}

function cap(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

/** The list schema of a resource (`items` referencing the kind's schema). */
export function listSchema(def: ResourceDef): Json {
  return {
    type: "object",
    required: ["items"],
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
      items: { type: "array", items: schemaRef(kindSchemaName(def)) },
    },
    "x-kubernetes-group-version-kind": [{
      group: def.group,
      version: def.version,
      kind: def.listKind,
    }],
  };
}
