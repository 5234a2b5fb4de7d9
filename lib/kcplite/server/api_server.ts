/**
 * kcp-lite's generic Kubernetes API server: the HTTPS listener, and per request the
 * handler chain of kcp-spec §1 and §5 — health endpoints (anonymous), authentication
 * (401 otherwise), the bare-URL service-account rewrite, `/clusters/<x>` resolution
 * through the {@link ClusterBackend}, non-resource endpoints (`/version`, discovery,
 * OpenAPI), resource lookup in the cluster's registry (404), authorization (403), body
 * decoding (413/415/400) and the REST handlers.
 *
 * @example
 * ```ts
 * const server = await startApiServer({ store, backend, hooks, authentication, tls, host: "127.0.0.1", port: 0, version });
 * console.log(server.url); // https://127.0.0.1:40123
 * await server.stop();
 * ```
 *
 * @module
 */
import type { ServerReply, ServerRequest } from "./http1_exchange.ts";
import type { KubeObject } from "../../kube/rest_client.ts";
import { Logger } from "../../log/logger.ts";
import { decodeJwtUnverified } from "../auth/jwt.ts";
import {
  type Decision,
  forbiddenMessage,
  type RequestAttributes,
  type UserInfo,
} from "../auth/rbac.ts";
import type { ResourceDef, ResourceRegistry } from "../api/resource_def.ts";
import { StatusError } from "../api/status_error.ts";
import type { ObjectStore } from "../store/object_store.ts";
import type { ApiHooks } from "./api_hooks.ts";
import { authenticate, type AuthenticationOptions } from "./authentication.ts";
import { Authorizer } from "./authorization.ts";
import { decodeBody, DEFAULT_MAX_BODY_BYTES, readBody } from "./body_codec.ts";
import type { ClusterBackend } from "./cluster_backend.ts";
import { type SniCertificate, startTlsListener } from "./https_listener.ts";
import { GarbageCollector } from "./garbage_collector.ts";
import { NamespaceLifecycle } from "./namespace_lifecycle.ts";
import type { Reply, RestEnvironment, RestRequest } from "./rest_context.ts";
import { handleResource } from "./rest_handler.ts";
import { parseRequestInfo, type RequestInfo, splitRequestTarget } from "./request_info.ts";
import { send, sendError } from "./response_writer.ts";
import { WriteGroup } from "./write_group.ts";
import {
  InflightLimiter,
  isMutatingVerb,
  type RequestLimits,
  requestLimits,
  sendTooManyRequests,
} from "./request_limits.ts";
import {
  consumerCluster,
  contentAttributes,
  routeVirtualWorkspace,
} from "./virtual_workspace_route.ts";

/** How to run the server. */
export interface ApiServerOptions {
  store: ObjectStore;
  backend: ClusterBackend;
  hooks: ApiHooks;
  authentication: AuthenticationOptions;
  tls: { certPem: string; keyPem: string; clientCaPem: string; sni?: SniCertificate[] };
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The `/version` body. */
  version: Record<string, string>;
  maxBodyBytes?: number;
  bookmarkIntervalMs?: number;
  /** In-flight budgets and connection time limits (kube-apiserver's defaults). */
  limits?: Partial<RequestLimits>;
  logger?: Logger;
  /**
   * Authorizes requests inside a logical cluster (kcp mode: kcp's authorizer chain);
   * default: RBAC of the cluster. `system:masters` is always allowed before this.
   */
  authorize?: (cluster: string, attrs: RequestAttributes) => Decision;
  /** Answers `POST …/serviceaccounts/<name>/token` (a TokenRequest); 404 without it. */
  tokenRequest?: TokenRequestHandler;
}

/** Signs a bound token for a ServiceAccount; a TokenRequest with `status.token`. */
export type TokenRequestHandler = (
  cluster: string,
  namespace: string,
  name: string,
  spec: { audiences?: string[]; expirationSeconds?: number },
) => Promise<KubeObject>;

