/**
 * The summarizer's cost at scale, counted on kcp-lite: its watches do not grow with the
 * number of mailboxes (one wildcard copy watch per resource), a status change in one copy
 * is exactly one evaluation and no work for any other mailbox (no list, no
 * recomputation), and a change in a mailbox no placement targets costs nothing. A
 * CRD-defined resource, which kcp serves across workspaces as metadata only, is read
 * mailbox by mailbox and summarized all the same; so is a resource whose wildcard list is
 * refused.
 */
import { realClock } from "../../../../lib/controller/clock.ts";
import { CopyFeeds } from "../../../../lib/controllers/summarizer/copy_feeds.ts";
import { MailboxIds } from "../../../../lib/controllers/summarizer/mailbox_ids.ts";
import { WorkspaceResources } from "../../../../lib/controllers/summarizer/workspace_resources.ts";
import { StatusSummarizerController } from "../../../../lib/controllers/summarizer/status_summarizer.ts";
import {
  EDGE_API_VERSION,
  STATUS_SUMMARIES,
  STATUS_SUMMARIZERS,
} from "../../../../lib/edge/api_types.ts";
import type { KubeObject, RestClient } from "../../../../lib/kube/rest_client.ts";
import { Logger } from "../../../../lib/log/logger.ts";
import { assertEquals } from "../../../support/assert.ts";
import { cronTabCrd } from "../../../e2e/example1_objects.ts";
import {
  addLocation,
  addWmw,
  type Destination,
  ensure,
  eventually,
  getOrUndefined,
  type Hub,
  putSlice,
  R,
  startHub,
} from "../placement/translator_fixture.ts";

const CRONTABS = { group: "stable.example.com", version: "v1", resource: "crontabs" };
type Rows = { rows?: { group: { ready: boolean }; n: number }[]; observedClusters?: number };
const readyCount = (s: Rows | undefined) => s?.rows?.find((r) => r.group.ready)?.n ?? 0;

/** `count` mailboxes (each a SyncTarget/Location pair) holding `write`'s copies. */
async function mailboxes(
  hub: Hub,
  prefix: string,
  count: number,
  write: (mb: RestClient) => Promise<void>,
): Promise<Destination[]> {
  const out: Destination[] = [];
  for (let i = 0; i < count; i++) {
    const d = await addLocation(hub, `${prefix}${i}`, { env: "prod" });
    await ensure(d.client, R.namespaces, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "ns" },
    });
    await write(d.client);
    out.push(d);
  }
  return out;
}

const configMap = (name: string, ready: boolean): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "ns", labels: { "edge.kubestellar.io/projected": "yes" } },
  data: { ready: String(ready) },
});

async function setReady(mb: Destination, name: string, ready: boolean): Promise<void> {
  const ref = { ...R.configmaps, namespace: "ns", name };
  const cur = await mb.client.get<KubeObject>(ref);
  await mb.client.update(ref, { ...configMap(name, ready), metadata: { ...cur.metadata } });
}

async function summarize(
  wmw: RestClient,
  resource: string,
  group = "",
  expr = "obj.data.ready == 'true'",
) {
  await wmw.create(R.placements, {
    apiVersion: EDGE_API_VERSION,
    kind: "EdgePlacement",
    metadata: { name: "ep" },
    spec: {
      locationSelectors: [{}],
      downsync: [{ apiGroup: group, resources: [resource], namespaces: ["ns"] }],
    },
  });
  await wmw.create(STATUS_SUMMARIZERS, {
    apiVersion: EDGE_API_VERSION,
    kind: "StatusSummarizer",
    metadata: { name: "s" },
    spec: {
      objects: [{ apiGroup: group, resources: [resource], namespaces: ["ns"] }],
      groupBy: [{ name: "ready", def: expr }],
      combinedFields: [{ name: "n", type: "COUNT" }],
    },
  });
}

function summaryWhere(wmw: RestClient, what: string, ok: (s: Rows) => boolean): Promise<Rows> {
  return eventually(what, async () => {
    const s = (await getOrUndefined(wmw, { ...STATUS_SUMMARIES, name: "s" }))?.status as Rows;
    return s && ok(s) ? s : undefined;
  });
}

const quiet = () => new Logger("test", { write: () => {}, verbose: false });

