import { join } from "node:path";
import { assertEquals } from "../../support/assert.ts";
import { kubeTools } from "../../support/kube_tools.ts";
import {
  type CertificateAuthority,
  createCertificateAuthority,
  issueCertificate,
  type KeyAndCert,
} from "../../../lib/pki/certificates.ts";
import { ensureKcpServerCreds } from "../../../lib/pki/kcp_server_creds.ts";

/** Serves "ok" over TLS on a free loopback port with `server`'s credentials. */
function serveOk(server: KeyAndCert): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve(
    {
      hostname: "127.0.0.1",
      port: 0,
      cert: server.certPem,
      key: server.keyPem,
      onListen: () => {},
    },
    () => new Response("ok"),
  );
}

async function pkiForLoopback(): Promise<{ ca: CertificateAuthority; server: KeyAndCert }> {
  const ca = await createCertificateAuthority({ commonName: "interop-ca" });
  const server = await issueCertificate(ca, {
    commonName: "kcp-lite",
    dnsNames: ["localhost"],
    ipAddresses: ["127.0.0.1"],
    usage: "server",
  });
  return { ca, server };
}

Deno.test("Deno (rustls) serves and trusts ECDSA P-256 certificates by IP and DNS name", async () => {
  const { ca, server } = await pkiForLoopback();
  const client = await issueCertificate(ca, { commonName: "admin", usage: "client" });
  const srv = serveOk(server);
  const http = Deno.createHttpClient({
    caCerts: [ca.certPem],
    cert: client.certPem,
    key: client.keyPem,
  });
  try {
    for (const host of ["127.0.0.1", "localhost"]) {
      const res = await fetch(`https://${host}:${srv.addr.port}/readyz`, { client: http });
      assertEquals(await res.text(), "ok");
    }
  } finally {
    http.close();
    await srv.shutdown();
  }
});

Deno.test("Deno (rustls) refuses a server certificate from another CA", async () => {
  const { server } = await pkiForLoopback();
  const stranger = await createCertificateAuthority({ commonName: "interop-ca" });
  const srv = serveOk(server);
  const http = Deno.createHttpClient({ caCerts: [stranger.certPem] });
  try {
    let failed = false;
    try {
      await (await fetch(`https://127.0.0.1:${srv.addr.port}/`, { client: http })).text();
    } catch {
      failed = true;
    }
    assertEquals(failed, true);
  } finally {
    http.close();
    await srv.shutdown();
  }
});

Deno.test("kubectl (Go TLS) trusts the server and loads the client key pair", async () => {
  const { kubectl } = await kubeTools();
  const { ca, server } = await pkiForLoopback();
  const client = await issueCertificate(ca, {
    commonName: "admin",
    organizations: ["system:masters"],
    usage: "client",
  });
  const srv = serveOk(server);
  const dir = await Deno.makeTempDir({ prefix: "pki-kubectl-" });
  try {
    const b64 = (s: string) => btoa(s);
    for (const host of ["127.0.0.1", "localhost"]) {
      const kubeconfig = join(dir, `${host}.kubeconfig`);
      await Deno.writeTextFile(
        kubeconfig,
        JSON.stringify({
          apiVersion: "v1",
          kind: "Config",
          clusters: [{
            name: "c",
            cluster: {
              server: `https://${host}:${srv.addr.port}`,
              "certificate-authority-data": b64(ca.certPem),
            },
          }],
          users: [{
            name: "u",
            user: {
              "client-certificate-data": b64(client.certPem),
              "client-key-data": b64(client.keyPem),
            },
          }],
          contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
          "current-context": "x",
        }),
        { mode: 0o600 },
      );
      const r = await new Deno.Command(kubectl, {
        args: ["--kubeconfig", kubeconfig, "get", "--raw", "/readyz"],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const dec = new TextDecoder();
      assertEquals(r.code, 0, `${host}: ${dec.decode(r.stderr)}`);
      assertEquals(dec.decode(r.stdout).trim(), "ok");
    }
  } finally {
    await srv.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kubectl reaches a server using ensure-kcp-server-creds output by its domain (SNI)", async () => {
  const { kubectl } = await kubeTools();
  const dir = await Deno.makeTempDir({ prefix: "pki-kubectl-sni-" });
  try {
    const creds = await ensureKcpServerCreds({
      domain: "yep.yep",
      cwd: dir,
      prog: "t",
      log: () => {},
    });
    const srv = serveOk({
      certPem: await Deno.readTextFile(creds.serverCert),
      keyPem: await Deno.readTextFile(creds.serverKey),
    });
    try {
      const run = async (serverName: string) => {
        const kubeconfig = join(dir, `${serverName}.kubeconfig`);
        await Deno.writeTextFile(
          kubeconfig,
          JSON.stringify({
            apiVersion: "v1",
            kind: "Config",
            clusters: [{
              name: "c",
              cluster: {
                server: `https://127.0.0.1:${srv.addr.port}`,
                "certificate-authority": creds.caCert,
                "tls-server-name": serverName,
              },
            }],
            users: [{ name: "u", user: { token: "not-checked" } }],
            contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
            "current-context": "x",
          }),
        );
        return await new Deno.Command(kubectl, {
          args: ["--kubeconfig", kubeconfig, "get", "--raw", "/readyz"],
          stdout: "piped",
          stderr: "piped",
        }).output();
      };
      const ok = await run("yep.yep");
      assertEquals(ok.code, 0, new TextDecoder().decode(ok.stderr));
      assertEquals(new TextDecoder().decode(ok.stdout).trim(), "ok");
      const wrong = await run("other.example");
      assertEquals(wrong.code !== 0, true, "a name outside the SAN must be refused");
    } finally {
      await srv.shutdown();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
