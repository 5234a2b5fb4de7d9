/**
 * Test helpers around the `openssl` CLI: running it, reading certificates with it, and
 * building a PKI the way Easy-RSA 3.1 does (init-pki + build-ca nopass + build-server-full)
 * for tests that must accept a PKI our code did not make.
 *
 * @module
 */
import { join } from "node:path";
import { optionalTool } from "../../support/optional_tool.ts";

/** Whether the `openssl` CLI is here; tests that need it are skipped (with a line) if not. */
export const HAVE_OPENSSL = await optionalTool("openssl", "tests that cross-check with openssl", [
  "version",
]);

/** What one openssl run left behind. */
export interface OpensslResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `openssl args…` in `cwd`. */
export async function openssl(args: string[], cwd?: string): Promise<OpensslResult> {
  const r = await new Deno.Command("openssl", { args, cwd, stdout: "piped", stderr: "piped" })
    .output();
  const dec = new TextDecoder();
  return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
}

/** Runs openssl and throws with its stderr when it fails. */
export async function opensslOk(args: string[], cwd?: string): Promise<string> {
  const r = await openssl(args, cwd);
  if (r.code !== 0) throw new Error(`openssl ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

/** `openssl x509 -text` of a certificate file. */
export function certText(path: string): Promise<string> {
  return opensslOk(["x509", "-in", path, "-noout", "-text"]);
}

/** The SAN entries OpenSSL reads from a certificate file (`DNS:a`, `IP Address:…`). */
export async function opensslSans(path: string): Promise<string[]> {
  const text = await opensslOk(["x509", "-in", path, "-noout", "-ext", "subjectAltName"]);
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  if (lines.length < 2) return [];
  return lines[1].split(",").map((s) => s.trim());
}

/** Key formats a CA key can be written in. */
export type CaKeyKind =
  | "rsa-pkcs8"
  | "rsa-pkcs1"
  | "ec-sec1"
  | "ec-pkcs8"
  | "rsa-encrypted-pkcs8"
  | "rsa-encrypted-legacy";

const EASYRSA_DIRS = [
  "private",
  "reqs",
  "issued",
  "certs_by_serial",
  "revoked/certs_by_serial",
  "revoked/private_by_serial",
  "revoked/reqs_by_serial",
];

/**
 * Builds `<dir>/pki` like Easy-RSA 3.1 `init-pki` + `build-ca nopass`: the directories,
 * a config file, `index.txt`, `index.txt.attr`, `serial`, `private/ca.key` (RSA-2048
 * PKCS#8 by default) and a self-signed `ca.crt`. Returns the PKI path.
 */
export async function makeEasyRsaPki(dir: string, kind: CaKeyKind = "rsa-pkcs8"): Promise<string> {
  const pki = join(dir, "pki");
  for (const d of EASYRSA_DIRS) await Deno.mkdir(join(pki, d), { recursive: true });
  await Deno.chmod(join(pki, "private"), 0o700);
  await Deno.writeTextFile(
    join(pki, "openssl-easyrsa.cnf"),
    "[ req ]\ndistinguished_name = cn_only\n[ cn_only ]\ncommonName = Common Name\n",
  );
  await Deno.writeTextFile(join(pki, "index.txt"), "");
  await Deno.writeTextFile(join(pki, "index.txt.attr"), "unique_subject = no\n");
  await Deno.writeTextFile(join(pki, "serial"), "01\n");
  const key = join(pki, "private", "ca.key");
  const keyArgs: Record<CaKeyKind, string[]> = {
    "rsa-pkcs8": ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
    "rsa-pkcs1": ["genrsa", "-traditional"],
    "ec-sec1": ["ecparam", "-name", "secp384r1", "-genkey", "-noout"],
    "ec-pkcs8": ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
    "rsa-encrypted-pkcs8": ["genpkey", "-algorithm", "RSA", "-aes256", "-pass", "pass:secret"],
    "rsa-encrypted-legacy": ["genrsa", "-traditional", "-aes256", "-passout", "pass:secret"],
  };
  const args = [...keyArgs[kind], "-out", key];
  if (kind === "rsa-pkcs1" || kind === "rsa-encrypted-legacy") args.push("2048");
  await opensslOk(args);
  await Deno.chmod(key, 0o600);
  await opensslOk([
    "req",
    "-new",
    "-x509",
    "-key",
    key,
    "-passin",
    "pass:secret",
    "-sha256",
    "-days",
    "3650",
    "-subj",
    "/CN=Easy-RSA CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=cRLSign,keyCertSign",
    "-out",
    join(pki, "ca.crt"),
  ]);
  return pki;
}

/**
 * Issues `<pki>/issued/<base>.crt` and `<pki>/private/<base>.key` (EC P-384, as
 * Easy-RSA's `--use-algo=ec build-server-full`) with the given SAN, signed by the PKI's CA.
 */
export async function issueWithOpenssl(pki: string, base: string, san: string): Promise<void> {
  const key = join(pki, "private", `${base}.key`);
  const req = join(pki, "reqs", `${base}.req`);
  await opensslOk([
    "req",
    "-new",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:secp384r1",
    "-nodes",
    "-keyout",
    key,
    "-subj",
    `/CN=${base}`,
    "-addext",
    `subjectAltName=${san}`,
    "-out",
    req,
  ]);
  await opensslOk([
    "x509",
    "-req",
    "-in",
    req,
    "-CA",
    join(pki, "ca.crt"),
    "-CAkey",
    join(pki, "private", "ca.key"),
    "-set_serial",
    "0x" + crypto.randomUUID().replaceAll("-", "").slice(0, 16),
    "-days",
    "100",
    "-copy_extensions",
    "copyall",
    "-out",
    join(pki, "issued", `${base}.crt`),
  ]);
}
