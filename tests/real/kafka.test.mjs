// The generated Kafka modules, run by the real clients. KafkaJS builds its client, producer and
// consumer from them without a warning. The Confluent client hands its `kafkaJS` block to
// librdkafka (built here from the source the package bundles), which checks every property when
// the producer or consumer connects: each generated module connects to a closed loopback port,
// and must fail there only for the connection (librdkafka's transport failure), never for its
// configuration, and print nothing but the connection's own failure. Default inputs, except the
// broker's address and the producer options under test (exactly-once, each codec, each SASL
// mechanism); the credentials and the group come through the variables the modules read.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "./servers.mjs";
import { artifact, importCompiled, nativeWorkDir, plainEnv, tsc, workDir } from "./tools.mjs";

// Producer and security variants: every codec, every SASL mechanism, with and without exactly-once.
const VARIANTS = {
  default: "",
  "eos-none": "kafka_eos=1&kafka_compression=none",
  "eos-gzip": "kafka_eos=1&kafka_compression=gzip",
  "eos-snappy": "kafka_eos=1&kafka_compression=snappy",
  "eos-lz4": "kafka_eos=1&kafka_compression=lz4",
  "eos-zstd": "kafka_eos=1&kafka_compression=zstd",
  "sasl-plain-tls": "kafka_sasl=plain&kafka_ssl=1",
  "sasl-scram256-tls": "kafka_eos=1&kafka_sasl=scram-sha-256&kafka_ssl=1",
  "sasl-scram512": "kafka_sasl=scram-sha-512",
};

/** What the deployment provides: the .env of a service, and the SASL credentials it asks for. */
function environment(query) {
  return { ...plainEnv(artifact("env", query)), KAFKA_USERNAME: "svc-user", KAFKA_PASSWORD: "svc-secret" };
}

/** Runs `fn` with `vars` in process.env, capturing the console. */
async function withEnvAndConsole(vars, fn) {
  const savedEnv = { ...process.env };
  Object.assign(process.env, vars);
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
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
  }
  return lines;
}

describe("KafkaJS builds the generated client, producer and consumer without a warning", () => {
  // Every variant and the runbook's, compiled in one tsc run.
  const queries = { ...Object.fromEntries(Object.entries(VARIANTS).map(([n, v]) => [n, `kafka=kafkajs&${v}`])), runbook: "preset=runbook" };
  let dir;
  const compiled = () => {
    if (!dir) {
      dir = workDir("kafkajs");
      tsc(dir, Object.fromEntries(Object.entries(queries).map(([n, q]) => [`kafka-${n}.ts`, artifact("kafkajs", q)])), { emit: true });
    }
    return dir;
  };
  for (const name of Object.keys(VARIANTS)) {
    test(name, async () => {
      const mod = await importCompiled(compiled(), `kafka-${name}.js`);
      const built = {};
      const lines = await withEnvAndConsole(environment(queries[name]), () => {
        built.kafka = mod.createKafkaClient();
        built.producer = built.kafka.producer(mod.producerConfig);
        built.consumer = built.kafka.consumer(mod.consumerConfig());
      });
      assert.deepEqual(lines, []);
      assert.equal(typeof built.producer.send, "function");
      assert.equal(typeof built.consumer.subscribe, "function");
      assert.ok(!("compression" in mod.producerConfig), "never on the producer, where KafkaJS ignores it");
    });
  }

  test("broken twin: the runbook's limited retries on an idempotent producer make KafkaJS warn", async () => {
    const mod = await importCompiled(compiled(), "kafka-runbook.js");
    const lines = await withEnvAndConsole(environment("preset=runbook"), () => {
      mod.createKafkaClient().producer(mod.producerConfig);
    });
    assert.ok(lines.some((l) => l.includes("Limiting retries for the idempotent producer")), lines.join("\n"));
  });
});

/**
 * Builds the producer and the consumer of a compiled module in a child process against a closed
 * port, and reports within three seconds how each connect() went: still connecting (librdkafka
 * accepted the configuration and is retrying the broker), or rejected, with the error.
 */
const RUNNER = `
const lines = [];
for (const k of ["log", "info", "warn", "error", "debug"]) console[k] = (...args) => lines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
const mod = await import(process.argv[2]);
const settle = (p) => Promise.race([p.then(() => ({ state: "connected" }), (e) => ({ state: "rejected", message: String(e.message), code: e.code })), new Promise((r) => setTimeout(() => r({ state: "connecting" }), 3000))]);
const kafka = mod.createKafkaClient();
const producer = await settle(mod.createKafkaProducer(kafka));
const consumer = await settle(mod.createKafkaConsumer(kafka));
// librdkafka's threads would hold an orderly exit for the socket timeout: stop at once instead.
process.stdout.write(JSON.stringify({ producer, consumer, lines }), () => process.kill(process.pid, "SIGKILL"));
`;

