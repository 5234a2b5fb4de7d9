/**
 * Consistent, incremental list reads from kcp-lite's SQLite store: each cursor runs on a
 * read-only connection of its own ({@link openStoreReader}) and steps one `SELECT` through
 * the key index. SQLite's WAL gives that statement a snapshot taken at its first row, so a
 * cursor sees the store exactly as it was when it was opened — whatever the store writes
 * meanwhile — and memory stays bounded by what the caller takes at a time, not by the size
 * of the list. Cursors start at the beginning or after a position (keyset pagination), and
 * count what remains in the same snapshot.
 *
 * Idle reader connections are kept in a small pool; a cursor gives its connection back when
 * closed. While a cursor is open, SQLite cannot checkpoint the WAL past its snapshot, so
 * callers close cursors as soon as they are done (or their client is gone).
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { ListCursorItem, ListPosition, ListScope } from "./object_store.ts";
import { openStoreReader } from "./sqlite_file.ts";
import type { BackendCursor } from "./store_backend.ts";

/** Idle reader connections kept for later cursors. */
const IDLE_READERS = 4;

interface Reader {
  db: DatabaseSync;
  statements: Map<string, StatementSync>;
}

/** The WHERE clause and parameters of a scope, optionally after a position. */
function where(scope: ListScope, after?: ListPosition): { sql: string; params: string[] } {
  const parts = ["resource = ?"];
  const params = [scope.resource];
  if (scope.cluster !== undefined) {
    parts.push("cluster = ?");
    params.push(scope.cluster);
  }
  if (scope.namespace !== undefined) {
    parts.push("namespace = ?");
    params.push(scope.namespace);
  }
  if (after) {
    // Row values compare like the index orders: by the columns the scope leaves open.
    const columns: [string, string][] = [];
    if (scope.cluster === undefined) columns.push(["cluster", after.cluster]);
    if (scope.namespace === undefined) columns.push(["namespace", after.namespace]);
    columns.push(["name", after.name]);
    parts.push(
      `(${columns.map((c) => c[0]).join(", ")}) > (${columns.map(() => "?").join(", ")})`,
    );
    params.push(...columns.map((c) => c[1]));
  }
  return { sql: parts.join(" AND "), params };
}

/** Opens cursors on one store file. */
export class SqliteCursors {
  readonly #idle: Reader[] = [];
  readonly #open = new Set<BackendCursor>();

  constructor(private readonly path: string) {}

  /** Number of open cursors. */
  get openCount(): number {
    return this.#open.size;
  }

  /** A cursor over `scope` after `after`; its snapshot is taken before this returns. */
  open(scope: ListScope, after?: ListPosition): BackendCursor {
    const reader = this.#idle.pop() ?? { db: openStoreReader(this.path), statements: new Map() };
    const { sql, params } = where(scope, after);
    const order = "ORDER BY cluster, namespace, name";
    let rows: Iterator<unknown>;
    let lookahead: IteratorResult<unknown>;
    try {
      rows = this.#statement(
        reader,
        `SELECT cluster, namespace, name, json FROM kcplite_objects WHERE ${sql} ${order}`,
      )
        .iterate(...params);
      lookahead = rows.next(); // the snapshot starts with the first row
    } catch (error) {
      this.#release(reader);
      throw error;
    }
    let last: ListPosition | undefined = after;
    let closed = false;
    const cursor: BackendCursor = {
      next: (max, maxChars = Infinity) => {
        const out: ListCursorItem[] = [];
        let chars = 0;
        while (
          !closed && !lookahead.done && out.length < max && (out.length === 0 || chars < maxChars)
        ) {
          const row = lookahead.value as ListCursorItem;
          chars += row.json.length;
          out.push({
            cluster: row.cluster,
            namespace: row.namespace,
            name: row.name,
            json: row.json,
          });
          lookahead = rows.next();
        }
        if (out.length > 0) last = out[out.length - 1];
        if (lookahead.done) cursor.close();
        return out;
      },
      remaining: () => {
        if (closed) return 0;
        const rest = where(scope, last);
        const row = this.#statement(
          reader,
          `SELECT count(*) AS n FROM kcplite_objects WHERE ${rest.sql}`,
        )
          .get(...rest.params) as { n: number };
        return Number(row.n);
      },
      close: () => {
        if (closed) return;
        closed = true;
        this.#open.delete(cursor);
        try {
          rows.return?.();
        } finally {
          this.#release(reader);
        }
      },
    };
    this.#open.add(cursor);
    return cursor;
  }

  /** Closes every cursor and connection (the store closes). */
  closeAll(): void {
    for (const cursor of [...this.#open]) cursor.close();
    for (const reader of this.#idle.splice(0)) reader.db.close();
  }

  #statement(reader: Reader, sql: string): StatementSync {
    let statement = reader.statements.get(sql);
    if (!statement) reader.statements.set(sql, statement = reader.db.prepare(sql));
    return statement;
  }

  #release(reader: Reader): void {
    if (this.#idle.length < IDLE_READERS) this.#idle.push(reader);
    else reader.db.close();
  }
}
