//! Prometheus alert rules (`templates/alerts.yml`), with thresholds from the plan and the metric
//! names the standard exporters publish: postgres_exporter's `pg_stat_activity_count`,
//! pgbouncer_exporter's `pgbouncer_pools_*` and `pgbouncer_used_clients`, redis_exporter's
//! `redis_connected_clients` and `redis_rejected_connections_total`, kafka_exporter's
//! `kafka_consumergroup_lag` (the audit's list of known metrics is `calc::review::KNOWN_METRICS`).
//!
//! Every value is a number or a service name (`[a-z][a-z0-9-]*`), so nothing needs YAML escaping
//! inside the template's double-quoted strings.

use super::template::Fill;
use super::Context;

/// The slots ordinary roles may use: max_connections − reserved − provider_reserved.
fn ordinary(p: &crate::calc::Plan) -> u32 {
    let b = &p.budget;
    b.max_connections
        .saturating_sub(b.reserved + b.provider_reserved)
}

/// Renders alerts.yml. A group is written when its part of the fleet is planned.
pub fn rules(cx: &Context) -> String {
    let p = cx.plan;
    let a = &p.alerts;
    let pgbouncer = p
        .pgbouncer
        .as_ref()
        .zip(a.pgbouncer_server_threshold)
        .zip(a.pgbouncer_clients_threshold);
    let redis = p.redis.as_ref().zip(a.redis_clients_threshold);
    let kafka_lag = p.kafka.as_ref().and(a.kafka_lag);
    let groups: Vec<String> = p
        .services
        .iter()
        .map(|s| format!("{}-group", s.name))
        .collect();
    let mut fill = Fill::new()
        .value("postgres_connections", a.postgres_connections_threshold)
        .value("fleet_total", p.budget.fleet_total)
        .value("ordinary_slots", ordinary(p))
        .flag("pgbouncer", pgbouncer.is_some())
        .value("client_wait_seconds", a.client_wait_seconds)
        .flag("redis", redis.is_some())
        .option("kafka_lag", kafka_lag)
        .value("consumer_groups", groups.join("|"));
    if let Some(((b, server), clients)) = pgbouncer {
        fill = fill
            .value("pgbouncer_server", server)
            .value(
                "server_connections_per_instance",
                b.server_connections_per_instance,
            )
            .value("pgbouncer_clients", clients)
            .value("max_client_conn", b.max_client_conn);
    }
    if let Some((r, threshold)) = redis {
        fill = fill
            .value("redis_clients", threshold)
            .value("maxclients", r.maxclients)
            .value("per_node_connections", r.per_node_connections);
    }
    cx.header("#") + &fill.render(include_str!("templates/alerts.yml"))
}
