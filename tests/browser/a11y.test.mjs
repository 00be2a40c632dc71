// Accessibility: axe-core finds no serious or critical violation on the full page or the embed,
// and the main journey works with the keyboard alone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { expectFocus, gotoApp, openPage, useSite } from "./harness.mjs";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const site = useSite();

async function axe(page) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}

for (const [name, query] of [
  ["the full page (light)", "?pooler=pgbouncer&theme=light"],
  ["the full page (dark)", "?pooler=pgbouncer&theme=dark&preset=runbook"],
  ["the embed", "?pooler=pgbouncer&embed=1&block=pgbouncer.ini"],
  ["the embed of the whole calculator", "?embed=1"],
]) {
  test(`axe-core: no serious or critical violation on ${name}`, async () => {
    const { page } = await openPage(site.browser.context);
    await gotoApp(page, site.server.url + query);
    // Open every "why?" so their contents are checked too.
    await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
    assert.deepEqual(await axe(page), []);
    await page.close();
  });
}

/** Presses Tab until the element with `id` has focus (at most `limit` presses). */
async function tabTo(page, id, limit = 400) {
  for (let i = 0; i < limit; i++) {
    if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached #${id}`);
}

test("the main journey with the keyboard alone", async () => {
  const { page } = await openPage(site.browser.context);
  await site.browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: site.server.url.replace(/\/$/, "") });
  await gotoApp(page, `${site.server.url}?svc=api:2`);
  await page.locator("body").focus();

  await tabTo(page, "f-db_cores");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("10");
  assert.equal(await page.locator("#fig-target").innerText(), "20");

  await tabTo(page, "f-pooler");
  await page.keyboard.press("ArrowDown"); // none → pgbouncer
  // PgBouncer's own settings wait under the section's "Advanced": Enter opens it.
  await tabTo(page, "advanced-pooler");
  await page.keyboard.press("Enter");
  await page.locator("#f-pgb_version").waitFor();

  await tabTo(page, "svc-add");
  await page.keyboard.press("Enter");
  await expectFocus(page, "svc-name-1");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("worker");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("4");
  await page.locator("#service-pools").getByText("worker").waitFor();

  // A "why?" opens with the keyboard.
  await page.locator("#fig-usable").scrollIntoViewIfNeeded();
  const summary = page.locator('summary[aria-label="Why budget.usable?"]');
  await summary.focus();
  await page.keyboard.press("Enter");
  assert.equal(await summary.evaluate((s) => s.parentElement.open), true);
  await summary.locator("xpath=..").locator(".why-body code").getByText("max_connections − reserved").waitFor();

  // The file tabs: arrow keys move between them, Tab goes on into the panel.
  await page.locator('[id="tab-env"]').focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowRight");
  assert.equal(await page.evaluate(() => document.activeElement.id), "tab-pgbouncer.ini");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), "Copy pgbouncer.ini");
  await page.keyboard.press("Enter");
  await page.locator('[id="a-pgbouncer.ini"] .status').getByText("Copied").waitFor();
  assert.match(await page.evaluate(() => navigator.clipboard.readText()), /pool_mode = transaction/);
  await page.close();
});
