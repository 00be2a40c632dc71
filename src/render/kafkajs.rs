//! The Kafka module in the runbook's shape (`createKafkaClient`, `createKafkaProducer`,
//! `createKafkaConsumer`, and the `send()` options), for KafkaJS or the Confluent client.

use super::escape::js_string;
use super::Context;
use crate::calc::inputs::{Compression, KafkaClient, Sasl};
use crate::calc::kafka::{ConsumerPlan, KafkaPlan, JS_MAX_SAFE_INTEGER};

/// KafkaJS `CompressionTypes` member names (src/protocol/message/compression/index.js).
fn codec(c: Compression) -> &'static str {
    match c {
        Compression::None => "None",
        Compression::Gzip => "GZIP",
        Compression::Snappy => "Snappy",
        Compression::Lz4 => "LZ4",
        Compression::Zstd => "ZSTD",
    }
}

fn retries(n: u64) -> String {
    if n == JS_MAX_SAFE_INTEGER {
        "Number.MAX_SAFE_INTEGER".into()
    } else {
        n.to_string()
    }
}

/// The consumer's timing and fetch settings as object properties, one per line (only those the
/// plan sets; the others keep the client's default).
fn consumer_fields(c: &ConsumerPlan, indent: &str) -> String {
    [
        ("sessionTimeout", Some(c.session_timeout)),
        ("heartbeatInterval", Some(c.heartbeat_interval)),
        ("rebalanceTimeout", c.rebalance_timeout),
        ("maxWaitTimeInMs", c.max_wait_time_in_ms),
        ("maxBytesPerPartition", c.max_bytes_per_partition),
    ]
    .iter()
    .filter_map(|(key, value)| value.map(|v| format!("{indent}{key}: {v},\n")))
    .collect()
}

/// A helper for required variables: a missing credential or group id stops the app at start-up,
/// with its name, rather than at the broker.
const REQUIRED: &str =
    "/** A variable the module needs: missing, it stops here with its name. */\n\
function required(name: string): string {\n\
\x20 const value = process.env[name];\n\
\x20 if (!value) throw new Error(`${name} is not set`);\n\
\x20 return value;\n\
}\n\n";

/// The `sasl` property, when SASL is on. The credentials come from the environment even when a
/// password was typed: the typed value goes into the .env only, so the code holds no secret.
fn sasl_property(cx: &Context, indent: &str) -> String {
    let i = &cx.inputs.kafka;
    if i.sasl == Sasl::None {
        return String::new();
    }
    format!(
        "{indent}sasl: {{ mechanism: {}, username: required(\"KAFKA_USERNAME\"), password: required(\"KAFKA_PASSWORD\") }},\n",
        js_string(i.sasl.as_str()),
    )
}

/// Renders kafka.ts, or a comment when Kafka is off.
pub fn module(cx: &Context) -> String {
    let mut out = cx.header("//");
    match &cx.plan.kafka {
        None => out += "// Kafka is off in these inputs.\nexport {};\n",
        Some(k) if k.client == KafkaClient::Confluent => out += &confluent(cx, k),
        Some(k) => out += &kafkajs(cx, k),
    }
    out
}

fn brokers(cx: &Context) -> String {
    let list: Vec<String> = cx
        .inputs
        .kafka
        .brokers
        .iter()
        .map(|b| b.to_string())
        .collect();
    format!(
        "(process.env.KAFKA_BROKERS ?? {}).split(\",\")",
        js_string(&list.join(","))
    )
}

