/**
 * Credentials that change while a client runs: an exec plugin's token or certificate
 * (re-run when it expires or the server answers 401), an OIDC id-token (refreshed
 * when it expires), a token file (re-read every minute and on 401), or a kubeconfig
 * re-read on 401 (long-running controllers and syncers).
 *
 * A `RestConfig` with `credentials` asks its source before each request; on a 401 the
 * REST client calls `refresh` with the credentials it used and retries once with
 * what comes back. `settled` tells the source how each request went, so a source
 * that logs can log once per change of state (refused → accepted) rather than once
 * per retry.
 *
 * @example
 * ```ts
 * const source: CredentialSource = {
 *   current: () => Promise.resolve({ token: readToken() }),
 *   refresh: (used) => Promise.resolve(sameCredentials(used, { token: readToken() }) ? undefined : { token: readToken() }),
 * };
 * const client = restClientFor({ ...config, credentials: source });
 * ```
 *
 * @module
 */
import type { RestConfig } from "./rest_config.ts";

/** What authenticates one request (each field optional). */
export interface Credentials {
  /** Bearer token (never printed). */
  token?: string;
  /** PEM client certificate (with `keyData`). */
  certData?: string;
  /** PEM client key. */
  keyData?: string;
  /** Basic-auth user name. */
  username?: string;
  /** Basic-auth password (never printed). */
  password?: string;
}

/** A source of credentials that can change. */
export interface CredentialSource {
  /** The credentials to use now (may run a plugin or refresh a token). */
  current(): Promise<Credentials>;
  /**
   * The server answered 401 to a request made with `used`: returns other credentials
   * to retry with, or undefined when there are none (the 401 stands).
   */
  refresh(used: Credentials): Promise<Credentials | undefined>;
  /** Told whether a request made with `used` was accepted (anything but 401). */
  settled?(used: Credentials, accepted: boolean): void;
  /** True when a 401 that remains after `refresh` has already been logged by the source. */
  readonly reportsRefusal?: boolean;
}

/** The fixed credentials written in a `RestConfig`. */
export function staticCredentials(config: RestConfig): Credentials {
  const c: Credentials = {};
  if (config.token !== undefined) c.token = config.token;
  if (config.certData !== undefined) c.certData = config.certData;
  if (config.keyData !== undefined) c.keyData = config.keyData;
  if (config.username !== undefined) c.username = config.username;
  if (config.password !== undefined) c.password = config.password;
  return c;
}

/** The credentials a config authenticates with now (its source's, else its fixed ones). */
export function credentialsOf(config: RestConfig): Promise<Credentials> {
  return config.credentials?.current() ?? Promise.resolve(staticCredentials(config));
}

/** True when `a` and `b` authenticate the same way. */
export function sameCredentials(a: Credentials, b: Credentials): boolean {
  return a.token === b.token && a.certData === b.certData && a.keyData === b.keyData &&
    a.username === b.username && a.password === b.password;
}
