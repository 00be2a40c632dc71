// Screenshots of the full page (light and dark, desktop and 360 px phone) and of an embed, saved
// under test-results/ as test artifacts to look at.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, statSync } from "node:fs";
import { gotoApp, openPage, useSite } from "./harness.mjs";

const site = useSite(async () => mkdirSync("test-results", { recursive: true }));

const SHOTS = [
  ["page-light.png", "?pooler=pgbouncer&preset=runbook", { width: 1280, height: 900 }, "light", true],
  ["page-dark.png", "?pooler=pgbouncer&preset=runbook", { width: 1280, height: 900 }, "dark", true],
  ["page-phone-360.png", "?pooler=pgbouncer", { width: 360, height: 780 }, "light", false],
  ["embed-pgbouncer.png", "?pooler=pgbouncer&embed=1&block=pgbouncer.ini", { width: 800, height: 600 }, "light", true],
];

for (const [file, query, size, scheme, fullPage] of SHOTS) {
  test(`screenshot ${file}`, async () => {
    const { page } = await openPage(site.browser.context);
    await page.setViewportSize(size);
    await page.emulateMedia({ colorScheme: scheme });
    await gotoApp(page, site.server.url + query);
    const path = `test-results/${file}`;
    await page.screenshot({ path, fullPage });
    assert.ok(statSync(path).size > 10_000, "a real picture");
    if (size.width === 360) {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no horizontal scrolling at 360 px (overflow ${overflow}px)`);
    }
    await page.close();
  });
}
