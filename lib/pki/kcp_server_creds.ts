/**
 * `kubestellar-ensure-kcp-server-creds DOMAIN`: create or re-use a CA and a kcp server
 * certificate for one DNS name in the Easy-RSA style PKI at `./pki`.
 *
 * - No `./pki` (or an empty one): the whole PKI — layout, CA, server credentials — is
 *   built in a temporary directory beside it and renamed into place, so a failure
 *   leaves nothing behind.
 * - An existing PKI (ours or Easy-RSA's) is re-used; missing bookkeeping is added, the
 *   CA is created only if neither of its files exists, and existing server credentials
 *   are accepted when their only SAN is `DNS:<domain>`, they were signed by this CA,
 *   the key matches and they have not expired. Otherwise they are regenerated, each file
 *   written atomically. Accepted credentials mean no file is written at all.
 *
 * Re-use is judged with the runtime's own X.509 support (`certificate_check.ts`); the
 * certificate-building library is loaded only when something must be created.
 *
 * @module
 */
import { dirname, isAbsolute, join } from "node:path";
import { UserError } from "../cli/errors.ts";
import { readTextIfExists } from "../fs/optional_file.ts";
import type { CertificateAuthority } from "./certificates.ts";
import { isIssuedBy, keyBelongsTo, readCertificateFacts } from "./certificate_check.ts";
import {
  caState,
  type EasyRsaLayout,
  easyRsaLayout,
  ensurePkiSkeleton,
  isPkiInitialized,
  recordIssued,
  writeCa,
} from "./easyrsa_layout.ts";
import { randomSerialNumber } from "./serial_number.ts";
import { shellQuote } from "./shell_quote.ts";

/** Inputs of `ensureKcpServerCreds`. */
export interface KcpServerCredsOptions {
  /** The validated DNS name. */
  domain: string;
  /** The directory holding (or to hold) `pki/`; absolute. */
  cwd: string;
  /** Where progress lines go (stderr in the command). */
  log: (line: string) => void;
  /** Name for error messages. */
  prog: string;
}

/** The three absolute paths the command prints. */
export interface KcpServerCreds {
  caCert: string;
  serverCert: string;
  serverKey: string;
}

/** Validity of a new CA (Easy-RSA's default) and of server certificates (as upstream). */
const CA_DAYS = 3650;
const SERVER_DAYS = 10000;

/** The seed's file-name base for a domain's server credentials. */
export function serverCredsBaseName(domain: string): string {
  return `kcp-DNS-${domain}`;
}

/**
 * The current directory as the shell names it: `$PWD` when it is the same directory as
 * the process's (it may go through symbolic links, as the upstream script's paths did),
 * otherwise the resolved path.
 */
export function logicalWorkingDirectory(): string {
  const cwd = Deno.cwd();
  const pwd = Deno.env.get("PWD");
  if (!pwd || !isAbsolute(pwd)) return cwd;
  try {
    return Deno.realPathSync(pwd) === cwd ? pwd : cwd;
  } catch {
    return cwd;
  }
}

/** The stdout line: the three paths, shell-quoted where needed. */
export function formatCredsLine(creds: KcpServerCreds): string {
  return [creds.caCert, creds.serverCert, creds.serverKey].map(shellQuote).join(" ");
}

/** Ensures the PKI, CA and server credentials; returns their paths. */
export async function ensureKcpServerCreds(opts: KcpServerCredsOptions): Promise<KcpServerCreds> {
  const layout = easyRsaLayout(join(opts.cwd, "pki"));
  const base = serverCredsBaseName(opts.domain);
  try {
    const fresh = await isAbsentOrEmptyDir(layout.root, opts.prog) &&
      await createFreshPki(layout, opts);
    if (!fresh) await updateExistingPki(layout, opts);
  } catch (e) {
    throw asUserError(e, opts.prog, layout);
  }
  return {
    caCert: layout.caCert,
    serverCert: layout.issuedCert(base),
    serverKey: layout.privateKey(base),
  };
}

/**
 * Builds the PKI beside its final place and renames it in. Returns false (leaving
 * nothing behind) when another process created `./pki` meanwhile.
 */
