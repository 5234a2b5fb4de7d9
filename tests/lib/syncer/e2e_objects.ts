/**
 * Objects and helpers of the syncer e2e tests (`tests/e2e/syncer_test.ts`): resource
 * references in namespace `ns1`, a Deployment, a Widget CRD with a status subresource,
 * SyncerConfig clauses, the hub + mailbox + WEC setup and its teardown, and a syncer of
 * that mailbox running as its own ServiceAccount for the length of a test body.
 *
 * @module
 */
import type { KubeObject, ResourceRef, RestClient } from "../../../lib/kube/rest_client.ts";
import { Logger } from "../../../lib/log/logger.ts";
import { type RunningSyncer, startSyncer, type SyncerOptions } from "../../../lib/syncer/syncer.ts";
import {
  addMailbox,
  type Hub,
  type Mailbox,
  startHub,
  startWec,
  syncerConnection,
  type Wec,
} from "./hub_fixture.ts";

export const NS = { version: "v1", resource: "namespaces" };
export const CM = { version: "v1", resource: "configmaps", namespace: "ns1" };
export const DEPLOY = { group: "apps", version: "v1", resource: "deployments", namespace: "ns1" };
export const CRD = {
  group: "apiextensions.k8s.io",
  version: "v1",
  resource: "customresourcedefinitions",
};
export const WIDGETS = {
  group: "example.com",
  version: "v1",
  resource: "widgets",
  namespace: "ns1",
};

export const quiet = () => new Logger("syncer", { write: () => {} });

/** An object whose data and status tests read. */
export type Obj = KubeObject & { data?: Record<string, string>; status?: Record<string, unknown> };

export async function getOr(client: RestClient, ref: ResourceRef): Promise<Obj | undefined> {
  try {
    return await client.get<Obj>(ref);
  } catch {
    return undefined;
  }
}

export function deployment(name: string): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: "main", image: "nginx:1" }] },
      },
    },
  };
}

export const widgetCrd: KubeObject = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.example.com" },
  spec: {
    group: "example.com",
    names: { plural: "widgets", singular: "widget", kind: "Widget", listKind: "WidgetList" },
    scope: "Namespaced",
    versions: [{
      name: "v1",
      served: true,
      storage: true,
      subresources: { status: {} },
      schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
    }],
  },
};

export function configmapsIn(names: string[]) {
  return {
    group: "",
    resource: "configmaps",
    apiVersion: "v1",
    objectsByNamespace: [{ namespace: "ns1", names }],
  };
}

/** A hub, the mailbox of SyncTarget `florin` (with namespace `ns1`) and a WEC. */
export interface SyncerSetup {
  hub: Hub;
  mb: Mailbox;
  wec: Wec;
}

export async function setUp(restartable: boolean): Promise<SyncerSetup> {
  const hub = await startHub({ restartable });
  const mb = await addMailbox(hub, "florin");
  const wec = await startWec();
  await mb.client.create(NS, {
    metadata: { name: "ns1", labels: { "edge.kubestellar.io/projected": "yes" } },
  });
  return { hub, mb, wec };
}

/** Stops what `setUp` started. */
export async function tearDown({ hub, mb, wec }: SyncerSetup): Promise<void> {
  mb.client.close();
  await wec.stop();
  await hub.stop();
}

/** Runs `fn` on a fresh `setUp`, torn down afterwards. */
export async function withSetUp(
  restartable: boolean,
  fn: (setup: SyncerSetup) => Promise<void>,
): Promise<void> {
  const setup = await setUp(restartable);
  try {
    await fn(setup);
  } finally {
    await tearDown(setup);
  }
}

/**
 * Runs `fn` with a syncer of the mailbox (its own ServiceAccount, quiet log unless
 * `options` says otherwise), stopped afterwards.
 */
export async function withSyncer(
  { hub, mb, wec }: SyncerSetup,
  options: Partial<SyncerOptions>,
  fn: (syncer: RunningSyncer) => Promise<void>,
): Promise<void> {
  const syncer = startSyncer({
    mailbox: await syncerConnection(hub, mb),
    wec: wec.config,
    syncTargetName: mb.syncTargetName,
    syncTargetUid: mb.syncTargetUid,
    log: quiet(),
    ...options,
  });
  try {
    await syncer.ready;
    await fn(syncer);
  } finally {
    await syncer.stop();
  }
}
