// The main journeys on the built page: change inputs and see everything follow, manage services,
// copy and download, share a link, open a bad link, embed one block, and work offline.
import { after, test } from "node:test";
import { createServer } from "node:http";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cspViolations, expectFocus, fieldValues, gotoApp, launch, openPage, useSite } from "./harness.mjs";
import { serveDist } from "./server.mjs";

const CLI = "target/debug/poolcalc";
const site = useSite(({ browser, server }) =>
  browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url.replace(/\/$/, "") }),
);

/** Opens the page at `query`, and checks at the end that nothing went wrong on it. */
async function open(query = "") {
  const { page, problems } = await openPage(site.browser.context);
  await gotoApp(page, site.server.url + query);
  return {
    page,
    async done() {
      const csp = await cspViolations(page);
      await page.close();
      assert.deepEqual([...problems, ...csp], [], "no console error, failed request or CSP violation");
    },
  };
}

/** Opens every form section's "Advanced" disclosure (its less common fields). */
async function openAdvanced(page) {
  await page.locator("details.advanced").first().waitFor();
  await page.evaluate(() => document.querySelectorAll("details.advanced").forEach((d) => (d.open = true)));
}

/** Selects a file's tab (the page shows one file at a time). */
async function showTab(page, name) {
  await page.locator(`[id="tab-${name}"]`).click();
  await page.locator(`[id="a-${name}"] pre`).waitFor();
}

// textContent, not innerText: off-screen blocks skip rendering (content-visibility), and innerText
// follows rendering.
async function artifactText(page, name) {
  await showTab(page, name);
  return page.locator(`[id="a-${name}"] pre`).textContent();
}

