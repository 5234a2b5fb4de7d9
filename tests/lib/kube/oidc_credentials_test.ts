import { assertEquals, assertRejects } from "../../support/assert.ts";
import { jwtWithExpiry, startOidcProvider } from "../../support/fake_oidc_provider.ts";
import { jwtExpiry, oidcCredentials } from "../../../lib/kube/oidc_credentials.ts";

const now = () => Math.floor(Date.now() / 1000);

function configOf(user: Record<string, unknown>): Record<string, string> {
  return (user["auth-provider"] as { config: Record<string, string> }).config;
}

Deno.test("oidc: a valid id-token is used as it is; an expired one is refreshed and persisted", async () => {
  const fresh = jwtWithExpiry(now() + 3600);
  const idp = await startOidcProvider({
    clientId: "kubectl",
    clientSecret: "s3",
    idToken: () => fresh,
  });
  try {
    const valid = jwtWithExpiry(now() + 600);
    const persisted: unknown[] = [];
    const keep = oidcCredentials("https://a", configOf(idp.user(valid)), (t) => {
      persisted.push(t);
      return Promise.resolve();
    }, () => Date.now());
    assertEquals(await keep.current(), { token: valid });
    assertEquals(idp.refreshes, 0);

    // Expires within client-go's 10 s margin: refreshed, once for concurrent requests.
    const expiring = jwtWithExpiry(now() + 5);
    const source = oidcCredentials("https://a", configOf(idp.user(expiring)), (t) => {
      persisted.push(t);
      return Promise.resolve();
    }, () => Date.now());
    const [a, b] = await Promise.all([source.current(), source.current()]);
    assertEquals(a, { token: fresh });
    assertEquals(b, { token: fresh });
    assertEquals(idp.refreshes, 1);
    assertEquals(persisted, [{ "id-token": fresh, "refresh-token": "refresh-2" }]);
    assertEquals(await source.current(), { token: fresh });
    assertEquals(idp.refreshes, 1, "the refreshed token is used until it expires");
    assertEquals(
      await source.refresh({ token: fresh }),
      undefined,
      "no refresh on 401 (client-go)",
    );
  } finally {
    await idp.close();
  }
});

Deno.test("oidc: failures are one clear line each", async () => {
  const idp = await startOidcProvider({
    clientId: "kubectl",
    clientSecret: "s3",
    idToken: () => "",
  });
  try {
    const expired = jwtWithExpiry(now() - 60);
    const run = (config: Record<string, string>) =>
      oidcCredentials("https://a", config, () => Promise.resolve(), () => Date.now()).current();
    const config = configOf(idp.user(expired));
    const { "refresh-token": _, ...noRefresh } = config;
    assertEquals(
      (await assertRejects(() => run(noRefresh))).message,
      "oidc auth-provider: No valid id-token, and cannot refresh without refresh-token",
    );
    assertEquals(
      (await assertRejects(() => run({ ...config, "refresh-token": "wrong" }))).message
        .startsWith("oidc auth-provider: failed to refresh token: oauth2: cannot fetch token: "),
      true,
    );
    assertEquals(
      (await assertRejects(() => run(config))).message.includes(
        'token response did not contain an id_token, either the scope "openid"',
      ),
      true,
    );
    const { "idp-certificate-authority-data": _ca, ...noCa } = config;
    assertEquals(
      (await assertRejects(() => run({ ...noCa, "refresh-token": idp.refreshToken }))).message
        .startsWith(`oidc auth-provider: cannot reach ${idp.issuer}`),
      true,
      "the IdP's certificate is verified against idp-certificate-authority(-data)",
    );
    assertEquals(
      (await assertRejects(() => run({ ...config, "id-token": "not-a-jwt" }))).message,
      "oidc auth-provider: ID Token is not a valid JWT",
    );
  } finally {
    await idp.close();
  }
});

Deno.test("jwtExpiry reads exp in seconds", () => {
  assertEquals(jwtExpiry(jwtWithExpiry(1_700_000_000)), 1_700_000_000_000);
});
