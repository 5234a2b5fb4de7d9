/**
 * Real helm 3.17 against a test control plane, with its own HOME and helm directories
 * under `home`: `run` returns the outcome, whatever it is.
 *
 * @module
 */
import { join } from "node:path";
import type { ControlPlane } from "../../support/control_plane.ts";
import { kubeTools } from "../../support/kube_tools.ts";
import type { RunResult } from "./server/server_test_client.ts";

/** Runs helm with `args` (and the control plane's kubeconfig). */
export async function runHelm(cp: ControlPlane, home: string, args: string[]): Promise<RunResult> {
  const { helm } = await kubeTools();
  const out = await new Deno.Command(helm, {
    args: [...args, "--kubeconfig", cp.kubeconfigPath],
    env: {
      HOME: home,
      HELM_CACHE_HOME: join(home, "cache"),
      HELM_CONFIG_HOME: join(home, "config"),
      HELM_DATA_HOME: join(home, "data"),
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
