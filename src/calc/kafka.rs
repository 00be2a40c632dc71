//! Kafka (rule 7): consumer timing, the exactly-once producer, compression, and security, for the
//! two clients poolcalc writes. The same KafkaJS-shaped option means different things to them:
//! @confluentinc/kafka-javascript hands its `kafkaJS` block to librdkafka
//! (`lib/kafkajs/_producer.js`, `_consumer.js`, `_common.js`), whose ranges differ from KafkaJS's,
//! so every value comes from the client's row of [`PROFILES`] and is kept inside its range.

use serde::Serialize;

use super::explain::{source, Derivation, Finding, Severity};
use super::inputs::{Compression, Env, Inputs, KafkaClient, Sasl};
use super::settings::Resolver;

/// The largest integer JavaScript represents exactly (Number.MAX_SAFE_INTEGER): "unbounded" retries.
pub const JS_MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_991;
/// librdkafka's int32 properties (`message.send.max.retries` is 0..2147483647).
pub const INT32_MAX: u64 = 2_147_483_647;
/// The broker's `group.min.session.timeout.ms` and `group.max.session.timeout.ms` defaults: a
/// consumer asking for a session outside them is refused when it joins its group.
pub const BROKER_MIN_SESSION_MS: u64 = 6000;
pub const BROKER_MAX_SESSION_MS: u64 = 1_800_000;

/// What one client accepts and defaults to.
#[derive(Clone, Copy, Debug)]
pub struct ClientProfile {
    pub client: KafkaClient,
    /// The largest `retry.retries` the client can take.
    pub max_retries: u64,
    /// Retries for an idempotent producer: "unbounded" in the client's own terms.
    pub eos_retries: u64,
    /// `maxInFlightRequests` for an idempotent producer: KafkaJS documents exactly-once for 1;
    /// librdkafka allows at most 5 with `enable.idempotence` and keeps the order with 5.
    pub eos_max_in_flight: u32,
    /// The most in flight an idempotent producer may be given.
    pub eos_max_in_flight_limit: u32,
    /// Retries of a producer that is not idempotent (both default to 5 in KafkaJS form).
    pub retries: u64,
    pub session_timeout: u32,
    pub heartbeat_interval: u32,
    /// `rebalanceTimeout` to write: KafkaJS's 60 s; the Confluent client maps it to librdkafka's
    /// `max.poll.interval.ms` (the processing deadline, 300 s), so it is left unset there.
    pub rebalance_timeout: Option<u32>,
    /// `maxWaitTimeInMs` and `maxBytesPerPartition` in KafkaJS's own terms; librdkafka's defaults
    /// (fetch.wait.max.ms 500, max.partition.fetch.bytes 1 MiB) are kept for the Confluent client.
    pub max_wait_time_in_ms: Option<u32>,
    pub max_bytes_per_partition: Option<u32>,
    /// Compression codecs the client ships (KafkaJS: GZIP only; librdkafka: all five).
    pub builtin_codecs: &'static [Compression],
    pub source: &'static str,
}

/// One row per client.
pub const PROFILES: &[ClientProfile] = &[
    ClientProfile {
        client: KafkaClient::KafkaJs,
        max_retries: JS_MAX_SAFE_INTEGER,
        eos_retries: JS_MAX_SAFE_INTEGER,
        eos_max_in_flight: 1,
        eos_max_in_flight_limit: 1,
        retries: 5,
        session_timeout: 30_000,
        heartbeat_interval: 3000,
        rebalance_timeout: Some(60_000),
        max_wait_time_in_ms: Some(5000),
        max_bytes_per_partition: Some(1_048_576),
        builtin_codecs: &[Compression::None, Compression::Gzip],
        source: source::KAFKAJS_PRODUCING,
    },
    ClientProfile {
        client: KafkaClient::Confluent,
        max_retries: INT32_MAX,
        eos_retries: INT32_MAX,
        eos_max_in_flight: 5,
        eos_max_in_flight_limit: 5,
        retries: 5,
        session_timeout: 45_000,
        heartbeat_interval: 3000,
        rebalance_timeout: None,
        max_wait_time_in_ms: None,
        max_bytes_per_partition: None,
        builtin_codecs: &[
            Compression::None,
            Compression::Gzip,
            Compression::Snappy,
            Compression::Lz4,
            Compression::Zstd,
        ],
        source: source::LIBRDKAFKA_CONFIG,
    },
];

/// The profile of a client (KafkaJS for `off`, which has no plan anyway).
pub fn profile(client: KafkaClient) -> &'static ClientProfile {
    PROFILES
        .iter()
        .find(|p| p.client == client)
        .unwrap_or(&PROFILES[0])
}

