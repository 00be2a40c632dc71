// scripts/wasm-names.mjs on a fixture in wasm-bindgen's shape: the renamed module and glue still
// find each other and run; what the glue does not mention keeps its name; a glue that lacks a name
// fails loudly instead of producing a page that cannot start.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import binaryen from "binaryen";
import { shortenNames } from "../../scripts/wasm-names.mjs";

const fixture = (name) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), "utf8");

function compile() {
  const module = binaryen.parseText(fixture("module.wat"));
  assert.ok(module.validate(), "the fixture is a valid module");
  const bytes = Buffer.from(module.emitBinary());
  module.dispose();
  return bytes;
}

const names = (bytes) => {
  const m = new WebAssembly.Module(bytes);
  return {
    imports: WebAssembly.Module.imports(m).map((i) => `${i.module}:${i.name}`),
    exports: WebAssembly.Module.exports(m).map((e) => e.name),
  };
};

/** Imports a glue text as an ES module of its own. */
async function load(js) {
  const dir = mkdtempSync(join(tmpdir(), "wasm-names-"));
  const file = join(dir, "glue.mjs");
  writeFileSync(file, js);
  return import(pathToFileURL(file).href);
}

test("the renamed module and glue still instantiate and call each other", async () => {
  const wasm = compile();
  const out = shortenNames(wasm, fixture("glue.js"));
  assert.equal(out.renamed, 3, "two imports and one long export");
  const after = names(out.wasm);
  assert.deepEqual(after.imports, ["w:$a", "w:$b"]);
  assert.ok(after.exports.includes("memory") && after.exports.includes("short_export"), "short and loader names stay");
  assert.ok(after.exports.includes("an_export_the_glue_never_mentions_at_all"), "exports the glue does not use stay");
  assert.ok(!after.exports.some((e) => e.startsWith("closure_shim")), "the long export the glue uses is renamed");
  assert.doesNotMatch(out.js, /__wbg_log_|closure_shim_|fixture_bg/, "no old name is left in the glue");
  assert.ok(out.wasm.length < wasm.length, "the module is smaller");

  const glue = await load(out.js);
  glue.initSync(out.wasm);
  glue.call(7);
  assert.deepEqual(glue.seen, [7], "the wasm reached the glue's import through the short names");
  assert.equal(glue.now(), 42, "the glue reached the wasm's export and back");
});

test("the untouched pair works too (the switch that turns the rewrite off)", async () => {
  const glue = await load(fixture("glue.js"));
  glue.initSync(compile());
  glue.call(1);
  assert.equal(glue.now(), 42);
});

test("a glue without one of the module's names stops the build", () => {
  const glue = fixture("glue.js").replace("__wbg_now_fedcba9876543210", "__wbg_now_0000000000000000");
  assert.throws(() => shortenNames(compile(), glue), /__wbg_now_fedcba9876543210 is not in the glue/);
});

test("a glue that names another import module stops the build", () => {
  const glue = fixture("glue.js").replace('"./fixture_bg.js"', '"./other_bg.js"');
  assert.throws(() => shortenNames(compile(), glue), /module \.\/fixture_bg\.js is not in the glue/);
});
