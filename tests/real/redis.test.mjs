// The generated ioredis module with a real BullMQ, on a real redis-server and on a real Redis
// cluster (three redis-server processes joined by `redis-cli --cluster create`). One replica uses
// the module the way its comments say (the shared client, a subscriber, and per queue a BullMQ
// Queue, Worker and QueueEvents on bullmqOptions), and CLIENT LIST must then count exactly the
// connections per replica the plan says, for each use and their combinations. Default inputs,
// except the server's address, the uses and the queue count under test, and the cluster's masters.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Queue, QueueEvents, Worker } from "bullmq";
import { redisClients, startRedis, startRedisCluster } from "./servers.mjs";
import { artifact, importCompiled, plan, tsc, workDir } from "./tools.mjs";

/** Compiles the generated module and returns it with the plan's Redis figures. */
async function moduleFor(name, query) {
  const dir = workDir(`redis-${name}`);
  tsc(dir, { "redis.ts": artifact("ioredis", query) }, { emit: true });
  return { mod: await importCompiled(dir, "redis.js"), redis: plan(query).redis, dir };
}

/** Everything written to the console while `fn` runs (BullMQ and ioredis warn there). */
async function quietly(fn) {
  const lines = [];
  const saved = {};
  for (const k of ["log", "info", "warn", "error"]) {
    saved[k] = console[k];
    console[k] = (...args) => lines.push(args.map(String).join(" "));
  }
  try {
    return { value: await fn(), lines };
  } finally {
    Object.assign(console, saved);
  }
}

/**
 * One replica, using the module as its comments say. The cache client writes `keys` keys (spread
 * over a cluster's slots, so every master gets its connection); each queue runs one job through a
 * Queue, a Worker and a QueueEvents that share the replica's queue connection.
 */
