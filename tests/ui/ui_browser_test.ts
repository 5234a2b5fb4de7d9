/**
 * `kubestellar ui` in a real browser (headless Chromium through puppeteer-core) on the
 * quickstart topology: the token check, both clusters and both placements with the
 * right matrix, live updates (a new SyncTarget, a label change), keyboard navigation,
 * the layout at 1280×800 and 400 px wide, and the banner once the CLI is gone.
 * Screenshots land in `.cache/test-artifacts/ui/`. Skipped, visibly, without Chromium.
 *
 * @module
 */
import type { Page } from "puppeteer-core";
import { putSyncTargetAndLocation, SYNC_TARGETS } from "../support/edge_fixtures.ts";
import { assertEquals, assertTrue } from "../support/assert.ts";
import { artifact, launchBrowser, SKIP_REASON } from "./browser.ts";
import { type QuickstartUi, startQuickstartUi } from "./quickstart_ui_fixture.ts";

const WAIT = { timeout: 30_000 };

/**
 * The page's globals, typed loosely: callbacks below run in the browser, where
 * `globalThis` is the window (the test itself is checked without the DOM library).
 */
// deno-lint-ignore no-explicit-any
type G = { document: any; innerWidth: number };

async function matrixOf(page: Page) {
  return await page.$$eval("table.matrix", (tables) => {
    const t = tables[0];
    const clusters = [...t.querySelectorAll("thead th[data-cluster]")].map((th) =>
      th.getAttribute("data-cluster")
    );
    const rows = [...t.querySelectorAll("tbody tr")].map((tr) => ({
      object: tr.getAttribute("data-object"),
      states: [...tr.querySelectorAll("td")].map((td) => td.getAttribute("data-state")),
    }));
    return { clusters, rows };
  });
}

async function openPlacement(page: Page, qs: QuickstartUi, name: string) {
  await page.goto(`${qs.url}#/placements/root%3Awmw1/${name}`, { waitUntil: "load" });
  await page.waitForFunction(
    (n) =>
      (globalThis as unknown as G).document.querySelector("#placement-title")?.textContent
        ?.startsWith(n),
    WAIT,
    name,
  );
}

/** Waits until the matrix has no pending/unknown/error cell, then returns it. */
async function settledMatrix(page: Page) {
  await page.waitForFunction(
    () => {
      const cells = [
        ...(globalThis as unknown as G).document.querySelectorAll("table.matrix td[data-state]"),
      ];
      return cells.length > 0 &&
        cells.every((c) => ["mailbox", "edge", "status"].includes(c.getAttribute("data-state")!));
    },
    WAIT,
  );
  return await matrixOf(page);
}

