/**
 * `kubestellar-list-syncing-objects` output read back by real kubectl (strings that YAML
 * 1.1 readers take for bools, numbers or timestamps stay strings), and `--watch` reporting
 * a mailbox that does not serve the kind once per change, not once per retry.
 *
 * @module
 */
import { join } from "node:path";
import { assertEquals, assertMatch } from "../support/assert.ts";
import { eventually } from "../support/eventually.ts";
import { kubeTools } from "../support/kube_tools.ts";
import { pluginUser } from "../support/plugin_path.ts";
import { addMailbox, startHub } from "../lib/syncer/hub_fixture.ts";
import { widgetCrd } from "../lib/kcplite/api/crd_fixture.ts";
import { MailboxProblems } from "../../lib/syncer/list_syncing_objects.ts";
import { ApiError } from "../../lib/kube/rest_errors.ts";

/** Values a YAML 1.1 reader (go-yaml v2, as in kubectl) would not read back as strings. */
const TRICKY = {
  yes: "yes",
  on: "on",
  off: "Off",
  y: "y",
  octal: "007",
  gooctal: "0o17",
  underscored: "1_000",
  hex: "0x1F",
  float: "1e3",
  date: "2023-05-19",
  stamp: "2023-05-19T02:54:01Z",
  tilde: "~",
  null: "null",
  sexagesimal: "1:20",
  plain: "plain",
};

Deno.test("list-syncing-objects YAML round-trips through kubectl create --dry-run=client", async () => {
  const hub = await startHub();
  const user = await pluginUser(hub.cp.kubeconfigPath);
  const florin = await addMailbox(hub, "florin");
  const { kubectl } = await kubeTools();
  try {
    await florin.client.create({ version: "v1", resource: "configmaps", namespace: "default" }, {
      metadata: { name: "tricky", labels: { a: "yes", b: "007", c: "on", d: "1_000" } },
      data: TRICKY,
    });
    const kc = user.kubeconfig;
    const list = await user.run("kubestellar-list-syncing-objects", [
      "--all-kubeconfig",
      kc,
      "--parent-kubeconfig",
      kc,
      "--api-group",
      "",
      "--api-kind",
      "ConfigMap",
    ]);
    assertEquals(list.code, 0, list.stderr);
    // Only our object: kubectl creates what it is given, in the user's namespace.
    const docs = list.stdout.split(/^---\n/m).filter((d) => d.includes("name: tricky\n"));
    assertEquals(docs.length, 1, list.stdout);
    const file = join(user.dir, "tricky.yaml");
    await Deno.writeTextFile(file, `---\n${docs[0]}`);
    const created = await new Deno.Command("sh", {
      args: ["-c", `"$1" create --dry-run=client -o json -f - < "$2"`, "sh", kubectl, file],
      env: user.env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    assertEquals(created.code, 0, dec.decode(created.stderr));
    const back = JSON.parse(dec.decode(created.stdout));
    assertEquals(back.data, TRICKY);
    assertEquals(back.metadata.labels, { a: "yes", b: "007", c: "on", d: "1_000" });
  } finally {
    florin.client.close();
    await user.cleanup();
    await hub.stop();
  }
});

Deno.test("list-syncing-objects --watch reports a mailbox that does not serve the kind once per change", async () => {
  const hub = await startHub();
  const user = await pluginUser(hub.cp.kubeconfigPath);
  const florin = await addMailbox(hub, "florin");
  const guilder = await addMailbox(hub, "guilder");
  const kc = user.kubeconfig;
  const child = new Deno.Command(
    join(user.env.PATH.split(":")[0], "kubestellar-list-syncing-objects"),
    {
      args: [
        ...["--all-kubeconfig", kc, "--parent-kubeconfig", kc, "--json", "--watch"],
        ...["--api-group", "example.com", "--api-kind", "Widget"],
      ],
      env: user.env,
      clearEnv: true,
      stdout: "null",
      stderr: "piped",
    },
  ).spawn();
  let stderr = "";
  const reading = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) stderr += chunk;
  })();
  const lines = () => stderr.split("\n").filter((l) => l !== "");
  try {
    await eventually("both mailboxes reported", () => lines().length >= 2);
    // Several retries (back-off 0.2 s, 0.4 s, 0.8 s, …) pass in which nothing changes.
    await new Promise((r) => setTimeout(r, 2_500));
    await florin.client.create(
      { group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions" },
      widgetCrd(),
    );
    await eventually("florin serving widgets", () => lines().length >= 3, 30_000);
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await reading;
    florin.client.close();
    guilder.client.close();
    await user.cleanup();
    await hub.stop();
  }
  const prog = "kubestellar-list-syncing-objects";
  const got = lines();
  assertEquals(got.length, 3, stderr);
  assertEquals(
    got.slice(0, 2).sort(),
    [florin.name, guilder.name].sort().map((n) => `${prog}: mailbox ${n} does not serve widgets`),
  );
  assertMatch(got[2], new RegExp(`^${prog}: mailbox ${florin.name} serves widgets now$`));
});

Deno.test("MailboxProblems: one line per change of a mailbox's state", () => {
  const lines: string[] = [];
  const p = new MailboxProblems("widgets", (l) => lines.push(l));
  const notFound = new ApiError({ kind: "Status", code: 404, reason: "NotFound", message: "nope" });
  p.listed("a");
  for (let i = 0; i < 5; i++) p.failed("a", notFound);
  p.failed("b", new Error("connection refused"));
  p.failed("b", new Error("connection refused"));
  p.failed("b", new Error("timeout"));
  p.listed("a");
  p.listed("a");
  p.failed("a", notFound);
  p.forget("b");
  p.failed("b", new Error("timeout"));
  assertEquals(lines, [
    "mailbox a does not serve widgets",
    "mailbox b: connection refused",
    "mailbox b: timeout",
    "mailbox a serves widgets now",
    "mailbox a does not serve widgets",
    "mailbox b: timeout",
  ]);
});
