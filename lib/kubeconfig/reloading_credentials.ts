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

class ReloadingSource implements CredentialSource {
  readonly #o: ReloadingOptions;
  readonly #now: () => number;
  #active: { name: string; config: RestConfig };
  #issued: Credentials | undefined;
  #refused = false;
  #reloadedAt = -Infinity;
  #refreshing: Promise<Credentials | undefined> | undefined;
  /** Credentials the server refused lately (never taken again from a re-read). */
  #refusedCreds: Credentials[] = [];

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

  #adopt(name: string, config: RestConfig, creds: Credentials, why: string): Credentials {
    const from = this.#active.name;
    this.#active = { name, config };
    this.#issued = creds;
    this.#o.report?.(
      "info",
      why,
      name === from ? { context: name } : { context: from, using: name },
    );
    return creds;
  }

  #wasRefused(c: Credentials): boolean {
    return this.#refusedCreds.some((r) => sameCredentials(r, c));
  }

  async #refresh(used: Credentials): Promise<Credentials | undefined> {
    if (this.#issued && !sameCredentials(this.#issued, used)) return this.#issued;
    if (!this.#wasRefused(used)) this.#refusedCreds = [used, ...this.#refusedCreds].slice(0, 4);
    const own = await this.#active.config.credentials?.refresh(used).catch(() => undefined);
    if (own && !sameCredentials(own, used)) return (this.#issued = own);
    if (this.#now() - this.#reloadedAt < MIN_RELOAD_INTERVAL_MS) return undefined;
    this.#reloadedAt = this.#now();
    const server = origin(this.#o.initial.server);
    const next = await this.#o.load().catch(() => undefined);
    const nextCreds = next && await credentialsOf(next).catch(() => undefined);
    if (next && nextCreds && origin(next.server) === server && !this.#wasRefused(nextCreds)) {
      return this.#adopt(
        this.#o.name,
        next,
        nextCreds,
        "using the credentials read again from the kubeconfig",
      );
    }
    const fb = this.#o.fallback;
    if (!fb) return undefined;
    const other = await fb.load().catch(() => undefined);
    const otherCreds = other && await credentialsOf(other).catch(() => undefined);
    if (other && otherCreds && origin(other.server) === server && !this.#wasRefused(otherCreds)) {
      return this.#adopt(
        fb.name,
        other,
        otherCreds,
        "the kubeconfig has no newer credentials for this context: using another context's",
      );
    }
    return undefined;
  }

  settled(used: Credentials, accepted: boolean): void {
    if (this.#issued && !sameCredentials(used, this.#issued)) return; // an older request
    if (!accepted && !this.#refused) {
      this.#refused = true;
      this.#o.report?.(
        "warn",
        "the server refused the credentials (401 Unauthorized); re-reading the kubeconfig " +
          "and retrying with back-off",
        { context: this.#active.name },
      );
    } else if (accepted && this.#refused) {
      this.#refused = false;
      this.#o.report?.("info", "the server accepts the credentials again", {
        context: this.#active.name,
      });
    }
  }
}

/** Credentials that follow the kubeconfig; see the module documentation. */
export function reloadingCredentials(options: ReloadingOptions): CredentialSource {
  return new ReloadingSource(options);
}