test("changing cores and replicas updates the budget, the findings and the artifacts", async () => {
  const { page, done } = await open("?svc=api:2&svc=worker:2");
  assert.equal(await page.locator("#fig-target").innerText(), "8");
  const urlBefore = await artifactText(page, "database-url");

  // An open "why?" stays open, and in step, while the inputs change.
  const why = page.locator('details[data-why="budget.target_active"]');
  await why.locator("summary").click();
  await why.locator(".why-body").getByText("db_cores (physical, whole server) = 4").waitFor();
  await page.locator("#f-db_cores").fill("12");
  assert.equal(await page.locator("#fig-target").innerText(), "24");
  assert.equal(await why.evaluate((d) => d.open), true, "still open after the figures were re-rendered");
  await why.locator(".why-body").getByText("db_cores (physical, whole server) = 12").waitFor();
  await why.locator("summary").click();
  assert.equal(await why.evaluate((d) => d.open), false);

  await page.locator("#svc-replicas-0").fill("100");
  assert.match(await page.locator("#budget-headline").innerText(), /^Over budget/);
  await page.locator('.finding[data-code="budget.over"]').waitFor();
  assert.match(await page.locator('.finding[data-code="budget.over"] .message').innerText(), /too many/);
  assert.notEqual(await artifactText(page, "database-url"), urlBefore, "the URL's connection_limit follows");
  assert.match(await artifactText(page, "budget.md"), /\| api \| 100 \| 125 \| 1 \| 125 \|/);
  await page.waitForURL(/svc=api:100/); // the address follows the form (a moment later)

  // The Embed control gives the <iframe> for the current state.
  await page.locator("#embed-toggle").click();
  const snippet = await page.locator("#embed-snippet").inputValue();
  assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?v=1&amp;rules=2&amp;db_cores=12&amp;svc=api:100&amp;svc=worker:2&amp;embed=1" title="poolcalc"/);
  await page.locator("#embed-block").selectOption("pgbouncer.ini");
  assert.match(await page.locator("#embed-snippet").inputValue(), /embed=1&amp;block=pgbouncer\.ini"/);

  // "Change db_max_conn" focuses that field.
  await page.locator('.finding[data-code="budget.over"] button.link').click();
  assert.equal(await page.evaluate(() => document.activeElement.id), "f-db_max_conn");
  await done();
});

test("adding, reordering and removing a service", async () => {
  const { page, done } = await open("?svc=api:2&svc=worker:3");
  await page.locator("#svc-add").click();
  assert.equal(await page.locator("table.services tbody tr").count(), 3);
  await expectFocus(page, "svc-name-2"); // focus moves to the new row
  await page.locator("#svc-name-2").fill("billing");
  await page.locator("#service-pools").getByText("billing").waitFor();
  await page.waitForURL(/svc=billing:2/);

  await page.locator("#svc-up-2").click();
  assert.equal(await page.locator("#svc-name-1").inputValue(), "billing");
  await page.locator("#svc-remove-0").click();
  assert.equal(await page.locator("table.services tbody tr").count(), 2);
  const names = await page.locator("#service-pools tbody th").allInnerTexts();
  assert.deepEqual(names, ["billing", "worker"]);

  await page.locator("#svc-name-0").fill("Bad Name");
  assert.match(await page.locator("table.services").textContent(), /Service name must be/);
  await done();
});

test("an autoscaler range, processes, serverless and a role per service, from the form to the files", async () => {
  const { page, done } = await open("?pooler=pgbouncer&svc=api:2&svc=worker:2");
  // MIN-MAX replicas and processes per replica: the link keeps them and the pools table shows them.
  await page.locator("#svc-replicas-0").fill("2-6");
  await page.locator("#svc-procs-0").fill("2");
  await page.waitForURL(/svc=api:2-6::procs%3D2|svc=api:2-6::procs=2/);
  await page.locator("#service-pools").getByText("2–6 × 2 procs").waitFor();
  await page.locator("#svc-replicas-0").fill("6-2");
  assert.match(await page.locator("table.services").textContent(), /MIN-MAX/);
  await page.locator("#svc-replicas-0").fill("2-6");
  // A serverless service: its replicas are a concurrency limit, one connection each.
  await page.locator("#svc-workload-1").selectOption("serverless");
  await page.waitForURL(/svc=worker:2::serverless/);
  await page.locator("#service-pools").getByText("2 concurrent").waitFor();
  // A role per service: roles.sql appears, the .env logs in as the role, pgbouncer.ini caps it.
  await openAdvanced(page);
  await page.locator("#f-db_roles").selectOption("per-service");
  await page.waitForURL(/db_roles=per-service/);
  await page.locator("#service-roles").getByText("api as app_api").waitFor();
  assert.match(await artifactText(page, "roles.sql"), /ALTER ROLE "app_api" WITH LOGIN CONNECTION LIMIT \d+;/);
  assert.match(await artifactText(page, "pgbouncer.ini"), /^app_api = max_user_connections=\d+$/m);
  assert.match(await artifactText(page, "env"), /postgresql:\/\/app_api:/);
  await done();
});

test("Copy puts the artifact on the clipboard", async () => {
  const { page, done } = await open("?pooler=pgbouncer");
  await showTab(page, "pgbouncer.ini");
  await page.locator('button[aria-label="Copy pgbouncer.ini"]').click();
  await page.locator('[id="a-pgbouncer.ini"] .status').getByText("Copied").waitFor();
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(clip, await artifactText(page, "pgbouncer.ini"));
  assert.match(clip, /^\[pgbouncer\]$/m);
  await done();
});

test("Download gives the same bytes as the CLI for the same link", async () => {
  const { page, done } = await open("?pooler=pgbouncer&pgb_version=1.18&env=staging&svc=api:3&svc=worker:2");
  // One .env per service: the picker chooses whose, the link keeps it, the CLI reads it too.
  await showTab(page, "env");
  await page.locator("#svc-env").selectOption("worker");
  await page.waitForURL(/service=worker/);
  for (const [name, file] of [["pgbouncer.ini", "pgbouncer.ini"], ["env", "worker.env"], ["database-url", "DATABASE_URL.txt"], ["alerts.yml", "alerts.yml"]]) {
    await showTab(page, name);
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator(`button[aria-label="Download ${name}"]`).click()]);
    assert.equal(download.suggestedFilename(), file);
    const bytes = readFileSync(await download.path(), "utf8");
    const query = new URL(page.url()).search;
    const cli = execFileSync(CLI, ["--artifact", name, query], { encoding: "utf8", env: { ...process.env, POOLCALC_DB_PASSWORD: "" } });
    assert.equal(bytes, cli, `${name}: page and CLI differ`);
    if (name !== "pgbouncer.ini" && name !== "alerts.yml") assert.match(bytes, /application_name=worker/, `${name} is the chosen service's`);
  }
  await done();
});

