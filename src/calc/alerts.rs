//! Alert thresholds (rule 8), computed from the plan so the rules file can be written from it.
//! Each count alert fires before its limit is full (at 80 %, but on small limits at least one
//! below full) and above the plan's own peak, so a planned deploy does not page anyone; where the
//! plan itself runs that hot, a finding says so.

use serde::Serialize;

use super::budget::Budget;
use super::explain::{source, Derivation, Finding};
use super::pgbouncer::PgBouncerPlan;
use super::redis::RedisPlan;

/// Warn when a limit is this share full (the runbook's HighConnectionUtilization, 0.8).
pub const UTILISATION_PERCENT: u32 = 80;
/// Warn when clients wait longer than this for a connection (the runbook's ConnectionPoolExhausted, 5 s).
pub const CLIENT_WAIT_SECONDS: u32 = 5;

/// The thresholds the alert rules use; each alert fires when its count is at least the threshold.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AlertPlan {
    pub utilisation_percent: u32,
    pub client_wait_seconds: u32,
    /// Connections on the database (all roles) that fire PostgresConnectionsNearLimit.
    pub postgres_connections_threshold: u32,
    /// Active server connections of one PgBouncer that fire PgBouncerServerPoolNearFull.
    pub pgbouncer_server_threshold: Option<u32>,
    /// Client connections of one PgBouncer that fire PgBouncerClientConnsNearLimit.
    pub pgbouncer_clients_threshold: Option<u32>,
    /// Redis connected clients that fire RedisClientsNearMaxclients.
    pub redis_clients_threshold: Option<u64>,
    /// Consumer-group lag, in messages, that pages someone.
    pub kafka_lag: Option<u64>,
}

/// "Near full" for a limit of `n`: 80 % rounded up, but never the limit itself (an alert that
/// fires only when the limit is reached is no warning), and at least 1.
pub fn near_full(n: u64) -> u64 {
    let t = (n * u64::from(UTILISATION_PERCENT)).div_ceil(100);
    if n >= 2 {
        t.min(n - 1).max(1)
    } else {
        t.max(1)
    }
}

/// One count alert: fires at or above `near_full(limit)` raised above the plan's peak, but still
/// before the limit. Returns the threshold and whether the plan's own peak reaches it.
fn threshold(limit: u64, planned_peak: u64) -> (u64, bool) {
    let mut t = near_full(limit).max(planned_peak + 1);
    if limit >= 2 {
        t = t.min(limit - 1);
    }
    (t, planned_peak >= t)
}

