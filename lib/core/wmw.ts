/**
 * The APIBindings of a workload management workspace (commands-spec §10.1): `bind-espw`
 * to the edge API, and `bind-<export>` to each of `root:compute`'s Kubernetes exports
 * when the WMW should include the kube API (`--with-kube true`, the default).
 *
 * @module
 */
import { edgeApiBinding } from "../edge/api_export.ts";
import type { KubeObject, RestClient } from "../kube/rest_client.ts";
import { describeError, UserError } from "../cli/errors.ts";
import { isAlreadyExists, isForbidden, isNotFound } from "../kube/rest_errors.ts";
import { waitForBindings } from "./api_bindings.ts";
import { DEFAULT_ESPW_PATH } from "./inventory.ts";
import { createdLine, deletedLine } from "./kubectl_lines.ts";

const API_BINDINGS = { group: "apis.kcp.io", version: "v1alpha1", resource: "apibindings" };

/** The workspace holding the Kubernetes exports. */
export const COMPUTE_PATH = "root:compute";

/** The exports of `root:compute` a WMW binds with `--with-kube true`, in order. */
export const KUBE_EXPORTS = [
  "kubernetes",
  "apiregistration.k8s.io",
  "apps",
  "autoscaling",
  "batch",
  "core.k8s.io",
  "cluster-core.k8s.io",
  "discovery.k8s.io",
  "flowcontrol.apiserver.k8s.io",
  "networking.k8s.io",
  "cluster-networking.k8s.io",
  "node.k8s.io",
  "policy",
  "scheduling.k8s.io",
  "storage.k8s.io",
  "cluster-storage.k8s.io",
];

/** The binding to the edge API every WMW has. */
export const ESPW_BINDING = "bind-espw";

/** Creates one binding; false if it already existed. Clear error when binding is refused. */
async function createBinding(client: RestClient, body: KubeObject): Promise<boolean> {
  try {
    await client.create(API_BINDINGS, body);
    return true;
  } catch (e) {
    if (isAlreadyExists(e)) return false;
    if (isForbidden(e)) {
      const ref = (body.spec as { reference: { export: { path: string; name: string } } })
        .reference.export;
      throw new UserError(
        `cannot bind ${ref.path}:${ref.name} (${describeError(e)}): ` +
          `has 'kubestellar init' been run on this server?`,
      );
    }
    throw e;
  }
}

/** An APIBinding `name` to export `exportName` at `path`. */
export function apiBindingTo(name: string, path: string, exportName: string): KubeObject {
  return {
    apiVersion: "apis.kcp.io/v1alpha1",
    kind: "APIBinding",
    metadata: { name },
    spec: { reference: { export: { path, name: exportName } } },
  };
}

/**
 * Ensures the WMW's bindings: `bind-espw` always; the kube bindings present when
 * `withKube`, absent otherwise. The writes are sent concurrently; kubectl's line for each
 * change is printed in the documented order. Then waits (bounded) until the bindings it
 * created are Bound, so the WMW serves their resources.
 */
export async function ensureWmwBindings(
  client: RestClient,
  withKube: boolean,
  print: (line: string) => void,
  espwPath = DEFAULT_ESPW_PATH,
): Promise<void> {
  const list = await client.list<KubeObject>(API_BINDINGS);
  const present = new Set((list.items ?? []).map((b) => b.metadata?.name));
  const wanted: KubeObject[] = [];
  if (!present.has(ESPW_BINDING)) wanted.push(edgeApiBinding(ESPW_BINDING, espwPath));
  const unwanted: string[] = [];
  for (const exportName of KUBE_EXPORTS) {
    const name = `bind-${exportName}`;
    if (withKube && !present.has(name)) wanted.push(apiBindingTo(name, COMPUTE_PATH, exportName));
    else if (!withKube && present.has(name)) unwanted.push(name);
  }
  // The writes go out together; the lines come in the documented order.
  const made = await Promise.allSettled(wanted.map((body) => createBinding(client, body)));
  const created: string[] = [];
  made.forEach((r, i) => {
    const name = wanted[i].metadata!.name!;
    if (r.status === "fulfilled" && r.value) {
      print(createdLine("APIBinding", "apis.kcp.io", name));
      created.push(name);
    }
  });
  const failed = made.find((r) => r.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  const gone = await Promise.allSettled(unwanted.map(async (name) => {
    try {
      await client.delete({ ...API_BINDINGS, name });
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }));
  gone.forEach((r, i) => {
    if (r.status === "fulfilled" && r.value) {
      print(deletedLine("APIBinding", "apis.kcp.io", unwanted[i]));
    }
  });
  const notGone = gone.find((r) => r.status === "rejected");
  if (notGone) throw (notGone as PromiseRejectedResult).reason;
  await waitForBindings(client, created);
}
