/**
 * Real kubectl 1.32 against kcp-lite in kube mode: get, create (generators and files),
 * apply (create then update), merge/JSON/strategic patches, label, delete, `get -w`,
 * `-o jsonpath`, and the default table output.
 *
 * @module
 */
import {
  assertEquals,
  assertMatch,
  assertStringIncludes,
  assertTrue,
} from "../../../support/assert.ts";
import { type ControlPlane, startKubeCluster } from "../../../support/control_plane.ts";
import { kubeTools } from "../../../support/kube_tools.ts";
import { kubectl } from "./server_test_client.ts";
import { webDeployment } from "../web_deployment.ts";

function cm(value: string): string {
  return `apiVersion: v1
kind: ConfigMap
metadata: {name: applied, namespace: default}
data: {a: "${value}"}
`;
}

Deno.test("kubectl against kcp-lite kube mode", async (t) => {
  const cp: ControlPlane = await startKubeCluster();
  const home = await Deno.makeTempDir({ prefix: "kubectl-home-" });
  const k = (args: string[], stdin?: string) => kubectl(cp, home, args, stdin);
  const ok = async (args: string[], stdin?: string) => {
    const r = await k(args, stdin);
    assertEquals(r.code, 0, `kubectl ${args.join(" ")} failed: ${r.stderr}`);
    return r.stdout;
  };
  try {
    await t.step("get the default namespaces", async () => {
      const names = await ok(["get", "ns", "-o", "jsonpath={.items[*].metadata.name}"]);
      assertEquals(names.split(" ").sort(), [
        "default",
        "kube-node-lease",
        "kube-public",
        "kube-system",
      ]);
      assertMatch(await ok(["get", "ns"]), /^NAME\s+STATUS\s+AGE\ndefault\s+Active\s/);
    });

    await t.step("create with generators (protobuf bodies) and from files", async () => {
      assertStringIncludes(await ok(["create", "ns", "team"]), "namespace/team created");
      await ok(["create", "configmap", "gen", "-n", "team", "--from-literal=k=v"]);
      await ok(["create", "secret", "generic", "pw", "-n", "team", "--from-literal=p=s3"]);
      await ok(["create", "serviceaccount", "robot", "-n", "team"]);
      assertEquals(await ok(["get", "cm", "gen", "-n", "team", "-o", "jsonpath={.data.k}"]), "v");
      assertEquals(
        await ok(["get", "secret", "pw", "-n", "team", "-o", "jsonpath={.data.p}"]),
        btoa("s3"),
      );
      assertStringIncludes(
        await ok(["create", "-f", "-"], webDeployment()),
        "deployment.apps/web created",
      );
    });

    await t.step("apply creates, then updates", async () => {
      assertStringIncludes(await ok(["apply", "-f", "-"], cm("1")), "created");
      assertStringIncludes(
        await ok(["apply", "-f", "-"], cm("2")),
        "configured",
      );
      assertEquals(await ok(["get", "cm", "applied", "-o", "jsonpath={.data.a}"]), "2");
    });

    await t.step("patch: merge, json and strategic", async () => {
      await ok(["patch", "deploy", "web", "--type=merge", "-p", '{"spec":{"replicas":3}}']);
      await ok([
        "patch",
        "deploy",
        "web",
        "--type=json",
        "-p",
        '[{"op":"add","path":"/metadata/annotations","value":{"x":"y"}}]',
      ]);
      await ok([
        "patch",
        "deploy",
        "web",
        "-p",
        '{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox"}]}}}}',
      ]);
      const out = await ok([
        "get",
        "deploy",
        "web",
        "-o",
        "jsonpath={.spec.replicas} {.metadata.annotations.x} " +
        "{.spec.template.spec.containers[*].name} {.metadata.generation}",
      ]);
      assertEquals(out, "3 y side main 3");
    });

    await t.step("label and select", async () => {
      await ok(["label", "cm", "applied", "tier=backend"]);
      assertEquals(
        await ok(["get", "cm", "-l", "tier=backend", "-o", "jsonpath={.items[*].metadata.name}"]),
        "applied",
      );
      assertEquals(
        await ok(["get", "cm", "-l", "tier!=backend", "-o", "jsonpath={.items[*].metadata.name}"]),
        "",
      );
    });

    await t.step("get -w sees a new object", async () => {
      const { kubectl: bin } = await kubeTools();
      const child = new Deno.Command(bin, {
        args: ["--kubeconfig", cp.kubeconfigPath, "get", "cm", "-n", "team", "-w", "-o", "name"],
        env: { HOME: home },
        stdout: "piped",
        stderr: "null",
      }).spawn();
      const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
      let seen = "";
      const until = async (part: string) => {
        while (!seen.includes(part)) {
          const { value, done } = await reader.read();
          if (done) break;
          seen += value;
        }
      };
      await until("configmap/gen");
      await ok(["create", "configmap", "watched", "-n", "team"]);
      await until("configmap/watched");
      child.kill("SIGTERM");
      await reader.cancel();
      await child.status;
      assertStringIncludes(seen, "configmap/watched");
    });

    await t.step("delete", async () => {
      assertStringIncludes(await ok(["delete", "cm", "applied"]), "deleted");
      const r = await k(["get", "cm", "applied"]);
      assertTrue(r.code !== 0);
      assertStringIncludes(r.stderr, 'configmaps "applied" not found');
    });

    await t.step("namespace deletion removes its content", async () => {
      await ok(["delete", "ns", "team", "--wait=true", "--timeout=20s"]);
      const r = await k(["get", "ns", "team"]);
      assertStringIncludes(r.stderr, 'namespaces "team" not found');
      assertEquals(await ok(["get", "cm", "-A", "-o", "jsonpath={.items[*].metadata.name}"]), "");
      const del = await k(["delete", "ns", "default"]);
      assertStringIncludes(del.stderr, "this namespace may not be deleted");
    });
  } finally {
    await cp.stop();
    await Deno.remove(home, { recursive: true });
  }
});
