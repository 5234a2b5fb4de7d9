import { parse as parseYaml, parseAllDocuments } from "yaml";
import { assertEquals, assertMatch, assertTrue } from "../../support/assert.ts";
import { UserError } from "../../../lib/cli/errors.ts";
import {
  DEFAULT_MAILBOX_WAIT_MS,
  parsePrepForClusterArgs,
  parsePrepForSyncerArgs,
} from "../../../lib/syncer_prep/prep_args.ts";
import {
  DEFAULT_SYNCER_IMAGE,
  syncerHash,
  syncerId,
} from "../../../lib/syncer_prep/syncer_identity.ts";
import { renderWecManifest } from "../../../lib/syncer_prep/wec_manifest.ts";

const P = "kubectl-kubestellar-prep_for_syncer";

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assertTrue(e instanceof UserError);
    return (e as Error).message;
  }
  throw new Error("did not throw");
}

Deno.test("prep-for-syncer arguments: defaults, flags anywhere, errors", () => {
  const a = parsePrepForSyncerArgs(P, ["demo1", "--imw", "root:imw-1", "-s", "--kubeconfig", "k"]);
  assertEquals(
    [a.syncTargetName, a.imw, a.espw, a.output, a.syncerImage, a.silent, a.waitTimeoutMs],
    [
      "demo1",
      "root:imw-1",
      "root:espw",
      "demo1-syncer.yaml",
      DEFAULT_SYNCER_IMAGE,
      true,
      DEFAULT_MAILBOX_WAIT_MS,
    ],
  );
  assertEquals(a.passThrough, ["--kubeconfig", "k"]);
  assertEquals(
    parsePrepForSyncerArgs(P, ["-o", "x.yaml", "--wait-timeout", "2m", "d"]).waitTimeoutMs,
    120_000,
  );
  assertEquals(
    message(() => parsePrepForSyncerArgs(P, [])),
    `${P}: SyncTarget name was not specified`,
  );
  assertEquals(
    message(() => parsePrepForSyncerArgs(P, ["a", "b"])),
    `${P}: too many positional arguments`,
  );
  assertEquals(
    message(() => parsePrepForSyncerArgs(P, ["a", "-o"])),
    `${P}: missing output filename`,
  );
  assertEquals(
    message(() => parsePrepForSyncerArgs(P, ["a", "--espw"])),
    `${P}: missing ESPW pathname`,
  );
  assertEquals(
    message(() => parsePrepForSyncerArgs(P, ["a", "--context", "x"])),
    `${P}: --context flag not supported`,
  );
  assertMatch(
    message(() => parsePrepForSyncerArgs(P, ["a", "--wait-timeout", "soon"])),
    /is not a duration/,
  );
  const c = parsePrepForClusterArgs("pfc", ["demo2", "key1=val1", "--imw", "imw-1"]);
  assertEquals([c.syncTargetName, c.labels, c.imw], ["demo2", [["key1", "val1"]], "imw-1"]);
  assertEquals(
    message(() => parsePrepForClusterArgs("pfc", ["demo2"])),
    "pfc: must be given at least one label key=value",
  );
});

Deno.test("syncer identity is stable per SyncTarget and fits a namespace name", () => {
  const uid = "406c54d1-64ce-4fdc-99b3-cef9c4fc5010";
  assertMatch(syncerHash(uid), /^[0-9a-z]{8}$/);
  assertEquals(syncerId("demo1", uid), syncerId("demo1", uid));
  assertTrue(syncerId("demo1", uid) !== syncerId("demo1", "other"));
  assertEquals(syncerId("demo1", uid), `kubestellar-syncer-demo1-${syncerHash(uid)}`);
  const long = syncerId("a".repeat(60) + ".example", uid);
  assertTrue(long.length <= 63 && /^[a-z0-9-]+$/.test(long), long);
});

Deno.test("WEC manifest: documents, mailbox kubeconfig, real SyncTarget UID", () => {
  const text = renderWecManifest({
    id: "kubestellar-syncer-d-12345678",
    syncTargetName: "d",
    syncTargetUid: "uid-1",
    image: "img:1",
    server: "https://h:6443/clusters/root:espw:x-mb-uid-1",
    caData: "PEM",
    token: "tok",
  });
  assertTrue(text.startsWith("---\n"));
  const docs = parseAllDocuments(text).map((d) => d.toJS());
  assertEquals(docs.map((d) => d.kind), [
    "Namespace",
    "ServiceAccount",
    "Secret",
    "ClusterRole",
    "ClusterRoleBinding",
    "Secret",
    "Deployment",
  ]);
  const kc = parseYaml(atob(docs[5].data.kubeconfig));
  assertEquals(kc.clusters[0].cluster, {
    server: "https://h:6443/clusters/root:espw:x-mb-uid-1",
    "certificate-authority-data": btoa("PEM"),
  });
  assertEquals(kc.users[0].user.token, "tok");
  const c = docs[6].spec.template.spec.containers[0];
  assertEquals(c.image, "img:1");
  assertTrue(c.args.includes("--sync-target-uid=uid-1"));
  assertEquals(docs[6].spec.strategy.type, "Recreate");
});
