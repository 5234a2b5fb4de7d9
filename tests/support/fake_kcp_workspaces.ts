/**
 * A small fake of kcp's workspace surface on top of `fake_apiserver.ts`, for the
 * `kubectl ws` tests: Workspaces in root and nested (addressed by path or id), kcp's
 * type defaulting, `Scheduling` → `Ready` after a set number of reads, `/version`, discovery,
 * APIBinding lists, 404/409 with kcp's messages, and forbidden workspaces (403).
 *
 * @example
 * ```ts
 * const kcp = await startFakeKcp();
 * kcp.addWorkspace("root", "espw");
 * await Deno.writeTextFile(kubeconfigPath, kcp.kubeconfig("root"));
 * try { ... } finally { await kcp.close(); }
 * ```
 *
 * @module
 */
import type { ServerResponse } from "node:http";
import {
  type FakeApiServer,
  type FakeRequest,
  kubeconfigFor,
  makeTestPki,
  sendJson,
  sendStatus,
  startFakeApiServer,
  type TestPki,
} from "./fake_apiserver.ts";

/** A stored workspace. */
interface StoredWorkspace {
  name: string;
  parent: string;
  id: string;
  type: { name: string; path: string };
  phase: string;
  /** Reads left before a `Scheduling` workspace turns `Ready`. */
  readsUntilReady: number;
  created: number;
}

/** Options of `addWorkspace`. */
export interface AddWorkspaceOptions {
  type?: { name: string; path: string };
  /** Phase to start in (default `Ready`). */
  phase?: string;
  /** With phase `Scheduling`: the read that first sees `Ready` (default: never). */
  readyAfterReads?: number;
}

/** The fake and its controls. */
export interface FakeKcp {
  server: FakeApiServer;
  /** `https://127.0.0.1:<port>` */
  url: string;
  /** Reads a newly created workspace needs before it is Ready (default 2). */
  readyAfterReads: number;
  /** Paths where every request is answered 403. */
  forbidden: Set<string>;
  /** Path of the caller's home workspace, served as Workspace `~` in root (default none). */
  homePath?: string;
  /** APIBindings listed per path (default none). */
  apiBindings: Map<string, unknown[]>;
  /** Adds a workspace `name` under `parent`; returns its path. */
  addWorkspace(parent: string, name: string, options?: AddWorkspaceOptions): string;
  /** The phase of the workspace at `path`, if it exists. */
  phaseOf(path: string): string | undefined;
  /** A kubeconfig (context `test`) whose server addresses `/clusters/<path>`. */
  kubeconfig(path?: string): string;
  /** Requests seen, as `METHOD /path` (query dropped). */
  calls(): string[];
  close(): Promise<void>;
}

const WS_PREFIX = "/apis/tenancy.kcp.io/v1alpha1/workspaces";

function randomId(): string {
  const chars = "abcdefghijklmnopqrstuvwxyz0123456789";
  let id = "";
  for (let i = 0; i < 16; i++) id += chars[Math.floor(Math.random() * chars.length)];
  return id;
}

/**
 * Starts the fake on a free loopback port, with `pki` (kept) or else its own
 * temporary PKI (removed by `close`).
 */
