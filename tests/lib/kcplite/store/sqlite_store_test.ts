/**
 * The SQLite store file: reopen, monotonic resourceVersions, refusal of foreign, garbage
 * and newer files, exclusive use, and no loss of acknowledged writes on SIGKILL.
 *
 * @module
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DatabaseSync } from "node:sqlite";
import { assertEquals, assertTrue } from "../../../support/assert.ts";
import {
  type ObjectKey,
  ResourceVersionTooOldError,
  StoreError,
} from "../../../../lib/kcplite/store/object_store.ts";
import { openSqliteStore } from "../../../../lib/kcplite/store/sqlite_store.ts";

const CHILD = fileURLToPath(new URL("../../../support/store_writer_child.ts", import.meta.url));

function key(name: string, cluster = "c1"): ObjectKey {
  return { cluster, resource: "/configmaps", namespace: "ns", name };
}

function withDir(fn: (dir: string) => void | Promise<void>): () => Promise<void> {
  return async () => {
    const dir = Deno.makeTempDirSync({ prefix: "kcplite-sqlite-" });
    try {
      await fn(dir);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  };
}

/** Asserts that opening `path` fails with a one-line StoreError naming it and leaves it as is. */
function assertRefused(path: string, re: RegExp): void {
  const before = Deno.readFileSync(path);
  assert.throws(() => openSqliteStore(path), (e: unknown) => {
    assertTrue(e instanceof StoreError, `expected a StoreError, got ${e}`);
    assert.match(e.message, re);
    assertTrue(e.message.includes(path), "the message names the file");
    assertTrue(!e.message.includes("\n"), "one line");
    return true;
  });
  assertEquals(Deno.readFileSync(path), before, "the file is left untouched");
}

Deno.test(
  "reopen keeps objects and resourceVersions stay monotonic, deletes included",
  withDir((dir) => {
    const path = join(dir, "objects.db");
    let store = openSqliteStore(path);
    store.create(key("a"), { metadata: { name: "a" }, data: { v: "1" } }); // 1
    store.create(key("b", "c2"), { metadata: { name: "b" } }); // 2
    store.update(key("a"), { metadata: { name: "a" }, data: { v: "2" } }); // 3
    store.create(key("tmp"), { metadata: { name: "tmp" } }); // 4
    store.delete(key("tmp")); // 5: the highest RV belongs to a deletion
    for (const file of [path, `${path}-wal`]) {
      assertEquals((Deno.statSync(file).mode ?? 0o600) & 0o777, 0o600, `${file} is private`);
    }
    store.close();

    store = openSqliteStore(path);
    assertEquals(store.currentResourceVersion(), 5);
    assertEquals(store.get(key("a")), {
      metadata: { name: "a", resourceVersion: "3" },
      data: { v: "2" },
    });
    assertEquals(store.list({ resource: "/configmaps" }).items.length, 2);
    assertEquals(store.get(key("tmp")), undefined);
    // history starts empty at open: older resourceVersions are gone, the current one works
    assert.throws(
      () => store.watch({ resource: "/configmaps" }, 3, () => {}),
      ResourceVersionTooOldError,
    );
    const seen: number[] = [];
    store.watch({ resource: "/configmaps" }, 5, (e) => seen.push(e.resourceVersion));
    assertEquals(
      store.create(key("c"), { metadata: { name: "c" } }).metadata?.resourceVersion,
      "6",
    );
    assertEquals(seen, [6]);
    store.close();

    store = openSqliteStore(path, { synchronous: "full" });
    assertEquals(store.currentResourceVersion(), 6);
    store.close();
  }),
);

Deno.test(
  "a second open of a store in use fails clearly; after close it opens",
  withDir((dir) => {
    const path = join(dir, "objects.db");
    const first = openSqliteStore(path);
    first.create(key("a"), { metadata: { name: "a" } });
    assert.throws(() => openSqliteStore(path), /in use by another process/);
    first.close();
    const reader = openSqliteStore(path); // an existing store, not written since open
    assert.throws(() => openSqliteStore(path), /in use by another process/);
    reader.close();
    const again = openSqliteStore(path);
    assertEquals(again.currentResourceVersion(), 1);
    again.close();
  }),
);

