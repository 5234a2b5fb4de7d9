import { assertEquals, assertStringIncludes, assertTrue } from "../../support/assert.ts";
import { UsageError, UserError } from "../../../lib/cli/errors.ts";
import { parseSyncerArgs } from "../../../lib/syncer/syncer_command.ts";
import { parseListSyncingArgs } from "../../../lib/syncer/list_syncing_command.ts";
import { inClusterConfig } from "../../../lib/syncer/in_cluster_config.ts";
import { formatObject, isMailboxName } from "../../../lib/syncer/list_syncing_objects.ts";

function throws(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("did not throw");
}

Deno.test("syncer flags: both spellings, required ones, -v", () => {
  const a = parseSyncerArgs("syncer", [
    "--from-kubeconfig=/k",
    "--sync-target-name",
    "st",
    "--sync-target-uid=u",
    "--v=3",
    "--qps=20",
  ]);
  assertEquals([a.fromKubeconfig, a.syncTargetName, a.syncTargetUid, a.verbosity], [
    "/k",
    "st",
    "u",
    3,
  ]);
  assertEquals(a.toKubeconfig, undefined);
  const e = throws(() =>
    parseSyncerArgs("syncer", ["--from-kubeconfig", "/k", "--sync-target-name", "st"])
  );
  assertTrue(e instanceof UsageError);
  assertEquals(e.message, "syncer: --sync-target-uid is required");
  assertEquals(
    throws(() => parseSyncerArgs("syncer", ["--bogus"])).message,
    "syncer: unknown flag: --bogus",
  );
  assertEquals(
    throws(() => parseSyncerArgs("syncer", ["--from-kubeconfig"])).message,
    "syncer: flag needs an argument: --from-kubeconfig",
  );
});

Deno.test("list-syncing-objects flags: defaults, resource from kind, client groups", () => {
  const a = parseListSyncingArgs("p", [
    "--api-group",
    "apps",
    "--api-kind",
    "ReplicaSet",
    "--watch",
    "--all-context=x",
  ]);
  assertEquals(a.resource, { group: "apps", version: "v1", resource: "replicasets" });
  assertEquals([a.watch, a.json, a.all.context, a.parent.context], [true, false, "x", "root"]);
  assertEquals(
    parseListSyncingArgs("p", ["--api-kind", "Foo", "--api-resource", "fooz"]).resource.resource,
    "fooz",
  );
  assertStringIncludes(
    throws(() => parseListSyncingArgs("p", [])).message,
    "--api-kind is required",
  );
  assertTrue(isMailboxName("abc-mb-1234"));
  assertTrue(!isMailboxName("abc-mb-1-mb-2"));
  assertTrue(!isMailboxName("espw"));
  assertEquals(
    formatObject({ kind: "K", metadata: { name: "n" } }, true, "add"),
    '{"Action":"add","kind":"K","metadata":{"name":"n"}}\n',
  );
  assertEquals(formatObject({ kind: "K" }, false), "---\nkind: K\n\n");
});

Deno.test("in-cluster configuration: from the mounted service account, or a clear error", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/token`, "tok\n");
    await Deno.writeTextFile(`${dir}/ca.crt`, "PEM");
    await Deno.writeTextFile(`${dir}/namespace`, "ns1");
    const env: Record<string, string> = {
      KUBERNETES_SERVICE_HOST: "10.0.0.1",
      KUBERNETES_SERVICE_PORT: "443",
    };
    const c = await inClusterConfig(dir, (n) => env[n]);
    assertEquals([c.server, c.token, c.caData, c.namespace], [
      "https://10.0.0.1:443",
      "tok",
      "PEM",
      "ns1",
    ]);
    let e: unknown;
    await inClusterConfig(dir, () => undefined).catch((x) => (e = x));
    assertTrue(e instanceof UserError);
    assertStringIncludes((e as Error).message, "--to-kubeconfig");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
