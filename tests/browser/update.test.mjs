// A new build is noticed: the service worker of a changed site installs in the background, the page
// shows "A new version of poolcalc is available", and Reload switches to it.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { join } from "node:path";
import { serveDist } from "./server.mjs";
import { gotoApp, launch, openPage } from "./harness.mjs";

const site = mkdtempSync(join(tmpdir(), "poolcalc-site-"));
cpSync("dist", site, { recursive: true });
after(() => rmSync(site, { recursive: true, force: true }));

test("a new build shows the reload prompt, and Reload activates it", async () => {
  const server = await serveDist(site);
  const browser = await launch();
  try {
    const { page, problems } = await openPage(browser.context);
    await gotoApp(page, server.url);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r, { once: true }));
      }
    });
    assert.equal(await page.locator("#update-prompt").count(), 0, "no prompt for the first install");

    // "Deploy" a new build: the service worker's version changes.
    const sw = join(site, "sw.js");
    const next = readFileSync(sw, "utf8").replace(/const VERSION = "poolcalc-[0-9a-f]+";/, 'const VERSION = "poolcalc-feedfacefeedface";');
    // A deploy writes each file with its precompressed copies (the server prefers those).
    writeFileSync(sw, next);
    writeFileSync(`${sw}.br`, brotliCompressSync(next));
    writeFileSync(`${sw}.gz`, gzipSync(next));
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    const prompt = page.locator("#update-prompt");
    await prompt.waitFor({ timeout: 15000 });
    assert.match(await prompt.innerText(), /A new version of poolcalc is available/);

    await Promise.all([page.waitForEvent("load"), prompt.getByRole("button", { name: "Reload" }).click()]);
    await page.waitForSelector("#app[data-ready='1']");
    const caches = await page.evaluate(() => caches.keys());
    assert.deepEqual(caches, ["poolcalc-feedfacefeedface"], "the new version took over and the old cache is gone");
    assert.equal(await page.locator("#update-prompt").count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
