import { assertEquals, assertRejects } from "../../support/assert.ts";
import {
  parseHost,
  parsePort,
  parseServerAuthority,
  replaceAuthority,
} from "../../../lib/kubeconfig/server_authority.ts";

Deno.test("parseServerAuthority splits scheme, host, port and the rest", () => {
  assertEquals(parseServerAuthority("https://10.0.0.5:6443/clusters/root"), {
    scheme: "https",
    userinfo: "",
    host: "10.0.0.5",
    port: 6443,
    rest: "/clusters/root",
    key: "https://10.0.0.5:6443",
  });
  assertEquals(parseServerAuthority("https://Kcp.Example")?.key, "https://kcp.example:443");
  assertEquals(parseServerAuthority("http://h?x=1")?.key, "http://h:80");
  assertEquals(parseServerAuthority("http://h?x=1")?.rest, "?x=1");
  assertEquals(parseServerAuthority("https://[::1]:6443/x")?.key, "https://[::1]:6443");
  assertEquals(parseServerAuthority("https://u:p@h:1")?.userinfo, "u:p@");
  for (
    const bad of ["", "10.0.0.5:6443", "https://", "https://h:99999", "https://h:x", "ftp://h"]
  ) {
    assertEquals(parseServerAuthority(bad), undefined, bad);
  }
});

Deno.test("authorities compare exactly: :6443 is not :64430, 443 is the https default", () => {
  const key = (u: string) => parseServerAuthority(u)?.key;
  assertEquals(key("https://h:6443") === key("https://h:64430"), false);
  assertEquals(key("https://h:6443/a") === key("https://h:6443/b"), true);
  assertEquals(key("https://h") === key("https://h:443"), true);
  assertEquals(key("https://h") === key("http://h:443"), false);
  assertEquals(key("https://h.x:6443") === key("https://h:6443"), false);
});

Deno.test("replaceAuthority keeps scheme, userinfo and everything after the port", () => {
  const a = parseServerAuthority("HTTPS://u@10.0.0.5:6443/clusters/root?x=1#f")!;
  assertEquals(replaceAuthority(a, "yep.yep", 443), "HTTPS://u@yep.yep:443/clusters/root?x=1#f");
  assertEquals(
    replaceAuthority(a, "fd00::1", 6443),
    "HTTPS://u@[fd00::1]:6443/clusters/root?x=1#f",
  );
});

Deno.test("parsePort and parseHost accept only what fits in a URL authority", async () => {
  assertEquals(parsePort("6443"), 6443);
  assertEquals(parsePort("1"), 1);
  for (const bad of ["0", "65536", "-1", "6443x", "", " 1", "1e3"]) {
    await assertRejects(() => parsePort(bad), /^invalid port/);
  }
  assertEquals(parseHost("yep.yep"), "yep.yep");
  assertEquals(parseHost("kcp-1.example.com."), "kcp-1.example.com.");
  assertEquals(parseHost("192.168.1.2"), "192.168.1.2");
  assertEquals(parseHost("[fd00::1]"), "fd00::1");
  assertEquals(parseHost("fd00::1"), "fd00::1");
  for (const bad of ["", "a/b", "h:1", "https://h", "-h", "h..x", "a b", "[zz::1]"]) {
    await assertRejects(() => parseHost(bad), /^invalid domain/);
  }
});
