/**
 * The mailbox writer when the server does not answer: a create that may have been made
 * (the core killed between its commit and its reply) stays known, so a later removal
 * still deletes the copy and a later put reads it first; a create the server refused is
 * not known. Found by the core `kill -9` fault test, where such a copy outlived its source.
 * After a restart, the writer learns what the mailbox holds from the SyncerConfig it reads.
 *
 * @module
 */
import { assertEquals, assertTrue } from "../../../support/assert.ts";
import { MailboxWriter } from "../../../../lib/controllers/placement/mailbox_writer.ts";
import type { KubeObject, ResourceRef, RestClient } from "../../../../lib/kube/rest_client.ts";
import { ApiError, ConnectionError } from "../../../../lib/kube/rest_errors.ts";
import { EDGE_KEYS } from "../../../../lib/edge/api_types.ts";
import { Logger } from "../../../../lib/log/logger.ts";

type Outcome = "ok" | "unanswered" | "refused";

/** A mailbox in memory; each create can be made to fail after or before it is made. */
class FakeMailbox {
  readonly objects = new Map<string, KubeObject>();
  createOutcome: Outcome = "ok";
  calls: string[] = [];

  static key(ref: ResourceRef, name: string): string {
    return `${ref.resource}|${ref.namespace ?? ""}/${name}`;
  }

  client(): RestClient {
    const notFound = () => new ApiError({ reason: "NotFound", message: "not found" }, 404);
    const create = (ref: ResourceRef, body: KubeObject) => {
      this.calls.push(`create ${ref.resource}`);
      if (this.createOutcome === "refused") {
        throw new ApiError({ reason: "Forbidden", message: "no" }, 403);
      }
      const key = FakeMailbox.key(ref, body.metadata!.name!);
      if (this.objects.has(key)) {
        throw new ApiError({ reason: "AlreadyExists", message: "exists" }, 409);
      }
      this.objects.set(key, { ...body, metadata: { ...body.metadata, resourceVersion: "1" } });
      if (this.createOutcome === "unanswered") {
        throw new ConnectionError("https://hub", "connection reset");
      }
      return Promise.resolve({});
    };
    const fake = {
      createUnread: (ref: ResourceRef, body: KubeObject) => create(ref, body),
      create: (ref: ResourceRef, body: KubeObject) => create(ref, body),
      get: (ref: ResourceRef & { name: string }) => {
        this.calls.push(`get ${ref.resource}`);
        const o = this.objects.get(FakeMailbox.key(ref, ref.name));
        if (!o) throw notFound();
        return Promise.resolve(structuredClone(o));
      },
      update: (ref: ResourceRef & { name: string }, body: KubeObject) => {
        this.calls.push(`update ${ref.resource}`);
        this.objects.set(FakeMailbox.key(ref, ref.name), body);
        return Promise.resolve(body);
      },
      delete: (ref: ResourceRef & { name: string }) => {
        this.calls.push(`delete ${ref.resource}`);
        if (!this.objects.delete(FakeMailbox.key(ref, ref.name))) throw notFound();
        return Promise.resolve({});
      },
      list: (ref: ResourceRef) => {
        this.calls.push(`list ${ref.resource}`);
        const items = [...this.objects].filter(([k]) => k.startsWith(`${ref.resource}|`));
        return Promise.resolve({ items: items.map(([, o]) => structuredClone(o)) });
      },
      close: () => {},
    };
    return fake as unknown as RestClient;
  }
}

const KEY = "/configmaps|ns/cm-1";
const FORM: KubeObject = {
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "cm-1", namespace: "ns", labels: { [EDGE_KEYS.projected]: "yes" } },
  data: { v: "1" },
};

function writer(mailbox: FakeMailbox): MailboxWriter {
  return new MailboxWriter("mb", "uid", mailbox.client(), new Logger("test", { write: () => {} }));
}

async function rejects(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch {
    return;
  }
  throw new Error("expected a rejection");
}