fn kafkajs(cx: &Context, k: &KafkaPlan) -> String {
    let i = &cx.inputs.kafka;
    let p = &k.producer;
    let c = &k.consumer;
    let mut out = String::from(
        "import {\n  CompressionTypes,\n  Kafka,\n  Partitioners,\n  logLevel,\n  type Consumer,\n  type ConsumerConfig,\n  type KafkaConfig,\n  type Message,\n  type Producer,\n  type ProducerConfig,\n  type ProducerRecord,\n  type RecordMetadata,\n} from \"kafkajs\";\n\n",
    );
    out += REQUIRED;
    out += "/** Client settings (connectionTimeout is the runbook's 10 s; KafkaJS' 1 s is short for TLS + SASL). */\n";
    out += "export function kafkaConfig(): KafkaConfig {\n  return {\n";
    out += "    clientId: process.env.KAFKA_CLIENT_ID ?? \"app\",\n";
    out += &format!("    brokers: {},\n", brokers(cx));
    out += &format!(
        "    connectionTimeout: {},\n    requestTimeout: {},\n",
        k.connection_timeout, k.request_timeout
    );
    out +=
        "    retry: { initialRetryTime: 100, retries: 8, maxRetryTime: 30000, multiplier: 2 },\n";
    out +=
        "    logLevel: process.env.NODE_ENV === \"production\" ? logLevel.ERROR : logLevel.INFO,\n";
    out += &format!("    ssl: {},\n", i.ssl);
    out += &sasl_property(cx, "    ");
    out += "  };\n}\n\n";
    out += "/** Producer settings. Compression is not a producer option in KafkaJS: see sendOptions. */\n";
    out += "export const producerConfig: ProducerConfig = {\n";
    out += "  createPartitioner: Partitioners.DefaultPartitioner,\n";
    out += &format!("  idempotent: {},\n", p.idempotent);
    if let Some(n) = p.max_in_flight_requests {
        out += &format!("  maxInFlightRequests: {n},\n");
    }
    out += &format!("  retry: {{ retries: {} }},\n}};\n\n", retries(p.retries));
    out += "/** Per-send options: acks -1 (all in-sync replicas) and the compression codec. */\n";
    out += "export const sendOptions: Pick<ProducerRecord, \"acks\" | \"compression\"> = {\n";
    out += &format!(
        "  acks: {},\n  compression: CompressionTypes.{},\n}};\n\n",
        p.acks,
        codec(p.compression)
    );
    out += "/** Consumer settings (the group from KAFKA_GROUP_ID): heartbeatInterval stays at most a third of sessionTimeout. */\n";
    out += "export function consumerConfig(groupId = required(\"KAFKA_GROUP_ID\")): ConsumerConfig {\n  return {\n    groupId,\n";
    out += &consumer_fields(c, "    ");
    out += "  };\n}\n\n";
    out +=
        "export function createKafkaClient(): Kafka {\n  return new Kafka(kafkaConfig());\n}\n\n";
    out += "export async function createKafkaProducer(kafka: Kafka): Promise<Producer> {\n";
    out += "  const producer = kafka.producer(producerConfig);\n  await producer.connect();\n  return producer;\n}\n\n";
    out += "export async function createKafkaConsumer(kafka: Kafka, groupId?: string): Promise<Consumer> {\n";
    out += "  const consumer = kafka.consumer(consumerConfig(groupId));\n  await consumer.connect();\n  return consumer;\n}\n\n";
    out += "/** Sends with the plan's acks and compression. */\n";
    out += "export function send(producer: Producer, topic: string, messages: Message[]): Promise<RecordMetadata[]> {\n";
    out += "  return producer.send({ topic, messages, ...sendOptions });\n}\n";
    out
}

fn confluent(cx: &Context, k: &KafkaPlan) -> String {
    let i = &cx.inputs.kafka;
    let p = &k.producer;
    let c = &k.consumer;
    let mut out = String::from("// @confluentinc/kafka-javascript's KafkaJS-compatible API: settings go in a `kafkaJS` block that\n// the client turns into librdkafka properties, and compression belongs to the producer config.\nimport { KafkaJS } from \"@confluentinc/kafka-javascript\";\n\n");
    out += REQUIRED;
    out += "export function createKafkaClient(): KafkaJS.Kafka {\n  return new KafkaJS.Kafka({\n    kafkaJS: {\n";
    out += "      clientId: process.env.KAFKA_CLIENT_ID ?? \"app\",\n";
    out += &format!("      brokers: {},\n", brokers(cx));
    out += &format!(
        "      connectionTimeout: {},\n      requestTimeout: {},\n",
        k.connection_timeout, k.request_timeout
    );
    out += "      logLevel: process.env.NODE_ENV === \"production\" ? KafkaJS.logLevel.ERROR : KafkaJS.logLevel.INFO,\n";
    out += &format!("      ssl: {},\n", i.ssl);
    out += &sasl_property(cx, "      ");
    out += "    },\n  });\n}\n\n";
    out += "/** The producer: librdkafka keeps the order of up to 5 requests in flight with idempotence, and\n";
    out += " * takes at most 2147483647 retries (an int32). */\n";
    out += "export async function createKafkaProducer(kafka: KafkaJS.Kafka): Promise<KafkaJS.Producer> {\n";
    out += "  const producer = kafka.producer({\n    kafkaJS: {\n";
    out += &format!(
        "      idempotent: {},\n      acks: {},\n",
        p.idempotent, p.acks
    );
    if let Some(n) = p.max_in_flight_requests {
        out += &format!("      maxInFlightRequests: {n},\n");
    }
    // The runtime's CompressionTypes names differ from its type declarations (SNAPPY vs Snappy),
    // so the codec is written as the librdkafka value it stands for.
    out += &format!(
        "      compression: {} as KafkaJS.CompressionTypes,\n",
        js_string(p.compression.as_str())
    );
    out += &format!(
        "      retry: {{ retries: {} }},\n    }},\n  }});\n",
        retries(p.retries)
    );
    out += "  await producer.connect();\n  return producer;\n}\n\n";
    out += "/** The consumer (the group from KAFKA_GROUP_ID). rebalanceTimeout is left out: this client maps it to\n";
    out += " * librdkafka's max.poll.interval.ms, the time allowed between two polls (300000 ms by default). */\n";
    out += "export async function createKafkaConsumer(kafka: KafkaJS.Kafka, groupId = required(\"KAFKA_GROUP_ID\")): Promise<KafkaJS.Consumer> {\n";
    out += "  const consumer = kafka.consumer({\n    kafkaJS: {\n      groupId,\n";
    out += &consumer_fields(c, "      ");
    out += "    },\n  });\n  await consumer.connect();\n  return consumer;\n}\n";
    out
}
