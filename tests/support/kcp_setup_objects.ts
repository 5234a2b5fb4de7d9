/**
 * Idempotent setup writes for tests on a kcp control plane through the REST client:
 * create an object unless it exists, and create a child workspace and wait until it is
 * Ready.
 *
 * @module
 */
import type { KubeObject, RestClient } from "../../lib/kube/rest_client.ts";
import { isAlreadyExists } from "../../lib/kube/rest_errors.ts";
import { eventually } from "./eventually.ts";

/** Where an object to ensure lives (its name comes from the object). */
export interface EnsureRef {
  group?: string;
  version: string;
  resource: string;
  namespace?: string;
}

const WORKSPACES = { group: "tenancy.kcp.io", version: "v1alpha1", resource: "workspaces" };

/** Creates `obj`; when it already exists, returns the stored one instead. */
export async function ensureObject(
  client: RestClient,
  ref: EnsureRef,
  obj: KubeObject,
): Promise<KubeObject> {
  try {
    return await client.create<KubeObject>(ref, obj);
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
    return await client.get<KubeObject>({ ...ref, name: obj.metadata!.name });
  }
}

/** Creates workspace `parent:name` (if absent) and waits until it is Ready. */
export async function ensureWorkspace(
  admin: RestClient,
  parent: string,
  name: string,
  annotations: Record<string, string> = {},
): Promise<KubeObject> {
  const p = admin.withCluster(parent);
  try {
    await ensureObject(p, WORKSPACES, {
      apiVersion: "tenancy.kcp.io/v1alpha1",
      kind: "Workspace",
      metadata: { name, annotations },
      spec: {},
    });
    return await eventually(`workspace ${parent}:${name}`, async () => {
      const ws = await p.get<KubeObject>({ ...WORKSPACES, name });
      return (ws.status as { phase?: string })?.phase === "Ready" ? ws : undefined;
    });
  } finally {
    p.close();
  }
}
