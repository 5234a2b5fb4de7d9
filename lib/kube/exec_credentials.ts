/**
 * Exec credential plugins (`users[].user.exec`, as EKS, GKE, AKS/kubelogin and OIDC
 * helpers write them), run as client-go's `plugin/pkg/client/auth/exec` runs them:
 *
 * - `client.authentication.k8s.io/v1` or `v1beta1`; the answer must be an
 *   `ExecCredential` of the same version with a token and/or a certificate + key.
 * - The plugin gets the process's environment plus the config's `env` and
 *   `KUBERNETES_EXEC_INFO` (its `spec.interactive`, and `spec.cluster` when
 *   `provideClusterInfo` is set, with the cluster's `client.authentication.k8s.io/exec`
 *   extension as `config`); its stderr goes to ours; stdin only when interactive.
 * - `interactiveMode`: `Never`; `IfAvailable` (interactive when stdin is a terminal);
 *   `Always` (an error when stdin is not a terminal).
 * - The credential is cached (shared by every client of the same plugin and cluster
 *   in the process) until its `expirationTimestamp`, forever without one, and the
 *   plugin runs again when the server answers 401 to it. Only one run at a time.
 *
 * client-node 1.4's `ExecAuth` is not used: it passes no `KUBERNETES_EXEC_INFO`, no
 * stdin, checks neither the version nor the status, re-runs the plugin on every
 * request when there is no expiry, and never on 401 (see `docs/kubernetes-client.md`).
 *
 * @example
 * ```ts
 * const source = execCredentials(
 *   { command: "aws", args: ["eks", "get-token"], apiVersion: "client.authentication.k8s.io/v1beta1", interactiveMode: "IfAvailable" },
 *   { server: "https://eks.example" },
 * );
 * const { token } = await source.current();
 * ```
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import { type Credentials, type CredentialSource, sameCredentials } from "./credentials.ts";

/** The API versions of `ExecCredential` kubectl 1.32 accepts. */
export const EXEC_API_VERSIONS = [
  "client.authentication.k8s.io/v1",
  "client.authentication.k8s.io/v1beta1",
];

/** A `users[].user.exec` value (checked by the kubeconfig resolver). */
export interface ExecConfig {
  command: string;
  args?: string[];
  env?: { name: string; value: string }[];
  apiVersion: string;
  /** `Never`, `IfAvailable` or `Always` (defaulted to `IfAvailable` for v1beta1). */
  interactiveMode: string;
  provideClusterInfo?: boolean;
  installHint?: string;
}

/** `ExecCredential.spec.cluster`: what the plugin learns of the cluster. */
export interface ExecClusterInfo {
  server: string;
  "tls-server-name"?: string;
  "insecure-skip-tls-verify"?: boolean;
  /** base64 of the CA's PEM. */
  "certificate-authority-data"?: string;
  "proxy-url"?: string;
  /** The cluster's `client.authentication.k8s.io/exec` extension. */
  config?: unknown;
}

/** How a plugin run is carried out (tests replace the terminal check). */
export interface ExecRuntime {
  stdinIsTerminal(): boolean;
  now(): number;
}

const realRuntime: ExecRuntime = {
  stdinIsTerminal: () => Deno.stdin.isTerminal(),
  now: () => Date.now(),
};

function failure(message: string): UserError {
  return new UserError(`getting credentials: ${message}`);
}

function isInteractive(mode: string, runtime: ExecRuntime): boolean {
  switch (mode) {
    case "Never":
      return false;
    case "IfAvailable":
      return runtime.stdinIsTerminal();
    case "Always":
      if (!runtime.stdinIsTerminal()) {
        throw failure(
          "exec plugin cannot support interactive mode: standard input is not a terminal",
        );
      }
      return true;
    default:
      throw failure(
        `exec plugin cannot support interactive mode: unknown interactiveMode: "${mode}"`,
      );
  }
}

interface ExecResult {
  credentials: Credentials;
  /** Expiry in epoch milliseconds (undefined: none). */
  expiresAt?: number;
}

