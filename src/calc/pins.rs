//! Pins (`set=PATH:VALUE`): which computed values can be pinned, their ranges, and the
//! runbook preset, which is nothing but a set of pins.

use super::inputs::{Inputs, Pin, Preset};
use super::presets::RUNBOOK_SERVICES;

/// A pinnable value that is not per service: its path and allowed range.
const GLOBAL_PINS: &[(&str, u64, u64)] = &[
    ("pgbouncer.default_pool_size", 1, 100_000),
    ("pgbouncer.reserve_pool_size", 0, 100_000),
    ("pgbouncer.max_client_conn", 1, 1_000_000),
    ("pgbouncer.max_db_connections", 0, 100_000),
    ("pgbouncer.max_prepared_statements", 0, 100_000),
    ("prisma.pgbouncer", 0, 1),
    ("redis.max_retries_per_request", 0, 1000),
    ("kafka.producer.idempotent", 0, 1),
    ("kafka.producer.max_in_flight_requests", 1, 1000),
    ("kafka.producer.retries", 0, 9_007_199_254_740_991),
    // KafkaJS CompressionTypes code placed on the producer (where KafkaJS ignores it).
    ("kafka.producer.compression", 0, 4),
    ("kafka.consumer.session_timeout", 1000, 3_600_000),
    ("kafka.consumer.heartbeat_interval", 1, 3_600_000),
    ("alerts.kafka_lag", 1, 1_000_000_000),
];

/// Per-service pinnable values (`SERVICE.FIELD`) and their ranges. `connection_limit` starts at 1:
/// a pool of 0 is not a pool (and pg's `max: 0` silently becomes 10, pg-pool index.js L89).
const SERVICE_PINS: &[(&str, u64, u64)] = &[
    ("connection_limit", 1, 10_000),
    ("pool_timeout", 0, 3600),
    ("connect_timeout", 0, 3600),
];

/// Checks a pin's path (against the fleet's service names) and value; the error names the allowed values.
pub fn check_pin(pin: &Pin, service_names: &[&str]) -> Result<(), String> {
    let (lo, hi) = match pin_range(&pin.path, service_names) {
        Some(r) => r,
        None => {
            return Err(format!(
                "unknown pin path `{}`: use SERVICE.connection_limit, SERVICE.pool_timeout, SERVICE.connect_timeout (SERVICE one of the fleet's services) or one of {}",
                pin.path,
                GLOBAL_PINS.iter().map(|(p, ..)| *p).collect::<Vec<_>>().join(", ")
            ))
        }
    };
    if (lo..=hi).contains(&pin.value) {
        Ok(())
    } else {
        Err(format!(
            "pin `{}` must be from {lo} to {hi}, got {}",
            pin.path, pin.value
        ))
    }
}

fn pin_range(path: &str, service_names: &[&str]) -> Option<(u64, u64)> {
    if let Some(&(_, lo, hi)) = GLOBAL_PINS.iter().find(|(p, ..)| *p == path) {
        return Some((lo, hi));
    }
    let (svc, field) = path.rsplit_once('.')?;
    if !service_names.contains(&svc) {
        return None;
    }
    SERVICE_PINS
        .iter()
        .find(|(f, ..)| *f == field)
        .map(|&(_, lo, hi)| (lo, hi))
}

/// The pins in force: the preset's, overridden by explicit `set=` pins with the same path.
pub fn effective_pins(inputs: &Inputs) -> Vec<Pin> {
    let mut pins = match inputs.preset {
        Some(Preset::Runbook) => runbook_pins(inputs),
        None => Vec::new(),
    };
    for pin in &inputs.pins {
        pins.retain(|p| p.path != pin.path);
        pins.push(pin.clone());
    }
    pins
}

/// The runbook's own numbers (shared/reference/pooling-guide.md), as pins.
fn runbook_pins(inputs: &Inputs) -> Vec<Pin> {
    let pin = |path: &str, value: u64| Pin {
        path: path.to_string(),
        value,
    };
    let mut pins = Vec::new();
    for svc in &inputs.services {
        if let Some(rb) = RUNBOOK_SERVICES.iter().find(|r| r.name == svc.name) {
            // "wallet-service: connection_limit=20 …", with the URL's pool_timeout=10&connect_timeout=5.
            pins.push(pin(
                &format!("{}.connection_limit", svc.name),
                rb.connection_limit.into(),
            ));
            pins.push(pin(&format!("{}.pool_timeout", svc.name), 10));
            pins.push(pin(&format!("{}.connect_timeout", svc.name), 5));
        }
    }
    // pgbouncer.ini: default_pool_size = 25, reserve_pool_size = 5, max_client_conn = 1000.
    pins.push(pin("pgbouncer.default_pool_size", 25));
    pins.push(pin("pgbouncer.reserve_pool_size", 5));
    pins.push(pin("pgbouncer.max_client_conn", 1000));
    // ioredis: maxRetriesPerRequest: 3.
    pins.push(pin("redis.max_retries_per_request", 3));
    // The KafkaJS producer as written: maxInFlightRequests 5, idempotent, compression 1 (GZIP)
    // on the producer, retry.retries 3.
    pins.push(pin("kafka.producer.max_in_flight_requests", 5));
    pins.push(pin("kafka.producer.idempotent", 1));
    pins.push(pin("kafka.producer.compression", 1));
    pins.push(pin("kafka.producer.retries", 3));
    pins
}

/// Looks up a pinned value by path.
pub fn pinned(pins: &[Pin], path: &str) -> Option<u64> {
    pins.iter().find(|p| p.path == path).map(|p| p.value)
}

/// A pinned value narrowed to u32 (ranges above keep every u32 pin in range).
pub fn pinned_u32(pins: &[Pin], path: &str) -> Option<u32> {
    pinned(pins, path).map(|v| u32::try_from(v).unwrap_or(u32::MAX))
}
