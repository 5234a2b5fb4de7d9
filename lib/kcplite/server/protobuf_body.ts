/**
 * Decodes the Kubernetes protobuf bodies that kubectl's typed generators send
 * (`kubectl create namespace|configmap|secret|serviceaccount|role|clusterrole|rolebinding|
 * clusterrolebinding`, and DeleteOptions of typed deletes, Content-Type `application/vnd.kubernetes.protobuf`) into the JSON
 * form. The envelope is the magic `k8s\0` followed by a `runtime.Unknown` message whose
 * `raw` field holds the object; only the kinds listed here are understood, others are 415.
 *
 * @module
 */
import { StatusError } from "../api/status_error.ts";

/** The protobuf media type of Kubernetes. */
export const PROTOBUF_MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

type Scalar = "string" | "bytes" | "bool" | "int";
interface Field {
  name: string;
  type: Scalar | Schema | { map: "string" | "bytes" };
  repeated?: boolean;
}
type Schema = Record<number, Field>;

const f = (name: string, type: Field["type"], repeated = false): Field => ({
  name,
  type,
  repeated,
});

const OWNER_REFERENCE: Schema = {
  1: f("kind", "string"),
  3: f("name", "string"),
  4: f("uid", "string"),
  5: f("apiVersion", "string"),
  6: f("controller", "bool"),
  7: f("blockOwnerDeletion", "bool"),
};
const OBJECT_META: Schema = {
  1: f("name", "string"),
  2: f("generateName", "string"),
  3: f("namespace", "string"),
  6: f("resourceVersion", "string"),
  11: f("labels", { map: "string" }),
  12: f("annotations", { map: "string" }),
  13: f("ownerReferences", OWNER_REFERENCE, true),
  14: f("finalizers", "string", true),
};
const OBJECT_REFERENCE: Schema = {
  1: f("kind", "string"),
  2: f("namespace", "string"),
  3: f("name", "string"),
  4: f("uid", "string"),
  5: f("apiVersion", "string"),
};
const POLICY_RULE: Schema = {
  1: f("verbs", "string", true),
  2: f("apiGroups", "string", true),
  3: f("resources", "string", true),
  4: f("resourceNames", "string", true),
  5: f("nonResourceURLs", "string", true),
};
const LABEL_SELECTOR: Schema = {
  1: f("matchLabels", { map: "string" }),
  2: f("matchExpressions", {
    1: f("key", "string"),
    2: f("operator", "string"),
    3: f("values", "string", true),
  }, true),
};
const BINDING: Schema = {
  1: f("metadata", OBJECT_META),
  2: f("subjects", {
    1: f("kind", "string"),
    2: f("apiGroup", "string"),
    3: f("name", "string"),
    4: f("namespace", "string"),
  }, true),
  3: f("roleRef", { 1: f("apiGroup", "string"), 2: f("kind", "string"), 3: f("name", "string") }),
};

const DELETE_OPTIONS: Schema = {
  1: f("gracePeriodSeconds", "int"),
  2: f("preconditions", { 1: f("uid", "string"), 2: f("resourceVersion", "string") }),
  3: f("orphanDependents", "bool"),
  4: f("propagationPolicy", "string"),
  5: f("dryRun", "string", true),
};

/** Object schemas by `apiVersion/kind`. */
const KINDS: Record<string, Schema> = {
  "v1/DeleteOptions": DELETE_OPTIONS,
  "meta.k8s.io/v1/DeleteOptions": DELETE_OPTIONS,
  "v1/Namespace": {
    1: f("metadata", OBJECT_META),
    2: f("spec", { 1: f("finalizers", "string", true) }),
  },
  "v1/ConfigMap": {
    1: f("metadata", OBJECT_META),
    2: f("data", { map: "string" }),
    3: f("binaryData", { map: "bytes" }),
    4: f("immutable", "bool"),
  },
  "v1/Secret": {
    1: f("metadata", OBJECT_META),
    2: f("data", { map: "bytes" }),
    3: f("type", "string"),
    4: f("stringData", { map: "string" }),
    5: f("immutable", "bool"),
  },
  "v1/ServiceAccount": {
    1: f("metadata", OBJECT_META),
    2: f("secrets", OBJECT_REFERENCE, true),
    3: f("imagePullSecrets", { 1: f("name", "string") }, true),
    4: f("automountServiceAccountToken", "bool"),
  },
  "rbac.authorization.k8s.io/v1/Role": {
    1: f("metadata", OBJECT_META),
    2: f("rules", POLICY_RULE, true),
  },
  "rbac.authorization.k8s.io/v1/ClusterRole": {
    1: f("metadata", OBJECT_META),
    2: f("rules", POLICY_RULE, true),
    3: f("aggregationRule", { 1: f("clusterRoleSelectors", LABEL_SELECTOR, true) }),
  },
  "rbac.authorization.k8s.io/v1/RoleBinding": BINDING,
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": BINDING,
};

