/**
 * Credentials of a long-running client (controllers, syncers) that outlive the
 * control plane's: when the server answers 401, the kubeconfig is read again and the
 * context's current credentials are used; when it holds none newer, a fallback
 * context's are (the controllers fall back to `system:admin`, whose shard-admin token
 * kcp keeps across restarts while it gives `kcp-admin` a new one on every start).
 *
 * - Retries are the caller's (informers and work queues back off); a re-read happens
 *   at most once a second, and concurrent 401s share one.
 * - State changes are reported once each: credentials refused, new credentials taken
 *   from the kubeconfig or the fallback context, credentials accepted again; not once
 *   per retry. Tokens never reach the report.
 * - The credentials' own refresh (an exec plugin re-run, a token file re-read) comes
 *   first.
 *
 * @example
 * ```ts
 * const load = contextLoader("admin.kubeconfig", "root");
 * const config = await load();
 * config.credentials = reloadingCredentials({
 *   name: "root",
 *   initial: config,
 *   load,
 *   fallback: { name: "system:admin", load: contextLoader("admin.kubeconfig", "system:admin") },
 *   report: (level, msg, fields) => log[level](msg, fields),
 * });
 * ```
 *
 * @module
 */
import {
  type Credentials,
  credentialsOf,
  type CredentialSource,
  sameCredentials,
} from "../kube/credentials.ts";
import type { RestConfig } from "../kube/rest_config.ts";
import { loadKubeconfig } from "./kubeconfig.ts";

/** Receives the state changes (a logger's `warn` / `info`). */
export type CredentialReport = (
  level: "warn" | "info",
  message: string,
  fields: Record<string, unknown>,
) => void;

/** Options of `reloadingCredentials`. */
export interface ReloadingOptions {
  /** The context, for reports. */
  name: string;
  /** The configuration the client starts with. */
  initial: RestConfig;
  /** Reads the context's configuration from the kubeconfig again. */
  load: () => Promise<RestConfig>;
  /** A context on the same server whose credentials to try when the kubeconfig has no newer ones. */
  fallback?: { name: string; load: () => Promise<RestConfig> };
  /** Where state changes go (absent: nowhere, and a 401 is not marked as reported). */
  report?: CredentialReport;
  /** Clock (tests). */
  now?: () => number;
}

/** A loader of one context's `RestConfig` from a kubeconfig file (`undefined`: kubectl's default files). */
export function contextLoader(kubeconfig: string | undefined, context: string) {
  return async (): Promise<RestConfig> => {
    const kc = await loadKubeconfig({ kubeconfig, context });
    kc.requireContext(context);
    return await kc.restConfig();
  };
}

const MIN_RELOAD_INTERVAL_MS = 1_000;

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** One context's configuration and the credentials it authenticates with. */
interface Candidate {
  name: string;
  config: RestConfig;
  creds: Credentials;
}

class ReloadingSource implements CredentialSource {
  readonly #o: ReloadingOptions;
  readonly #now: () => number;
  #active: { name: string; config: RestConfig };
  #issued: Credentials | undefined;
  #refused = false;
  #accepted: { name: string; creds: Credentials } | undefined;
  /** Credentials the server refused lately: the others are tried first. */
  #recentlyRefused: Credentials[] = [];
  #reloadedAt = -Infinity;
  #refreshing: Promise<Credentials | undefined> | undefined;

  constructor(options: ReloadingOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    // A copy: the caller's config gets this source as its credentials afterwards.
    this.#active = { name: options.name, config: { ...options.initial } };
  }

  get reportsRefusal(): boolean {
    return this.#o.report !== undefined;
  }

  async current(): Promise<Credentials> {
    this.#issued = await credentialsOf(this.#active.config);
    return this.#issued;
  }

  refresh(used: Credentials): Promise<Credentials | undefined> {
    this.#refreshing ??= this.#refresh(used).finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  async #load(name: string, load: () => Promise<RestConfig>): Promise<Candidate | undefined> {
    const config = await load().catch(() => undefined);
    if (!config || origin(config.server) !== origin(this.#o.initial.server)) return undefined;
    const creds = await credentialsOf(config).catch(() => undefined);
    return creds && { name, config, creds };
  }

  async #refresh(used: Credentials): Promise<Credentials | undefined> {
    if (this.#issued && !sameCredentials(this.#issued, used)) return this.#issued;
    const refused = (c: Credentials) => this.#recentlyRefused.some((r) => sameCredentials(r, c));
    if (!refused(used)) this.#recentlyRefused = [used, ...this.#recentlyRefused].slice(0, 4);
    const own = await this.#active.config.credentials?.refresh(used).catch(() => undefined);
    if (own && !sameCredentials(own, used)) return (this.#issued = own);
    if (this.#now() - this.#reloadedAt < MIN_RELOAD_INTERVAL_MS) return undefined;
    this.#reloadedAt = this.#now();
    const found: Candidate[] = [];
    const primary = await this.#load(this.#o.name, this.#o.load);
    if (primary) found.push(primary);
    const fb = this.#o.fallback;
    const fallback = fb && await this.#load(fb.name, fb.load);
    if (fallback) found.push(fallback);
    const others = found.filter((c) => !sameCredentials(c.creds, used));
    // Untried credentials first; when all were refused lately, try the others again.
    const pick = others.find((c) => !refused(c.creds)) ?? others[0];
    if (!pick) return undefined;
    if (refused(pick.creds)) this.#recentlyRefused = [used];
    this.#active = { name: pick.name, config: pick.config };
    return (this.#issued = pick.creds);
  }

  settled(used: Credentials, accepted: boolean): void {
    if (this.#issued && !sameCredentials(used, this.#issued)) return; // an older request
    const report = this.#o.report;
    const name = this.#active.name;
    if (!accepted) {
      if (this.#refused) return;
      this.#refused = true;
      report?.(
        "warn",
        "the server refused the credentials (401 Unauthorized); re-reading the kubeconfig " +
          "and retrying with back-off",
        { context: name },
      );
      return;
    }
    const last = this.#accepted;
    let change: string | undefined;
    if (name !== (last?.name ?? this.#o.name)) {
      change = name === this.#o.name
        ? "using the credentials read again from the kubeconfig"
        : "the kubeconfig has no newer credentials for this context: using another context's";
    } else if (last && !sameCredentials(last.creds, used)) {
      change = "using the credentials read again from the kubeconfig";
    } else if (this.#refused) {
      change = "the server accepts the credentials again";
    }
    if (change) {
      const fields = name === this.#o.name
        ? { context: name }
        : { context: this.#o.name, using: name };
      report?.("info", change, fields);
    }
    this.#accepted = { name, creds: used };
    this.#refused = false;
  }
}

/** Credentials that follow the kubeconfig; see the module documentation. */
export function reloadingCredentials(options: ReloadingOptions): CredentialSource {
  return new ReloadingSource(options);
}
