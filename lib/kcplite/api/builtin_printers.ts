/**
 * Table columns of the best-known built-in kinds, in the spirit of the API server's own
 * printers (`kubectl get deployments` → NAME READY UP-TO-DATE AVAILABLE AGE). Each
 * printer gives the column definitions after NAME and a function computing the cells.
 * They are keyed by `<group>/<plural>`, so a bound copy of a built-in kind (kcp's
 * `root:compute` deployments) prints the same way.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";

/** One `columnDefinitions` entry. */
export interface TableColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** Columns after NAME and the matching cells of one object. */
export interface BuiltinPrinter {
  columns: TableColumn[];
  cells(object: KubeObject, now: Date): unknown[];
  /** The printer supplies every column itself (no leading NAME), as for events. */
  ownsName?: boolean;
}

/** A column with an empty format. */
export function column(name: string, type = "string", description = "", priority = 0): TableColumn {
  return { name, type, format: "", description, priority };
}

/** Kubernetes' short human duration (`45s`, `5m10s`, `3h`, `4d2h`, `2y30d`). */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

/** The age of a timestamp, `<unknown>` when absent or unparsable. */
export function ageOf(timestamp: unknown, now: Date): string {
  if (typeof timestamp !== "string") return "<unknown>";
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? "<unknown>" : humanDuration(now.getTime() - t);
}

const AGE = column(
  "Age",
  "string",
  "CreationTimestamp is a timestamp representing the server time when this object was created.",
);

type Obj = Record<string, unknown>;
/** The object at `key`, or `{}` when there is none or it is not an object (defensive). */
const part = (o: unknown, key: string): Obj => {
  const v = (o as Obj | undefined)?.[key];
  return v && typeof v === "object" && !Array.isArray(v) ? v as Obj : {};
};
/** The array `v` holds, or `[]` (defensive: stored objects may predate validation). */
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** The objects of an array, skipping anything else. */
const objects = (v: unknown): Obj[] =>
  list(v).filter((x): x is Obj => Boolean(x) && typeof x === "object" && !Array.isArray(x));
const num = (v: unknown): number => (typeof v === "number" ? v : 0);
const created = (o: KubeObject) => o.metadata?.creationTimestamp;
const count = (v: unknown): number => (v && typeof v === "object" ? Object.keys(v).length : 0);

function withAge(columns: TableColumn[], cells: (o: KubeObject) => unknown[]): BuiltinPrinter {
  return {
    columns: [...columns, AGE],
    cells: (o, now) => [...cells(o), ageOf(created(o), now)],
  };
}

function podCells(o: KubeObject): unknown[] {
  const spec = part(o, "spec");
  const status = part(o, "status");
  const containers = list(spec.containers);
  const statuses = objects(status.containerStatuses);
  const ready = statuses.filter((s) => s.ready === true).length;
  const restarts = statuses.reduce((n, s) => n + num(s.restartCount), 0);
  const phase = String(status.reason ?? status.phase ?? "Pending");
  return [`${ready}/${containers.length}`, phase, restarts];
}

function servicePorts(o: KubeObject): string {
  const ports = objects(part(o, "spec").ports);
  if (ports.length === 0) return "<none>";
  return ports.map((p) =>
    `${p.port}${p.nodePort ? `:${p.nodePort}` : ""}/${String(p.protocol ?? "TCP")}`
  ).join(",");
}

function eventPrinter(core: boolean): BuiltinPrinter {
  return {
    ownsName: true,
    columns: [
      column("Last Seen"),
      column("Type"),
      column("Reason"),
      column("Object"),
      column("Message"),
      { ...column("Name"), format: "name", priority: 1 },
    ],
    cells: (o, now) => {
      const about = part(o, core ? "involvedObject" : "regarding");
      const last = core
        ? o.lastTimestamp ?? o.eventTime ?? created(o)
        : o.deprecatedLastTimestamp ?? o.eventTime ?? created(o);
      const kind = typeof about.kind === "string" ? about.kind.toLowerCase() : "";
      return [
        ageOf(last, now),
        o.type ?? "",
        o.reason ?? "",
        `${kind}/${about.name ?? ""}`,
        (core ? o.message : o.note) ?? "",
        o.metadata?.name ?? "",
      ];
    },
  };
}

