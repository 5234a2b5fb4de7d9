/**
 * Decoding kubectl's protobuf bodies: a hand-encoded Namespace and ConfigMap in the
 * Kubernetes envelope, and refusal of unknown kinds and garbage.
 *
 * @module
 */
import { assertEquals, assertRejects } from "../../../support/assert.ts";
import { decodeProtobufObject } from "../../../../lib/kcplite/server/protobuf_body.ts";
import { StatusError } from "../../../../lib/kcplite/api/status_error.ts";

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
function field(num: number, bytes: number[] | string): number[] {
  const b = typeof bytes === "string" ? [...new TextEncoder().encode(bytes)] : bytes;
  return [...varint(num * 8 + 2), ...varint(b.length), ...b];
}
function envelope(apiVersion: string, kind: string, raw: number[]): Uint8Array {
  const typeMeta = [...field(1, apiVersion), ...field(2, kind)];
  return new Uint8Array([0x6b, 0x38, 0x73, 0x00, ...field(1, typeMeta), ...field(2, raw)]);
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

Deno.test("decodeProtobufObject: unknown kinds are 415, garbage is 400", async () => {
  const e = await assertRejects(() => decodeProtobufObject(envelope("apps/v1", "Deployment", [])));
  assertEquals((e as StatusError).code, 415);
  const g = await assertRejects(() => decodeProtobufObject(new Uint8Array([1, 2, 3, 4, 5])));
  assertEquals((g as StatusError).code, 400);
});
