/**
 * The mailbox controller on kcp-lite: one Ready, bound mailbox workspace per SyncTarget
 * in any IMW, named `<imw cluster id>-mb-<uid>` under root:espw and annotated; deleted
 * when the SyncTarget goes; converges after a controller restart and after a kcp-lite
 * restart on the same root directory, without duplicates.
 */
import { assertEquals, assertTrue } from "../support/assert.ts";
import { startControlPlane } from "../support/control_plane.ts";
import {
  API_BINDINGS,
  deleteIfPresent,
  type EdgeFixture,
  listMailboxes,
  putSyncTargetAndLocation,
  setUpEdge,
  SYNC_TARGETS,
  waitFor,
} from "../support/edge_fixtures.ts";
import { mailboxController } from "../../lib/controllers/mailbox/mailbox_controller.ts";
import { startController } from "../../lib/controllers/runtime/controller_host.ts";
import { Logger } from "../../lib/log/logger.ts";
import { MAIN_TS } from "../support/cli.ts";
import { freeLoopbackPort } from "../../lib/net/free_port.ts";
import type { KubeObject } from "../../lib/kube/rest_client.ts";

const lines: string[] = [];
const quiet = new Logger("mailbox-controller", { write: (l) => lines.push(l) });

/** Every SyncTarget of `imws` has exactly one mailbox, Ready, annotated and bound. */
async function converged(edge: EdgeFixture, imws: string[]): Promise<boolean> {
  const want = new Map<string, string>();
  for (const imw of imws) {
    const id = await edge.clusterId(`root:${imw}`);
    const sts = await edge.workspace(`root:${imw}`).list<KubeObject>(SYNC_TARGETS);
    for (const st of sts.items) want.set(`${id}-mb-${st.metadata!.uid}`, st.metadata!.name!);
  }
  const mbs = await listMailboxes(edge);
  if (mbs.length !== want.size) return false;
  for (const mb of mbs) {
    const name = mb.metadata!.name!;
    if (want.get(name) !== mb.metadata?.annotations?.["edge.kubestellar.io/sync-target-name"]) {
      return false;
    }
    if ((mb.status as { phase?: string })?.phase !== "Ready") return false;
    try {
      const b = await edge.workspace(`${edge.espwPath}:${name}`).get({
        ...API_BINDINGS,
        name: "bind-edge",
      });
      if ((b.status as { phase?: string })?.phase !== "Bound") return false;
    } catch {
      return false;
    }
  }
  return true;
}