export async function startFakeKcp(options: { pki?: TestPki } = {}): Promise<FakeKcp> {
  const dir = options.pki ? undefined : await Deno.makeTempDir({ prefix: "fake-kcp-" });
  const pki = options.pki ?? await makeTestPki(dir!);
  const byPath = new Map<string, StoredWorkspace>();
  const idToPath = new Map<string, string>([["root", "root"]]);
  let counter = 0;
  const fake = {} as FakeKcp;

  const resolve = (cluster: string): string | undefined => {
    if (cluster === "root" || byPath.has(cluster)) return cluster;
    return idToPath.get(cluster);
  };

  const toObject = (ws: StoredWorkspace) => {
    const phase = ws.phase;
    const ready = phase === "Ready";
    return {
      apiVersion: "tenancy.kcp.io/v1alpha1",
      kind: "Workspace",
      metadata: {
        name: ws.name,
        uid: `uid-${ws.id}`,
        resourceVersion: String(ws.created),
        labels: { "tenancy.kcp.io/phase": phase },
        annotations: { "kcp.io/cluster": idOf(ws.parent) },
      },
      spec: {
        type: ws.type,
        ...(ready ? { cluster: ws.id, URL: `${fake.url}/clusters/${ws.id}` } : {}),
      },
      status: { phase },
    };
  };

  const idOf = (path: string) => byPath.get(path)?.id ?? path;

  const read = (ws: StoredWorkspace) => {
    if (ws.phase !== "Ready" && ws.readsUntilReady > 0) {
      ws.readsUntilReady--;
      if (ws.readsUntilReady === 0) ws.phase = "Ready";
    }
    return toObject(ws);
  };

  const add = (parent: string, name: string, options: AddWorkspaceOptions = {}): string => {
    const path = `${parent}:${name}`;
    const parentType = parent === "root" ? "root" : byPath.get(parent)?.type.name;
    const type = options.type ??
      { name: parentType === "root" ? "organization" : "universal", path: "root" };
    const ws: StoredWorkspace = {
      name,
      parent,
      id: randomId(),
      type,
      phase: options.phase ?? "Ready",
      readsUntilReady: options.readyAfterReads ?? 0,
      created: ++counter,
    };
    byPath.set(path, ws);
    idToPath.set(ws.id, path);
    return path;
  };

  const handler = async (req: FakeRequest, res: ServerResponse) => {
    const url = new URL(req.url, "https://fake");
    const m = /^\/clusters\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (!m) {
      return sendStatus(res, 404, "NotFound", "the server could not find the requested resource");
    }
    const path = resolve(decodeURIComponent(m[1]));
    const rest = m[2] ?? "/";
    if (path === undefined) {
      return sendStatus(res, 404, "NotFound", "the server could not find the requested resource");
    }
    if (fake.forbidden.has(path)) {
      return sendStatus(
        res,
        403,
        "Forbidden",
        `workspaces.tenancy.kcp.io is forbidden: User "alice" cannot get resource "workspaces" ` +
          `in API group "tenancy.kcp.io" at the cluster scope: access denied`,
      );
    }
    if (rest === "/version") {
      return sendJson(res, 200, { major: "1", minor: "24", gitVersion: "v1.24.3+kcp-fake" });
    }
    if (rest === "/api") return sendJson(res, 200, { kind: "APIVersions", versions: ["v1"] });
    if (rest === "/apis") {
      return sendJson(res, 200, {
        kind: "APIGroupList",
        groups: [{
          name: "tenancy.kcp.io",
          versions: [{ groupVersion: "tenancy.kcp.io/v1alpha1" }],
        }],
      });
    }
    if (rest === "/apis/apis.kcp.io/v1alpha1/apibindings" && req.method === "GET") {
      return sendJson(res, 200, {
        kind: "APIBindingList",
        metadata: {},
        items: fake.apiBindings.get(path) ?? [],
      });
    }
    if (rest === WS_PREFIX && req.method === "GET") {
      const items = [...byPath.values()].filter((w) => w.parent === path)
        .sort((a, b) => a.name.localeCompare(b.name)).map(read);
      return sendJson(res, 200, { kind: "WorkspaceList", metadata: {}, items });
    }
    if (rest === WS_PREFIX && req.method === "POST") {
      const body = JSON.parse(req.body);
      const name: string = body.metadata?.name;
      if (byPath.has(`${path}:${name}`)) {
        return sendStatus(
          res,
          409,
          "AlreadyExists",
          `workspaces.tenancy.kcp.io "${name}" already exists`,
        );
      }
      const t = body.spec?.type;
      const childPath = add(path, name, {
        type: t?.name ? { name: t.name, path: t.path || "root" } : undefined,
        phase: "Scheduling",
        readyAfterReads: fake.readyAfterReads,
      });
      return sendJson(res, 201, toObject(byPath.get(childPath)!));
    }
    const one = new RegExp(`^${WS_PREFIX}/([^/]+)$`).exec(rest);
    if (one && req.method === "GET" && one[1] === "~" && path === "root" && fake.homePath) {
      return sendJson(res, 200, {
        apiVersion: "tenancy.kcp.io/v1alpha1",
        kind: "Workspace",
        metadata: { name: "~" },
        spec: {
          type: { name: "home", path: "root" },
          URL: `${fake.url}/clusters/${fake.homePath}`,
        },
        status: { phase: "Ready" },
      });
    }
    if (one && req.method === "GET") {
      const ws = byPath.get(`${path}:${decodeURIComponent(one[1])}`);
      if (!ws) {
        return sendStatus(
          res,
          404,
          "NotFound",
          `workspaces.tenancy.kcp.io "${decodeURIComponent(one[1])}" not found`,
        );
      }
      return sendJson(res, 200, read(ws));
    }
    await Promise.resolve();
    return sendStatus(res, 404, "NotFound", "the server could not find the requested resource");
  };

  const server = await startFakeApiServer(pki, handler);
  Object.assign(fake, {
    server,
    url: server.url,
    readyAfterReads: 2,
    forbidden: new Set<string>(),
    apiBindings: new Map<string, unknown[]>(),
    addWorkspace: add,
    phaseOf: (path: string) => byPath.get(path)?.phase,
    kubeconfig: (path = "root") => kubeconfigFor(`${server.url}/clusters/${path}`, pki),
    calls: () => server.requests.map((r) => `${r.method} ${r.url.split("?")[0]}`),
    close: async () => {
      await server.close();
      if (dir) await Deno.remove(dir, { recursive: true });
    },
  });
  return fake;
}
