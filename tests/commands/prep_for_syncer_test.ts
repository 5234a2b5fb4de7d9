import { parse as parseYaml, parseAllDocuments } from "yaml";
import { join } from "node:path";
import { assertEquals, assertMatch, assertStringIncludes, assertTrue } from "../support/assert.ts";
import { pluginUser } from "../support/plugin_path.ts";
import {
  addMailbox,
  eventually,
  putSyncerConfig,
  startHub,
  startWec,
  SYNC_TARGETS,
} from "../lib/syncer/hub_fixture.ts";
import { syncerId } from "../../lib/syncer_prep/syncer_identity.ts";
import type { KubeObject } from "../../lib/kube/rest_client.ts";
import { EDGE_API_VERSION } from "../../lib/edge/api_types.ts";
import { freeLoopbackPort as freePort } from "../../lib/net/free_port.ts";

const SA = { version: "v1", resource: "serviceaccounts", namespace: "default" };

Deno.test("prep-for-syncer: mailbox identity, WEC manifest applied and deleted with kubectl, re-runs replace", async () => {
  const hub = await startHub();
  const user = await pluginUser(hub.cp.kubeconfigPath);
  const wec = await startWec();
  const mb = await addMailbox(hub, "florin");
  try {
    const r = await user.kubectl("kubestellar", "prep-for-syncer", "--imw", "root:imw1", "florin");
    assertEquals(r.code, 0, r.stderr);
    const id = syncerId("florin", mb.syncTargetUid);
    // The document's lines (its example), the mailbox entered by name with its type.
    assertEquals(r.stdout.split("\n"), [
      `Current workspace is "root:imw1".`,
      `Current workspace is "root:espw".`,
      `Current workspace is "${mb.path}" (type root:universal).`,
      `Current workspace is "root".`,
      "",
    ]);
    assertEquals(r.stderr.split("\n"), [
      `Creating service account "${id}"`,
      `Creating cluster role "${id}" to give service account "${id}"`,
      "",
      ` 1. write and sync access to the synctarget "${id}"`,
      " 2. write access to apiresourceimports.",
      "",
      `Creating or updating cluster role binding "${id}" to bind service account "${id}" to cluster role "${id}".`,
      "",
      `Wrote WEC manifest to florin-syncer.yaml for namespace "${id}". Use`,
      "",
      `  KUBECONFIG=<workload-execution-cluster-config> kubectl apply -f "florin-syncer.yaml"`,
      "",
      "to apply it. Use",
      "",
      `  KUBECONFIG=<workload-execution-cluster-config> kubectl get deployment -n "${id}" ${id}`,
      "",
      "to verify the syncer pod is running.",
      "",
    ]);
    const file = join(user.dir, "florin-syncer.yaml");
    assertEquals((await Deno.stat(file)).mode! & 0o777, 0o600);
    const docs = parseAllDocuments(await Deno.readTextFile(file)).map((d) => d.toJS());
    assertEquals(
      docs.map((d) => `${d.kind}/${d.metadata.name}`),
      [
        `Namespace/${id}`,
        `ServiceAccount/${id}`,
        `Secret/${id}-token`,
        `ClusterRole/${id}`,
        `ClusterRoleBinding/${id}`,
        `Secret/${id}`,
        `Deployment/${id}`,
      ],
    );
    const dep = docs[6];
    assertTrue(
      dep.spec.template.spec.containers[0].args.includes(`--sync-target-uid=${mb.syncTargetUid}`),
    );

    // Re-run: same identity, updated in place, nothing piles up.
    const again = await user.kubectl(
      "kubestellar",
      "prep-for-syncer",
      "--imw",
      "root:imw1",
      "-s",
      "florin",
    );
    assertEquals(again.code, 0, again.stderr);
    assertEquals(again.stdout + again.stderr, "");
    const sas = (await mb.client.list<KubeObject>(SA)).items.map((o) => o.metadata?.name);
    assertEquals(sas.filter((n) => n?.startsWith("kubestellar-syncer-")), [id]);

    // The manifest's kubeconfig reaches the mailbox as the syncer's service account.
    const kubeconfigText = atob(docs[5].data.kubeconfig);
    const mbKubeconfig = join(user.dir, "mailbox.kubeconfig");
    await Deno.writeTextFile(mbKubeconfig, kubeconfigText);
    assertEquals(parseYaml(kubeconfigText).clusters[0].cluster.server.endsWith(mb.path), true);
    await mb.client.create({ version: "v1", resource: "configmaps", namespace: "default" }, {
      metadata: { name: "hello" },
      data: { a: "b" },
    });
    await putSyncerConfig(mb, {
      namespacedObjects: [{
        group: "",
        resource: "configmaps",
        apiVersion: "v1",
        objectsByNamespace: [{ namespace: "default", names: ["hello"] }],
      }],
    });
    // The `kubestellar syncer` process (the container's entrypoint) with that kubeconfig.
    const port = freePort();
    const args = [
      "--from-kubeconfig",
      mbKubeconfig,
      "--to-kubeconfig",
      wec.cluster.kubeconfigPath,
      ...dep.spec.template.spec.containers[0].args.filter((a: string) =>
        !a.startsWith("--from-kubeconfig")
      ),
      "--metrics-bind-address",
      `127.0.0.1:${port}`,
    ];
    const child = new Deno.Command(join(user.env.PATH.split(":")[0], "kubestellar"), {
      args: ["syncer", ...args],
      env: user.env,
      clearEnv: true,
      stdout: "null",
      stderr: "piped",
    }).spawn();
    try {
      await eventually(
        "the ConfigMap in the WEC",
        () =>
          wec.client.get({
            version: "v1",
            resource: "configmaps",
            namespace: "default",
            name: "hello",
          })
            .catch(() => undefined),
      );
      const ready = await eventually(
        "/readyz",
        () => fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.text()).catch(() => undefined),
      );
      assertEquals(ready, "ok");
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      assertStringIncludes(metrics, 'syncer_wec_writes_total{action="create"}');
    } finally {
      child.kill("SIGTERM");
    }
    const status = await child.status;
    const log = await new Response(child.stderr).text();
    assertEquals(status.code, 0, log);
    assertStringIncludes(log, "syncer started");
    assertTrue(!log.includes(parseYaml(kubeconfigText).users[0].user.token), "no token in the log");

    // kubectl apply -f / delete -f against the WEC.
    const wecKc = ["--kubeconfig", wec.cluster.kubeconfigPath];
    const applied = await user.kubectl(...wecKc, "apply", "-f", file);
    assertEquals(applied.code, 0, applied.stderr);
    assertStringIncludes(applied.stdout, `deployment.apps/${id} created`);
    const got = await user.kubectl(...wecKc, "get", "deployment", "-n", id, id, "-o", "name");
    assertEquals(got.stdout.trim(), `deployment.apps/${id}`);
    // (kcp-lite empties a deleted namespace at once, so later documents may be gone already.)
    const deleted = await user.kubectl(...wecKc, "delete", "-f", file, "--ignore-not-found");
    assertEquals(deleted.code, 0, deleted.stderr);
    for (const kind of ["clusterrole", "clusterrolebinding", "namespace"]) {
      const left = await user.kubectl(
        ...wecKc,
        "get",
        kind,
        id,
        "--ignore-not-found",
        "-o",
        "name",
      );
      assertEquals(left.stdout, "", `${kind} ${id} removed`);
    }
  } finally {
    mb.client.close();
    await wec.stop();
    await user.cleanup();
    await hub.stop();
  }
});