Deno.test("a create the server made but never answered is still removed later", async () => {
  const mailbox = new FakeMailbox();
  const w = writer(mailbox);
  mailbox.createOutcome = "unanswered";
  await rejects(w.put(KEY, "v1", FORM, "h1", false));
  assertTrue(mailbox.objects.has("configmaps|ns/cm-1"), "the server made it");
  assertTrue(w.knows(KEY), "the writer counts it as perhaps there");
  // Its source went away: the removal finds and deletes the copy.
  assertEquals(await w.remove(KEY), 1);
  assertEquals(mailbox.objects.size, 0);
  assertEquals(w.knows(KEY), false);
});

Deno.test("after an unanswered create, the next put reads the copy instead of creating", async () => {
  const mailbox = new FakeMailbox();
  const w = writer(mailbox);
  mailbox.createOutcome = "unanswered";
  await rejects(w.put(KEY, "v1", FORM, "h1", false));
  mailbox.createOutcome = "ok";
  mailbox.calls = [];
  await w.put(KEY, "v1", FORM, "h1", false);
  assertEquals(mailbox.calls, ["get configmaps"], "read, found the same, nothing written");
  assertTrue(w.knows(KEY));
  // Not made after all: the put reads, finds nothing and creates it.
  const other = new FakeMailbox();
  const w2 = writer(other);
  other.createOutcome = "unanswered";
  await rejects(w2.put(KEY, "v1", FORM, "h1", false));
  other.objects.clear();
  other.createOutcome = "ok";
  other.calls = [];
  await w2.put(KEY, "v1", FORM, "h1", false);
  assertEquals(other.calls, ["get configmaps", "create configmaps"]);
});

Deno.test("a create the server refused is not known; an unanswered Namespace is", async () => {
  const mailbox = new FakeMailbox();
  const w = writer(mailbox);
  mailbox.createOutcome = "refused";
  await rejects(w.put(KEY, "v1", FORM, "h1", false));
  assertEquals(w.knows(KEY), false);
  await rejects(w.ensureNamespace("ns"));
  assertEquals(w.knownNamespaces(), []);
  mailbox.createOutcome = "unanswered";
  await rejects(w.ensureNamespace("ns"));
  assertEquals(w.knownNamespaces(), ["ns"]);
});

Deno.test("after a restart, init reads the SyncerConfig the cache names and knows what it lists", async () => {
  const mailbox = new FakeMailbox();
  mailbox.objects.set("syncerconfigs|/the-one", {
    metadata: { name: "the-one", resourceVersion: "7" },
    spec: {
      namespacedObjects: [{
        apiVersion: "v1",
        group: "",
        resource: "configmaps",
        objectsByNamespace: [{ namespace: "ns", names: ["cm-1"] }],
      }],
    },
  });
  mailbox.objects.set("apibindings|/b-1", {
    metadata: { name: "b-1", labels: { [EDGE_KEYS.projected]: "yes" } },
  });
  const w = writer(mailbox);
  // The translator's cache keeps only that it exists (its resourceVersion).
  await w.init({ resourceVersion: "6" });
  assertEquals(mailbox.calls, ["get syncerconfigs", "list apibindings"]);
  assertEquals(w.knownKeys().sort(), ["/configmaps|ns/cm-1", "apis.kcp.io/apibindings|/b-1"]);
  assertEquals(w.knownNamespaces(), ["ns"]);
  assertTrue(w.hasSyncerConfig);
  // A known copy with an unknown form: the next put reads it before writing.
  mailbox.objects.set("configmaps|ns/cm-1", FORM);
  mailbox.calls = [];
  await w.put(KEY, "v1", FORM, "h1", false);
  assertEquals(mailbox.calls, ["get configmaps"]);
});

Deno.test("init after the SyncerConfig the cache named was deleted: nothing is known", async () => {
  const mailbox = new FakeMailbox();
  const w = writer(mailbox);
  await w.init({ resourceVersion: "6" });
  assertEquals(mailbox.calls, ["get syncerconfigs"], "no SyncerConfig: no copy of ours either");
  assertEquals(w.knownKeys(), []);
  assertEquals(w.hasSyncerConfig, false);
});
