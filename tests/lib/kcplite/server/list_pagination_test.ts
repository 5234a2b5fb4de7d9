/**
 * List pagination (`limit` / `continue`, kcp-spec §8.2) on kcp-lite in kube mode: pages of
 * an unfiltered list and of a label-selected list add up to the full list in order, with
 * `remainingItemCount` counting down (unfiltered lists only, as kube-apiserver) and no
 * token on the last page; a malformed token is 400.
 *
 * @module
 */
import { assertEquals } from "../../../support/assert.ts";
import { startKubeCluster } from "../../../support/control_plane.ts";
import { request } from "./server_test_client.ts";

interface List {
  items: { metadata: { name: string } }[];
  metadata: { continue?: string; remainingItemCount?: number };
}

Deno.test("list pages add up to the full list", async () => {
  const cp = await startKubeCluster();
  const base = "/api/v1/namespaces/default/configmaps";
  try {
    const names = Array.from({ length: 23 }, (_, i) => `cm-${String(i * 7 % 23).padStart(2, "0")}`);
    for (const [i, name] of names.entries()) {
      const created = await request(cp, "POST", base, {
        body: JSON.stringify({ metadata: { name, labels: { odd: String(i % 2 === 1) } } }),
        contentType: "application/json",
      });
      assertEquals(created.status, 201);
    }
    const full = (await request(cp, "GET", base)).body as unknown as List;
    const all = full.items.map((o) => o.metadata.name);
    assertEquals(all, [...names].sort());

    const walk = async (query: string): Promise<string[]> => {
      const seen: string[] = [];
      let token: string | undefined;
      let remaining = Infinity;
      do {
        const cont = token ? `&continue=${encodeURIComponent(token)}` : "";
        const page = (await request(cp, "GET", `${base}?limit=5${query}${cont}`))
          .body as unknown as List;
        assertEquals(page.items.length <= 5, true);
        seen.push(...page.items.map((o) => o.metadata.name));
        token = page.metadata.continue;
        if (token && query === "") {
          const left = page.metadata.remainingItemCount!;
          assertEquals(left < remaining, true, "remainingItemCount counts down");
          remaining = left;
        } else {
          // as kube-apiserver: no remainingItemCount when a selector filters the list
          assertEquals(page.metadata.remainingItemCount, undefined);
        }
      } while (token);
      return seen;
    };
    assertEquals(await walk(""), all);
    const odd = full.items.filter((_, i) => names.indexOf(all[i]) % 2 === 1).map((o) =>
      o.metadata.name
    );
    assertEquals(await walk("&labelSelector=odd%3Dtrue"), odd);

    const bad = await request(cp, "GET", `${base}?limit=5&continue=not-a-token`);
    assertEquals(bad.status, 400);
  } finally {
    await cp.stop();
  }
});
