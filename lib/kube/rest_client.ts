/**
 * A light Kubernetes REST client on `fetch`: fast to load (no client-node), TLS
 * verified against the kubeconfig's CA, bearer-token, basic or client-certificate
 * auth, credentials that change (exec plugins, OIDC, token files; `credentials.ts`),
 * impersonation and proxies (`rest_request.ts`, `rest_transport.ts`). Why it is not
 * client-node's API client: `docs/kubernetes-client.md`.
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
import { ApiError, ConnectionError } from "./rest_errors.ts";
import { resourcePath, type ResourceRef, serverForCluster } from "./rest_paths.ts";
import {
  connectionReason,
  sendRequest,
  type SentRequest,
  SharedTransport,
} from "./rest_request.ts";
import { transportFor, type TransportResponse } from "./rest_transport.ts";
import {
  type DeleteOptions,
  type KubeList,
  type KubeObject,
  type ListOptions,
  PATCH_CONTENT_TYPE,
  type PatchType,
  type RequestOptions,
  type WatchOptions,
  type WriteOptions,
} from "./rest_types.ts";
import { WatchStream } from "./rest_watch.ts";

export type { ResourceRef } from "./rest_paths.ts";
export type { WatchEvent, WatchStream } from "./rest_watch.ts";
export type {
  DeleteOptions,
  KubeList,
  KubeObject,
  ListOptions,
  ObjectMeta,
  PatchType,
  RequestOptions,
  WatchOptions,
  WriteOptions,
} from "./rest_types.ts";

/** Makes a client for `config` (close it when done). */
export function restClientFor(config: RestConfig): RestClient {
  return new RestClient(config);
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

  #send(method: string, path: string, options: RequestOptions): Promise<SentRequest> {
    return sendRequest(this.config, this.#shared.transport, method, path, options);
  }

  /**
   * Sends a request to `path` (relative to the server URL) and returns the successful
   * response (the timeout covers the wait for its headers); failures become
   * `ApiError` / `ConnectionError`.
   */
  async request(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<TransportResponse> {
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

  /**
   * Sends a request whose answer the caller does not need (a controller's write of which
   * only success matters): the answer is read but not decoded or parsed, which saves a
   * parse and its garbage per write.
   */
  async requestUnread(method: string, path: string, options: RequestOptions = {}): Promise<void> {
    const { response, finish } = await this.#send(method, path, options);
    try {
      await (response.discard ? response.discard() : response.text());
    } catch (e) {
      throw new ConnectionError(this.config.server, connectionReason(e, false), { cause: e });
    } finally {
      finish();
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

  /** `create` without reading back the created object. */
  createUnread(ref: ResourceRef, body: unknown, options: WriteOptions = {}): Promise<void> {
    return this.requestUnread("POST", resourcePath({ ...ref, name: undefined }), {
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

  /** `patch` without reading back the patched object. */
  patchUnread(ref: ResourceRef, patch: unknown, type: PatchType, options: WriteOptions = {}) {
    return this.requestUnread("PATCH", resourcePath(needName(ref)), {
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
