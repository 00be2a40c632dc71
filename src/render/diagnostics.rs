//! diagnostics.sql (`templates/diagnostics.sql`): the queries an on-call engineer runs to compare
//! the running system with the plan, each with the plan's expected value beside it. Their psql
//! output is what the audit reads (`crate::audit`).

use super::escape::sql_literal;
use super::template::Fill;
use super::Context;

/// Renders diagnostics.sql.
pub fn sql(cx: &Context) -> String {
    let p = cx.plan;
    let i = cx.inputs;
    let per_service: String = p
        .services
        .iter()
        .map(|s| {
            format!(
                "--      {}: {} (pool {} × {} replicas at peak)\n",
                s.name, s.total, s.connection_limit, s.peak_replicas
            )
        })
        .collect();
    let pgb = p.pgbouncer.as_ref();
    let mut fill = Fill::new()
        .flag("direct", pgb.is_none())
        .flag("pgbouncer", pgb.is_some())
        .value("fleet_total", p.budget.fleet_total)
        .value("per_service", per_service)
        .value("db_name", sql_literal(&i.db.name))
        .value("max_connections", p.budget.max_connections)
        .value("reserved", p.budget.reserved + p.budget.provider_reserved);
    if let Some(b) = pgb {
        fill = fill
            .value("instances", b.instances)
            .value("server_connections", b.server_connections_per_instance)
            .value("stats_user", &i.db.user)
            .value("pgb_host", &i.pooler.host)
            .value("pgb_port", i.pooler.port)
            .value("pool", b.default_pool_size + b.reserve_pool_size)
            .value("default_pool_size", b.default_pool_size)
            .value("reserve_pool_size", b.reserve_pool_size)
            .value("pool_mode", b.pool_mode)
            .value("max_client_conn", b.max_client_conn);
    }
    cx.header("--") + &fill.render(include_str!("templates/diagnostics.sql"))
}
