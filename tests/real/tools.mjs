// Helpers for the real-program tests: the poolcalc CLI, TypeScript compilation of generated
// modules against the real packages, and URL handling.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = resolve(import.meta.dirname, "../..");
const CLI = join(ROOT, "target/debug/poolcalc");

/** Runs the CLI; returns { code, stdout, stderr }. `secrets` become POOLCALC_* variables. */
export function cli(args, secrets = {}) {
  const env = { ...process.env };
  for (const [k, v] of Object.entries(secrets)) env[`POOLCALC_${k.toUpperCase()}_PASSWORD`] = v;
  const r = spawnSync(CLI, args, { env, encoding: "utf8" });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One artifact, exactly as the CLI prints it; fails the test on invalid input. */
export function artifact(name, query, secrets = {}) {
  const r = cli(["--artifact", name, query], secrets);
  if (r.code !== 0 && r.code !== 3) throw new Error(`poolcalc --artifact ${name} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** The JSON plan. */
export function plan(query) {
  const r = cli(["--json", query]);
  if (r.code !== 0 && r.code !== 3) throw new Error(`poolcalc --json exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Parameters only Prisma reads; libpq and node-postgres must not see them. */
const PRISMA_ONLY = ["connection_limit", "pool_timeout", "pgbouncer", "schema", "statement_cache_size", "socket_timeout", "max_connection_lifetime", "max_idle_connection_lifetime", "sslaccept"];

/** The URL with Prisma-only parameters removed (the rest stays byte for byte). */
export function withoutPrismaParams(url) {
  const [base, query = ""] = url.split("?");
  const kept = query.split("&").filter((kv) => kv && !PRISMA_ONLY.includes(kv.split("=")[0]));
  return kept.length ? `${base}?${kept.join("&")}` : base;
}

/** A fresh directory under target/ (inside the repo, so imports resolve to ./node_modules). */
export function workDir(name) {
  const dir = join(ROOT, "target/real-tests", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

const TSC = join(ROOT, "node_modules/typescript/bin/tsc");

/** Type-checks (and, with emit, compiles) files with tsc --strict; returns tsc's output, throws on error. */
export function tsc(dir, files, { emit = false } = {}) {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const config = {
    compilerOptions: {
      strict: true,
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      esModuleInterop: true,
      skipLibCheck: true,
      types: ["node"],
      noEmit: !emit,
      outDir: "out",
    },
    files: Object.keys(files),
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(config, null, 2));
  try {
    return execFileSync(process.execPath, [TSC, "-p", join(dir, "tsconfig.json")], { encoding: "utf8" });
  } catch (e) {
    throw new Error(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
}

/** Imports a compiled module from a work directory's out/. */
export function importCompiled(dir, file) {
  return import(pathToFileURL(join(dir, "out", file)).href);
}
