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
    await t.step("an unknown kind", () => m.unknownKind(target));
    await t.step("a CRD and its CR in one file", () => m.crdAndCrInOneFile(target));
    await t.step("a missing namespace", () => m.missingNamespace(target));
    await t.step("AlreadyExists", () => m.alreadyExists(target));
    await t.step("a stale resourceVersion", () => m.staleResourceVersion(target));
    await t.step("Forbidden for a service account", () =>
      m.forbiddenServiceAccount(
        target,
        (user) =>
          `Error from server (Forbidden): configmaps is forbidden: User "${user}" cannot list ` +
          'resource "configmaps" in API group "" in the namespace "default"',
      ));
    await t.step(
      "kubectl explain",
      () =>
        m.explain(target, {
          path: "deployments.spec.replicas",
          group: "apps",
          kind: "Deployment",
          field: "FIELD: replicas <integer>",
          description: "Number of desired pods.",
        }),
    );
    await t.step("an unknown resource type", () => m.unknownResourceType(target));
  } finally {
    await cp.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
