/**
 * kubectl's everyday mistakes against kube-mode kcp-lite (an edge cluster's stand-in), with
 * real kubectl 1.32: see `kubectl_mistakes.ts` for the cases and where their expected
 * lines come from.
 *
 * @module
 */
import { startKubeCluster } from "../../../support/control_plane.ts";
import { kubectlSession } from "../kubectl_session.ts";
import * as m from "./kubectl_mistakes.ts";

Deno.test("kubectl's everyday mistakes against kube mode", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "kubectl-mistakes-kube-" });
  const cp = await startKubeCluster();
  const target: m.MistakeTarget = { k: kubectlSession(cp, dir), server: [] };
  try {
    await m.allMistakes(t, target, {
      path: "deployments.spec.replicas",
      group: "apps",
      kind: "Deployment",
      field: "FIELD: replicas <integer>",
      description: "Number of desired pods.",
    });
  } finally {
    await cp.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
