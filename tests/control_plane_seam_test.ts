/**
 * The real-kcp seam of the test suite (`KUBESTELLAR_TEST_KCP`, tests/support/control_plane.ts)
 * exercised without a kcp binary: a stand-in "kcp" that runs kcp-lite behind kcp's own
 * command line (`kcp start --root-directory … --secure-port … --bind-address …`). The
 * seam must start it, wait for it, hand out its admin kubeconfig, and keep a given root
 * directory across a restart, as restart tests need.
 *
 * @module
 */
import { join } from "node:path";
import { loadKubeconfig } from "../lib/kubeconfig/kubeconfig.ts";
import { type KubeObject, restClientFor } from "../lib/kube/rest_client.ts";
import { assertEquals, assertTrue } from "./support/assert.ts";
import { type ControlPlane, startControlPlane } from "./support/control_plane.ts";

const REPO = new URL("..", import.meta.url).pathname;
const CONFIG_MAPS = { version: "v1", resource: "configmaps", namespace: "default" };

async function withStandInKcp(fn: () => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kcp-stand-in-" });
  const shim = join(dir, "kcp");
  await Deno.writeTextFile(
    shim,
    `#!/bin/sh\nexec '${Deno.execPath()}' run -A --quiet --config '${REPO}deno.json' ` +
      `'${REPO}main.ts' kcp-lite "$@"\n`,
    { mode: 0o755 },
  );
  const before = Deno.env.get("KUBESTELLAR_TEST_KCP");
  Deno.env.set("KUBESTELLAR_TEST_KCP", shim);
  try {
    await fn();
  } finally {
    if (before === undefined) Deno.env.delete("KUBESTELLAR_TEST_KCP");
    else Deno.env.set("KUBESTELLAR_TEST_KCP", before);
    await Deno.remove(dir, { recursive: true });
  }
}

async function rootClient(cp: ControlPlane) {
  const kc = await loadKubeconfig({ kubeconfig: cp.kubeconfigPath, context: "root" });
  return restClientFor(await kc.restConfig());
}

Deno.test("the real-kcp seam runs a kcp binary and keeps a given root directory across restarts", async () => {
  await withStandInKcp(async () => {
    const root = await Deno.makeTempDir({ prefix: "kcp-seam-root-" });
    try {
      let cp = await startControlPlane({ rootDirectory: root });
      const firstUrl = cp.url;
      let client = await rootClient(cp);
      await client.create(CONFIG_MAPS, {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "survives" },
        data: { a: "1" },
      });
      client.close();
      await cp.stop();
      assertTrue((await Deno.stat(join(root, "admin.kubeconfig"))).isFile, "root directory kept");

      cp = await startControlPlane({ rootDirectory: root });
      client = await rootClient(cp);
      try {
        const cm = await client.get<KubeObject>({ ...CONFIG_MAPS, name: "survives" });
        assertEquals(cm.data, { a: "1" });
        assertTrue(cp.url !== firstUrl, "a new port each start");
      } finally {
        client.close();
        await cp.stop();
      }
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  });
});

Deno.test("the real-kcp seam removes the temporary root directory it made", async () => {
  await withStandInKcp(async () => {
    const cp = await startControlPlane();
    const client = await rootClient(cp);
    try {
      const list = await client.list<KubeObject>({ version: "v1", resource: "namespaces" });
      assertTrue(list.items.some((n) => n.metadata?.name === "default"), "root has namespaces");
    } finally {
      client.close();
      await cp.stop();
    }
    assertEquals(await Deno.stat(cp.rootDirectory).then(() => true, () => false), false);
  });
});
