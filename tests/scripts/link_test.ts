import { join } from "node:path";
import { assertEquals, assertStringIncludes, assertTrue } from "../support/assert.ts";
import { kubeTools } from "../support/kube_tools.ts";
import { link } from "../../scripts/link.ts";
import { EXECUTABLES, KCP_PLUGIN_STAND_INS } from "../../commands/tree.ts";

async function run(cmd: string, args: string[], env: Record<string, string>) {
  const r = await new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped" }).output();
  const dec = new TextDecoder();
  return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
}

Deno.test("deno task link installs every documented name and kubectl finds the plugin", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ks-link-" });
  try {
    const bin = join(dir, "bin");
    const names = await link(bin);
    for (const name of Object.keys(EXECUTABLES)) {
      if (KCP_PLUGIN_STAND_INS[name] && !names.includes(name)) continue; // kcp's own is on PATH
      assertTrue(names.includes(name), `${name} linked`);
      const st = await Deno.stat(join(bin, name));
      assertEquals(st.mode! & 0o111, 0o111, `${name} is executable`);
    }
    const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: dir };
    const version = await run(join(bin, "kubestellar-version"), ["gitCommit"], env);
    assertEquals(version.code, 0);

    const { kubectl } = await kubeTools();
    const plugin = await run(kubectl, ["kubestellar"], env);
    assertEquals(plugin.code, 0, plugin.stderr);
    assertStringIncludes(plugin.stdout, "Available commands:");
    const help = await run(kubectl, ["kubestellar", "--help"], env);
    assertEquals(help.code, 0, help.stderr);
    assertStringIncludes(help.stdout, "Usage: kubestellar");
    const list = await run(kubectl, ["plugin", "list"], env);
    assertStringIncludes(list.stdout, join(bin, "kubectl-kubestellar"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task link leaves kcp's own kubectl plugins alone", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ks-link-kcp-" });
  const path = Deno.env.get("PATH") ?? "";
  try {
    const kcpBin = join(dir, "kcp-bin");
    await Deno.mkdir(kcpBin);
    for (const own of ["kubectl-kcp", "kubectl-ws"]) {
      await Deno.writeTextFile(join(kcpBin, own), "#!/bin/sh\n", { mode: 0o755 });
    }
    Deno.env.set("PATH", `${kcpBin}:${path}`);
    const names = await link(join(dir, "bin"));
    for (const standIn of Object.keys(KCP_PLUGIN_STAND_INS)) {
      assertTrue(!names.includes(standIn), `${standIn} not linked over kcp's plugin`);
    }
    for (
      const name of [
        "mailbox-controller",
        "kubestellar-where-resolver",
        "placement-translator",
        "remove-kubestellar",
        "kubectl_complete-kubestellar",
      ]
    ) assertTrue(names.includes(name), name);
  } finally {
    Deno.env.set("PATH", path);
    await Deno.remove(dir, { recursive: true });
  }
});
