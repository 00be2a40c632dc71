// The walking skeleton's proof: the built page loads its wasm, reacts to input, and stays clean.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serveDist } from "./server.mjs";
import { launch, openPage, gotoApp } from "./harness.mjs";

let server;
let browser;
before(async () => {
  server = await serveDist("dist");
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("the page mounts the wasm app and updates the answer as you type", async () => {
  const { page, problems } = await openPage(browser.context);
  await gotoApp(page, server.url);
  assert.equal(await page.title(), "poolcalc");
  assert.equal(await page.locator("h1").innerText(), "poolcalc");
  assert.ok(server.requests.some((p) => p.endsWith(".wasm")), "the wasm module was requested");

  const line = page.locator("#target-line");
  assert.match(await line.innerText(), /2 × 4 cores = 8\b/);

  await page.locator("#db-cores").fill("16");
  assert.match(await line.innerText(), /2 × 16 cores = 32\b/);

  await page.locator("#db-cores").fill("0");
  assert.match(await line.innerText(), /from 1 to 512/);

  assert.deepEqual(problems, [], "no console error, page error or failed request");
  await page.close();
});