Deno.test(
  "garbage bytes are refused, not reset",
  withDir((dir) => {
    const path = join(dir, "objects.db");
    Deno.writeTextFileSync(path, "this is not a database\n".repeat(300));
    assertRefused(path, /is not a kcp-lite store \(not an SQLite database\); move it away/);
    const short = join(dir, "short.db");
    Deno.writeTextFileSync(short, "x");
    assertRefused(short, /not an SQLite database/);
  }),
);

Deno.test(
  "an SQLite header followed by garbage is refused",
  withDir((dir) => {
    const path = join(dir, "objects.db");
    const bytes = new Uint8Array(8192).fill(0xa5);
    bytes.set(new TextEncoder().encode("SQLite format 3\0"));
    Deno.writeFileSync(path, bytes);
    assertRefused(path, /kcp-lite store|SQLite/);
  }),
);

Deno.test(
  "another program's SQLite database is refused",
  withDir((dir) => {
    const path = join(dir, "objects.db");
    const db = new DatabaseSync(path);
    db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')");
    db.close();
    assertRefused(path, /is an SQLite database but not a kcp-lite store/);

    const marked = join(dir, "marked.db");
    const other = new DatabaseSync(marked);
    other.exec("PRAGMA application_id = 1262702668; CREATE TABLE t (x)"); // "KCPL", no meta
    other.close();
    assertRefused(marked, /not a kcp-lite store \(no kcp-lite marker\)/);
  }),
);

Deno.test(
  "a store written by a newer schema is refused",
  withDir((dir) => {
    const path = join(dir, "objects.db");
    openSqliteStore(path).close();
    const db = new DatabaseSync(path);
    db.exec("UPDATE kcplite_meta SET value = '7' WHERE key = 'schema_version'");
    db.close();
    assertRefused(path, /written by a newer kcp-lite \(schema 7, this version reads up to 1\)/);
  }),
);

Deno.test(
  "an empty file or an empty SQLite database becomes a new store; bad paths are refused",
  withDir((dir) => {
    const empty = join(dir, "empty.db");
    Deno.writeFileSync(empty, new Uint8Array());
    const store = openSqliteStore(empty);
    assertEquals(store.currentResourceVersion(), 0);
    store.close();
    const blank = join(dir, "blank.db");
    new DatabaseSync(blank).close();
    openSqliteStore(blank).close();
    assert.throws(() => openSqliteStore(join(dir, "missing", "objects.db")), /does not exist/);
    assert.throws(() => openSqliteStore(dir), /is not a regular file/);
  }),
);

/** Reads every line of `stream`, calling `onLine` with the lines so far after each chunk. */
async function readLines(
  stream: ReadableStream<string>,
  onLines: (lines: string[]) => void,
): Promise<string[]> {
  const lines: string[] = [];
  let rest = "";
  for await (const chunk of stream) {
    rest += chunk;
    const parts = rest.split("\n");
    rest = parts.pop()!;
    lines.push(...parts);
    onLines(lines);
  }
  return lines;
}

