// The audit on the built page: it loads only when opened (not in the first load), reads pasted
// runbook-style files, shows each finding at its line with secrets masked, and "Adopt" lands on a
// link that restores the adopted inputs, with the pasted password nowhere in the address or storage.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cspViolations, gotoApp, openPage, useSite } from "./harness.mjs";

const site = useSite();

const INI = `[databases]
easymo = host=db.example.com port=5432 dbname=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = 6432
auth_type = md5
auth_file = /etc/pgbouncer/userlist.txt
pool_mode = transaction
max_client_conn = 1000
default_pool_size = 25
reserve_pool_size = 5
admin_users = postgres
`;
const PASSWORD = "Sup3r-s3cret-pw";
const ENV = `DATABASE_URL="postgresql://app:${PASSWORD}@localhost:6432/easymo"\n`;

test("the audit loads on demand, finds the runbook's mistakes at their lines, and Adopt restores them from a link", async () => {
  const { page, problems } = await openPage(site.browser.context);
  await gotoApp(page, `${site.server.url}?pgb_version=1.18`);
  const loaded = () => site.server.requests.filter((p) => p.includes("poolcalc-audit"));
  assert.deepEqual(loaded(), [], "the audit is not part of the first load");

  await page.locator("#audit-open").click();
  const first = page.locator(".audit-text textarea").first();
  await first.waitFor();
  assert.ok(loaded().some((p) => p.endsWith(".wasm")), "opening it fetched its wasm");
  await page.locator(".audit-text input[type=text]").first().fill("pgbouncer.ini");
  await first.fill(INI);
  await page.getByRole("button", { name: "Add a text" }).click();
  await page.locator(".audit-text input[type=text]").nth(1).fill("api.env");
  await page.locator(".audit-text textarea").nth(1).fill(ENV);
  await page.locator("#audit-run").click();

  const report = page.locator(".audit-report");
  await report.waitFor();
  const md5 = report.locator('li[data-code="pgbouncer.auth_md5"]');
  assert.match(await md5.locator(".where").textContent(), /pgbouncer\.ini, line 7/);
  assert.equal((await md5.locator("pre.line").textContent()).trim(), "auth_type = md5");
  const flag = report.locator('li[data-code="prisma.pgbouncer_flag_required"]');
  assert.match(await flag.locator(".where").textContent(), /api\.env, line 1/);
  assert.match(await flag.getAttribute("class"), /error/);
  const text = await report.textContent();
  assert.ok(!text.includes(PASSWORD), "the pasted password is masked in the report");
  assert.match(text, /app:•••@localhost/);
  const row = report.locator("tr.differs", { hasText: "pgbouncer.default_pool_size" });
  assert.match(await row.textContent(), /25/);

  await page.locator("#audit-adopt").click();
  await page.waitForSelector("#app[data-ready='1']");
  const url = page.url();
  assert.match(url, /set=pgbouncer\.default_pool_size:25/);
  assert.match(url, /pgb_version=1\.18/);
  assert.ok(!url.includes(PASSWORD) && !url.includes("s3cret"), url);
  // The adopted pins show on the page, and survive a reload from the link alone.
  await page.locator("#f-pooler").waitFor();
  assert.equal(await page.locator("#f-pooler").inputValue(), "pgbouncer");
  assert.match(await page.locator(".pins").textContent(), /pgbouncer\.default_pool_size/);
  await page.waitForFunction(() => Object.values(localStorage).some((v) => v.includes("default_pool_size")));
  const stored = await page.evaluate(() => JSON.stringify(localStorage));
  assert.ok(!stored.includes(PASSWORD) && !stored.includes("s3cret"), "nothing pasted is stored");
  assert.deepEqual([...problems, ...(await cspViolations(page))], [], "no console error, failed request or CSP violation");
  await page.close();
});
