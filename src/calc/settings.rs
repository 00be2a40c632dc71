//! The pinnable settings, as one table, and the one place where pins meet computed values.
//!
//! A setting's path is its pin path (`set=PATH:VALUE`), its key in the JSON plan and its
//! derivation key. Each module computes a setting with a pure function that returns the value and
//! its derivation (PGTune's one selector per setting); [`Resolver::settle`] then applies the pin,
//! if any, records "pinned to N (computed: M)", files the derivation under the path, and returns
//! the value the setting's dependants compute from.

use super::explain::Derivation;
use super::inputs::Pin;

/// One pinnable setting: its path (`{service}` stands for a service's name) and the values a pin
/// may take.
#[derive(Clone, Copy, Debug)]
pub struct Setting {
    pub path: &'static str,
    pub min: u64,
    pub max: u64,
    /// What a value means, for error messages.
    pub unit: &'static str,
}

const fn s(path: &'static str, min: u64, max: u64, unit: &'static str) -> Setting {
    Setting {
        path,
        min,
        max,
        unit,
    }
}

/// Every pinnable setting. `connection_limit` starts at 1: a pool of 0 is not a pool (and pg's
/// `max: 0` silently becomes 10, pg-pool index.js L89). Booleans are 0 or 1.
pub const SETTINGS: &[Setting] = &[
    s(
        "{service}.connection_limit",
        1,
        10_000,
        "connections per replica",
    ),
    s("{service}.pool_timeout", 0, 3600, "seconds"),
    s("{service}.connect_timeout", 0, 3600, "seconds"),
    s(
        "pgbouncer.default_pool_size",
        1,
        100_000,
        "server connections",
    ),
    s(
        "pgbouncer.reserve_pool_size",
        0,
        100_000,
        "server connections",
    ),
    s(
        "pgbouncer.max_client_conn",
        1,
        1_000_000,
        "client connections",
    ),
    s(
        "pgbouncer.max_db_connections",
        0,
        100_000,
        "server connections, 0 = no cap",
    ),
    s(
        "pgbouncer.max_prepared_statements",
        0,
        100_000,
        "statements, 0 = off",
    ),
    s("prisma.pgbouncer", 0, 1, "0 or 1"),
    s(
        "redis.max_retries_per_request",
        0,
        1000,
        "reconnect attempts",
    ),
    s("kafka.producer.idempotent", 0, 1, "0 or 1"),
    s("kafka.producer.max_in_flight_requests", 1, 1000, "requests"),
    s(
        "kafka.producer.retries",
        0,
        9_007_199_254_740_991,
        "retries",
    ),
    // A KafkaJS CompressionTypes code placed on the producer (where KafkaJS ignores it).
    s(
        "kafka.producer.compression",
        0,
        4,
        "a KafkaJS CompressionTypes code",
    ),
    s(
        "kafka.consumer.session_timeout",
        1000,
        3_600_000,
        "milliseconds",
    ),
    s(
        "kafka.consumer.heartbeat_interval",
        1,
        3_600_000,
        "milliseconds",
    ),
    s("alerts.kafka_lag", 1, 1_000_000_000, "messages"),
];

/// Old pin paths, still read: (old, current).
pub const RENAMED: &[(&str, &str)] = &[
    ("prisma.pgbouncer_flag", "prisma.pgbouncer"),
    ("alerts.kafka_lag_threshold", "alerts.kafka_lag"),
];

/// The setting a pin path names, given the fleet's service names.
pub fn setting(path: &str, service_names: &[&str]) -> Option<&'static Setting> {
    if let Some(s) = SETTINGS.iter().find(|s| s.path == path) {
        return Some(s);
    }
    let (svc, field) = path.rsplit_once('.')?;
    if !service_names.contains(&svc) {
        return None;
    }
    SETTINGS
        .iter()
        .find(|s| s.path.strip_prefix("{service}.") == Some(field))
}