Deno.test(
  "a writer killed with SIGKILL loses no acknowledged write",
  withDir(async (dir) => {
    const path = join(dir, "objects.db");
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", CHILD, path],
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    let killed = false;
    const kill = () => {
      if (!killed) child.kill("SIGKILL");
      killed = true;
    };
    let lines: string[];
    try {
      // Kill mid-stream, then read what the child printed before it died.
      lines = await readLines(child.stdout.pipeThrough(new TextDecoderStream()), (l) => {
        if (l.length >= 600) kill();
      });
    } finally {
      kill();
    }
    const status = await child.status;
    assertEquals(status.signal, "SIGKILL");
    const writes = lines.filter((l) => l.startsWith("created ") || l.startsWith("deleted "));
    assertTrue(writes.length >= 500, `child acknowledged ${writes.length} writes`);
    assertTrue(lines.at(-1) !== "done", "killed while writing");

    const live = new Set<string>();
    let lastRv = 0;
    for (const l of writes) {
      const [op, name, rv] = l.split(" ");
      if (op === "created") live.add(name);
      else live.delete(name);
      assertEquals(Number(rv), ++lastRv, "acknowledged resourceVersions are consecutive");
    }
    // The child may have committed one more write whose line it could not print: the
    // deletion of the object it created last (every third one), or the next create.
    const [lastOp, lastName] = writes.at(-1)!.split(" ");
    const nextIsDelete = lastOp === "created" && Number(lastName.slice(4)) % 3 === 2;

    const store = openSqliteStore(path);
    try {
      const rv = store.currentResourceVersion();
      assertTrue(rv === lastRv || rv === lastRv + 1, `store rv ${rv}, last acknowledged ${lastRv}`);
      if (rv === lastRv + 1 && nextIsDelete) live.delete(lastName);
      for (const name of live) {
        assertTrue(store.get(key(name, "crash")) !== undefined, `${name} survived`);
      }
      const deleted = writes.filter((l) => l.startsWith("deleted ")).map((l) => l.split(" ")[1]);
      for (const name of deleted) assertEquals(store.get(key(name, "crash")), undefined);
      const next = store.create(key("after", "crash"), { metadata: { name: "after" } });
      assertEquals(Number(next.metadata?.resourceVersion), rv + 1);
    } finally {
      store.close();
    }
  }),
);

Deno.test(
  "a store whose pages were overwritten fails with a clear error, at open or on read",
  withDir((dir) => {
    const path = join(dir, "objects.db");
    const store = openSqliteStore(path);
    for (let i = 0; i < 300; i++) {
      store.create(key(`o${i}`), { metadata: { name: `o${i}` }, data: { pad: "p".repeat(200) } });
    }
    store.close();
    const bytes = Deno.readFileSync(path);
    assertTrue(bytes.length > 8 * 4096, "several pages");
    bytes.fill(0x5a, 4 * 4096, bytes.length - 4096); // keep header and meta, ruin the rest
    Deno.writeFileSync(path, bytes);
    const check = (e: unknown) => {
      assertTrue(e instanceof StoreError, `expected a StoreError, got ${e}`);
      assertTrue(e.message.includes(path), "names the file");
      assert.match(e.message, /corrupt/);
      assertTrue(!e.message.includes("\n"), "one line");
      return true;
    };
    let reopened;
    try {
      reopened = openSqliteStore(path);
    } catch (e) {
      check(e);
      return;
    }
    try {
      assert.throws(() => reopened.list({ resource: "/configmaps" }), check);
    } finally {
      reopened.close();
    }
  }),
);

Deno.test(
  "a busy store checkpoints its WAL from a worker thread, and still closes clean",
  withDir(async (dir) => {
    const path = join(dir, "objects.db");
    const store = openSqliteStore(path, {
      backgroundCheckpoint: { afterCommits: 1, intervalMs: 20 },
    });
    const pad = "p".repeat(500);
    store.batch(() => {
      for (let i = 0; i < 2000; i++) {
        store.create(key(`o${i}`), { metadata: { name: `o${i}` }, data: { pad } });
      }
    });
    store.create(key("after"), { metadata: { name: "after" } });
    const before = Deno.statSync(path).size;
    // SQLite's own checkpoint would wait for 32,768 pages: only the worker copies these.
    for (let i = 0; i < 200 && Deno.statSync(path).size < 1_000_000; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assertTrue(
      Deno.statSync(path).size > 1_000_000,
      `database file ${before} → ${Deno.statSync(path).size}`,
    );
    store.create(key("later"), { metadata: { name: "later" } });
    store.close();
    assertTrue(!existsSync(`${path}-wal`), "the last connection took the WAL away");
    const again = openSqliteStore(path);
    try {
      assertEquals(again.currentResourceVersion(), 2002);
      assertEquals(again.list({ resource: "/configmaps" }).items.length, 2002);
    } finally {
      again.close();
    }
  }),
);
