/**
 * The initialization of a new workspace's logical cluster (kcp-spec §2.5): the owner's
 * `workspace-admin` binding, then what each initializer of its type waits for — namespace
 * `default` for `root:universal` (and any other), the type's default APIBindings, created
 * and bound, for `system:apibindings` — and each initializer removed from the
 * LogicalCluster once done, `system:apibindings` last, in writes of their own as kcp's
 * initializing controllers make them. Called by the workspace controller inside its batch.
 *
 * @module
 */
import type { KubeObject } from "../../kube/rest_client.ts";
import type { ObjectKey } from "../store/object_store.ts";
import { A, F, getCondition, labelsOf, R } from "./kcp_kinds.ts";
import { defaultBindingName } from "./hashes.ts";
import { keyOf, logicalClusterKey as lcKey } from "./system_writer.ts";
import type { WorkspaceControllerOptions } from "./workspace_controller.ts";

/** What initialization needs of the workspace controller's options. */
export type InitializationOptions = Pick<
  WorkspaceControllerOptions,
  "store" | "writer" | "types" | "bound" | "bind"
>;

const APIBINDINGS_INITIALIZER = "system:apibindings";

function ownerUserName(lc: KubeObject): string | undefined {
  const text = lc.metadata?.annotations?.[A.owner];
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as { username?: unknown };
    return typeof v.username === "string" ? v.username : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Initializes what the LogicalCluster still waits for; its phase afterwards. The
 * initializers done at once are removed in one write, `system:apibindings` in its own
 * once the default bindings are bound, as kcp's initializing controllers remove theirs.
 */
export function initialize(opts: InitializationOptions, id: string, lc: KubeObject): string {
  const { writer } = opts;
  const pending = (lc.status as { initializers?: string[] } | undefined)?.initializers ?? [];
  const user = ownerUserName(lc);
  if (user) {
    writer.ensure(keyOf(id, R.clusterRoleBindings, "workspace-admin"), {
      roleRef: {
        apiGroup: "rbac.authorization.k8s.io",
        kind: "ClusterRole",
        name: "cluster-admin",
      },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: user }],
    });
  }
  // Content first, then the initializers that are done; the default bindings are bound
  // after that (kcp's order: its APIBinding controller binds what the initializer made).
  let bindings: ObjectKey[] = [];
  for (const init of pending) {
    if (init === APIBINDINGS_INITIALIZER) bindings = ensureDefaultBindings(opts, id);
    else {
      writer.ensure(keyOf(id, R.namespaces, "default"), {
        metadata: { annotations: { [A.createOnly]: "true" } },
        spec: { finalizers: ["kubernetes"] },
        status: { phase: "Active" },
      });
    }
  }
  const done = pending.filter((init) => init !== APIBINDINGS_INITIALIZER);
  let phase = "Initializing";
  if (done.length > 0 || pending.length === 0) phase = removeInitializers(opts, id, done);
  if (pending.includes(APIBINDINGS_INITIALIZER) && bindAll(opts, id, bindings)) {
    phase = removeInitializers(opts, id, [APIBINDINGS_INITIALIZER]);
  }
  return phase;
}

/** Removes completed initializers from the LogicalCluster; its phase afterwards. */
function removeInitializers(opts: InitializationOptions, id: string, done: string[]): string {
  let phase = "Initializing";
  opts.writer.mutate(lcKey(id), (o) => {
    const status = (o.status ??= {}) as { initializers?: string[]; phase?: string };
    status.initializers = (status.initializers ?? []).filter((i) => !done.includes(i));
    if (status.initializers.length === 0) {
      status.phase = "Ready";
      labelsOf(o)[A.phaseLabel] = "Ready";
    }
    phase = status.phase ?? phase;
  });
  return phase;
}

/** Creates the type's default APIBindings that are not Bound yet; their keys. */
function ensureDefaultBindings(opts: InitializationOptions, id: string): ObjectKey[] {
  const type = opts.types.typeOfCluster(id);
  const boundNow = opts.bound?.bindingsIn(id);
  const keys: ObjectKey[] = [];
  for (const b of type ? opts.types.defaultBindings(type) : []) {
    const name = defaultBindingName(id, b.path, b.export);
    // A binding the index knows is Bound exists and has completed its first binding.
    if (boundNow?.has(name)) continue;
    const key = keyOf(id, R.bindings, name);
    opts.writer.ensure(key, {
      metadata: { finalizers: [F.binding] },
      spec: { reference: { export: { path: b.path, name: b.export } } },
    });
    keys.push(key);
  }
  return keys;
}

/** Binds what has not completed its first binding; whether all have. */
function bindAll(opts: InitializationOptions, id: string, keys: ObjectKey[]): boolean {
  let all = true;
  for (const key of keys) {
    if (opts.bind ? opts.bind(id, key.name) : initiallyBound(opts, key)) continue;
    all = false;
  }
  return all;
}

function initiallyBound(opts: InitializationOptions, key: ObjectKey): boolean {
  const b = opts.store.get(key);
  return !b || getCondition(b, "InitialBindingCompleted")?.status === "True";
}
