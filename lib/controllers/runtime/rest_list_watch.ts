/**
 * A `ListWatch` (lib/controller/list_watch.ts) over the fetch-based REST client, so an
 * `Informer` can cache any collection: one logical cluster, or every cluster through
 * kcp's `/clusters/*` wildcard (then bound resources need their identity:
 * `synctargets:<identity hash>`, see `edge_resources.ts`).
 *
 * Lists page by page; watches from a resourceVersion with bookmarks. A 410 from either
 * surfaces as an error `isGone` recognises, so the informer relists. Aborting the
 * signal ends a running watch at once.
 *
 * @example
 * ```ts
 * const lw = restListWatch(client.withCluster("root:espw"), WORKSPACES);
 * const informer = new Informer(lw, { onAdd: (o) => controller.enqueue(o.metadata!.name!) });
 * ```
 *
 * @module
 */
import type { KubeObject, ListResult, ListWatch, WatchEvent } from "../../controller/list_watch.ts";
import type { ResourceRef, RestClient } from "../../kube/rest_client.ts";

/** Options of `restListWatch`. */
export interface RestListWatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size of lists (default 500). */
  pageSize?: number;
}

/** Lists and watches the collection of `ref` (namespace absent: all namespaces). */
export function restListWatch<T extends KubeObject = KubeObject>(
  client: RestClient,
  ref: ResourceRef,
  options: RestListWatchOptions = {},
): ListWatch<T> {
  const collection = { ...ref, name: undefined };
  return {
    async list(_signal: AbortSignal): Promise<ListResult<T>> {
      const items: T[] = [];
      let cont: string | undefined;
      let resourceVersion = "";
      do {
        const page = await client.list<T>(collection, {
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
          limit: options.pageSize ?? 500,
          continue: cont,
        });
        items.push(...(page.items ?? []));
        resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
        cont = page.metadata?.continue || undefined;
      } while (cont);
      return { items, resourceVersion };
    },
    async *watch(resourceVersion: string, signal: AbortSignal): AsyncIterable<WatchEvent<T>> {
      const stream = await client.watch<T>(collection, {
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        resourceVersion,
        allowWatchBookmarks: true,
        signal,
      });
      // Aborting the request does not always end a body read that is already waiting
      // (it may wait for the next bookmark), so cancel the stream itself too.
      const onAbort = () => void stream.close();
      signal.addEventListener("abort", onAbort, { once: true });
      try {
        for await (const ev of stream) yield ev as WatchEvent<T>;
      } finally {
        signal.removeEventListener("abort", onAbort);
        await stream.close();
      }
    },
  };
}
