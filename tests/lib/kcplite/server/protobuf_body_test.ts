/**
 * Decoding kubectl's protobuf bodies: hand-encoded messages in the Kubernetes envelope
 * (Namespace, ConfigMap, Deployment, Service, PodDisruptionBudget, PriorityClass,
 * ResourceQuota, Ingress), the scalar kinds (negative varints, IntOrString, Quantity,
 * Time, packed lists), and refusal of unknown kinds, unknown fields and garbage.
 *
 * @module
 */
import { assertEquals, assertRejects, assertStringIncludes } from "../../../support/assert.ts";
import { decodeProtobufObject } from "../../../../lib/kcplite/server/protobuf_body.ts";
import { StatusError } from "../../../../lib/kcplite/api/status_error.ts";

/** Encodes a varint; negative numbers are sign-extended to 64 bits like Go's encoder. */
function varint(n: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  while (v > 127n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
/** A length-delimited field (string, bytes or nested message). */
function field(num: number, bytes: number[] | string): number[] {
  const b = typeof bytes === "string" ? [...new TextEncoder().encode(bytes)] : bytes;
  return [...varint(num * 8 + 2), ...varint(b.length), ...b];
}
/** A varint field (int32/int64/bool). */
function num(fieldNumber: number, n: number | bigint | boolean): number[] {
  return [...varint(fieldNumber * 8), ...varint(typeof n === "boolean" ? (n ? 1 : 0) : n)];
}
/** A map entry {key=1, value=2}. */
function entry(mapField: number, key: string, value: number[] | string): number[] {
  return field(mapField, [...field(1, key), ...field(2, value)]);
}
function envelope(apiVersion: string, kind: string, raw: number[]): Uint8Array {
  const typeMeta = [...field(1, apiVersion), ...field(2, kind)];
  // Go's encoder also writes the empty contentEncoding (3) and contentType (4).
  return new Uint8Array([
    0x6b,
    0x38,
    0x73,
    0x00,
    ...field(1, typeMeta),
    ...field(2, raw),
    ...field(3, ""),
    ...field(4, ""),
  ]);
}
const intOrString = (v: number | string): number[] =>
  typeof v === "number" ? [...num(1, 0), ...num(2, v), ...field(3, "")] : [
    ...num(1, 1),
    ...num(2, 0),
    ...field(3, v),
  ];
const quantity = (s: string): number[] => field(1, s);

async function rejection(body: Uint8Array): Promise<StatusError> {
  return (await assertRejects(() => decodeProtobufObject(body))) as StatusError;
}

Deno.test("decodeProtobufObject: Namespace and ConfigMap", () => {
  const meta = [...field(1, "team"), ...field(11, [...field(1, "a"), ...field(2, "b")])];
  const ns = decodeProtobufObject(envelope("v1", "Namespace", field(1, meta)));
  assertEquals(ns, {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "team", labels: { a: "b" } },
  });
  const cm = decodeProtobufObject(
    envelope("v1", "ConfigMap", [
      ...field(1, field(1, "cfg")),
      ...field(2, [...field(1, "k"), ...field(2, "v")]),
      ...field(3, [...field(1, "bin"), ...field(2, [1, 2, 3])]),
    ]),
  );
  assertEquals(cm.data, { k: "v" });
  assertEquals(cm.binaryData, { bin: btoa("\x01\x02\x03") });
});

Deno.test("decodeProtobufObject: a Deployment with nested pod template, ports, env, resources", () => {
  // ObjectMeta as Go writes it: empty strings and an empty creationTimestamp included.
  const meta = (name: string) => [...field(1, name), ...field(2, ""), ...field(8, [])];
  const container = [
    ...field(1, "nginx"),
    ...field(2, "nginx:1"),
    ...field(3, "sleep"),
    ...field(3, "10"),
    ...field(6, [...field(1, ""), ...num(2, 0), ...num(3, 8080), ...field(4, "TCP")]),
    ...field(7, [...field(1, "A"), ...field(2, "B")]),
    ...field(8, [...entry(1, "cpu", quantity("500m")), ...entry(2, "memory", quantity("1Gi"))]),
    ...num(16, false), // stdin: false is omitted like Go's omitempty
  ];
  const spec = [
    ...num(1, 0), // replicas is a pointer: an explicit 0 is kept
    ...field(2, entry(1, "app", "web")),
    ...field(3, [...field(1, meta("")), ...field(2, field(2, container))]),
    ...field(4, [
      ...field(1, "RollingUpdate"),
      ...field(2, [...field(1, intOrString(0)), ...field(2, intOrString("25%"))]),
    ]),
  ];
  const d = decodeProtobufObject(
    envelope("apps/v1", "Deployment", [
      ...field(1, meta("web")),
      ...field(2, spec),
      ...field(3, []),
    ]),
  );
  assertEquals(d, {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web" },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: {},
        spec: {
          containers: [{
            name: "nginx",
            image: "nginx:1",
            command: ["sleep", "10"],
            ports: [{ containerPort: 8080, protocol: "TCP" }],
            env: [{ name: "A", value: "B" }],
            resources: { limits: { cpu: "500m" }, requests: { memory: "1Gi" } },
          }],
        },
      },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } },
    },
    status: {},
  });
});

