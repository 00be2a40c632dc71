// The generated PostgreSQL-side artifacts, proven by the real programs: PgBouncer 1.18 loads the
// generated pgbouncer.ini + userlist.txt as they are, psql and node-postgres connect with the
// generated DATABASE_URL, and Prisma 7's pool options drive a real pg.Pool through PgBouncer.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { freePort, pgbouncerExit, serverDir, startPgbouncer, startPostgres, writeServerFile } from "./servers.mjs";
import { artifact, importCompiled, plan, tsc, withoutPrismaParams, workDir } from "./tools.mjs";

// Special characters in every part that allows them: the password carries the RFC 3986 delimiters,
// quotes (userlist.txt doubles `"`) and `%`.
const USER = "app.user-1";
const DATABASE = "app_db";
const PASSWORD = `p@$$w0rd/:?#[]&=+ 'q"%41`;
const secrets = { db: PASSWORD };

let pgServer;
before(async () => {
  pgServer = await startPostgres({ user: USER, password: PASSWORD, database: DATABASE });
});
after(() => pgServer?.stop());

/** Shared inputs pointing at the test servers. */
function base(extra) {
  return `db_host=127.0.0.1&db_port=${pgServer.port}&db_user=${USER}&db_name=${DATABASE}&sslmode=disable&${extra}`;
}

/** Runs psql with a connection string and returns its unaligned output. */
function psql(conninfo, sql) {
  return execFileSync("psql", [conninfo, "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql], {
    encoding: "utf8",
    env: { ...process.env, PGCONNECT_TIMEOUT: "10" },
  }).trim();
}

describe("pooler=none: the DATABASE_URL", () => {
  test("connects with psql and node-postgres, and decodes to exactly the inputs", async () => {
    const query = base("pooler=none&svc=api:2");
    const url = artifact("database-url", query, secrets).trim();
    assert.match(url, /^postgresql:\/\/app\.user-1:p%40%24%24w0rd%2F%3A%3F%23%5B%5D%26%3D%2B%20%27q%22%2541@127\.0\.0\.1:/);
    assert.match(url, /connection_limit=\d+&pool_timeout=10&connect_timeout=5&sslmode=disable$/);
    const plain = withoutPrismaParams(url);

    assert.equal(psql(plain, "select current_user || '|' || current_database()"), `${USER}|${DATABASE}`);

    const client = new pg.Client({ connectionString: plain });
    assert.equal(client.user, USER);
    assert.equal(client.password, PASSWORD);
    assert.equal(client.database, DATABASE);
    await client.connect();
    const { rows } = await client.query("select current_user as u, current_database() as d");
    await client.end();
    assert.deepEqual(rows[0], { u: USER, d: DATABASE });
  });
});

