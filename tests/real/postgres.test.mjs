// The PostgreSQL path, proven by the real programs on default inputs. Each scenario sets only what
// a user must set for their own environment (hosts, ports, the database and user names, file
// paths) and gives the password through the variable the README names; every other input keeps
// its default, and every generated file is used exactly as printed. Where a file asks the user to
// do something (append userlist.txt's entry, make PgBouncer's certificate), the test does what the
// file says. The matrix: direct, PgBouncer transaction mode, PgBouncer session mode; Prisma 7
// (the real client, prisma + @prisma/client + @prisma/adapter-pg) and Prisma 6 (its URLs, with
// psql standing in for its engine, which cannot be downloaded here).
//
// PostgreSQL runs with TLS and a self-signed certificate, as Debian's package and every managed
// service do. PgBouncer is Debian's 1.18, so every PgBouncer scenario sets pgb_version=1.18 (the
// default 1.25 is checked against its key list at the end).
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { freePort, generatedPgbouncer, pgbouncerExit, runFileInstruction, serverDir, serverOwns, startPgbouncer, startPostgres, writeServerFile } from "./servers.mjs";
import { PRISMA6_URL_PARAMS, artifact, cli, libpqStandIn, plainEnv, plan, prisma6Env, prisma7Project, urlParamNames, withPassword } from "./tools.mjs";

// Special characters in every part that allows them: the password carries the RFC 3986 delimiters,
// quotes (userlist.txt doubles `"`), `%` and `$`.
const USER = "app.user-1";
const DATABASE = "app_db";
const PASSWORD = `p@$$w0rd/:?#[]&=+ 'q"%41`;
// The secret store, as each generated file names it.
const PRISMA7_SECRETS = { DB_PASSWORD: PASSWORD };
const PRISMA6_SECRETS = { DB_PASSWORD_URLENCODED: encodeURIComponent(PASSWORD) };
// A service of the default fleet.
const SERVICE = "wallet-service";

let pgServer;
before(async () => {
  pgServer = await startPostgres({ user: USER, password: PASSWORD, database: DATABASE });
});
after(() => pgServer?.stop());

/** What a user sets for their environment, and nothing else. */
const direct = () => `db_host=127.0.0.1&db_port=${pgServer.port}&db_user=${USER}&db_name=${DATABASE}`;

/** The PgBouncer scenario: where it listens and where its files go, and nothing else. */
const bouncerQuery = (port, dir, extra = "") => `${direct()}&pooler=pgbouncer&pgb_version=1.18&pgb_host=127.0.0.1&pgb_port=${port}&pgb_auth_file=${dir}/userlist.txt${extra}`;

