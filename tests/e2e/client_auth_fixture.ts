/**
 * Shared steps of the client authentication and transport tests (issue 14): a kcp-lite
 * core with the ESPW and `root:imw1`, kubeconfigs whose users authenticate another way
 * (exec plugin, OIDC, through a proxy), and the three kinds of client run on them: a
 * CLI command as its own process, the mailbox controller, and the syncer built from its
 * command line.
 *
 * @module
 */
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { assertEquals } from "../support/assert.ts";
import { type CliResult, runCli } from "../support/cli.ts";
import { startControlPlane } from "../support/control_plane.ts";
import {
  type EdgeFixture,
  listMailboxes,
  putSyncTargetAndLocation,
  setUpEdge,
  waitFor,
} from "../support/edge_fixtures.ts";
import { configmapsIn, NS, quiet, type SyncerSetup } from "../lib/syncer/e2e_objects.ts";
import { putSyncerConfig } from "../lib/syncer/hub_fixture.ts";
import { mailboxController } from "../../lib/controllers/mailbox/mailbox_controller.ts";
import { startController } from "../../lib/controllers/runtime/controller_host.ts";
import { startSyncer } from "../../lib/syncer/syncer.ts";
import { parseSyncerArgs, syncerConnections } from "../../lib/syncer/syncer_command.ts";
import type { Logger } from "../../lib/log/logger.ts";

/** A kcp-lite core set up as `kubestellar init` leaves it, and its admin tokens. */
export interface Core {
  edge: EdgeFixture;
  adminKubeconfig: string;
  dir: string;
  tokens: { "kcp-admin": string; "shard-admin": string };
  stop(): Promise<void>;
}

type Yaml = Record<string, unknown>;

/** The users' tokens of an admin kubeconfig. */
export async function adminTokens(path: string): Promise<Core["tokens"]> {
  const kc = parse(await Deno.readTextFile(path)) as { users: { name: string; user: Yaml }[] };
  const token = (name: string) => String(kc.users.find((u) => u.name === name)?.user.token);
  return { "kcp-admin": token("kcp-admin"), "shard-admin": token("shard-admin") };
}

/** Starts the core (espw + imw1). */
export async function startCore(): Promise<Core> {
  const dir = await Deno.makeTempDir({ prefix: "client-auth-" });
  const cp = await startControlPlane();
  const edge = await setUpEdge(cp.kubeconfigPath, { imws: ["imw1"] });
  return {
    edge,
    adminKubeconfig: cp.kubeconfigPath,
    dir,
    tokens: await adminTokens(cp.kubeconfigPath),
    async stop() {
      edge.close();
      await cp.stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/**
 * Writes a copy of `adminKubeconfig` whose users are replaced (`kcp-admin` serves
 * contexts root and base, `shard-admin` system:admin) and whose clusters get `cluster`'s
 * extra fields (such as `proxy-url`).
 */
export async function writeKubeconfig(
  adminKubeconfig: string,
  out: string,
  users: { "kcp-admin": Yaml; "shard-admin": Yaml },
  cluster: Yaml = {},
): Promise<string> {
  const kc = parse(await Deno.readTextFile(adminKubeconfig)) as {
    clusters: { name: string; cluster: Yaml }[];
    users: { name: string; user: Yaml }[];
  };
  kc.clusters = kc.clusters.map((c) => ({ ...c, cluster: { ...c.cluster, ...cluster } }));
  kc.users = [
    { name: "kcp-admin", user: users["kcp-admin"] },
    { name: "shard-admin", user: users["shard-admin"] },
  ];
  await Deno.writeTextFile(out, stringify(kc), { mode: 0o600 });
  return out;
}

/** Runs `kubectl kubestellar <args>` as its own process with `KUBECONFIG=kubeconfig`. */
export async function runPlugin(
  args: string[],
  kubeconfig: string,
  env: Record<string, string> = {},
): Promise<CliResult> {
  const r = await runCli(args, {
    as: "kubectl-kubestellar",
    env: { KUBECONFIG: kubeconfig, HOME: "/nonexistent", ...env },
  });
  assertEquals(/DeprecationWarning|\[DEP\d+\]/.test(r.stderr), false, "no Node warnings");
  return r;
}

/** `ensure location` of `name` in imw1 succeeds and the SyncTarget exists. */
export async function ensureLocationWith(core: Core, kubeconfig: string, name: string) {
  const r = await runPlugin(["ensure", "location", "--imw", "imw1", name, "env=auth"], kubeconfig);
  assertEquals(r.code, 0, `ensure location failed: ${r.stderr}`);
  const st = await core.edge.workspace("root:imw1").get({
    group: "edge.kubestellar.io",
    version: "v2alpha1",
    resource: "synctargets",
    name,
  });
  assertEquals(st.metadata?.labels?.env, "auth");
  return r;
}

/** Waits until the SyncTarget `name` of imw1 has a Ready mailbox. */
export async function waitForMailbox(core: Core, uid: string): Promise<void> {
  const imw = await core.edge.clusterId("root:imw1");
  await waitFor(
    `the mailbox of ${uid}`,
    async () =>
      (await listMailboxes(core.edge)).some((m) =>
        m.metadata?.name === `${imw}-mb-${uid}` &&
        (m.status as { phase?: string })?.phase === "Ready"
      ),
    30_000,
  );
}

/**
 * Runs the mailbox controller on `kubeconfig` (contexts root and system:admin) and checks
 * that it makes mailboxes for two SyncTargets, the second after `pauseMs`.
 */
export async function mailboxControllerWith(
  core: Core,
  kubeconfig: string,
  log: Logger,
  pauseMs = 0,
): Promise<void> {
  const running = await startController(mailboxController, {
    flags: { ...core.edge.controllerFlags(), kubeconfig },
    log,
  });
  try {
    await running.ready;
    const imw = core.edge.workspace("root:imw1");
    const first = await putSyncTargetAndLocation(imw, "auth-a");
    await waitForMailbox(core, first.metadata.uid!);
    if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
    const second = await putSyncTargetAndLocation(imw, "auth-b");
    await waitForMailbox(core, second.metadata.uid!);
  } finally {
    await running.stop();
  }
}

/** A kubeconfig for the syncer: one context `mb` on the mailbox with `user`. */
export async function mailboxKubeconfig(
  setup: SyncerSetup,
  out: string,
  user: Yaml,
  cluster: Yaml = {},
): Promise<string> {
  const cfg = setup.mb.config;
  await Deno.writeTextFile(
    out,
    stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{
        name: "mb",
        cluster: {
          server: cfg.server,
          "certificate-authority-data": btoa(cfg.caData!),
          ...cluster,
        },
      }],
      users: [{ name: "syncer", user }],
      contexts: [{ name: "mb", context: { cluster: "mb", user: "syncer" } }],
      "current-context": "mb",
    }),
    { mode: 0o600 },
  );
  return out;
}

