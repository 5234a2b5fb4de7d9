/**
 * Headless Chromium for the UI's browser tests: Debian's `chromium` driven by
 * `puppeteer-core` (no browser download), launched with a fresh profile and the flags
 * that keep it quiet and offline. `chromiumPath()` is undefined when no Chromium is
 * installed, so tests skip visibly (`ignore`, with the reason in their name).
 * Screenshots go to `.cache/test-artifacts/ui/` for people to look at.
 *
 * @module
 */
import { join } from "node:path";
import puppeteer, { type Browser } from "puppeteer-core";
import { REPO_ROOT } from "../support/cli.ts";

/** Where screenshots go (gitignored). */
export const ARTIFACTS = join(REPO_ROOT, ".cache", "test-artifacts", "ui");

const CANDIDATES = [
  Deno.env.get("CHROMIUM"),
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
];

/** The Chromium executable, or undefined when none is installed. */
export function chromiumPath(): string | undefined {
  for (const c of CANDIDATES) {
    if (!c) continue;
    try {
      if (Deno.statSync(c).isFile) return c;
    } catch { /* not there */ }
  }
  return undefined;
}

/** Why browser tests are skipped, or "" when they can run. */
export const SKIP_REASON = chromiumPath()
  ? ""
  : " (skipped: chromium is not installed; apt-get install -y chromium)";

/** A browser with its own profile; `close` removes both. */
export interface TestBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/** Launches headless Chromium. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = await Deno.makeTempDir({ prefix: "ui-chromium-" });
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
    ],
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    },
  };
}

/** The path of screenshot `name` (the folder is created). */
export async function artifact(name: string): Promise<string> {
  await Deno.mkdir(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