test("a copied link restores every field in a new browser", async () => {
  const { page, done } = await open("?v=1&rules=2");
  await openAdvanced(page);
  await page.locator("#f-env").selectOption("prod-high");
  await page.locator("#f-pooler").selectOption("pgbouncer");
  await page.locator("#f-pgb_version").selectOption("1.21");
  await page.locator("#f-pgb_instances").fill("3");
  await page.locator("#f-db_host").fill("db.internal");
  await page.locator("#f-redis").selectOption("cluster");
  await page.locator("#f-redis_nodes").fill("r1:7000,r2:7000");
  await page.locator("#f-redis_use-queue").check();
  await page.locator("#f-kafka_eos").check();
  await page.locator("#svc-replicas-1").fill("7");
  await page.locator("#svc-workload-2").selectOption("write-heavy");
  await page.locator("#copy-link").click();
  await page.getByText("Link copied").waitFor();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  const before = await fieldValues(page);
  await done();

  const other = await launch();
  try {
    const { page: p2, problems } = await openPage(other.context);
    await gotoApp(p2, link);
    assert.deepEqual(await fieldValues(p2), before);
    assert.deepEqual(problems, []);
  } finally {
    await other.close();
  }
});

test("a link with bad parameters names each one and applies the rest", async () => {
  const { page, done } = await open("?env=production&db_cores=9999&pooler=pgbouncer");
  const notice = page.locator("#link-notice");
  await notice.waitFor();
  const text = await notice.innerText();
  assert.match(text, /env = production: `dev`, `staging`, `prod` or `prod-high`/);
  assert.match(text, /db_cores = 9999: a whole number from 1 to 512/);
  assert.equal(await page.locator("#f-pooler").inputValue(), "pgbouncer", "the good parameter applied");
  assert.equal(await page.locator("#f-db_cores").inputValue(), "4", "the bad one keeps its default");
  await done();
});

test("embed=1&block=pgbouncer.ini shows only that block and posts its height", async () => {
  // A docs site on another origin, which poolcalc's server allows to frame it (the one setting of
  // deploy/Caddyfile; the hosting tests check that it is refused without it).
  const embeddable = await serveDist(process.env.POOLCALC_DIST ?? "dist", { frameAncestors: "'self' http://127.0.0.1:*" });
  const src = `${embeddable.url}?pooler=pgbouncer&embed=1&block=pgbouncer.ini`;
  // The host page listens before the frame exists, as the README's two-line listener does.
  const docs = createServer((_, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(
      `<!DOCTYPE html><title>docs</title><script>window.heights = []; addEventListener("message", (e) => e.data?.type === "poolcalc:height" && heights.push(e.data.height));</script>` +
        `<iframe id="f" src="${src}" width="800" height="200"></iframe>`,
    );
  });
  await new Promise((ok) => docs.listen(0, "127.0.0.1", ok));
  after(() => Promise.all([embeddable.close(), new Promise((ok) => docs.close(ok))]));
  const { page, problems } = await openPage(site.browser.context);
  await page.goto(`http://127.0.0.1:${docs.address().port}/`);
  await page.waitForFunction(() => window.heights.length > 0, null, { timeout: 15000 });
  const message = { height: await page.evaluate(() => window.heights.at(-1)) };
  assert.ok(message.height > 100, `height ${message.height}`);
  const frame = page.frameLocator("#f");
  assert.equal(await frame.locator(".artifact").count(), 1);
  assert.equal(await frame.locator('[id="a-pgbouncer.ini"]').count(), 1);
  assert.equal(await frame.locator("h1").count(), 0, "no page chrome");
  assert.equal(await frame.locator("form.inputs").count(), 0);
  await frame.locator(".findings").waitFor();
  assert.equal(await frame.locator(".finding button.link").count(), 0, "no link to a form that is not there");
  assert.deepEqual(problems, []);
  await page.close();
});

