/**
 * Starts a whole kcp-lite server from a root directory (kcp-spec §6): state is created on
 * first start and reused afterwards —
 *
 * - `kcp-lite.db`: the object store (SQLite);
 * - `ca.crt`/`ca.key`: the kcp-lite CA (key 0600), which signs the serving certificate and
 *   verifies client certificates;
 * - `apiserver.crt`/`apiserver.key`: the serving certificate, issued on every start for
 *   `localhost`, `127.0.0.1`, the bind address and the advertised address;
 * - `sa.key`: the service-account signing key (0600);
 * - `admin.kubeconfig`: rewritten on every start (0600), laid out as kcp writes it; the
 *   `shard-admin` token (kube mode: the admin token) is kept across restarts, its SHA-256 in
 *   `.admin-token-store`; `kcp-admin`'s is new every start ({@link ./auth/admin_tokens.ts}).
 *
 * A start that fails leaves the root directory as it found it ({@link ./root_directory.ts}).
 *
 * @example
 * ```ts
 * const server = await startKcpLite({ rootDirectory: ".kcp", securePort: 0, mode: "kube" });
 * console.log(server.url, server.adminKubeconfigPath);
 * await server.stop();
 * ```
 *
 * @module
 */
import { networkInterfaces } from "node:os";
import { atomicWriteFile } from "../fs/atomic_write.ts";
import { Logger } from "../log/logger.ts";
import { issueCertificate } from "../pki/certificates.ts";
import { writeAdminKubeconfig } from "./admin_kubeconfig.ts";
import { ADMIN_KUBECONFIG, ADMIN_TOKEN_STORE, loadAdminTokens } from "./auth/admin_tokens.ts";
import type { Decision, RequestAttributes, UserInfo } from "./auth/rbac.ts";
import { verifyServiceAccountToken } from "./auth/service_account_token.ts";
import { startKcpBackend } from "./kcp/kcp_backend.ts";
import { createTokenRequest } from "./kcp/service_account_auth.ts";
import { createKubeBackend } from "./kube_backend.ts";
import { defaultApiHooks } from "./server/default_api_hooks.ts";
import { startApiServer, type TokenRequestHandler } from "./server/api_server.ts";
import type { ClusterBackend } from "./server/cluster_backend.ts";
import { checkCertificatePair, type SniCertificate } from "./server/https_listener.ts";
import type { RequestLimits } from "./server/request_limits.ts";
import type { ObjectStore } from "./store/object_store.ts";
import { openSqliteStore } from "./store/sqlite_store.ts";
import type { StoreStats } from "./store/backed_store.ts";
import { RootDirectory } from "./root_directory.ts";

/** One `--tls-sni-cert-key` value. */
export interface SniCertKey {
  certFile: string;
  keyFile: string;
  /** Explicit names (`cert,key:name1,name2`); empty: the names in the certificate. */
  names?: string[];
}

/** How to start kcp-lite. */
export interface KcpLiteOptions {
  rootDirectory: string;
  /** Default 6443; 0 picks a free port. */
  securePort?: number;
  /** Default `127.0.0.1`. */
  bindAddress?: string;
  sniCertKeys?: SniCertKey[];
  mode: "kcp" | "kube";
  /** How often watch bookmarks are sent (ms); default 30 s. */
  bookmarkIntervalMs?: number;
  /** In-flight budgets and timeouts; defaults like kube-apiserver's. */
  limits?: Partial<RequestLimits>;
  logger?: Logger;
}

/** A running kcp-lite. */
export interface KcpLite {
  mode: "kcp" | "kube";
  url: string;
  adminKubeconfigPath: string;
  /** Figures about the object store (objects, writes, watch work), for diagnostics and tests. */
  storeStats(): StoreStats;
  /** Stops serving and closes the store. */
  stop(): Promise<void>;
}

/** The `/version` answers. */
export const KCP_VERSION = {
  major: "1",
  minor: "24",
  gitVersion: "v1.24.3+kcp-v0.11.0",
  gitCommit: "kcp-lite",
  gitTreeState: "clean",
  buildDate: "2023-03-01T00:00:00Z",
  goVersion: "go1.19",
  compiler: "gc",
  platform: "linux/amd64",
};
export const KUBE_VERSION = {
  ...KCP_VERSION,
  minor: "29",
  gitVersion: "v1.29.0+kcp-lite",
  goVersion: "go1.21",
};

function isUnspecified(address: string): boolean {
  return address === "0.0.0.0" || address === "::" || address === "";
}

