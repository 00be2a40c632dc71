// Security of the page: hostile text in every text parameter of a share link stays inert (named
// as invalid, shown as text), and nothing violates the Content-Security-Policy.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { cspViolations, gotoApp, openPage, useSite } from "./harness.mjs";

const site = useSite();

const TEXT_PARAMS = ["db_host", "db_name", "db_user", "db_schema", "db_ca_file", "supabase_ref", "service", "pgb_host", "pgb_auth_file", "redis_host", "redis_nodes", "kafka_brokers", "svc", "set", "rds_class", "block", "theme", "env"];
const PAYLOADS = ["<script>window.__xss=1</script>", '"><img src=x onerror="window.__xss=1">'];

for (const payload of PAYLOADS) {
  test(`a link carrying ${payload} in every text parameter stays inert and names each one`, async () => {
    const { page, problems } = await openPage(site.browser.context);
    let dialogs = 0;
    page.on("dialog", (d) => {
      dialogs += 1;
      d.dismiss();
    });
    const query = TEXT_PARAMS.map((p) => `${p}=${encodeURIComponent(payload)}`).join("&");
    await gotoApp(page, `${site.server.url}?${query}`);
    const notice = await page.locator("#link-notice").innerText();
    for (const p of TEXT_PARAMS) assert.match(notice, new RegExp(`^${p} = `, "m"), `${p} is named`);
    assert.ok(notice.includes(payload.slice(0, 20)), "the text is shown as text");
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await page.locator("img").count(), 0, "no element was injected");
    assert.equal(dialogs, 0);
    assert.deepEqual([...problems, ...(await cspViolations(page))], []);
    await page.close();
  });
}

test("the built page ships a strict CSP: no inline script without a hash, no remote origin", () => {
  const html = readFileSync("dist/index.html", "utf8");
  const csp = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1];
  assert.ok(csp, "a CSP meta tag");
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|https?:|\*/);
  assert.ok(html.indexOf("Content-Security-Policy") < html.indexOf("<script"), "the policy precedes every script");
  assert.doesNotMatch(html, /\sstyle=/, "no inline style attribute");
  for (const f of readdirSync("dist").filter((f) => f.endsWith(".js") && f !== "sw.js")) {
    assert.doesNotMatch(readFileSync(`dist/${f}`, "utf8"), /new Function\(|\beval\(/, `${f} needs no eval`);
  }
});
