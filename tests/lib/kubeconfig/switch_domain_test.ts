import { assertEquals, assertRejects } from "../../support/assert.ts";
import { UserError } from "../../../lib/cli/errors.ts";
import { KubeconfigFile } from "../../../lib/kubeconfig/kubeconfig_file.ts";
import { switchKubeconfig } from "../../../lib/kubeconfig/switch_domain.ts";

const TARGET = { domain: "yep.yep", port: 6443, caData: "Q0E=" };

Deno.test("switchKubeconfig rewrites every cluster with the context's prefix", () => {
  const text = [
    "clusters:",
    "- name: root",
    "  cluster:",
    "    certificate-authority: /etc/kcp/ca.crt",
    "    server: https://10.0.0.1:6443/clusters/root",
    "    insecure-skip-tls-verify: false",
    "- name: base",
    "  cluster:",
    "    server: https://10.0.0.1:6443",
    "- name: other",
    "  cluster:",
    "    server: https://10.0.0.1:64430",
    "contexts:",
    "- name: root",
    "  context: {cluster: root}",
    "",
  ].join("\n");
  const result = switchKubeconfig(KubeconfigFile.fromText("in", text), "root", TARGET);
  assertEquals(result.from, "https://10.0.0.1:6443");
  assertEquals(result.clusters, ["root", "base"]);
  assertEquals(
    result.text,
    [
      "clusters:",
      "- name: root",
      "  cluster:",
      "    certificate-authority-data: Q0E=",
      "    server: https://yep.yep:6443/clusters/root",
      "- name: base",
      "  cluster:",
      "    certificate-authority-data: Q0E=",
      "    server: https://yep.yep:6443",
      "- name: other",
      "  cluster:",
      "    server: https://10.0.0.1:64430",
      "contexts:",
      "- name: root",
      "  context: {cluster: root}",
      "",
    ].join("\n"),
  );
});

Deno.test("switchKubeconfig: missing context (exit 10), missing cluster, unusable server", async () => {
  const file = (t: string) => KubeconfigFile.fromText("in", t);
  const e = await assertRejects(
    () => switchKubeconfig(file("contexts: []\n"), "root", TARGET),
    /^there is no context named 'root'$/,
  );
  assertEquals((e as UserError).exitCode, 10);
  await assertRejects(
    () => switchKubeconfig(file("contexts:\n- {name: c, context: {user: u}}\n"), "c", TARGET),
    /^there is no context named 'c'$/,
  );
  await assertRejects(
    () => switchKubeconfig(file("contexts:\n- {name: c, context: {cluster: x}}\n"), "c", TARGET),
    /^cluster "x" of context 'c' is not in "in"/,
  );
  await assertRejects(
    () =>
      switchKubeconfig(
        file(
          "clusters:\n- {name: x, cluster: {server: 'h:1'}}\ncontexts:\n- {name: c, context: {cluster: x}}\n",
        ),
        "c",
        TARGET,
      ),
    /^cluster "x" of context 'c' has no usable server URL \("h:1"\)/,
  );
});
