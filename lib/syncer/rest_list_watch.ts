/**
 * A `ListWatch` (the informer's input) over the fetch-based REST client: lists one
 * resource (all namespaces, or cluster-scoped) and watches it from a resourceVersion
 * with bookmarks and a bounded server-side timeout, so a stream never hangs forever.
 *
 * @example
 * ```ts
 * const inf = new Informer(restListWatch(client, { version: "v1", resource: "configmaps" }));
 * ```
 *
 * @module
 */
import type { KubeObject, ListWatch, WatchEvent } from "../controller/list_watch.ts";
import type { ResourceRef, RestClient } from "../kube/rest_client.ts";

/** Options of `restListWatch`. */
export interface RestListWatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Server-side watch timeout in seconds (default 240–300, jittered). */
  watchTimeoutSeconds?: number;
}

/** Lists and watches `ref` through `client`. */
export function restListWatch(
  client: RestClient,
  ref: ResourceRef,
  options: RestListWatchOptions = {},
): ListWatch<KubeObject> {
  const selectors = { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };
  return {
    async list(_signal) {
      const list = await client.list<KubeObject>(ref, selectors);
      const kind = list.kind?.replace(/List$/, "");
      const apiVersion = list.apiVersion;
      // List items may lack kind/apiVersion; fill them in like client-go's decoders.
      const items = list.items.map((item): KubeObject => ({
        ...item,
        kind: item.kind ?? kind,
        apiVersion: item.apiVersion ?? apiVersion,
      }));
      return { items, resourceVersion: list.metadata.resourceVersion ?? "" };
    },
    async *watch(resourceVersion, signal) {
      const timeout = options.watchTimeoutSeconds ?? 240 + Math.floor(Math.random() * 60);
      const stream = await client.watch(ref, {
        ...selectors,
        resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: timeout,
        signal,
      });
      // Cancel the body as soon as the caller stops: aborting the request alone does not
      // always end a response body that is already streaming.
      const onAbort = () => void stream.close();
      signal.addEventListener("abort", onAbort, { once: true });
      try {
        for await (const ev of stream) yield ev as unknown as WatchEvent;
      } finally {
        signal.removeEventListener("abort", onAbort);
        await stream.close();
      }
    },
  };
}
