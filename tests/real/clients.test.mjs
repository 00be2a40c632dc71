// The generated TypeScript modules type-check against the real packages (tsc --strict against
// ioredis, kafkajs and @prisma/adapter-pg's own type definitions), and promtool accepts alerts.yml.
// Redis and Kafka run for real in redis.test.mjs and kafka.test.mjs.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { artifact, tsc, workDir } from "./tools.mjs";

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
