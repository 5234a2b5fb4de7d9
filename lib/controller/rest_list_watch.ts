/**
 * A `ListWatch` (`list_watch.ts`) over the fetch-based REST client
 * (`lib/kube/rest_client.ts`), so an `Informer` can cache any collection: one
 * namespace, all namespaces, a cluster-scoped resource, or every kcp logical cluster
 * through the `/clusters/*` wildcard (bound resources then need their identity,
 * `synctargets:<identity hash>`).
 *
 * - Lists page by page (`pageSize`, default 500); list items get the `kind` and
 *   `apiVersion` the list response implies when the server left them out. A page
 *   token that expired mid-way falls back to one unpaged list.
 * - Label and field selectors apply to both the list and the watch.
 * - Watches from a resourceVersion with bookmarks and a server-side timeout (default
 *   240–300 s, jittered so many watches do not reconnect together), so no stream hangs
 *   forever on a silent connection.
 * - A 410 (too-old resourceVersion) from the list or the watch surfaces as an error
 *   `isGone` recognises, so the informer relists.
 * - Aborting the signal cancels a running list and ends a running watch at once.
 *
 * @example
 * ```ts
 * const lw = restListWatch(client.withCluster("root:espw"), WORKSPACES);
 * const informer = new Informer(lw, { onAdd: (o) => controller.enqueue(o.metadata!.name!) });
 * ```
 *
 * @module
 */
import type { KubeList, ResourceRef, RestClient } from "../kube/rest_client.ts";
import { isGone as isGoneError } from "../kube/rest_errors.ts";
import type { KubeObject, ListResult, ListWatch, WatchEvent } from "./list_watch.ts";

/** Options of `restListWatch`. */
export interface RestListWatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size of lists (default 500). */
  pageSize?: number;
  /** Server-side watch timeout in seconds (default 240–300, jittered). */
  watchTimeoutSeconds?: number;
}

/** The server-side timeout of one watch: `fixed`, or 240–300 s at random. */
function watchTimeoutSeconds(fixed?: number): number {
  return fixed ?? 240 + Math.floor(Math.random() * 60);
}

/** Items with the kind and apiVersion their list implies filled in. */
function withListIdentity<T extends KubeObject>(list: KubeList<T>): T[] {
  const kind = list.kind?.replace(/List$/, "");
  return (list.items ?? []).map((item) =>
    item.kind && item.apiVersion
      ? item
      : { ...item, kind: item.kind ?? kind, apiVersion: item.apiVersion ?? list.apiVersion }
  );
}

/** Lists and watches the collection of `ref` (namespace absent: all namespaces). */
export function restListWatch<T extends KubeObject = KubeObject>(
  client: RestClient,
  ref: ResourceRef,
  options: RestListWatchOptions = {},
): ListWatch<T> {
  const collection = { ...ref, name: undefined };
  const selectors = { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };
  return {
    async list(signal: AbortSignal): Promise<ListResult<T>> {
      const items: T[] = [];
      let cont: string | undefined;
      let resourceVersion = "";
      do {
        let page: KubeList<T>;
        try {
          page = await client.list<T>(collection, {
            ...selectors,
            limit: options.pageSize ?? 500,
            continue: cont,
            signal,
          });
        } catch (e) {
          if (!cont || !isGoneError(e)) throw e;
          // The continue token expired: take the whole collection in one answer.
          const all = await client.list<T>(collection, { ...selectors, signal });
          return {
            items: withListIdentity(all),
            resourceVersion: all.metadata?.resourceVersion ?? "",
          };
        }
        items.push(...withListIdentity(page));
        resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
        cont = page.metadata?.continue || undefined;
      } while (cont);
      return { items, resourceVersion };
    },
    async *watch(resourceVersion: string, signal: AbortSignal): AsyncIterable<WatchEvent<T>> {
      const stream = await client.watch<T>(collection, {
        ...selectors,
        resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: watchTimeoutSeconds(options.watchTimeoutSeconds),
        signal,
      });
      // The stream ends itself when `signal` aborts, even while waiting for the server.
      try {
        for await (const ev of stream) yield ev as WatchEvent<T>;
      } finally {
        await stream.close();
      }
    },
  };
}
