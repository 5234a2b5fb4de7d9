/**
 * `meta.k8s.io/v1` Table answers (kcp-spec §8.9) for `kubectl get`: NAME, then the
 * resource's printer columns (CRD/kcp `additionalPrinterColumns`, or the built-in
 * printer of a well-known kind), AGE by default; `includeObject` decides what each row
 * carries (`Metadata`, the default, a PartialObjectMetadata; `Object` the object;
 * `None` nothing).
 *
 * @example
 * ```ts
 * const table = toTable(def, list.items, { resourceVersion: String(list.resourceVersion) });
 * ```
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import { ageOf, builtinPrinter, column, type TableColumn } from "./builtin_printers.ts";
import { readJsonPath } from "./printer_jsonpath.ts";
import type { PrinterColumn, ResourceDef } from "./resource_def.ts";

export type { TableColumn } from "./builtin_printers.ts";

/** What each row carries. */
export type IncludeObject = "None" | "Metadata" | "Object";

/** Options of {@link toTable}. */
export interface TableOptions {
  /** Default `Metadata`. */
  includeObject?: IncludeObject;
  /** The list's resourceVersion (`metadata.resourceVersion`). */
  resourceVersion?: string;
  /** The list's continue token. */
  continue?: string;
  remainingItemCount?: number;
  /** The time ages are computed against (default: now). */
  now?: Date;
}

/** One row. */
export interface TableRow {
  cells: unknown[];
  object?: KubeObject;
}

/** The Table document. */
export interface Table {
  kind: "Table";
  apiVersion: "meta.k8s.io/v1";
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumn[];
  rows: TableRow[];
}

const NAME_COLUMN: TableColumn = {
  name: "Name",
  type: "string",
  format: "name",
  description:
    "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically.",
  priority: 0,
};

/** The `includeObject` query value, validated (`undefined` for a bad value). */
export function parseIncludeObject(value: string | null | undefined): IncludeObject | undefined {
  if (value === null || value === undefined || value === "") return "Metadata";
  return value === "None" || value === "Metadata" || value === "Object" ? value : undefined;
}

function printerCell(c: PrinterColumn, object: KubeObject, now: Date): unknown {
  const values = readJsonPath(object, c.jsonPath);
  if (values.length === 0) return null;
  if (values.length > 1) {
    return values.map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v))).join(",");
  }
  const v = values[0];
  switch (c.type) {
    case "date":
      return typeof v === "string" ? ageOf(v, now) : v;
    case "integer":
    case "number":
    case "boolean":
      return v;
    default:
      return typeof v === "object" && v !== null ? JSON.stringify(v) : v;
  }
}

/** Column definitions and cell function of a resource, NAME excluded. */
function columnsOf(
  def: ResourceDef,
): { columns: TableColumn[]; cells: (o: KubeObject, now: Date) => unknown[]; ownsName?: boolean } {
  if (def.printerColumns?.length) {
    const cols = def.printerColumns;
    return {
      columns: cols.map((c) => ({
        name: c.name,
        type: c.type,
        format: c.format ?? "",
        description: c.description ?? "",
        priority: c.priority ?? 0,
      })),
      cells: (o, now) => cols.map((c) => printerCell(c, o, now)),
    };
  }
  const printer = builtinPrinter(def.group, def.resource);
  if (printer) return printer;
  return {
    columns: [column("Age", "date")],
    cells: (o, now) => [ageOf(o.metadata?.creationTimestamp, now)],
  };
}

function rowObject(o: KubeObject, include: IncludeObject): KubeObject | undefined {
  if (include === "None") return undefined;
  if (include === "Object") return o;
  return {
    kind: "PartialObjectMetadata",
    apiVersion: "meta.k8s.io/v1",
    metadata: { ...(o.metadata ?? {}) },
  };
}

/**
 * A row's cells; `<unknown>` in each column when the object is not what the printer expects
 * (one odd stored object never fails a whole list).
 */
function safeCells(
  cells: (o: KubeObject, now: Date) => unknown[],
  o: KubeObject,
  now: Date,
  n: number,
): unknown[] {
  try {
    return cells(o, now);
  } catch {
    return Array.from({ length: n }, () => "<unknown>");
  }
}

/** The Table of `items` of resource `def`. */
export function toTable(def: ResourceDef, items: KubeObject[], options: TableOptions = {}): Table {
  const now = options.now ?? new Date();
  const include = options.includeObject ?? "Metadata";
  const { columns, cells, ownsName } = columnsOf(def);
  const metadata: Table["metadata"] = {};
  if (options.resourceVersion !== undefined) metadata.resourceVersion = options.resourceVersion;
  if (options.continue) metadata.continue = options.continue;
  if (options.remainingItemCount !== undefined) {
    metadata.remainingItemCount = options.remainingItemCount;
  }
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata,
    columnDefinitions: ownsName ? columns : [NAME_COLUMN, ...columns],
    rows: items.map((o) => {
      const row: TableRow = {
        cells: ownsName
          ? safeCells(cells, o, now, columns.length)
          : [o.metadata?.name ?? "", ...safeCells(cells, o, now, columns.length)],
      };
      const object = rowObject(o, include);
      if (object) row.object = object;
      return row;
    }),
  };
}
