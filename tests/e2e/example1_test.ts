/**
 * The example1 acceptance scenario (controllers-spec §8.1–8.6) end to end on kcp-lite,
 * every command typed as a user types it through kubectl's plugin lookup and every
 * object checked with real kubectl: `kubestellar start`, the inventory and its
 * mailboxes, syncers onboarded with `prep-for-syncer` + `kubectl apply -f`, the two
 * workload management workspaces, where-resolution, SyncerConfigs and projected
 * objects, the customized objects on each edge cluster, singleton reported state,
 * then updates, removals, upsync, a syncer crash and restart, the syncer's removal
 * with `kubectl delete -f`, and `kubestellar stop`.
 *
 * Adapted to our plumbing (design §5): pure kcp (no kube-bind or space manager),
 * mailboxes in `root:espw`, kinds of `edge.kubestellar.io`; the edge clusters are
 * kube-mode kcp-lite servers that run no pods, so the syncers run as local processes
 * and the test writes the `/status` a kubelet would. What only a real cluster's
 * controllers produce (running pods and HTTP pages, a Deployment's ReplicaSet, an
 * APIService's `Available=False` condition) is not checked; the pages are checked as the
 * expanded ConfigMaps the pods would serve.
 */
import { CONTROLLER_REGISTRY } from "../../lib/controllers/registry.ts";
import type { KubeObject } from "../../lib/kube/rest_client.ts";
import { isSameProcessAlive } from "../../lib/process/process_identity.ts";
import { upsyncedObjects } from "../../lib/quickstart/example_workload.ts";
import { assertEquals, assertMatch, assertStringIncludes } from "../support/assert.ts";
import {
  checkEdge,
  checkMailbox,
  eventually,
  Example1Stage,
  expectAll,
  pageHas,
  present,
} from "./example1_fixture.ts";
import {
  cronTabCrd,
  type EdgeName,
  EDGES,
  expectedSyncerConfig,
  placementS,
  sprocketCrd,
  summarizeSyncerConfig,
  wmwCObjects,
  wmwSObjects,
} from "./example1_objects.ts";

type Workspace = KubeObject & { spec: { cluster?: string }; status?: { phase?: string } };

