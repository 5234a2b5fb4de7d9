/**
 * `kubestellar controller placement-translator` as its own process (the way
 * `kubestellar start` runs it): it projects, and stops cleanly on SIGTERM.
 */
import type { KubeObject } from "../../../../lib/kube/rest_client.ts";
import { assertEquals } from "../../../support/assert.ts";
import { populateWmwC } from "./example1_workloads.ts";
import {
  addLocation,
  addWmw,
  eventually,
  getOrUndefined,
  R,
  startHub,
} from "./translator_fixture.ts";

const dep = (ns: string, name: string) => ({ ...R.deployments, namespace: ns, name });

function envOf(d: KubeObject | undefined): string | undefined {
  return (d?.spec as
    | { template: { spec: { containers: { env: { value: string }[] }[] } } }
    | undefined)
    ?.template.spec.containers[0].env[0].value;
}

Deno.test("kubestellar controller placement-translator: runs as a process, stops cleanly", async () => {
  const hub = await startHub();
  try {
    const florin = await addLocation(hub, "florin", { "loc-name": "florin", env: "prod" });
    const wmwC = await addWmw(hub, "wmw-c");
    await populateWmwC(wmwC.client, [florin]);
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--quiet",
        new URL("../../../../main.ts", import.meta.url).pathname,
        "controller",
        "placement-translator",
        "--kubeconfig",
        hub.cp.kubeconfigPath,
      ],
      env: { NO_COLOR: "1" },
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const stderr = child.stderr.pipeThrough(new TextDecoderStream());
    let log = "";
    const reading = (async () => {
      for await (const chunk of stderr) log += chunk;
    })();
    try {
      const d = await eventually(
        "projected by the process",
        () => getOrUndefined(florin.client, dep("commonstuff", "commond")),
        30_000,
      );
      assertEquals(envOf(d), "env is prod");
    } finally {
      child.kill("SIGTERM");
      const status = await child.status;
      await reading;
      assertEquals(status.code, 0, log);
    }
  } finally {
    await hub.stop();
  }
});
