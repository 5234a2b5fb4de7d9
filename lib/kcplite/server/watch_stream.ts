/**
 * Watch (kcp-spec §8.3): a chunked stream of JSON lines `{"type":…,"object":…}`.
 * Without a resourceVersion (or with `0`) the current objects come first as ADDED; with
 * one, the changes after it are replayed from the store's history, or an `ERROR` event
 * with a 410 `Status` ends the stream when that history is gone. Label and field selectors
 * filter events (an object that stops matching is reported DELETED), `allowWatchBookmarks`
 * adds periodic BOOKMARK events, and `timeoutSeconds` ends the stream.
 *
 * @module
 */
import type { ServerReply } from "./http1_exchange.ts";
import { setImmediate } from "node:timers";
import type { KubeObject } from "../../kube/rest_client.ts";
import { apiVersionOf, type ResourceDef } from "../api/resource_def.ts";
import { StatusError } from "../api/status_error.ts";
import { ResourceVersionTooOldError, type StoreEvent } from "../store/object_store.ts";
import { compileFilter, type ObjectFilter } from "./list_filter.ts";
import { resourceVersionParam } from "./resource_version_param.ts";
import {
  isServedJson,
  type RestEnvironment,
  type RestRequest,
  type StreamReply,
  versioned,
  wantsTable,
} from "./rest_context.ts";

/**
 * The last encoded event lines of each store, shared by all watches of that server: with
 * many watchers of the same resource each change is serialized once. Per store, since
 * several servers in one process (tests, the quickstart's edge clusters) have objects of
 * the same name at the same resourceVersion.
 */
const encodedLinesByStore = new WeakMap<object, Map<string, string>>();
const ENCODED_LINES_MAX = 512;

/** Unsent bytes a watch may accumulate before the server ends it. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** Characters of event lines held for the end of the turn before they are written at once. */
const FLUSH_CHARS = 64 * 1024;

function cachedLine(store: object, id: string, make: () => string): string {
  let encodedLines = encodedLinesByStore.get(store);
  if (!encodedLines) encodedLinesByStore.set(store, encodedLines = new Map());
  let line = encodedLines.get(id);
  if (line === undefined) {
    line = make();
    encodedLines.set(id, line);
    if (encodedLines.size > ENCODED_LINES_MAX) {
      encodedLines.delete(encodedLines.keys().next().value!);
    }
  }
  return line;
}

function keyString(e: StoreEvent): string {
  return `${e.key.cluster}\u0000${e.key.namespace}\u0000${e.key.name}`;
}

function nameFilter(req: RestRequest, filter: ObjectFilter): ObjectFilter {
  const name = req.info.name;
  if (!name) return filter;
  const matchesKey = filter.matchesKey;
  return {
    selects: true,
    matches: (o: KubeObject) => o.metadata?.name === name && filter.matches(o),
    matchesKey: filter.selects === false || matchesKey
      ? (key) => key.name === name && (filter.selects === false || matchesKey!(key))
      : undefined,
  };
}

/**
 * Whether the event's object passes the filter; without selectors, or with only name and
 * namespace ones, nothing is parsed, so a watcher served from the shared encoding of the
 * event parses nothing.
 */
function eventMatches(filter: ObjectFilter, e: StoreEvent): boolean {
  if (filter.selects === false) return true;
  if (filter.matchesKey) return filter.matchesKey(e.key);
  if (filter.matchesLabels && e.labels) return filter.matchesLabels(e.labels, e.key);
  return filter.matches(e.object);
}

/**
 * The event line built from the stored JSON text when that text is already the object as
 * served ({@link isServedJson}); undefined otherwise, and the caller encodes the object.
 */
function splicedLine(def: ResourceDef, type: string, json: string | undefined) {
  if (json === undefined || !isServedJson(def, json)) return undefined;
  return `{"type":"${type}","object":${json}}\n`;
}

function timeoutMs(query: URLSearchParams): number {
  const t = Number(query.get("timeoutSeconds") ?? "");
  if (Number.isFinite(t) && t > 0) return t * 1000;
  return (1800 + Math.random() * 1800) * 1000;
}