/** The address put into URLs: the bind address, or the first non-loopback IPv4 address. */
export function advertisedAddress(bindAddress: string): string {
  if (!isUnspecified(bindAddress)) return bindAddress;
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === "IPv4" && !a.internal) return a.address;
    }
  }
  return "127.0.0.1";
}

function isIp(address: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(address) || address.includes(":");
}

/** A port that was free a moment ago (so URLs are known before the backend starts). */
function pickFreePort(host: string): number {
  const listener = Deno.listen({ hostname: isUnspecified(host) ? "127.0.0.1" : host, port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** The backend of a mode, with what the server takes from it. */
interface StartedBackend {
  backend: ClusterBackend;
  verifyToken: (token: string) => Promise<UserInfo | undefined>;
  authorize?: (cluster: string, attrs: RequestAttributes) => Decision;
  tokenRequest: TokenRequestHandler;
  stop(): void;
}

function isAddrInUse(e: unknown): boolean {
  return e instanceof Deno.errors.AddrInUse || (e as { code?: string })?.code === "EADDRINUSE";
}

async function startBackend(
  mode: "kcp" | "kube",
  store: ObjectStore,
  serverUrl: () => string,
  saKeys: CryptoKeyPair,
  caPem: string,
  log: Logger,
): Promise<StartedBackend> {
  if (mode === "kube") {
    const backend = createKubeBackend(store);
    const verifyToken = async (token: string) => {
      const v = await verifyServiceAccountToken(token, saKeys.publicKey);
      if (!v) return undefined;
      const sa = store.get({
        cluster: v.cluster,
        resource: "/serviceaccounts",
        namespace: v.namespace,
        name: v.name,
      });
      return sa && (!v.uid || sa.metadata?.uid === v.uid) ? v.user : undefined;
    };
    const tokenRequest: TokenRequestHandler = (cluster, namespace, name, spec) =>
      createTokenRequest(store, saKeys.privateKey, cluster, namespace, name, spec);
    return { backend, verifyToken, tokenRequest, stop: () => backend.close() };
  }
  const backend = await startKcpBackend(store, {
    serverUrl,
    serviceAccountKey: saKeys,
    caCertPem: () => caPem,
    onError: (controller, key, error) =>
      log.warn("controller failed (retrying)", { controller, key, error }),
  });
  return {
    backend,
    verifyToken: async (token) => (await backend.authenticateServiceAccountToken(token))?.user,
    authorize: (cluster, attrs) => backend.authorize(cluster, attrs),
    tokenRequest: (cluster, namespace, name, spec) =>
      backend.createTokenRequest(cluster, namespace, name, spec),
    stop: () => backend.stop(),
  };
}

/** Reads and checks the `--tls-sni-cert-key` pairs; one line per problem. */
async function loadSniCertificates(entries: SniCertKey[]): Promise<SniCertificate[]> {
  const out: SniCertificate[] = [];
  for (const s of entries) {
    const what = `--tls-sni-cert-key ${s.certFile},${s.keyFile}`;
    const read = async (path: string) => {
      try {
        return await Deno.readTextFile(path);
      } catch (e) {
        throw new Error(`${what}: cannot read "${path}": ${(e as Error).message}`);
      }
    };
    const certPem = await read(s.certFile);
    const keyPem = await read(s.keyFile);
    try {
      checkCertificatePair(certPem, keyPem);
    } catch (e) {
      throw new Error(`${what}: ${(e as Error).message}`);
    }
    out.push({ certPem, keyPem, names: s.names });
  }
  return out;
}

function addressInUse(bind: string, port: number): Error {
  return new Error(`cannot listen on ${bind}:${port}: the address is already in use`);
}

/** Fails early (before the root directory is touched) when the port is taken. */
function checkPortFree(bind: string, port: number): void {
  if (port === 0) return;
  try {
    Deno.listen({ hostname: isUnspecified(bind) ? "0.0.0.0" : bind, port }).close();
  } catch (e) {
    if (isAddrInUse(e)) throw addressInUse(bind, port);
    throw e;
  }
}

/**
 * Starts kcp-lite; throws one line on unusable state, a bad SNI certificate or a port that
 * is taken. A start that fails leaves the root directory as it found it.
 */
export async function startKcpLite(options: KcpLiteOptions): Promise<KcpLite> {
  const bind = options.bindAddress ?? "127.0.0.1";
  const requestedPort = options.securePort ?? 6443;
  const sni = await loadSniCertificates(options.sniCertKeys ?? []);
  checkPortFree(bind, requestedPort);
  const root = await RootDirectory.open(options.rootDirectory);
  const undo: (() => void | Promise<void>)[] = [];
  try {
    return await startIn(root, options, bind, requestedPort, sni, undo);
  } catch (e) {
    for (const step of undo.reverse()) await step();
    await root.rollback();
    if (isAddrInUse(e)) throw addressInUse(bind, requestedPort);
    throw e;
  }
}

async function startIn(
  root: RootDirectory,
  options: KcpLiteOptions,
  bind: string,
  requestedPort: number,
  sni: SniCertificate[],
  undo: (() => void | Promise<void>)[],
): Promise<KcpLite> {
  const advertised = advertisedAddress(bind);
  const tokens = await loadAdminTokens(root.path, options.mode);
  // The service-account key (RSA generation on first start) is made while the CA works.
  const saKeysPending = root.loadOrCreateSaKey();
  saKeysPending.catch(() => {});
  const ca = await root.loadOrCreateCa();
  const ips = [
    ...new Set(["127.0.0.1", ...[bind, advertised].filter((a) => isIp(a) && !isUnspecified(a))]),
  ];
  const dnsNames = [...new Set(["localhost", ...[bind, advertised].filter((a) => !isIp(a))])];
  const serving = await issueCertificate(ca, {
    commonName: "kcp-lite",
    dnsNames,
    ipAddresses: ips,
    usage: "server",
  });
  const saKeys = await saKeysPending;

  const log = options.logger ?? new Logger("kcp-lite");
  const host = advertised.includes(":") ? `[${advertised}]` : advertised;
  const urlFor = (p: number) => `https://${host}:${p}`;
  // kcp mode needs its URL before the backend starts (workspace and export URLs); kube
  // mode lets the listener pick a free port.
  const pickEarly = requestedPort === 0 && options.mode === "kcp";
  let port = pickEarly ? pickFreePort(bind) : requestedPort;
  let url = urlFor(port);
  const store = openSqliteStore(await root.track("kcp-lite.db", true));
  undo.push(() => store.close());
  const started = await startBackend(options.mode, store, () => url, saKeys, ca.certPem, log);
  undo.push(() => started.stop());
  const users = new Map<string, UserInfo>();
  if (options.mode === "kcp") {
    users.set(tokens.adminToken, { name: "kcp-admin", groups: ["system:kcp:admin"] });
    users.set(tokens.shardAdminToken!, { name: "shard-admin", groups: ["system:masters"] });
  } else {
    users.set(tokens.adminToken, { name: "kubernetes-admin", groups: ["system:masters"] });
  }
  let server;
  for (let attempt = 1;; attempt++) {
    try {
      server = await startApiServer({
        store,
        backend: started.backend,
        hooks: defaultApiHooks(),
        authentication: { tokens: users, verifyToken: started.verifyToken },
        authorize: started.authorize,
        tokenRequest: started.tokenRequest,
        tls: { certPem: serving.certPem, keyPem: serving.keyPem, clientCaPem: ca.certPem, sni },
        host: bind,
        port,
        version: options.mode === "kcp" ? KCP_VERSION : KUBE_VERSION,
        bookmarkIntervalMs: options.bookmarkIntervalMs,
        limits: options.limits,
        logger: log,
      });
      break;
    } catch (e) {
      if (pickEarly && attempt < 5 && isAddrInUse(e)) {
        port = pickFreePort(bind); // taken in the meantime: try another one
        url = urlFor(port);
        continue;
      }
      throw e;
    }
  }
  undo.push(() => server.stop());
  url = urlFor(server.port);
  await atomicWriteFile(await root.track("apiserver.key"), serving.keyPem, { mode: 0o600 });
  await atomicWriteFile(await root.track("apiserver.crt"), serving.certPem, { mode: 0o644 });
  const adminKubeconfigPath = await root.track(ADMIN_KUBECONFIG);
  await writeAdminKubeconfig(adminKubeconfigPath, {
    mode: options.mode,
    url,
    caPem: ca.certPem,
    adminToken: tokens.adminToken,
    shardAdminToken: tokens.shardAdminToken,
  });
  await root.track(ADMIN_TOKEN_STORE);
  await tokens.persist();
  let stopped = false;
  return {
    mode: options.mode,
    url,
    adminKubeconfigPath,
    storeStats: () => store.stats(),
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await server.stop();
        started.stop();
      } finally {
        store.close();
      }
    },
  };
}