Deno.test("prep-for-syncer: missing SyncTarget, missing mailbox (bounded wait), unwritable -o", async () => {
  const hub = await startHub();
  const user = await pluginUser(hub.cp.kubeconfigPath);
  try {
    const prog = "kubectl-kubestellar-prep_for_syncer";
    const missing = await user.kubectl(
      "kubestellar",
      "prep-for-syncer",
      "--imw",
      "root:imw1",
      "nope",
    );
    assertEquals(missing.code, 1);
    assertMatch(
      missing.stderr,
      new RegExp(`^${prog}: SyncTarget "nope" not found in workspace root:imw1[^\\n]*\\n$`),
    );
    const imw = hub.admin.withCluster("root:imw1");
    await imw.create(SYNC_TARGETS, {
      apiVersion: EDGE_API_VERSION,
      kind: "SyncTarget",
      metadata: { name: "lonely" },
      spec: {},
    });
    imw.close();
    const noMailbox = await user.kubectl(
      "kubestellar",
      "prep-for-syncer",
      "--imw",
      "root:imw1",
      "--wait-timeout",
      "1s",
      "lonely",
    );
    assertEquals(noMailbox.code, 5);
    assertMatch(
      noMailbox.stderr,
      /did not find the mailbox workspace root:espw:\S+-mb-\S+ ready within 1s[^\n]*mailbox controller running\?\n$/,
    );
    const unwritable = await user.kubectl(
      "kubestellar",
      "prep-for-syncer",
      "--imw",
      "root:imw1",
      "-o",
      "/nonexistent-dir/x.yaml",
      "lonely",
    );
    assertEquals(unwritable.code, 1);
    assertMatch(
      unwritable.stderr,
      /^[^\n]*cannot write the output file \/nonexistent-dir\/x\.yaml[^\n]*\n$/,
    );
    for (const f of ["nope-syncer.yaml", "lonely-syncer.yaml"]) {
      assertEquals(await Deno.stat(join(user.dir, f)).then(() => true, () => false), false);
    }
    const ctx = await user.kubectl("kubestellar", "prep-for-syncer", "--context", "root", "x");
    assertEquals(ctx.code, 1);
    assertStringIncludes(ctx.stderr, "--context flag not supported");
  } finally {
    await user.cleanup();
    await hub.stop();
  }
});