Deno.test("decodeProtobufObject: negative varints, Time, and packed int lists", () => {
  const pc = decodeProtobufObject(
    envelope("scheduling.k8s.io/v1", "PriorityClass", [
      ...field(1, [...field(1, "low"), ...field(8, [...num(1, 1700000000), ...num(2, 0)])]),
      ...num(2, -5),
      ...num(3, false),
      ...field(4, "lowest"),
    ]),
  );
  assertEquals(pc, {
    apiVersion: "scheduling.k8s.io/v1",
    kind: "PriorityClass",
    metadata: { name: "low", creationTimestamp: "2023-11-14T22:13:20Z" },
    value: -5,
    description: "lowest",
  });
  // The zero time of Go is a negative int64 of seconds.
  const old = decodeProtobufObject(
    envelope("v1", "Namespace", field(1, [...field(1, "old"), ...field(8, num(1, -62135596800))])),
  );
  assertEquals((old.metadata as Record<string, unknown>).creationTimestamp, "0001-01-01T00:00:00Z");
  // supplementalGroups is a repeated int64: packed and unpacked forms both decode.
  const pod = decodeProtobufObject(
    envelope("v1", "Pod", [
      ...field(2, field(14, [...field(4, [...varint(1000), ...varint(2000)]), ...num(4, 3000)])),
    ]),
  );
  assertEquals(
    (pod.spec as { securityContext: unknown }).securityContext,
    { supplementalGroups: [1000, 2000, 3000] },
  );
});

Deno.test("decodeProtobufObject: Service ports, PDB IntOrString, quota quantities, Ingress", () => {
  const svc = decodeProtobufObject(
    envelope("v1", "Service", [
      ...field(1, field(1, "s1")),
      ...field(2, [
        ...field(1, [
          ...field(1, "80-8080"),
          ...field(2, "TCP"),
          ...num(3, 80),
          ...field(4, intOrString(8080)),
          ...num(5, 0),
        ]),
        ...field(1, [...num(3, 443), ...field(4, intOrString(0))]),
        ...entry(2, "app", "s1"),
        ...field(4, "ClusterIP"),
      ]),
      ...field(3, field(1, [])),
    ]),
  );
  assertEquals(svc.spec, {
    ports: [{ name: "80-8080", protocol: "TCP", port: 80, targetPort: 8080 }, { port: 443 }],
    selector: { app: "s1" },
    type: "ClusterIP",
  });
  assertEquals(svc.status, { loadBalancer: {} });

  const pdb = decodeProtobufObject(
    envelope("policy/v1", "PodDisruptionBudget", [
      ...field(2, [...field(1, intOrString(0)), ...field(3, intOrString("10%"))]),
      ...field(3, [...num(1, 0), ...num(3, 0), ...num(4, 0), ...num(5, 0), ...num(6, 0)]),
    ]),
  );
  assertEquals(pdb.spec, { minAvailable: 0, maxUnavailable: "10%" });
  assertEquals(pdb.status, {
    disruptionsAllowed: 0,
    currentHealthy: 0,
    desiredHealthy: 0,
    expectedPods: 0,
  });

  const quota = decodeProtobufObject(
    envelope(
      "v1",
      "ResourceQuota",
      field(2, [
        ...entry(1, "cpu", quantity("1")),
        ...entry(1, "pods", quantity("2")),
      ]),
    ),
  );
  assertEquals(quota.spec, { hard: { cpu: "1", pods: "2" } });

  // IngressRule's ingressRuleValue (field 2) is embedded: `http` sits on the rule itself.
  const backend = field(4, [...field(1, "svc1"), ...field(2, [...field(1, ""), ...num(2, 8080)])]);
  const path = [...field(1, "/bar"), ...field(2, backend), ...field(3, "Exact")];
  const ing = decodeProtobufObject(
    envelope(
      "networking.k8s.io/v1",
      "Ingress",
      field(2, [
        ...field(3, [...field(1, "foo.com"), ...field(2, field(1, field(1, path)))]),
      ]),
    ),
  );
  assertEquals(ing.spec, {
    rules: [{
      host: "foo.com",
      http: {
        paths: [{
          path: "/bar",
          pathType: "Exact",
          backend: { service: { name: "svc1", port: { number: 8080 } } },
        }],
      },
    }],
  });
});

Deno.test("decodeProtobufObject: unknown kinds and unknown fields are 415, garbage is 400", async () => {
  const kind = await rejection(envelope("apps/v1", "StatefulSet", []));
  assertEquals(kind.code, 415);
  assertStringIncludes(kind.message, "apps/v1 StatefulSet");
  assertStringIncludes(kind.message, "--dry-run=client -o yaml | kubectl create -f -");

  // A field number the Deployment's pod spec does not describe is refused, not dropped.
  const unknown = await rejection(
    envelope("apps/v1", "Deployment", field(2, field(3, field(2, field(99, "x"))))),
  );
  assertEquals(unknown.code, 415);
  assertEquals(unknown.reason, "UnsupportedMediaType");
  assertStringIncludes(unknown.message, "apps/v1 Deployment");
  assertStringIncludes(unknown.message, "field number 99 in spec.template.spec");
  assertStringIncludes(unknown.message, "kubectl create -f -");
  const top = await rejection(envelope("v1", "ConfigMap", num(42, 1)));
  assertStringIncludes(top.message, "field number 42 in the object");

  const g = await rejection(new Uint8Array([1, 2, 3, 4, 5]));
  assertEquals(g.code, 400);
  // A string field sent as a varint is malformed, not silently misread.
  const wire = await rejection(envelope("v1", "Namespace", field(1, num(1, 7))));
  assertEquals(wire.code, 400);
  const truncated = await rejection(envelope("v1", "Namespace", [0x0a, 0x05, 0x0a]));
  assertEquals(truncated.code, 400);
});
