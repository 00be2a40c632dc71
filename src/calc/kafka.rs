//! Kafka (rule 7): consumer timing, the exactly-once producer, and where compression goes.

use serde::Serialize;

use super::explain::{source, Derivation, Finding};
use super::inputs::{Compression, Inputs, KafkaClient, Pin};
use super::pins::pinned;

/// The largest integer JavaScript represents exactly (Number.MAX_SAFE_INTEGER): "unbounded" retries.
pub const JS_MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_991;

/// Producer settings.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProducerPlan {
    pub idempotent: bool,
    /// `None` = no limit (KafkaJS' default).
    pub max_in_flight_requests: Option<u32>,
    pub retries: u64,
    /// -1 = all in-sync replicas.
    pub acks: i32,
    pub compression: Compression,
    /// KafkaJS: compression goes on send(); the Confluent client: in the producer config.
    pub compression_in_producer_config: bool,
}

/// Consumer settings (milliseconds).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConsumerPlan {
    pub session_timeout: u32,
    pub heartbeat_interval: u32,
    pub rebalance_timeout: u32,
    pub max_wait_time_in_ms: u32,
    pub max_bytes_per_partition: u32,
}

/// The Kafka client, producer and consumer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KafkaPlan {
    pub client: KafkaClient,
    pub connection_timeout: u32,
    pub request_timeout: u32,
    pub producer: ProducerPlan,
    pub consumer: ConsumerPlan,
}

/// Computes the Kafka plan, or `None` when Kafka is off.
pub fn plan_kafka(
    inputs: &Inputs,
    pins: &[Pin],
    why: &mut Vec<(String, Derivation)>,
    findings: &mut Vec<Finding>,
) -> Option<KafkaPlan> {
    let k = &inputs.kafka;
    if k.client == KafkaClient::Off {
        return None;
    }
    let consumer = consumer(pins, why, findings);
    let producer = producer(inputs, pins, why, findings);
    if k.client == KafkaClient::KafkaJs {
        findings.push(
            Finding::info(
                "kafka.kafkajs_unmaintained",
                "KafkaJS has had no release since 2.2.4 (2023-02-27) and is looking for maintainers; @confluentinc/kafka-javascript offers a KafkaJS-compatible API (kafka=confluent)",
                source::KAFKAJS_MAINTAINERS,
            )
            .field("kafka"),
        );
    }
    Some(KafkaPlan {
        client: k.client,
        // The runbook's 10 s (KafkaJS' default, 1 s, is short for TLS + SASL handshakes).
        connection_timeout: 10_000,
        request_timeout: 30_000,
        producer,
        consumer,
    })
}

/// sessionTimeout and heartbeatInterval: KafkaJS throws when heartbeat ≥ session and recommends
/// about a third (src/consumer/index.js L83-87). Pins above a third are lowered to it.
fn consumer(
    pins: &[Pin],
    why: &mut Vec<(String, Derivation)>,
    findings: &mut Vec<Finding>,
) -> ConsumerPlan {
    let session_timeout =
        pinned(pins, "kafka.consumer.session_timeout").map_or(30_000, |v| v as u32);
    let third = session_timeout / 3;
    let mut d = Derivation::new(
        "min(3000, floor(sessionTimeout / 3))",
        source::KAFKAJS_CONSUMING,
    )
    .input("sessionTimeout", session_timeout);
    let heartbeat_interval = match pinned(pins, "kafka.consumer.heartbeat_interval") {
        Some(v) if v > u64::from(third) => {
            findings.push(
                Finding::warning(
                    "kafka.heartbeat_too_long",
                    format!("heartbeatInterval {v} is above sessionTimeout / 3 = {third}: a missed heartbeat or two would evict the consumer; poolcalc uses {third}"),
                    source::KAFKAJS_CONSUMING,
                )
                .pin("kafka.consumer.heartbeat_interval"),
            );
            d = d.step(format!("pin {v} lowered to {third}"));
            third
        }
        Some(v) => {
            d = d.step(format!("pinned to {v}"));
            v as u32
        }
        None => 3000.min(third),
    };
    why.push(("kafka.consumer.heartbeat_interval".into(), d));
    ConsumerPlan {
        session_timeout,
        heartbeat_interval: heartbeat_interval.max(1),
        rebalance_timeout: 60_000,
        max_wait_time_in_ms: 5000,
        max_bytes_per_partition: 1_048_576,
    }
}

