import { join } from "node:path";
import { assertEquals, assertRejects, assertTrue } from "../../support/assert.ts";
import { KubeconfigFile } from "../../../lib/kubeconfig/kubeconfig_file.ts";

/** A kubeconfig written by hand: comments, odd spacing, flow maps, extensions, unknown fields. */
const HAND_WRITTEN = `# Managed by hand.   Keep this comment.
apiVersion: v1
kind: Config
preferences: {colors: true}   # unknown to us
clusters:
  - name: prod   # the real one
    cluster:
      server: 'https://prod.example:6443'
      certificate-authority-data: TFMwdExTMUNSVWRKVGlCRFJWSlVTVVpKUTBGVVJTMHRMUzB0Q2c9PQ==
      proxy-url: http://proxy.local:3128
      extensions:
      - name: client.example.io/metadata
        extension:
          owner:   platform-team
          tags: [a,  b]
  - {name: dev, cluster: {server: "https://dev.example:6443", insecure-skip-tls-verify: true}}
contexts:
  - name: prod
    context: {cluster: prod, user: alice, namespace: web}
  - name: dev
    context:
      cluster: dev
      user: alice
      extensions:
        - name: x
          extension: "keep me"
current-context: prod
users:
  - name: alice
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1
        command: get-token
        args: ["--cluster",   "prod"]
        interactiveMode: Never
extensions:
  - name: top
    extension: {anything: [1, 2, 3]}
x-unknown-top-level: "kept"
`;

function changedLines(before: string, after: string): Array<[number, string, string]> {
  const a = before.split("\n");
  const b = after.split("\n");
  assertEquals(b.length, a.length, after);
  return a.flatMap((line, i) => line === b[i] ? [] : [[i + 1, line, b[i]]]);
}

Deno.test("reads named entries, including unknown fields", () => {
  const f = KubeconfigFile.fromText("k", HAND_WRITTEN);
  assertEquals(f.names("clusters"), ["prod", "dev"]);
  assertEquals(f.currentContext, "prod");
  assertEquals(f.entry("clusters", "dev"), {
    server: "https://dev.example:6443",
    "insecure-skip-tls-verify": true,
  });
  assertEquals(f.entry("clusters", "prod")?.["proxy-url"], "http://proxy.local:3128");
  assertEquals(f.entry("contexts", "prod"), { cluster: "prod", user: "alice", namespace: "web" });
  assertEquals((f.entry("users", "alice")?.exec as { command: string }).command, "get-token");
  assertEquals(f.entry("users", "bob"), undefined);
  assertEquals(f.dirty, false);
  assertEquals(f.text(), HAND_WRITTEN);
});

Deno.test("editing one field changes exactly that line, keeping its quoting", () => {
  const f = KubeconfigFile.fromText("k", HAND_WRITTEN);
  f.setEntry("clusters", "prod", { ...f.entry("clusters", "prod")!, server: "https://new:443" });
  assertEquals(changedLines(HAND_WRITTEN, f.text()), [
    [8, "      server: 'https://prod.example:6443'", "      server: 'https://new:443'"],
  ]);
  const g = KubeconfigFile.fromText("k", HAND_WRITTEN);
  g.setEntry("contexts", "prod", { ...g.entry("contexts", "prod")!, namespace: "api" });
  assertEquals(changedLines(HAND_WRITTEN, g.text()), [
    [
      19,
      "    context: {cluster: prod, user: alice, namespace: web}",
      "    context: {cluster: prod, user: alice, namespace: api}",
    ],
  ]);
  const h = KubeconfigFile.fromText("k", HAND_WRITTEN);
  h.setCurrentContext("dev");
  assertEquals(changedLines(HAND_WRITTEN, h.text()), [
    [27, "current-context: prod", "current-context: dev"],
  ]);
});

Deno.test("adding and deleting entries keeps every other line byte for byte", () => {
  const f = KubeconfigFile.fromText("k", HAND_WRITTEN);
  f.setEntry("users", "bob", { token: "t" });
  const added = f.text().split("\n");
  const original = HAND_WRITTEN.split("\n");
  // The original lines, in order, plus the new entry's lines at the end of `users`.
  const insertAt = original.indexOf("extensions:");
  assertEquals(added.slice(0, insertAt), original.slice(0, insertAt));
  assertEquals(added.slice(insertAt, insertAt + 3), [
    "  - name: bob",
    "    user:",
    "      token: t",
  ]);
  assertEquals(added.slice(insertAt + 3), original.slice(insertAt));

  const g = KubeconfigFile.fromText("k", HAND_WRITTEN);
  assertEquals(g.deleteEntry("clusters", "dev"), true);
  assertEquals(g.deleteEntry("clusters", "dev"), false);
  assertEquals(
    g.text(),
    HAND_WRITTEN.replace(
      '  - {name: dev, cluster: {server: "https://dev.example:6443", insecure-skip-tls-verify: true}}\n',
      "",
    ),
  );
});

