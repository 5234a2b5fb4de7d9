/**
 * Printing a placement preview: two aligned tables (where each placement goes and
 * why; what it sends and why) followed by its problems, or the whole preview as JSON
 * or YAML (`-o json|yaml`) for scripts.
 *
 * @module
 */
import { stringify } from "yaml";
import type { PlacementPreview, PreviewObject } from "./preview.ts";
import {
  DENATURED_GROUP,
  denaturedKindNamed,
  naturedApiVersion,
} from "../../denature/denatured_kinds.ts";

/** The output formats. */
export type PreviewFormat = "table" | "json" | "yaml";

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => i === cells.length - 1 ? c : c.padEnd(widths[i])).join("   ");
  return [line(header), ...rows.map(line)];
}

/**
 * What a denatured object becomes on the edge clusters (`RoleBinding.rbac.authorization.k8s.io`),
 * else undefined (docs/denaturing.md).
 */
export function renaturedAs(o: Pick<PreviewObject, "apiVersion" | "kind">): string | undefined {
  if (!o.apiVersion.startsWith(`${DENATURED_GROUP}/`)) return undefined;
  const d = denaturedKindNamed(o.kind);
  if (!d) return undefined;
  return `${d.kind}${d.group ? `.${d.group}` : ""}`;
}

/** The lines of the table form. */
export function previewTable(previews: PlacementPreview[]): string[] {
  if (previews.length === 0) return ["No EdgePlacements found."];
  const where: string[][] = [];
  const what: string[][] = [];
  const problems: string[] = [];
  for (const p of previews) {
    if (p.destinations.length === 0) where.push([p.name, "<none>", "<none>", "-"]);
    for (const d of p.destinations) where.push([p.name, d.syncTarget, d.location, d.matchedBy]);
    if (p.objects.length === 0) what.push([p.name, "<nothing>", "-"]);
    for (const o of p.objects) {
      const kind = o.apiVersion.includes("/") ? `${o.kind}.${o.apiVersion.split("/")[0]}` : o.kind;
      const id = `${kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name}`;
      const renatured = renaturedAs(o);
      const notes = [
        ...(renatured ? [`denatured; ${renatured} on the edge`] : []),
        ...(o.createOnly ? ["create-only"] : []),
        ...(o.summarizedBy ? [`summarized by ${o.summarizedBy.join(", ")}`] : []),
      ];
      what.push([p.name, id + (notes.length ? ` (${notes.join("; ")})` : ""), o.matchedBy]);
    }
    for (const x of p.problems) problems.push(`${p.name}: ${x}`);
  }
  const out = [
    ...table(["PLACEMENT", "SYNCTARGET", "LOCATION", "LOCATION SELECTED BY"], where),
    "",
    ...table(["PLACEMENT", "OBJECT", "SELECTED BY"], what),
  ];
  if (problems.length > 0) out.push("", "PROBLEMS", ...problems);
  return out;
}

/** The text of `previews` in `format`. */
export function renderPreview(previews: PlacementPreview[], format: PreviewFormat): string {
  const doc = {
    placements: previews.map((p) => ({
      ...p,
      objects: p.objects.map((o) => {
        const d = renaturedAs(o) ? denaturedKindNamed(o.kind) : undefined;
        return d ? { ...o, renaturedAs: { apiVersion: naturedApiVersion(d), kind: d.kind } } : o;
      }),
    })),
  };
  if (format === "json") return JSON.stringify(doc, null, 2) + "\n";
  if (format === "yaml") return stringify(doc);
  return previewTable(previews).join("\n") + "\n";
}
