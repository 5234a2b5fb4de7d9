import { assertEquals } from "../../support/assert.ts";
import { goYamlReadsAsNonString, kubectlYaml } from "../../../lib/cli/kubectl_yaml.ts";

Deno.test("kubectlYaml quotes what go-yaml v2 would not read as a string, and nothing else", () => {
  assertEquals(
    kubectlYaml({
      kind: "ConfigMap",
      data: { a: "yes", b: "007", c: "0o17", d: "1_000", e: "2023-05-19", f: "plain" },
      metadata: { uid: "3c354acd-ed86-45bb", resourceVersion: "12", generation: 3 },
      args: ["--v=3", "on"],
    }),
    [
      "kind: ConfigMap",
      "data:",
      '  a: "yes"',
      '  b: "007"',
      '  c: "0o17"',
      '  d: "1_000"',
      '  e: "2023-05-19"',
      "  f: plain",
      "metadata:",
      "  uid: 3c354acd-ed86-45bb",
      '  resourceVersion: "12"',
      "  generation: 3",
      "args:",
      "- --v=3",
      '- "on"',
      "",
    ].join("\n"),
  );
});

Deno.test("goYamlReadsAsNonString follows Go's number syntax", () => {
  for (const s of ["0x1F", "0o17", "0b101", "017", "09", "1_2", "+1", "-.5", "1e3", "12."]) {
    assertEquals(goYamlReadsAsNonString(s), true, s);
  }
  for (const s of ["1.2.3", "3c354acd", "-", "+", ".", "v1", "1a", "a1"]) {
    assertEquals(goYamlReadsAsNonString(s), false, s);
  }
});
