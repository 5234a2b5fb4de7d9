import { contentHash } from "../../../../lib/controllers/placement/content_hash.ts";
import {
  jsonPatchFor,
  jsonPatchTextFor,
  shapeOf,
} from "../../../../lib/controllers/placement/update_patch.ts";
import { mergedForm } from "../../../../lib/controllers/placement/projected_form.ts";
import { applyJsonPatch } from "../../../../lib/kube/patch/json_patch.ts";
import type { KubeObject } from "../../../../lib/kube/rest_client.ts";
import { assertEquals, assertTrue } from "../../../support/assert.ts";

Deno.test("jsonPatchFor: same outcome as mergedForm, from the previous shape only", () => {
  const before: KubeObject = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "a", labels: { "edge.kubestellar.io/projected": "yes", old: "1" } },
    data: { x: "1", gone: "2" },
    binaryData: { b: "AA==" },
  };
  const existing: KubeObject = {
    ...structuredClone(before),
    metadata: {
      ...structuredClone(before.metadata),
      resourceVersion: "5",
      annotations: { "mailbox-only": "yes" },
    },
  };
  const after: KubeObject = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: "a",
      labels: { "edge.kubestellar.io/projected": "yes", "a/b~c": "2" },
      annotations: { note: "n" },
    },
    data: { x: "3" },
  };
  const patched = applyJsonPatch(existing, jsonPatchFor(after, shapeOf(before))) as KubeObject;
  assertEquals(patched, mergedForm(existing, after));
  assertTrue(shapeOf(before) === shapeOf(structuredClone(before)), "shapes are interned");
});

Deno.test("contentHash: 16 hex digits, different for different texts", () => {
  const a = contentHash('{"a":1}');
  assertEquals(a.length, 16);
  assertTrue(/^[0-9a-f]{16}$/.test(a));
  assertEquals(contentHash('{"a":1}'), a);
  const seen = new Set<string>();
  for (let i = 0; i < 20_000; i++) seen.add(contentHash(`{"v":"${i}"}`));
  assertEquals(seen.size, 20_000);
});

Deno.test("jsonPatchTextFor: jsonPatchFor's JSON, made once per form and previous shape", () => {
  const form: KubeObject = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "a", labels: { x: "1" } },
    data: { k: "v" },
  };
  const text = jsonPatchTextFor(form, "data");
  assertEquals(JSON.parse(text), jsonPatchFor(form, "data"));
  assertEquals(jsonPatchTextFor(form, "data"), text);
  assertEquals(JSON.parse(jsonPatchTextFor(form, "binaryData")), jsonPatchFor(form, "binaryData"));
  assertEquals(shapeOf(form), "data");
});
