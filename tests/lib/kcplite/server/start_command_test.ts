/**
 * `kubestellar kcp-lite start` as a user runs it: prints the URL and kubeconfig path,
 * serves, stops with exit code 0 on SIGTERM; bad flags are one line and exit code 2.
 *
 * @module
 */
import { join } from "node:path";
import { assertEquals, assertMatch, assertStringIncludes } from "../../../support/assert.ts";
import { REPO_ROOT } from "../../../support/cli.ts";

const MAIN = join(REPO_ROOT, "main.ts");

Deno.test("kcp-lite start runs until SIGTERM", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kcp-lite-cmd-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--quiet",
      MAIN,
      "kcp-lite",
      "start",
      "--kube-mode",
      "--secure-port=0",
      "--root-directory",
      dir,
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes("admin kubeconfig:")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    assertMatch(text, /kcp-lite \(kube mode\) serving at https:\/\/127\.0\.0\.1:\d+\n/);
    assertStringIncludes(text, `admin kubeconfig: ${join(dir, "admin.kubeconfig")}`);
    const info = await Deno.stat(join(dir, "admin.kubeconfig"));
    assertEquals(info.mode! & 0o777, 0o600);
    assertEquals((await Deno.stat(join(dir, "ca.key"))).mode! & 0o777, 0o600);
    child.kill("SIGTERM");
    await reader.cancel();
    const stderr = await new Response(child.stderr).text();
    assertEquals((await child.status).code, 0);
    assertStringIncludes(
      stderr,
      "SIGTERM received, stopping kcp-lite",
    );
  } finally {
    try {
      child.kill("SIGKILL");
    } catch {
      // already exited
    }
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kcp-lite start refuses bad flags with one line", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, "kcp-lite", "start", "--secure-port", "http"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(out.code, 2);
  const err = new TextDecoder().decode(out.stderr).trim();
  assertEquals(
    err.split("\n").filter((l) => !l.includes("backtrace") && !/^\s*\d+:/.test(l)).length,
    1,
  );
  assertStringIncludes(err, "--secure-port needs a port number");
});
