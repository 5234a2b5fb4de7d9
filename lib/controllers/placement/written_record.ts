/**
 * What a mailbox writer remembers of each copy it wrote: the form's fingerprint, API
 * version and top-level shape, in one record that never changes once made. The copies
 * of one projected form in many mailboxes share one record (a form placed on 10,000
 * mailboxes is one record, not 10,000), and copies learned after a restart share one
 * "form unknown" record per API version.
 *
 * @module
 */
import type { KubeObject } from "../../controller/list_watch.ts";
import { shapeOf } from "./update_patch.ts";

/**
 * What the writer remembers of one copy. Never changed once made: the copies of one
 * projected form in many mailboxes share one (`writtenFor`).
 */
export interface Written {
  /** Fingerprint of the form last written ("" = unknown, e.g. learned after a restart). */
  readonly hash: string;
  readonly version: string;
  /** Top-level shape of the form last written (`shapeOf`). */
  readonly shape: string;
}

/** The record of `form` written at `version`, shared by every mailbox it was written to. */
const writtenByForm = new WeakMap<KubeObject, Written>();
/** "Known, form unknown" records, one per API version. */
const unknownByVersion = new Map<string, Written>();

/** The record of a copy just written as `form` (fingerprint `hash`) at `version`. */
export function writtenFor(form: KubeObject, hash: string, version: string): Written {
  const had = writtenByForm.get(form);
  if (had && had.hash === hash && had.version === version) return had;
  const made: Written = { hash, version, shape: shapeOf(form) };
  writtenByForm.set(form, made);
  return made;
}

/** The record of a copy known to exist at `version` whose form is not known. */
export function unknownForm(version: string): Written {
  let w = unknownByVersion.get(version);
  if (!w) unknownByVersion.set(version, w = { hash: "", version, shape: "" });
  return w;
}