/// Checks a pin's path (against the fleet's service names) and value; the error names the allowed values.
pub fn check_pin(pin: &Pin, service_names: &[&str]) -> Result<(), String> {
    let Some(s) = setting(&pin.path, service_names) else {
        let global: Vec<&str> = SETTINGS
            .iter()
            .map(|s| s.path)
            .filter(|p| !p.starts_with('{'))
            .collect();
        let per_service: Vec<&str> = SETTINGS
            .iter()
            .filter_map(|s| s.path.strip_prefix("{service}."))
            .collect();
        return Err(format!(
            "unknown pin path `{}`: use SERVICE.{} (SERVICE one of the fleet's services) or one of {}",
            pin.path,
            per_service.join(", SERVICE."),
            global.join(", ")
        ));
    };
    if (s.min..=s.max).contains(&pin.value) {
        Ok(())
    } else {
        Err(format!(
            "pin `{}` must be from {} to {} ({}), got {}",
            pin.path, s.min, s.max, s.unit, pin.value
        ))
    }
}

/// Applies the pins to computed settings and files every setting's derivation under its path.
pub struct Resolver<'a> {
    pins: &'a [Pin],
    why: &'a mut Vec<(String, Derivation)>,
}

impl<'a> Resolver<'a> {
    pub fn new(pins: &'a [Pin], why: &'a mut Vec<(String, Derivation)>) -> Self {
        Resolver { pins, why }
    }

    /// The pinned value at `path`, if any.
    pub fn pinned(&self, path: &str) -> Option<u64> {
        pinned(self.pins, path)
    }

    /// The setting's value: the pin if there is one, else `computed`. The derivation is filed under
    /// `path`, saying "pinned to N (computed: M)" when a pin decided it.
    pub fn settle(&mut self, path: impl Into<String>, computed: u64, why: Derivation) -> u64 {
        let path = path.into();
        let (value, why) = match self.pinned(&path) {
            Some(v) => (
                v,
                why.step(format!(
                    "pinned to {v} by set={path}:{v} (computed: {computed})"
                )),
            ),
            None => (computed, why),
        };
        self.why.push((path, why));
        value
    }

    /// `settle` for a value that is narrower than u64 (every range in [`SETTINGS`] keeps a pin of a
    /// u32 setting within u32).
    pub fn settle_u32(&mut self, path: impl Into<String>, computed: u32, why: Derivation) -> u32 {
        let v = self.settle(path, u64::from(computed), why);
        u32::try_from(v).unwrap_or(u32::MAX)
    }

    /// A setting that may have no value (the client's own default): the pin, else `computed`.
    pub fn settle_opt(
        &mut self,
        path: impl Into<String>,
        computed: Option<u64>,
        why: Derivation,
    ) -> Option<u64> {
        let path = path.into();
        let shown = computed.map_or("unset".to_string(), |c| c.to_string());
        let (value, why) = match self.pinned(&path) {
            Some(v) => (
                Some(v),
                why.step(format!(
                    "pinned to {v} by set={path}:{v} (computed: {shown})"
                )),
            ),
            None => (computed, why),
        };
        self.why.push((path, why));
        value
    }

    /// A yes/no setting (0 or 1).
    pub fn settle_bool(
        &mut self,
        path: impl Into<String>,
        computed: bool,
        why: Derivation,
    ) -> bool {
        self.settle(path, u64::from(computed), why) == 1
    }

    /// Narrows a settled value (a pin beyond what the client accepts): the derivation filed under
    /// `path` says why.
    pub fn clamp(&mut self, path: &str, note: impl Into<String>) {
        if let Some((_, d)) = self.why.iter_mut().rev().find(|(p, _)| p == path) {
            d.steps.push(note.into());
        }
    }

    /// Files the derivation of a value that cannot be pinned.
    pub fn derived(&mut self, path: impl Into<String>, why: Derivation) {
        self.why.push((path.into(), why));
    }
}

/// Looks up a pinned value by path.
pub fn pinned(pins: &[Pin], path: &str) -> Option<u64> {
    pins.iter().find(|p| p.path == path).map(|p| p.value)
}
