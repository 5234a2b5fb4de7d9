import { assertEquals, assertRejects } from "../../support/assert.ts";
import {
  decodeOid,
  derContent,
  derEncode,
  derInteger0,
  derOctetString,
  derOid,
  derSequence,
  readChildren,
  readDer,
} from "../../../lib/pki/der.ts";
import { parsePem, toPem } from "../../../lib/pki/pem.ts";
import { shellQuote } from "../../../lib/pki/shell_quote.ts";
import { optionalTool } from "../../support/optional_tool.ts";

const HAVE_BASH = await optionalTool("bash", "the shellQuote bash test");

Deno.test("der: sequences, long lengths and OIDs round-trip", () => {
  const seq = derSequence(derInteger0(), derOctetString(new Uint8Array([7])));
  assertEquals([...seq], [0x30, 6, 2, 1, 0, 4, 1, 7]);
  const top = readDer(seq, 0);
  assertEquals(top, { offset: 0, tag: 0x30, start: 2, end: 8 });
  assertEquals(readChildren(seq, top).map((c) => c.tag), [0x02, 0x04]);
  const big = derEncode(0x04, new Uint8Array(300));
  assertEquals([...big.subarray(0, 4)], [0x04, 0x82, 0x01, 0x2c]);
  assertEquals(derContent(big, readDer(big, 0)).length, 300);
  for (const oid of ["1.2.840.10045.2.1", "1.3.132.0.34", "1.2.840.113549.1.1.1", "2.5.29.17"]) {
    const enc = derOid(oid);
    assertEquals(decodeOid(derContent(enc, readDer(enc, 0))), oid);
  }
  assertEquals([...derOid("1.2.840.10045.3.1.7")], [6, 8, 0x2a, 0x86, 0x48, 0xce, 0x3d, 3, 1, 7]);
});

Deno.test("der: truncated input is an error", async () => {
  await assertRejects(
    () => Promise.resolve().then(() => readDer(new Uint8Array([0x30, 5, 1]), 0)),
    /truncated/,
  );
  await assertRejects(
    () => Promise.resolve().then(() => readDer(new Uint8Array([0x30]), 0)),
    /truncated/,
  );
});

Deno.test("pem: blocks with headers parse; toPem wraps at 64 columns", async () => {
  const der = new Uint8Array(100).map((_, i) => i);
  const pem = toPem("CERTIFICATE", der);
  const lines = pem.trimEnd().split("\n");
  assertEquals(lines[0], "-----BEGIN CERTIFICATE-----");
  assertEquals(lines[1].length, 64);
  const text = "junk\n" + pem + "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n" +
    "DEK-Info: X\n\nAAEC\n-----END RSA PRIVATE KEY-----\n";
  const blocks = parsePem(text);
  assertEquals(blocks.map((b) => b.label), ["CERTIFICATE", "RSA PRIVATE KEY"]);
  assertEquals([...blocks[0].der], [...der]);
  assertEquals(blocks[1].headers, { "Proc-Type": "4,ENCRYPTED", "DEK-Info": "X" });
  assertEquals([...blocks[1].der], [0, 1, 2]);
  await assertRejects(
    () => Promise.resolve().then(() => parsePem("-----BEGIN X-----\n%%%\n-----END X-----\n")),
    /not base64/,
  );
});

Deno.test("shellQuote leaves plain words alone and single-quotes the rest", () => {
  assertEquals(shellQuote("/home/u/pki/ca.crt"), "/home/u/pki/ca.crt");
  assertEquals(shellQuote("/a b/c"), "'/a b/c'");
  assertEquals(shellQuote("it's"), "'it'\\''s'");
  assertEquals(shellQuote("$HOME"), "'$HOME'");
  assertEquals(shellQuote(""), "''");
  assertEquals(shellQuote("a\tb"), "$'a\\x09b'");
  assertEquals(shellQuote("a  b's\\"), "$'a\\x20\\x20b\\'s\\\\'");
});

Deno.test(
  { name: "shellQuote output survives bash word splitting and eval", ignore: !HAVE_BASH },
  async () => {
    const words = [
      "/plain/ca.crt",
      "/my dir/s.crt",
      "/two  spaces/x",
      "/tab\there",
      "/nl\nhere",
      "/q'uote\\",
    ];
    const line = words.map(shellQuote).join(" ");
    const r = await new Deno.Command("bash", {
      args: [
        "-c",
        'eval pieces=($(printf "%s\\n" "$1")); printf "%s\\0" "${pieces[@]}"',
        "bash",
        line,
      ],
      stdout: "piped",
    }).output();
    const got = new TextDecoder().decode(r.stdout).split("\0").slice(0, -1);
    assertEquals(got, words);
  },
);