/** A running server. */
export interface ApiServer {
  /** `https://<host>:<port>` (IPv6 hosts in brackets). */
  url: string;
  port: number;
  /** Stops serving and closes all connections; does not close the store. */
  stop(): Promise<void>;
}

const HEALTH_PATHS = new Set(["/healthz", "/livez", "/readyz"]);
const WRITE_METHODS = new Set(["POST", "PUT", "PATCH"]);
/** Verbs whose requests of one turn share a store batch (see write_group.ts). */
const GROUPED_VERBS = new Set(["create", "update", "patch", "delete"]);

function isTokenRequest(info: RequestInfo, def: ResourceDef): boolean {
  return info.verb === "create" && info.subresource === "token" && info.name !== "" &&
    def.storageResource === "/serviceaccounts";
}

/** Starts the API server. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { store, backend, hooks } = options;
  const log = options.logger ?? new Logger("kcp-lite");
  const authorizer = new Authorizer(store, backend.mode);
  const namespaces = new NamespaceLifecycle(store, backend);
  const collector = new GarbageCollector(store, backend);
  const limits = requestLimits(options.limits);
  const env: RestEnvironment = {
    store,
    backend,
    hooks,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 30_000,
    responseStallTimeoutMs: limits.responseStallTimeoutMs,
    namespaceTerminating: (cluster, ns) => namespaces.terminate(cluster, ns),
    objectRemoved: (cluster, obj, orphan) => collector.ownerRemoved(cluster, obj, orphan),
  };
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const inflight = new InflightLimiter(limits);
  const writes = new WriteGroup(store);

  async function serve(req: ServerRequest, res: ServerReply): Promise<void> {
    const target = splitRequestTarget(req.url ?? "/");
    const path = target.path.replace(/\/+$/, "") || "/";
    if (HEALTH_PATHS.has(path)) {
      const ready = path !== "/readyz" || backend.ready();
      send(res, ready ? 200 : 500, ready ? "ok" : "[-]kcp-lite-bootstrap failed: not ready\n");
      return;
    }
    const authn = await authenticate(req, options.authentication);
    if (!authn.user) {
      req.resume();
      throw StatusError.unauthorized();
    }
    const user = authn.user;
    const vw = path.startsWith("/services/") ? routeVirtualWorkspace(path, backend) : undefined;
    const info = parseRequestInfo(req.method ?? "GET", vw ? vw.rest : path, target.query);
    if (!admitInflight(info, user, res)) return;
    if (info.cluster.kind === "bare" && authn.token && !vw) {
      const claims = decodeJwtUnverified(authn.token);
      const nested = claims?.["kubernetes.io"] as { clusterName?: string } | undefined;
      const name = nested?.clusterName ?? claims?.["kubernetes.io/serviceaccount/clusterName"];
      if (typeof name === "string" && name !== "") {
        info.cluster = { kind: "segment", segment: name };
      }
    }
    let cluster: string | undefined;
    let registry: ResourceRegistry;
    if (vw) {
      const c = info.cluster;
      cluster = consumerCluster(vw, c.kind === "segment" ? c.segment : undefined);
      registry = vw.workspace.resources;
    } else {
      cluster = resolveCluster(info, user);
      registry = cluster === undefined ? backend.wildcardResources() : backend.resources(cluster);
    }
    if (!info.resourceRequest) {
      req.resume();
      if (!vw) authorizeNonResource(cluster, info, user);
      serveNonResource(req, res, info, registry);
      return;
    }
    const def = lookup(registry, info, cluster === undefined && !vw);
    const attrs = {
      user,
      verb: info.verb,
      resourceRequest: true,
      apiGroup: info.group,
      apiVersion: info.version,
      resource: info.resource,
      subresource: info.subresource || undefined,
      name: info.name || undefined,
      namespace: def.namespaced ? info.namespace || undefined : undefined,
    };
    const masters = user.groups.includes("system:masters");
    const decide = (c: string | undefined, a: RequestAttributes): Decision =>
      c !== undefined && options.authorize ? options.authorize(c, a) : authorizer.decide(c, a);
    const decision: Decision = masters
      ? { allowed: true }
      : vw
      ? decide(vw.exportCluster, contentAttributes(vw, user, info.verb))
      : decide(cluster, attrs);
    if (!decision.allowed) {
      req.resume();
      throw StatusError.forbidden(
        forbiddenMessage(attrs, decision.reason),
        def,
        info.name || undefined,
      );
    }
    if (!def.namespaced && info.namespace && def.storageResource !== "/namespaces") {
      throw StatusError.notFound(def, info.name || info.resource);
    }
    let body: unknown;
    const hasBody = WRITE_METHODS.has(req.method ?? "") ||
      (req.method === "DELETE" &&
        (Number(req.headers["content-length"] ?? "0") > 0 ||
          req.headers["transfer-encoding"] !== undefined));
    if (hasBody) {
      const bytes = await readBody(req, maxBody, limits.requestBodyTimeoutMs);
      if (bytes.length > 0 || req.method !== "DELETE") {
        body = decodeBody(bytes, req.headers["content-type"]);
      }
    } else {
      req.resume();
    }
    if (isTokenRequest(info, def) && cluster !== undefined && options.tokenRequest) {
      const spec = (body as { spec?: Record<string, unknown> } | undefined)?.spec ?? {};
      const audiences = Array.isArray(spec.audiences) ? spec.audiences.map(String) : undefined;
      const seconds = typeof spec.expirationSeconds === "number"
        ? spec.expirationSeconds
        : undefined;
      const tr = await options.tokenRequest(cluster, info.namespace, info.name, {
        audiences,
        expirationSeconds: seconds,
      });
      send(res, 201, tr);
      return;
    }
    const warnings: string[] = [];
    const request: RestRequest = {
      info,
      query: target.query,
      user,
      cluster,
      def,
      body,
      contentType: req.headers["content-type"] ?? "",
      accept: req.headers.accept ?? "",
      warnings,
    };
    const reply: Reply = GROUPED_VERBS.has(info.verb)
      ? await writes.run(() => handleResource(env, request))
      : handleResource(env, request);
    if ("stream" in reply) reply.stream(res);
    else send(res, reply.status, reply.body, reply.contentType, warnings);
  }

  /**
   * Takes an in-flight slot for the request until its response closes; answers 429 when
   * its budget is spent. Watches and `system:masters` are exempt, as in kube-apiserver.
   */
  function admitInflight(info: RequestInfo, user: UserInfo, res: ServerReply): boolean {
    if (info.verb === "watch") return true;
    const release = inflight.tryAcquire(isMutatingVerb(info.verb));
    if (release) {
      res.on("close", release);
      return true;
    }
    if (user.groups.includes("system:masters")) return true;
    sendTooManyRequests(res);
    return false;
  }

  function resolveCluster(info: RequestInfo, user: UserInfo): string | undefined {
    const target = info.cluster;
    if (target.kind === "wildcard") return undefined;
    if (target.kind === "bare") {
      // kcp: a resource request without `/clusters/` has no logical cluster, which only
      // system:masters may use (kcp-spec §1.3); service-account tokens were routed above.
      const masters = user.groups.includes("system:masters");
      if (backend.mode === "kcp" && info.resourceRequest && !masters) {
        throw StatusError.forbidden(
          `forbidden: User "${user.name}" cannot ${info.verb} resources without a logical ` +
            `cluster: use a workspace URL (…/clusters/<workspace>)`,
        );
      }
      return backend.defaultCluster();
    }
    const id = backend.resolveCluster(target.segment);
    if (id !== undefined) return id;
    if (user.groups.includes("system:masters")) return target.segment;
    throw StatusError.forbidden(
      `forbidden: User "${user.name}" cannot access logical cluster "${target.segment}": ` +
        `LogicalCluster not found`,
    );
  }

  /**
   * kcp mode: discovery, `/version` and OpenAPI inside a workspace go through kcp's
   * authorizer like any request (a foreign service account gets 403, as from kcp's workspace
   * content authorizer); under `/clusters/*` only `system:masters`. Kube mode serves them to
   * every authenticated user, as kube-apiserver's `system:discovery` binding does.
   */
  function authorizeNonResource(
    cluster: string | undefined,
    info: RequestInfo,
    user: UserInfo,
  ): void {
    if (backend.mode !== "kcp" || !options.authorize) return;
    if (user.groups.includes("system:masters")) return;
    const attrs = { user, verb: info.verb, resourceRequest: false, path: info.path };
    const decision = cluster === undefined
      ? { allowed: false, reason: "the `*` logical cluster is for system:masters only" }
      : options.authorize(cluster, attrs);
    if (!decision.allowed) throw StatusError.forbidden(forbiddenMessage(attrs, decision.reason));
  }

  function lookup(registry: ResourceRegistry, info: RequestInfo, wildcard: boolean): ResourceDef {
    const def = registry.lookup(info.group, info.version, info.resource);
    const missing = !def ||
      (wildcard && def.source === "binding" && def.identity !== info.identity);
    if (missing) {
      throw new StatusError(404, "NotFound", "the server could not find the requested resource", {
        group: info.group,
        kind: info.resource,
      });
    }
    return def;
  }

  function serveNonResource(
    req: ServerRequest,
    res: ServerReply,
    info: RequestInfo,
    registry: ResourceRegistry,
  ): void {
    const path = info.path.replace(/\/+$/, "") || "/";
    if (req.method !== "GET" && req.method !== "HEAD") {
      throw StatusError.methodNotAllowed(`${req.method} is not allowed on ${path}`);
    }
    if (path === "/version") return send(res, 200, options.version);
    if (path === "/") {
      return send(res, 200, {
        paths: [
          "/api",
          "/api/v1",
          "/apis",
          "/healthz",
          "/livez",
          "/openapi/v2",
          "/openapi/v3",
          "/readyz",
          "/version",
        ],
      });
    }
    let doc;
    if (
      path === "/api" || path.startsWith("/api/") || path === "/apis" || path.startsWith("/apis/")
    ) {
      doc = hooks.discovery?.(path, req.headers.accept ?? "", registry);
    } else if (path === "/openapi/v2" || path.startsWith("/openapi/v3")) {
      const query = splitRequestTarget(req.url ?? "/").query;
      const ifNoneMatch = req.headers["if-none-match"];
      const reply = hooks.openapi?.(
        { path, query, accept: req.headers.accept ?? "", ifNoneMatch },
        registry,
      );
      if (reply) {
        return send(res, reply.status, reply.body, reply.contentType, undefined, reply.headers);
      }
    }
    if (!doc) {
      throw new StatusError(404, "NotFound", "the server could not find the requested resource");
    }
    send(res, 200, doc.body, doc.contentType);
  }

  function handler(req: ServerRequest, res: ServerReply): void {
    serve(req, res).catch((e) => {
      if (e instanceof StatusError) {
        sendError(res, e);
      } else {
        log.error("request failed", { method: req.method, path: req.url, error: e });
        sendError(res, StatusError.internal(String((e as Error)?.message ?? e)));
      }
    });
  }

  const listener = await startTlsListener({
    ...options.tls,
    host: options.host,
    port: options.port,
    handler,
    timeouts: { headerMs: limits.requestHeaderTimeoutMs, idleMs: limits.idleConnectionTimeoutMs },
  });
  namespaces.resume();
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `https://${host}:${listener.port}`,
    port: listener.port,
    async stop() {
      namespaces.stop();
      collector.stop();
      await listener.close();
    },
  };
}
