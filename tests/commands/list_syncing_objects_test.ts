import { join } from "node:path";
import { assertEquals, assertStringIncludes, assertTrue } from "../support/assert.ts";
import { pluginUser } from "../support/plugin_path.ts";
import { addMailbox, startHub } from "../lib/syncer/hub_fixture.ts";
import type { KubeObject } from "../../lib/kube/rest_client.ts";

const CM = (ns: string) => ({ version: "v1", resource: "configmaps", namespace: ns });

Deno.test("kubestellar-list-syncing-objects: one-shot YAML and JSON across mailboxes, watch with Action", async () => {
  const hub = await startHub();
  const user = await pluginUser(hub.cp.kubeconfigPath);
  const florin = await addMailbox(hub, "florin");
  const guilder = await addMailbox(hub, "guilder");
  try {
    await florin.client.create(CM("default"), {
      metadata: { name: "cm-florin" },
      data: { a: "1" },
    });
    await guilder.client.create(CM("default"), {
      metadata: { name: "cm-guilder" },
      data: { b: "2" },
    });
    const kc = user.kubeconfig;
    const flags = ["--all-kubeconfig", kc, "--parent-kubeconfig", kc, "--api-kind", "ConfigMap"];

    const json = await user.run("kubestellar-list-syncing-objects", [...flags, "--json"]);
    assertEquals(json.code, 0, json.stderr);
    const objs = json.stdout.trim().split("\n").map((l) => JSON.parse(l) as KubeObject);
    const ours = objs.filter((o) => o.metadata?.name?.startsWith("cm-"));
    assertEquals(ours.map((o) => o.metadata?.name).sort(), ["cm-florin", "cm-guilder"]);
    assertEquals(ours.map((o) => o.kind), ["ConfigMap", "ConfigMap"]);
    assertEquals(
      new Set(ours.map((o) => o.metadata?.annotations?.["kcp.io/cluster"])).size,
      2,
      "two distinct mailboxes",
    );
    assertTrue(objs.every((o) => !("Action" in o)));

    const yaml = await user.run("kubestellar-list-syncing-objects", flags);
    assertEquals(yaml.code, 0, yaml.stderr);
    assertTrue(yaml.stdout.startsWith("---\napiVersion: v1\n"));
    assertStringIncludes(yaml.stdout, "  name: cm-florin\n");
    assertEquals(yaml.stdout.match(/^---$/gm)?.length, objs.length);

    const missing = await user.run("kubestellar-list-syncing-objects", ["--all-kubeconfig", kc]);
    assertEquals(missing.code, 2);
    assertStringIncludes(missing.stderr, "--api-kind is required");

    // --watch: initial adds, then update and delete, until SIGTERM.
    const child = new Deno.Command(
      join(user.env.PATH.split(":")[0], "kubestellar-list-syncing-objects"),
      {
        args: [...flags, "--json", "--watch"],
        env: user.env,
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      },
    ).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = "";
    const events: Array<{ Action: string; name: string }> = [];
    const until = async (pred: () => boolean) => {
      while (!pred()) {
        const { value, done } = await reader.read();
        if (done) throw new Error("watch ended early");
        buffered += value;
        let nl;
        while ((nl = buffered.indexOf("\n")) >= 0) {
          const o = JSON.parse(buffered.slice(0, nl));
          buffered = buffered.slice(nl + 1);
          events.push({ Action: o.Action, name: o.metadata.name });
        }
      }
    };
    const seen = (a: string, n: string) => () => events.some((e) => e.Action === a && e.name === n);
    await until(() => seen("add", "cm-florin")() && seen("add", "cm-guilder")());
    await florin.client.patch(
      { ...CM("default"), name: "cm-florin" },
      { data: { a: "9" } },
      "merge",
    );
    await until(seen("update", "cm-florin"));
    await guilder.client.delete({ ...CM("default"), name: "cm-guilder" });
    await until(seen("delete", "cm-guilder"));
    child.kill("SIGTERM");
    await reader.cancel();
    const status = await child.status;
    await child.stderr.cancel();
    assertEquals(status.code, 0);
  } finally {
    florin.client.close();
    guilder.client.close();
    await user.cleanup();
    await hub.stop();
  }
});