Deno.test("example1: the acceptance scenario end to end through kubectl plugin dispatch", async (t) => {
  const stage = await Example1Stage.start();
  const k = (...args: string[]) => stage.kubectl(...args);
  let broken = false;
  const step = async (name: string, fn: () => Promise<void>) => {
    const ok = await t.step({ name, ignore: broken, fn });
    if (!ok) broken = true;
  };
  const mailbox: Record<string, string> = {};
  const uid: Record<string, string> = {};
  let imwCluster = "";
  try {
    await step("1. kubestellar start: init and the controllers; kubectl ws tree", async () => {
      const out = await k("kubestellar", "start");
      assertStringIncludes(out, "Finished launching KubeStellar ...");
      await k("ws", "root");
      const tree = await k("ws", "tree");
      for (const ws of ["compute", "espw", "imw1", "wmw1"]) {
        assertMatch(tree, new RegExp(`[├└]── ${ws}\\n`));
      }
    });

    await step("2. inventory with ensure location; one Ready mailbox per SyncTarget", async () => {
      for (const [name, labels] of Object.entries(EDGES)) {
        const out = await k(
          "kubestellar",
          "ensure",
          "location",
          "--imw",
          "root:imw1",
          name,
          ...labels,
        );
        assertStringIncludes(out, `synctarget.edge.kubestellar.io/${name} created`);
      }
      await k("ws", "root:imw1");
      const sts = await stage.json<{ items: KubeObject[] }>(
        "get",
        "synctargets.edge.kubestellar.io",
      );
      const locs = await stage.json<{ items: KubeObject[] }>(
        "get",
        "locations.edge.kubestellar.io",
      );
      for (const [name, labels] of Object.entries(EDGES)) {
        const want = Object.fromEntries(labels.map((l) => l.split("=")));
        const st = sts.items.find((o) => o.metadata?.name === name)!;
        const loc = locs.items.find((o) => o.metadata?.name === name)!;
        assertEquals(st.metadata?.labels, { ...want, id: name });
        assertEquals(loc.metadata?.labels, want);
        assertEquals((loc.spec as { instanceSelector?: unknown }).instanceSelector, {
          matchLabels: { id: name },
        });
        uid[name] = st.metadata!.uid!;
      }
      assertEquals(locs.items.map((o) => o.metadata?.name).sort(), ["florin", "guilder"]);
      await k("ws", "root");
      imwCluster = (await stage.json<Workspace>("get", "workspaces.tenancy.kcp.io", "imw1")).spec
        .cluster!;
      await k("ws", "root:espw");
      await eventually("two Ready mailboxes", async () => {
        const list = await stage.json<{ items: Workspace[] }>("get", "workspaces.tenancy.kcp.io");
        const boxes = list.items.filter((w) => w.metadata?.name?.includes("-mb-"));
        const ready = boxes.filter((w) => w.status?.phase === "Ready");
        if (boxes.length !== 2 || ready.length !== 2) {
          return `${ready.length} of ${boxes.length} mailboxes Ready`;
        }
        for (const w of boxes) {
          const st = w.metadata?.annotations?.["edge.kubestellar.io/sync-target-name"] ?? "";
          mailbox[st] = w.metadata!.name!;
        }
        return true;
      });
      for (const name of Object.keys(EDGES)) {
        assertEquals(mailbox[name], `${imwCluster}-mb-${uid[name]}`);
      }
    });

    await step(
      "3. prep-for-syncer, kubectl apply -f <name>-syncer.yaml, syncers running",
      async () => {
        for (const name of Object.keys(EDGES) as EdgeName[]) {
          const r = await stage.run("kubestellar", "prep-for-syncer", "--imw", "root:imw1", name);
          assertEquals(r.code, 0, r.stderr);
          assertStringIncludes(r.stderr, `Wrote WEC manifest to ${name}-syncer.yaml`);
          const applied = await stage.wec(name, "apply", "-f", `${name}-syncer.yaml`);
          assertMatch(
            applied,
            new RegExp(`deployment\\.apps/kubestellar-syncer-${name}-\\w+ created`),
          );
          assertMatch(applied, /^namespace\/kubestellar-syncer-/m);
          await stage.startSyncer(name);
        }
        for (const name of Object.keys(EDGES) as EdgeName[]) await stage.syncerStarted(name);
      },
    );

    await step("4. wmw-c and wmw-s with ensure wmw and kubectl apply -f (§8.2)", async () => {
      await k("ws", "root");
      assertStringIncludes(
        await k("kubestellar", "ensure", "wmw", "wmw-c"),
        'Current workspace is "root:wmw-c"',
      );
      const c = await k("apply", "-f", await stage.manifest("wmw-c.yaml", wmwCObjects()));
      assertStringIncludes(c, "replicaset.apps/commond created");
      assertStringIncludes(c, "edgeplacement.edge.kubestellar.io/edge-placement-c created");
      await k("ws", "root");
      await k("kubestellar", "ensure", "wmw", "wmw-s");
      await k("apply", "-f", await stage.manifest("crontab-crd.yaml", [cronTabCrd()]));
      await k("wait", "--for=condition=Established", "crd/crontabs.stable.example.com");
      const s = await k("apply", "-f", await stage.manifest("wmw-s.yaml", wmwSObjects()));
      for (
        const line of [
          "crontab.stable.example.com/my-new-cron-object created",
          "deployment.apps/speciald created",
          "apiservice.apiregistration.k8s.io/v1090.example.my created",
          "edgeplacement.edge.kubestellar.io/edge-placement-s created",
        ]
      ) assertStringIncludes(s, line);
    });

    await step(
      "5. SinglePlacementSlices, SyncerConfigs, projected objects (§8.2, §8.3)",
      async () => {
        const dest = (name: string) => ({
          cluster: imwCluster,
          locationName: name,
          syncTargetName: name,
          syncTargetUID: uid[name],
        });
        for (
          const [wmw, ep, names] of [
            ["wmw-c", "edge-placement-c", ["florin", "guilder"]],
            ["wmw-s", "edge-placement-s", ["guilder"]],
          ] as const
        ) {
          await k("ws", `root:${wmw}`);
          await eventually(`SPS ${ep}`, async () => {
            const r = await stage.run(
              "get",
              "singleplacementslices.edge.kubestellar.io",
              ep,
              "-o",
              "json",
            );
            if (r.code !== 0) return r.stderr.trim();
            const sps = JSON.parse(r.stdout);
            const got = JSON.stringify(sps.destinations);
            if (got !== JSON.stringify(names.map(dest))) return `destinations ${got}`;
            assertEquals(sps.metadata.ownerReferences?.map((o: KubeObject) => [o.kind, o.name]), [[
              "EdgePlacement",
              ep,
            ]]);
            return true;
          });
        }
        for (const name of Object.keys(EDGES) as EdgeName[]) {
          await k("ws", `root:espw:${mailbox[name]}`);
          const want = expectedSyncerConfig(name);
          let got: unknown;
          await eventually(`SyncerConfig the-one in ${name}'s mailbox`, async () => {
            const r = await stage.run(
              "get",
              "syncerconfigs.edge.kubestellar.io",
              "the-one",
              "-o",
              "json",
            );
            if (r.code !== 0) return r.stderr.trim();
            got = summarizeSyncerConfig(JSON.parse(r.stdout).spec);
            return JSON.stringify(got) === JSON.stringify(want) ? true : JSON.stringify(got);
          });
          assertEquals(got, want);
          await checkMailbox(stage, name);
        }
        await k("ws", "root");
        const rs = await stage.listSyncing("--api-group", "apps", "--api-kind", "ReplicaSet");
        assertEquals(rs.filter((o) => o.metadata?.name === "commond").length, 2);
        const clusters = new Set(rs.map((o) => o.metadata?.annotations?.["kcp.io/cluster"]));
        assertEquals(clusters.size, 2);
        const bindings = await stage.listSyncing(
          ...[
            "--api-group",
            "apis.kcp.io",
            "--api-version",
            "v1alpha1",
            "--api-kind",
            "APIBinding",
          ],
        );
        assertEquals(bindings.filter((o) => o.metadata?.name === "bind-apps").length >= 2, true);
      },
    );

    await step("6. edge effects on each WEC, customized (§8.4)", async () => {
      await checkEdge(stage, "florin");
      await checkEdge(stage, "guilder");
      assertEquals(await stage.get("florin", "namespace", "specialstuff"), undefined);
    });

    await step("7. singleton reported state (§8.5)", async () => {
      await k("ws", "root:wmw-c");
      await eventually("executing-count 2 on commond", async () => {
        const rs = await stage.json("get", "replicaset", "-n", "commonstuff", "commond");
        const n = rs.metadata?.annotations?.["kubestellar.io/executing-count"];
        return n === "2" ? true : `executing-count ${n}`;
      });
      const status = { replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1 };
      await stage.wec(
        "guilder",
        ...["patch", "deployment", "speciald", "-n", "specialstuff", "--subresource=status"],
        ...["--type=merge", "-p", JSON.stringify({ status })],
      );
      await k("ws", "root:wmw-s");
      await eventually("speciald: executing-count 1 and guilder's status", async () => {
        const d = await stage.json("get", "deployment", "-n", "specialstuff", "speciald");
        const n = d.metadata?.annotations?.["kubestellar.io/executing-count"];
        const ready = (d.status as { readyReplicas?: number } | undefined)?.readyReplicas;
        return n === "1" && ready === 1 ? true : `executing-count ${n}, readyReplicas ${ready}`;
      });
    });

    await step("8a. updates and removals flow down", () => updateAndRemoval(stage, mailbox));
    await step("8b. upsync and a syncer crash and restart", () => upsyncAndRestart(stage, mailbox));

    await step(
      "8c. kubectl delete -f guilder-syncer.yaml removes the syncer's objects",
      async () => {
        const listed = ["get", "-f", "guilder-syncer.yaml", "--ignore-not-found", "-o", "name"];
        assertMatch(
          await stage.wec("guilder", ...listed),
          /^deployment\.apps\/kubestellar-syncer-/m,
        );
        await stage.wec("guilder", "delete", "-f", "guilder-syncer.yaml", "--timeout=30s");
        await stage.killSyncer("guilder", "SIGTERM"); // its pod is gone
        assertEquals(await stage.wec("guilder", ...listed), "");
        const rs = await stage.get("guilder", "replicaset", "-n", "commonstuff", "commond");
        assertEquals(rs?.metadata?.name, "commond", "downsynced objects stay");
      },
    );

    await step("9. kubestellar stop", async () => {
      const records = [];
      for await (const e of Deno.readDir(stage.stateDir)) {
        if (e.name.endsWith(".pid.json")) {
          records.push(JSON.parse(await Deno.readTextFile(`${stage.stateDir}/${e.name}`)));
        }
      }
      assertEquals(records.length, CONTROLLER_REGISTRY.length, "one record per hosted controller");
      await k("kubestellar", "stop");
      for (const rec of records) {
        await eventually(`controller ${rec.pid} gone`, async () => {
          return await isSameProcessAlive(rec) ? "still running" : true;
        });
      }
      const left = (await Array.fromAsync(Deno.readDir(stage.stateDir))).map((e) => e.name);
      assertEquals(left.filter((n) => n.endsWith(".pid.json")), []);
    });
  } finally {
    if (broken) {
      for (const name of Object.keys(EDGES) as EdgeName[]) {
        console.error(`--- syncer log ${name}:\n${(await stage.syncerLog(name)).slice(-3000)}`);
      }
    }
    await stage.stop();
  }
});

