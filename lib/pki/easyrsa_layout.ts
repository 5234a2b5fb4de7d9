/**
 * The on-disk layout of an Easy-RSA 3 PKI and its bookkeeping: which files make a PKI
 * and a CA "present", where issued certificates and keys go, and the `index.txt`,
 * `serial` and `certs_by_serial/` records that `openssl ca` (and so Easy-RSA) keeps.
 *
 * Writing never replaces a file that is already there except the bookkeeping files
 * (`index.txt`, `serial`) and an issued certificate being regenerated, each written
 * atomically. Private keys are written with mode 0600, private directories 0700.
 *
 * @example
 * ```ts
 * const layout = easyRsaLayout("/home/me/pki");
 * layout.issuedCert("kcp-DNS-foo.bar"); // "/home/me/pki/issued/kcp-DNS-foo.bar.crt"
 * if (!(await isPkiInitialized(layout))) await ensurePkiSkeleton(layout);
 * ```
 *
 * @module
 */
import { pathExists, readTextIfExists } from "../fs/optional_file.ts";
import { join } from "node:path";
import { atomicWriteFile } from "../fs/atomic_write.ts";
import { OPENSSL_EASYRSA_CNF } from "./openssl_easyrsa_cnf.ts";

/** Paths inside one PKI directory. */
export interface EasyRsaLayout {
  root: string;
  caCert: string;
  caKey: string;
  indexFile: string;
  indexAttrFile: string;
  serialFile: string;
  opensslCnf: string;
  issuedCert(base: string): string;
  privateKey(base: string): string;
  request(base: string): string;
  certBySerial(serialHex: string): string;
}

/** Directories an initialised PKI has (relative to the root). */
export const PKI_DIRECTORIES = [
  "private",
  "reqs",
  "issued",
  "certs_by_serial",
  "revoked",
  "revoked/certs_by_serial",
  "revoked/private_by_serial",
  "revoked/reqs_by_serial",
];

/** The paths of the PKI rooted at `root`. */
export function easyRsaLayout(root: string): EasyRsaLayout {
  return {
    root,
    caCert: join(root, "ca.crt"),
    caKey: join(root, "private", "ca.key"),
    indexFile: join(root, "index.txt"),
    indexAttrFile: join(root, "index.txt.attr"),
    serialFile: join(root, "serial"),
    opensslCnf: join(root, "openssl-easyrsa.cnf"),
    issuedCert: (base) => join(root, "issued", `${base}.crt`),
    privateKey: (base) => join(root, "private", `${base}.key`),
    request: (base) => join(root, "reqs", `${base}.req`),
    certBySerial: (serial) => join(root, "certs_by_serial", `${serial.toUpperCase()}.pem`),
  };
}

/** Easy-RSA's test for an initialised PKI: `private/`, `reqs/` and `openssl-easyrsa.cnf`. */
export async function isPkiInitialized(layout: EasyRsaLayout): Promise<boolean> {
  return await isDirectory(join(layout.root, "private")) &&
    await isDirectory(join(layout.root, "reqs")) &&
    await isFile(layout.opensslCnf);
}

/** What of a CA exists: both halves, neither, or only one (which cannot be repaired). */
export type CaState = "present" | "absent" | "cert-only" | "key-only";

/** Looks for `ca.crt` and `private/ca.key`. */
export async function caState(layout: EasyRsaLayout): Promise<CaState> {
  const cert = await pathExists(layout.caCert);
  const key = await pathExists(layout.caKey);
  if (cert && key) return "present";
  if (!cert && !key) return "absent";
  return cert ? "cert-only" : "key-only";
}

/**
 * Creates whatever directories and bookkeeping files of an initialised PKI with a CA
 * are missing (never touching existing ones); returns the relative paths it created.
 */
