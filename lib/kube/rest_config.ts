/**
 * Everything needed to talk to one Kubernetes API server: the effective connection
 * that a kubeconfig context plus kubectl's flags resolve to.
 *
 * @module
 */

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
}