function runConfluent(dir, file, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(dir, "runner.mjs"), join(dir, "out", file)], { cwd: dir, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code, signal) => {
      try {
        resolve({ ...JSON.parse(out), stderr: err });
      } catch {
        reject(Object.assign(new Error(`runner failed (exit ${code}, signal ${signal}): ${err}${out}`), { silent: out === "" && err === "" }));
      }
    });
  });
}

/** librdkafka's own connection failures, which are all a closed port may cause. */
const TRANSPORT = /Connection refused|broker transport failure|ERR__TRANSPORT|Failed to resolve|all broker connections are down|\\bFAIL\\b/;

/** A configuration librdkafka accepted: connect() still retrying, or failed on the transport only. */
function acceptedConfiguration(result, label) {
  for (const side of ["producer", "consumer"]) {
    const r = result[side];
    assert.ok(r.state === "connecting" || (r.state === "rejected" && (r.code === -195 || TRANSPORT.test(r.message))), `${label} ${side}: ${JSON.stringify(r)}`);
  }
  const other = result.lines.filter((l) => !TRANSPORT.test(l));
  assert.deepEqual(other, [], `${label}: nothing but the connection's failure is printed`);
  assert.equal(result.stderr, "", `${label}: no warning on stderr`);
}

describe("librdkafka accepts every Confluent module (@confluentinc/kafka-javascript, connecting to a closed port)", () => {
  test("every variant: the producer and the consumer fail only for the connection", async () => {
    const port = await freePort();
    const queries = Object.fromEntries(Object.entries(VARIANTS).map(([n, v]) => [n, `kafka=confluent&kafka_brokers=127.0.0.1:${port}&${v}`]));
    const dir = nativeWorkDir("confluent");
    writeFileSync(join(dir, "runner.mjs"), RUNNER);
    tsc(dir, Object.fromEntries(Object.entries(queries).map(([n, q]) => [`kafka-${n}.ts`, artifact("kafkajs", q)])), { emit: true });
    // Three at a time: each librdkafka client runs several threads, and the machines have 2 cores.
    // A runner that dies before printing anything (librdkafka's threads racing the forced exit
    // on a loaded machine) is run once more; any other failure stands.
    const run = (name, query) => runConfluent(dir, `kafka-${name}.js`, environment(query)).catch((e) => (e.silent ? runConfluent(dir, `kafka-${name}.js`, environment(query)) : Promise.reject(e)));
    const entries = Object.entries(queries);
    const results = [];
    for (let i = 0; i < entries.length; i += 3) {
      results.push(...(await Promise.all(entries.slice(i, i + 3).map(async ([name, query]) => [name, await run(name, query)]))));
    }
    for (const [name, result] of results) acceptedConfiguration(result, name);
  });

  test("broken twin: KafkaJS-shaped values (unbounded retries as Number.MAX_SAFE_INTEGER, the type's Snappy member) are configuration errors", async () => {
    const port = await freePort();
    const dir = nativeWorkDir("confluent-twin");
    writeFileSync(join(dir, "runner.mjs"), RUNNER);
    // Hand-written, in the shape rules v1 generated.
    const twin = `import { KafkaJS } from "@confluentinc/kafka-javascript";
export function createKafkaClient() { return new KafkaJS.Kafka({ kafkaJS: { clientId: "twin", brokers: ["127.0.0.1:${port}"] } }); }
export async function createKafkaProducer(kafka: KafkaJS.Kafka) { const p = kafka.producer({ kafkaJS: { idempotent: true, retry: { retries: Number.MAX_SAFE_INTEGER } } }); await p.connect(); return p; }
export async function createKafkaConsumer(kafka: KafkaJS.Kafka) { const c = kafka.consumer({ kafkaJS: { groupId: "g" } }); await c.connect(); return c; }
export async function snappyProducer(kafka: KafkaJS.Kafka) { const p = kafka.producer({ kafkaJS: { compression: KafkaJS.CompressionTypes.Snappy } }); await p.connect(); return p; }
`;
    tsc(dir, { "kafka.ts": twin }, { emit: true });
    const result = await runConfluent(dir, "kafka.js", {});
    assert.equal(result.producer.state, "rejected");
    assert.match(result.producer.message, /outside allowed range 0\.\.2147483647/);
    const mod = await import(join(dir, "out/kafka.js"));
    const kafka = mod.createKafkaClient();
    await assert.rejects(mod.snappyProducer(kafka), /Invalid value "undefined" for configuration property "compression.codec"/);
  });
});