/** Runs psql with a connection string and returns its unaligned output. */
function psql(conninfo, sql) {
  return execFileSync("psql", [conninfo, "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql], {
    encoding: "utf8",
    env: { ...process.env, PGCONNECT_TIMEOUT: "10" },
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}

/** The Prisma 6 DATABASE_URL of a service's .env, loaded as Prisma 6 loads it (dotenv-expand). */
function prisma6Url(query, service = SERVICE, key = "DATABASE_URL") {
  const env = prisma6Env(artifact("env", query, {}, service), PRISMA6_SECRETS);
  const url = env[key];
  assert.ok(url, `${key} in the .env`);
  for (const name of urlParamNames(url)) assert.ok(PRISMA6_URL_PARAMS.includes(name), `${name} is not a parameter Prisma 6 reads`);
  return url;
}

/** Polls `count()` every 25 ms while `work` runs; resolves to the largest count seen. */
async function peakWhile(work, count) {
  let peak = 0;
  let done = false;
  const poll = (async () => {
    while (!done) {
      peak = Math.max(peak, await count());
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  try {
    await work;
  } finally {
    done = true;
    await poll;
  }
  return peak;
}

/** Connections the server holds for one application_name. */
function backendsOf(app) {
  return Number(pgServer.psqlAdmin(`SELECT count(*) FROM pg_stat_activity WHERE application_name = '${app}'`));
}

describe("direct (no pooler), default inputs", () => {
  test("Prisma 6: every URL parameter is Prisma 6's, Prisma's .env expansion fills the password, and the URL connects over TLS", () => {
    const url = prisma6Url(direct());
    assert.match(url, /sslmode=prefer$/);
    const stand = libpqStandIn(url);
    assert.equal(psql(stand, "SELECT current_user || '|' || current_database() || '|' || current_setting('application_name')"), `${USER}|${DATABASE}|${SERVICE}`);
    assert.equal(psql(stand, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"), "t", "prefer takes the TLS the server offers");
    // node-postgres decodes the same userinfo to exactly the inputs.
    const client = new pg.Client({ connectionString: url });
    assert.deepEqual([client.user, client.password, client.database], [USER, PASSWORD, DATABASE]);
  });

  test("Prisma 6 broken twin: loaded without expansion, the URL's password is the placeholder text and login fails", () => {
    const env = plainEnv(artifact("env", direct(), {}, SERVICE));
    assert.match(env.DATABASE_URL, /\$\{DB_PASSWORD_URLENCODED\}/);
    assert.throws(() => psql(libpqStandIn(env.DATABASE_URL), "SELECT 1"), /password authentication failed/);
  });

  test("Prisma 7: the generated prisma.config.ts, .env and db.ts run real queries over TLS, and the pool never exceeds its plan", async () => {
    const query = `${direct()}&prisma=7`;
    const limit = plan(query).services.find((s) => s.name === SERVICE).connection_limit;
    const app = prisma7Project("p7-direct", query, SERVICE);
    const run = app.run([SERVICE, 3 * limit, 0.4], PRISMA7_SECRETS);
    const peak = await peakWhile(run, () => backendsOf(SERVICE));
    const rows = await run;
    assert.equal(rows.length, 3 * limit);
    for (const r of rows) assert.deepEqual([r.usr, r.db, r.app, r.ssl], [USER, DATABASE, SERVICE, true]);
    assert.ok(peak > 0 && peak <= limit, `the server saw ${peak} connections from ${SERVICE}, the plan says ${limit}`);
  });

  test("Prisma 7 broken twins: a larger pool shows up in the same count; without DB_PASSWORD, or on a server without TLS, it fails", async () => {
    const query = `${direct()}&prisma=7`;
    const limit = plan(query).services.find((s) => s.name === SERVICE).connection_limit;
    // The counter can see a pool larger than the plan's.
    const env = plainEnv(artifact("env", query, {}, SERVICE));
    const pool = new pg.Pool({ connectionString: withPassword(env.DATABASE_URL, PASSWORD), max: limit + 3 });
    const work = Promise.all(Array.from({ length: 2 * (limit + 3) }, () => pool.query("SELECT pg_sleep(0.4)")));
    const peak = await peakWhile(work, () => backendsOf(SERVICE));
    await pool.end();
    assert.ok(peak > limit, `a pool of ${limit + 3} was seen as ${peak}`);

    const app = prisma7Project("p7-direct-twin", query, SERVICE);
    await assert.rejects(app.run([SERVICE, 1, 0], {}), /password authentication failed|SASL/);
    pgServer.setSsl(false);
    try {
      await assert.rejects(app.run([SERVICE, 1, 0], PRISMA7_SECRETS), /does not support SSL/);
    } finally {
      pgServer.setSsl(true);
    }
  });
});

/** A PgBouncer 1.18 from the generated files (`generatedPgbouncer`: userlist.txt's entry added
 * the way its own comment says). */
const bouncerFor = (extra) => generatedPgbouncer("poolcalc-pgb-", (port, dir) => bouncerQuery(port, dir, extra), pgServer.adminEnv);

/** PgBouncer's console, as the stats user the generated file names (the app's user). */
async function consoleRows(port, command) {
  const c = new pg.Client({ host: "127.0.0.1", port, user: USER, password: PASSWORD, database: "pgbouncer", ssl: false });
  await c.connect();
  try {
    return (await c.query(command)).rows;
  } finally {
    await c.end();
  }
}

/** The app's pool as PgBouncer sees it: its client connections and its server connections. */
async function poolCounts(port) {
  const row = (await consoleRows(port, "SHOW POOLS")).find((r) => r.database === DATABASE && r.user === USER);
  if (!row) return { clients: 0, servers: 0 };
  const n = (k) => Number(row[k] ?? 0);
  return { clients: n("cl_active") + n("cl_waiting"), servers: n("sv_active") + n("sv_idle") + n("sv_used") + n("sv_tested") + n("sv_login") };
}

for (const mode of ["transaction", "session"]) {
  // Session mode is not the default: it is the other half of the matrix.
  const extra = mode === "session" ? "&pgb_mode=session" : "";
  describe(`PgBouncer 1.18, ${mode} mode, with the generated pgbouncer.ini and userlist.txt`, () => {
    let b;
    before(async () => {
      b = { ...(await bouncerFor(extra)), extra };
    });
    after(async () => {
      await b?.process.stop();
      rmSync(b.dir, { recursive: true, force: true });
    });

    test("SHOW CONFIG reports the plan's settings", async () => {
      const p = plan(b.query).pgbouncer;
      const config = Object.fromEntries((await consoleRows(b.port, "SHOW CONFIG")).map((r) => [r.key, r.value]));
      assert.equal(config.pool_mode, mode);
      for (const k of ["default_pool_size", "reserve_pool_size", "max_client_conn", "max_db_connections", "query_wait_timeout"]) assert.equal(Number(config[k]), p[k], k);
      assert.equal(config.server_tls_sslmode, "prefer");
    });

    test("Prisma 6: its URL goes to PgBouncer and connects (psql standing in for the engine)", () => {
      const url = prisma6Url(b.query);
      assert.match(url, new RegExp(`@127\\.0\\.0\\.1:${b.port}/`));
      assert.equal(url.includes("pgbouncer=true"), mode === "transaction", "1.18 predates prepared statements in transaction mode");
      assert.equal(psql(libpqStandIn(url), "SELECT 40 + 2"), "42");
    });

    test("Prisma 7: real queries through PgBouncer; PgBouncer never sees more client or server connections than the plan, and it reaches PostgreSQL over TLS", async () => {
      const q7 = `${b.query}&prisma=7`;
      const p = plan(q7);
      const limit = p.services.find((s) => s.name === SERVICE).connection_limit;
      const server = p.pgbouncer.default_pool_size + p.pgbouncer.reserve_pool_size;
      const app = prisma7Project(`p7-pgb-${mode}`, q7, SERVICE);
      let peak = { clients: 0, servers: 0 };
      const run = app.run([SERVICE, 3 * limit, 0.3], PRISMA7_SECRETS);
      await peakWhile(run, async () => {
        const c = await poolCounts(b.port);
        peak = { clients: Math.max(peak.clients, c.clients), servers: Math.max(peak.servers, c.servers) };
        return 0;
      });
      const rows = await run;
      assert.equal(rows.length, 3 * limit);
      assert.ok(rows.every((r) => r.usr === USER && r.db === DATABASE));
      assert.ok(peak.clients > 0 && peak.clients <= limit, `clients ${peak.clients}, plan ${limit}`);
      assert.ok(peak.servers > 0 && peak.servers <= Math.min(server, p.pgbouncer.max_db_connections), `servers ${peak.servers}, plan ${server}`);
      if (mode === "session") assert.ok(peak.servers <= limit, "one server connection per client");
      const tls = pgServer.psqlAdmin(`SELECT bool_and(ssl) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) WHERE usename = '${USER}'`);
      assert.equal(tls, "t", "server_tls_sslmode = prefer takes the server's TLS");
    });

    test("broken twins: a pool larger than the plan shows in SHOW POOLS; without userlist.txt's entry, login fails", async () => {
      const env = plainEnv(artifact("env", `${b.query}&prisma=7`, {}, SERVICE));
      const limit = plan(`${b.query}&prisma=7`).services.find((s) => s.name === SERVICE).connection_limit;
      const pool = new pg.Pool({ connectionString: withPassword(env.DATABASE_URL, PASSWORD), max: limit + 3 });
      let peak = 0;
      const work = Promise.all(Array.from({ length: 2 * (limit + 3) }, () => pool.query("SELECT pg_sleep(0.3)")));
      await peakWhile(work, async () => (peak = Math.max(peak, (await poolCounts(b.port)).clients)));
      await pool.end();
      assert.ok(peak > limit, `a pool of ${limit + 3} was seen as ${peak} clients`);

      const dir = serverDir("poolcalc-pgb-bare-");
      const port = await freePort();
      const bareQuery = bouncerQuery(port, dir, b.extra);
      writeServerFile(join(dir, "pgbouncer.ini"), artifact("pgbouncer.ini", bareQuery));
      // userlist.txt as printed, without the entry its comment asks for.
      writeServerFile(join(dir, "userlist.txt"), artifact("userlist.txt", bareQuery));
      const bare = await startPgbouncer(join(dir, "pgbouncer.ini"), port);
      try {
        await assert.rejects(consoleRows(port, "SHOW POOLS"), /password authentication failed|SASL|no such user/);
      } finally {
        await bare.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

describe("sslmode=require: PgBouncer offers TLS to the apps (a choice a user makes, checked here)", () => {
  let b;
  before(async () => {
    // The comment in pgbouncer.ini says how to make the key and certificate: the test does so.
    b = await generatedPgbouncer("poolcalc-pgb-tls-", (port, dir) => bouncerQuery(port, dir, "&sslmode=require"), pgServer.adminEnv, (_query, dir, ini) => {
      runFileInstruction(ini, ";   openssl ");
      for (const f of ["pgbouncer.key", "pgbouncer.crt"]) serverOwns(join(dir, f));
    });
  });
  after(async () => {
    await b?.process.stop();
    rmSync(b.dir, { recursive: true, force: true });
  });

  test("Prisma 7's URL requires TLS to PgBouncer and gets it; Prisma 6's too (psql)", async () => {
    const app = prisma7Project("p7-pgb-tls", `${b.query}&prisma=7`, SERVICE);
    const rows = await app.run([SERVICE, 2, 0.5], PRISMA7_SECRETS);
    assert.equal(rows.length, 2);
    const url = prisma6Url(b.query);
    assert.match(url, /sslmode=require$/);
    assert.equal(psql(libpqStandIn(url), "SELECT 1"), "1");
  });

  test("broken twin: the same URL against a PgBouncer without client TLS fails", async () => {
    const dir = serverDir("poolcalc-pgb-notls-");
    const port = await freePort();
    // The default (no client TLS) PgBouncer, sharing the TLS one's userlist.txt.
    writeServerFile(join(dir, "pgbouncer.ini"), artifact("pgbouncer.ini", bouncerQuery(port, b.dir)));
    const plainBouncer = await startPgbouncer(join(dir, "pgbouncer.ini"), port);
    try {
      const url = prisma6Url(bouncerQuery(port, b.dir, "&sslmode=require"));
      assert.throws(() => psql(libpqStandIn(url), "SELECT 1"), /does not support SSL|SSL/);
    } finally {
      await plainBouncer.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("PgBouncer 1.21, 1.24 and 1.25 (not installable here)", () => {
  // Keys of the [pgbouncer] section by the release that introduced them (PgBouncer doc/config.md
  // and NEWS): what the generated file may contain for each version.
  const BASE_KEYS = ["listen_addr", "listen_port", "auth_type", "auth_file", "pool_mode", "max_client_conn", "default_pool_size", "reserve_pool_size", "reserve_pool_timeout", "max_db_connections", "query_wait_timeout", "server_connect_timeout", "ignore_startup_parameters", "server_tls_sslmode", "server_tls_ca_file", "client_tls_sslmode", "client_tls_key_file", "client_tls_cert_file", "stats_users", "admin_users"];
  const ADDED = { 21: ["max_prepared_statements"], 24: ["max_db_client_connections", "max_user_client_connections"], 25: ["transaction_timeout", "query_wait_notify", "scram_iterations"] };
  const keysFor = (minor) => [...BASE_KEYS, ...Object.entries(ADDED).filter(([v]) => minor >= Number(v)).flatMap(([, k]) => k)];

  for (const minor of [18, 21, 24, 25]) {
    test(`every [pgbouncer] key of a 1.${minor} file is known to PgBouncer 1.${minor} (checked against its key list)`, () => {
      const ini = artifact("pgbouncer.ini", `pooler=pgbouncer&pgb_version=1.${minor}&db_schema=billing&sslmode=require&db_ca_file=/etc/ssl/db.pem`);
      const section = ini.split("[pgbouncer]")[1];
      const keys = section.split("\n").filter((l) => l && !l.startsWith(";")).map((l) => l.split(" = ")[0]);
      assert.ok(keys.length >= 15, ini);
      const known = keysFor(minor);
      for (const k of keys) assert.ok(known.includes(k), `1.${minor} does not know ${k}`);
      assert.equal(keys.includes("max_prepared_statements"), minor >= 21);
    });
  }

  test("a key from a newer version makes 1.18 refuse the file (so the check above can fail)", async () => {
    const dir = serverDir("poolcalc-pgb-newer-");
    try {
      const port = await freePort();
      const ini = artifact("pgbouncer.ini", `pooler=pgbouncer&pgb_version=1.25&pgb_port=${port}&pgb_auth_file=${dir}/userlist.txt`);
      assert.match(ini, /^max_prepared_statements = 200$/m);
      const path = join(dir, "newer.ini");
      writeServerFile(path, ini);
      writeServerFile(join(dir, "userlist.txt"), "");
      const { code, output } = await pgbouncerExit(path);
      assert.notEqual(code, 0);
      assert.match(output, /unknown parameter: pgbouncer\/max_prepared_statements/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Runs `poolcalc audit --json --query QUERY` on files; returns { code, report }. */
function auditFiles(query, files) {
  const r = cli(["audit", "--json", "--query", query, ...files]);
  assert.ok(r.code === 0 || r.code === 3, `audit exited ${r.code}: ${r.stderr}`);
  return { code: r.code, report: JSON.parse(r.stdout) };
}

describe("audit: diagnostics.sql and PgBouncer's console, run by psql against the generated deployment under load, agree with the plan", () => {
  let b;
  before(async () => {
    b = await bouncerFor("");
  });
  after(async () => {
    await b?.process.stop();
    rmSync(b.dir, { recursive: true, force: true });
  });

  /** SIGHUP to the PgBouncer (the server user's process) running on `ini`: it reloads the file. */
  function reload(ini) {
    execFileSync("pkill", ["-HUP", "-u", "postgres", "-f", `^pgbouncer ${ini}$`]);
  }

  /** diagnostics.sql as printed, run by psql as its comment says (a superuser's session), and
   * the console command its own comment gives, run with the password from the environment. */
  function runDiagnostics(query) {
    const sql = artifact("diagnostics.sql", query);
    const file = join(b.dir, "diagnostics.sql");
    writeFileSync(file, sql);
    // pg_stat_statements is not installed here: psql reports that one query and goes on.
    const database = execFileSync("psql", ["-X", "-f", file], { encoding: "utf8", env: { ...process.env, ...pgServer.adminEnv }, stdio: ["ignore", "pipe", "pipe"] });
    const pgbouncer = runFileInstruction(sql, "--      psql -X -h ", { env: { PGPASSWORD: PASSWORD, PGCONNECT_TIMEOUT: "10" } });
    const files = [join(b.dir, "database.out"), join(b.dir, "pgbouncer.out")];
    writeFileSync(files[0], database);
    writeFileSync(files[1], pgbouncer);
    return files;
  }

  test("under load from the generated Prisma 7 client, the audit of their output finds nothing and compares equal", async () => {
    const q7 = `${b.query}&prisma=7`;
    const limit = plan(q7).services.find((s) => s.name === SERVICE).connection_limit;
    const app = prisma7Project("p7-audit", q7, SERVICE);
    const run = app.run([SERVICE, 4 * limit, 1], PRISMA7_SECRETS);
    // While the queries run: wait until PgBouncer has the service's clients, then take the snapshot.
    let files;
    await peakWhile(run, async () => {
      const c = await poolCounts(b.port);
      if (!files && c.clients >= Math.min(limit, 2)) files = runDiagnostics(q7);
      return c.clients;
    });
    await run;
    assert.ok(files, "the snapshot was taken under load");
    const { code, report } = auditFiles(q7, files);
    assert.equal(code, 0, JSON.stringify(report.findings, null, 1));
    assert.deepEqual(report.findings.filter((f) => f.severity !== "info"), [], "no warning or error");
    const kinds = report.texts.map((t) => t.kind);
    assert.deepEqual(kinds, ["psql", "psql"]);
    const rows = Object.fromEntries(report.rows.map((r) => [r.setting, r]));
    for (const k of ["pgbouncer.default_pool_size", "pgbouncer.reserve_pool_size", "pgbouncer.max_client_conn", "pgbouncer.max_db_connections", "db_max_conn", "pgb_mode"]) {
      assert.ok(rows[k], `${k} read: ${Object.keys(rows)}`);
      assert.equal(rows[k].differs, false, `${k}: ${JSON.stringify(rows[k])}`);
    }
    const servers = report.rows.find((r) => r.setting === `server connections [${DATABASE}]`);
    assert.ok(servers && Number(servers.written) > 0 && !servers.differs, JSON.stringify(servers));
    assert.ok(!report.link.includes("set="), `nothing to adopt: ${report.link}`);
  });

  test("broken twin: one setting changed in the running PgBouncer (its file edited, then reloaded) is flagged at its line", async () => {
    const p = plan(b.query).pgbouncer;
    const ini = join(b.dir, "pgbouncer.ini");
    const original = readFileSync(ini, "utf8");
    const changed = original.replace(/^default_pool_size = \d+$/m, `default_pool_size = ${p.default_pool_size + 7}`);
    assert.notEqual(changed, original);
    writeServerFile(ini, changed);
    reload(ini);
    try {
      let config = "";
      for (let i = 0; i < 40 && !config.includes(String(p.default_pool_size + 7)); i++) {
        await new Promise((r) => setTimeout(r, 100));
        config = JSON.stringify(await consoleRows(b.port, "SHOW CONFIG"));
      }
      const files = runDiagnostics(b.query);
      const { report } = auditFiles(b.query, files);
      const flagged = report.findings.find((f) => f.code === "audit.differs_from_plan" && f.message.startsWith("pgbouncer.default_pool_size"));
      assert.ok(flagged, JSON.stringify(report.findings, null, 1));
      const line = readFileSync(files[1], "utf8").split("\n")[flagged.at.line - 1];
      assert.match(line, /default_pool_size\s*\|\s*\d+/, "the finding points at SHOW CONFIG's row");
      assert.ok(report.link.includes(`set=pgbouncer.default_pool_size:${p.default_pool_size + 7}`), report.link);
    } finally {
      writeServerFile(ini, original);
      reload(ini);
    }
  });
});

describe("audit: PgBouncer 1.18 itself decides what the audit calls a file it refuses", () => {
  // Each variant is the generated file with one line (or a [users] section) a team might write; PgBouncer 1.18 either
  // starts on it or refuses it, and the audit (asked about 1.18) must say the same.
  const VARIANTS = {
    "as generated": (ini) => ini,
    "a whole-line ; comment": (ini) => `${ini}; note\n`,
    "a whole-line # comment": (ini) => `${ini}# note\n`,
    "a value in upper case": (ini) => ini.replace(/^pool_mode = (\w+)$/m, (_, m) => `pool_mode = ${m.toUpperCase()}`),
    "a hexadecimal number": (ini) => ini.replace(/^max_client_conn = \d+$/m, "max_client_conn = 0x100"),
    "a ; comment after a value": (ini) => ini.replace(/^pool_mode = (\w+)$/m, "pool_mode = $1 ; the mode"),
    "a # comment after a number": (ini) => ini.replace(/^default_pool_size = (\d+)$/m, "default_pool_size = $1 # per pool"),
    "a key in upper case": (ini) => ini.replace(/^pool_mode = /m, "POOL_MODE = "),
    "a key from 1.21": (ini) => `${ini}max_prepared_statements = 100\n`,
    "a key with a space": (ini) => `${ini}pool size = 5\n`,
    "a section in other case": (ini) => ini.replace("[pgbouncer]", "[PgBouncer]"),
    "an unknown connection parameter": (ini) => ini.replace(/^(\S+ = host=\S+)/m, "$1 sslmode=require"),
    "a per-user cap in [users]": (ini) => `${ini}[users]\n${USER} = max_user_connections=3\n`,
    "a per-user pool_size (1.23) in [users]": (ini) => `${ini}[users]\n${USER} = pool_size=3\n`,
  };
  const REFUSAL = ["pgbouncer.ini_stops", "pgbouncer.unknown_key", "pgbouncer.invalid_value", "pgbouncer.database_key", "pgbouncer.user_key", "pgbouncer.user_line"];

  test("every variant: the audit's verdict is PgBouncer's", async () => {
    const dir = serverDir("poolcalc-pgb-variants-");
    try {
      const port = await freePort();
      const query = bouncerQuery(port, dir);
      const generated = artifact("pgbouncer.ini", query);
      writeServerFile(join(dir, "userlist.txt"), "");
      let refusedSome = false;
      let acceptedSome = false;
      for (const [name, edit] of Object.entries(VARIANTS)) {
        const text = edit(generated);
        const path = join(dir, "pgbouncer.ini");
        writeServerFile(path, text);
        const { code, output } = await pgbouncerExit(path);
        // Started and ran until stopped (null), or exited at once with an error.
        const pgbouncerRefused = code !== null && code !== 0;
        const { report } = auditFiles(query, [path]);
        const auditRefused = report.findings.some((f) => REFUSAL.includes(f.code));
        assert.equal(auditRefused, pgbouncerRefused, `${name}: PgBouncer ${pgbouncerRefused ? "refused" : "started"} (${output.trim().split("\n").slice(-2).join(" | ")}); audit: ${JSON.stringify(report.findings.map((f) => f.code))}`);
        refusedSome ||= pgbouncerRefused;
        acceptedSome ||= !pgbouncerRefused;
      }
      assert.ok(refusedSome && acceptedSome, "both verdicts occur");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
