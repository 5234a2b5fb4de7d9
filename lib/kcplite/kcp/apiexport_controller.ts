/**
 * The APIExport controller (kcp-spec §3.2): gives each export an identity (a random key
 * in Secret `kcp-system/<export>`, `spec.identity.secretRef`), publishes
 * `status.identityHash` (hex sha256 of the key), the virtual-workspace URL
 * `<server>/services/apiexport/<cluster id>/<export>` and the conditions `IdentityValid`
 * and `VirtualWorkspaceURLsReady`, and keeps the `kcp.io/path` annotation.
 *
 * @module
 */
import type { ObjectStore } from "../store/object_store.ts";
import { A, annotationsOf, R, setCondition } from "./kcp_kinds.ts";
import type { LogicalClusterDirectory } from "./logical_clusters.ts";
import { keyOf, type SystemWriter } from "./system_writer.ts";
import {
  joinKey,
  splitKey,
  startStoreController,
  type StoreController,
} from "./store_controller.ts";

/** What the controller needs. */
export interface ApiExportControllerOptions {
  store: ObjectStore;
  dir: LogicalClusterDirectory;
  writer: SystemWriter;
  serverUrl(): string;
  onError?(key: string, error: unknown): void;
}

/** Namespace of identity Secrets. */
export const IDENTITY_NAMESPACE = "kcp-system";

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The identity hash of a key: lowercase hex sha256. */
export async function identityHashOf(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  return hex(new Uint8Array(digest));
}

/** The virtual workspace URL of an export. */
export function virtualWorkspaceUrl(server: string, clusterId: string, name: string): string {
  return `${server}/services/apiexport/${clusterId}/${name}`;
}

function decodeBase64(text: string): string {
  const bin = atob(text);
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

/** Starts the controller. */
export function startApiExportController(opts: ApiExportControllerOptions): StoreController {
  const { store, writer } = opts;
  return startStoreController("apiexports", store, [
    { scope: { resource: R.exports }, keys: (k) => [joinKey(k.cluster, k.name)] },
  ], async (key) => {
    const { cluster, name } = splitKey(key);
    const exportKey = keyOf(cluster, R.exports, name);
    const exp = store.get(exportKey);
    if (!exp) return;
    let secretRef =
      (exp.spec as { identity?: { secretRef?: { namespace?: string; name?: string } } })
        ?.identity?.secretRef;
    if (!secretRef?.name) {
      writer.ensure(keyOf(cluster, R.namespaces, IDENTITY_NAMESPACE), {
        spec: { finalizers: ["kubernetes"] },
        status: { phase: "Active" },
      });
      const random = hex(crypto.getRandomValues(new Uint8Array(32)));
      writer.ensure(keyOf(cluster, R.secrets, name, IDENTITY_NAMESPACE), {
        type: "Opaque",
        data: { key: btoa(random) },
      });
      secretRef = { namespace: IDENTITY_NAMESPACE, name };
    }
    const secret = store.get(
      keyOf(cluster, R.secrets, secretRef.name!, secretRef.namespace ?? IDENTITY_NAMESPACE),
    );
    const encoded = (secret?.data as { key?: string } | undefined)?.key;
    const identity = encoded ? await identityHashOf(decodeBase64(encoded)) : undefined;
    const path = opts.dir.pathOf(cluster) ?? cluster;
    const ref = secretRef;
    writer.mutate(exportKey, (o) => {
      annotationsOf(o)[A.path] = path;
      const spec = (o.spec ??= {}) as Record<string, unknown>;
      const idSpec = (spec.identity ??= {}) as Record<string, unknown>;
      idSpec.secretRef ??= ref;
      const status = (o.status ??= {}) as Record<string, unknown>;
      if (!identity) {
        setCondition(o, {
          type: "IdentityValid",
          status: "False",
          reason: "IdentityVerificationFailed",
          message: `identity secret ${ref.namespace}/${ref.name} has no key`,
        });
        return;
      }
      status.identityHash ??= identity;
      if (status.identityHash !== identity) {
        setCondition(o, {
          type: "IdentityValid",
          status: "False",
          reason: "IdentityMismatch",
          message: "the identity secret does not match status.identityHash",
        });
        return;
      }
      setCondition(o, { type: "IdentityValid", status: "True" });
      status.virtualWorkspaces = [{
        url: virtualWorkspaceUrl(opts.serverUrl(), cluster, name),
      }];
      setCondition(o, { type: "VirtualWorkspaceURLsReady", status: "True" });
    });
  }, { onError: opts.onError });
}
