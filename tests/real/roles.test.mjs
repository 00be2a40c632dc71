// A role per service (db_roles=per-service), proven by PostgreSQL and PgBouncer 1.18 with the
// generated files as printed. Each scenario sets what a user must set for their environment
// (hosts, ports, names, paths, the password through DB_PASSWORD) and db_roles=per-service, the
// choice under test; prisma=7 because the real Prisma 7 client is the app here (Prisma 6's engine
// cannot be downloaded). Every file is run the way its own comments say: roles.sql by the psql
// command it gives, userlist.txt's entries by the psql command it gives.
//
// - Without a pooler, roles.sql (run as the owner with CREATEROLE, as on a managed server) makes
//   PostgreSQL refuse a service's (n+1)-th connection, where n is the plan's worst case for it;
//   the twin without roles accepts it.
// - Behind PgBouncer, one service saturated with slow queries cannot delay another: the other
//   gets its server connection at once; the twin with one shared user waits until PgBouncer's
//   query_wait_timeout fails it.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { generatedPgbouncer, runFileInstruction, serverDir, startPostgres } from "./servers.mjs";
import { artifact, plainEnv, plan, prisma7Project, withPassword } from "./tools.mjs";

const USER = "app.user-1";
const DATABASE = "app_db";
const PASSWORD = `p@$$w0rd/:?#[]&=+ 'q"%41`;
const SECRETS = { DB_PASSWORD: PASSWORD };
// The busiest service of the default fleet, and the one with the smallest share.
const BUSY = "wallet-service";
const OTHER = "ranking-service";

let pgServer;
before(async () => {
  pgServer = await startPostgres({ user: USER, password: PASSWORD, database: DATABASE });
  // A table of the owner's, as migrations (the direct URL, the owner's user) would make it.
  pgServer.psqlAdmin(`SET ROLE "${USER}"; CREATE TABLE notes (id int); INSERT INTO notes VALUES (1), (2)`, DATABASE);
  // The owner is what a managed server's main user is: not a superuser, with CREATEROLE.
  pgServer.psqlAdmin(`ALTER ROLE "${USER}" CREATEROLE`);
});
after(() => pgServer?.stop());

const direct = () => `db_host=127.0.0.1&db_port=${pgServer.port}&db_user=${USER}&db_name=${DATABASE}&prisma=7`;
const bouncerQuery = (port, dir, extra = "") => `${direct()}&pooler=pgbouncer&pgb_version=1.18&pgb_host=127.0.0.1&pgb_port=${port}&pgb_auth_file=${dir}/userlist.txt${extra}`;

/** The service's DATABASE_URL from its generated .env, with the password in. */
const serviceUrl = (query, service) => withPassword(plainEnv(artifact("env", query, {}, service)).DATABASE_URL, PASSWORD);

/** roles.sql as printed, run by the psql command in its comment as the owner (not a superuser),
 * with DB_PASSWORD set. */
function applyRoles(query, dir, secrets = SECRETS) {
  const sql = artifact("roles.sql", query);
  writeFileSync(join(dir, "roles.sql"), sql);
  runFileInstruction(sql, "--   psql ", { cwd: dir, env: { ...pgServer.adminEnv, ...secrets, PGUSER: USER } });
  return sql;
}

/** Opens clients one by one until one is refused; returns the clients and the refusal. */
async function openUntilRefused(url, most) {
  const clients = [];
  let refusal = null;
  for (let i = 0; i < most && !refusal; i++) {
    const c = new pg.Client({ connectionString: url });
    try {
      await c.connect();
      clients.push(c);
    } catch (e) {
      refusal = e;
    }
  }
  return { clients, refusal };
}

