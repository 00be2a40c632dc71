//! The Kafka module in the runbook's shape (`createKafkaClient`, `createKafkaProducer`,
//! `createKafkaConsumer`, and the `send()` options), for KafkaJS or the Confluent client.

use super::escape::js_string;
use super::Context;
use crate::calc::inputs::{Compression, KafkaClient, Sasl};
use crate::calc::kafka::{ConsumerPlan, KafkaPlan, JS_MAX_SAFE_INTEGER};

/// KafkaJS `CompressionTypes` member names.
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

/// The consumer's timing and fetch settings as object properties, one per line.
fn consumer_fields(c: &ConsumerPlan, indent: &str) -> String {
    [
        ("sessionTimeout", c.session_timeout),
        ("heartbeatInterval", c.heartbeat_interval),
        ("rebalanceTimeout", c.rebalance_timeout),
        ("maxWaitTimeInMs", c.max_wait_time_in_ms),
        ("maxBytesPerPartition", c.max_bytes_per_partition),
    ]
    .iter()
    .map(|(key, value)| format!("{indent}{key}: {value},\n"))
    .collect()
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

fn password(cx: &Context) -> String {
    match &cx.secrets.kafka_password {
        Some(p) => js_string(p),
        None => "process.env.KAFKA_PASSWORD".into(),
    }
}

fn kafkajs(cx: &Context, k: &KafkaPlan) -> String {
    let i = &cx.inputs.kafka;
    let p = &k.producer;
    let c = &k.consumer;
    let mut out = String::from(
        "import {\n  CompressionTypes,\n  Kafka,\n  Partitioners,\n  logLevel,\n  type Consumer,\n  type ConsumerConfig,\n  type KafkaConfig,\n  type Message,\n  type Producer,\n  type ProducerConfig,\n  type ProducerRecord,\n  type RecordMetadata,\n  type SASLOptions,\n} from \"kafkajs\";\n\n",
    );
    out += "function sasl(): SASLOptions | undefined {\n";
    if i.sasl == Sasl::None {
        out += "  return undefined;\n}\n\n";
    } else {
        out += &format!(
            "  const username = process.env.KAFKA_USERNAME;\n  const password = {};\n",
            password(cx)
        );
        out += "  if (!username || !password) return undefined;\n";
        out += &format!(
            "  return {{ mechanism: {}, username, password }};\n}}\n\n",
            js_string(i.sasl.as_str())
        );
    }
    out += "/** Client settings (connectionTimeout is the runbook's 10 s; KafkaJS' 1 s is short for TLS + SASL). */\n";
    out += "export const kafkaConfig: KafkaConfig = {\n";
    out += "  clientId: process.env.KAFKA_CLIENT_ID ?? \"app\",\n";
    out += &format!("  brokers: {},\n", brokers(cx));
    out += &format!(
        "  connectionTimeout: {},\n  requestTimeout: {},\n",
        k.connection_timeout, k.request_timeout
    );
    out += "  retry: { initialRetryTime: 100, retries: 8, maxRetryTime: 30000, multiplier: 2 },\n";
    out +=
        "  logLevel: process.env.NODE_ENV === \"production\" ? logLevel.ERROR : logLevel.INFO,\n";
    out += &format!("  ssl: {},\n  sasl: sasl(),\n}};\n\n", i.ssl);
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
    out += "/** Consumer settings: heartbeatInterval stays at most a third of sessionTimeout. */\n";
    out += "export function consumerConfig(groupId: string): ConsumerConfig {\n  return {\n    groupId,\n";
    out += &consumer_fields(c, "    ");
    out += "  };\n}\n\n";
    out += "export function createKafkaClient(): Kafka {\n  return new Kafka(kafkaConfig);\n}\n\n";
    out += "export async function createKafkaProducer(kafka: Kafka): Promise<Producer> {\n";
    out += "  const producer = kafka.producer(producerConfig);\n  await producer.connect();\n  return producer;\n}\n\n";
    out += "export async function createKafkaConsumer(kafka: Kafka, groupId: string): Promise<Consumer> {\n";
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
    let mut out = String::from("// @confluentinc/kafka-javascript's KafkaJS-compatible API: settings go in a `kafkaJS` block,\n// and compression belongs to the producer config, not to send().\nimport { KafkaJS } from \"@confluentinc/kafka-javascript\";\n\n");
    out += "const { Kafka, CompressionTypes } = KafkaJS;\n\n";
    out += "export function createKafkaClient() {\n  return new Kafka({\n    kafkaJS: {\n";
    out += "      clientId: process.env.KAFKA_CLIENT_ID ?? \"app\",\n";
    out += &format!("      brokers: {},\n", brokers(cx));
    out += &format!(
        "      connectionTimeout: {},\n      requestTimeout: {},\n      ssl: {},\n",
        k.connection_timeout, k.request_timeout, i.ssl
    );
    if i.sasl != Sasl::None {
        out += &format!(
            "      sasl: {{ mechanism: {}, username: process.env.KAFKA_USERNAME ?? \"\", password: {} ?? \"\" }},\n",
            js_string(i.sasl.as_str()),
            password(cx)
        );
    }
    out += "    },\n  });\n}\n\n";
    out += "export async function createKafkaProducer(kafka: ReturnType<typeof createKafkaClient>) {\n";
    out += "  const producer = kafka.producer({\n    kafkaJS: {\n";
    out += &format!(
        "      idempotent: {},\n      acks: {},\n",
        p.idempotent, p.acks
    );
    if let Some(n) = p.max_in_flight_requests {
        out += &format!("      maxInFlightRequests: {n},\n");
    }
    out += &format!(
        "      compression: CompressionTypes.{},\n",
        codec(p.compression)
    );
    out += &format!(
        "      retry: {{ retries: {} }},\n    }},\n  }});\n",
        retries(p.retries)
    );
    out += "  await producer.connect();\n  return producer;\n}\n\n";
    out += "export async function createKafkaConsumer(kafka: ReturnType<typeof createKafkaClient>, groupId: string) {\n";
    out += "  const consumer = kafka.consumer({\n    kafkaJS: {\n      groupId,\n";
    out += &consumer_fields(c, "      ");
    out += "    },\n  });\n  await consumer.connect();\n  return consumer;\n}\n";
    out
}
