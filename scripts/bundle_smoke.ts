/**
 * CI smoke test of the single-file bundle: builds it, then runs the documented
 * commands that need no server through it and checks their output.
 *
 * @module
 */
import { bundle } from "./bundle.ts";

const file = await bundle("v0.0.0-smoke", `${await Deno.makeTempDir()}/kubestellar.js`);

async function run(name: string, args: string[]): Promise<{ code: number; out: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", "--no-config", file, ...args],
    env: { KUBESTELLAR_INVOKED_AS: name },
    cwd: await Deno.makeTempDir(),
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: r.code,
    out: new TextDecoder().decode(r.stdout) + new TextDecoder().decode(r.stderr),
  };
}

const checks: [string, string[], RegExp][] = [
  ["kubestellar-release", [], /^v0\.0\.0-smoke\n$/],
  ["kubestellar-version", ["gitTreeState"], /^(clean|dirty)\n$/],
  ["kubestellar", ["--help"], /Commands:/],
  ["kubectl-kubestellar", [], /Available commands:/],
];
let failed = 0;
for (const [name, args, re] of checks) {
  const r = await run(name, args);
  const ok = r.code === 0 && re.test(r.out);
  console.log(`${ok ? "ok" : "FAILED"}: ${name} ${args.join(" ")}`);
  if (!ok) {
    console.log(r.out);
    failed++;
  }
}
Deno.exit(failed === 0 ? 0 : 1);
