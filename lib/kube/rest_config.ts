/**
 * Everything needed to talk to one Kubernetes API server: the effective connection
 * that a kubeconfig context plus kubectl's flags resolve to.
 *
 * @module
 */
import type { CredentialSource } from "./credentials.ts";

/** Whom requests act as (kubectl's `--as`, `--as-uid`, `--as-group`, or a user's `as*`). */
export interface Impersonation {
  /** `Impersonate-User`. */
  user: string;
  /** `Impersonate-Uid`. */
  uid?: string;
  /** One `Impersonate-Group` header each. */
  groups?: string[];
  /** `Impersonate-Extra-<key>` headers. */
  extra?: Record<string, string[]>;
}

/** An effective connection to an API server. */
export interface RestConfig {
  /** Server URL, including any path prefix such as `/clusters/root:espw`. */
  server: string;
  /** PEM text of the certificate authorities to trust (absent: the system roots). */
  caData?: string;
  /** PEM client certificate. */
  certData?: string;
  /** PEM client key. */
  keyData?: string;
  /** Bearer token (never printed). */
  token?: string;
  /** Basic-auth user name. */
  username?: string;
  /** Basic-auth password (never printed). */
  password?: string;
  /** Skip server certificate verification; only when explicitly asked for. */
  insecureSkipTlsVerify?: boolean;
  /** Name to verify the server certificate against (and send as SNI). */
  tlsServerName?: string;
  /** Default namespace (`-n`, else the context's, else `default`). */
  namespace: string;
  /** Per-request timeout in milliseconds (absent: none). */
  timeoutMs?: number;
  /** Name of the context used ("" when there was none, e.g. only `--server`). */
  contextName: string;
  /** Name of the cluster entry used ("" when none). */
  clusterName: string;
  /** Name of the user entry used ("" when none). */
  userName: string;
  /**
   * The cluster's `proxy-url` (http, https or socks5). Absent: `HTTPS_PROXY` /
   * `HTTP_PROXY` / `NO_PROXY` by Go's rules (`proxy_environment.ts`), else direct.
   */
  proxyUrl?: string;
  /** Impersonation headers sent with every request. */
  impersonate?: Impersonation;
  /**
   * Credentials that change (exec plugin, OIDC, token file, kubeconfig re-read); when
   * set they are used instead of `token`, `certData`/`keyData` and basic auth.
   */
  credentials?: CredentialSource;
}
