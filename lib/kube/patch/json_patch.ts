/**
 * JSON patch (RFC 6902, `application/json-patch+json`) with JSON pointers (RFC 6901):
 * `add`, `remove`, `replace`, `move`, `copy`, `test`; `-` appends to an array; `~1` is `/`
 * and `~0` is `~` in a path segment.
 *
 * Operations apply in order to a copy; the first failing operation throws PatchError and the
 * input is left untouched.
 *
 * @example
 * ```ts
 * applyJsonPatch({ a: [1] }, [{ op: "add", path: "/a/-", value: 2 }]); // { a: [1, 2] }
 * ```
 *
 * @module
 */
import { deepClone, deepEqual, isObject, setOwn } from "./json_value.ts";
import { PatchError } from "./patch_error.ts";

export { PatchError };

/** One operation. */
export interface JsonPatchOperation {
  op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  path: string;
  value?: unknown;
  from?: string;
}

/** Splits a JSON pointer into unescaped segments; `""` is the whole document. */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) {
    throw new PatchError(`invalid JSON pointer ${JSON.stringify(pointer)}: must start with "/"`);
  }
  return pointer.slice(1).split("/").map((s) => {
    if (/~[^01]|~$/.test(s)) {
      throw new PatchError(`invalid JSON pointer ${JSON.stringify(pointer)}: bad "~" escape`);
    }
    return s.replace(/~1/g, "/").replace(/~0/g, "~");
  });
}

function arrayIndex(seg: string, length: number, pointer: string, forAdd: boolean): number {
  if (forAdd && seg === "-") return length;
  if (!/^(0|[1-9][0-9]*)$/.test(seg)) {
    throw new PatchError(`invalid array index ${JSON.stringify(seg)} in path ${pointer}`);
  }
  const i = Number(seg);
  if (forAdd ? i > length : i >= length) {
    throw new PatchError(`array index ${i} out of bounds in path ${pointer}`);
  }
  return i;
}

/** Resolves the parent container of the pointer's last segment. */
function parentOf(doc: unknown, segs: string[], pointer: string): unknown {
  let cur = doc;
  for (const seg of segs.slice(0, -1)) {
    if (Array.isArray(cur)) {
      cur = cur[arrayIndex(seg, cur.length, pointer, false)];
    } else if (isObject(cur) && Object.hasOwn(cur, seg)) {
      cur = cur[seg];
    } else {
      throw new PatchError(`path ${pointer} does not exist`);
    }
  }
  if (!Array.isArray(cur) && !isObject(cur)) throw new PatchError(`path ${pointer} does not exist`);
  return cur;
}

/** Reads the value at a pointer; throws PatchError when it is missing. */
export function getAtPointer(doc: unknown, pointer: string): unknown {
  const segs = parseJsonPointer(pointer);
  if (segs.length === 0) return doc;
  const parent = parentOf(doc, segs, pointer);
  const last = segs[segs.length - 1];
  if (Array.isArray(parent)) return parent[arrayIndex(last, parent.length, pointer, false)];
  const obj = parent as Record<string, unknown>;
  if (!Object.hasOwn(obj, last)) throw new PatchError(`path ${pointer} does not exist`);
  return obj[last];
}

/** Returns the new document (the root may be replaced). Mutates `doc`, which is a copy. */
function add(doc: unknown, pointer: string, value: unknown): unknown {
  const segs = parseJsonPointer(pointer);
  if (segs.length === 0) return value;
  const parent = parentOf(doc, segs, pointer);
  const last = segs[segs.length - 1];
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(last, parent.length, pointer, true), 0, value);
  } else {
    setOwn(parent as Record<string, unknown>, last, value);
  }
  return doc;
}

function remove(doc: unknown, pointer: string): { doc: unknown; removed: unknown } {
  const segs = parseJsonPointer(pointer);
  if (segs.length === 0) throw new PatchError("cannot remove the whole document");
  const parent = parentOf(doc, segs, pointer);
  const last = segs[segs.length - 1];
  if (Array.isArray(parent)) {
    const [removed] = parent.splice(arrayIndex(last, parent.length, pointer, false), 1);
    return { doc, removed };
  }
  const obj = parent as Record<string, unknown>;
  if (!Object.hasOwn(obj, last)) throw new PatchError(`path ${pointer} does not exist`);
  const removed = obj[last];
  delete obj[last];
  return { doc, removed };
}

function requireValue(op: JsonPatchOperation, i: number): unknown {
  if (!Object.hasOwn(op, "value")) {
    throw new PatchError(`operation ${i} (${op.op} ${op.path}) is missing "value"`);
  }
  return deepClone(op.value);
}

function requireFrom(op: JsonPatchOperation, i: number): string {
  if (typeof op.from !== "string") {
    throw new PatchError(`operation ${i} (${op.op} ${op.path}) is missing "from"`);
  }
  return op.from;
}

/** Applies the operations in order to a copy of `doc` and returns it. */
export function applyJsonPatch(doc: unknown, ops: JsonPatchOperation[]): unknown {
  if (!Array.isArray(ops)) throw new PatchError("a JSON patch must be an array of operations");
  let cur = deepClone(doc);
  ops.forEach((op, i) => {
    if (!isObject(op) || typeof op.path !== "string") {
      throw new PatchError(`operation ${i} needs "op" and a string "path"`);
    }
    switch (op.op) {
      case "add":
        cur = add(cur, op.path, requireValue(op, i));
        break;
      case "remove":
        cur = remove(cur, op.path).doc;
        break;
      case "replace": {
        const value = requireValue(op, i);
        getAtPointer(cur, op.path);
        if (op.path === "") {
          cur = value;
        } else {
          cur = add(remove(cur, op.path).doc, op.path, value);
        }
        break;
      }
      case "move": {
        const from = requireFrom(op, i);
        if (op.path !== from && op.path.startsWith(from + "/")) {
          throw new PatchError(`cannot move ${from} into its own child ${op.path}`);
        }
        if (from === op.path) {
          getAtPointer(cur, from);
          break;
        }
        const r = remove(cur, from);
        cur = add(r.doc, op.path, r.removed);
        break;
      }
      case "copy": {
        const value = deepClone(getAtPointer(cur, requireFrom(op, i)));
        cur = add(cur, op.path, value);
        break;
      }
      case "test": {
        const value = requireValue(op, i);
        if (!deepEqual(getAtPointer(cur, op.path), value)) {
          throw new PatchError(`testing value ${op.path} failed`);
        }
        break;
      }
      default:
        throw new PatchError(`unknown JSON patch operation ${JSON.stringify(op.op)}`);
    }
  });
  return cur;
}
