/**
 * YAML text that kubectl reads back as the same values.
 *
 * kubectl reads YAML with go-yaml v2 (YAML 1.1 rules plus Go's number parsing), where
 * plain `yes`, `on`, `n`, `007`, `0o17`, `1_000` or `2023-05-19` are not strings. A
 * ConfigMap whose data holds such a string, written plainly, comes back as a bool, a
 * number or a timestamp, and `kubectl create -f` rejects it. So strings are emitted in
 * YAML 1.1 style (the `yaml` package quotes what 1.1 would read otherwise) and, on top
 * of that, every string go-yaml v2 would take for a number (Go's `strconv` syntax) is
 * quoted.
 * Everything else is printed as kubectl prints it (sequences in maps not indented).
 *
 * @example
 * ```ts
 * kubectlYaml({ data: { enabled: "yes", n: "007", when: "2023-05-19" } });
 * // data:\n  enabled: "yes"\n  n: "007"\n  when: "2023-05-19"\n
 * ```
 *
 * @module
 */
import { Document, isScalar, Scalar, visit } from "yaml";

/** go-yaml v2's float syntax (`yamlStyleFloat`), applied after removing underscores. */
const GO_YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** What Go's `strconv.ParseInt(s, 0, 64)` accepts (with a sign), underscores removed. */
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)$/;

/** True when go-yaml v2 would read the plain scalar `s` as something other than a string. */
export function goYamlReadsAsNonString(s: string): boolean {
  if (!/^[-+.0-9]/.test(s)) return false;
  const plain = s.replaceAll("_", "");
  return GO_INT.test(plain) || GO_YAML_FLOAT.test(plain);
}

/** The YAML text of `value` (a document, without `---`), safe for kubectl to read back. */
export function kubectlYaml(value: unknown): string {
  const doc = new Document(value, { version: "1.1" });
  visit(doc, {
    Scalar(_key, node: Scalar) {
      if (typeof node.value === "string" && goYamlReadsAsNonString(node.value)) {
        node.type = Scalar.QUOTE_DOUBLE;
      }
    },
    Pair(_key, pair) {
      if (isScalar(pair.key) && typeof pair.key.value === "string") {
        if (goYamlReadsAsNonString(pair.key.value)) pair.key.type = Scalar.QUOTE_DOUBLE;
      }
    },
  });
  // Sequences in maps unindented, as go-yaml (kubectl, upstream's tools) prints them.
  return doc.toString({ indentSeq: false });
}
