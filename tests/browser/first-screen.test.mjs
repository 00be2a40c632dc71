// The first screen: a newcomer sees, without scrolling, the essential inputs (the server, the
// pooler and Prisma, the services with their replicas and role), the verdict with the budget bar,
// and the first config file with its Copy button; on a phone, the files are one tap away.
// Advanced fields wait under a disclosure that counts the changed ones, each changed field is
// marked, a section resets in one click, and each service has its own colour and number.
import { test } from "node:test";
import assert from "node:assert/strict";
import { gotoApp, openPage, useSite } from "./harness.mjs";

const site = useSite();

/** Fails naming each element that is not entirely inside the viewport. */
async function assertInView(page, selectors, size) {
  const outside = [];
  for (const sel of selectors) {
    const box = await page.locator(sel).first().boundingBox();
    if (!box || box.y < 0 || box.x < 0 || box.y + box.height > size.height || box.x + box.width > size.width) outside.push(`${sel} ${JSON.stringify(box)}`);
  }
  assert.deepEqual(outside, [], `not on the first screen at ${size.width}×${size.height}`);
}

const ANSWER = ["#budget-headline", "svg.bar"];
const ESSENTIALS = ["#f-provider", "#f-db_cores", "#f-db_max_conn", "#f-pooler", "#f-prisma"];
const FIRST_FILE = ['[id="tab-env"]', '[id="a-env"] button.copy'];

test("at 1280×800: the essential inputs, every service, the verdict with its bar, and the first file with Copy", async () => {
  const size = { width: 1280, height: 800 };
  const { page, problems } = await openPage(site.browser.context);
  await page.setViewportSize(size);
  await gotoApp(page, site.server.url);
  const services = [0, 1, 2, 3].flatMap((i) => [`#svc-name-${i}`, `#svc-replicas-${i}`, `#svc-workload-${i}`]);
  await assertInView(page, [...ESSENTIALS, ...services, ...ANSWER, ...FIRST_FILE], size);
  assert.equal(await page.evaluate(() => window.scrollY), 0);
  // The less common fields are not on the first screen: they wait under "Advanced".
  assert.equal(await page.locator("#f-db_spindles").isVisible(), false);
  assert.deepEqual(problems, []);
  await page.close();
});

test("at 360×780: the verdict, the essential inputs and the first service; one tap to the first file and its Copy button", async () => {
  const size = { width: 360, height: 780 };
  const { page, problems } = await openPage(site.browser.context);
  await page.setViewportSize(size);
  await gotoApp(page, site.server.url);
  const jump = 'a[href="#artifacts-h"]';
  await assertInView(page, [...ANSWER, ...ESSENTIALS, "#svc-name-0", "#svc-replicas-0", jump], size);
  await page.locator(jump).click();
  await page.waitForFunction(() => window.scrollY > 0);
  await assertInView(page, FIRST_FILE, size);
  assert.deepEqual(problems, []);
  await page.close();
});

test("Advanced counts the changed fields, each is marked, and a section resets in one click", async () => {
  const { page, problems } = await openPage(site.browser.context);
  await gotoApp(page, site.server.url);
  const section = page.locator("fieldset.section", { has: page.locator("#f-provider") });
  const summary = section.locator("details.advanced > summary");
  assert.equal((await summary.textContent()).trim(), "Advanced");
  await summary.click();
  await page.locator("#f-headroom").fill("12");
  await page.locator("#f-db_spindles").fill("4");
  await page.locator("#f-db_cores").fill("8");
  await page.waitForFunction(() => document.querySelector("fieldset.section .changed-count")?.textContent.includes("2 changed"));
  for (const key of ["headroom", "db_spindles", "db_cores"]) {
    assert.equal(await page.locator(`.field:has(#f-${key}) .changed-mark`).textContent(), "changed", key);
  }
  assert.equal(await page.locator(".field:has(#f-provider) .changed-mark").textContent(), "", "unchanged fields carry no mark");
  await section.getByRole("button", { name: "Reset Database server to the defaults" }).click();
  await page.waitForFunction(() => document.querySelector("#f-db_cores")?.value === "4");
  assert.equal(await page.locator("#f-headroom").inputValue(), "5");
  assert.equal(await page.locator("#f-db_spindles").inputValue(), "0");
  assert.equal((await page.locator("fieldset.section .changed-count").first().textContent()).trim(), "");
  assert.deepEqual(problems, []);
  await page.close();
});

test("each service has its own colour in the bar, the legend and the table, with its number, not colour alone", async () => {
  const { page, problems } = await openPage(site.browser.context);
  await gotoApp(page, site.server.url);
  const fills = await page.evaluate(() =>
    [...document.querySelectorAll("svg.bar rect[class*='seg-s']")].map((r) => getComputedStyle(r).fill),
  );
  assert.equal(fills.length, 4, "four services in the bar");
  assert.equal(new Set(fills).size, 4, `four distinct colours: ${fills}`);
  assert.ok((await page.locator('svg.bar rect[fill="url(#hatch)"]').count()) >= 2, "every other service hatched as well");
  const legend = await page.locator(".legend li").allTextContents();
  for (const [i, name] of ["wallet-service", "agent-core", "ranking-service", "vendor-service"].entries()) {
    assert.ok(legend.some((l) => l.startsWith(`${i + 1} ${name}`)), `legend names ${i + 1} ${name}: ${legend}`);
    const key = page.locator("td.svc-key").nth(i);
    assert.equal((await key.textContent()).trim(), String(i + 1));
    const swatch = await key.locator(".swatch").evaluate((e) => getComputedStyle(e).backgroundColor);
    assert.equal(swatch, fills[i], `service ${i + 1}: the table's swatch is the bar's colour`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});