/** §8.6 "EP/object removed" and updates: a ConfigMap change, a CronTab dropped from wmw-s's EP. */
async function updateAndRemoval(stage: Example1Stage, mailbox: Record<string, string>) {
  await stage.kubectl("ws", "root:wmw-c");
  await stage.kubectl(
    ...["patch", "configmap", "httpd-htdocs", "-n", "commonstuff", "--type=merge", "-p"],
    JSON.stringify({ data: { "index.html": "Version 2. Running in %(loc-name).\n" } }),
  );
  for (const name of Object.keys(EDGES) as EdgeName[]) {
    await expectAll(stage, name, `version 2 on ${name}`, [
      [
        ["configmap", "-n", "commonstuff", "httpd-htdocs"],
        pageHas(`Version 2. Running in ${name}.`),
      ],
    ]);
  }
  await stage.kubectl("ws", "root:wmw-s");
  await stage.kubectl("apply", "-f", await stage.manifest("sprocket-crd.yaml", [sprocketCrd()]));
  const ep = placementS({ withCronTab: false, withSprockets: true });
  assertStringIncludes(
    await stage.kubectl("apply", "-f", await stage.manifest("ep-s-2.yaml", [ep])),
    "edgeplacement.edge.kubestellar.io/edge-placement-s configured",
  );
  const cron = ["crontabs.stable.example.com", "-n", "specialstuff", "my-new-cron-object"];
  await stage.kubectl("ws", `root:espw:${mailbox.guilder}`);
  await eventually("CronTab gone from guilder's mailbox and guilder", async () => {
    if (await stage.get("hub", ...cron)) return "still in the mailbox";
    if (await stage.get("guilder", ...cron)) return "still on guilder";
    return true;
  });
  await expectAll(stage, "guilder", "Sprocket CRD downsynced to guilder", [
    [["crd", "sprockets.group1.test"], present],
  ]);
}

