// Performance figures of the built site (dist/), measured in headless Chromium on loopback.
// Prints five figures (the first-load transfer gzipped and as served); asserts nothing (targets are checked by reading them, not by tests).
//   node scripts/bench.mjs            (or: make bench)
import { chromium } from "playwright-core";
import { existsSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { serveDist } from "../tests/browser/server.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 200);
const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--enable-precise-memory-info", "--js-flags=--expose-gc"];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

// Marks the moment the first complete answer (budget + findings + artifacts) is in the page and
// painted (the next frame starts), and reports it on the console: the runs below listen for that
// message instead of polling the page, because Playwright's polling evaluates its own script in
// the page while it loads, which delays the very frame being measured.
const MARK_ANSWER = () => {
  const check = () => {
    const done = document.querySelector("#budget-headline") && document.querySelector(".finding") && document.querySelector('[id="a-env"] pre')?.textContent.length > 0;
    if (done)
      requestAnimationFrame(() => {
        window.__answerAt = performance.now();
        console.debug(`poolcalc:answer ${window.__answerAt}`);
      });
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
  addEventListener("TrunkApplicationStarted", (e) => (window.__wasmMemory = e.detail.wasm.memory));
  // Everything mounted (the form comes a frame after the answer).
  const ready = () => (document.querySelector("#app[data-ready='1']") ? console.debug("poolcalc:ready") : requestAnimationFrame(ready));
  requestAnimationFrame(ready);
};
// The bare Leptos page's first frame with its button in the page.
const MARK_BARE = () => {
  const check = () => (document.querySelector("#bare button") ? requestAnimationFrame(() => console.debug(`poolcalc:answer ${performance.now()}`)) : requestAnimationFrame(check));
  requestAnimationFrame(check);
};
/** Resolves with the value of the first console message `poolcalc:<what> [value]` of the page. */
const consoleSignal = (page, what) =>
  new Promise((resolve) => page.on("console", (m) => m.text().startsWith(`poolcalc:${what}`) && resolve(Number(m.text().split(" ")[1]))));

const server = await serveDist("dist");
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", headless: true, args: FLAGS });
try {
  // 1. First-load transfer: every file the page fetches, gzip -9.
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const fetched = new Set();
  const responses = [];
  page.on("request", (r) => fetched.add(new URL(r.url()).pathname));
  page.on("requestfinished", (r) => responses.push(r));
  await page.goto(server.url);
  await page.waitForSelector("#app[data-ready='1']");
  await page.waitForLoadState("networkidle");
  let transfer = 0;
  for (const path of fetched) {
    const file = join("dist", path === "/" ? "index.html" : path);
    if (/\.(html|js|wasm|css)$/.test(file) && !file.endsWith("sw.js")) transfer += gzipSync(readFileSync(file), { level: 9 }).length;
  }
  // As served: the encoded bodies Caddy sent (deploy/Caddyfile: the precompressed brotli copies).
  let served = 0;
  for (const r of responses) {
    const path = new URL(r.url()).pathname;
    if (/\.(js|wasm|css)$|\/$|\.html$/.test(path) && !path.endsWith("sw.js")) served += (await r.sizes()).responseBodySize;
  }
  await ctx.close();

  // 2. Navigation to the first complete answer painted, cold (fresh context each run). When
  // target/bench-bare holds the bare Leptos page (make bench builds it), each run is followed by a
  // run of that page, timed to its first frame the same way: this machine's timings drift by a
  // third between sessions, and the pair says how the answer compares with any Leptos page now.
  const cold = async (url, mark) => {
    const c = await browser.newContext();
    await c.addInitScript(mark);
    const p = await c.newPage();
    const answered = consoleSignal(p, "answer");
    await p.goto(url, { waitUntil: "commit" });
    const t = await answered;
    await c.close();
    return t;
  };
  const bare = existsSync("target/bench-bare/index.html") ? await serveDist("target/bench-bare") : null;
  const answers = [];
  const bareAnswers = [];
  for (let i = 0; i < RUNS; i++) {
    answers.push(await cold(server.url, MARK_ANSWER));
    if (bare) bareAnswers.push(await cold(bare.url, MARK_BARE));
  }
  await bare?.close();

  // 3. Input change → updated artifacts, and 4. memory after load.
  const c = await browser.newContext();
  await c.addInitScript(MARK_ANSWER);
  const p = await c.newPage();
  const ready = consoleSignal(p, "ready");
  await p.goto(server.url);
  await ready;
  // Measured after a full garbage collection, so the figure is what the page keeps, not when GC last
  // ran, and before Playwright's selector engine is injected into the page (waitFor* would add it).
  const memory = await p.evaluate(() => {
    window.gc?.();
    return { heap: performance.memory.usedJSHeapSize, wasm: window.__wasmMemory?.buffer.byteLength ?? 0 };
  });
  const updates = await p.evaluate(async (n) => {
    const input = document.querySelector("#f-db_cores");
    const target = document.querySelector('[id="a-env"] pre');
    const times = [];
    for (let i = 0; i < n; i++) {
      const changed = new Promise((resolve) => {
        const mo = new MutationObserver(() => {
          mo.disconnect();
          resolve(performance.now());
        });
        // The .env block's header names the cores, so it changes with every step.
        mo.observe(target, { childList: true, subtree: true, characterData: true });
      });
      const t0 = performance.now();
      input.value = String(2 + (i % 60));
      input.dispatchEvent(new Event("input", { bubbles: true }));
      const t1 = await changed;
      if (!target.textContent.includes(` ${input.value} cores`)) throw new Error("the artifact did not follow the input");
      times.push(t1 - t0);
    }
    return times;
  }, CHANGES);
  await c.close();

  const kb = (b) => (b / 1024).toFixed(1);
  console.log(`first_load_transfer_gzip_bytes=${transfer} (${kb(transfer)} KiB; html+js+wasm+css)`);
  console.log(`first_load_transfer_served_bytes=${served} (${kb(served)} KiB; as Caddy serves them: brotli)`);
  const bareNote = bareAnswers.length ? `; bare Leptos page in the same runs: median ${median(bareAnswers).toFixed(1)}` : "";
  console.log(`first_answer_ms_median=${median(answers).toFixed(1)} (cold, ${RUNS} runs; min ${Math.min(...answers).toFixed(1)}, max ${Math.max(...answers).toFixed(1)}${bareNote})`);
  console.log(`input_to_update_ms_median=${median(updates).toFixed(2)} p95=${p95(updates).toFixed(2)} (${CHANGES} changes)`);
  console.log(`memory_after_load_bytes=${memory.heap + memory.wasm} (${kb(memory.heap + memory.wasm)} KiB: js heap ${kb(memory.heap)} + wasm ${kb(memory.wasm)})`);
} finally {
  await browser.close();
  await server.close();
}
