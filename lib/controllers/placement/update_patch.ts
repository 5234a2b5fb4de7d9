/**
 * The update of a mailbox copy the translator wrote before, as one JSON patch
 * (RFC 6902) instead of a read and a replace, with the same outcome as `mergedForm`:
 * every top-level field but `metadata` and `status` is replaced by the new form's (and
 * removed when the form no longer has it), labels and annotations are set key by key
 * (keys only the mailbox copy has survive), and the status is left alone.
 *
 * The patch needs the previous form's shape (`shapeOf`: its top-level fields), which
 * the writer keeps instead of the form itself. A patch that cannot apply (the copy lost
 * its labels or annotations map meanwhile) is refused by the server; the writer then
 * reads, merges and replaces.
 *
 * @example
 * ```ts
 * const ops = jsonPatchFor(newForm, shapeOf(oldForm));
 * await client.patch(ref, ops, "json");
 * ```
 *
 * @module
 */
import type { KubeObject } from "../../controller/list_watch.ts";

const SKIPPED = new Set(["apiVersion", "kind", "metadata", "status"]);
const shapes = new Map<string, string>();
/** Per form (held weakly: an entry goes with its form): its shape, its last patch text. */
const shapeByForm = new WeakMap<KubeObject, string>();
const patchTextByForm = new WeakMap<KubeObject, { previous: string; text: string }>();

/** One JSON patch operation. */
export interface PatchOp {
  op: "add" | "remove";
  path: string;
  value?: unknown;
}

/** Escapes a JSON pointer token (RFC 6901). */
function token(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

function fields(form: KubeObject): string[] {
  return Object.keys(form).filter((k) => !SKIPPED.has(k)).sort();
}

/**
 * The shape of a form: its top-level fields other than identity, metadata and status.
 * Equal shapes are the same string instance (interned), so thousands of copies of one
 * kind share one.
 */
export function shapeOf(form: KubeObject): string {
  let shape = shapeByForm.get(form);
  if (shape !== undefined) return shape;
  const text = fields(form).join("\n");
  shape = shapes.get(text);
  if (shape === undefined) shapes.set(text, shape = text);
  shapeByForm.set(form, shape);
  return shape;
}

/**
 * `jsonPatchFor` as the request body's JSON text. A form the projection shares between
 * mailboxes (forms are never changed once made) is usually written over the same shape
 * in each of them: the text is made once and reused, not built and serialized again per
 * copy.
 */
export function jsonPatchTextFor(form: KubeObject, previous: string): string {
  const hit = patchTextByForm.get(form);
  if (hit?.previous === previous) return hit.text;
  const text = JSON.stringify(jsonPatchFor(form, previous));
  patchTextByForm.set(form, { previous, text });
  return text;
}

/** The JSON patch turning a copy written with shape `previous` into `form`. */
export function jsonPatchFor(form: KubeObject, previous: string): PatchOp[] {
  const ops: PatchOp[] = [];
  const now = fields(form);
  const before = previous === "" ? [] : previous.split("\n");
  for (const f of now) ops.push({ op: "add", path: `/${token(f)}`, value: form[f] });
  for (const f of before) {
    if (!now.includes(f)) ops.push({ op: "remove", path: `/${token(f)}` });
  }
  for (const [k, v] of Object.entries(form.metadata?.labels ?? {})) {
    ops.push({ op: "add", path: `/metadata/labels/${token(k)}`, value: v });
  }
  for (const [k, v] of Object.entries(form.metadata?.annotations ?? {})) {
    ops.push({ op: "add", path: `/metadata/annotations/${token(k)}`, value: v });
  }
  return ops;
}
