// Real servers for the artifact tests: PostgreSQL, PgBouncer and Redis from Debian, each bound to
// 127.0.0.1 on a free port in a temporary directory, started and stopped by the tests themselves.
// PostgreSQL and PgBouncer refuse to run as root, so as root they run as the `postgres` user.
import { execFileSync, spawn } from "node:child_process";
import { appendFileSync, chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { artifact } from "./tools.mjs";

const asRoot = process.getuid?.() === 0;

/** A TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on the port (or rejects after `ms`). */
export async function waitForPort(port, ms = 15000, why = () => "") {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await new Promise((r) => {
      const s = connect(port, "127.0.0.1", () => {
        s.end();
        r(true);
      });
      s.on("error", () => r(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`nothing listens on 127.0.0.1:${port} after ${ms} ms ${why()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A temporary directory the server user can write. */
export function serverDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (asRoot) execFileSync("chown", ["postgres:postgres", dir]);
  return dir;
}

/** Writes a file the server user can read (mode 0600, as userlist.txt should be). */
export function writeServerFile(path, text) {
  writeFileSync(path, text, { mode: 0o600 });
  serverOwns(path);
}

/** Gives a file to the server user, mode 0600 (what the generated userlist.txt asks for). */
export function serverOwns(path) {
  chmodSync(path, 0o600);
  if (asRoot) chownSync(path, ...uidGid("postgres"));
}

function uidGid(user) {
  const id = (flag) => Number(execFileSync("id", [flag, user]).toString().trim());
  return [id("-u"), id("-g")];
}

function asServerUser(cmd, args) {
  return asRoot ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
}

function pgBin(name) {
  const root = "/usr/lib/postgresql";
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const p = join(root, v, "bin", name);
    if (existsSync(p)) return p;
  }
  throw new Error(`no ${name} under ${root}`);
}

/** Escapes a SQL string literal (standard_conforming_strings is on). */
export const sqlLiteral = (s) => `'${s.split("'").join("''")}'`;
/** Quotes an SQL identifier. */
export const sqlIdent = (s) => `"${s.split('"').join('""')}"`;

/**
 * A self-signed key and certificate for `cn`, made with openssl the way the generated files tell
 * a user to (`openssl req -x509 -newkey rsa:2048 -nodes ...`), readable by the server user only.
 */
export function selfSignedCert(dir, name, cn = "127.0.0.1") {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", `/CN=${cn}`, "-keyout", key, "-out", cert], { stdio: "ignore" });
  for (const f of [key, cert]) {
    chmodSync(f, 0o600);
    if (asRoot) chownSync(f, ...uidGid("postgres"));
  }
  return { key, cert };
}

/**
 * Starts PostgreSQL with a login role and a database owned by it. Like Debian's own package (and
 * every managed service), it offers TLS with a self-signed certificate; `setSsl(false)` turns TLS
 * off on the running server (a reload), for the checks that a URL really demands it.
 */
export async function startPostgres({ user, password, database, maxConnections = 100 }) {
  const dir = serverDir("poolcalc-pg-");
  const data = join(dir, "data");
  const run = (cmd, args) => {
    const [c, a] = asServerUser(cmd, args);
    return execFileSync(c, a, { stdio: ["ignore", "pipe", "pipe"] }).toString();
  };
  run(pgBin("initdb"), ["-D", data, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync"]);
  const { key, cert } = selfSignedCert(dir, "server");
  appendFileSync(join(data, "postgresql.conf"), `\nssl = on\nssl_cert_file = '${cert}'\nssl_key_file = '${key}'\n`);
  const port = await freePort();
  const opts = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c max_connections=${maxConnections} -c fsync=off`;
  run(pgBin("pg_ctl"), ["-D", data, "-o", opts, "-l", join(dir, "log"), "-w", "start"]);
  const psqlAdmin = (sql, db = "postgres") => run("psql", ["-h", dir, "-p", String(port), "-U", "postgres", "-d", db, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql]).trim();
  psqlAdmin(`CREATE ROLE ${sqlIdent(user)} LOGIN PASSWORD ${sqlLiteral(password)}`);
  psqlAdmin(`CREATE DATABASE ${sqlIdent(database)} OWNER ${sqlIdent(user)}`);
  return {
    port,
    dir,
    psqlAdmin,
    /** What a superuser's psql needs in its environment (the Unix socket, trusted). */
    adminEnv: { PGHOST: dir, PGPORT: String(port), PGUSER: "postgres", PGDATABASE: "postgres" },
    /** Turns TLS on or off on the running server. */
    setSsl(on) {
      psqlAdmin(`ALTER SYSTEM SET ssl = ${on ? "on" : "off"}`);
      psqlAdmin("SELECT pg_reload_conf()");
    },
    stop() {
      try {
        run(pgBin("pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Starts a long-running server process; `stop()` ends it. Output is kept for error messages. */
function startProcess(cmd, args, port, { serverUser = true } = {}) {
  const [c, a] = serverUser ? asServerUser(cmd, args) : [cmd, args];
  const child = spawn(c, a, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise((r) => child.on("exit", (code) => r(code)));
  return {
    child,
    output: () => output,
    exited,
    async ready() {
      await Promise.race([
        waitForPort(port, 15000, () => output),
        exited.then((code) => {
          throw new Error(`${cmd} exited with ${code}:\n${output}`);
        }),
      ]);
    },
    async stop() {
      if (child.exitCode === null) {
        // runuser forwards the signal to the server.
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
    },
  };
}

/** Starts PgBouncer with a config file; rejects with its log if it refuses the file. */
export async function startPgbouncer(iniPath, port) {
  const p = startProcess("pgbouncer", [iniPath], port);
  await p.ready();
  return p;
}

/** Runs the command a generated file's comment gives: the line starting with `marker` (its
 * comment sign, indent and the command's first word), with `env` added to the environment. */
export function runFileInstruction(text, marker, { cwd, env = {} } = {}) {
  const line = text.split("\n").find((l) => l.startsWith(marker));
  if (!line) throw new Error(`the file does not say how (no line starting ${JSON.stringify(marker)}):\n${text}`);
  const command = line.replace(/^(;|--)\s*/, "");
  return execFileSync("sh", ["-c", command], { cwd, env: { ...process.env, ...env }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/**
 * PgBouncer from the generated pgbouncer.ini and userlist.txt for `queryFor(port, dir)`, each as
 * printed: `prepare(query, dir, ini)` does what else the files ask first (a certificate, roles),
 * then userlist.txt's entries are appended by the psql command its comment gives (run with
 * `adminEnv`, a superuser's: it reads the SCRAM secrets), and the file is handed to the server
 * user with mode 0600, as it also says. Resolves to { dir, port, query, process }.
 */
export async function generatedPgbouncer(prefix, queryFor, adminEnv, prepare = () => {}) {
  const dir = serverDir(prefix);
  const port = await freePort();
  const query = queryFor(port, dir);
  const ini = artifact("pgbouncer.ini", query);
  writeServerFile(join(dir, "pgbouncer.ini"), ini);
  const userlist = artifact("userlist.txt", query);
  writeServerFile(join(dir, "userlist.txt"), userlist);
  prepare(query, dir, ini);
  runFileInstruction(userlist, ";   psql ", { cwd: dir, env: adminEnv });
  serverOwns(join(dir, "userlist.txt"));
  const process_ = await startPgbouncer(join(dir, "pgbouncer.ini"), port);
  return { dir, port, query, process: process_ };
}

/** Runs PgBouncer on a config and returns how it ended (for files that must be refused). */
export function pgbouncerExit(iniPath) {
  const [c, a] = asServerUser("pgbouncer", ["-v", iniPath]);
  return new Promise((resolve) => {
    const child = spawn(c, a, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGTERM"), 5000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output: out });
    });
  });
}

/** Starts redis-server with no persistence. */
export async function startRedis() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "poolcalc-redis-"));
  const p = startProcess("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], port, { serverUser: false });
  await p.ready();
  return {
    port,
    async stop() {
      await p.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs redis-cli against a port and returns its output. */
export function redisCli(port, ...args) {
  return execFileSync("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args], { encoding: "utf8" }).trim();
}

/**
 * The clients a Redis server holds, from CLIENT LIST, without redis-cli's own connection (the one
 * running CLIENT LIST) and ioredis' short-lived slot refreshers (`ioredis-cluster(refresher)`).
 */
export function redisClients(port) {
  return redisCli(port, "CLIENT", "LIST")
    .split("\n")
    .filter((l) => l.startsWith("id="))
    .filter((l) => !/ cmd=client\|list /.test(l) && !/ name=ioredis-cluster\(refresher\) /.test(l));
}

/**
 * A Redis cluster of `n` masters (no replicas) on loopback ports, made the way Redis documents:
 * `redis-server --cluster-enabled yes` per node, then `redis-cli --cluster create`.
 */
export async function startRedisCluster(n = 3) {
  const dir = mkdtempSync(join(tmpdir(), "poolcalc-redis-cluster-"));
  const nodes = [];
  for (let i = 0; i < n; i += 1) {
    const port = await freePort();
    const nodeDir = join(dir, String(port));
    execFileSync("mkdir", ["-p", nodeDir]);
    const p = startProcess("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", nodeDir, "--cluster-enabled", "yes", "--cluster-config-file", join(nodeDir, "nodes.conf"), "--cluster-node-timeout", "5000"], port, { serverUser: false });
    await p.ready();
    nodes.push({ port, process: p });
  }
  execFileSync("redis-cli", ["--cluster", "create", ...nodes.map((x) => `127.0.0.1:${x.port}`), "--cluster-replicas", "0", "--cluster-yes"], { stdio: "pipe" });
  const end = Date.now() + 20000;
  while (!nodes.every((x) => redisCli(x.port, "CLUSTER", "INFO").includes("cluster_state:ok"))) {
    if (Date.now() > end) throw new Error("the cluster did not reach cluster_state:ok");
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    ports: nodes.map((x) => x.port),
    async stop() {
      for (const x of nodes) await x.process.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
