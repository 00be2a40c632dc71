// The built page loads its wasm, computes a first answer, reacts to input, and stays clean.
import { test } from "node:test";
import assert from "node:assert/strict";
import { gotoApp, openPage, useSite } from "./harness.mjs";

const site = useSite();

test("the page mounts the wasm app and updates the answer as you type", async () => {
  const { page, problems } = await openPage(site.browser.context);
  await gotoApp(page, site.server.url);
  assert.equal(await page.title(), "poolcalc");
  assert.equal(await page.locator("h1").innerText(), "poolcalc");
  assert.ok(site.server.requests.some((p) => p.endsWith(".wasm")), "the wasm module was requested");
  assert.equal(await page.locator("#boot").count(), 0, "the loading line is replaced by the page");

  const target = page.locator("#fig-target");
  assert.equal(await target.innerText(), "8", "2 × 4 cores");
  await page.locator("#f-db_cores").fill("16");
  assert.equal(await target.innerText(), "32");

  await page.locator("#f-db_cores").fill("0");
  assert.match(await page.locator("#e-db_cores").innerText(), /Server cores must be a whole number from 1 to 512/);
  assert.equal(await page.locator("#f-db_cores").getAttribute("aria-invalid"), "true");
  assert.equal(await target.innerText(), "32", "the last good value stays in force");

  assert.deepEqual(problems, [], "no console error, page error or failed request");
  await page.close();
});
