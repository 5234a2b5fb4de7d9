/**
 * kube-apiserver's answers when a write's body cannot be decoded into a kind's Go type or
 * has fields the type does not declare (`fieldValidation`): for create and update a 400
 * `Pod in version "v1" cannot be handled as a Pod: …` (apiserver's `transformDecodeError`),
 * for merge and JSON patches a 422 `"" is invalid: patch: Invalid value: "<patched
 * object>": …`, and for strategic merge patches the same 422 with the patch written as Go
 * prints a map (`map[data:notamap]`) and the unstructured converter's wording.
 *
 * @example
 * ```ts
 * throw decodeFailure(def, { kind: "body" }, "json: cannot unmarshal …");
 * ```
 *
 * @module
 */
import type { ResourceDef } from "./resource_def.ts";
import { StatusError } from "./status_error.ts";

/** What was being decoded. */
export type DecodeSubject =
  | { kind: "body" }
  | { kind: "patch"; strategic: boolean; patch: unknown; patched: unknown };

/** The three `fieldValidation` directives (absent means Warn, as kube-apiserver has it). */
export type FieldValidation = "Ignore" | "Warn" | "Strict";

/**
 * The directive of a request's query. A value Kubernetes does not know is a 422 on the
 * request's options kind (`CreateOptions`, `UpdateOptions`, `PatchOptions`).
 */
export function fieldValidationOf(
  query: URLSearchParams,
  optionsKind: "CreateOptions" | "UpdateOptions" | "PatchOptions",
): FieldValidation {
  const v = query.get("fieldValidation") ?? "";
  if (v === "") return "Warn";
  if (v === "Ignore" || v === "Warn" || v === "Strict") return v;
  const message = `Unsupported value: ${
    JSON.stringify(v)
  }: supported values: "", "Ignore", "Strict", "Warn"`;
  return throwInvalidOptions(optionsKind, message);
}

function throwInvalidOptions(kind: string, message: string): never {
  throw new StatusError(
    422,
    "Invalid",
    `${kind}.meta.k8s.io "" is invalid: fieldValidation: ${message}`,
    {
      name: "",
      group: "meta.k8s.io",
      kind,
      causes: [{ reason: "FieldValueNotSupported", message, field: "fieldValidation" }],
    },
  );
}

/** `unknown field "spec.foo"`, as strict decoding words it (also the Warning text). */
export function unknownFieldMessage(path: string): string {
  return `unknown field ${JSON.stringify(path)}`;
}

/** `strict decoding error: unknown field "a", unknown field "b"`. */
export function strictDecodingMessage(paths: string[]): string {
  return `strict decoding error: ${paths.map(unknownFieldMessage).join(", ")}`;
}

/** Go's `%+v` of a value decoded into `interface{}` (`map[a:1 b:[x y]]`). */
export function goFormat(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (Array.isArray(v)) return `[${v.map(goFormat).join(" ")}]`;
  if (typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0
    );
    return `map[${entries.map(([k, x]) => `${k}:${goFormat(x)}`).join(" ")}]`;
  }
  return String(v);
}

/** The error for a failed decode of `subject` (`message` from `typed_decode.ts` or strict decoding). */
export function decodeFailure(
  def: ResourceDef,
  subject: DecodeSubject,
  message: string,
): StatusError {
  if (subject.kind === "body") {
    return StatusError.badRequest(
      `${def.kind} in version ${
        JSON.stringify(def.version)
      } cannot be handled as a ${def.kind}: ${message}`,
    );
  }
  const shown = subject.strategic ? goFormat(subject.patch) : JSON.stringify(subject.patched);
  return StatusError.invalid("", "", "", [{
    reason: "FieldValueInvalid",
    field: "patch",
    message: `Invalid value: ${JSON.stringify(shown)}: ${message}`,
  }]);
}
