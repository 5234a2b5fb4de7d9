import { assertEquals, assertMatch, assertTrue } from "../../support/assert.ts";
import {
  GENERATE_NAME_ALPHABET,
  generateName,
  generateNameSuffix,
  validateDns1123Label,
  validateDns1123Subdomain,
  validateLabelKey,
  validateLabelValue,
  validateQualifiedName,
} from "../../../lib/kube/names.ts";

const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and " +
  "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex " +
  "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or " +
  "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used " +
  "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end " +
  "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used " +
  "for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

Deno.test("DNS-1123 labels", () => {
  for (const ok of ["a", "my-name", "123-abc", "a".repeat(63)]) {
    assertEquals(validateDns1123Label(ok), [], ok);
  }
  for (const bad of ["", "-a", "a-", "A", "a.b", "a_b"]) {
    assertEquals(validateDns1123Label(bad), [LABEL_MSG], bad);
  }
  assertEquals(validateDns1123Label("a".repeat(64)), ["must be no more than 63 characters"]);
});

Deno.test("DNS-1123 subdomains", () => {
  for (const ok of ["example.com", "a", "a-b.c-d", "root", "x".repeat(63) + ".b"]) {
    assertEquals(validateDns1123Subdomain(ok), [], ok);
  }
  for (const bad of ["", "a..b", ".a", "a.", "Ab", "a_b", "a/b"]) {
    assertEquals(validateDns1123Subdomain(bad), [SUBDOMAIN_MSG], bad);
  }
  const long = ("a".repeat(63) + ".").repeat(4) + "a";
  assertEquals(validateDns1123Subdomain(long), ["must be no more than 253 characters"]);
});

Deno.test("qualified names and label keys", () => {
  for (
    const ok of ["MyName", "my.name", "123-abc", "example.com/MyName", "a_b", "kcp.io/cluster"]
  ) {
    assertEquals(validateQualifiedName(ok), [], ok);
    assertEquals(validateLabelKey(ok), [], ok);
  }
  assertEquals(validateQualifiedName(""), ["name part must be non-empty", NAME_PART_MSG]);
  assertEquals(validateQualifiedName("-a"), [NAME_PART_MSG]);
  assertEquals(validateQualifiedName("/a"), ["prefix part must be non-empty"]);
  assertEquals(validateQualifiedName("Example.com/a"), [`prefix part ${SUBDOMAIN_MSG}`]);
  assertEquals(validateQualifiedName("a".repeat(64)), [
    "name part must be no more than 63 characters",
  ]);
  const [multi] = validateQualifiedName("a/b/c");
  assertMatch(multi, /^a qualified name must consist of .* with an optional DNS subdomain prefix/);
});

Deno.test("label values", () => {
  for (const ok of ["", "MyValue", "my_value", "12345", "a.b-c", "v".repeat(63)]) {
    assertEquals(validateLabelValue(ok), [], ok);
  }
  const errs = validateLabelValue("-bad");
  assertEquals(errs.length, 1);
  assertMatch(errs[0], /^a valid label must be an empty string or consist of alphanumeric/);
  assertMatch(errs[0], /regex used for validation is '\(\(\[A-Za-z0-9\]/);
  assertEquals(validateLabelValue("v".repeat(64)), ["must be no more than 63 characters"]);
  assertEquals(validateLabelValue("a b").length, 1);
});

Deno.test("generateName suffixes use the Kubernetes alphabet", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const s = generateNameSuffix();
    assertMatch(s, /^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    seen.add(s);
  }
  assertTrue(seen.size > 190, "suffixes are random");
  assertEquals(GENERATE_NAME_ALPHABET.length, 27);
  const long = generateName("x".repeat(80));
  assertEquals(long.length, 63);
  assertMatch(generateName("web-"), /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
});
