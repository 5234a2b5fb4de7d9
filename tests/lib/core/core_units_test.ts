/** Unit tests of the small pure pieces of `lib/core`. */
import {
  computeApiObjects,
  computeExportNames,
  computeRbacObjects,
} from "../../../lib/core/compute_exports.ts";
import { commandError } from "../../../lib/core/core_session.ts";
import { contains, refFor } from "../../../lib/core/ensure_object.ts";
import { isLocalHost } from "../../../lib/core/kcp_wait.ts";
import { createdLine, deletedLine, labeledLine } from "../../../lib/core/kubectl_lines.ts";
import { selfCommand } from "../../../lib/core/self_command.ts";
import { kcpKubeconfigText, spaceProviderFromEnv } from "../../../lib/core/space_provider.ts";
import { KUBE_EXPORTS } from "../../../lib/core/wmw.ts";
import { UserError } from "../../../lib/cli/errors.ts";
import { ApiError } from "../../../lib/kube/rest_errors.ts";
import { parse as parseYaml } from "yaml";
import { assertEquals, assertThrowsUserError, assertTrue } from "./core_units_support.ts";

Deno.test("kubectl's lines", () => {
  assertEquals(
    createdLine("SyncTarget", "edge.kubestellar.io", "d"),
    "synctarget.edge.kubestellar.io/d created",
  );
  assertEquals(
    labeledLine("Location", "edge.kubestellar.io", "d"),
    "location.edge.kubestellar.io/d labeled",
  );
  assertEquals(
    deletedLine("Workspace", "tenancy.kcp.io", "w"),
    'workspace.tenancy.kcp.io "w" deleted',
  );
  assertEquals(createdLine("Namespace", "", "n"), "namespace/n created");
});

Deno.test("root:compute augmentation matches commands-spec §3.5", () => {
  const { schemas, exports } = computeApiObjects();
  assertEquals(schemas.length, 25); // 14 namespaced + 11 cluster-scoped
  assertEquals(
    new Set(computeExportNames()),
    new Set(KUBE_EXPORTS.filter((e) => e !== "kubernetes")),
  );
  assertEquals(exports.length, 15);
  for (const e of exports) {
    const listed = (e.spec as { latestResourceSchemas: string[] }).latestResourceSchemas;
    assertTrue(listed.length > 0, e.metadata!.name!);
    for (const s of listed) assertTrue(schemas.some((x) => x.metadata!.name === s), s);
  }
  const names = computeRbacObjects().map((o) => `${o.kind}/${o.metadata!.name}`);
  assertEquals(names, [
    "ClusterRole/compute:apiexport:kubernetes-extended:bind",
    "ClusterRole/compute:apiexport:kubernetes:maximal-permission-policy-extended",
    "ClusterRoleBinding/compute:apiexport:kubernetes-extended:bind",
    "ClusterRoleBinding/compute:authenticated:apiexport:kubernetes:maximal-permission-policy-extended",
  ]);
  const bind = computeRbacObjects()[0].rules as { resourceNames: string[] }[];
  assertEquals(bind[0].resourceNames, [
    "apps",
    "autoscaling",
    "batch",
    "core.k8s.io",
    "discovery.k8s.io",
    "networking.k8s.io",
    "policy",
    "storage.k8s.io",
  ]);
});

Deno.test("ensureObject helpers: refFor and contains", () => {
  assertEquals(
    refFor({ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "n" } }),
    { group: "", version: "v1", resource: "secrets", namespace: "n", name: "s" },
  );
  assertTrue(contains({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } }));
  assertTrue(!contains({ a: [1, 2] }, { a: [1] }));
  assertTrue(!contains({ a: { c: 1 } }, { a: { c: 2 } }));
  assertTrue(contains({ a: 1 }, undefined));
});

Deno.test("isLocalHost: loopback and this machine's addresses only", () => {
  for (const h of ["127.0.0.1", "127.1.2.3", "localhost", "[::1]", "::1"]) {
    assertTrue(isLocalHost(h), h);
  }
  assertTrue(!isLocalHost("192.0.2.1"));
  assertTrue(!isLocalHost("kcp.example.com"));
  const own = Deno.networkInterfaces().find((i) => i.family === "IPv4");
  if (own) assertTrue(isLocalHost(own.address));
});

Deno.test("space provider settings come from the environment", () => {
  const env = (vars: Record<string, string>) => (n: string) => vars[n];
  assertEquals(spaceProviderFromEnv(env({})), undefined);
  assertEquals(spaceProviderFromEnv(env({ SPACE_MANAGER_KUBECONFIG: "/sm" })), {
    kubeconfigPath: "/sm",
    inCluster: true,
    providerName: "default",
    namespace: "spaceprovider-default",
  });
  assertEquals(
    spaceProviderFromEnv(
      env({ SPACE_MANAGER_KUBECONFIG: "/sm", IN_CLUSTER: "false", PROVIDER_NAME: "p" }),
    )
      ?.namespace,
    "spaceprovider-p",
  );
  assertThrowsUserError(
    () => spaceProviderFromEnv(env({ SPACE_MANAGER_KUBECONFIG: "/sm", IN_CLUSTER: "yes" })),
    "IN_CLUSTER must be 'true' or 'false', not 'yes'",
  );
  const text = kcpKubeconfigText({
    server: "https://h:6443/clusters/root:espw",
    caData: "CA",
    token: "t",
    namespace: "default",
    contextName: "root",
    clusterName: "root",
    userName: "u",
  });
  const doc = parseYaml(text) as Record<string, unknown>;
  assertEquals(doc["current-context"], "root");
  assertEquals(
    (doc.clusters as { cluster: { server: string } }[])[0].cluster.server,
    "https://h:6443/clusters/root",
  );
});

Deno.test("command errors are one line naming the command", () => {
  assertEquals(commandError("p", new Error("boom\nmore")).message, "p: boom");
  assertEquals(commandError("p", new UserError("p: already")).message, "p: already");
  assertEquals(commandError("p", new UserError("x", 3)).exitCode, 3);
  const e404 = new ApiError({ message: "the server could not find the requested resource" }, 404);
  assertTrue(
    commandError("p", e404).message.endsWith(
      "(is this a kcp server with KubeStellar initialised?)",
    ),
  );
});

Deno.test("selfCommand runs this Deno on the main module", async () => {
  const self = await selfCommand();
  assertEquals(self.command, Deno.execPath());
  assertEquals(self.args.slice(0, 3), ["run", "-A", "--quiet"]);
  assertEquals(self.args.at(-1), Deno.mainModule);
});
