// Helpers for the real-program tests: the poolcalc CLI, TypeScript compilation of generated
// modules against the real packages, and URL handling.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import dotenv from "dotenv";
import { expand } from "dotenv-expand";

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
export function artifact(name, query, secrets = {}, service) {
  const r = cli(["--artifact", name, ...(service ? ["--service", service] : []), query], secrets);
  if (r.code !== 0 && r.code !== 3) throw new Error(`poolcalc --artifact ${name} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** The JSON plan. */
export function plan(query) {
  const r = cli(["--json", query]);
  if (r.code !== 0 && r.code !== 3) throw new Error(`poolcalc --json exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/**
 * Every URL parameter Prisma 6's engine reads (prisma-engines quaint `url.rs`,
 * `parse_query_params`; the Prisma docs' PostgreSQL table). It discards any other name silently,
 * so a generated Prisma 6 URL may carry only these.
 */
export const PRISMA6_URL_PARAMS = ["connection_limit", "pool_timeout", "connect_timeout", "socket_timeout", "max_connection_lifetime", "max_idle_connection_lifetime", "pgbouncer", "statement_cache_size", "schema", "sslmode", "sslaccept", "sslcert", "sslidentity", "sslpassword", "host", "application_name", "channel_binding", "options"];

/** Of those, the ones libpq does not know (psql refuses a URI that carries them). */
const PRISMA6_ONLY = ["connection_limit", "pool_timeout", "pgbouncer", "statement_cache_size", "schema", "socket_timeout", "max_connection_lifetime", "max_idle_connection_lifetime", "sslaccept", "sslidentity", "sslpassword"];

/** The names of a URL's query parameters, in order. */
export function urlParamNames(url) {
  const query = url.split("?")[1] ?? "";
  return query.split("&").filter(Boolean).map((kv) => kv.split("=")[0]);
}

/**
 * Prisma 6's engine cannot be downloaded here, so psql (libpq) stands in for it when a Prisma 6
 * URL must connect: both decode the URL the same way and fall back from `sslmode=prefer` alike.
 * libpq refuses parameters only Prisma reads, so those are taken out for psql alone; the test
 * checks separately that each of them is one Prisma 6 documents. Every other byte is kept.
 */
export function libpqStandIn(url) {
  const [base, query = ""] = url.split("?");
  const kept = query.split("&").filter((kv) => kv && !PRISMA6_ONLY.includes(kv.split("=")[0]));
  return kept.length ? `${base}?${kept.join("&")}` : base;
}

/** A .env as Prisma 6 loads it: dotenv, then dotenv-expand over the given environment. */
export function prisma6Env(text, environment) {
  const processEnv = { ...environment };
  expand({ parsed: dotenv.parse(text), processEnv });
  return processEnv;
}

/** A URL with the password put in after the user, percent-encoded (what the generated db.ts does). */
export function withPassword(url, password) {
  const at = url.indexOf("@");
  return `${url.slice(0, at)}:${encodeURIComponent(password)}${url.slice(at)}`;
}

/** A .env as plain dotenv (Prisma 7's `import "dotenv/config"`) loads it: no expansion. */
export function plainEnv(text) {
  return dotenv.parse(text);
}

/** A fresh directory under target/ (inside the repo, so imports resolve to ./node_modules). */
export function workDir(name, under = "target/real-tests") {
  const dir = join(ROOT, under, name);
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

const PRISMA = join(ROOT, "node_modules/prisma/build/index.js");

/**
 * A Prisma 7 project as a user would lay it out, made of the generated files exactly as poolcalc
 * prints them: `prisma.config.ts` at the root, the service's `.env` beside it, `src/db.ts`; plus
 * the user's own schema (one model) and a small app that queries through `createPrismaAdapter`.
 * `prisma validate` and `prisma generate` run offline (PRISMA_SCHEMA_ENGINE_BINARY names any
 * file: neither command starts the schema engine); tsc compiles the generated client and the app.
 */
export function prisma7Project(name, query, service, secrets = {}) {
  const dir = workDir(name);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  mkdirSync(join(dir, "prisma"));
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "prisma.config.ts"), artifact("prisma-schema", query, secrets));
  writeFileSync(join(dir, ".env"), artifact("env", query, secrets, service));
  writeFileSync(join(dir, "src/db.ts"), artifact("prisma-client", query, secrets));
  writeFileSync(
    join(dir, "prisma/schema.prisma"),
    'generator client {\n  provider = "prisma-client"\n  output   = "../src/generated/prisma"\n}\n\ndatasource db {\n  provider = "postgresql"\n}\n\nmodel Note {\n  id   Int    @id @default(autoincrement())\n  body String\n}\n',
  );
  // The app: load .env the way Prisma 7 asks (dotenv), build the client with the generated
  // adapter, run `concurrency` queries at once, and report what the server saw for each.
  writeFileSync(
    join(dir, "src/app.ts"),
    `import "dotenv/config";
import { PrismaClient } from "./generated/prisma/client.ts";
import { createPrismaAdapter, type ServiceName } from "./db.ts";

const [service, concurrency = "1", sleep = "0"] = process.argv.slice(2);
const prisma = new PrismaClient({ adapter: createPrismaAdapter(service as ServiceName) });
type Row = { usr: string; db: string; app: string; ssl: boolean };
const rows = await Promise.all(
  Array.from({ length: Number(concurrency) }, () =>
    prisma.$queryRawUnsafe<Row[]>(
      "SELECT current_user AS usr, current_database() AS db, current_setting('application_name') AS app, coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false) AS ssl, pg_sleep($1::float8) IS NULL AS slept",
      Number(sleep),
    ),
  ),
);
await prisma.$disconnect();
console.log(JSON.stringify(rows.map((r) => r[0])));
`,
  );
  const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
  for (const k of ["DATABASE_URL", "DIRECT_URL", "DB_PASSWORD"]) delete env[k];
  execFileSync(process.execPath, [PRISMA, "validate"], { cwd: dir, env, stdio: "pipe" });
  execFileSync(process.execPath, [PRISMA, "generate"], { cwd: dir, env, stdio: "pipe" });
  const config = {
    compilerOptions: { strict: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", rewriteRelativeImportExtensions: true, allowImportingTsExtensions: false, skipLibCheck: true, types: ["node"], outDir: "out", rootDir: "src" },
    include: ["src/**/*.ts"],
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(config, null, 2));
  try {
    execFileSync(process.execPath, [TSC, "-p", join(dir, "tsconfig.json")], { encoding: "utf8" });
  } catch (e) {
    throw new Error(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
  return {
    dir,
    /** Runs the app with `environment` (the secret store's variables); resolves to its rows. */
    run(args, environment = {}) {
      return new Promise((resolveRun, reject) => {
        const childEnv = { ...process.env, ...environment };
        for (const k of ["DATABASE_URL", "DIRECT_URL"]) delete childEnv[k];
        const child = spawn(process.execPath, [join(dir, "out/app.js"), ...args.map(String)], { cwd: dir, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (err += d));
        // A warning (node-postgres' SSL-mode notice, a deprecation) fails the run as an error does.
        child.on("exit", (code) => (code === 0 && err === "" ? resolveRun(JSON.parse(out)) : reject(new Error(`app exited ${code}: ${err}${out}`))));
      });
    },
  };
}

/**
 * A fresh directory beside the librdkafka client (tests/real/native, installed by the setup
 * apart from the root packages), so that its modules resolve there.
 */
export const nativeWorkDir = (name) => workDir(name, "tests/real/native/work");
