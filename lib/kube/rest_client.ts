/**
 * A light Kubernetes REST client on `fetch`: fast to load (no client-node), TLS
 * verified against the kubeconfig's CA, bearer-token, basic or client-certificate
 * auth.
 *
 * Failures are typed: a non-2xx answer is an `ApiError` carrying the server's
 * `Status` (`GoneError` for 410), an unreachable server is a `ConnectionError` naming
 * it. `withCluster("root:espw")` addresses another kcp logical cluster on the same
 * server and shares the connection pool.
 *
 * @example
 * ```ts
 * const client = restClientFor(await kc.restConfig());
 * const espw = client.withCluster("root:espw");
 * const cms = { version: "v1", resource: "configmaps", namespace: "ns" };
 * const list = await espw.list<KubeObject>(cms, { labelSelector: "env=prod" });
 * await espw.patch({ ...cms, name: "cm" }, { data: { a: "1" } }, "merge");
 * espw.close();
 * client.close();
 * ```
 *
 * @module
 */
import type { RestConfig } from "./rest_config.ts";
import { ApiError, apiErrorFrom, ConnectionError } from "./rest_errors.ts";
import { joinServerPath, resourcePath, type ResourceRef, serverForCluster } from "./rest_paths.ts";
import { type HttpTransport, transportFor } from "./rest_transport.ts";
import { WatchStream } from "./rest_watch.ts";

export type { ResourceRef } from "./rest_paths.ts";
export type { WatchEvent, WatchStream } from "./rest_watch.ts";

/** The object metadata clients and informers rely on (other fields pass through). */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  deletionTimestamp?: string;
  [field: string]: unknown;
}

/** The common shape of Kubernetes objects (also `lib/controller/list_watch.ts`'s). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

/** A list response. */
export interface KubeList<T> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

/** Query options of a list. */
export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: "Exact" | "NotOlderThan";
  /** Aborting cancels the request. */
  signal?: AbortSignal;
}

/** Query options of a watch. */
export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  /** Aborting ends the stream at once, even while it waits for the server. */
  signal?: AbortSignal;
}

/** Options of create/update/patch. */
export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  /** Server-side apply only. */
  force?: boolean;
}

/** Options of delete. */
export interface DeleteOptions {
  propagationPolicy?: "Foreground" | "Background" | "Orphan";
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
  dryRun?: boolean;
}

/** Patch flavours and their content types. */
export type PatchType = "merge" | "json" | "strategic" | "apply";

const PATCH_CONTENT_TYPE: Record<PatchType, string> = {
  merge: "application/merge-patch+json",
  json: "application/json-patch+json",
  strategic: "application/strategic-merge-patch+json",
  apply: "application/apply-patch+yaml",
};

/** Low-level request options. */
export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
  /** No per-request timeout once the headers arrived (streams). */
  streaming?: boolean;
}

class SharedTransport {
  refs = 1;
  constructor(readonly transport: HttpTransport) {}
  release(): void {
    if (--this.refs === 0) this.transport.close();
  }
}

/** Makes a client for `config` (close it when done). */
export function restClientFor(config: RestConfig): RestClient {
  return new RestClient(config);
}

function connectionReason(e: unknown, timedOut: boolean, timeoutMs?: number): string {
  if (timedOut) return `no answer within ${(timeoutMs ?? 0) / 1000}s`;
  // Deno's fetch says "fetch failed" and puts the reason in the cause chain.
  let inner: unknown = e;
  while (inner instanceof Error && inner.cause !== undefined) inner = inner.cause;
  const msg = inner instanceof Error ? inner.message : String(inner);
  return msg.replace(/^error sending request for url \([^)]*\): /, "")
    .replace(/^client error \(Connect\): /, "").split("\n")[0];
}

/** A client bound to one server URL (and kcp logical cluster). */
export class RestClient {
  /** The connection settings; `server` includes the cluster path. */
  readonly config: RestConfig;
  readonly #shared: SharedTransport;
  #closed = false;

