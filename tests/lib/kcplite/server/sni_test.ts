/**
 * `--tls-sni-cert-key`: kcp-lite serves an extra certificate to clients that ask for one
 * of its names by SNI, and its own serving certificate otherwise.
 *
 * @module
 */
import tls from "node:tls";
import { join } from "node:path";
import { assertEquals } from "../../../support/assert.ts";
import { startKcpLite } from "../../../../lib/kcplite/kcp_lite_server.ts";
import { createCertificateAuthority, issueCertificate } from "../../../../lib/pki/certificates.ts";

function peerCommonName(port: number, servername: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: "127.0.0.1",
      port,
      servername,
      ca,
      checkServerIdentity: () => undefined,
    }, () => {
      const cn = String(socket.getPeerCertificate().subject?.CN ?? "");
      socket.end();
      resolve(cn);
    });
    socket.on("error", reject);
  });
}

Deno.test("kcp-lite picks the serving certificate by SNI", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kcp-lite-sni-" });
  const other = await createCertificateAuthority({ commonName: "external-ca" });
  const external = await issueCertificate(other, {
    commonName: "kcp.example.test",
    dnsNames: ["kcp.example.test"],
    usage: "server",
  });
  await Deno.writeTextFile(join(dir, "ext.crt"), external.certPem);
  await Deno.writeTextFile(join(dir, "ext.key"), external.keyPem);
  const server = await startKcpLite({
    rootDirectory: join(dir, "root"),
    securePort: 0,
    mode: "kube",
    sniCertKeys: [{ certFile: join(dir, "ext.crt"), keyFile: join(dir, "ext.key") }],
  });
  try {
    const port = Number(new URL(server.url).port);
    const ownCa = await Deno.readTextFile(join(dir, "root", "ca.crt"));
    assertEquals(await peerCommonName(port, "kcp.example.test", other.certPem), "kcp.example.test");
    assertEquals(await peerCommonName(port, "localhost", ownCa), "kcp-lite");
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
