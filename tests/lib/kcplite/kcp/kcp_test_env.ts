/**
 * Shared set-up for kcp-mode store-level tests: a memory store, a started kcp backend
 * and helpers to wait for controllers and to run admission like the server would.
 *
 * @module
 */
import type { KubeObject } from "../../../../lib/kube/rest_client.ts";
import { generateRsaSigningKey } from "../../../../lib/kcplite/auth/jwt.ts";
import type { UserInfo } from "../../../../lib/kcplite/auth/rbac.ts";
import { openMemoryStore } from "../../../../lib/kcplite/store/memory_store.ts";
import type { ObjectKey, ObjectStore } from "../../../../lib/kcplite/store/object_store.ts";
import { type KcpBackend, startKcpBackend } from "../../../../lib/kcplite/kcp/kcp_backend.ts";

export const SERVER = "https://127.0.0.1:6443";
export const ADMIN: UserInfo = {
  name: "kcp-admin",
  groups: ["system:kcp:admin", "system:authenticated"],
};
export const SHARD_ADMIN: UserInfo = { name: "shard-admin", groups: ["system:masters"] };

const keys = await generateRsaSigningKey();

/** A running backend on a fresh memory store. */
export interface KcpTestEnv {
  store: ObjectStore;
  backend: KcpBackend;
  keys: CryptoKeyPair;
  close(): Promise<void>;
}

/** Starts kcp mode on a memory store (or on `store`, which `close` then closes). */
export async function startEnv(store: ObjectStore = openMemoryStore()): Promise<KcpTestEnv> {
  const errors: unknown[] = [];
  const backend = await startKcpBackend(store, {
    serverUrl: () => SERVER,
    serviceAccountKey: keys,
    caCertPem: () => "-----BEGIN CERTIFICATE-----\nTEST\n-----END CERTIFICATE-----\n",
    onError: (_c, _k, e) => errors.push(e),
  });
  return {
    store,
    backend,
    keys,
    async close() {
      backend.stop();
      await new Promise((r) => setTimeout(r, 0));
      store.close();
    },
  };
}

/** Polls `fn` until it returns a truthy value (at most ~5 s of 5 ms ticks). */
export async function waitFor<T>(fn: () => T | undefined | false, what: string): Promise<T> {
  for (let i = 0; i < 1000; i++) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Waits until the store has seen no write for `quietMs` (controllers are idle). */
export async function settle(store: ObjectStore, quietMs = 100): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const rv = store.currentResourceVersion();
    await new Promise((r) => setTimeout(r, quietMs));
    if (store.currentResourceVersion() === rv) return;
  }
  throw new Error("the store never settled");
}

/** A key. */
export function k(cluster: string, resource: string, name: string, namespace = ""): ObjectKey {
  return { cluster, resource, namespace, name };
}

/**
 * Creates an object the way the server would: generic defaulting, backend admission,
 * store write. Throws what admission throws.
 */
export function apiCreate(
  env: KcpTestEnv,
  cluster: string,
  group: string,
  resource: string,
  object: KubeObject,
  user: UserInfo = ADMIN,
): KubeObject {
  const reg = env.backend.resources(cluster);
  const def = reg.all().find((d) => d.group === group && d.resource === resource);
  if (!def) throw new Error(`${resource}.${group} not served in ${cluster}`);
  const obj = structuredClone(object);
  const md = obj.metadata ??= {};
  md.uid = crypto.randomUUID();
  md.creationTimestamp = new Date().toISOString();
  env.backend.admit({ operation: "CREATE", cluster, def, object: obj, user });
  return env.store.create(
    k(cluster, def.storageResource, md.name!, def.namespaced ? md.namespace ?? "default" : ""),
    obj,
  );
}

/** Deletes like the API: marks when finalizers are present, removes otherwise. */
export function apiDelete(env: KcpTestEnv, key: ObjectKey): void {
  const obj = env.store.get(key);
  if (!obj) return;
  const finalizers = (obj.metadata?.finalizers as string[] | undefined) ?? [];
  if (finalizers.length === 0) {
    env.store.delete(key);
    return;
  }
  obj.metadata!.deletionTimestamp = new Date().toISOString();
  env.store.update(key, obj);
}
