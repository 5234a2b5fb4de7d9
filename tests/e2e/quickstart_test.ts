/**
 * The README's main job end to end: `kubestellar quickstart` on a fresh directory runs
 * the whole flow (core, edge clusters, start, onboarding, syncers, workloads) and every
 * step succeeds; `--teardown` leaves no process behind.
 */
import { runCli } from "../support/cli.ts";
import { assertEquals, assertStringIncludes } from "../support/assert.ts";

/** Pids of live processes whose command line mentions `text` (Linux /proc). */
async function processesMentioning(text: string): Promise<number[]> {
  const found: number[] = [];
  for await (const e of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const cmdline = await Deno.readTextFile(`/proc/${e.name}/cmdline`);
      if (cmdline.includes(text)) found.push(Number(e.name));
    } catch { /* gone meanwhile */ }
  }
  return found;
}

Deno.test("kubestellar quickstart runs the documented flow and every step succeeds", async () => {
  const dir = await Deno.makeTempDir({ prefix: "quickstart-test-" });
  try {
    const r = await runCli(["quickstart", "--teardown", "--dir", dir]);
    const output = r.stdout + r.stderr;
    if (r.code !== 0) console.error(output);
    assertEquals(r.code, 0);
    for (
      const line of [
        'Current workspace is "root:imw1".',
        "synctarget.edge.kubestellar.io/florin created",
        "location.edge.kubestellar.io/guilder created",
        "edgeplacement.edge.kubestellar.io/edge-placement-c created",
        'florin: deployment commonstuff/commond, EXAMPLE_VAR="env is prod"',
        'guilder: deployment specialstuff/speciald, EXAMPLE_VAR="in prod env"',
        "florin: no specialstuff",
        'kubestellar.io/executing-count "1", status.readyReplicas 1',
        "name: george",
        "statussummarizer.edge.kubestellar.io/commond-ready created",
        "root:wmw1 statussummary commond-ready: commond ready on 0 of 2 clusters",
        "root:wmw1 statussummary commond-ready: commond ready on 2 of 2 clusters",
      ]
    ) assertStringIncludes(output, line);
    assertEquals(await processesMentioning(dir), [], "processes left behind by --teardown");
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});

Deno.test("kubestellar quickstart rejects an unknown argument with its usage", async () => {
  const r = await runCli(["quickstart", "--bogus"]);
  assertEquals(r.code, 2);
  assertStringIncludes(r.stderr, 'unknown argument "--bogus"');
  assertStringIncludes(r.stderr, "Usage: kubestellar-quickstart [--teardown | --keep] [--dir DIR]");
});