/// Computes the thresholds.
pub fn plan_alerts(
    budget: &Budget,
    pgbouncer: Option<&PgBouncerPlan>,
    redis: Option<&RedisPlan>,
    kafka_on: bool,
    r: &mut super::settings::Resolver,
    findings: &mut Vec<Finding>,
) -> AlertPlan {
    let mut fires = |alert: &str, peak: u64, t: u64, limit: u64, what: &str| {
        findings.push(Finding::warning(
            "alerts.plan_fires",
            format!("{alert} fires at {t} {what}, and the plan's own peak is {peak} of {limit}: it will fire on every deploy. The plan runs that hot; give it more room rather than raising the alert"),
            source::PROMETHEUS_RULES,
        ));
    };
    let ordinary = budget
        .max_connections
        .saturating_sub(budget.reserved + budget.provider_reserved);
    // The apps' planned peak plus the exporter's own connection, which the alert counts too.
    let pg_peak = u64::from(budget.fleet_total) + 1;
    let (pg_t, pg_fires) = threshold(u64::from(ordinary), pg_peak);
    if pg_fires {
        fires(
            "PostgresConnectionsNearLimit",
            pg_peak,
            pg_t,
            u64::from(ordinary),
            "connections",
        );
    }
    r.derived("alerts.postgres_connections_threshold", Derivation::new(
            "max(ceil(80 % × ordinary slots), fleet peak + exporter + 1), below the ordinary slots; ordinary = max_connections − reserved − provider_reserved",
            source::PROMETHEUS_RULES,
        )
        .input("max_connections", budget.max_connections)
        .input(
            "reserved + provider_reserved",
            budget.reserved + budget.provider_reserved,
        )
        .input("fleet peak (budget.fleet_total)", budget.fleet_total)
        .step("80 % is the runbook's HighConnectionUtilization; above the fleet's planned peak and postgres_exporter's own connection, so a deploy does not fire it"),
    );

    let mut pgbouncer_server_threshold = None;
    let mut pgbouncer_clients_threshold = None;
    if let Some(b) = pgbouncer {
        let n = u64::from(b.server_connections_per_instance);
        let server = near_full(n);
        pgbouncer_server_threshold = Some(u32::try_from(server).unwrap_or(u32::MAX));
        r.derived(
            "alerts.pgbouncer_server_threshold",
            Derivation::new(
                "ceil(80 % × server connections per instance), below the pool size",
                source::PGBOUNCER_EXPORTER,
            )
            .input("server_connections_per_instance", n)
            .step("a pool under load is meant to fill: this warns that clients are about to queue"),
        );
        let peak = b.client_connections.div_ceil(u64::from(b.instances.max(1)));
        let limit = u64::from(b.max_client_conn);
        let (t, hot) = threshold(limit, peak);
        if hot {
            fires(
                "PgBouncerClientConnsNearLimit",
                peak,
                t,
                limit,
                "client connections",
            );
        }
        pgbouncer_clients_threshold = Some(u32::try_from(t).unwrap_or(u32::MAX));
        r.derived("alerts.pgbouncer_clients_threshold", Derivation::new(
                "max(ceil(80 % × max_client_conn), peak clients per instance + 1), below max_client_conn",
                source::PGBOUNCER_EXPORTER,
            )
            .input("max_client_conn", limit)
            .input("peak clients per instance", peak),
        );
    }

    let redis_clients_threshold =
        redis.map(|rp| {
            // redis_connected_clients is one server's count: compare with one node's share.
            let (t, hot) = threshold(u64::from(rp.maxclients), rp.per_node_connections);
            if hot {
                fires(
                    "RedisClientsNearMaxclients",
                    rp.per_node_connections,
                    t,
                    u64::from(rp.maxclients),
                    "clients",
                );
            }
            r.derived("alerts.redis_clients_threshold", Derivation::new(
                "max(ceil(80 % × maxclients), planned connections per node + 1), below maxclients",
                source::REDIS_MAXCLIENTS,
            )
            .input("maxclients", rp.maxclients)
            .input("planned connections per node", rp.per_node_connections),
        );
            t
        });
    // Without a throughput figure there is no lag the plan can derive: 1000 messages is a
    // conservative start (set=alerts.kafka_lag:N).
    let lag_why = Derivation::new("1000 messages", source::KAFKA_EXPORTER)
        .heuristic("no throughput figure is an input, so no lag can be derived from the plan; 1000 messages is a start to tune");
    let kafka_lag = if kafka_on {
        Some(r.settle("alerts.kafka_lag", 1000, lag_why))
    } else {
        r.derived(
            "alerts.kafka_lag",
            lag_why.step("Kafka is off: no lag alert, and a pin is not written"),
        );
        None
    };
    for (path, text) in [
        (
            "alerts.utilisation_percent",
            "80 %: the runbook's HighConnectionUtilization ratio, 0.8",
        ),
        (
            "alerts.client_wait_seconds",
            "5 s: the runbook's ConnectionPoolExhausted wait",
        ),
    ] {
        r.derived(
            path,
            Derivation::new(text, source::RUNBOOK).heuristic("the runbook's own thresholds, kept"),
        );
    }
    AlertPlan {
        utilisation_percent: UTILISATION_PERCENT,
        client_wait_seconds: CLIENT_WAIT_SECONDS,
        postgres_connections_threshold: u32::try_from(pg_t).unwrap_or(u32::MAX),
        pgbouncer_server_threshold,
        pgbouncer_clients_threshold,
        redis_clients_threshold,
        kafka_lag,
    }
}
