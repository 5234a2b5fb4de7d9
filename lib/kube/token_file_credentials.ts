/**
 * A bearer token read from a file (`users[].user.tokenFile`, a pod's service-account
 * token), re-read as client-go's `NewCachedFileTokenSource` does: at most every 50 s
 * (a one-minute period less ten seconds of leeway), so a rotated token is picked up,
 * and at once when the server answers 401. Surrounding whitespace is trimmed. A read
 * that fails keeps the last token.
 *
 * @example
 * ```ts
 * const source = tokenFileCredentials("/var/run/secrets/kubernetes.io/serviceaccount/token");
 * const { token } = await source.current();
 * ```
 *
 * @module
 */
import { UserError } from "../cli/errors.ts";
import type { Credentials, CredentialSource } from "./credentials.ts";

/** How long a read token is used before the file is read again. */
export const TOKEN_FILE_REREAD_MS = 50_000;

class TokenFileSource implements CredentialSource {
  readonly #path: string;
  readonly #now: () => number;
  #token: string | undefined;
  #readAt = -Infinity;

  constructor(path: string, initial: string | undefined, now: () => number) {
    this.#path = path;
    this.#now = now;
    if (initial !== undefined) {
      this.#token = initial.trim();
      this.#readAt = now();
    }
  }

  async #read(): Promise<string> {
    try {
      const token = (await Deno.readTextFile(this.#path)).trim();
      this.#token = token;
      this.#readAt = this.#now();
      return token;
    } catch (e) {
      if (this.#token !== undefined) return this.#token;
      throw new UserError(`cannot read token file "${this.#path}": ${(e as Error).message}`);
    }
  }

  async current(): Promise<Credentials> {
    if (this.#token !== undefined && this.#now() - this.#readAt < TOKEN_FILE_REREAD_MS) {
      return { token: this.#token };
    }
    return { token: await this.#read() };
  }

  async refresh(used: Credentials): Promise<Credentials | undefined> {
    const token = await this.#read();
    return token !== used.token ? { token } : undefined;
  }
}

/** Credentials from the token in `path` (`initial`: its content, when already read). */
export function tokenFileCredentials(
  path: string,
  initial?: string,
  now: () => number = Date.now,
): CredentialSource {
  return new TokenFileSource(path, initial, now);
}
