/**
 * The UI's clients can only read: writes throw before any request, on derived clients
 * too, while reads go out.
 *
 * @module
 */
import { restClientFor } from "../../lib/kube/rest_client.ts";
import { ConnectionError } from "../../lib/kube/rest_errors.ts";
import { readOnly, ReadOnlyViolation } from "../../lib/ui/read_only_client.ts";
import { assertEquals, assertRejects, assertTrue } from "../support/assert.ts";

Deno.test("a read-only client refuses every write and lets reads through", async () => {
  const base = restClientFor({
    server: "https://127.0.0.1:9/clusters/root",
    namespace: "default",
    contextName: "",
    clusterName: "",
    userName: "",
    timeoutMs: 2_000,
  });
  const client = readOnly(base);
  const derived = client.withCluster("root:espw");
  const ref = { version: "v1", resource: "configmaps", namespace: "ns", name: "cm" };
  try {
    for (const c of [client, derived]) {
      const writes: [string, () => unknown][] = [
        ["create", () => c.create(ref, {})],
        ["update", () => c.update(ref, {})],
        ["patch", () => c.patch(ref, {}, "merge")],
        ["delete", () => c.delete(ref)],
        ["updateStatus", () => c.updateStatus(ref, {})],
        ["request POST", () => c.request("POST", "/api/v1/namespaces")],
        ["requestJson PUT", () => c.requestJson("PUT", "/api/v1/namespaces/x")],
      ];
      for (const [what, write] of writes) {
        let thrown: unknown;
        try {
          write();
        } catch (e) {
          thrown = e;
        }
        assertTrue(thrown instanceof ReadOnlyViolation, `${what} is refused`);
      }
      // Reads are sent (and fail only because nothing listens there).
      const e = await assertRejects(() => c.list(ref));
      assertTrue(e instanceof ConnectionError, e.message);
    }
    assertEquals(derived.server, "https://127.0.0.1:9/clusters/root:espw");
  } finally {
    derived.close();
    client.close();
  }
});