test("secrets stay in memory: never in the address or local storage", async () => {
  const { page, done } = await open("?pooler=pgbouncer");
  await openAdvanced(page);
  await page.locator("#f-db_password").fill("s3cret/pa:ss");
  assert.match(await artifactText(page, "database-url"), /s3cret%2Fpa%3Ass/);
  assert.match(await artifactText(page, "userlist.txt"), /"s3cret\/pa:ss"/);
  await page.locator("#f-db_cores").fill("6");
  await page.waitForURL(/db_cores=6/);
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.ok(!page.url().includes("s3cret") && !stored.includes("s3cret"), `${page.url()} ${stored}`);
  await page.locator("#f-db_password").fill("bad\u0001pw");
  assert.match(await page.locator("#e-db_password").innerText(), /control character/);
  // Reset empties the form, password included, and the outputs go back to the placeholder.
  await page.locator("#f-db_password").fill("s3cret");
  await page.locator("#reset").click();
  assert.equal(await page.locator("#f-db_password").inputValue(), "");
  assert.equal(await page.locator("#f-pooler").inputValue(), "none");
  assert.match(await artifactText(page, "database-url"), /\$\{DB_PASSWORD_URLENCODED\}/);
  await done();
});

test("without a query the last state comes back from local storage", async () => {
  const { page, done } = await open("?env=dev&svc=solo:5");
  await page.locator("#f-db_cores").fill("7");
  await page.goto(site.server.url);
  await page.waitForSelector("#app[data-ready='1']");
  assert.equal(await page.locator("#f-env").inputValue(), "dev");
  assert.equal(await page.locator("#f-db_cores").inputValue(), "7");
  assert.equal(await page.locator("#svc-name-0").inputValue(), "solo");
  await done();
});

test("after the first visit the page computes offline", async () => {
  const { page, done } = await open("?env=staging");
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r, { once: true }));
    }
  });
  await site.browser.context.setOffline(true);
  try {
    await page.reload();
    await page.waitForSelector("#app[data-ready='1']");
    await page.locator("#f-db_cores").fill("10");
    assert.equal(await page.locator("#fig-target").innerText(), "20");
  } finally {
    await site.browser.context.setOffline(false);
  }
  await done();
});

test("a link made under older rules shows today's answer and what changed since", async () => {
  // Written by the page before links carried rules=: made under rules v1.
  const { page, done } = await open("?v=1&pooler=pgbouncer");
  const notice = page.locator("#rules-notice");
  await notice.waitFor();
  assert.match(await notice.textContent(), /made under poolcalc's rules v1.*today's answer \(rules v2\)/s);
  assert.equal(await page.locator("#f-pooler").inputValue(), "pgbouncer", "the link's inputs still apply");
  await notice.getByRole("button", { name: "Dismiss" }).click();
  await notice.waitFor({ state: "hidden" });
  await page.waitForURL(/rules=2/);
  await done();
  const again = await open("?v=1&rules=2&pooler=pgbouncer");
  assert.equal(await again.page.locator("#rules-notice").count(), 0, "no notice under today's rules");
  await again.done();
});