/** Checks a plugin's stdout as client-go does and extracts the credentials. */
export function parseExecCredential(stdout: string, apiVersion: string): ExecResult {
  let cred: Record<string, unknown>;
  try {
    cred = JSON.parse(stdout);
  } catch (e) {
    throw failure(`decoding stdout: ${(e as Error).message}`);
  }
  if (!cred || typeof cred !== "object" || cred.kind !== "ExecCredential") {
    throw failure("decoding stdout: the plugin did not print an ExecCredential");
  }
  if (cred.apiVersion !== apiVersion) {
    throw failure(
      `exec plugin is configured to use API version ${apiVersion}, plugin returned version ${
        String(cred.apiVersion ?? "")
      }`,
    );
  }
  const status = cred.status as Record<string, unknown> | undefined | null;
  if (!status || typeof status !== "object") {
    throw failure("exec plugin didn't return a status field");
  }
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  const token = str(status.token);
  const certData = str(status.clientCertificateData);
  const keyData = str(status.clientKeyData);
  if (token === "" && certData === "" && keyData === "") {
    throw failure("exec plugin didn't return a token or cert/key pair");
  }
  if ((certData === "") !== (keyData === "")) {
    throw failure("exec plugin returned only certificate or key, not both");
  }
  const result: ExecResult = { credentials: {} };
  if (token !== "") result.credentials.token = token;
  if (certData !== "") {
    result.credentials.certData = certData;
    result.credentials.keyData = keyData;
  }
  if (status.expirationTimestamp !== undefined && status.expirationTimestamp !== null) {
    const t = Date.parse(str(status.expirationTimestamp));
    if (Number.isNaN(t)) {
      throw failure(`decoding stdout: invalid expirationTimestamp "${status.expirationTimestamp}"`);
    }
    result.expiresAt = t;
  }
  return result;
}

class ExecCredentialSource implements CredentialSource {
  readonly #exec: ExecConfig;
  readonly #cluster: ExecClusterInfo;
  readonly #runtime: ExecRuntime;
  #cached: Credentials | undefined;
  #expiresAt: number | undefined;
  #running: Promise<Credentials> | undefined;
  /** How many times the plugin ran (for tests and metrics). */
  runs = 0;

  constructor(exec: ExecConfig, cluster: ExecClusterInfo, runtime: ExecRuntime) {
    this.#exec = exec;
    this.#cluster = cluster;
    this.#runtime = runtime;
  }

  #expired(): boolean {
    return this.#expiresAt !== undefined && this.#runtime.now() > this.#expiresAt;
  }

  current(): Promise<Credentials> {
    if (this.#cached && !this.#expired()) return Promise.resolve(this.#cached);
    return this.#run();
  }

  async refresh(used: Credentials): Promise<Credentials | undefined> {
    if (this.#running) return await this.#running;
    // Rotated meanwhile by another request: use the new ones.
    if (this.#cached && !sameCredentials(this.#cached, used)) return this.#cached;
    return await this.#run();
  }

  #run(): Promise<Credentials> {
    this.#running ??= this.#execute().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #execute(): Promise<Credentials> {
    const exec = this.#exec;
    const interactive = isInteractive(exec.interactiveMode, this.#runtime);
    const spec: Record<string, unknown> = {};
    if (exec.provideClusterInfo) spec.cluster = this.#cluster;
    spec.interactive = interactive;
    const info = { kind: "ExecCredential", apiVersion: exec.apiVersion, spec };
    const env: Record<string, string> = {};
    for (const e of exec.env ?? []) env[e.name] = e.value;
    env.KUBERNETES_EXEC_INFO = JSON.stringify(info);
    let out: Deno.CommandOutput;
    try {
      out = await new Deno.Command(exec.command, {
        args: exec.args ?? [],
        env,
        stdin: interactive ? "inherit" : "null",
        stdout: "piped",
        stderr: "inherit",
      }).output();
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        const hint = exec.installHint?.trim().split("\n")[0];
        throw failure(
          `exec: executable ${exec.command} not found` +
            (hint ? ` (${hint})` : " (is the credential plugin installed and on PATH?)"),
        );
      }
      throw failure(`exec: ${(e as Error).message}`);
    }
    this.runs++;
    if (!out.success) {
      throw failure(`exec: executable ${exec.command} failed with exit code ${out.code}`);
    }
    const result = parseExecCredential(new TextDecoder().decode(out.stdout), exec.apiVersion);
    this.#cached = result.credentials;
    this.#expiresAt = result.expiresAt;
    return result.credentials;
  }
}

const sources = new Map<string, ExecCredentialSource>();

/**
 * The credential source of an exec plugin for a cluster, shared in this process by
 * every client with the same plugin configuration (and cluster, when the plugin is
 * given the cluster's details).
 */
export function execCredentials(
  exec: ExecConfig,
  cluster: ExecClusterInfo,
  runtime: ExecRuntime = realRuntime,
): CredentialSource & { readonly runs: number } {
  const key = JSON.stringify([exec, exec.provideClusterInfo ? cluster : null]);
  let source = runtime === realRuntime ? sources.get(key) : undefined;
  if (!source) {
    source = new ExecCredentialSource(exec, cluster, runtime);
    if (runtime === realRuntime) sources.set(key, source);
  }
  return source;
}
