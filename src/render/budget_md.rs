//! budget.md: the fleet against the usable slots, as a Markdown table for internal docs.

use super::context::{pool_text, replicas_text};
use super::escape::md_cell;
use super::Context;

/// Renders the budget table.
pub fn table(cx: &Context) -> String {
    let p = cx.plan;
    let b = &p.budget;
    let mut out = String::from("<!--\n");
    out += &cx.header("");
    out += "-->\n\n";
    out += "| Service | Replicas | Peak replicas (surge) | Pool each | Total with surge |\n";
    out += "|---|---:|---:|---:|---:|\n";
    let (mut replicas, mut peak, mut total) = (0u64, 0u64, 0u64);
    for s in &p.services {
        out += &format!(
            "| {} | {} | {} | {} | {} |\n",
            md_cell(&s.name),
            replicas_text(s),
            s.peak_replicas,
            pool_text(s),
            s.total
        );
        replicas += u64::from(s.replicas);
        peak += u64::from(s.peak_replicas);
        total += s.total;
    }
    out += &format!("| **Fleet** | {replicas} | {peak} | | **{total}** |\n\n");
    out += &format!(
        "Usable slots: **{}** = max_connections {} − {} reserved − {} provider − {} headroom. \
         Target active connections (2 × {} cores + spindles): {}.\n\n",
        b.usable,
        b.max_connections,
        b.reserved,
        b.provider_reserved,
        b.headroom,
        b.db_cores,
        b.target_active
    );
    if let Some(pgb) = &p.pgbouncer {
        out += &format!(
            "Behind PgBouncer the pools above are client connections ({} at peak; max_client_conn {} per instance). \
             Server side: {} instance(s) × {} = **{}** connections.\n\n",
            pgb.client_connections, pgb.max_client_conn, pgb.instances, pgb.server_connections_per_instance, b.fleet_total
        );
    } else if let Some(s) = &p.supavisor {
        out += &format!(
            "Behind Supavisor the pools above are client connections ({}); set its pool size to **{}**.\n\n",
            s.client_connections, s.pool_size
        );
    }
    if b.fits() {
        out += &format!(
            "Status: fits ({} of {} usable slots, {} free).\n",
            b.fleet_total,
            b.usable,
            b.free()
        );
    } else {
        out += &format!(
            "Status: **over budget by {}** ({} of {} usable slots).\n",
            b.over_by(),
            b.fleet_total,
            b.usable
        );
    }
    out
}