Deno.test("summarizer: watches independent of mailboxes; one change, one evaluation", async () => {
  const hub = await startHub();
  const abort = new AbortController();
  let done: Promise<void> | undefined;
  try {
    const { client: wmw } = await addWmw(hub, "wmw-a");
    const write = async (c: RestClient) => {
      for (const n of ["a", "b", "c"]) {
        await ensure(c, { ...R.configmaps, namespace: "ns" }, configMap(n, true));
      }
    };
    const few = await mailboxes(hub, "few", 2, write);
    const [outside] = await mailboxes(hub, "outside", 1, write);
    await summarize(wmw, "configmaps");
    await putSlice(wmw, "ep", few);
    const summarizer = new StatusSummarizerController({ client: hub.admin, log: quiet() });
    done = summarizer.run(abort.signal);
    await summaryWhere(wmw, "2 clusters", (s) => s.observedClusters === 2 && readyCount(s) === 6);
    const watches = summarizer.watches;
    assertEquals(summarizer.copyWatches, 1, "one wildcard copy watch for configmaps");

    const more = await mailboxes(hub, "more", 6, write);
    await putSlice(wmw, "ep", [...few, ...more]);
    await summaryWhere(wmw, "8 clusters", (s) => s.observedClusters === 8 && readyCount(s) === 24);
    assertEquals(summarizer.watches, watches, "no watch per mailbox");
    assertEquals(summarizer.copyWatches, 1);

    const before = { ...counts(summarizer) };
    await setReady(outside, "a", false); // no placement targets it: no work
    await setReady(more[3], "b", false);
    await summaryWhere(wmw, "one copy not ready", (s) => readyCount(s) === 23);
    const after = counts(summarizer);
    assertEquals(after.evaluations - before.evaluations, 1, "one changed copy, one evaluation");
    assertEquals(after.snapshots - before.snapshots, 0, "no mailbox listed");
    assertEquals(after.rebuilds - before.rebuilds, 0, "no mailbox recomputed");
    assertEquals(summarizer.watches, watches);

    // A snapshot lists each mailbox, or all of them with one wildcard list: same copies.
    const ids = new MailboxIds(hub.admin, "root:espw", () => {}, quiet());
    const running = ids.run(abort.signal);
    await ids.informer.synced;
    const listed = async (perMailboxListsUpTo: number) => {
      const feeds = new CopyFeeds({
        client: hub.admin,
        espwPath: "root:espw",
        mailboxOf: (id) => ids.mailboxOf(id),
        onCopy: () => {},
        onListed: () => {},
        onWildcardRefused: () => {},
        log: quiet(),
        perMailboxListsUpTo,
      });
      const got: string[] = [];
      const targets = new Set([...few, ...more].map((d) => d.mailbox));
      await feeds.snapshot(
        { group: "", version: "v1", resource: "configmaps" },
        targets,
        (mb, key, o) => {
          got.push(
            `${mb === more[3].mailbox ? "more3" : "other"} ${key} ${
              (o.data as { ready?: string })?.ready
            }`,
          );
        },
      );
      return { got: got.sort(), lists: feeds.snapshots };
    };
    const each = await listed(16);
    const wildcard = await listed(4);
    assertEquals(each.lists, 8);
    assertEquals(wildcard.lists, 1);
    assertEquals(wildcard.got, each.got);
    assertEquals(each.got.length, 24, "the mailbox no placement targets is left out");
    assertEquals(each.got.filter((l) => l.startsWith("more3")), [
      "more3 ns/a true",
      "more3 ns/b false",
      "more3 ns/c true",
    ]);
    abort.abort();
    await running;
  } finally {
    abort.abort();
    await done;
    await hub.stop();
  }
});

function counts(s: StatusSummarizerController) {
  return { evaluations: s.evaluations, snapshots: s.snapshots, rebuilds: s.rebuilds };
}

Deno.test("summarizer: a CRD-defined resource is read mailbox by mailbox", async () => {
  const hub = await startHub();
  const abort = new AbortController();
  let done: Promise<void> | undefined;
  try {
    const { client: wmw } = await addWmw(hub, "wmw-s");
    await ensure(wmw, R.crds, cronTabCrd());
    const cron = (name: string, image: string): KubeObject => ({
      apiVersion: "stable.example.com/v1",
      kind: "CronTab",
      metadata: { name, namespace: "ns", labels: { "edge.kubestellar.io/projected": "yes" } },
      spec: { cronSpec: "* * * * */5", image },
    });
    const dests = await mailboxes(hub, "c", 2, async (c) => {
      await ensure(c, R.crds, cronTabCrd());
      await eventually(
        "CronTab served",
        () => c.create({ ...CRONTABS, namespace: "ns" }, cron("x", "good")),
      );
    });
    await eventually("CronTab served in the workspace", () => wmw.list(CRONTABS));
    await summarize(wmw, "crontabs", "stable.example.com", "obj.spec.image == 'good'");
    await putSlice(wmw, "ep", dests);
    const summarizer = new StatusSummarizerController({ client: hub.admin, log: quiet() });
    done = summarizer.run(abort.signal);
    await summaryWhere(wmw, "2 clusters", (s) => s.observedClusters === 2 && readyCount(s) === 2);
    assertEquals(summarizer.copyWatches, 2, "one copy watch per mailbox");
    const before = summarizer.evaluations;
    const ref = { ...CRONTABS, namespace: "ns", name: "x" };
    const cur = await dests[1].client.get<KubeObject>(ref);
    await dests[1].client.update(ref, { ...cron("x", "bad"), metadata: { ...cur.metadata } });
    await summaryWhere(wmw, "one not ready", (s) => readyCount(s) === 1);
    assertEquals(summarizer.evaluations - before, 1);

    // How each resource is read: bound with its identity, CRD-defined per mailbox, and a
    // resource whose wildcard list was refused per mailbox from then on.
    const refused: string[] = [];
    const feeds = new CopyFeeds({
      client: hub.admin,
      espwPath: "root:espw",
      mailboxOf: () => undefined,
      onCopy: () => {},
      onListed: () => {},
      onWildcardRefused: (s) => refused.push(s.resource),
      log: quiet(),
    });
    try {
      feeds.reconcileOwner("t", [], [{ ...CRONTABS }], new Set());
      await eventually("the wildcard list refused", () => refused.length > 0);
      assertEquals(refused, ["crontabs"]);
    } finally {
      feeds.stop();
    }
    const served = new WorkspaceResources(hub.admin, realClock);
    served.noWildcard({ group: "", version: "v1", resource: "configmaps" });
    const { resources } = await served.resolve("root:wmw-s", [
      { apiGroup: "", resources: ["configmaps", "secrets"] },
      { apiGroup: "apps", resources: ["deployments"] },
      { apiGroup: "stable.example.com", resources: ["crontabs"] },
    ]);
    const how = Object.fromEntries(
      resources.map((
        r,
      ) => [r.resource, r.perMailbox ? "per mailbox" : r.identity ? "identity" : "*"]),
    );
    assertEquals(how, {
      configmaps: "per mailbox",
      secrets: "*",
      deployments: "identity",
      crontabs: "per mailbox",
    });
  } finally {
    abort.abort();
    await done;
    await hub.stop();
  }
});
