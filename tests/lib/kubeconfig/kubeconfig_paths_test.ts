import { join } from "node:path";
import { assertEquals } from "../../support/assert.ts";
import { selectKubeconfigFiles } from "../../../lib/kubeconfig/kubeconfig_paths.ts";

Deno.test("--kubeconfig beats $KUBECONFIG and ~/.kube/config", () => {
  assertEquals(selectKubeconfigFiles({ explicit: "x.yaml", env: "a:b", home: "/h" }), {
    files: ["x.yaml"],
    explicit: true,
    defaultFile: "x.yaml",
  });
});

Deno.test("$KUBECONFIG is a colon list: duplicates and empty items dropped, order kept", () => {
  const sel = selectKubeconfigFiles({ env: "/nope/a::/nope/b:/nope/a:", home: "/h" });
  assertEquals(sel.files, ["/nope/a", "/nope/b"]);
  assertEquals(sel.explicit, false);
  // None exists: new entries go to the last file, as in client-go.
  assertEquals(sel.defaultFile, "/nope/b");
});

Deno.test("$KUBECONFIG default file: the only one, else the first that exists", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kc-paths-" });
  try {
    const [a, b, c] = ["a", "b", "c"].map((n) => join(dir, n));
    await Deno.writeTextFile(b, "");
    await Deno.writeTextFile(c, "");
    assertEquals(selectKubeconfigFiles({ env: a }).defaultFile, a);
    assertEquals(selectKubeconfigFiles({ env: `${a}:${b}:${c}` }).defaultFile, b);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("without --kubeconfig or $KUBECONFIG, ~/.kube/config (also when $KUBECONFIG is empty)", () => {
  for (const env of [undefined, "", ":"]) {
    assertEquals(selectKubeconfigFiles({ env, home: "/home/me" }), {
      files: ["/home/me/.kube/config"],
      explicit: false,
      defaultFile: "/home/me/.kube/config",
    });
  }
});
