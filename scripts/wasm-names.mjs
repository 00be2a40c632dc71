// Shortens the names by which wasm-bindgen's glue and the wasm module find each other.
//
// wasm-bindgen names every import `__wbg_<method>_<16 hex digits>` and closure shims with export
// names of a hundred characters or more. Each name is spelled twice, once in the module's
// import/export section and once in the JS glue, and the hex digits do not compress: about 2 KB
// of the gzip transfer. This renames every import (and the one module they come from) and every
// long export the glue uses to a short name in both files, the way a JS minifier renames locals.
// Nothing else refers to these names (the loader uses only `memory` and the glue's own exports,
// which are kept; exports the glue does not mention keep their names).

const MIN_EXPORT_LENGTH = 24;
const SHORT_MODULE = "w";

function readLeb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}

function leb(value) {
  const out = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return out;
}

const utf8 = new TextDecoder();
const encode = (s) => [...leb(Buffer.byteLength(s)), ...Buffer.from(s)];

function readName(bytes, at) {
  const [len, start] = readLeb(bytes, at);
  return [utf8.decode(bytes.subarray(start, start + len)), start + len];
}

/** Skips an import's description (function, table, memory, global or tag). */
function skipImportDesc(bytes, at) {
  const kind = bytes[at++];
  const limits = (p) => {
    const flags = bytes[p++];
    [, p] = readLeb(bytes, p);
    if (flags & 1) [, p] = readLeb(bytes, p);
    return p;
  };
  switch (kind) {
    case 0: return readLeb(bytes, at)[1];
    case 1: return limits(at + 1);
    case 2: return limits(at);
    case 3: return at + 2;
    case 4: return readLeb(bytes, at + 1)[1];
    default: throw new Error(`wasm-names: unknown import kind ${kind}`);
  }
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
/** `name` as a whole identifier (not part of a longer one). */
const identifier = (name) => new RegExp(`(?<![\\w$])${escape(name)}(?![\\w$])`, "g");
const usedIn = (js, name) => identifier(name).test(js);

/** A short name for the n-th rename (letters, then letters and digits). */
function shortName(n) {
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let s = "";
  do {
    s = alphabet[n % alphabet.length] + s;
    n = Math.floor(n / alphabet.length) - 1;
  } while (n >= 0);
  return `$${s}`;
}

/**
 * Renames the module's imports, their module and the long exports the glue uses, in `wasm`
 * (bytes) and `js` (the glue's text). Returns { wasm, js, renamed }. Throws if a name is not found in the glue, so a change in
 * wasm-bindgen's output fails the build instead of breaking the page.
 */
export function shortenNames(wasm, js) {
  const renames = new Map();
  let importModule;
  const parts = [wasm.subarray(0, 8)];
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, start] = readLeb(wasm, at + 1);
    const end = start + size;
    if (id === 2 || id === 7) {
      const [count, first] = readLeb(wasm, start);
      let p = first;
      const body = [...leb(count)];
      for (let i = 0; i < count; i++) {
        if (id === 2) {
          const [module, afterModule] = readName(wasm, p);
          const [name, afterName] = readName(wasm, afterModule);
          const descEnd = skipImportDesc(wasm, afterName);
          if (importModule !== undefined && module !== importModule) throw new Error("wasm-names: imports from more than one module");
          importModule = module;
          const next = renames.get(name) ?? shortName(renames.size);
          renames.set(name, next);
          body.push(...encode(SHORT_MODULE), ...encode(next), ...wasm.subarray(afterName, descEnd));
          p = descEnd;
        } else {
          const [name, afterName] = readName(wasm, p);
          const descEnd = readLeb(wasm, afterName + 1)[1];
          let next = name;
          if (name.length >= MIN_EXPORT_LENGTH && usedIn(js, name)) {
            next = shortName(renames.size);
            renames.set(name, next);
          }
          body.push(...encode(next), ...wasm.subarray(afterName, descEnd));
          p = descEnd;
        }
      }
      if (p !== end) throw new Error(`wasm-names: section ${id} did not parse to its end`);
      parts.push(Uint8Array.from([id, ...leb(body.length), ...body]));
    } else {
      parts.push(wasm.subarray(at, end));
    }
    at = end;
  }
  // Longest first, so that no name is replaced inside a longer one.
  for (const [from, to] of [...renames].sort((a, b) => b[0].length - a[0].length)) {
    if (!usedIn(js, from)) throw new Error(`wasm-names: ${from} is not in the glue`);
    js = js.replace(identifier(from), () => to);
  }
  if (importModule !== undefined) {
    const quoted = new RegExp(`(["'])${escape(importModule)}\\1`, "g");
    if (!quoted.test(js)) throw new Error(`wasm-names: module ${importModule} is not in the glue`);
    js = js.replace(quoted, () => `"${SHORT_MODULE}"`);
  }
  return { wasm: Buffer.concat(parts), js, renamed: renames.size };
}
