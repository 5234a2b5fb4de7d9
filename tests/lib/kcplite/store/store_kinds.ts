/**
 * Both ObjectStore implementations, for tests that check the same contract on each: a
 * name and a factory that opens a fresh store (the SQLite one in a temporary directory)
 * with its cleanup.
 *
 * @module
 */
import { join } from "node:path";
import type { ObjectStore } from "../../../../lib/kcplite/store/object_store.ts";
import { openMemoryStore } from "../../../../lib/kcplite/store/memory_store.ts";
import { openSqliteStore } from "../../../../lib/kcplite/store/sqlite_store.ts";

/** A fresh store and how to dispose of it. */
export type OpenedTestStore = { store: ObjectStore; cleanup: () => void };

/** `[name, open]` of the memory and the SQLite store. */
export const STORE_KINDS: [string, () => OpenedTestStore][] = [
  ["memory", () => ({ store: openMemoryStore(), cleanup: () => {} })],
  ["sqlite", () => {
    const dir = Deno.makeTempDirSync({ prefix: "kcplite-store-" });
    const store = openSqliteStore(join(dir, "objects.db"));
    return {
      store,
      cleanup: () => {
        store.close();
        Deno.removeSync(dir, { recursive: true });
      },
    };
  }],
];
