/**
 * `deno run -A scripts/gen_builtin_openapi.ts [--check]`: writes
 * `lib/kcplite/api/builtin_openapi_data.ts`, the OpenAPI definitions of the built-in kinds
 * kcp-lite serves, from the generated models of `@kubernetes/client-node` (its
 * `attributeTypeMap`s give each field's type and format, its `.d.ts` files the descriptions
 * and which fields are required). No npm package ships Kubernetes' OpenAPI document itself;
 * client-node's models are generated from it, so they are the closest well-kept source.
 *
 * What the models lose is restored from the table below: which fields are
 * `resource.Quantity` (client-node types them as plain strings). `--check` only reports
 * whether the module is current.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { REPO_ROOT } from "./build_stamp.ts";

/** The generated module. */
export const OPENAPI_MODULE = join(REPO_ROOT, "lib", "kcplite", "api", "builtin_openapi_data.ts");

/** [group, version, kind, client-node class] of every built-in kind kcp-lite serves. */
const ROOTS: [string, string, string, string][] = [
  ["", "v1", "ConfigMap", "V1ConfigMap"],
  ["", "v1", "Endpoints", "V1Endpoints"],
  ["", "v1", "Event", "CoreV1Event"],
  ["", "v1", "LimitRange", "V1LimitRange"],
  ["", "v1", "Namespace", "V1Namespace"],
  ["", "v1", "Node", "V1Node"],
  ["", "v1", "PersistentVolume", "V1PersistentVolume"],
  ["", "v1", "PersistentVolumeClaim", "V1PersistentVolumeClaim"],
  ["", "v1", "Pod", "V1Pod"],
  ["", "v1", "PodTemplate", "V1PodTemplate"],
  ["", "v1", "ReplicationController", "V1ReplicationController"],
  ["", "v1", "ResourceQuota", "V1ResourceQuota"],
  ["", "v1", "Secret", "V1Secret"],
  ["", "v1", "Service", "V1Service"],
  ["", "v1", "ServiceAccount", "V1ServiceAccount"],
  [
    "admissionregistration.k8s.io",
    "v1",
    "MutatingWebhookConfiguration",
    "V1MutatingWebhookConfiguration",
  ],
  [
    "admissionregistration.k8s.io",
    "v1",
    "ValidatingWebhookConfiguration",
    "V1ValidatingWebhookConfiguration",
  ],
  ["apiregistration.k8s.io", "v1", "APIService", "V1APIService"],
  ["apps", "v1", "ControllerRevision", "V1ControllerRevision"],
  ["apps", "v1", "DaemonSet", "V1DaemonSet"],
  ["apps", "v1", "Deployment", "V1Deployment"],
  ["apps", "v1", "ReplicaSet", "V1ReplicaSet"],
  ["apps", "v1", "StatefulSet", "V1StatefulSet"],
  ["authentication.k8s.io", "v1", "SelfSubjectReview", "V1SelfSubjectReview"],
  ["authentication.k8s.io", "v1", "TokenRequest", "AuthenticationV1TokenRequest"],
  ["authentication.k8s.io", "v1", "TokenReview", "V1TokenReview"],
  ["authorization.k8s.io", "v1", "LocalSubjectAccessReview", "V1LocalSubjectAccessReview"],
  ["authorization.k8s.io", "v1", "SelfSubjectAccessReview", "V1SelfSubjectAccessReview"],
  ["authorization.k8s.io", "v1", "SelfSubjectRulesReview", "V1SelfSubjectRulesReview"],
  ["authorization.k8s.io", "v1", "SubjectAccessReview", "V1SubjectAccessReview"],
  ["autoscaling", "v1", "Scale", "V1Scale"],
  ["autoscaling", "v2", "HorizontalPodAutoscaler", "V2HorizontalPodAutoscaler"],
  ["batch", "v1", "CronJob", "V1CronJob"],
  ["batch", "v1", "Job", "V1Job"],
  ["certificates.k8s.io", "v1", "CertificateSigningRequest", "V1CertificateSigningRequest"],
  ["coordination.k8s.io", "v1", "Lease", "V1Lease"],
  ["discovery.k8s.io", "v1", "EndpointSlice", "V1EndpointSlice"],
  ["events.k8s.io", "v1", "Event", "EventsV1Event"],
  ["flowcontrol.apiserver.k8s.io", "v1beta2", "FlowSchema", "V1FlowSchema"],
  [
    "flowcontrol.apiserver.k8s.io",
    "v1beta2",
    "PriorityLevelConfiguration",
    "V1PriorityLevelConfiguration",
  ],
  ["networking.k8s.io", "v1", "Ingress", "V1Ingress"],
  ["networking.k8s.io", "v1", "IngressClass", "V1IngressClass"],
  ["networking.k8s.io", "v1", "NetworkPolicy", "V1NetworkPolicy"],
  ["node.k8s.io", "v1", "RuntimeClass", "V1RuntimeClass"],
  ["policy", "v1", "PodDisruptionBudget", "V1PodDisruptionBudget"],
  ["rbac.authorization.k8s.io", "v1", "ClusterRole", "V1ClusterRole"],
  ["rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "V1ClusterRoleBinding"],
  ["rbac.authorization.k8s.io", "v1", "Role", "V1Role"],
  ["rbac.authorization.k8s.io", "v1", "RoleBinding", "V1RoleBinding"],
  ["scheduling.k8s.io", "v1", "PriorityClass", "V1PriorityClass"],
  ["storage.k8s.io", "v1", "CSIDriver", "V1CSIDriver"],
  ["storage.k8s.io", "v1", "CSINode", "V1CSINode"],
  ["storage.k8s.io", "v1", "CSIStorageCapacity", "V1CSIStorageCapacity"],
  ["storage.k8s.io", "v1", "StorageClass", "V1StorageClass"],
  ["storage.k8s.io", "v1", "VolumeAttachment", "V1VolumeAttachment"],
];

/** Fields that are `resource.Quantity` in Kubernetes (client-node types them as strings). */
const QUANTITY_FIELDS: Record<string, string[]> = {
  V1ResourceRequirements: ["limits", "requests"],
  V1VolumeResourceRequirements: ["limits", "requests"],
  V1EmptyDirVolumeSource: ["sizeLimit"],
  V1ResourceQuotaSpec: ["hard"],
  V1ResourceQuotaStatus: ["hard", "used"],
  V1LimitRangeItem: ["_default", "defaultRequest", "max", "maxLimitRequestRatio", "min"],
  V1NodeStatus: ["allocatable", "capacity"],
  V1PersistentVolumeSpec: ["capacity"],
  V1PersistentVolumeClaimStatus: ["allocatedResources", "capacity"],
  V1ContainerStatus: ["allocatedResources"],
  V1PodSpec: ["overhead"],
  V1Overhead: ["podFixed"],
  V1CSIStorageCapacity: ["capacity", "maximumVolumeSize"],
  V1ResourceFieldSelector: ["divisor"],
  V2MetricTarget: ["averageValue", "value"],
  V2MetricValueStatus: ["averageValue", "value"],
};

/** client-node classes of `k8s.io/apimachinery/pkg/apis/meta/v1`. */
const META_CLASSES = new Set([
  "V1ObjectMeta",
  "V1ListMeta",
  "V1LabelSelector",
  "V1LabelSelectorRequirement",
  "V1ManagedFieldsEntry",
  "V1OwnerReference",
  "V1Condition",
  "V1Status",
  "V1StatusDetails",
  "V1StatusCause",
]);

interface Attribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

interface FieldInfo {
  description?: string;
  required: boolean;
}

const modelsDir = join(
  dirname(fileURLToPath(import.meta.resolve("@kubernetes/client-node"))),
  "gen",
  "models",
);

async function attributesOf(cls: string): Promise<Attribute[]> {
  const mod = await import(join(modelsDir, `${cls}.js`));
  return mod[cls].attributeTypeMap as Attribute[];
}

/** Class description, per-field descriptions and required flags from the `.d.ts`. */
async function docsOf(
  cls: string,
): Promise<{ description?: string; fields: Map<string, FieldInfo> }> {
  const text = await Deno.readTextFile(join(modelsDir, `${cls}.d.ts`));
  const clean = (s: string) =>
    s.split("\n").map((l) => l.replace(/^\s*\*\s?/, "").trim()).join(" ").replace(/\s+/g, " ")
      .replace(/\\(['"])/g, "$1").trim();
  const classAt = text.indexOf("export declare class");
  const docAt = text.lastIndexOf("/**", classAt);
  const docEnd = text.indexOf("*/", docAt);
  const classDoc = docAt >= 0 && docEnd < classAt && /^\s*$/.test(text.slice(docEnd + 2, classAt))
    ? [text, text.slice(docAt + 3, docEnd)]
    : undefined;
  const fields = new Map<string, FieldInfo>();
  const body = text.slice(text.indexOf("export declare class"));
  const re = /(?:\/\*\*([^]*?)\*\/\s*)?'([^']+)'(\??):/g;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    fields.set(m[2], { description: m[1] ? clean(m[1]) : undefined, required: m[3] !== "?" });
  }
  return { description: classDoc ? clean(classDoc[1]) : undefined, fields };
}

const CLASS_NAME = /^([A-Z][a-z]+)?(V\d+(?:alpha\d+|beta\d+)?)([A-Z]\w*)$/;

/** Go package path part and type of a client-node class, as `[pkgPrefix, version, kind]`. */
function splitClass(cls: string): [string, string] {
  const m = CLASS_NAME.exec(cls);
  if (!m) throw new Error(`unexpected class name ${cls}`);
  return [m[2].toLowerCase(), m[3]];
}

const definitionOfClass = new Map<string, string>();

function packageOf(group: string): string {
  if (group === "") return "io.k8s.api.core";
  if (group === "apiregistration.k8s.io") return "io.k8s.kube-aggregator.pkg.apis.apiregistration";
  return `io.k8s.api.${group.split(".")[0]}`;
}

function definitionName(cls: string, group: string): string {
  let name = definitionOfClass.get(cls);
  if (!name) {
    const [version, kind] = splitClass(cls);
    const pkg = META_CLASSES.has(cls) ? "io.k8s.apimachinery.pkg.apis.meta" : packageOf(group);
    name = `${pkg}.${version}.${kind}`;
    definitionOfClass.set(cls, name);
  }
  return name;
}

/** Compact type code of an attribute; queues referenced classes. */
function typeCode(a: Attribute, owner: string, group: string, queue: [string, string][]): string {
  const quantity = QUANTITY_FIELDS[owner]?.includes(a.name);
  const code = (t: string, format: string): string => {
    const arr = /^Array<(.+)>$/.exec(t);
    if (arr) return `[]${code(arr[1], format)}`;
    const map = /^\{\s*\[key: string\]: (.+?);?\s*\}$/s.exec(t);
    if (map) return `{}${code(map[1].trim(), format)}`;
    if (quantity && t === "string") return "quantity";
    switch (t) {
      case "string":
        return format === "byte" ? "byte" : "string";
      case "number":
        return format === "int64" ? "int64" : format === "double" ? "double" : "int32";
      case "boolean":
        return "bool";
      case "Date":
        return "time";
      case "IntOrString":
        return "intstr";
      case "any":
        return "any";
      case "object":
        return "any";
    }
    if (format === "date-time-micro") return "microtime";
    if (!CLASS_NAME.test(t)) throw new Error(`unexpected type ${t} in ${owner}.${a.name}`);
    queue.push([t, group]);
    return `#${definitionName(t, group)}`;
  };
  return code(a.type, a.format);
}

/** One definition: description, properties as [name, type code, description?], required. */
interface Definition {
  d?: string;
  p: [string, string, string?][];
  r?: string[];
  k?: [string, string, string];
}

async function generate(): Promise<Record<string, Definition>> {
  const defs: Record<string, Definition> = {};
  const queue: [string, string][] = [];
  const gvkOf = new Map<string, [string, string, string]>();
  for (const [group, version, kind, cls] of ROOTS) {
    const name = `${packageOf(group)}.${version}.${kind}`;
    definitionOfClass.set(cls, name);
    gvkOf.set(name, [group, version, kind]);
    queue.push([cls, group]);
  }
  const done = new Set<string>();
  while (queue.length) {
    const [cls, group] = queue.shift()!;
    const name = definitionName(cls, group);
    if (done.has(name)) continue;
    done.add(name);
    const [attrs, docs] = await Promise.all([attributesOf(cls), docsOf(cls)]);
    const def: Definition = { p: [] };
    if (docs.description) def.d = docs.description;
    const required: string[] = [];
    for (const a of attrs) {
      const info = docs.fields.get(a.name);
      const entry: [string, string, string?] = [a.baseName, typeCode(a, cls, group, queue)];
      if (info?.description) entry.push(info.description);
      def.p.push(entry);
      if (info?.required) required.push(a.baseName);
    }
    if (required.length) def.r = required;
    const gvk = gvkOf.get(name);
    if (gvk) def.k = gvk;
    defs[name] = def;
  }
  return Object.fromEntries(Object.entries(defs).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}

/** The module text. */
export async function openApiModuleText(): Promise<string> {
  const defs = await generate();
  const lines = Object.entries(defs).map(([k, v]) =>
    `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`
  );
  return [
    "// deno-fmt-ignore-file",
    "// Generated by scripts/gen_builtin_openapi.ts from @kubernetes/client-node's models. Do not edit.",
    "/**",
    " * The OpenAPI definitions of the built-in kinds, compactly: `d` description, `p` properties as",
    " * [name, type code, description?], `r` required, `k` [group, version, kind] of top-level kinds.",
    " * Type codes: string, byte, int32, int64, double, bool, time, microtime, intstr, quantity,",
    " * any, `#<definition>`, `[]<code>` (array) and `{}<code>` (map).",
    " *",
    " * @module",
    " */",
    "",
    "/** One compact definition. */",
    "export interface CompactDefinition {",
    "  d?: string;",
    "  p: [string, string, string?][];",
    "  r?: string[];",
    "  k?: [string, string, string];",
    "}",
    "",
    "/** Every definition, by OpenAPI name. */",
    "export const BUILTIN_DEFINITIONS: Record<string, CompactDefinition> = {",
    ...lines,
    "};",
    "",
  ].join("\n");
}

if (import.meta.main) {
  const text = await openApiModuleText();
  if (Deno.args.includes("--check")) {
    const current = await Deno.readTextFile(OPENAPI_MODULE).catch(() => "");
    if (current !== text) {
      console.error(
        `${OPENAPI_MODULE} is out of date: run deno run -A scripts/gen_builtin_openapi.ts`,
      );
      Deno.exit(1);
    }
  } else {
    await Deno.writeTextFile(OPENAPI_MODULE, text);
    console.log(`wrote ${OPENAPI_MODULE} (${text.length} bytes)`);
  }
}
