/**
 * Test helper: a fake API server (`tests/support/fake_apiserver.ts`) with a REST client
 * trusting it, both torn down (with their temporary directory) after the test body.
 *
 * @example
 * ```ts
 * await withFakeServerClient(async (server, client) => {
 *   server.handler = (_req, res) => sendJson(res, 200, { items: [] });
 *   await client.list({ version: "v1", resource: "configmaps" });
 * });
 * ```
 *
 * @module
 */
import {
  type FakeApiServer,
  type FakeHandler,
  makeTestPki,
  startFakeApiServer,
} from "../../support/fake_apiserver.ts";
import { type RestClient, restClientFor } from "../../../lib/kube/rest_client.ts";

/** Runs `fn` with a fresh fake server (answering with `handler`) and a client of it. */
export async function withFakeServerClient(
  fn: (server: FakeApiServer, client: RestClient) => Promise<void>,
  handler?: FakeHandler,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "fake-server-client-" });
  const pki = await makeTestPki(dir);
  const server = await startFakeApiServer(pki, handler);
  const client = restClientFor({
    server: server.url,
    caData: pki.caPem,
    token: "t",
    namespace: "default",
    contextName: "test",
    clusterName: "test",
    userName: "test",
  });
  try {
    await fn(server, client);
  } finally {
    client.close();
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
}