export async function ensurePkiSkeleton(layout: EasyRsaLayout): Promise<string[]> {
  const created: string[] = [];
  if (!(await pathExists(layout.root))) {
    await Deno.mkdir(layout.root, { mode: 0o700 });
    created.push(".");
  }
  for (const dir of PKI_DIRECTORIES) {
    const path = join(layout.root, dir);
    if (await pathExists(path)) continue;
    await Deno.mkdir(path, { mode: dir === "private" ? 0o700 : 0o755 });
    created.push(dir + "/");
  }
  const files: [string, string][] = [
    [layout.opensslCnf, OPENSSL_EASYRSA_CNF],
    [layout.indexFile, ""],
    [layout.indexAttrFile, "unique_subject = no\n"],
    [layout.serialFile, "01\n"],
  ];
  for (const [path, text] of files) {
    if (await pathExists(path)) continue;
    await atomicWriteFile(path, text, { mode: 0o644 });
    created.push(path.slice(layout.root.length + 1));
  }
  return created;
}

/** Writes a new CA's certificate and key; refuses to replace either. */
export async function writeCa(
  layout: EasyRsaLayout,
  ca: { certPem: string; keyPem: string },
): Promise<void> {
  await writeNewFile(layout.caKey, ca.keyPem, 0o600);
  await writeNewFile(layout.caCert, ca.certPem, 0o644);
}

/** One issued certificate, as the CA's records need it. */
export interface IssuedRecord {
  /** File-name base (`kcp-DNS-foo.bar`). */
  base: string;
  certPem: string;
  keyPem: string;
  requestPem: string;
  /** Serial number, hex. */
  serialHex: string;
  notAfter: Date;
  /** Subject in OpenSSL's slash form (`/CN=kcp-DNS-foo.bar`). */
  subject: string;
}

/**
 * Stores an issued certificate the way `openssl ca` would: request, key (0600) and
 * certificate under their base name, a copy in `certs_by_serial/`, a `V` line in
 * `index.txt` and the next serial in `serial`. Each file is written atomically, key
 * before certificate, so an interrupted run leaves a pair a re-run detects as stale.
 */
export async function recordIssued(layout: EasyRsaLayout, rec: IssuedRecord): Promise<void> {
  const serial = rec.serialHex.toUpperCase();
  await atomicWriteFile(layout.request(rec.base), rec.requestPem, { mode: 0o644 });
  await atomicWriteFile(layout.privateKey(rec.base), rec.keyPem, { mode: 0o600 });
  await atomicWriteFile(layout.issuedCert(rec.base), rec.certPem, { mode: 0o644 });
  await atomicWriteFile(layout.certBySerial(serial), rec.certPem, { mode: 0o644 });
  const index = await readTextIfExists(layout.indexFile) ?? "";
  const sep = index === "" || index.endsWith("\n") ? "" : "\n";
  const line = indexLine(rec.notAfter, serial, rec.subject);
  await atomicWriteFile(layout.indexFile, index + sep + line + "\n", { mode: 0o644 });
  await atomicWriteFile(layout.serialFile, nextSerial(serial) + "\n", { mode: 0o644 });
}

/** An `index.txt` line for a valid certificate: status, expiry, (no revocation), serial, file, subject. */
export function indexLine(notAfter: Date, serialHex: string, subject: string): string {
  return ["V", opensslIndexTime(notAfter), "", serialHex.toUpperCase(), "unknown", subject]
    .join("\t");
}

/** OpenSSL's time form in `index.txt`: UTCTime before 2050, GeneralizedTime from 2050 on. */
export function opensslIndexTime(d: Date): string {
  const iso = d.toISOString(); // 2036-11-22T09:29:12.000Z
  const digits = iso.slice(0, 19).replace(/[-T:]/g, "") + "Z"; // 20361122092912Z
  return d.getUTCFullYear() < 2050 ? digits.slice(2) : digits;
}

/** `serialHex` plus one, upper-case, with an even number of digits (as `openssl ca` writes it). */
export function nextSerial(serialHex: string): string {
  let hex = (BigInt("0x" + serialHex) + 1n).toString(16).toUpperCase();
  if (hex.length % 2 === 1) hex = "0" + hex;
  return hex;
}

async function writeNewFile(path: string, text: string, mode: number): Promise<void> {
  if (await pathExists(path)) throw new Deno.errors.AlreadyExists(`${path} already exists`);
  await atomicWriteFile(path, text, { mode });
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}
