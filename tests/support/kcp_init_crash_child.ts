/**
 * Child process of kcp-lite's crash-during-initialization test: runs kcp mode on the
 * SQLite store at `Deno.args[0]`, creates workspaces in `root` one at a time, printing
 * `created <name>` once each create has returned (acknowledged), and kills itself with
 * SIGKILL in the middle of a workspace controller batch: at the `Deno.args[1]`-th object
 * the controllers create, while a workspace is being initialized.
 *
 * @module
 */
import { generateRsaSigningKey } from "../../lib/kcplite/auth/jwt.ts";
import { startKcpBackend } from "../../lib/kcplite/kcp/kcp_backend.ts";
import type { ObjectKey, ObjectStore } from "../../lib/kcplite/store/object_store.ts";
import { openSqliteStore } from "../../lib/kcplite/store/sqlite_store.ts";
import type { KubeObject } from "../../lib/kube/rest_client.ts";

const [path, killAtArg] = Deno.args;
const killAt = Number(killAtArg);
const store = openSqliteStore(path);
let armed = false;
let systemCreates = 0;
// The controllers' creates go through `createJson`; the test's own through `create`.
const controllerStore = new Proxy(store, {
  get(target, property) {
    const value = Reflect.get(target, property);
    if (typeof value !== "function") return value;
    if (property !== "createJson") return value.bind(target);
    return (key: ObjectKey, object: KubeObject) => {
      if (armed && key.resource === "apis.kcp.io/apibindings" && ++systemCreates === killAt) {
        Deno.kill(Deno.pid, "SIGKILL");
      }
      return target.createJson(key, object);
    };
  },
}) as ObjectStore;

const backend = await startKcpBackend(controllerStore, {
  serverUrl: () => "https://127.0.0.1:6443",
  serviceAccountKey: await generateRsaSigningKey(),
  caCertPem: () => "-----BEGIN CERTIFICATE-----\nTEST\n-----END CERTIFICATE-----\n",
});
const def = backend.resources("root").all().find((d) => d.resource === "workspaces")!;
armed = true;
for (let i = 0;; i++) {
  const name = `w${i}`;
  const object: KubeObject = {
    apiVersion: "tenancy.kcp.io/v1alpha1",
    kind: "Workspace",
    metadata: { name, uid: crypto.randomUUID(), creationTimestamp: new Date().toISOString() },
  };
  backend.admit({
    operation: "CREATE",
    cluster: "root",
    def,
    object,
    user: { name: "kcp-admin", groups: ["system:kcp:admin", "system:authenticated"] },
  });
  store.create({ cluster: "root", resource: def.storageResource, namespace: "", name }, object);
  console.log(`created ${name}`);
  // Let the controllers run between creates.
  await new Promise((r) => setTimeout(r, 20));
}
