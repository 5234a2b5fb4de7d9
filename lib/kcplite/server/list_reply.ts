/**
 * The answer to a list, read from a store cursor ({@link ListCursor}) so that memory does
 * not grow with the size of the collection:
 *
 * - a page (`limit`, and Table output) collects only its items; its continue token is the
 *   store position of the last item it looked at, and `remainingItemCount` (unfiltered
 *   lists only, as kube-apiserver) is counted in the cursor's snapshot;
 * - a whole list is streamed: the list's head, then its items in batches, written as the
 *   client reads them (a client that stops reading for longer than the stall timeout is
 *   cut off), all from one snapshot at the list's resourceVersion.
 *
 * Items whose stored JSON already starts with the served apiVersion and kind are written
 * as they are stored; the others are parsed and re-serialized with them.
 *
 * @module
 */
import type { ServerReply } from "./http1_exchange.ts";
import type { KubeObject } from "../../kube/rest_client.ts";
import { apiVersionOf, type ResourceDef } from "../api/resource_def.ts";
import type { ListCursor, ListCursorItem } from "../store/object_store.ts";
import { continueToken, type ObjectFilter } from "./list_filter.ts";
import type { StreamReply } from "./rest_context.ts";

/** Items read from the cursor at a time. */
const BATCH = 256;
/** Bytes collected before a write to the socket. */
const CHUNK = 64 * 1024;
/** JSON characters read from the cursor at a time (a batch holds at most one more item). */
const BATCH_CHARS = 64 * 1024;

/** One page of a list. */
export interface CursorPage {
  items: KubeObject[];
  continueToken?: string;
  remainingItemCount?: number;
}

/**
 * Reads up to `limit` matching items (0: all) from `cursor`, then closes it. `counted`
 * asks for `remainingItemCount` (meaningful only without selectors).
 */
export function readPage(
  cursor: ListCursor,
  filter: ObjectFilter,
  limit: number,
  counted: boolean,
): CursorPage {
  const items: KubeObject[] = [];
  try {
    for (;;) {
      const want = limit === 0 || !counted ? BATCH : Math.min(BATCH, limit - items.length);
      const batch = cursor.next(want, BATCH_CHARS);
      if (batch.length === 0) return { items };
      for (let i = 0; i < batch.length; i++) {
        const obj = JSON.parse(batch[i].json) as KubeObject;
        if (filter.matches(obj)) items.push(obj);
        if (limit > 0 && items.length === limit) {
          const unread = batch.length - i - 1;
          const remaining = unread + cursor.remaining();
          if (remaining === 0) return { items };
          return {
            items,
            continueToken: continueToken(cursor.resourceVersion, batch[i]),
            remainingItemCount: counted ? remaining : undefined,
          };
        }
      }
    }
  } finally {
    cursor.close();
  }
}

/** The stored JSON as served: as it is when it names the served apiVersion and kind. */
function servedJson(def: ResourceDef, item: ListCursorItem, prefix: string): string {
  if (item.json.startsWith(prefix)) return item.json;
  const obj = JSON.parse(item.json) as KubeObject;
  return JSON.stringify({
    ...obj,
    apiVersion: apiVersionOf(def.group, def.version),
    kind: def.kind,
  });
}

/** Unsent bytes a streamed list may leave in the response before it waits. */
const HIGH_WATER = 128 * 1024;

/**
 * Waits until the response has sent most of what it holds, or closed; destroys it when the
 * client has not read for `stallMs`. (Deno's `res.write` keeps returning true while data
 * piles up, so the buffered length is watched, not the return value.)
 */
async function drained(res: ServerReply, stallMs: number): Promise<void> {
  let last = res.writableLength;
  let since = Date.now();
  for (;;) {
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        res.off("drain", done);
        res.off("close", done);
        resolve();
      };
      const timer = setTimeout(done, 10);
      res.on("drain", done);
      res.on("close", done);
    });
    if (res.destroyed || res.writableLength < HIGH_WATER / 4) return;
    if (res.writableLength < last) since = Date.now();
    else if (Date.now() - since > stallMs) {
      res.destroy();
      return;
    }
    last = res.writableLength;
  }
}

/**
 * Streams the whole list of `cursor` (items matching `filter`, or all when undefined) as
 * a `<Kind>List`; the cursor is closed at the end or when the client goes away.
 */
export function streamList(
  def: ResourceDef,
  cursor: ListCursor,
  filter: ObjectFilter | undefined,
  stallMs: number,
): StreamReply {
  const apiVersion = apiVersionOf(def.group, def.version);
  const prefix = `{"apiVersion":${JSON.stringify(apiVersion)},"kind":${JSON.stringify(def.kind)},`;
  const head = JSON.stringify({
    apiVersion,
    kind: def.listKind,
    metadata: { resourceVersion: String(cursor.resourceVersion) },
  }).slice(0, -1) + ',"items":[';
  return {
    stream(res: ServerReply) {
      let gone = false;
      res.on("close", () => {
        gone = true;
        cursor.close();
      });
      res.writeHead(200, { "Content-Type": "application/json" });
      const run = async () => {
        let chunk = head;
        let first = true;
        for (;;) {
          const batch = cursor.next(BATCH, BATCH_CHARS);
          if (batch.length === 0) break;
          for (const item of batch) {
            if (filter && !filter.matches(JSON.parse(item.json) as KubeObject)) continue;
            chunk += (first ? "" : ",") + servedJson(def, item, prefix);
            first = false;
            if (chunk.length >= CHUNK) {
              res.write(chunk);
              chunk = "";
              if (res.writableLength > HIGH_WATER) await drained(res, stallMs);
              if (gone) return;
            }
          }
        }
        res.end(chunk + "]}");
      };
      run().catch(() => res.destroy()).finally(() => cursor.close());
    },
  };
}
