/**
 * From the selector string syntax to the object form: apimachinery's
 * `metav1.ParseToLabelSelector`. `a=b` and `a==b` go to `matchLabels`; `in`, `notin`,
 * exists and `!a` to `matchExpressions`; `!=`, `gt` and `lt` have no object form and
 * throw `SelectorError`, as do strings that do not parse.
 *
 * @example
 * ```ts
 * parseToLabelSelector("env=prod,tier in (web)");
 * // { matchLabels: { env: "prod" }, matchExpressions: [{ key: "tier", operator: "In", values: ["web"] }] }
 * ```
 *
 * @module
 */
import {
  type LabelSelector,
  type LabelSelectorRequirement,
  parseLabelSelector,
  SelectorError,
} from "./label_selector.ts";

const OPERATORS: Record<string, LabelSelectorRequirement["operator"]> = {
  in: "In",
  notin: "NotIn",
  exists: "Exists",
  "!": "DoesNotExist",
};

/** The `metav1.LabelSelector` that `text` stands for. */
export function parseToLabelSelector(text: string): LabelSelector {
  const out: LabelSelector = { matchLabels: {}, matchExpressions: [] };
  for (const r of parseLabelSelector(text).requirements ?? []) {
    if (r.operator === "=" || r.operator === "==") {
      out.matchLabels![r.key] = r.values[0];
      continue;
    }
    if (r.operator === "gt" || r.operator === "lt") {
      throw new SelectorError(`"${r.operator}" isn't supported in label selectors`);
    }
    const op = OPERATORS[r.operator];
    if (!op) throw new SelectorError(`"${r.operator}" is not a valid label selector operator`);
    out.matchExpressions!.push({
      key: r.key,
      operator: op,
      ...(r.values.length > 0 ? { values: [...r.values] } : {}),
    });
  }
  return out;
}