async function replica(mod, { uses, queues, keys = 1 }) {
  const close = [];
  const client = mod.createRedisClient ? mod.createRedisClient() : mod.createRedisCluster();
  close.push(() => client.quit());
  for (let i = 0; i < keys; i += 1) await client.set(`poolcalc:cache:${i}`, String(i));
  assert.equal(await client.get("poolcalc:cache:0"), "0");
  if (uses.includes("pubsub")) {
    const sub = mod.createRedisSubscriber();
    close.push(() => sub.quit());
    await sub.subscribe("poolcalc:events");
  }
  if (uses.includes("queue")) {
    const connection = mod.createQueueConnection();
    for (const name of queues) {
      const queue = new Queue(name, mod.bullmqOptions(name, connection));
      const worker = new Worker(name, async (job) => job.data.n * 2, mod.bullmqOptions(name, connection));
      const events = new QueueEvents(name, mod.bullmqOptions(name, connection));
      close.push(() => queue.close(), () => events.close(), () => worker.close());
      await Promise.all([queue.waitUntilReady(), worker.waitUntilReady(), events.waitUntilReady()]);
      const job = await queue.add("double", { n: 21 });
      // The Worker runs it (polled: QueueEvents only hears what happens after it starts reading).
      const end = Date.now() + 15000;
      while ((await job.getState()) !== "completed") {
        assert.ok(Date.now() < end, "the Worker ran the job");
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal((await queue.getJob(job.id)).returnvalue, 42);
    }
    close.push(() => connection.quit());
  }
  return async () => {
    for (const c of close.reverse()) await c();
  };
}

describe("one redis-server: CLIENT LIST counts what the plan says, per use", () => {
  let server;
  before(async () => {
    server = await startRedis();
  });
  after(async () => server?.stop());

  // (uses, queues): every use alone and together, and several queues.
  const cases = [
    ["cache", 1],
    ["cache,pubsub", 1],
    ["queue", 1],
    ["cache,queue", 1],
    ["cache,queue,pubsub", 1],
    ["queue", 3],
  ];
  for (const [uses, queues] of cases) {
    test(`redis_use=${uses}, redis_queues=${queues}`, async () => {
      const query = `redis_host=127.0.0.1&redis_port=${server.port}&redis_use=${uses}&redis_queues=${queues}`;
      const { mod, redis } = await moduleFor(`single-${uses}-${queues}`, query);
      assert.equal(redis.per_node_connections, redis.connections_per_replica * 12, "12 peak replicas in the default fleet");
      const names = Array.from({ length: queues }, (_, i) => `jobs${i}`);
      const { value: stop, lines } = await quietly(() => replica(mod, { uses: uses.split(","), queues: names }));
      try {
        assert.equal(redisClients(server.port).length, redis.connections_per_replica, "connections of one replica");
      } finally {
        await stop();
      }
      assert.deepEqual(lines, [], "no warning from BullMQ or ioredis");
    });
  }

  test("broken twins: one more Worker shows in the count; the request-path client (maxRetriesPerRequest 3) is refused by BullMQ", async () => {
    const query = `redis_host=127.0.0.1&redis_port=${server.port}&redis_use=cache,queue`;
    const { mod, redis, dir } = await moduleFor("single-twin", query);
    const stop = await replica(mod, { uses: ["cache", "queue"], queues: ["jobs"] });
    const connection = mod.createQueueConnection();
    const extra = new Worker("jobs", async () => 0, mod.bullmqOptions("jobs", connection));
    try {
      await extra.waitUntilReady();
      assert.ok(redisClients(server.port).length > redis.connections_per_replica, "the count sees a connection the plan does not");
    } finally {
      await extra.close();
      await connection.quit();
      await stop();
    }
    // In a child process: BullMQ throws from inside the Worker's constructor, after it has
    // duplicated the client, and that duplicate would keep this process alive.
    const script = `import { Worker } from "bullmq"; import { createRedisClient } from ${JSON.stringify(pathToFileURL(join(dir, "out/redis.js")).href)};
try { new Worker("jobs", async () => 0, { connection: createRedisClient() }); console.log("accepted"); } catch (e) { console.log(e.message); }
process.exit(0);`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    assert.match(out, /maxRetriesPerRequest must be null/);
  });
});

describe("a Redis cluster of three masters: every master holds at most the per-replica count", () => {
  let cluster;
  before(async () => {
    cluster = await startRedisCluster(3);
  });
  after(async () => cluster?.stop());

  test("cache and BullMQ through the generated cluster module, with the hash-tagged prefix it writes", async () => {
    // The seeds: one node, as a user may list only some; the masters: how many the cluster has.
    const query = `redis=cluster&redis_nodes=127.0.0.1:${cluster.ports[0]}&redis_masters=3&redis_use=cache,queue`;
    const { mod, redis } = await moduleFor("cluster", query);
    assert.equal(redis.total_connections, redis.per_node_connections * 3);
    const { value: stop, lines } = await quietly(() => replica(mod, { uses: ["cache", "queue"], queues: ["jobs"], keys: 64 }));
    try {
      const counts = cluster.ports.map((p) => redisClients(p).length);
      assert.ok(counts.every((n) => n >= 1), `the cache client reached every master: ${counts}`);
      assert.ok(counts.every((n) => n <= redis.connections_per_replica), `no master holds more than the plan's ${redis.connections_per_replica}: ${counts}`);
      assert.equal(Math.max(...counts), redis.connections_per_replica, `the queue's master holds them all: ${counts}`);
    } finally {
      await stop();
    }
    assert.deepEqual(lines, []);
  });

  test("broken twin: BullMQ on the cluster without the hash-tagged prefix fails (CROSSSLOT)", async () => {
    const query = `redis=cluster&redis_nodes=127.0.0.1:${cluster.ports[0]}&redis_masters=3&redis_use=cache,queue`;
    const { mod } = await moduleFor("cluster-twin", query);
    const connection = mod.createQueueConnection();
    const queue = new Queue("plain", { connection });
    try {
      await assert.rejects(queue.add("x", {}), /CROSSSLOT/);
    } finally {
      await queue.close();
      await connection.quit();
    }
  });
});

test("bullmqOptions type-checks as BullMQ's own Queue, Worker and QueueEvents options", () => {
  for (const [name, query] of [
    ["single", "redis_use=cache,queue"],
    ["cluster", "redis=cluster&redis_nodes=10.0.0.1:7000&redis_use=queue"],
  ]) {
    const use = `import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Queue, QueueEvents, Worker } from "bullmq";\nimport { bullmqOptions, createQueueConnection } from "./redis.js";\nconst c = createQueueConnection();\nexport const q = new Queue("a", bullmqOptions("a", c));\nexport const w = new Worker("a", async () => 1, bullmqOptions("a", c));\nexport const e = new QueueEvents("a", bullmqOptions("a", c));\n`;
    tsc(workDir(`redis-types-${name}`), { "redis.ts": artifact("ioredis", query), "use.ts": use });
  }
});