/** Upsync of Sprockets from guilder, and a syncer crash: nothing lost or duplicated. */
async function upsyncAndRestart(stage: Example1Stage, mailbox: Record<string, string>) {
  const [orbital, george] = upsyncedObjects();
  await stage.wec("guilder", "apply", "-f", await stage.manifest("george.yaml", [orbital, george]));
  await stage.kubectl("ws", `root:espw:${mailbox.guilder}`);
  const sprocketUids = async () => {
    const list = await stage.get("hub", "sprockets.group1.test", "-n", "orbital");
    const items = (list as { items?: KubeObject[] } | undefined)?.items ?? [];
    return new Map(items.map((o) => [o.metadata!.name!, o.metadata!.uid!]));
  };
  const sprockets = async () => [...(await sprocketUids()).keys()].sort();
  await eventually("george upsynced to guilder's mailbox", async () => {
    const names = await sprockets();
    return names.includes("george") ? true : `sprockets ${names}`;
  });
  const ids = async () => {
    const out: string[] = [];
    for (const kind of ["replicasets", "deployments", "configmaps"]) {
      const list = await stage.get("guilder", kind, "-A");
      for (const o of (list as { items: KubeObject[] }).items) {
        if (o.metadata?.annotations?.["edge.kubestellar.io/downsynced"] !== undefined) {
          out.push(`${kind}:${o.metadata.namespace}/${o.metadata.name}:${o.metadata.uid}`);
        }
      }
    }
    return out.sort();
  };
  const before = await ids();
  assertEquals(before.length, 4, before.join(", "));
  const georgeUid = (await sprocketUids()).get("george");
  await stage.killSyncer("guilder");
  const cosmo = { ...george, metadata: { namespace: "orbital", name: "cosmo" } };
  await stage.wec("guilder", "apply", "-f", await stage.manifest("cosmo.yaml", [cosmo]));
  await stage.kubectl("ws", "root:wmw-c");
  await stage.kubectl(
    ...["patch", "configmap", "httpd-htdocs", "-n", "commonstuff", "--type=merge", "-p"],
    JSON.stringify({ data: { "index.html": "Version 3. Running in %(loc-name).\n" } }),
  );
  await stage.startSyncer("guilder");
  await stage.syncerStarted("guilder");
  await expectAll(stage, "guilder", "version 3 on guilder after the restart", [
    [["configmap", "-n", "commonstuff", "httpd-htdocs"], pageHas("Version 3. Running in guilder.")],
  ]);
  await stage.kubectl("ws", `root:espw:${mailbox.guilder}`);
  await eventually("cosmo upsynced after the restart", async () => {
    const names = await sprockets();
    return names.length === 2 ? true : `sprockets ${names}`;
  });
  assertEquals(await sprockets(), ["cosmo", "george"]);
  assertEquals((await sprocketUids()).get("george"), georgeUid, "george was not re-created");
  assertEquals(await ids(), before, "no downsynced object was re-created");
}
