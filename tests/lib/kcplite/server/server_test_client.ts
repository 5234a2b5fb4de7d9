/**
 * Helpers for kcp-lite server tests: running real kubectl against a control plane (each
 * with its own HOME and discovery cache), and raw HTTPS requests with the admin token, no
 * credentials, or a client certificate issued by the server's CA.
 *
 * @module
 */
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { eventually } from "../../../support/eventually.ts";
import { kubeTools } from "../../../support/kube_tools.ts";
import type { ControlPlane } from "../../../support/control_plane.ts";
import { issueCertificate, loadCertificateAuthority } from "../../../../lib/pki/certificates.ts";

/** The outcome of one kubectl run. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs kubectl against the control plane; `home` isolates the discovery cache. */
export async function kubectl(
  cp: ControlPlane,
  home: string,
  args: string[],
  stdin?: string,
): Promise<RunResult> {
  const { kubectl } = await kubeTools();
  const child = new Deno.Command(kubectl, {
    args: ["--kubeconfig", cp.kubeconfigPath, ...args],
    env: { HOME: home, KUBECACHEDIR: join(home, "cache") },
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const out = await child.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** The admin token and CA of the control plane's kubeconfig. */
export async function adminCredentials(cp: ControlPlane): Promise<{ token: string; ca: string }> {
  const doc = parseYaml(await Deno.readTextFile(cp.kubeconfigPath)) as {
    clusters: { cluster: { "certificate-authority-data": string } }[];
    users: { name: string; user: { token: string } }[];
  };
  return {
    token: doc.users[0].user.token,
    ca: atob(doc.clusters[0].cluster["certificate-authority-data"]),
  };
}

/** How a raw request authenticates. */
export type Credentials =
  | { kind: "admin" }
  | { kind: "none" }
  | { kind: "token"; token: string }
  | { kind: "cert"; user: string; groups?: string[] };

/** A raw HTTPS request; returns status and parsed (or raw) body. */
export async function request(
  cp: ControlPlane,
  method: string,
  path: string,
  options: { body?: string | Uint8Array; contentType?: string; creds?: Credentials } = {},
): Promise<{ status: number; body: Record<string, unknown>; text: string; headers: Headers }> {
  const { token, ca } = await adminCredentials(cp);
  const creds = options.creds ?? { kind: "admin" };
  const headers: Record<string, string> = {};
  if (creds.kind === "admin") headers.authorization = `Bearer ${token}`;
  if (creds.kind === "token") headers.authorization = `Bearer ${creds.token}`;
  if (options.contentType) headers["content-type"] = options.contentType;
  let client: Deno.HttpClient;
  if (creds.kind === "cert") {
    const authority = await loadCertificateAuthority(
      await Deno.readTextFile(join(cp.rootDirectory, "ca.crt")),
      await Deno.readTextFile(join(cp.rootDirectory, "ca.key")),
    );
    const issued = await issueCertificate(authority, {
      commonName: creds.user,
      organizations: creds.groups ?? [],
      usage: "client",
    });
    client = Deno.createHttpClient({ caCerts: [ca], cert: issued.certPem, key: issued.keyPem });
  } else {
    client = Deno.createHttpClient({ caCerts: [ca] });
  }
  try {
    const res = await fetch(`${cp.url}${path}`, {
      method,
      headers,
      body: options.body as BodyInit | undefined,
      client,
    });
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body, text, headers: res.headers };
  } finally {
    client.close();
  }
}

/** The token of the `default` service account in workspace `path` (kcp mode), once it exists. */
export async function defaultServiceAccountToken(cp: ControlPlane, path: string): Promise<string> {
  return await eventually(`the default service account token of ${path}`, async () => {
    const secrets = await request(cp, "GET", `/clusters/${path}/api/v1/namespaces/default/secrets`);
    const items = (secrets.body.items ?? []) as {
      type: string;
      data?: { token?: string };
      metadata: { annotations?: Record<string, string> };
    }[];
    const sa = items.find((s) =>
      s.type === "kubernetes.io/service-account-token" &&
      s.metadata.annotations?.["kubernetes.io/service-account.name"] === "default" &&
      s.data?.token
    );
    return sa ? atob(sa.data!.token!) : undefined;
  });
}