async function createFreshPki(
  layout: EasyRsaLayout,
  opts: KcpServerCredsOptions,
): Promise<boolean> {
  const tmp = await Deno.makeTempDir({ dir: dirname(layout.root), prefix: ".pki-new-" });
  opts.log(`Creating PKI at ${layout.root}`);
  try {
    const staged = easyRsaLayout(tmp);
    await ensurePkiSkeleton(staged);
    const ca = await newCa(staged);
    await issueServerCreds(staged, ca, opts.domain);
    try {
      await Deno.rename(tmp, layout.root);
    } catch (e) {
      if (await isAbsentOrEmptyDir(layout.root, opts.prog)) throw e;
      await Deno.remove(tmp, { recursive: true });
      return false;
    }
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw e;
  }
  opts.log(`Created CA at ${layout.caKey}`);
  opts.log(`Created credentials for DNS:${opts.domain}`);
  return true;
}

async function updateExistingPki(layout: EasyRsaLayout, opts: KcpServerCredsOptions) {
  if (await isPkiInitialized(layout)) opts.log(`Re-using PKI at ${layout.root}`);
  else opts.log(`Completing PKI at ${layout.root}`);
  await ensurePkiSkeleton(layout);
  const state = await caState(layout);
  let ca: CertificateAuthority | undefined;
  if (state === "present") {
    opts.log(`Re-using CA at ${layout.caKey}`);
    await checkCaCertificate(layout, opts.prog);
  } else if (state === "absent") {
    ca = await newCa(layout);
    opts.log(`Created CA at ${layout.caKey}`);
  } else {
    const [have, missing] = state === "cert-only"
      ? [layout.caCert, layout.caKey]
      : [layout.caKey, layout.caCert];
    throw new UserError(
      `${opts.prog}: the PKI at ${layout.root} has ${have} but not ${missing}; ` +
        `restore the missing file or move ${layout.root} away to start a new PKI`,
    );
  }
  const base = serverCredsBaseName(opts.domain);
  const verdict = await judgeExistingCreds(layout, base, opts.domain);
  if (verdict === "accept") {
    opts.log("Accepting existing credentials");
    return;
  }
  if (verdict !== "absent") opts.log(verdict);
  ca ??= await loadCaForIssuing(layout, opts.prog);
  await issueServerCreds(layout, ca, opts.domain);
  opts.log(`Created credentials for DNS:${opts.domain}`);
}

async function newCa(layout: EasyRsaLayout): Promise<CertificateAuthority> {
  const { createCertificateAuthority } = await import("./certificates.ts");
  const ca = await createCertificateAuthority({
    commonName: `easy@${Math.floor(Date.now() / 1000)}`,
    validityDays: CA_DAYS,
    keyAlgorithm: "ecdsa-p384",
  });
  await writeCa(layout, ca);
  return ca;
}

/** The CA certificate must be readable, a CA and unexpired; throws a `UserError` if not. */
async function checkCaCertificate(layout: EasyRsaLayout, prog: string): Promise<void> {
  let facts;
  try {
    facts = readCertificateFacts(await Deno.readTextFile(layout.caCert));
  } catch (e) {
    if (e instanceof Deno.errors.PermissionDenied) throw e;
    throw new UserError(
      `${prog}: cannot read the CA certificate ${layout.caCert}; fix it or move ` +
        `${layout.root} away to start a new PKI`,
    );
  }
  if (!facts.isCa) {
    throw new UserError(
      `${prog}: ${layout.caCert} is not a CA certificate (no CA:TRUE); fix it or move ` +
        `${layout.root} away to start a new PKI`,
    );
  }
  if (facts.notAfter.getTime() <= Date.now()) {
    throw new UserError(
      `${prog}: the CA at ${layout.caCert} expired on ${facts.notAfter.toISOString()}; ` +
        `move ${layout.root} away to start a new PKI`,
    );
  }
}

