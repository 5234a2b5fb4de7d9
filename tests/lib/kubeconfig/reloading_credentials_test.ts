import { join } from "node:path";
import { assertEquals, assertRejects } from "../../support/assert.ts";
import {
  type FakeApiServer,
  makeTestPki,
  sendJson,
  sendStatus,
  startFakeApiServer,
} from "../../support/fake_apiserver.ts";
import {
  contextLoader,
  reloadingCredentials,
} from "../../../lib/kubeconfig/reloading_credentials.ts";
import { restClientFor } from "../../../lib/kube/rest_client.ts";
import { isReportedUnauthorized } from "../../../lib/kube/rest_errors.ts";

function kubeconfig(server: FakeApiServer, rootToken: string, adminToken: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: root
  cluster: {server: "${server.url}/clusters/root", certificate-authority-data: ${
    btoa(server.pki.caPem)
  }}
- name: base
  cluster: {server: "${server.url}", certificate-authority-data: ${btoa(server.pki.caPem)}}
contexts:
- name: root
  context: {cluster: root, user: kcp-admin}
- name: system:admin
  context: {cluster: base, user: shard-admin}
current-context: root
users:
- name: kcp-admin
  user: {token: ${rootToken}}
- name: shard-admin
  user: {token: ${adminToken}}
`;
}

interface Setup {
  server: FakeApiServer;
  accepted: Set<string>;
  path: string;
  reports: string[];
  tick(): void;
}

async function withSetup(fn: (s: Setup) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "reloading-" });
  const accepted = new Set<string>();
  const server = await startFakeApiServer(await makeTestPki(dir), (req, res) => {
    const token = req.headers.authorization?.replace(/^Bearer /, "") ?? "";
    if (accepted.has(token)) return sendJson(res, 200, { as: token });
    sendStatus(res, 401, "Unauthorized", "Unauthorized");
  });
  const reports: string[] = [];
  let t = 0;
  try {
    await fn({
      server,
      accepted,
      path: join(dir, "kubeconfig"),
      reports,
      tick: () => (t += 1_500),
    });
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
  void t;
}

async function rootClient(s: Setup, now: () => number) {
  const load = contextLoader(s.path, "root");
  const config = await load();
  config.credentials = reloadingCredentials({
    name: "root",
    initial: config,
    load,
    fallback: { name: "system:admin", load: contextLoader(s.path, "system:admin") },
    report: (level, message, fields) =>
      s.reports.push(`${level} ${message} ${JSON.stringify(fields)}`),
    now,
  });
  return restClientFor(config);
}

Deno.test("on 401 the kubeconfig is read again and its new token used", async () => {
  await withSetup(async (s) => {
    let t = 0;
    await Deno.writeTextFile(s.path, kubeconfig(s.server, "a1", "s1"));
    s.accepted.add("a1");
    const client = await rootClient(s, () => (t += 1_500));
    try {
      assertEquals(await client.getPath("/api"), { as: "a1" });
      s.accepted.clear();
      s.accepted.add("a2");
      await Deno.writeTextFile(s.path, kubeconfig(s.server, "a2", "s1"));
      assertEquals(await client.getPath("/api"), { as: "a2" });
      assertEquals(await client.withCluster("root:espw").getPath("/api"), { as: "a2" });
      assertEquals(s.reports, [
        'info using the credentials read again from the kubeconfig {"context":"root"}',
      ]);
    } finally {
      client.close();
    }
  });
});

Deno.test("with no newer token for the context, the fallback context's credentials are used", async () => {
  await withSetup(async (s) => {
    let t = 0;
    await Deno.writeTextFile(s.path, kubeconfig(s.server, "a1", "s1"));
    s.accepted.add("s1"); // a kcp restart: kcp-admin's token is new, shard-admin's kept
    const client = await rootClient(s, () => (t += 1_500));
    try {
      assertEquals(await client.getPath("/api"), { as: "s1" });
      assertEquals(await client.getPath("/api"), { as: "s1" });
      assertEquals(s.server.requests.map((r) => r.headers.authorization), [
        "Bearer a1",
        "Bearer s1",
        "Bearer s1",
      ]);
      assertEquals(s.reports, [
        "info the kubeconfig has no newer credentials for this context: using another " +
        'context\'s {"context":"root","using":"system:admin"}',
      ]);
    } finally {
      client.close();
    }
  });
});

Deno.test("a refusal is reported once, and so is the recovery, whatever the retries", async () => {
  await withSetup(async (s) => {
    let t = 0;
    await Deno.writeTextFile(s.path, kubeconfig(s.server, "a1", "s1"));
    const client = await rootClient(s, () => (t += 1_500));
    try {
      for (let i = 0; i < 5; i++) {
        const e = await assertRejects(() => client.getPath("/api"));
        assertEquals(isReportedUnauthorized(e), true);
      }
      s.accepted.add("a1");
      assertEquals(await client.getPath("/api"), { as: "a1" });
      assertEquals(await client.getPath("/api"), { as: "a1" });
      assertEquals(s.reports.map((r) => r.split(" (")[0].split(" {")[0]), [
        "warn the server refused the credentials",
        "info the server accepts the credentials again",
      ]);
    } finally {
      client.close();
    }
  });
});