describe("no pooler: roles.sql caps each service's role at its worst case", () => {
  let dir;
  before(() => {
    dir = serverDir("poolcalc-roles-");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("the (n+1)-th connection of a service is refused; the first n work, as the service's role, with the owner's tables", async () => {
    const query = `${direct()}&db_roles=per-service`;
    const p = plan(query);
    const role = p.roles.roles.find((r) => r.service === BUSY);
    const n = role.connection_limit;
    assert.equal(n, p.services.find((s) => s.name === BUSY).total, "the role's limit is the service's worst case");
    applyRoles(query, dir);
    // Running it again (the file says it may be) fails nothing and keeps the password's secret,
    // which userlist.txt may hold.
    const secret = () => pgServer.psqlAdmin(`SELECT rolpassword FROM pg_authid WHERE rolname = '${role.user}'`);
    const before = secret();
    assert.match(before, /^SCRAM-SHA-256\$/);
    applyRoles(query, dir);
    assert.equal(secret(), before);
    const { clients, refusal } = await openUntilRefused(serviceUrl(query, BUSY), n + 1);
    try {
      assert.equal(clients.length, n, `opened ${clients.length} of the role's ${n}`);
      assert.match(String(refusal?.message), /too many connections for role/);
      const row = (await clients[0].query("SELECT current_user AS usr, (SELECT count(*) FROM notes)::int AS notes")).rows[0];
      assert.deepEqual(row, { usr: role.user, notes: 2 });
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    // The real Prisma 7 client with the generated files logs in as the role.
    const app = prisma7Project("p7-roles-direct", query, BUSY);
    const rows = await app.run([BUSY, 2, 0], SECRETS);
    assert.ok(rows.every((r) => r.usr === role.user), JSON.stringify(rows));
  });

  test("broken twins: with one shared user the same n+1 connections are all accepted; roles.sql without DB_PASSWORD stops with an error", async () => {
    const shared = direct();
    const n = plan(`${shared}&db_roles=per-service`).roles.roles.find((r) => r.service === BUSY).connection_limit;
    const { clients, refusal } = await openUntilRefused(serviceUrl(shared, BUSY), n + 1);
    await Promise.all(clients.map((c) => c.end()));
    assert.equal(refusal, null, String(refusal));
    assert.equal(clients.length, n + 1);

    // Without DB_PASSWORD, or with it empty (which would clear a role's password), it stops
    // before changing anything.
    const other = `${shared}&db_roles=per-service&svc=other:1`;
    writeFileSync(join(dir, "roles.sql"), artifact("roles.sql", other));
    assert.throws(() => execFileSync("psql", ["-X", "-d", DATABASE, "-f", "roles.sql"], { cwd: dir, env: { ...process.env, ...pgServer.adminEnv, PGUSER: USER }, stdio: "pipe" }), /needs the services' password/);
    assert.throws(() => applyRoles(other, dir, { DB_PASSWORD: "" }), /needs the services' password/);
    assert.equal(pgServer.psqlAdmin("SELECT count(*) FROM pg_roles WHERE rolname = 'app_user_1_other'"), "0", "nothing was created");
  });
});

/** PgBouncer 1.18 from the generated files (`generatedPgbouncer`), roles.sql applied first when
 * the services have roles of their own. */
const bouncer = (extra) =>
  generatedPgbouncer("poolcalc-roles-pgb-", (port, dir) => bouncerQuery(port, dir, extra), pgServer.adminEnv, (query, dir) => {
    if (extra.includes("db_roles=per-service")) applyRoles(query, dir);
  });

/** PgBouncer's SHOW POOLS, as the stats user. */
async function pools(port) {
  const c = new pg.Client({ host: "127.0.0.1", port, user: USER, password: PASSWORD, database: "pgbouncer", ssl: false });
  await c.connect();
  try {
    return (await c.query("SHOW POOLS")).rows;
  } finally {
    await c.end();
  }
}

/**
 * Saturates BUSY's whole fleet (its worst-case client connections, each running a query longer
 * than PgBouncer's query_wait_timeout), then runs one query of OTHER's with the real Prisma 7
 * client. Resolves to OTHER's outcome, its time, and BUSY's peak server connections.
 */
async function starve(b) {
  const p = plan(b.query);
  const busyUser = p.roles?.roles.find((r) => r.service === BUSY).user ?? USER;
  const slow = p.pgbouncer.query_wait_timeout + 4;
  const other = prisma7Project(`p7-roles-${p.roles ? "own" : "shared"}`, b.query, OTHER);
  const fleet = p.services.find((s) => s.name === BUSY).total;
  const pool = new pg.Pool({ connectionString: serviceUrl(b.query, BUSY), max: fleet });
  const load = Promise.allSettled(Array.from({ length: fleet }, () => pool.query(`SELECT pg_sleep(${slow})`)));
  // Wait until every server connection BUSY may have is taken and its clients queue.
  let busyServers = 0;
  for (let i = 0; i < 100; i++) {
    const row = (await pools(b.port)).find((r) => r.user === busyUser && r.database === DATABASE);
    busyServers = Number(row?.sv_active ?? 0);
    if (row && Number(row.cl_waiting) > 0 && busyServers >= (p.roles ? p.roles.roles.find((r) => r.service === BUSY).max_user_connections : p.pgbouncer.server_connections_per_instance)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const started = Date.now();
  const outcome = await other.run([OTHER, 1, 0], SECRETS).then(
    (rows) => ({ rows }),
    (error) => ({ error }),
  );
  const ms = Date.now() - started;
  const peak = Math.max(busyServers, ...(await pools(b.port)).filter((r) => r.user === busyUser).map((r) => Number(r.sv_active) + Number(r.sv_idle) + Number(r.sv_used)));
  await load;
  await pool.end();
  return { outcome, ms, peak, plan: p };
}

describe("PgBouncer 1.18: a saturated service cannot starve another", () => {
  test("with a role per service, the other service gets its server connection at once while the busy one holds all of its share", async () => {
    const b = await bouncer("&db_roles=per-service");
    try {
      const { outcome, ms, peak, plan: p } = await starve(b);
      const share = p.roles.roles.find((r) => r.service === BUSY).max_user_connections;
      assert.ok(outcome.rows, `the other service's query failed: ${outcome.error}`);
      assert.equal(outcome.rows[0].usr, p.roles.roles.find((r) => r.service === OTHER).user);
      const timeout = p.services.find((s) => s.name === OTHER).pool_timeout * 1000;
      assert.ok(ms < timeout, `took ${ms} ms, its timeout is ${timeout} ms`);
      assert.equal(peak, share, `the busy service held ${peak} server connections, its share is ${share}`);
    } finally {
      await b.process.stop();
      rmSync(b.dir, { recursive: true, force: true });
    }
  });

  test("broken twin: with one shared user, the other service's query waits behind the busy one until query_wait_timeout fails it", async () => {
    const b = await bouncer("");
    try {
      const { outcome, ms, plan: p } = await starve(b);
      assert.ok(outcome.error, `the other service's query went through in ${ms} ms`);
      assert.match(String(outcome.error), /query_wait_timeout/);
      assert.ok(ms >= p.pgbouncer.query_wait_timeout * 1000 - 500, `failed after ${ms} ms`);
    } finally {
      await b.process.stop();
      rmSync(b.dir, { recursive: true, force: true });
    }
  });
});
