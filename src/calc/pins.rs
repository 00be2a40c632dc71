//! Pins (`set=PATH:VALUE`): the pins in force, and the runbook preset's own numbers as pins. Which
//! paths can be pinned, and their ranges, is the settings table (`settings.rs`).

use super::inputs::{Inputs, Pin, Preset};
use super::presets::RUNBOOK_SERVICES;

pub use super::settings::{check_pin, pinned};

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
    // pgbouncer.ini: default_pool_size = 25, reserve_pool_size = 5, max_client_conn = 1000, and no
    // max_prepared_statements: the version's own default (0 before 1.24, 200 after).
    pins.push(pin("pgbouncer.default_pool_size", 25));
    pins.push(pin("pgbouncer.reserve_pool_size", 5));
    pins.push(pin("pgbouncer.max_client_conn", 1000));
    let version = inputs.pooler.version;
    if version.has_prepared_statements() {
        pins.push(pin(
            "pgbouncer.max_prepared_statements",
            version.default_max_prepared_statements().into(),
        ));
    }
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

/// A pinned value narrowed to u32 (ranges in the settings table keep every u32 pin in range).
pub fn pinned_u32(pins: &[Pin], path: &str) -> Option<u32> {
    pinned(pins, path).map(|v| u32::try_from(v).unwrap_or(u32::MAX))
}
