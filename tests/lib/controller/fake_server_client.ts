/**
 * Test helper: a fake API server (`tests/support/fake_apiserver.ts`) with a REST client
 * trusting it, both torn down (with their temporary directory) after the test body, and
 * the connection settings of such a server.
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
import type { RestConfig } from "../../../lib/kube/rest_config.ts";

/** Connection settings for `server`: its CA, token "t", context "test"; `overrides` win. */
export function fakeServerConfig(
  server: FakeApiServer,
  overrides: Partial<RestConfig> = {},
): RestConfig {
  return {
    server: server.url,
    caData: server.pki.caPem,
    token: "t",
    namespace: "default",
    contextName: "test",
    clusterName: "test",
    userName: "test",
    ...overrides,
  };
}

/** Runs `fn` with a fresh fake server (answering with `handler`) and a client of it. */
export async function withFakeServerClient(
  fn: (server: FakeApiServer, client: RestClient) => Promise<void>,
  handler?: FakeHandler,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "fake-server-client-" });
  const pki = await makeTestPki(dir);
  const server = await startFakeApiServer(pki, handler);
  const client = restClientFor(fakeServerConfig(server));
  try {
    await fn(server, client);
  } finally {
    client.close();
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
}
