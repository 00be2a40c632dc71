// Trunk post-build hook (Trunk.toml [[hooks]]): in release builds, (1) minifies wasm-bindgen's JS
// glue (terser) and the stylesheet (csso), shortens the names the wasm and its glue share
// (wasm-names.mjs) and updates their subresource-integrity hashes (Trunk's own minifier leaves
// the glue as is and drops the <head> tag this hook relies on), (2) adds
// a strict Content-Security-Policy whose script-src allows Trunk's inline loader by its sha256 hash
// and nothing else inline, and (3) writes sw.js, the service worker that caches exactly the files of
// this build, named by a version derived from their contents.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { join } from "node:path";
import { minify as minifyCss } from "csso";
import { minify as minifyJs } from "terser";
import { shortenNames } from "./wasm-names.mjs";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error("TRUNK_STAGING_DIR is not set: run this from Trunk's post_build hook");
const release = process.env.TRUNK_PROFILE === "release";
const indexPath = join(dir, "index.html");
let html = readFileSync(indexPath, "utf8");

const sha256 = (text) => createHash("sha256").update(text).digest("base64");

if (release) {
  // The glue is an ES module imported by name: terser keeps its exports, renames only locals.
  // The stylesheet keeps its rules in order (no restructuring), only shorter.
  const minify = async (f, text) =>
    f.endsWith(".js")
      ? (await minifyJs(text, { module: true, ecma: 2020, compress: { passes: 2 } })).code
      : minifyCss(text, { restructure: false }).css;
  const files = readdirSync(dir);
  for (const f of files.filter((f) => /\.(js|css)$/.test(f) && f !== "sw.js")) {
    const path = join(dir, f);
    writeFileSync(path, await minify(f, readFileSync(path, "utf8")));
  }
  // The wasm and its glue find each other by short names (scripts/wasm-names.mjs), unless
  // POOLCALC_WASM_NAMES=0 turns that off (the fallback build in `make test` does; README, "Toolchain
  // facts", says when to drop the rewrite).
  // The page's own glue and module (not the audit's, which the page loads by name later).
  const own = (f) => f !== "sw.js" && !f.startsWith("poolcalc-audit");
  const glue = files.find((f) => own(f) && f.endsWith(".js"));
  const module = files.find((f) => own(f) && f.endsWith(".wasm"));
  if (glue && module && process.env.POOLCALC_WASM_NAMES !== "0") {
    const shorter = shortenNames(readFileSync(join(dir, module)), readFileSync(join(dir, glue), "utf8"));
    writeFileSync(join(dir, module), shorter.wasm);
    writeFileSync(join(dir, glue), shorter.js);
  }
  // Subresource integrity of every rewritten file that index.html links (the audit's files are
  // loaded by the page itself, by their fixed names).
  for (const f of files.filter((f) => /\.(js|css|wasm)$/.test(f) && f !== "sw.js" && !f.startsWith("poolcalc-audit"))) {
    const integrity = `sha384-${createHash("sha384").update(readFileSync(join(dir, f))).digest("base64")}`;
    let updated = 0;
    html = html.replace(/<link\b[^>]*>/g, (tag) => {
      if (!tag.includes(`/${f}"`)) return tag;
      updated++;
      return tag.replace(/integrity="sha384-[^"]*"/, `integrity="${integrity}"`);
    });
    if (updated !== 1) throw new Error(`post-build: expected one <link> to ${f} in index.html, found ${updated}`);
  }
  const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${sha256(m[1])}'`);
  const csp = [
    "default-src 'none'",
    `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(" ")}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  html = html.replace(/<head>/i, `<head><meta http-equiv="Content-Security-Policy" content="${csp}">`);
  writeFileSync(indexPath, html);
}

const files = readdirSync(dir).filter((f) => f !== "sw.js" && !/\.(br|gz)$/.test(f)).sort();
const version = createHash("sha256");
for (const f of files) version.update(f).update(readFileSync(join(dir, f)));
const template = readFileSync(join(import.meta.dirname, "sw.template.js"), "utf8");
const sw = template
  .replace("__VERSION__", `poolcalc-${version.digest("hex").slice(0, 16)}`)
  .replace("__FILES__", JSON.stringify(["./", ...files.map((f) => `./${f}`)]));
writeFileSync(join(dir, "sw.js"), sw);

if (release) {
  // Precompressed copies beside each file (brotli at its best quality, gzip -9), which the server
  // sends to a browser that accepts them.
  for (const f of readdirSync(dir).filter((f) => /\.(html|js|css|wasm|svg)$/.test(f))) {
    const body = readFileSync(join(dir, f));
    writeFileSync(join(dir, `${f}.br`), brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
    writeFileSync(join(dir, `${f}.gz`), gzipSync(body, { level: 9 }));
  }
}
