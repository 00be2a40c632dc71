// Shared set-up for the browser tests: Debian's Chromium driven by playwright-core, with every
// console error, page error and failed request recorded so a test can assert there were none.
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { serveDist } from "./server.mjs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches a fresh headless Chromium with its own user-data-dir (extra context options allowed). */
export async function launch(options = {}) {
  const profile = await mkdtemp(join(tmpdir(), "poolcalc-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    acceptDownloads: true,
    ...options,
  });
  // Record Content-Security-Policy violations (init scripts are not subject to the page's CSP).
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
    });
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Opens a page that records problems: console errors, uncaught errors, failed or 4xx/5xx requests. */
export async function openPage(context) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return { page, problems };
}

/** Navigates and waits until the wasm app has mounted (the app sets data-ready on its root). */
export async function gotoApp(page, url) {
  await page.goto(url);
  await page.waitForSelector("#app[data-ready='1']", { timeout: 15000 });
}

/** CSP violations the page has seen so far. */
export async function cspViolations(page) {
  return page.evaluate(() => window.__cspViolations ?? []);
}

/** Every input, select and textarea value on the page, by element id (for comparing two pages). */
export async function fieldValues(page) {
  return page.evaluate(() => {
    const out = {};
    for (const el of document.querySelectorAll("input[id], select[id]")) {
      if (el.type === "password") continue;
      out[el.id] = el.type === "checkbox" ? String(el.checked) : el.value;
    }
    return out;
  });
}

/** Registers hooks that serve dist/ and launch a browser for a test file; returns { server, browser }.
 * `setup(site)` runs once both are up. */
export function useSite(setup = async () => {}) {
  const site = {};
  before(async () => {
    // POOLCALC_DIST serves another build (the fallback build in scripts/test.sh).
    site.server = await serveDist(process.env.POOLCALC_DIST ?? "dist");
    site.browser = await launch();
    site.server.track(site.browser.context);
    await setup(site);
  });
  after(async () => {
    await site.browser?.close();
    await site.server?.close();
  });
  return site;
}

/** Waits (up to 5 s) for keyboard focus to be on the element with this id, and fails naming where it
 * is otherwise. For focus the page moves once the DOM has caught up (the next animation frame). */
export async function expectFocus(page, id) {
  try {
    await page.waitForFunction((want) => document.activeElement?.id === want, id, { timeout: 5000 });
  } catch {
    assert.equal(await page.evaluate(() => document.activeElement?.id), id, "keyboard focus");
  }
}