Deno.test("mailbox controller: create, bind, delete, restart, kcp-lite restart", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mailbox-e2e-" });
  let cp = await startControlPlane({ rootDirectory: dir });
  let edge = await setUpEdge(cp.kubeconfigPath, { imws: ["imw1", "imw2"] });
  let running = await startController(mailboxController, {
    flags: edge.controllerFlags({ workers: 2 }),
    log: quiet,
  });
  try {
    await running.ready;
    const imw1 = edge.workspace("root:imw1");
    const imw2 = edge.workspace("root:imw2");
    const c1 = await putSyncTargetAndLocation(imw1, "c1", { env: "prod" });
    await putSyncTargetAndLocation(imw1, "c2");
    await putSyncTargetAndLocation(imw2, "c3");
    await waitFor("three bound mailboxes", () => converged(edge, ["imw1", "imw2"]));
    const imw1Id = await edge.clusterId("root:imw1");
    const mb1 = (await listMailboxes(edge)).find((m) =>
      m.metadata!.name === `${imw1Id}-mb-${c1.metadata.uid}`
    );
    assertTrue(mb1, "mailbox of c1 named <imw id>-mb-<uid>");
    assertEquals(
      mb1.metadata?.annotations?.["edge.kubestellar.io/sync-target-workspace"],
      "root:imw1",
    );

    // Relabelling changes nothing; deleting a SyncTarget deletes its mailbox only.
    await putSyncTargetAndLocation(imw1, "c1", { env: "test" });
    await deleteIfPresent(imw1, SYNC_TARGETS, "c2");
    await waitFor("c2's mailbox gone", () => converged(edge, ["imw1", "imw2"]));
    assertEquals((await listMailboxes(edge)).length, 2);

    // A mailbox deleted by hand comes back.
    await edge.workspace(edge.espwPath).delete({
      group: "tenancy.kcp.io",
      version: "v1alpha1",
      resource: "workspaces",
      name: mb1.metadata!.name!,
    });
    await waitFor("c1's mailbox back", async () => {
      const again = (await listMailboxes(edge)).find((m) =>
        m.metadata!.name === mb1.metadata!.name
      );
      return again !== undefined && again.metadata!.uid !== mb1.metadata!.uid &&
        await converged(edge, ["imw1", "imw2"]);
    });

    // Controller stopped; changes meanwhile; a new controller converges.
    await running.stop();
    await putSyncTargetAndLocation(imw2, "c4");
    await deleteIfPresent(imw2, SYNC_TARGETS, "c3");
    running = await startController(mailboxController, {
      flags: edge.controllerFlags(),
      log: quiet,
      reloadIntervalMs: 100,
    });
    await running.ready;
    await waitFor("converged after controller restart", () => converged(edge, ["imw1", "imw2"]));

    // Stopped in the middle of a burst of new SyncTargets; the next one finishes the job
    // without duplicates.
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => putSyncTargetAndLocation(imw2, `burst-${i}`)),
    );
    await waitFor("some burst mailboxes", async () => (await listMailboxes(edge)).length > 3);
    await running.stop();
    running = await startController(mailboxController, {
      flags: edge.controllerFlags(),
      log: quiet,
      reloadIntervalMs: 100,
    });
    await running.ready;
    await waitFor("converged after a mid-burst restart", () => converged(edge, ["imw1", "imw2"]));
    assertEquals((await listMailboxes(edge)).length, 14);
    for (let i = 0; i < 12; i++) await deleteIfPresent(imw2, SYNC_TARGETS, `burst-${i}`);
    await waitFor("burst mailboxes gone", () => converged(edge, ["imw1", "imw2"]));

    // kcp-lite restarts on the same root directory (new port, new admin tokens in the
    // rewritten kubeconfig) under the running controller: it reconnects and converges.
    edge.close();
    await cp.stop();
    cp = await startControlPlane({ rootDirectory: dir });
    edge = await setUpEdge(cp.kubeconfigPath, { imws: ["imw1", "imw2"] });
    await putSyncTargetAndLocation(edge.workspace("root:imw1"), "c5");
    await deleteIfPresent(edge.workspace("root:imw1"), SYNC_TARGETS, "c1");
    await waitFor("converged after kcp-lite restart", () => converged(edge, ["imw1", "imw2"]));
    assertTrue(lines.some((l) => l.includes("kubeconfig connection settings changed")));
    assertEquals((await listMailboxes(edge)).length, 2);
  } finally {
    await running.stop();
    edge.close();
    await cp.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kubestellar controller mailbox-controller: a process with health, readiness, metrics and a clean SIGTERM stop", async () => {
  const cp = await startControlPlane();
  const edge = await setUpEdge(cp.kubeconfigPath, { imws: ["imw1"] });
  const port = freeLoopbackPort();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--quiet",
      MAIN_TS,
      "controller",
      "mailbox-controller",
      "--kubeconfig",
      cp.kubeconfigPath,
      "--metrics-bind-address",
      `127.0.0.1:${port}`,
      "-v",
      "2",
    ],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const stdout = new Response(child.stdout).text();
  try {
    const get = async (path: string) => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      return { status: res.status, body: await res.text() };
    };
    await waitFor("/readyz ok", async () => (await get("/readyz")).status === 200, 30_000);
    assertEquals((await get("/healthz")).body, "ok");
    await putSyncTargetAndLocation(edge.workspace("root:imw1"), "p1");
    await waitFor("the mailbox", () => converged(edge, ["imw1"]));
    const metrics = (await get("/metrics")).body;
    assertTrue(/kubestellar_reconcile_total\{controller="mailbox",result="ok"\} \d+/.test(metrics));
    assertTrue(/process_resident_memory_bytes \d+/.test(metrics));
    assertTrue(/kubestellar_mailbox_workspaces 1/.test(metrics));
  } finally {
    child.kill("SIGTERM");
    const status = await child.status;
    const log = await stderr;
    await stdout;
    edge.close();
    await cp.stop();
    assertEquals(status.code, 0, log);
    assertTrue(log.includes("created mailbox workspace"), log);
    assertTrue(log.includes("stopped"), log);
    assertTrue(log.includes('via="virtual workspace"'), log);
  }
});