/** GET with `watch=true` (or the `/watch/` path prefix). */
export function handleWatch(env: RestEnvironment, req: RestRequest): StreamReply {
  const filter = nameFilter(req, compileFilter(req.def, req.query));
  let from = resourceVersionParam(req.query);
  const scope = {
    cluster: req.cluster,
    resource: req.def.storageResource,
    namespace: req.def.namespaced && req.info.namespace ? req.info.namespace : undefined,
  };
  const toTable = wantsTable(req.accept) ? env.hooks.toTable : undefined;
  const includeObject = req.query.get("includeObject") ?? undefined;
  const bookmarks = req.query.get("allowWatchBookmarks") === "true";
  const duration = timeoutMs(req.query);

  return {
    stream(res: ServerReply) {
      res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache" });
      // Clients (client-go) wait for the headers: send them now, not with the first event.
      res.flushHeaders();
      const encode = (obj: KubeObject) => {
        const out = versioned(req.def, obj);
        return toTable ? toTable(req.def, [out], includeObject) : out;
      };
      // Lines wait for the end of the event loop's turn and go out in one write: the
      // events of the writes handled in one turn (and a list's ADDED events) share a
      // chunk, a TLS record and a system call instead of taking one each.
      let lines: string[] = [];
      let pendingChars = 0;
      let flushing = false;
      const flush = () => {
        flushing = false;
        if (lines.length === 0 || res.writableEnded) return void (lines = [], pendingChars = 0);
        const text = lines.length === 1 ? lines[0] : lines.join("");
        lines = [];
        pendingChars = 0;
        res.write(text);
        // A client that stops reading is cut off; it re-watches (or relists) like after a timeout.
        if (res.writableLength > MAX_BUFFERED_BYTES) finish();
      };
      const write = (line: string) => {
        if (res.writableEnded) return;
        lines.push(line);
        pendingChars += line.length;
        // A long run (a large list) goes out as it grows, as the lines did before.
        if (pendingChars >= FLUSH_CHARS) flush();
        else if (!flushing) {
          flushing = true;
          setImmediate(flush);
        }
      };
      const send = (type: string, object: unknown) =>
        write(JSON.stringify({ type, object }) + "\n");
      const matching = new Set<string>();
      const listedFirst = from === undefined;
      let watch: { stop(): void } | undefined;
      const timers: ReturnType<typeof setTimeout>[] = [];
      const finish = () => {
        watch?.stop();
        for (const t of timers) clearTimeout(t);
        if (res.writableEnded) return;
        const rest = lines.join("");
        lines = [];
        if (rest !== "" && !res.destroyed) res.end(rest);
        else res.end();
      };
      res.on("close", finish);

      const sendEvent = (type: string, e: StoreEvent) => {
        if (res.writableEnded) return;
        if (toTable) return send(type, encode(e.object));
        const id = `${type}\u0000${keyString(e)}\u0000${e.resourceVersion}\u0000${req.def.group}/` +
          `${req.def.version}/${req.def.resource}`;
        write(
          cachedLine(
            env.store,
            id,
            () =>
              splicedLine(req.def, type, e.json) ??
                JSON.stringify({ type, object: encode(e.object) }) + "\n",
          ),
        );
      };
      // Without selectors every event is sent as it is: nothing to remember per object.
      const track = filter.selects !== false;
      const listener = (e: StoreEvent) => {
        if (!track) return sendEvent(e.type, e);
        const id = keyString(e);
        if (e.type === "DELETED") {
          if (eventMatches(filter, e) || matching.delete(id)) sendEvent("DELETED", e);
          matching.delete(id);
          return;
        }
        if (eventMatches(filter, e)) {
          const type = e.type === "MODIFIED" && listedFirst && !matching.has(id) ? "ADDED" : e.type;
          matching.add(id);
          sendEvent(type, e);
        } else if (matching.delete(id)) {
          sendEvent("DELETED", e);
        }
      };

      if (from === undefined) {
        const { items, resourceVersion } = env.store.list(scope);
        for (const obj of items) {
          if (!filter.matches(obj)) continue;
          const m = obj.metadata!;
          if (track) {
            matching.add(
              `${req.cluster ?? clusterOf(obj)}\u0000${m.namespace ?? ""}\u0000${m.name}`,
            );
          }
          send("ADDED", encode(obj));
        }
        from = resourceVersion;
      }
      try {
        watch = env.store.watch(scope, from, listener);
      } catch (e) {
        failWatch(send, e);
        finish();
        return;
      }
      timers.push(setTimeout(finish, duration));
      if (bookmarks) {
        const tick = () => {
          send("BOOKMARK", {
            kind: req.def.kind,
            apiVersion: apiVersionOf(req.def.group, req.def.version),
            metadata: { resourceVersion: String(env.store.currentResourceVersion()) },
          });
          timers.push(setTimeout(tick, env.bookmarkIntervalMs));
        };
        timers.push(setTimeout(tick, env.bookmarkIntervalMs));
      }
    },
  };
}

function clusterOf(obj: KubeObject): string {
  return obj.metadata?.annotations?.["kcp.io/cluster"] ?? "";
}

function failWatch(send: (type: string, object: unknown) => void, e: unknown): void {
  if (e instanceof ResourceVersionTooOldError) {
    send("ERROR", StatusError.gone(e.message).toStatus());
    return;
  }
  send("ERROR", StatusError.internal((e as Error).message).toStatus());
}
