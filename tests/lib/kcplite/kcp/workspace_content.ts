/**
 * What a new workspace holds once kcp-lite has made it Ready and its service-account
 * controller has run, checked in the store: used by the counting and crash tests.
 *
 * @module
 */
import type { KubeObject } from "../../../../lib/kube/rest_client.ts";
import type { ObjectStore } from "../../../../lib/kcplite/store/object_store.ts";
import { k } from "./kcp_test_env.ts";

export const WS = "tenancy.kcp.io/workspaces";
export const LC = "core.kcp.io/logicalclusters";
export const BINDINGS = "apis.kcp.io/apibindings";

const phase = (o: KubeObject | undefined) => (o?.status as { phase?: string } | undefined)?.phase;

/** What is still missing of the workspace's content (empty when it is complete). */
export function missingContent(store: ObjectStore, parent: string, name: string): string[] {
  const ws = store.get(k(parent, WS, name));
  if (phase(ws) !== "Ready") return [`workspace ${name} is ${phase(ws)}`];
  const id = (ws!.spec as { cluster: string }).cluster;
  const missing: string[] = [];
  if (phase(store.get(k(id, LC, "cluster"))) !== "Ready") missing.push("LogicalCluster Ready");
  if (!store.has(k(id, "/namespaces", "default"))) missing.push("namespace default");
  const bindings = store.list({ cluster: id, resource: BINDINGS }).items;
  if (bindings.filter((b) => phase(b) === "Bound").length !== 5) missing.push("5 Bound bindings");
  if (!store.has(k(id, "/configmaps", "kube-root-ca.crt", "default"))) {
    missing.push("kube-root-ca.crt");
  }
  const sa = store.get(k(id, "/serviceaccounts", "default", "default"));
  const token = (sa as { secrets?: { name: string }[] } | undefined)?.secrets?.[0]?.name;
  const secret = token ? store.get(k(id, "/secrets", token, "default")) : undefined;
  if (!(secret?.data as Record<string, string> | undefined)?.token) {
    missing.push("the default service account's token");
  }
  return missing;
}
