/**
 * Issue 12's acceptance: the controllers as `kubestellar start` runs them (`kubestellar
 * controller all`, one process) on a core with 1,000 placed objects converge after a
 * `kill -9` in the middle of placement work and a restart — nothing lost, nothing
 * duplicated: every mailbox holds exactly the selected objects with their latest
 * content, its SyncerConfig lists exactly them, and there is one SinglePlacementSlice.
 */
import type { KubeObject, RestClient } from "../../lib/kube/rest_client.ts";
import { assertEquals } from "../support/assert.ts";
import { MAIN_TS } from "../support/cli.ts";
import { startControlPlane } from "../support/control_plane.ts";
import {
  listMailboxes,
  putEdgePlacement,
  putSyncTargetAndLocation,
  setUpEdge,
  SPS,
  waitFor,
} from "../support/edge_fixtures.ts";

const OBJECTS = 1000;
const CM = (namespace: string) => ({ version: "v1", resource: "configmaps", namespace });
const SYNCER_CONFIGS = {
  group: "edge.kubestellar.io",
  version: "v2alpha1",
  resource: "syncerconfigs",
};

function controllers(kubeconfig: string): Deno.ChildProcess {
  const log = Deno.env.get("KUBESTELLAR_TEST_CONTROLLER_LOG");
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN_TS, "controller", "all", "--kubeconfig", kubeconfig]
      .concat(log ? ["--log-folder", log, "-v", "4"] : []),
    stdout: "null",
    stderr: "null",
  }).spawn();
}

async function pool(n: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < n) await fn(next++);
  }));
}

/** `name=value` of every projected ConfigMap in namespace `placed` of a mailbox. */
async function copies(mb: RestClient): Promise<string[]> {
  const list = await mb.list<KubeObject>(CM("placed"), {
    labelSelector: "edge.kubestellar.io/projected=yes",
  });
  return list.items.map((o) => `${o.metadata?.name}=${(o.data as { v: string }).v}`).sort();
}

/** The names the mailbox's SyncerConfig lists in namespace `placed`. */
async function listed(mb: RestClient): Promise<string[]> {
  const sc = await mb.get<KubeObject>({ ...SYNCER_CONFIGS, name: "the-one" });
  const spec = sc.spec as {
    namespacedObjects?: { objectsByNamespace: { namespace: string; names: string[] }[] }[];
  };
  return (spec.namespacedObjects ?? []).flatMap((r) =>
    r.objectsByNamespace.filter((g) => g.namespace === "placed").flatMap((g) => g.names)
  ).sort();
}

Deno.test("controllers killed with -9 mid-placement converge after a restart: nothing lost or duplicated", async () => {
  const cp = await startControlPlane();
  const edge = await setUpEdge(cp.kubeconfigPath, { imws: ["imw1"], wmws: ["wmw1"] });
  let child: Deno.ChildProcess | undefined;
  try {
    const imw = edge.workspace("root:imw1");
    const wmw = edge.workspace("root:wmw1");
    for (const name of ["florin", "guilder"]) {
      await putSyncTargetAndLocation(imw, name, { env: "prod" });
    }
    await wmw.create({ version: "v1", resource: "namespaces" }, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "placed" },
    });
    const want = new Map<string, string>();
    const put = async (name: string, v: string) => {
      await wmw.create(CM("placed"), { metadata: { name }, data: { v } });
      want.set(name, v);
    };
    await pool(OBJECTS, (i) => put(`cm-${i}`, "0"));
    await putEdgePlacement(wmw, "ep", [{ matchLabels: { env: "prod" } }], {
      downsync: [{ apiGroup: "", resources: ["configmaps"], namespaces: ["placed"] }],
    });
    child = controllers(cp.kubeconfigPath);
    const mailboxes = async () =>
      (await listMailboxes(edge)).map((w) => edge.workspace(`root:espw:${w.metadata?.name}`));
    await waitFor("two mailboxes", async () => (await mailboxes()).length === 2, 60_000);
    const [a, b] = await mailboxes();
    const expected = () => [...want].map(([k, v]) => `${k}=${v}`).sort();
    await waitFor(
      `${OBJECTS} copies in each mailbox`,
      async () => (await copies(a)).length === OBJECTS && (await copies(b)).length === OBJECTS,
      180_000,
    );

    // Changes in flight when the controllers die, and more while they are down.
    const update = async (i: number, v: string) => {
      await wmw.patch({ ...CM("placed"), name: `cm-${i}` }, { data: { v } }, "merge");
      want.set(`cm-${i}`, v);
    };
    const remove = async (i: number) => {
      await wmw.delete({ ...CM("placed"), name: `cm-${i}` });
      want.delete(`cm-${i}`);
    };
    const inFlight = Promise.all([
      pool(200, (i) => update(i, "1")),
      pool(100, (i) => remove(500 + i)),
      pool(100, (i) => put(`new-${i}`, "n")),
    ]);
    await waitFor(
      "some of the changes placed",
      async () => (await copies(a)).some((c) => c.endsWith("=1") || c.startsWith("new-")),
      60_000,
    );
    child.kill("SIGKILL");
    await child.status;
    child = undefined;
    await inFlight;
    await pool(50, (i) => update(300 + i, "2"));
    await pool(50, (i) => remove(700 + i));

    child = controllers(cp.kubeconfigPath);
    for (const mb of [a, b]) {
      await waitFor(
        "every copy as in the workspace",
        async () => JSON.stringify(await copies(mb)) === JSON.stringify(expected()),
        180_000,
      ).catch(async (e) => {
        const have = new Set(await copies(mb));
        const wanted = new Set(expected());
        const extra = [...have].filter((c) => !wanted.has(c)).slice(0, 10);
        const missing = [...wanted].filter((c) => !have.has(c)).slice(0, 10);
        throw new Error(`${e.message}: extra ${extra.join(" ")}; missing ${missing.join(" ")}`);
      });
      await waitFor(
        "the SyncerConfig lists exactly them",
        async () => JSON.stringify(await listed(mb)) === JSON.stringify([...want.keys()].sort()),
        60_000,
      );
    }
    assertEquals((await copies(a)).length, OBJECTS + 100 - 150);
    const slices = await wmw.list<KubeObject>(SPS);
    assertEquals(slices.items.map((s) => s.metadata?.name), ["ep"], "one SinglePlacementSlice");
    assertEquals((await mailboxes()).length, 2, "one mailbox per SyncTarget");
  } finally {
    if (child) {
      child.kill("SIGTERM");
      await child.status;
    }
    edge.close();
    await cp.stop();
  }
});