Deno.test({
  name: `kubestellar ui on the quickstart topology, in Chromium${SKIP_REASON}`,
  ignore: SKIP_REASON !== "",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const qs = await startQuickstartUi();
    const b = await launchBrowser();
    try {
      const page = await b.browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on(
        "console",
        (m) =>
          m.type() === "error" && !/401|Failed to load/.test(m.text()) && errors.push(m.text()),
      );

      await t.step("requests without the token get 401", async () => {
        for (
          const [path, headers] of [
            ["/", {}],
            ["/?token=", {}],
            ["/?token=wrong", {}],
            ["/api/fleet", { authorization: "Bearer wrong" }],
            ["/api/events", {}],
            ["/api/whatif", { "content-type": "application/json" }],
          ] as const
        ) {
          const r = await fetch(`${qs.base}${path}`, { headers });
          await r.body?.cancel();
          assertEquals(r.status, 401, `${path} without the token`);
        }
        const ok = await fetch(`${qs.base}/api/fleet`, {
          headers: { authorization: `Bearer ${qs.token}` },
        });
        assertEquals(ok.status, 200);
        const fleet = await ok.json();
        assertEquals(fleet.syncTargets.map((s: { name: string }) => s.name).sort(), [
          "florin",
          "guilder",
        ]);
        const res = await page.goto(`${qs.base}/`, { waitUntil: "load" });
        assertEquals(res?.status(), 401, "the browser without the token");
      });

      await t.step("the page renders both clusters and both placements", async () => {
        await page.setViewport({ width: 1280, height: 800 });
        await page.goto(`${qs.url}#/fleet`, { waitUntil: "load" });
        await page.waitForSelector('tr[data-cluster="guilder"]', WAIT);
        const clusters = await page.$$eval(
          "tr[data-cluster]",
          (rows) => rows.map((r) => r.getAttribute("data-cluster")),
        );
        assertEquals(clusters, ["florin", "guilder"]);
        await page.waitForFunction(
          () => (globalThis as unknown as G).document.querySelectorAll(".syncer-live").length === 2,
          WAIT,
        );
        await page.screenshot({ path: await artifact("fleet-1280x800.png") });
        await page.goto(`${qs.url}#/placements`, { waitUntil: "load" });
        await page.waitForSelector('li[data-placement="edge-placement-s"]', WAIT);
        const placements = await page.$$eval(
          "li[data-placement]",
          (li) => li.map((l) => l.getAttribute("data-placement")),
        );
        assertEquals(placements, ["edge-placement-c", "edge-placement-s"]);
      });

      await t.step("each placement has the right matrix", async () => {
        await openPlacement(page, qs, "edge-placement-c");
        const c = await settledMatrix(page);
        assertEquals(c.clusters, ["florin", "guilder"]);
        const cObjects = c.rows.map((r) => r.object);
        for (const o of ["ConfigMap commonstuff/httpd-htdocs", "Deployment commonstuff/commond"]) {
          assertTrue(cObjects.includes(o), `${o} in ${cObjects}`);
        }
        for (const r of c.rows) assertEquals(r.states.length, 2);
        // The quickstart's StatusSummarizer has its StatusSummary shown with the workspace.
        await page.waitForSelector('[data-summary="commond-ready"]', WAIT);
        await page.screenshot({ path: await artifact("placement-c-1280x800.png") });
        await openPlacement(page, qs, "edge-placement-s");
        const s = await settledMatrix(page);
        assertEquals(s.clusters, ["guilder"], "the special workload goes to guilder only");
        const sObjects = s.rows.map((r) => r.object);
        for (
          const o of [
            "Namespace specialstuff",
            "CustomResourceDefinition sprockets.group1.test",
            "ConfigMap specialstuff/httpd-htdocs",
            "Deployment specialstuff/speciald",
          ]
        ) assertTrue(sObjects.includes(o), `${o} in ${sObjects}`);
        const speciald = s.rows.find((r) => r.object === "Deployment specialstuff/speciald")!;
        assertEquals(speciald.states, ["status"], "guilder's status came back");
        await page.screenshot({ path: await artifact("placement-s-1280x800.png") });
      });

      await t.step("keyboard navigation works", async () => {
        await openPlacement(page, qs, "edge-placement-c");
        await settledMatrix(page);
        await page.focus('td[data-row="0"][data-col="0"]');
        await page.keyboard.press("ArrowDown");
        await page.keyboard.press("ArrowRight");
        const at = await page.evaluate(
          () => [
            (globalThis as unknown as G).document.activeElement?.getAttribute("data-row"),
            (globalThis as unknown as G).document.activeElement?.getAttribute("data-col"),
          ],
        );
        assertEquals(at, ["1", "1"]);
        await page.keyboard.press("Enter");
        await page.waitForFunction(
          () =>
            (globalThis as unknown as G).document.querySelector(".explain")?.textContent?.includes(
              "Cluster selected through Location guilder",
            ),
          WAIT,
        );
        const why = await page.$eval(".explain", (e) => e.textContent ?? "");
        assertTrue(why.includes("Object selected by"), why);
        assertTrue(why.includes("locationSelectors[0]: env=prod"), why);
        // The header's links are reachable with Tab and follow with Enter.
        await page.focus("body");
        let label = "";
        for (let i = 0; i < 5 && label !== "What-if"; i++) {
          await page.keyboard.press("Tab");
          label = await page.evaluate(() =>
            (globalThis as unknown as G).document.activeElement?.textContent?.trim() ?? ""
          );
        }
        assertEquals(label, "What-if");
        await page.keyboard.press("Enter");
        await page.waitForSelector("#whatif-title", WAIT);
        // "/" jumps to the search box of the fleet.
        await page.goto(`${qs.url}#/fleet`, { waitUntil: "load" });
        await page.waitForSelector("input.search", WAIT);
        await page.focus("body");
        await page.keyboard.press("/");
        assertEquals(
          await page.evaluate(() => (globalThis as unknown as G).document.activeElement?.className),
          "search",
        );
      });

      await t.step("the layout holds at 1280×800 and at 400 px wide", async () => {
        for (const [w, h] of [[1280, 800], [400, 800]]) {
          await page.setViewport({ width: w, height: h });
          for (
            const [name, hash] of [["fleet", "#/fleet"], [
              "placement-s",
              "#/placements/root%3Awmw1/edge-placement-s",
            ], ["whatif", "#/whatif"]]
          ) {
            await page.goto(`${qs.url}${hash}`, { waitUntil: "load" });
            await page.waitForSelector("main h2, main h3, #placement-title", WAIT);
            await new Promise((r) => setTimeout(r, 300));
            const box = await page.evaluate(() => ({
              scroll: (globalThis as unknown as G).document.documentElement.scrollWidth,
              width: (globalThis as unknown as G).innerWidth,
              nav: [...(globalThis as unknown as G).document.querySelectorAll("header nav a")].map(
                (a) => {
                  const r = a.getBoundingClientRect();
                  return r.right <= (globalThis as unknown as G).innerWidth && r.width > 0;
                },
              ),
            }));
            assertTrue(box.scroll <= box.width, `${name} at ${w}px overflows: ${box.scroll}`);
            assertEquals(box.nav, [true, true, true], `${name} at ${w}px: header links visible`);
            await page.screenshot({
              path: await artifact(`${name}-${w}x${h}.png`),
              fullPage: w < 800,
            });
          }
        }
        await page.setViewport({ width: 1280, height: 800 });
      });

      await t.step("a new SyncTarget and a label change appear live", async () => {
        await page.goto(`${qs.url}#/fleet`, { waitUntil: "load" });
        await page.waitForSelector('tr[data-cluster="florin"]', WAIT);
        const imw = qs.hub.withCluster("root:imw1");
        try {
          await putSyncTargetAndLocation(imw, "tahiti", { env: "test" });
          await page.waitForSelector('tr[data-cluster="tahiti"]', WAIT);
          await imw.patch({ ...SYNC_TARGETS, name: "florin" }, {
            metadata: { labels: { tier: "gold" } },
          }, "merge");
          await page.waitForFunction(
            () =>
              (globalThis as unknown as G).document.querySelector('tr[data-cluster="florin"]')
                ?.textContent?.includes(
                  "tier=gold",
                ),
            WAIT,
          );
        } finally {
          imw.close();
        }
        await page.screenshot({ path: await artifact("fleet-live-1280x800.png") });
      });

      await t.step("the page shows that the CLI is gone", async () => {
        await qs.ui.stop();
        await page.waitForSelector("[data-banner]", WAIT);
        const text = await page.$eval("[data-banner]", (e) => e.textContent ?? "");
        assertTrue(/Lost the connection|no longer valid/.test(text), text);
        await page.screenshot({ path: await artifact("cli-lost-1280x800.png") });
      });
      assertEquals(errors, [], "no script errors in the page");
    } finally {
      await b.close();
      await qs.stop();
    }
  },
});
