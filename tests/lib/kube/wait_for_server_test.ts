import { assertEquals, assertRejects, assertTrue } from "../../support/assert.ts";
import {
  makeTestPki,
  sendJson,
  sendStatus,
  startFakeApiServer,
} from "../../support/fake_apiserver.ts";
import type { RestConfig } from "../../../lib/kube/rest_config.ts";
import {
  formatSeconds,
  ServerWaitTimeoutError,
  type WaitClock,
  waitForServer,
} from "../../../lib/kube/wait_for_server.ts";

/** A clock that only moves when the waiter sleeps. */
function fakeClock(): WaitClock & { sleeps: number[]; t: number } {
  const clock = {
    t: 1_000_000,
    sleeps: [] as number[],
    now: () => clock.t,
    sleep: (ms: number) => {
      clock.sleeps.push(ms);
      clock.t += ms;
      return Promise.resolve();
    },
  };
  return clock;
}

const CONFIG: RestConfig = {
  server: "https://kcp.example:6443/clusters/root",
  namespace: "default",
  contextName: "root",
  clusterName: "root",
  userName: "admin",
};

Deno.test("waitForServer backs off from 0.25s to a 5s cap and stops at the deadline", async () => {
  const clock = fakeClock();
  const lines: string[] = [];
  const e = await assertRejects(() =>
    waitForServer({
      connect: () => Promise.resolve(CONFIG),
      target: "unused",
      timeoutMs: 20_000,
      progress: (l) => lines.push(l),
      probe: () => Promise.reject(new Error("connection refused")),
      clock,
    })
  );
  assertTrue(e instanceof ServerWaitTimeoutError);
  assertEquals(clock.sleeps, [250, 500, 1000, 2000, 4000, 5000, 5000, 2250]);
  assertEquals(
    e.message,
    "the server at https://kcp.example:6443/clusters/root did not answer within 20s " +
      "(9 attempts; last error: connection refused)",
  );
  // A line at most every 3s of waiting, each naming the server, the time and the error.
  assertEquals(lines, [
    "Waiting for the server at https://kcp.example:6443/clusters/root to answer (3.8s so far): connection refused",
    "Waiting for the server at https://kcp.example:6443/clusters/root to answer (7.8s so far): connection refused",
    "Waiting for the server at https://kcp.example:6443/clusters/root to answer (12.8s so far): connection refused",
    "Waiting for the server at https://kcp.example:6443/clusters/root to answer (17.8s so far): connection refused",
  ]);
});

Deno.test("waitForServer treats a failing connect() as not ready and names the target", async () => {
  const clock = fakeClock();
  let calls = 0;
  const lines: string[] = [];
  const result = await waitForServer({
    connect: () => {
      calls++;
      if (calls < 5) return Promise.reject(new Error('cannot read kubeconfig file "in.yaml"'));
      return Promise.resolve(CONFIG);
    },
    target: "the server of context 'root' in \"in.yaml\"",
    timeoutMs: 60_000,
    progressEveryMs: 1000,
    progress: (l) => lines.push(l),
    probe: (c) => {
      assertEquals(c.timeoutMs, 10_000, "a per-request limit is always set");
      return Promise.resolve();
    },
    clock,
  });
  assertEquals(result.attempts, 5);
  assertEquals(result.server, CONFIG.server);
  assertEquals(result.elapsedMs, 250 + 500 + 1000 + 2000);
  assertEquals(lines, [
    `Waiting for the server of context 'root' in "in.yaml" to answer (1.8s so far): cannot read kubeconfig file "in.yaml"`,
  ]);
});

Deno.test("waitForServer cuts the request timeout to the time left", async () => {
  const clock = fakeClock();
  const limits: number[] = [];
  await assertRejects(() =>
    waitForServer({
      connect: () => Promise.resolve({ ...CONFIG, timeoutMs: 30_000 }),
      target: "x",
      timeoutMs: 600,
      probe: (c) => {
        limits.push(c.timeoutMs!);
        clock.t += 100;
        return Promise.reject(new Error("503"));
      },
      clock,
    }), /did not answer within 0.6s/);
  assertEquals(limits[0], 600);
  assertTrue(limits.every((l) => l <= 600 && l >= 1), String(limits));
});

Deno.test("formatSeconds", () => {
  assertEquals(formatSeconds(250), "0.3s");
  assertEquals(formatSeconds(59_000), "59s");
  assertEquals(formatSeconds(300_000), "5m");
  assertEquals(formatSeconds(150_000), "2m30s");
});

Deno.test("waitForServer lists namespaces with the credentials until the server answers", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wait-server-" });
  const pki = await makeTestPki(dir);
  let n = 0;
  const server = await startFakeApiServer(pki, (_req, res) => {
    if (++n <= 2) sendStatus(res, 503, "ServiceUnavailable", "not ready");
    else sendJson(res, 200, { kind: "NamespaceList", metadata: {}, items: [] });
  });
  try {
    const result = await waitForServer({
      connect: () =>
        Promise.resolve({
          ...CONFIG,
          server: `${server.url}/clusters/root`,
          caData: pki.caPem,
          token: "s3cret",
        }),
      target: "x",
      timeoutMs: 30_000,
      initialDelayMs: 10,
    });
    assertEquals(result.attempts, 3);
    assertEquals(server.requests.map((r) => r.url), [
      "/clusters/root/api/v1/namespaces?limit=1",
      "/clusters/root/api/v1/namespaces?limit=1",
      "/clusters/root/api/v1/namespaces?limit=1",
    ]);
    assertEquals(server.requests[2].headers.authorization, "Bearer s3cret");
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
