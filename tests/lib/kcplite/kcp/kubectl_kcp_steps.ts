/**
 * Steps the kcp-mode kubectl tests take on the way to what they test, done with real
 * kubectl: creating a Workspace in root until it is Ready, and binding an APIExport into
 * a workspace until the binding is Bound.
 *
 * @module
 */
import type { KubectlSession } from "../kubectl_session.ts";

/** Creates workspace `name` in the kubeconfig's current workspace; waits until it is Ready. */
export async function createReadyWorkspace(k: KubectlSession, name: string): Promise<void> {
  await k.ok(
    ["create", "-f", "-"],
    `apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: ${name}}\n`,
  );
  await k.until(
    ["get", "workspaces.tenancy.kcp.io", name, "-o", "jsonpath={.status.phase}"],
    "Ready",
  );
}

/**
 * Binds APIExport `exportPath:exportName` (the binding takes the export's name) in the
 * workspace that `server` (`--server` and its URL) points at; waits until it is Bound.
 */
export async function bindExport(
  k: KubectlSession,
  server: string[],
  exportPath: string,
  exportName: string,
): Promise<void> {
  await k.ok(
    [...server, "create", "-f", "-"],
    `apiVersion: apis.kcp.io/v1alpha1
kind: APIBinding
metadata: {name: ${exportName}}
spec:
  reference:
    export: {path: "${exportPath}", name: ${exportName}}
`,
  );
  await k.until(
    [...server, "get", "apibindings", exportName, "-o", "jsonpath={.status.phase}"],
    "Bound",
  );
}