  constructor(config: RestConfig, shared?: SharedTransport) {
    this.config = config;
    if (shared) shared.refs++;
    this.#shared = shared ?? new SharedTransport(transportFor(config));
  }

  /** The server URL requests go to. */
  get server(): string {
    return this.config.server;
  }

  /** A client for kcp logical cluster `cluster` on the same server (close it too). */
  withCluster(cluster: string): RestClient {
    return new RestClient(
      { ...this.config, server: serverForCluster(this.config.server, cluster) },
      this.#shared,
    );
  }

  /** Releases the connection pool once every client sharing it is closed. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#shared.release();
  }

  #headers(options: RequestOptions): Record<string, string> {
    const headers: Record<string, string> = {
      "Accept": options.accept ?? "application/json",
      "User-Agent": "kubestellar",
    };
    const c = this.config;
    if (c.token) headers["Authorization"] = `Bearer ${c.token}`;
    else if (c.username !== undefined && c.password !== undefined) {
      headers["Authorization"] = `Basic ${btoa(`${c.username}:${c.password}`)}`;
    }
    if (options.body !== undefined) {
      headers["Content-Type"] = options.contentType ?? "application/json";
    }
    return headers;
  }

  /**
   * Sends a request; resolves once the headers of a successful answer arrived, with
   * `finish` to call after the body was read (stops the timeout and abort forwarding).
   */
  async #send(
    method: string,
    path: string,
    options: RequestOptions,
  ): Promise<{ response: Response; finish: () => void }> {
    const url = new URL(joinServerPath(this.config.server, path));
    for (const [k, v] of Object.entries(options.query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    const controller = new AbortController();
    const onAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted) onAbort(); // already aborted: no event will come
    let timedOut = false;
    const timeoutMs = this.config.timeoutMs;
    let timer = timeoutMs
      ? setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs)
      : undefined;
    const finish = () => {
      clearTimeout(timer);
      timer = undefined;
      options.signal?.removeEventListener("abort", onAbort);
    };
    let response: Response;
    try {
      response = await this.#shared.transport.send({
        method,
        url: url.toString(),
        headers: this.#headers(options),
        body: options.body === undefined
          ? undefined
          : typeof options.body === "string"
          ? options.body
          : JSON.stringify(options.body),
        signal: controller.signal,
      });
    } catch (e) {
      finish();
      if (options.signal?.aborted) throw e;
      throw new ConnectionError(
        this.config.server,
        connectionReason(e, timedOut, timeoutMs),
        { cause: e },
      );
    }
    if (!response.ok) {
      const text = await response.text().catch(() => "");
      finish();
      throw apiErrorFrom(response.status, text);
    }
    if (options.streaming) {
      // A stream lives on: only the caller's signal (or cancelling the body) ends it.
      clearTimeout(timer);
      timer = undefined;
    }
    return { response, finish };
  }

  /**
   * Sends a request to `path` (relative to the server URL) and returns the successful
   * response (the timeout covers the wait for its headers); failures become
   * `ApiError` / `ConnectionError`.
   */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const { response, finish } = await this.#send(method, path, options);
    if (!options.streaming) finish();
    return response;
  }

  /** Sends a request and parses the JSON body (the timeout covers the body too). */
  async requestJson<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const { response, finish } = await this.#send(method, path, options);
    let text: string;
    try {
      text = await response.text();
    } catch (e) {
      throw new ConnectionError(this.config.server, connectionReason(e, false), { cause: e });
    } finally {
      finish();
    }
    if (text === "") return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError({
        reason: "InvalidResponse",
        message: `the server at ${this.config.server} sent a response that is not JSON`,
      }, response.status);
    }
  }

  /** GET of any path (discovery: `/api`, `/apis`, `/version`). */
  getPath<T = unknown>(path: string, query?: RequestOptions["query"]): Promise<T> {
    return this.requestJson<T>("GET", path, { query });
  }

  /** GET one object (`ref.name` required). */
  get<T = KubeObject>(ref: ResourceRef): Promise<T> {
    return this.requestJson<T>("GET", resourcePath(needName(ref)));
  }

  /** LIST a collection (`ref.namespace` absent: all namespaces / cluster-scoped). */
  list<T = KubeObject>(ref: ResourceRef, options: ListOptions = {}): Promise<KubeList<T>> {
    const { signal, ...query } = options;
    return this.requestJson<KubeList<T>>("GET", resourcePath({ ...ref, name: undefined }), {
      query,
      signal,
    });
  }

  /** POST a new object into the collection of `ref`. */
  create<T = KubeObject>(ref: ResourceRef, body: unknown, options: WriteOptions = {}): Promise<T> {
    return this.requestJson<T>("POST", resourcePath({ ...ref, name: undefined }), {
      body,
      query: writeQuery(options),
    });
  }

  /** PUT (replace) an object; include `metadata.resourceVersion` for optimistic locking. */
  update<T = KubeObject>(ref: ResourceRef, body: unknown, options: WriteOptions = {}): Promise<T> {
    return this.requestJson<T>("PUT", resourcePath(needName(ref)), {
      body,
      query: writeQuery(options),
    });
  }

  /** PATCH an object with a merge, JSON, strategic merge or apply patch. */
  patch<T = KubeObject>(
    ref: ResourceRef,
    patch: unknown,
    type: PatchType,
    options: WriteOptions = {},
  ): Promise<T> {
    return this.requestJson<T>("PATCH", resourcePath(needName(ref)), {
      body: patch,
      contentType: PATCH_CONTENT_TYPE[type],
      query: writeQuery(options),
    });
  }

  /** DELETE an object; resolves to the server's answer (the object or a Status). */
  delete<T = unknown>(ref: ResourceRef, options: DeleteOptions = {}): Promise<T> {
    const body: Record<string, unknown> = { kind: "DeleteOptions", apiVersion: "v1" };
    if (options.propagationPolicy) body.propagationPolicy = options.propagationPolicy;
    if (options.preconditions) body.preconditions = options.preconditions;
    if (options.gracePeriodSeconds !== undefined) {
      body.gracePeriodSeconds = options.gracePeriodSeconds;
    }
    if (options.dryRun) body.dryRun = ["All"];
    return this.requestJson<T>("DELETE", resourcePath(needName(ref)), { body });
  }

  /** GET the status subresource. */
  getStatus<T = KubeObject>(ref: ResourceRef): Promise<T> {
    return this.get<T>({ ...ref, subresource: "status" });
  }

  /** PUT the status subresource. */
  updateStatus<T = KubeObject>(ref: ResourceRef, body: unknown): Promise<T> {
    return this.update<T>({ ...ref, subresource: "status" }, body);
  }

  /** PATCH the status subresource. */
  patchStatus<T = KubeObject>(ref: ResourceRef, patch: unknown, type: PatchType): Promise<T> {
    return this.patch<T>({ ...ref, subresource: "status" }, patch, type);
  }

  /**
   * Starts a watch. HTTP errors (e.g. 410 for a too-old resourceVersion) are thrown
   * here; `ERROR` events are thrown by the iterator.
   */
  async watch<T = KubeObject>(
    ref: ResourceRef,
    options: WatchOptions = {},
  ): Promise<WatchStream<T>> {
    const { signal, ...query } = options;
    const response = await this.request("GET", resourcePath({ ...ref, name: undefined }), {
      query: { ...query, watch: true },
      signal,
      streaming: true,
    });
    if (response.body === null) throw new ConnectionError(this.server, "empty watch response");
    return new WatchStream<T>(response.body, signal);
  }
}

function needName(ref: ResourceRef): ResourceRef {
  if (!ref.name) throw new Error(`a name is needed to address one ${ref.resource} object`);
  return ref;
}

function writeQuery(options: WriteOptions): RequestOptions["query"] {
  return {
    dryRun: options.dryRun ? "All" : undefined,
    fieldManager: options.fieldManager,
    force: options.force,
  };
}
