import { assertEquals } from "../../../support/assert.ts";
import {
  MAILBOX_BINDING_NAME,
  type MailboxApi,
  MailboxReconciler,
  type WorkspaceObject,
} from "../../../../lib/controllers/mailbox/mailbox_reconciler.ts";
import type { SyncTarget } from "../../../../lib/edge/api_types.ts";
import { Logger } from "../../../../lib/log/logger.ts";

const MB = "imwid-mb-uid-1";

class Fake implements MailboxApi {
  sts = new Map<string, SyncTarget>();
  wss = new Map<string, WorkspaceObject>();
  bound = new Set<string>();
  calls: string[] = [];
  paths: Record<string, string> = { imwid: "root:imw1" };

  createWorkspace(name: string, annotations: Record<string, string>): Promise<void> {
    this.calls.push(`create ${name} ${JSON.stringify(annotations)}`);
    return Promise.resolve();
  }
  annotateWorkspace(name: string, annotations: Record<string, string>): Promise<void> {
    this.calls.push(`annotate ${name} ${JSON.stringify(annotations)}`);
    return Promise.resolve();
  }
  deleteWorkspace(name: string, uid: string): Promise<void> {
    this.calls.push(`delete ${name} uid=${uid}`);
    return Promise.resolve();
  }
  createBinding(clusterId: string): Promise<void> {
    this.calls.push(`bind ${clusterId}`);
    return Promise.resolve();
  }
  pathOf(clusterId: string): Promise<string | undefined> {
    return Promise.resolve(this.paths[clusterId]);
  }
  reconciler(): MailboxReconciler {
    return new MailboxReconciler(
      {
        syncTargetOf: (n) => this.sts.get(n),
        workspace: (n) => this.wss.get(n),
        hasBinding: (c) => this.bound.has(c),
      },
      this,
      new Logger("test", { write: () => {} }),
    );
  }
}

const st: SyncTarget = { metadata: { name: "c1", uid: "uid-1" } };
const annotations = {
  "edge.kubestellar.io/sync-target-name": "c1",
  "edge.kubestellar.io/sync-target-workspace": "root:imw1",
};

function ws(extra: Partial<WorkspaceObject> = {}): WorkspaceObject {
  return {
    metadata: { name: MB, uid: "ws-uid", annotations },
    spec: { cluster: "mbcluster" },
    status: { phase: "Ready" },
    ...extra,
  };
}

Deno.test("mailbox reconcile: creates the annotated workspace for a SyncTarget", async () => {
  const f = new Fake();
  f.sts.set(MB, st);
  await f.reconciler().reconcile(MB);
  assertEquals(f.calls, [`create ${MB} ${JSON.stringify(annotations)}`]);
});

Deno.test("mailbox reconcile: binds a Ready workspace once; nothing when all is in place", async () => {
  const f = new Fake();
  f.sts.set(MB, st);
  f.wss.set(MB, ws({ status: { phase: "Initializing" } }));
  await f.reconciler().reconcile(MB);
  assertEquals(f.calls, [], "no binding before Ready");
  f.wss.set(MB, ws());
  await f.reconciler().reconcile(MB);
  assertEquals(f.calls, ["bind mbcluster"]);
  f.bound.add("mbcluster");
  f.calls = [];
  await f.reconciler().reconcile(MB);
  assertEquals(f.calls, [], "idempotent");
  assertEquals(MAILBOX_BINDING_NAME, "bind-edge");
});

Deno.test("mailbox reconcile: restores missing annotations", async () => {
  const f = new Fake();
  f.sts.set(MB, st);
  f.bound.add("mbcluster");
  f.wss.set(MB, ws({ metadata: { name: MB, uid: "ws-uid" } }));
  await f.reconciler().reconcile(MB);
  assertEquals(f.calls, [`annotate ${MB} ${JSON.stringify(annotations)}`]);
});

Deno.test("mailbox reconcile: deletes with a UID precondition when the SyncTarget goes", async () => {
  const f = new Fake();
  f.wss.set(MB, ws());
  await f.reconciler().reconcile(MB);
  assertEquals(f.calls, [`delete ${MB} uid=ws-uid`]);
  // A SyncTarget being deleted counts as gone.
  const g = new Fake();
  g.sts.set(MB, { metadata: { ...st.metadata, deletionTimestamp: "2026-01-01T00:00:00Z" } });
  g.wss.set(MB, ws());
  await g.reconciler().reconcile(MB);
  assertEquals(g.calls, [`delete ${MB} uid=ws-uid`]);
});

Deno.test("mailbox reconcile: leaves alone what is not ours, terminating or not a mailbox", async () => {
  const f = new Fake();
  f.wss.set(MB, ws({ metadata: { name: MB, uid: "x" } }));
  await f.reconciler().reconcile(MB);
  f.wss.set(MB, ws({ metadata: { name: MB, uid: "x", annotations, deletionTimestamp: "t" } }));
  await f.reconciler().reconcile(MB);
  f.sts.set(MB, st);
  await f.reconciler().reconcile(MB);
  await f.reconciler().reconcile("not-a-mailbox");
  await f.reconciler().reconcile("a-mb-b-mb-c");
  f.wss.clear();
  await f.reconciler().reconcile("gone-mb-x");
  assertEquals(f.calls, []);
});

Deno.test("mailbox reconcile: creates without the path annotation when the path is unknown", async () => {
  const f = new Fake();
  f.paths = {};
  f.sts.set(MB, st);
  await f.reconciler().reconcile(MB);
  assertEquals(f.calls, [`create ${MB} {"edge.kubestellar.io/sync-target-name":"c1"}`]);
});
