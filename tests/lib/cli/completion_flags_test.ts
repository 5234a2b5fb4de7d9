import { assertEquals, assertTrue } from "../../support/assert.ts";
import { findFlag, usageFlags } from "../../../lib/cli/completion_flags.ts";
import { KUBECTL_FLAGS } from "../../../lib/cli/kubectl_flags.ts";

function summary(usage: string) {
  const { flags, positionalChoices } = usageFlags(usage);
  return {
    flags: Object.fromEntries(
      flags.map((f) => [f.names.join(","), f.choices ?? f.takesValue]),
    ),
    positionalChoices,
  };
}

Deno.test("flags from a plugin usage line: values, switches, choices, kubectl's flags", () => {
  const { flags } = usageFlags(
    "Usage: kubectl kubestellar preview ($kubectl_flag | --wmw ws_path | -o table|json|yaml | -X)* [edgeplacement_name ...]",
  );
  assertEquals(findFlag(flags, "--wmw")?.takesValue, true);
  assertEquals(findFlag(flags, "-o")?.choices, ["table", "json", "yaml"]);
  assertEquals(findFlag(flags, "-X")?.takesValue, false);
  assertEquals(findFlag(flags, "--wmw=root:x")?.names, ["--wmw"]);
  for (const k of KUBECTL_FLAGS) {
    assertEquals(findFlag(flags, k.names[0])?.takesValue, k.takesValue, k.names[0]);
  }
});

Deno.test("flags from option tables, aliases and boolean values", () => {
  assertEquals(
    summary([
      "Usage: kubestellar [init | start | stop] [--log-folder log_folder] [--local-kcp bool] [-V|--verbose] [-X]",
      "      --all-cluster string        The name of the kubeconfig cluster",
      "      --json                      indicates whether to output as lines of JSON",
      "  -v, --v string                  log verbosity",
      "  --kube-mode            serve a plain Kubernetes API",
      "  --tls-sni-cert-key     extra serving certificate",
      "Usage: kcp-lite start [--tls-sni-cert-key CERT,KEY[:NAME,...]]... [--kube-mode]",
      "  -v N                         log verbosity; 4 or more adds debug records (-V = -v 4)",
    ].join("\n")),
    {
      flags: {
        "--log-folder": true,
        "--local-kcp": ["true", "false"],
        "-V,--verbose": false,
        "-X": false,
        "--all-cluster": true,
        "--json": false,
        "-v,--v": true,
        "--kube-mode": false,
        "--tls-sni-cert-key": true,
      },
      positionalChoices: [],
    },
  );
});

Deno.test("fixed positional words and helm's flags", () => {
  const version = usageFlags(
    "Usage: kubestellar-version [buildDate|gitCommit|gitTreeState|platform]",
  );
  assertEquals(version.positionalChoices, ["buildDate", "gitCommit", "gitTreeState", "platform"]);
  assertEquals(version.flags, []);
  const deploy = usageFlags(
    "Usage: kubectl kubestellar deploy ($helm_flag | --external-endpoint $domain_name:$port | --openshift $boolean | -X)*",
  );
  assertEquals(findFlag(deploy.flags, "--openshift")?.choices, ["true", "false"]);
  assertEquals(findFlag(deploy.flags, "--external-endpoint")?.takesValue, true);
  assertTrue(findFlag(deploy.flags, "--namespace") !== undefined, "helm's --namespace");
});
