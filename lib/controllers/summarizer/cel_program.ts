/**
 * CEL expressions of a StatusSummarizer, compiled once and evaluated per reported copy,
 * with `@bufbuild/cel` (the npm CEL evaluator that ships the CEL conformance data).
 *
 * Objects are handed to CEL as JSON the way Kubernetes' own CEL integration types them:
 * integral numbers are CEL `int`, others `double`, so `obj.status.readyReplicas >=
 * obj.spec.replicas` and `has(x) ? x : 0` mean what they say. Results come back as JSON
 * values (`int` → number). Nothing here throws: a syntax error is a `CompileError` and a
 * runtime error (a missing field, a type mismatch) is an `EvalFailure`.
 *
 * @example
 * ```ts
 * const p = compileCel("obj.status.readyReplicas >= 1");
 * if (!("error" in p)) p.evaluate({ obj: toCelInput({ status: { readyReplicas: 2 } }) }); // true
 * ```
 *
 * @module
 */
import {
  celEnv,
  type CelValue,
  isCelError,
  isCelList,
  isCelMap,
  isCelUint,
  parse,
  plan,
} from "@bufbuild/cel";

/** Longest expression accepted (characters). */
export const MAX_EXPRESSION_LENGTH = 4096;

/** A compiled expression. */
export interface CelProgram {
  source: string;
  /** The value as JSON, or the failure. */
  evaluate(bindings: Record<string, unknown>): unknown | EvalFailure;
}

/** Why an expression could not be compiled. */
export interface CompileError {
  error: string;
}

/** Why an evaluation failed. */
export class EvalFailure {
  constructor(readonly message: string) {}
}

const ENV = celEnv();

/** Compiles `source`; a syntax error (or an over-long text) is returned, never thrown. */
export function compileCel(source: string): CelProgram | CompileError {
  if (source.length > MAX_EXPRESSION_LENGTH) {
    return { error: `longer than ${MAX_EXPRESSION_LENGTH} characters` };
  }
  let run: (ctx: Record<string, unknown>) => unknown;
  try {
    run = plan(ENV, parse(source)) as unknown as (ctx: Record<string, unknown>) => unknown;
  } catch (e) {
    return { error: firstLine(e) };
  }
  return {
    source,
    evaluate(bindings) {
      let out: unknown;
      try {
        out = run(bindings);
      } catch (e) {
        return new EvalFailure(firstLine(e));
      }
      if (isCelError(out)) return new EvalFailure(firstLine(out));
      return fromCel(out as CelValue);
    },
  };
}

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split("\n")[0].replace(/^<input>:/, "at ");
}

/** JSON data as CEL input: integral numbers become `int` (bigint). */
export function toCelInput(value: unknown): unknown {
  if (typeof value === "number") {
    return Number.isSafeInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map(toCelInput);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toCelInput(v);
    return out;
  }
  return value;
}

/** A CEL value as JSON (`int`/`uint` → number, lists → arrays, maps → objects). */
export function fromCel(value: CelValue | unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (isCelUint(value)) return Number(value.value);
  if (isCelList(value)) return [...value].map(fromCel);
  if (isCelMap(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[String(isCelUint(k) ? k.value : k)] = fromCel(v);
    return out;
  }
  if (value instanceof Uint8Array) return btoa(String.fromCharCode(...value));
  if (value === null || ["string", "number", "boolean"].includes(typeof value)) return value;
  return String(value);
}
