// The site as deployed: deploy/Caddyfile on Debian's Caddy serves every file with its headers,
// sends precompressed copies that decode to the very bytes built, refuses to be framed by another
// origin unless that origin is configured, and works under a subpath, offline included.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { gotoApp, launch, openPage } from "./harness.mjs";
import { hostEnv, serveDist } from "./server.mjs";

const DIST = process.env.POOLCALC_DIST ?? "dist";
const SUBPATH_DIST = "target/dist-subpath";
const HASHED = /-[0-9a-f]{16}(_bg)?\.(js|wasm|css|svg)$/;
const TYPES = { html: /^text\/html/, js: /^text\/javascript/, css: /^text\/css/, wasm: /^application\/wasm$/, svg: /^image\/svg\+xml/ };

const servers = [];
after(async () => Promise.all(servers.map((s) => s.close())));
async function serve(root, options) {
  const s = await serveDist(root, options);
  servers.push(s);
  return s;
}

/** The built files a browser may ask for (not the precompressed copies themselves). */
const siteFiles = (root) => readdirSync(root).filter((f) => !/\.(br|gz)$/.test(f));

test("every file is served with the policy, the security headers, its type and its caching", async () => {
  const s = await serve(DIST);
  const csp = hostEnv(DIST).POOLCALC_CSP;
  for (const f of siteFiles(DIST)) {
    const r = await fetch(s.url + (f === "index.html" ? "" : f));
    assert.equal(r.status, 200, f);
    const h = (k) => r.headers.get(k);
    assert.equal(h("content-security-policy"), `${csp}; frame-ancestors 'self'`, f);
    assert.equal(h("x-content-type-options"), "nosniff", f);
    assert.equal(h("referrer-policy"), "no-referrer", f);
    assert.equal(h("cache-control"), HASHED.test(f) ? "public, max-age=31536000, immutable" : "no-cache", f);
    const ext = f.split(".").pop();
    if (TYPES[ext]) assert.match(h("content-type"), TYPES[ext], f);
    await r.arrayBuffer();
  }
});

test("compressed responses decode to the very bytes built, for brotli and gzip", async () => {
  const s = await serve(DIST);
  const { request } = await import("node:http");
  // node's fetch decodes for us; a raw request shows what is on the wire.
  const raw = (path, encoding) =>
    new Promise((ok, fail) => {
      const req = request(s.url + path, { headers: { "accept-encoding": encoding } }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => ok({ headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on("error", fail);
      req.end();
    });
  let checked = 0;
  for (const f of siteFiles(DIST).filter((f) => /\.(html|js|css|wasm|svg)$/.test(f))) {
    const built = readFileSync(join(DIST, f));
    const path = f === "index.html" ? "" : f;
    for (const [encoding, decode] of [["br", brotliDecompressSync], ["gzip", gunzipSync]]) {
      const { headers, body } = await raw(path, encoding);
      assert.equal(headers["content-encoding"], encoding, `${f} as ${encoding}`);
      assert.match(headers.vary ?? "", /Accept-Encoding/i, f);
      assert.ok(body.length < built.length || built.length < 600, `${f}: ${encoding} is smaller`);
      assert.ok(decode(body).equals(built), `${f}: ${encoding} decodes to the built file`);
      checked++;
    }
    const plain = await raw(path, "identity");
    assert.equal(plain.headers["content-encoding"], undefined, f);
    assert.ok(plain.body.equals(built), `${f} uncompressed`);
  }
  assert.ok(checked >= 12, `${checked} responses checked`);
});

/** A page on another origin (another port of 127.0.0.1) that frames `url`. */
async function framingPage(url) {
  const server = createServer((_, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(`<!DOCTYPE html><title>docs</title><iframe id="embed" src="${url}?embed=1&block=pgbouncer.ini" width="800" height="600"></iframe>`);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  servers.push({ close: () => new Promise((ok) => server.close(ok)) });
  return origin;
}

/** Whether the frame at `docs` shows poolcalc's app (waits up to 8 s for it). */
async function framed(browser, docs) {
  const page = await browser.context.newPage();
  const refused = [];
  page.on("console", (m) => /frame-ancestors|Refused to frame/.test(m.text()) && refused.push(m.text()));
  await page.goto(docs);
  let shown = false;
  for (let i = 0; i < 80 && !shown; i++) {
    for (const frame of page.frames().filter((f) => f.url().includes("embed=1"))) {
      shown ||= await frame.evaluate(() => !!document.querySelector("#app[data-ready='1']")).catch(() => false);
    }
    if (!shown) await new Promise((r) => setTimeout(r, 100));
  }
  const frames = page.frames().map((f) => f.url());
  await page.close();
  return { shown, refused, frames };
}

test("another origin's page cannot frame poolcalc under the default, and can once it is configured", async () => {
  const browser = await launch();
  try {
    const byDefault = await serve(DIST);
    const docs = await framingPage(byDefault.url);
    const refused = await framed(browser, docs);
    assert.equal(refused.shown, false, `framed by another origin under frame-ancestors 'self': ${refused.frames}`);
    assert.ok(refused.refused.length > 0, "the browser says it refused the frame");

    const allowed = await serve(DIST, { frameAncestors: "'self' http://127.0.0.1:*" });
    const docs2 = await framingPage(allowed.url);
    const shown = await framed(browser, docs2);
    assert.equal(shown.shown, true, `framed once its origin is configured: ${shown.refused}`);
  } finally {
    await browser.close();
  }
});

test("under a subpath (built with --public-url), the page answers, and works offline after the first visit", async () => {
  const s = await serve(SUBPATH_DIST, { prefix: "/tools/poolcalc/" });
  const browser = await launch();
  try {
    const { page, problems } = await openPage(browser.context);
    await gotoApp(page, s.url);
    assert.equal(await page.locator("#fig-target").innerText(), "8");
    const assets = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname));
    assert.ok(assets.length > 0 && assets.every((p) => p.startsWith("/tools/poolcalc/")), assets.join(" "));
    // The service worker takes the subpath as its scope and precaches the site.
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    assert.equal(new URL(scope).pathname, "/tools/poolcalc/");
    await page.evaluate(async () => {
      if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r, { once: true }));
    });
    await browser.context.setOffline(true);
    await page.reload();
    await page.waitForSelector("#app[data-ready='1']");
    await page.locator("#f-db_cores").fill("16");
    assert.equal(await page.locator("#fig-target").innerText(), "32", "computed offline");
    await browser.context.setOffline(false);
    assert.deepEqual(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED/.test(p)), []);
  } finally {
    await browser.close();
  }
});
