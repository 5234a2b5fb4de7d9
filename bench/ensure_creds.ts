/**
 * `kubestellar-ensure-kcp-server-creds`: median wall time of a first run (creates the
 * PKI, CA and server credentials) and of a repeated run (re-uses everything), each a new
 * `deno run` process as a user runs it; plus the in-process cost kcp-lite pays on every
 * fresh start (ECDSA P-256 CA + one issued certificate).
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createCertificateAuthority, issueCertificate } from "../lib/pki/certificates.ts";
import type { Benchmark } from "./registry.ts";
import { median, ms, timeRuns } from "./stats.ts";

const ROOT = join(fileURLToPath(import.meta.url), "..", "..");
const MAIN = join(ROOT, "main.ts");

async function runOnce(cwd: string): Promise<void> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, "bench.example.com"],
    cwd,
    env: { KUBESTELLAR_INVOKED_AS: "kubestellar-ensure-kcp-server-creds" },
    stdout: "null",
    stderr: "null",
  }).output();
  if (!r.success) throw new Error(`ensure-kcp-server-creds failed in ${cwd}`);
}

export const ensureCreds: Benchmark = {
  name: "ensure-creds",
  description: "median wall time of kubestellar-ensure-kcp-server-creds, first and repeated run",
  async run() {
    const runs = 7;
    const dir = await Deno.makeTempDir({ prefix: "bench-ensure-creds-" });
    try {
      await runOnce(join(dir)); // warm-up (module cache)
      const first: number[] = [];
      for (let i = 0; i < runs; i++) {
        const cwd = join(dir, `first-${i}`);
        await Deno.mkdir(cwd);
        first.push(...await timeRuns(1, () => runOnce(cwd)));
      }
      const repeated = await timeRuns(runs, () => runOnce(join(dir, "first-0")));
      console.log(
        `${"first run (new PKI, CA, server credentials)".padEnd(60)} ${ms(median(first))}`,
      );
      console.log(`${"repeated run (everything re-used)".padEnd(60)} ${ms(median(repeated))}`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
    await createCertificateAuthority({ commonName: "warm-up" });
    const caTimes: number[] = [];
    const issueTimes: number[] = [];
    for (let i = 0; i < 20; i++) {
      let t = performance.now();
      const ca = await createCertificateAuthority({ commonName: "bench-ca" });
      caTimes.push(performance.now() - t);
      t = performance.now();
      await issueCertificate(ca, {
        commonName: "kcp-lite",
        dnsNames: ["localhost"],
        ipAddresses: ["127.0.0.1"],
        usage: "server",
      });
      issueTimes.push(performance.now() - t);
    }
    console.log(
      `${"in-process createCertificateAuthority (ECDSA P-256)".padEnd(60)} ${
        median(caTimes).toFixed(1)
      } ms`,
    );
    console.log(
      `${"in-process issueCertificate (ECDSA P-256)".padEnd(60)} ${
        median(issueTimes).toFixed(1)
      } ms`,
    );
  },
};
