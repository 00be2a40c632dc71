//! Alert thresholds (rule 8), computed from the plan so the rules file can be written from it.

use serde::Serialize;

use super::budget::Budget;
use super::explain::{source, Derivation};
use super::inputs::Pin;
use super::pins::pinned;
use super::redis::RedisPlan;

/// Warn when a pool is more than this share full (the runbook's HighConnectionUtilization, 0.8).
pub const UTILISATION_PERCENT: u32 = 80;
/// Warn when clients wait longer than this for a connection (the runbook's ConnectionPoolExhausted, 5 s).
pub const CLIENT_WAIT_SECONDS: u32 = 5;

/// The thresholds the alert rules use.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AlertPlan {
    pub utilisation_percent: u32,
    pub client_wait_seconds: u32,
    /// Connections on the database that mean "80 % of the slots ordinary roles may use".
    pub postgres_connections_threshold: u32,
    /// Redis connected clients that mean "80 % of maxclients".
    pub redis_clients_threshold: Option<u64>,
    /// Consumer-group lag, in messages, that pages someone.
    pub kafka_lag_threshold: Option<u64>,
}

/// Computes the thresholds.
pub fn plan_alerts(
    budget: &Budget,
    redis: Option<&RedisPlan>,
    kafka_on: bool,
    pins: &[Pin],
    why: &mut Vec<(String, Derivation)>,
) -> AlertPlan {
    let ordinary = budget
        .max_connections
        .saturating_sub(budget.reserved + budget.provider_reserved);
    let postgres_connections_threshold = ordinary * UTILISATION_PERCENT / 100;
    why.push((
        "alerts.postgres_connections_threshold".into(),
        Derivation::new(
            "80 % × (max_connections − reserved − provider_reserved)",
            source::RUNBOOK,
        )
        .input("max_connections", budget.max_connections)
        .input(
            "reserved + provider_reserved",
            budget.reserved + budget.provider_reserved,
        ),
    ));
    let redis_clients_threshold =
        redis.map(|r| u64::from(r.maxclients) * u64::from(UTILISATION_PERCENT) / 100);
    // Without a throughput figure there is no lag the plan can derive; 1000 messages is a
    // conservative start, pinnable with set=alerts.kafka_lag:N.
    let kafka_lag_threshold = kafka_on.then(|| pinned(pins, "alerts.kafka_lag").unwrap_or(1000));
    if let Some(r) = redis {
        why.push((
            "alerts.redis_clients_threshold".into(),
            Derivation::new("80 % × maxclients", source::REDIS_MAXCLIENTS)
                .input("maxclients", r.maxclients),
        ));
    }
    if let Some(lag) = kafka_lag_threshold {
        why.push((
            "alerts.kafka_lag_threshold".into(),
            Derivation::new(
                "1000 messages unless pinned (set=alerts.kafka_lag:N)",
                source::KAFKAJS_CONSUMING,
            )
            .step(format!(
                "{lag}: no throughput figure is an input, so no lag can be derived from the plan"
            )),
        ));
    }
    AlertPlan {
        utilisation_percent: UTILISATION_PERCENT,
        client_wait_seconds: CLIENT_WAIT_SECONDS,
        postgres_connections_threshold,
        redis_clients_threshold,
        kafka_lag_threshold,
    }
}
