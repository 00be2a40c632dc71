// The generated TypeScript modules, proven against the real packages: tsc --strict type-checks them
// against ioredis, kafkajs and @prisma/adapter-pg's own type definitions, the ioredis module
// round-trips a key on a real redis-server, KafkaJS constructs its client, producer and consumer
// from the generated options without an error or a logged warning, and promtool accepts alerts.yml.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startRedis } from "./servers.mjs";
import { artifact, importCompiled, tsc, workDir } from "./tools.mjs";

// Input sets that change the shape of the generated modules.
const TS_SCENARIOS = {
  "redis-single-cache": "redis=single",
  "redis-single-queue-pubsub-tls": "redis=single&redis_use=cache,queue,pubsub&redis_tls=1",
  "redis-cluster": "redis=cluster&redis_nodes=10.0.0.1:7000,10.0.0.2:7000&redis_use=cache,queue",
  "kafka-default": "kafka=kafkajs",
  "kafka-eos-sasl-ssl": "kafka=kafkajs&kafka_eos=1&kafka_sasl=scram-sha-512&kafka_ssl=1&kafka_compression=gzip",
  "kafka-runbook": "preset=runbook",
  "prisma7-schema": "prisma=7&db_schema=billing&pooler=pgbouncer",
  "prisma7-direct": "prisma=7",
};

describe("tsc --noEmit --strict against the real packages' types", () => {
  for (const [name, query] of Object.entries(TS_SCENARIOS)) {
    test(name, () => {
      const files = { "redis.ts": artifact("ioredis", query), "kafka.ts": artifact("kafkajs", query) };
      if (query.includes("prisma=7")) files["db.ts"] = artifact("prisma-client", query);
      tsc(workDir(`ts-${name}`), files);
    });
  }

  test("a misspelt option fails the type check (so the check can fail)", () => {
    // A hand-written module, not a generated one: generated files are only ever used as printed.
    const redis = 'import { Redis } from "ioredis";\nexport const client = new Redis({ keepAlvie: 30000 });\n';
    assert.throws(() => tsc(workDir("ts-broken"), { "redis.ts": redis }), /keepAlvie/);
  });
});

describe("ioredis against a real redis-server", () => {
  let redis;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => redis?.stop());

  test("the generated client connects and round-trips a key", async () => {
    const dir = workDir("ioredis-live");
    tsc(dir, { "redis.ts": artifact("ioredis", `redis=single&redis_host=127.0.0.1&redis_port=${redis.port}&redis_use=cache,queue`) }, { emit: true });
    const mod = await importCompiled(dir, "redis.js");
    const client = mod.createRedisClient();
    const worker = mod.createQueueConnection();
    try {
      await client.set("poolcalc:test", "round-trip");
      assert.equal(await client.get("poolcalc:test"), "round-trip");
      assert.equal(client.options.keepAlive, 30000);
      assert.equal(client.options.maxRetriesPerRequest, 3);
      assert.equal(worker.options.maxRetriesPerRequest, null, "BullMQ's requirement");
      assert.equal(await worker.ping(), "PONG");
    } finally {
      client.disconnect();
      worker.disconnect();
    }
  });
});

/** Runs `fn` while capturing everything written to the console. */
async function captureConsole(fn) {
  const lines = [];
  const saved = {};
  for (const k of ["log", "info", "warn", "error", "debug"]) {
    saved[k] = console[k];
    console[k] = (...args) => lines.push(`${k}: ${args.map(String).join(" ")}`);
  }
  try {
    await fn();
  } finally {
    Object.assign(console, saved);
  }
  return lines;
}

describe("KafkaJS constructs the generated client, producer and consumer", () => {
  async function construct(query, name) {
    const dir = workDir(`kafka-${name}`);
    tsc(dir, { "kafka.ts": artifact("kafkajs", query) }, { emit: true });
    const mod = await importCompiled(dir, "kafka.js");
    const out = {};
    out.logs = await captureConsole(() => {
      out.kafka = mod.createKafkaClient();
      out.producer = out.kafka.producer(mod.producerConfig);
      out.consumer = out.kafka.consumer(mod.consumerConfig("api-group"));
    });
    return { ...out, mod };
  }

  test("exactly-once with SASL: no error and no logged warning", async () => {
    const { logs, producer, consumer, mod } = await construct("kafka_eos=1&kafka_sasl=plain&kafka_ssl=1", "eos");
    assert.deepEqual(logs, []);
    assert.equal(typeof producer.send, "function");
    assert.equal(typeof consumer.subscribe, "function");
    assert.equal(mod.producerConfig.maxInFlightRequests, 1);
    assert.equal(mod.sendOptions.compression, 1, "CompressionTypes.GZIP on send()");
    assert.ok(!("compression" in mod.producerConfig), "never on the producer, where KafkaJS ignores it");
    const c = mod.consumerConfig("g");
    assert.ok(c.heartbeatInterval <= c.sessionTimeout / 3);
  });

  test("the runbook's limited retries are what KafkaJS warns about (so the check can fail)", async () => {
    const { logs } = await construct("preset=runbook", "runbook");
    assert.ok(logs.some((l) => l.includes("Limiting retries for the idempotent producer")), logs.join("\n"));
  });
});

describe("promtool check rules", () => {
  const scenarios = {
    "no-pooler": "",
    pgbouncer: "pooler=pgbouncer&redis_use=cache,queue&kafka_eos=1",
    "cluster-confluent": "redis=cluster&redis_nodes=a:7000&kafka=confluent",
    "all-off": "redis=off&kafka=off",
  };
  for (const [name, query] of Object.entries(scenarios)) {
    test(`accepts alerts.yml (${name})`, () => {
      const dir = workDir(`promtool-${name}`);
      writeFileSync(join(dir, "alerts.yml"), artifact("alerts.yml", query));
      const out = execFileSync("promtool", ["check", "rules", join(dir, "alerts.yml")], { encoding: "utf8" });
      assert.match(out, /SUCCESS: \d+ rules found/);
    });
  }

  test("rejects a broken rules file (so the check can fail)", () => {
    const dir = workDir("promtool-broken");
    // A hand-written rule with a PromQL syntax error.
    writeFileSync(join(dir, "alerts.yml"), 'groups:\n  - name: broken\n    rules:\n      - alert: Broken\n        expr: "sum by by (instance) (up)"\n');
    assert.throws(() => execFileSync("promtool", ["check", "rules", join(dir, "alerts.yml")], { stdio: "pipe" }));
  });
});