/** Loads the CA with its key, for signing; encrypted or mismatched keys are `UserError`s. */
async function loadCaForIssuing(
  layout: EasyRsaLayout,
  prog: string,
): Promise<CertificateAuthority> {
  const pki = await import("./certificates.ts");
  const certPem = await Deno.readTextFile(layout.caCert);
  const keyPem = await Deno.readTextFile(layout.caKey);
  try {
    return await pki.loadCertificateAuthority(certPem, keyPem);
  } catch (e) {
    if (e instanceof pki.EncryptedPrivateKeyError) {
      throw new UserError(
        `${prog}: the CA key at ${layout.caKey} is encrypted; this command needs an ` +
          `unencrypted CA key (Easy-RSA "build-ca nopass"): decrypt it with ` +
          `"openssl pkey -in ${layout.caKey} -out <new file>" or start a new PKI`,
      );
    }
    throw new UserError(
      `${prog}: cannot use the CA in ${layout.root}: ${(e as Error).message}; ` +
        `fix ${layout.caCert} and ${layout.caKey} or move ${layout.root} away`,
    );
  }
}

/** "accept", "absent", or the stderr line that explains a rejection. */
async function judgeExistingCreds(
  layout: EasyRsaLayout,
  base: string,
  domain: string,
): Promise<string> {
  const certPem = await readTextIfExists(layout.issuedCert(base)).catch(() => undefined);
  const keyPem = await readTextIfExists(layout.privateKey(base)).catch(() => undefined);
  if (certPem === undefined || keyPem === undefined) return "absent";
  let facts;
  try {
    facts = readCertificateFacts(certPem);
  } catch {
    return "Rejecting existing credentials: the certificate cannot be read";
  }
  if (facts.sans.length !== 1 || facts.sans[0] !== `DNS:${domain}`) {
    return `Rejecting existing credentials with SAN ${bashQ(facts.sans.join(", "))}`;
  }
  if (!isIssuedBy(certPem, await Deno.readTextFile(layout.caCert))) {
    return `Rejecting existing credentials: not signed by the CA at ${layout.caCert}`;
  }
  if (facts.notAfter.getTime() <= Date.now()) {
    return "Rejecting existing credentials: the certificate has expired";
  }
  if (!keyBelongsTo(certPem, keyPem)) {
    return "Rejecting existing credentials: the key does not belong to the certificate";
  }
  return "accept";
}

async function issueServerCreds(
  layout: EasyRsaLayout,
  ca: CertificateAuthority,
  domain: string,
): Promise<void> {
  const { issueCertificate, parseCertificate } = await import("./certificates.ts");
  const { certificateRequestFor } = await import("./certificate_request.ts");
  const base = serverCredsBaseName(domain);
  const commonName = base.length <= 64 ? base : domain.slice(0, 64);
  const serialHex = randomSerialNumber();
  const issued = await issueCertificate(ca, {
    commonName,
    dnsNames: [domain],
    usage: "server",
    validityDays: SERVER_DAYS,
    keyAlgorithm: "ecdsa-p384",
    serialNumber: serialHex,
  });
  await recordIssued(layout, {
    base,
    certPem: issued.certPem,
    keyPem: issued.keyPem,
    requestPem: await certificateRequestFor(issued.certPem, issued.keyPem),
    serialHex,
    notAfter: parseCertificate(issued.certPem).notAfter,
    subject: `/CN=${commonName}`,
  });
}

/** True when `path` does not exist or is an empty directory; a non-directory is an error. */
async function isAbsentOrEmptyDir(path: string, prog: string): Promise<boolean> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return true;
    throw e;
  }
  if (!info.isDirectory) {
    throw new UserError(`${prog}: ${path} exists and is not a directory; move it away`);
  }
  for await (const _ of Deno.readDir(path)) return false;
  return true;
}

/** Bash's `${x@Q}` style: single quotes, embedded quotes as '\''. */
function bashQ(s: string): string {
  return "'" + s.replaceAll("'", "'\\''") + "'";
}

function asUserError(e: unknown, prog: string, layout: EasyRsaLayout): unknown {
  if (e instanceof UserError) return e;
  if (e instanceof Deno.errors.PermissionDenied) {
    return new UserError(
      `${prog}: cannot write the PKI at ${layout.root}: permission denied; ` +
        `run in a directory you can write to`,
    );
  }
  if (e instanceof Deno.errors.AlreadyExists) {
    return new UserError(
      `${prog}: ${layout.root} appeared while it was being created; run the command again`,
    );
  }
  if (e instanceof Error) {
    return new UserError(`${prog}: cannot ensure the PKI at ${layout.root}: ${e.message}`);
  }
  return e;
}
