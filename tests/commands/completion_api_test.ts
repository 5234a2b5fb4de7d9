/**
 * Shell completion of names from the API, against kcp-lite through real kubectl's plugin
 * completion and bash's completion protocol: workspaces for `--imw` and `kubectl ws`,
 * SyncTarget names for prep-for-*, workload management workspaces for `remove wmw`,
 * APIExports for `kubectl kcp bind apiexport`, contexts for `--context`; and a server that
 * never answers gives no names instead of a stalled shell.
 *
 * @module
 */
import { join } from "node:path";
import { assertEquals, assertTrue } from "../support/assert.ts";
import { startControlPlane } from "../support/control_plane.ts";
import { kubeTools } from "../support/kube_tools.ts";
import { initInProcess, pluginUser } from "../support/plugin_path.ts";

Deno.test("completion offers names from the API", async () => {
  const cp = await startControlPlane();
  const user = await pluginUser(cp.kubeconfigPath);
  const { kubectl } = await kubeTools();
  try {
    await initInProcess(user.kubeconfig, { imws: ["imw1"], wmws: ["wmw1"] });
    const made = await user.kubectl(
      "kubestellar",
      "ensure",
      "location",
      "--imw",
      "root:imw1",
      "florin",
      "env=prod",
    );
    assertEquals(made.code, 0, made.stderr);
    await user.kubectl("ws", "root");
    const complete = async (...args: string[]) => {
      const r = await user.run(kubectl, ["__complete", ...args]);
      assertEquals(r.code, 0, r.stderr);
      return r.stdout.trimEnd().split("\n").map((l) => l.split("\t")[0]);
    };

    assertEquals(
      await complete("kubestellar", "prep-for-syncer", "--imw", "root:imw1", ""),
      ["florin", ":4"],
    );
    assertEquals(
      await complete("kubestellar", "prep-for-cluster", "--imw=imw1", "fl"),
      ["florin", ":4"],
    );
    const paths = await complete("kubestellar", "ensure", "location", "--imw", "root:");
    for (const p of ["root:compute", "root:espw", "root:imw1", "root:wmw1"]) {
      assertTrue(paths.includes(p), `${p} in ${paths}`);
    }
    assertEquals(await complete("kubestellar", "remove", "wmw", ""), ["wmw1", ":4"]);
    const ws = await complete("ws", "");
    for (const w of ["use", "..", "imw1", "root:imw1", "root:wmw1"]) {
      assertTrue(ws.includes(w), `${w} in ${ws}`);
    }
    assertEquals(await complete("ws", "use", "root:im"), ["root:imw1", ":4"]);
    assertEquals(
      await complete("kcp", "bind", "apiexport", "root:espw:"),
      ["root:espw:edge.kubestellar.io", ":4"],
    );
    const contexts = await complete("ws", "--context", "");
    for (const c of ["root", "base", "system:admin"]) {
      assertTrue(contexts.includes(c), `${c} in ${contexts}`);
    }

    // bash: the words as bash splits them at ':'; answers trimmed to the last piece.
    const script = await user.run("kubestellar", ["completion", "bash"]);
    const file = join(user.dir, "ks.bash");
    await Deno.writeTextFile(file, script.stdout);
    const reply = async (words: string[], line: string) => {
      const r = await user.run("/bin/bash", [
        "--norc",
        "-c",
        `source '${file}'
COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}
COMP_LINE='${line}'; COMP_POINT=\${#COMP_LINE}
__kubestellar_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ]);
      assertEquals(r.code, 0, r.stderr);
      return r.stdout;
    };
    const imw = ["kubestellar", "prep-for-syncer", "--imw", "root", ":", "im"];
    assertEquals(await reply(imw, "kubestellar prep-for-syncer --imw root:im"), "imw1\n");
    assertEquals(
      await reply(imw.slice(0, -1), "kubestellar prep-for-syncer --imw root:"),
      ":compute\n:espw\n:imw1\n:wmw1\n",
    );
    assertEquals(
      await reply(
        [...imw.slice(0, -3), "root", ":", "imw1", "fl"],
        "kubestellar prep-for-syncer --imw root:imw1 fl",
      ),
      "florin\n",
    );
  } finally {
    await user.cleanup();
    await cp.stop();
  }
});

Deno.test("a server that never answers: no names, no stall", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn); // accept, never answer
  })().catch(() => {});
  const dir = await Deno.makeTempDir({ prefix: "ks-completion-silent-" });
  try {
    const port = (listener.addr as Deno.NetAddr).port;
    const kubeconfig = join(dir, "kubeconfig");
    await Deno.writeTextFile(
      kubeconfig,
      `apiVersion: v1
kind: Config
clusters:
- name: silent
  cluster:
    server: https://127.0.0.1:${port}/clusters/root
    insecure-skip-tls-verify: true
contexts:
- name: silent
  context: {cluster: silent, user: u}
current-context: silent
users:
- name: u
  user: {token: t}
`,
    );
    const user = await pluginUser(kubeconfig);
    try {
      const r = await user.run("kubestellar", ["__complete", "remove", "wmw", ""], {
        KUBESTELLAR_COMPLETION_TIMEOUT: "300",
      });
      assertEquals([r.code, r.stdout], [0, ":4\n"], r.stderr);
    } finally {
      await user.cleanup();
    }
  } finally {
    listener.close();
    for (const c of held) c.close();
    await accepting;
    await Deno.remove(dir, { recursive: true });
  }
});