describe("PgBouncer 1.18 with the generated pgbouncer.ini and userlist.txt", () => {
  let bouncer;
  let query;
  let dir;
  before(async () => {
    dir = serverDir("poolcalc-pgb-");
    const port = await freePort();
    query = base(`pooler=pgbouncer&pgb_version=1.18&pgb_host=127.0.0.1&pgb_port=${port}&pgb_auth_file=${dir}/userlist.txt`);
    writeServerFile(join(dir, "pgbouncer.ini"), artifact("pgbouncer.ini", query, secrets));
    writeServerFile(join(dir, "userlist.txt"), artifact("userlist.txt", query, secrets));
    bouncer = { port, process: await startPgbouncer(join(dir, "pgbouncer.ini"), port) };
  });
  after(async () => {
    await bouncer?.process.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a client connects through it and runs a query", () => {
    const url = withoutPrismaParams(artifact("database-url", query, secrets).trim());
    assert.match(url, new RegExp(`@127\\.0\\.0\\.1:${bouncer.port}/`), "the URL points at PgBouncer");
    assert.equal(psql(url, "select 40 + 2"), "42");
  });

  test("SHOW CONFIG reports the plan's pool settings", () => {
    const p = plan(query).pgbouncer;
    const conninfo = `postgresql://${encodeURIComponent(USER)}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${bouncer.port}/pgbouncer`;
    const rows = psql(conninfo, "SHOW CONFIG").split("\n").map((l) => l.split("|"));
    const config = Object.fromEntries(rows.map(([k, v]) => [k, v]));
    assert.equal(config.pool_mode, p.pool_mode.toLowerCase());
    assert.equal(Number(config.default_pool_size), p.default_pool_size);
    assert.equal(Number(config.reserve_pool_size), p.reserve_pool_size);
    assert.equal(Number(config.max_client_conn), p.max_client_conn);
    assert.equal(Number(config.max_db_connections), p.max_db_connections);
  });

  test("node-postgres connects through it with the generated URL", async () => {
    const client = new pg.Client({ connectionString: withoutPrismaParams(artifact("database-url", query, secrets).trim()) });
    await client.connect();
    const { rows } = await client.query("select current_user as u");
    await client.end();
    assert.equal(rows[0].u, USER);
  });

  test("a key from a newer version makes 1.18 refuse the file (so the check above can fail)", async () => {
    const newer = query.replace("pgb_version=1.18", "pgb_version=1.25");
    const ini = artifact("pgbouncer.ini", newer, secrets).replace(/listen_port = \d+/, `listen_port = ${await freePort()}`);
    assert.match(ini, /^max_prepared_statements = 200$/m);
    const path = join(dir, "newer.ini");
    writeServerFile(path, ini);
    const { code, output } = await pgbouncerExit(path);
    assert.notEqual(code, 0);
    assert.match(output, /unknown parameter: pgbouncer\/max_prepared_statements/);
  });

  test("Prisma 7: the generated pool options build a real pg.Pool that queries through PgBouncer", async () => {
    const q7 = `${query}&prisma=7&svc=api:2`;
    const dirTs = workDir("prisma7");
    tsc(dirTs, { "db.ts": artifact("prisma-client", q7, secrets) }, { emit: true });
    const mod = await importCompiled(dirTs, "db.js");
    const url = withoutPrismaParams(artifact("database-url", q7, secrets).trim());
    const config = mod.poolConfig("api", url);
    const planned = plan(q7).services.find((s) => s.name === "api");
    assert.equal(config.max, planned.connection_limit);
    assert.ok(config.max > 0, "never max: 0");
    assert.equal(config.connectionTimeoutMillis, planned.pool_timeout * 1000);
    const pool = new pg.Pool(config);
    const { rows } = await pool.query("select 6 * 7 as n");
    await pool.end();
    assert.equal(rows[0].n, 42);
    assert.equal(mod.createPrismaAdapter("api").constructor.name, "PrismaPgAdapterFactory");
  });
});

describe("PgBouncer 1.25 scenario (not installable here)", () => {
  // Keys of the [pgbouncer] section by the release that introduced them (PgBouncer doc/config.md
  // and NEWS): what the generated file may contain for each version.
  const BASE_KEYS = ["listen_addr", "listen_port", "auth_type", "auth_file", "pool_mode", "max_client_conn", "default_pool_size", "reserve_pool_size", "reserve_pool_timeout", "max_db_connections", "ignore_startup_parameters", "stats_users", "admin_users"];
  const ADDED = { 21: ["max_prepared_statements"], 24: ["max_db_client_connections", "max_user_client_connections"], 25: ["transaction_timeout", "query_wait_notify", "scram_iterations"] };
  const keysFor = (minor) => [...BASE_KEYS, ...Object.entries(ADDED).filter(([v]) => minor >= Number(v)).flatMap(([, k]) => k)];

  for (const minor of [18, 21, 24, 25]) {
    test(`every [pgbouncer] key of a 1.${minor} file is known to PgBouncer 1.${minor} (checked against its key list)`, () => {
      const ini = artifact("pgbouncer.ini", `pooler=pgbouncer&pgb_version=1.${minor}&db_schema=billing`);
      const section = ini.split("[pgbouncer]")[1];
      const keys = section.split("\n").filter((l) => l && !l.startsWith(";")).map((l) => l.split(" = ")[0]);
      assert.ok(keys.length >= 10, ini);
      const known = keysFor(minor);
      for (const k of keys) assert.ok(known.includes(k), `1.${minor} does not know ${k}`);
      assert.equal(keys.includes("max_prepared_statements"), minor >= 21);
    });
  }
});