/// Producer settings.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProducerPlan {
    pub idempotent: bool,
    /// `None` = no limit (the client's default).
    pub max_in_flight_requests: Option<u32>,
    pub retries: u64,
    /// -1 = all in-sync replicas.
    pub acks: i32,
    pub compression: Compression,
    /// KafkaJS: compression goes on send(); the Confluent client: in the producer config.
    pub compression_in_producer_config: bool,
}

/// Consumer settings (milliseconds); `None` leaves the client's own default.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConsumerPlan {
    pub session_timeout: u32,
    pub heartbeat_interval: u32,
    pub rebalance_timeout: Option<u32>,
    pub max_wait_time_in_ms: Option<u32>,
    pub max_bytes_per_partition: Option<u32>,
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
    r: &mut Resolver,
    findings: &mut Vec<Finding>,
) -> Option<KafkaPlan> {
    let k = &inputs.kafka;
    if k.client == KafkaClient::Off {
        return None;
    }
    let p = profile(k.client);
    let consumer = consumer(p, r, findings);
    let producer = producer(inputs, p, r, findings);
    for (path, text, src) in [
        ("kafka.connection_timeout", "10000 ms: the runbook's (KafkaJS' own 1000 is short for TLS + SASL handshakes)", source::KAFKAJS_CONFIGURATION),
        ("kafka.request_timeout", "30000 ms: KafkaJS' default requestTimeout (librdkafka's socket.timeout.ms through the Confluent client)", source::KAFKAJS_CONFIGURATION),
        ("kafka.producer.acks", "-1: every in-sync replica acknowledges (required by idempotence, the safe default otherwise)", source::KAFKAJS_PRODUCING),
    ] {
        r.derived(path, Derivation::new(text, src));
    }
    security(inputs, findings);
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

/// SASL sends credentials on every connection: PLAIN sends the password itself, SCRAM a proof
/// an eavesdropper can attack offline; without TLS both cross the network readable.
fn security(inputs: &Inputs, findings: &mut Vec<Finding>) {
    let k = &inputs.kafka;
    if k.sasl == Sasl::None || k.ssl {
        return;
    }
    let prod = matches!(inputs.env, Env::Prod | Env::ProdHigh);
    let (severity, what) = match k.sasl {
        Sasl::Plain if prod => (Severity::Error, "the password itself crosses the network in clear text, in production"),
        Sasl::Plain => (Severity::Warning, "the password itself crosses the network in clear text"),
        _ => (Severity::Warning, "the SCRAM exchange and every message cross the network unencrypted (an eavesdropper can attack the exchange offline)"),
    };
    findings.push(
        Finding::new(
            severity,
            "kafka.sasl_without_tls",
            format!(
                "SASL {} without TLS (kafka_ssl=0): {what}. Set kafka_ssl=1",
                k.sasl
            ),
            source::KAFKA_SECURITY,
        )
        .field("kafka_ssl"),
    );
}

/// sessionTimeout and heartbeatInterval: KafkaJS throws when heartbeat ≥ session and recommends
/// about a third (src/consumer/index.js L83-87). Pins above a third are lowered to it; a session
/// outside the broker's bounds is refused when the consumer joins its group.
fn consumer(p: &ClientProfile, r: &mut Resolver, findings: &mut Vec<Finding>) -> ConsumerPlan {
    let path = "kafka.consumer.session_timeout";
    let session = r.settle(
        path,
        u64::from(p.session_timeout),
        Derivation::new(
            format!("{} ms: the client's default", p.session_timeout),
            p.source,
        )
        .input("client", p.client)
        .step(format!(
            "within the broker's {BROKER_MIN_SESSION_MS}..{BROKER_MAX_SESSION_MS} ms"
        )),
    );
    if !(BROKER_MIN_SESSION_MS..=BROKER_MAX_SESSION_MS).contains(&session) {
        findings.push(
            Finding::error(
                "kafka.session_outside_broker",
                format!("sessionTimeout {session} ms is outside the broker's group.min.session.timeout.ms ({BROKER_MIN_SESSION_MS}) to group.max.session.timeout.ms ({BROKER_MAX_SESSION_MS}) (Kafka's defaults): the broker refuses the consumer when it joins its group (INVALID_SESSION_TIMEOUT)"),
                source::KAFKA_GROUP_SESSION,
            )
            .pin(path),
        );
    }
    let session_timeout = u32::try_from(session).unwrap_or(u32::MAX);
    let third = session_timeout / 3;
    let path = "kafka.consumer.heartbeat_interval";
    let heartbeat = r.settle_u32(
        path,
        p.heartbeat_interval.min(third),
        Derivation::new(
            format!("min({}, floor(sessionTimeout / 3))", p.heartbeat_interval),
            source::KAFKAJS_CONSUMING,
        )
        .input("sessionTimeout", session_timeout),
    );
    // KafkaJS throws when heartbeat ≥ session and recommends about a third (src/consumer/index.js
    // L83-87): a pin above a third is lowered to it.
    let heartbeat_interval = if heartbeat > third {
        findings.push(
            Finding::warning(
                "kafka.heartbeat_too_long",
                format!("heartbeatInterval {heartbeat} is above sessionTimeout / 3 = {third}: a missed heartbeat or two would evict the consumer; poolcalc uses {third}"),
                source::KAFKAJS_CONSUMING,
            )
            .pin(path),
        );
        r.clamp(
            path,
            format!("lowered to {third}: at most a third of the session"),
        );
        third
    } else {
        heartbeat
    };
    r.derived(
        "kafka.consumer.rebalance_timeout",
        match p.rebalance_timeout {
            Some(v) => Derivation::new(format!("{v} ms: KafkaJS' default"), source::KAFKAJS_CONSUMING),
            None => Derivation::new(
                "left unset: the Confluent client maps rebalanceTimeout to librdkafka's max.poll.interval.ms, the time allowed between two polls (300000 ms by default), which a KafkaJS-sized 60 s would shorten",
                source::LIBRDKAFKA_CONFIG,
            ),
        },
    );
    for (path, value, what) in [
        (
            "kafka.consumer.max_wait_time_in_ms",
            p.max_wait_time_in_ms,
            "KafkaJS' default maxWaitTimeInMs",
        ),
        (
            "kafka.consumer.max_bytes_per_partition",
            p.max_bytes_per_partition,
            "KafkaJS' default maxBytesPerPartition",
        ),
    ] {
        r.derived(
            path,
            match value {
                Some(v) => Derivation::new(format!("{v}: {what}"), source::KAFKAJS_CONSUMING),
                None => Derivation::new("left to librdkafka's own default (fetch.wait.max.ms, max.partition.fetch.bytes)", source::LIBRDKAFKA_CONFIG),
            },
        );
    }
    ConsumerPlan {
        session_timeout,
        heartbeat_interval: heartbeat_interval.max(1),
        rebalance_timeout: p.rebalance_timeout,
        max_wait_time_in_ms: p.max_wait_time_in_ms,
        max_bytes_per_partition: p.max_bytes_per_partition,
    }
}

/// Exactly-once needs idempotent, few requests in flight, acks -1 and unbounded retries
/// (KafkaJS docs/Transactions.md L14-20; librdkafka CONFIGURATION.md `enable.idempotence`).
fn producer(
    inputs: &Inputs,
    p: &ClientProfile,
    r: &mut Resolver,
    findings: &mut Vec<Finding>,
) -> ProducerPlan {
    let k = &inputs.kafka;
    let confluent = k.client == KafkaClient::Confluent;
    let idempotent = r.settle_bool(
        "kafka.producer.idempotent",
        k.eos,
        Derivation::new(
            "kafka_eos: an exactly-once (idempotent) producer when asked for",
            source::KAFKAJS_TRANSACTIONS,
        )
        .input("kafka_eos", k.eos),
    );

    let path = "kafka.producer.max_in_flight_requests";
    let mut in_flight = r
        .settle_opt(
            path,
            idempotent.then_some(u64::from(p.eos_max_in_flight)),
            Derivation::new(
                format!(
                    "{} when idempotent ({}), else the client's default (unset)",
                    p.eos_max_in_flight,
                    if confluent {
                        "librdkafka keeps the order with up to 5"
                    } else {
                        "KafkaJS documents exactly-once for one request in flight"
                    }
                ),
                p.source,
            )
            .input("idempotent", idempotent),
        )
        .map(|v| u32::try_from(v).unwrap_or(u32::MAX));
    if let Some(n) = in_flight.filter(|&n| idempotent && n > p.eos_max_in_flight) {
        if confluent && n > p.eos_max_in_flight_limit {
            findings.push(
                Finding::error(
                    "kafka.eos_in_flight",
                    format!("idempotent: true with maxInFlightRequests: {n}: librdkafka refuses it (\"max.in.flight must be set <= 5 when enable.idempotence is true\"); poolcalc writes {}", p.eos_max_in_flight_limit),
                    source::LIBRDKAFKA_CONFIG,
                )
                .pin(path),
            );
            r.clamp(
                path,
                format!(
                    "lowered to {}: librdkafka's most with idempotence",
                    p.eos_max_in_flight_limit
                ),
            );
            in_flight = Some(p.eos_max_in_flight_limit);
        } else if !confluent {
            findings.push(
                Finding::warning(
                    "kafka.eos_in_flight",
                    format!("idempotent: true with maxInFlightRequests: {n}: KafkaJS does not reject it, but its exactly-once guarantee is documented for 1 request in flight"),
                    source::KAFKAJS_TRANSACTIONS,
                )
                .pin(path),
            );
        }
    }

    let path = "kafka.producer.retries";
    let default_retries = if idempotent { p.eos_retries } else { p.retries };
    let mut retries = r.settle(
        path,
        default_retries,
        Derivation::new(
            if confluent {
                "2147483647 (librdkafka's int32 maximum, its own default with idempotence) when idempotent, else the client's 5"
            } else {
                "Number.MAX_SAFE_INTEGER when idempotent (unbounded), else KafkaJS' 5"
            },
            if confluent {
                source::LIBRDKAFKA_CONFIG
            } else {
                source::KAFKAJS_TRANSACTIONS
            },
        )
        .input("client", k.client)
        .input("idempotent", idempotent)
        .step(if confluent {
            "stated explicitly: the KafkaJS-compatible layer sets retries to 5 when the block has none, which would override librdkafka's unbounded default"
        } else {
            "stated explicitly: KafkaJS merges an empty retry object, so an idempotent producer would otherwise retry only 5 times"
        }),
    );
    if idempotent && retries < p.eos_retries {
        let (severity, what) = match (retries, confluent) {
            (0, false) => (Severity::Error, "KafkaJS throws".to_string()),
            (0, true) => (Severity::Error, "librdkafka refuses 0 retries with enable.idempotence".to_string()),
            (_, false) => (Severity::Warning, "KafkaJS logs \"Limiting retries for the idempotent producer may invalidate EoS guarantees\"".to_string()),
            (_, true) => (Severity::Warning, "librdkafka gives up on a message after them, which exactly-once does not allow".to_string()),
        };
        findings.push(
            Finding::new(severity, "kafka.eos_retries", format!("idempotent: true with retry.retries: {retries}: {what}; exactly-once needs unbounded retries ({})", p.eos_retries), p.source)
                .pin(path),
        );
    }
    if retries > p.max_retries {
        findings.push(
            Finding::error(
                "kafka.retries_out_of_range",
                format!("retry.retries {retries} is beyond what {} accepts (at most {}, an int32 in librdkafka): poolcalc writes {}", k.client, p.max_retries, p.max_retries),
                source::LIBRDKAFKA_CONFIG,
            )
            .pin(path),
        );
        r.clamp(
            path,
            format!(
                "lowered to {}: the most {} accepts",
                p.max_retries, k.client
            ),
        );
        retries = p.max_retries;
    }

    // The codec is an input; a pin places a KafkaJS CompressionTypes code on the producer config
    // (the runbook's `compression: 1`), which KafkaJS ignores.
    let path = "kafka.producer.compression";
    let on_producer = r.settle_opt(
        path,
        None,
        Derivation::new(
            format!(
                "kafka_compression ({}): on send() for KafkaJS, in the producer config for the Confluent client",
                k.compression
            ),
            if confluent {
                source::CONFLUENT_KAFKA_JS
            } else {
                source::KAFKAJS_PRODUCING
            },
        )
        .input("kafka_compression", k.compression),
    );
    if on_producer.is_some() && !confluent {
        findings.push(
            Finding::warning(
                "kafka.compression_on_producer",
                "compression in kafka.producer({...}) is silently ignored by KafkaJS (it is not a producer option); poolcalc puts it on send({ compression }) instead",
                source::KAFKAJS_PRODUCING,
            )
            .pin(path),
        );
    }
    if !p.builtin_codecs.contains(&k.compression) {
        findings.push(
            Finding::warning(
                "kafka.codec_not_builtin",
                format!("KafkaJS only ships GZIP: {} needs a codec package registered in CompressionCodecs, or send() throws KafkaJSNotImplemented", k.compression),
                source::KAFKAJS_PRODUCING,
            )
            .field("kafka_compression"),
        );
    }
    ProducerPlan {
        idempotent,
        max_in_flight_requests: in_flight,
        retries,
        acks: -1,
        compression: k.compression,
        compression_in_producer_config: confluent,
    }
}