/**
 * Runs a syncer whose mailbox connection comes from `kubeconfig` as the syncer command
 * reads it, and checks that a ConfigMap reaches the WEC, then (after `pauseMs`) a Secret,
 * whose kind the syncer then starts to list and watch in the mailbox (`during`, when
 * given, decides when that kind is added and what happens around it).
 */
export async function syncerWith(
  setup: SyncerSetup,
  kubeconfig: string,
  log: Logger = quiet(),
  pauseMs = 0,
  during?: (configureSecrets: () => Promise<void>) => Promise<void>,
): Promise<void> {
  const { mb, wec } = setup;
  const args = parseSyncerArgs("syncer", [
    "--from-kubeconfig",
    kubeconfig,
    "--to-kubeconfig",
    wec.cluster.kubeconfigPath,
    "--sync-target-name",
    mb.syncTargetName,
    "--sync-target-uid",
    mb.syncTargetUid,
  ]);
  const { mailbox, wec: wecConfig } = await syncerConnections(args, log);
  const syncer = startSyncer({
    mailbox,
    wec: wecConfig,
    syncTargetName: mb.syncTargetName,
    syncTargetUid: mb.syncTargetUid,
    log,
  });
  const CM = { version: "v1", resource: "configmaps", namespace: "ns1" };
  const SECRETS = { version: "v1", resource: "secrets", namespace: "ns1" };
  const onWec = (ref: typeof CM, name: string) =>
    waitFor(
      `${ref.resource} ${name} on the WEC`,
      async () => (await wec.client.get({ ...ref, name }).catch(() => undefined)) !== undefined,
      30_000,
    );
  try {
    await syncer.ready;
    await wec.client.create(NS, { metadata: { name: "ns1" } }).catch(() => {});
    await putSyncerConfig(mb, { namespacedObjects: [configmapsIn(["auth-1"])] });
    await mb.client.create(CM, { metadata: { name: "auth-1" }, data: { v: "1" } });
    await onWec(CM, "auth-1");
    if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
    // A new kind: the syncer lists and watches it in the mailbox (new requests).
    await mb.client.create(SECRETS, { metadata: { name: "auth-2" }, stringData: { v: "2" } });
    const configureSecrets = () =>
      putSyncerConfig(mb, {
        namespacedObjects: [configmapsIn(["auth-1"]), {
          group: "",
          resource: "secrets",
          apiVersion: "v1",
          objectsByNamespace: [{ namespace: "ns1", names: ["auth-2"] }],
        }],
      });
    await (during ? during(configureSecrets) : configureSecrets());
    await onWec(SECRETS, "auth-2");
  } finally {
    await syncer.stop();
  }
}

/** A path in the core's scratch directory. */
export function scratch(core: { dir: string }, name: string): string {
  return join(core.dir, name);
}