Deno.test("editEach visits duplicates and edits only what the callback returns", () => {
  const text = [
    "clusters:",
    "- name: a",
    "  cluster:",
    "    server: https://one:1 # first",
    "- name: a",
    "  cluster:",
    "    server: https://one:1",
    "    certificate-authority: ca.crt",
    "- name: b",
    "  cluster:",
    "    server: https://two:1",
    "",
  ].join("\n");
  const f = KubeconfigFile.fromText("k", text);
  const seen: string[] = [];
  f.editEach("clusters", (name, value) => {
    seen.push(name);
    if (value.server !== "https://one:1") return undefined;
    const edited = { ...value, server: "https://uno:1", "certificate-authority-data": "Q0E=" };
    delete edited["certificate-authority"];
    return edited;
  });
  assertEquals(seen, ["a", "a", "b"]);
  assertEquals(
    f.text(),
    [
      "clusters:",
      "- name: a",
      "  cluster:",
      "    certificate-authority-data: Q0E=",
      "    server: https://uno:1 # first",
      "- name: a",
      "  cluster:",
      "    certificate-authority-data: Q0E=",
      "    server: https://uno:1",
      "- name: b",
      "  cluster:",
      "    server: https://two:1",
      "",
    ].join("\n"),
  );
});

Deno.test("a new or empty file starts from kubectl's skeleton", () => {
  for (const f of [KubeconfigFile.empty("k"), KubeconfigFile.fromText("k", "\n")]) {
    f.setEntry("clusters", "c", { server: "https://c:1" });
    f.setCurrentContext("x");
    assertEquals(
      f.text(),
      [
        "apiVersion: v1",
        "clusters:",
        "- cluster:",
        "    server: https://c:1",
        "  name: c",
        "contexts: null",
        "current-context: x",
        "kind: Config",
        "preferences: {}",
        "users: null",
        "",
      ].join("\n"),
    );
  }
});

Deno.test("write: atomic, mode 0600, only when edited (or to another path)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kc-file-" });
  try {
    const path = join(dir, "sub", "config");
    await Deno.mkdir(join(dir, "sub"));
    await Deno.writeTextFile(path, HAND_WRITTEN, { mode: 0o644 });
    await Deno.chmod(path, 0o644);
    const f = await KubeconfigFile.read(path);
    assertEquals(f.exists, true);
    await f.write();
    assertEquals((await Deno.stat(path)).mode! & 0o777, 0o644, "not edited: not written");
    f.setCurrentContext("dev");
    await f.write();
    assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
    assertEquals(f.dirty, false);
    assertEquals(await Deno.readTextFile(path), HAND_WRITTEN.replace("t: prod\n", "t: dev\n"));
    const copy = join(dir, "copy");
    await f.write(copy);
    assertEquals(await Deno.readTextFile(copy), await Deno.readTextFile(path));
    assertEquals((await Deno.stat(copy)).mode! & 0o777, 0o600);
    // A file kubectl would create, in a directory that does not exist yet.
    const created = KubeconfigFile.empty(join(dir, "new", "dir", "config"));
    created.setCurrentContext("a");
    await created.write();
    assertTrue((await Deno.readTextFile(join(dir, "new", "dir", "config"))).includes("a\n"));
    await assertRejects(() => f.write(join(dir, "sub", "config", "x")), /cannot write kubeconfig/);
    assertEquals([...Deno.readDirSync(join(dir, "sub"))].map((e) => e.name), ["config"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("not a kubeconfig: one clear error each", () => {
  for (
    const [text, re] of [
      ["- a\n- b\n", /expected a mapping/],
      ["users: {a: b}\n", /"users" is not a list/],
      ["a: [\n", /is not valid YAML/],
    ] as const
  ) {
    let message = "";
    try {
      KubeconfigFile.fromText("k.yaml", text);
    } catch (e) {
      message = (e as Error).message;
    }
    assertTrue(re.test(message), message);
    assertTrue(message.startsWith('kubeconfig file "k.yaml" is not '), message);
  }
});

Deno.test("CRLF files stay CRLF; JSON files are written back as YAML, like kubectl", () => {
  const crlf = "apiVersion: v1\r\nclusters:\r\n- cluster:\r\n    server: https://a:1\r\n" +
    "  name: a\r\ncurrent-context: a\r\nkind: Config\r\n";
  const f = KubeconfigFile.fromText("k", crlf);
  f.setEntry("clusters", "z", { server: "https://z:1" });
  assertEquals(
    f.text(),
    crlf.replace(
      "  name: a\r\n",
      "  name: a\r\n- cluster:\r\n    server: https://z:1\r\n  name: z\r\n",
    ),
  );
  const json = JSON.stringify(
    {
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "a", cluster: { server: "https://a:1" } }],
      "current-context": "a",
    },
    null,
    2,
  );
  const j = KubeconfigFile.fromText("k", json);
  assertEquals(j.entry("clusters", "a"), { server: "https://a:1" });
  assertEquals(j.text(), json, "unedited: unchanged");
  j.setEntry("users", "u", { token: "x" });
  assertEquals(
    j.text(),
    [
      "apiVersion: v1",
      "kind: Config",
      "clusters:",
      "- name: a",
      "  cluster:",
      "    server: https://a:1",
      "current-context: a",
      "users:",
      "- name: u",
      "  user:",
      "    token: x",
      "",
    ].join("\n"),
  );
});