const PRINTERS: Record<string, BuiltinPrinter> = {
  "/events": eventPrinter(true),
  "events.k8s.io/events": eventPrinter(false),
  "/namespaces": withAge([column("Status")], (o) => [part(o, "status").phase ?? "Active"]),
  "/configmaps": withAge(
    [column("Data", "integer")],
    (o) => [count(o.data) + count(o.binaryData)],
  ),
  "/secrets": withAge(
    [column("Type"), column("Data", "integer")],
    (o) => [o.type ?? "Opaque", count(o.data)],
  ),
  "/serviceaccounts": withAge(
    [column("Secrets", "integer")],
    (o) => [Array.isArray(o.secrets) ? o.secrets.length : 0],
  ),
  "/pods": withAge(
    [column("Ready"), column("Status"), column("Restarts", "integer")],
    podCells,
  ),
  "/services": withAge(
    [column("Type"), column("Cluster-IP"), column("External-IP"), column("Port(s)")],
    (o) => {
      const spec = part(o, "spec");
      const ext = list(spec.externalIPs).join(",");
      return [
        spec.type ?? "ClusterIP",
        spec.clusterIP ?? "<none>",
        ext || "<none>",
        servicePorts(o),
      ];
    },
  ),
  "/nodes": withAge([column("Status")], (o) => {
    const conds = objects(part(o, "status").conditions);
    const ready = conds.find((c) => c.type === "Ready");
    return [ready?.status === "True" ? "Ready" : "NotReady"];
  }),
  "apps/deployments": withAge(
    [column("Ready"), column("Up-to-date", "integer"), column("Available", "integer")],
    (o) => {
      const spec = part(o, "spec");
      const status = part(o, "status");
      const want = typeof spec.replicas === "number" ? spec.replicas : 1;
      return [
        `${num(status.readyReplicas)}/${want}`,
        num(status.updatedReplicas),
        num(status.availableReplicas),
      ];
    },
  ),
  "apps/replicasets": withAge(
    [column("Desired", "integer"), column("Current", "integer"), column("Ready", "integer")],
    (o) => [
      num(part(o, "spec").replicas ?? 1),
      num(part(o, "status").replicas),
      num(part(o, "status").readyReplicas),
    ],
  ),
  "apps/statefulsets": withAge([column("Ready")], (o) => [
    `${num(part(o, "status").readyReplicas)}/${num(part(o, "spec").replicas ?? 1)}`,
  ]),
  "apps/daemonsets": withAge(
    [
      column("Desired", "integer"),
      column("Current", "integer"),
      column("Ready", "integer"),
      column("Up-to-date", "integer"),
      column("Available", "integer"),
    ],
    (o) => {
      const s = part(o, "status");
      return [
        num(s.desiredNumberScheduled),
        num(s.currentNumberScheduled),
        num(s.numberReady),
        num(s.updatedNumberScheduled),
        num(s.numberAvailable),
      ];
    },
  ),
  "batch/jobs": withAge([column("Completions")], (o) => [
    `${num(part(o, "status").succeeded)}/${num(part(o, "spec").completions ?? 1)}`,
  ]),
  "batch/cronjobs": withAge(
    [column("Schedule"), column("Suspend", "boolean"), column("Active", "integer")],
    (o) => {
      const active = part(o, "status").active;
      return [
        part(o, "spec").schedule ?? "",
        part(o, "spec").suspend === true,
        Array.isArray(active) ? active.length : 0,
      ];
    },
  ),
  "apiextensions.k8s.io/customresourcedefinitions": {
    columns: [column("Created At", "date")],
    cells: (o) => [created(o) ?? null],
  },
  "rbac.authorization.k8s.io/clusterroles": {
    columns: [column("Created At", "date")],
    cells: (o) => [created(o) ?? null],
  },
  "rbac.authorization.k8s.io/roles": {
    columns: [column("Created At", "date")],
    cells: (o) => [created(o) ?? null],
  },
  "rbac.authorization.k8s.io/clusterrolebindings": withAge([column("Role")], (o) => {
    const ref = part(o, "roleRef");
    return [`${ref.kind}/${ref.name}`];
  }),
  "rbac.authorization.k8s.io/rolebindings": withAge([column("Role")], (o) => {
    const ref = part(o, "roleRef");
    return [`${ref.kind}/${ref.name}`];
  }),
  "coordination.k8s.io/leases": withAge(
    [column("Holder")],
    (o) => [part(o, "spec").holderIdentity ?? ""],
  ),
};

/** The printer of a built-in kind (`group`/`plural`), if it has one. */
export function builtinPrinter(group: string, resource: string): BuiltinPrinter | undefined {
  return PRINTERS[`${group}/${resource}`];
}
