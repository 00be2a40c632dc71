//! The Kafka module in the runbook's shape (`createKafkaClient`, `createKafkaProducer`,
//! `createKafkaConsumer`, and the `send()` options), for KafkaJS or the Confluent client.

use super::escape::js_string;
use super::template::Fill;
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
const REQUIRED: &str = include_str!("templates/required.ts");

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

/// The values both clients' templates share. The credentials come from the environment even when
/// a password was typed: the typed value goes into the .env only, so the code holds no secret.
fn common(cx: &Context, k: &KafkaPlan, indent: &str) -> Fill {
    let i = &cx.inputs.kafka;
    let p = &k.producer;
    let sasl = (i.sasl != Sasl::None).then(|| js_string(i.sasl.as_str()));
    Fill::new()
        .value("required", REQUIRED)
        .value("brokers", brokers(cx))
        .value("connection_timeout", k.connection_timeout)
        .value("request_timeout", k.request_timeout)
        .value("ssl", i.ssl)
        .option("sasl", sasl)
        .value("idempotent", p.idempotent)
        .value("acks", p.acks)
        .option("max_in_flight_requests", p.max_in_flight_requests)
        .value("retries", retries(p.retries))
        .value("consumer", consumer_fields(&k.consumer, indent))
}

fn kafkajs(cx: &Context, k: &KafkaPlan) -> String {
    common(cx, k, "    ")
        .value("compression", codec(k.producer.compression))
        .render(include_str!("templates/kafkajs.ts"))
}

fn confluent(cx: &Context, k: &KafkaPlan) -> String {
    // The runtime's CompressionTypes names differ from its type declarations (SNAPPY vs Snappy),
    // so the codec is written as the librdkafka value it stands for.
    common(cx, k, "      ")
        .value("compression", js_string(k.producer.compression.as_str()))
        .render(include_str!("templates/confluent.ts"))
}