/// Exactly-once needs idempotent, one request in flight, acks -1 and unbounded retries
/// (KafkaJS docs/Transactions.md L14-20); KafkaJS enforces only acks and retries ≥ 1.
fn producer(
    inputs: &Inputs,
    pins: &[Pin],
    why: &mut Vec<(String, Derivation)>,
    findings: &mut Vec<Finding>,
) -> ProducerPlan {
    let k = &inputs.kafka;
    let idempotent = pinned(pins, "kafka.producer.idempotent").map_or(k.eos, |v| v == 1);
    let in_flight = pinned(pins, "kafka.producer.max_in_flight_requests").map(|v| v as u32);
    let retries = pinned(pins, "kafka.producer.retries");
    if idempotent {
        if let Some(n) = in_flight.filter(|&n| n > 1) {
            findings.push(
                Finding::warning(
                    "kafka.eos_in_flight",
                    format!("idempotent: true with maxInFlightRequests: {n}: KafkaJS does not reject it, but its exactly-once guarantee is documented for 1 request in flight"),
                    source::KAFKAJS_TRANSACTIONS,
                )
                .pin("kafka.producer.max_in_flight_requests"),
            );
        }
        if let Some(n) = retries.filter(|&n| n < JS_MAX_SAFE_INTEGER) {
            let (severity, what) = if n == 0 {
                (super::explain::Severity::Error, "KafkaJS throws")
            } else {
                (super::explain::Severity::Warning, "KafkaJS logs \"Limiting retries for the idempotent producer may invalidate EoS guarantees\"")
            };
            findings.push(
                Finding::new(severity, "kafka.eos_retries", format!("idempotent: true with retry.retries: {n}: {what}; exactly-once needs unbounded retries (Number.MAX_SAFE_INTEGER)"), source::KAFKAJS_PRODUCING)
                    .pin("kafka.producer.retries"),
            );
        }
    }
    if pinned(pins, "kafka.producer.compression").is_some() && k.client == KafkaClient::KafkaJs {
        findings.push(
            Finding::warning(
                "kafka.compression_on_producer",
                "compression in kafka.producer({...}) is silently ignored by KafkaJS (it is not a producer option); poolcalc puts it on send({ compression }) instead",
                source::KAFKAJS_PRODUCING,
            )
            .pin("kafka.producer.compression"),
        );
    }
    if k.client == KafkaClient::KafkaJs
        && !matches!(k.compression, Compression::None | Compression::Gzip)
    {
        findings.push(
            Finding::warning(
                "kafka.codec_not_builtin",
                format!("KafkaJS only ships GZIP: {} needs a codec package registered in CompressionCodecs, or send() throws KafkaJSNotImplemented", k.compression),
                source::KAFKAJS_PRODUCING,
            )
            .field("kafka_compression"),
        );
    }
    let eos_default = idempotent && in_flight.is_none();
    why.push((
        "kafka.producer.retries".into(),
        Derivation::new("Number.MAX_SAFE_INTEGER when idempotent (unbounded), else KafkaJS' 5", source::KAFKAJS_TRANSACTIONS)
            .input("idempotent", idempotent)
            .step("stated explicitly: KafkaJS merges an empty retry object, so an idempotent producer would otherwise retry only 5 times"),
    ));
    why.push((
        "kafka.producer.max_in_flight_requests".into(),
        Derivation::new("1 when idempotent (exactly-once is documented for one request in flight), else no limit", source::KAFKAJS_TRANSACTIONS)
            .input("idempotent", idempotent),
    ));
    ProducerPlan {
        idempotent,
        max_in_flight_requests: in_flight.or(eos_default.then_some(1)),
        // Unset, KafkaJS' effective retries are 5 even for an idempotent producer (src/index.js
        // L124 merges an empty retry object), so state MAX_SAFE_INTEGER explicitly.
        retries: retries.unwrap_or(if idempotent { JS_MAX_SAFE_INTEGER } else { 5 }),
        acks: -1,
        compression: k.compression,
        compression_in_producer_config: k.client == KafkaClient::Confluent,
    }
}
