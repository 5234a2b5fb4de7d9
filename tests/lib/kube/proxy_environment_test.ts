import { assertEquals } from "../../support/assert.ts";
import { proxyFromEnvironment } from "../../../lib/kube/proxy_environment.ts";

function proxyFor(url: string, env: Record<string, string>): string | undefined {
  return proxyFromEnvironment(url, (name) => env[name]);
}

Deno.test("environment proxies follow Go's httpproxy rules", () => {
  const env = { HTTPS_PROXY: "http://proxy:3128", HTTP_PROXY: "http://plain:8080" };
  assertEquals(proxyFor("https://kcp.example.com:6443", env), "http://proxy:3128");
  assertEquals(proxyFor("http://kcp.example.com", env), "http://plain:8080");
  // lower-case spellings, and a value without a scheme is an http proxy
  assertEquals(proxyFor("https://a.example", { https_proxy: "proxy:3128" }), "http://proxy:3128");
  // upper case wins over lower case
  assertEquals(
    proxyFor("https://a.example", { HTTPS_PROXY: "http://up:1", https_proxy: "http://low:1" }),
    "http://up:1",
  );
  // ALL_PROXY is not Go's
  assertEquals(proxyFor("https://a.example", { ALL_PROXY: "http://all:1" }), undefined);
  // CGI: HTTP_PROXY is ignored when REQUEST_METHOD is set
  assertEquals(proxyFor("http://a.example", { ...env, REQUEST_METHOD: "GET" }), undefined);
  assertEquals(proxyFor("https://a.example", { HTTPS_PROXY: "" }), undefined);
});

Deno.test("loopback is never proxied from the environment, whatever NO_PROXY says", () => {
  const env = { HTTPS_PROXY: "http://proxy:3128" };
  for (
    const url of [
      "https://127.0.0.1:6443",
      "https://127.9.8.7:6443",
      "https://localhost:6443",
      "https://[::1]:6443",
      "https://LOCALHOST",
    ]
  ) {
    assertEquals(proxyFor(url, env), undefined, url);
  }
  assertEquals(proxyFor("https://localhost.example.com", env), "http://proxy:3128");
  assertEquals(proxyFor("https://10.1.2.3", env), "http://proxy:3128");
});

Deno.test("NO_PROXY: *, domains with and without dot, IPs, CIDRs, ports", () => {
  const base = { HTTPS_PROXY: "http://proxy:3128" };
  const cases: [string, string, boolean][] = [
    ["*", "https://anything.example", false],
    ["example.com", "https://example.com", false],
    ["example.com", "https://api.example.com", false],
    ["example.com", "https://notexample.com", true],
    [".example.com", "https://example.com", true],
    [".example.com", "https://api.example.com", false],
    ["*.example.com", "https://api.example.com", false],
    ["*.example.com", "https://example.com", true],
    ["example.com:6443", "https://example.com:6443", false],
    ["example.com:6443", "https://example.com:443", true],
    ["example.com:443", "https://example.com", false],
    ["10.1.2.3", "https://10.1.2.3:6443", false],
    ["10.1.2.3:80", "https://10.1.2.3:6443", true],
    ["10.0.0.0/8", "https://10.200.0.1", false],
    ["10.0.0.0/8", "https://11.0.0.1", true],
    ["fd00::/8", "https://[fd12::1]:6443", false],
    ["fd12::1", "https://[fd12::1]", false],
    ["[fd12::1]:6443", "https://[fd12::1]:6443", false],
    [" other.org , EXAMPLE.com ", "https://api.example.com", false],
    ["other.org", "https://api.example.com", true],
  ];
  for (const [noProxy, url, proxied] of cases) {
    assertEquals(
      proxyFor(url, { ...base, NO_PROXY: noProxy }),
      proxied ? "http://proxy:3128" : undefined,
      `NO_PROXY=${noProxy} ${url}`,
    );
  }
  assertEquals(
    proxyFor("https://api.example.com", { ...base, no_proxy: "example.com" }),
    undefined,
  );
});