const ENVELOPE: Schema = {
  1: f("typeMeta", { 1: f("apiVersion", "string"), 2: f("kind", "string") }),
  2: f("raw", "bytes"),
};

class Reader {
  at = 0;
  constructor(readonly bytes: Uint8Array) {}
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.at >= this.bytes.length) throw new Error("truncated varint");
      const b = this.bytes[this.at++];
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new Error("varint too long");
    }
  }
  chunk(): Uint8Array {
    const len = this.varint();
    if (this.at + len > this.bytes.length) throw new Error("truncated field");
    const out = this.bytes.subarray(this.at, this.at + len);
    this.at += len;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 2) this.chunk();
    else if (wire === 1) this.at += 8;
    else if (wire === 5) this.at += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

function base64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function decodeMessage(bytes: Uint8Array, schema: Schema): Record<string, unknown> {
  const r = new Reader(bytes);
  const out: Record<string, unknown> = {};
  const text = new TextDecoder();
  while (r.at < bytes.length) {
    const tag = r.varint();
    const field = schema[Math.floor(tag / 8)];
    const wire = tag & 7;
    if (!field) {
      r.skip(wire);
      continue;
    }
    let value: unknown;
    const t = field.type;
    if (t === "bool" || t === "int") {
      const n = r.varint();
      value = t === "bool" ? n !== 0 : n;
    } else if (t === "string") {
      value = text.decode(r.chunk());
    } else if (t === "bytes") {
      value = r.chunk();
    } else if ("map" in t) {
      const entry = decodeMessage(r.chunk(), { 1: f("k", "string"), 2: f("v", t.map) });
      const map = (out[field.name] ??= {}) as Record<string, unknown>;
      const v = entry.v ?? (t.map === "bytes" ? new Uint8Array() : "");
      map[String(entry.k ?? "")] = v instanceof Uint8Array ? base64(v) : v;
      continue;
    } else {
      value = decodeMessage(r.chunk(), t as Schema);
    }
    if (value instanceof Uint8Array && field.name !== "raw") value = base64(value);
    if (value === "" && !field.repeated) continue;
    if (field.repeated) ((out[field.name] ??= []) as unknown[]).push(value);
    else out[field.name] = value;
  }
  return out;
}

/** Decodes a protobuf body into a JSON object; throws 415 for kinds it does not know. */
export function decodeProtobufObject(bytes: Uint8Array): Record<string, unknown> {
  const magic = [0x6b, 0x38, 0x73, 0x00];
  if (bytes.length < 4 || magic.some((m, i) => bytes[i] !== m)) {
    throw StatusError.badRequest("the protobuf body does not start with the Kubernetes magic");
  }
  let envelope: Record<string, unknown>;
  try {
    envelope = decodeMessage(bytes.subarray(4), ENVELOPE);
  } catch (e) {
    throw StatusError.badRequest(`malformed protobuf body: ${(e as Error).message}`);
  }
  const typeMeta = (envelope.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const id = `${typeMeta.apiVersion ?? ""}/${typeMeta.kind ?? ""}`;
  const schema = KINDS[id];
  if (!schema) {
    throw StatusError.unsupportedMediaType(`${PROTOBUF_MEDIA_TYPE} (kind ${id})`);
  }
  try {
    const obj = decodeMessage((envelope.raw as Uint8Array) ?? new Uint8Array(), schema);
    return { apiVersion: typeMeta.apiVersion, kind: typeMeta.kind, ...obj };
  } catch (e) {
    throw StatusError.badRequest(`malformed protobuf body: ${(e as Error).message}`);
  }
}
