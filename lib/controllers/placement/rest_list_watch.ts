/**
 * A `ListWatch` (lib/controller/list_watch.ts) over the fetch-based REST client: lists
 * every page of a collection and watches it from a resourceVersion with bookmarks, so
 * an `Informer` can keep a cache of it. Works on one logical cluster or on the kcp
 * `/clusters/*` wildcard (the client decides).
 *
 * @example
 * ```ts
 * const lw = restListWatch(client.withCluster("*"), { group: "edge.kubestellar.io",
 *   version: "v2alpha1", resource: "edgeplacements" });
 * const informer = new Informer(lw, { onAdd: (o) => queue.add(objectKey(o)) });
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

/** Lists and watches `ref` (namespace absent: every namespace) through `client`. */
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
        // Lists leave apiVersion/kind off the items; callers key by metadata only.
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
      try {
        for await (const ev of stream) yield ev as WatchEvent<T>;
      } finally {
        await stream.close();
      }
    },
  };
}
