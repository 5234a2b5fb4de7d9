/**
 * A batch whose commit fails keeps nothing and tells nobody: no watch event, no write
 * counted, the error thrown to the batch's caller, and the resourceVersions it had handed
 * out are not handed out again. Checked on a backend whose commit can be made to fail.
 *
 * @module
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../../support/assert.ts";
import { BackedObjectStore } from "../../../../lib/kcplite/store/backed_store.ts";
import { type ObjectKey, StoreError } from "../../../../lib/kcplite/store/object_store.ts";
import type {
  BackendCursor,
  StoreBackend,
  StoredRecord,
  WriteRefusal,
} from "../../../../lib/kcplite/store/store_backend.ts";

const id = (key: ObjectKey) => `${key.resource}|${key.cluster}|${key.namespace}|${key.name}`;

/** Records in a map, with transactions that undo and a commit that fails on demand. */
class FlakyBackend implements StoreBackend {
  readonly description = "flaky";
  readonly records = new Map<string, StoredRecord>();
  failNextCommit = false;
  #undo: Map<string, StoredRecord | undefined> | undefined;

  highWaterMark(): number {
    return 0;
  }
  read(key: ObjectKey): StoredRecord | undefined {
    return this.records.get(id(key));
  }
  #set(key: ObjectKey, record: StoredRecord | undefined): void {
    if (this.#undo && !this.#undo.has(id(key))) this.#undo.set(id(key), this.records.get(id(key)));
    if (record) this.records.set(id(key), record);
    else this.records.delete(id(key));
  }
  insert(key: ObjectKey, record: StoredRecord): boolean {
    if (this.records.has(id(key))) return false;
    this.#set(key, record);
    return true;
  }
  replace(key: ObjectKey, record: StoredRecord): WriteRefusal | undefined {
    if (!this.records.has(id(key))) return "missing";
    this.#set(key, record);
  }
  remove(key: ObjectKey): { json: string } | WriteRefusal {
    const old = this.records.get(id(key));
    if (!old) return "missing";
    this.#set(key, undefined);
    return { json: old.json };
  }
  list(): string[] {
    return [...this.records.values()].map((r) => r.json);
  }
  openCursor(): BackendCursor {
    throw new Error("not used");
  }
  count(): number {
    return this.records.size;
  }
  close(): void {}
  begin(): void {
    this.#undo = new Map();
  }
  commit(): void {
    if (!this.failNextCommit) {
      this.#undo = undefined;
      return;
    }
    this.failNextCommit = false;
    this.rollback();
    throw new StoreError("writing flaky failed: disk I/O error");
  }
  rollback(): void {
    for (const [key, record] of this.#undo ?? []) {
      if (record) this.records.set(key, record);
      else this.records.delete(key);
    }
    this.#undo = undefined;
  }
}

const cm = (name: string): ObjectKey => ({
  cluster: "c",
  resource: "/configmaps",
  namespace: "",
  name,
});

Deno.test("a batch whose commit fails keeps nothing, publishes nothing, reuses no resourceVersion", () => {
  const backend = new FlakyBackend();
  const store = new BackedObjectStore(backend);
  const seen: string[] = [];
  store.watch(
    { resource: "/configmaps" },
    undefined,
    (e) => seen.push(`${e.key.name} ${e.resourceVersion}`),
  );
  store.create(cm("a"), { metadata: { name: "a" } }); // 1
  backend.failNextCommit = true;
  assert.throws(
    () =>
      store.batch(() => {
        store.create(cm("b"), { metadata: { name: "b" } }); // 2
        store.update(cm("a"), { metadata: { name: "a" }, data: { k: "v" } }); // 3
      }),
    /disk I\/O error/,
  );
  assertEquals(seen, ["a 1"], "no event of the failed batch");
  assertEquals(store.get(cm("b")), undefined);
  assertEquals(store.get(cm("a"))?.metadata?.resourceVersion, "1");
  assertEquals(store.stats().writes, 1);
  assertEquals(store.stats().commits, 1);
  const next = store.create(cm("c"), { metadata: { name: "c" } });
  assertEquals(next.metadata?.resourceVersion, "4", "2 and 3 were seen inside the batch");
  assertEquals(seen, ["a 1", "c 4"]);
  store.close();
});
