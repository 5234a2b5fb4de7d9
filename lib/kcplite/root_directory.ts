/**
 * kcp-lite's root directory during a start: the state files that are created once and
 * reused (CA, service-account key) and a record of every file this start created, so that
 * a start that fails (port in use, a bad `--tls-sni-cert-key`, a failing backend) can take
 * them back and leave the directory as it found it — empty or absent for a first start, the
 * previous state for a later one. What a failed start leaves behind is therefore never a
 * half-initialized root, and what an earlier crash left behind (any subset of these files)
 * is resumed: each file is loaded when it is whole and made again otherwise.
 *
 * @example
 * ```ts
 * const root = await RootDirectory.open(".kcp");
 * try {
 *   const ca = await root.loadOrCreateCa();
 *   // … start serving …
 * } catch (e) {
 *   await root.rollback();
 *   throw e;
 * }
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { atomicWriteFile } from "../fs/atomic_write.ts";
import { pathExists, readTextIfExists } from "../fs/optional_file.ts";
import {
  type CertificateAuthority,
  createCertificateAuthority,
  loadCertificateAuthority,
} from "../pki/certificates.ts";
import { exportPrivateKeyPem, generateRsaSigningKey, importSigningKeyPem } from "./auth/jwt.ts";

/** SQLite's companion files of a database file. */
const SQLITE_COMPANIONS = ["-wal", "-shm", "-journal"];

/** The root directory of one start. */
export class RootDirectory {
  readonly #created: string[] = [];

  private constructor(readonly path: string, readonly createdDirectory: boolean) {}

  /** Makes the directory (0700) if needed. */
  static async open(path: string): Promise<RootDirectory> {
    const existed = await pathExists(path);
    await Deno.mkdir(path, { recursive: true, mode: 0o700 });
    return new RootDirectory(path, !existed);
  }

  /**
   * The path of `name` in the directory; remembers it (and, for a database, SQLite's
   * companion files) as created by this start when it does not exist yet.
   */
  async track(name: string, database = false): Promise<string> {
    const path = join(this.path, name);
    for (const p of database ? [path, ...SQLITE_COMPANIONS.map((s) => path + s)] : [path]) {
      if (!this.#created.includes(p) && !(await pathExists(p))) this.#created.push(p);
    }
    return path;
  }

  /** Removes what this start created (and the directory itself if it made it). */
  async rollback(): Promise<void> {
    for (const p of this.#created.splice(0).reverse()) {
      await Deno.remove(p).catch(() => {});
    }
    if (this.createdDirectory) await Deno.remove(this.path).catch(() => {});
  }

  /** The CA (`ca.crt`, `ca.key` 0600), made when either file is missing. */
  async loadOrCreateCa(): Promise<CertificateAuthority> {
    const certPath = await this.track("ca.crt");
    const keyPath = await this.track("ca.key");
    const [cert, key] = [await readTextIfExists(certPath), await readTextIfExists(keyPath)];
    if (cert && key) return await loadCertificateAuthority(cert, key);
    const ca = await createCertificateAuthority({ commonName: "kcp-lite-ca" });
    await atomicWriteFile(keyPath, ca.keyPem, { mode: 0o600 });
    await atomicWriteFile(certPath, ca.certPem, { mode: 0o644 });
    return ca;
  }

  /** The service-account signing key (`sa.key`, 0600). */
  async loadOrCreateSaKey(): Promise<CryptoKeyPair> {
    const path = await this.track("sa.key");
    const pem = await readTextIfExists(path);
    if (pem) return await importSigningKeyPem(pem);
    const keys = await generateRsaSigningKey();
    await atomicWriteFile(path, await exportPrivateKeyPem(keys.privateKey), { mode: 0o600 });
    return keys;
  }
}
