/**
 * The embedded page: `lib/ui/ui_assets.ts` is what `scripts/embed_ui.ts` makes from
 * `lib/ui/web/` now (no drift), the page's sources type-check against the DOM, and its
 * Content-Security-Policy allows exactly its inline script and style.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { join } from "node:path";
import { UI_PAGE } from "../../lib/ui/ui_assets.ts";
import { ASSETS_MODULE, expectedAssetsModule, WEB_DIR } from "../../scripts/embed_ui.ts";
import { assertEquals, assertStringIncludes, assertTrue } from "../support/assert.ts";
import { REPO_ROOT } from "../support/cli.ts";

async function hash(text: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return `'sha256-${Buffer.from(d).toString("base64")}'`;
}

Deno.test("the embedded page module matches lib/ui/web/ (run scripts/embed_ui.ts)", async () => {
  const current = await Deno.readTextFile(ASSETS_MODULE);
  const expected = await expectedAssetsModule();
  assertTrue(
    current === expected,
    `${ASSETS_MODULE} is out of date: run deno run -A scripts/embed_ui.ts`,
  );
});

Deno.test("the page's sources type-check against the DOM", async () => {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["check", "--quiet", "--config", join(REPO_ROOT, "deno.json"), join(WEB_DIR, "main.ts")],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(r.code, 0, new TextDecoder().decode(r.stderr));
});

Deno.test("the policy allows exactly the page's inline script and style", async () => {
  const script = /<script type="module">([\s\S]*?)<\/script>/.exec(UI_PAGE.html)![1];
  const style = /<style>([\s\S]*?)<\/style>/.exec(UI_PAGE.html)![1];
  assertStringIncludes(UI_PAGE.csp, `script-src ${await hash(script)};`);
  assertStringIncludes(UI_PAGE.csp, `style-src ${await hash(style)};`);
  assertStringIncludes(UI_PAGE.csp, "default-src 'none'");
  assertStringIncludes(UI_PAGE.csp, "connect-src 'self'");
  assertEquals(UI_PAGE.html.match(/<script/g)?.length, 1, "one script, inline");
});
