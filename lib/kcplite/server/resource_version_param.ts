/**
 * The `resourceVersion` query parameter of get, list and watch, parsed as strictly as
 * kube-apiserver's storage parses it (`APIObjectVersioner.ParseResourceVersion`: empty or
 * `0` means "any", anything else an unsigned decimal integer). A malformed value is a 400
 * with the message kube-apiserver's etcd3 storage gives for a list
 * (`invalid resource version: resourceVersion: Invalid value: "abc": strconv.ParseUint:
 * parsing "abc": invalid syntax`); where kube-apiserver's watch cache answers the same
 * text with a 500 (a known upstream bug), kcp-lite answers 400 too.
 *
 * @example
 * ```ts
 * resourceVersionParam(new URLSearchParams("resourceVersion=12")); // 12
 * resourceVersionParam(new URLSearchParams("resourceVersion=0")); // undefined
 * resourceVersionParam(new URLSearchParams("resourceVersion=0x10")); // throws a 400
 * ```
 *
 * @module
 */
import { StatusError } from "../api/status_error.ts";

/** The largest value Go's `strconv.ParseUint(s, 10, 64)` accepts. */
const UINT64_MAX = 18446744073709551615n;

/** Go's `%q` of a string, as far as the Status message shows it. */
function goQuote(text: string): string {
  return JSON.stringify(text);
}

/**
 * The parameter as a number, or undefined when it is absent, empty or `0`; throws a 400
 * `StatusError` for anything `strconv.ParseUint` refuses.
 */
export function resourceVersionParam(query: URLSearchParams): number | undefined {
  const value = query.get("resourceVersion");
  if (value === null || value === "" || value === "0") return undefined;
  let problem: string | undefined;
  if (!/^[0-9]+$/.test(value)) problem = "invalid syntax";
  else if (BigInt(value) > UINT64_MAX) problem = "value out of range";
  if (problem) {
    throw StatusError.badRequest(
      `invalid resource version: resourceVersion: Invalid value: ${goQuote(value)}: ` +
        `strconv.ParseUint: parsing ${goQuote(value)}: ${problem}`,
    );
  }
  return Number(value);
}
