//! Prometheus alert rules, with thresholds from the plan and the metric names the standard
//! exporters publish (pgbouncer_exporter, postgres_exporter, redis_exporter, kafka_exporter).

use super::escape::yaml_string;
use super::Context;

struct Rule {
    alert: &'static str,
    expr: String,
    for_: &'static str,
    severity: &'static str,
    summary: String,
}

fn write_rule(out: &mut String, r: &Rule) {
    out.push_str(&format!("      - alert: {}\n", r.alert));
    out.push_str(&format!("        expr: {}\n", yaml_string(&r.expr)));
    out.push_str(&format!("        for: {}\n", r.for_));
    out.push_str(&format!(
        "        labels:\n          severity: {}\n",
        r.severity
    ));
    out.push_str(&format!(
        "        annotations:\n          summary: {}\n",
        yaml_string(&r.summary)
    ));
}

fn group(out: &mut String, name: &str, rules: &[Rule]) {
    if rules.is_empty() {
        return;
    }
    out.push_str(&format!("  - name: {name}\n    rules:\n"));
    for r in rules {
        write_rule(out, r);
    }
}

/// The slots ordinary roles may use: max_connections − reserved − provider_reserved.
fn ordinary(p: &crate::calc::Plan) -> u32 {
    let b = &p.budget;
    b.max_connections
        .saturating_sub(b.reserved + b.provider_reserved)
}

/// Renders alerts.yml.
pub fn rules(cx: &Context) -> String {
    let p = cx.plan;
    let a = &p.alerts;
    let mut out = cx.header("#");
    out += "groups:\n";
    group(
        &mut out,
        "poolcalc-postgres",
        &[Rule {
            alert: "PostgresConnectionsNearLimit",
            // postgres_exporter: pg_stat_activity_count counts backends by state.
            expr: format!("sum by (instance) (pg_stat_activity_count) >= {}", a.postgres_connections_threshold),
            for_: "5m",
            severity: "warning",
            summary: format!(
                "PostgreSQL on {{{{ $labels.instance }}}} has {} or more connections: above the fleet's planned peak ({}), near the {} slots ordinary roles may use",
                a.postgres_connections_threshold, p.budget.fleet_total, ordinary(p)
            ),
        }],
    );
    if let (Some(b), Some(server), Some(clients)) = (
        &p.pgbouncer,
        a.pgbouncer_server_threshold,
        a.pgbouncer_clients_threshold,
    ) {
        group(
            &mut out,
            "poolcalc-pgbouncer",
            &[
                Rule {
                    alert: "PgBouncerServerPoolNearFull",
                    expr: format!("sum by (instance) (pgbouncer_pools_server_active_connections) >= {server}"),
                    for_: "5m",
                    severity: "warning",
                    summary: format!(
                        "PgBouncer {{{{ $labels.instance }}}} uses {server} or more of its {} server connections: clients are about to queue",
                        b.server_connections_per_instance
                    ),
                },
                Rule {
                    alert: "PgBouncerClientsWaiting",
                    expr: format!("max by (instance, database) (pgbouncer_pools_client_maxwait_seconds) > {}", a.client_wait_seconds),
                    for_: "1m",
                    severity: "critical",
                    summary: format!("Clients of {{{{ $labels.database }}}} on {{{{ $labels.instance }}}} waited over {} s for a server connection", a.client_wait_seconds),
                },
                Rule {
                    alert: "PgBouncerClientConnsNearLimit",
                    expr: format!("pgbouncer_used_clients >= {clients}"),
                    for_: "5m",
                    severity: "warning",
                    summary: format!("PgBouncer {{{{ $labels.instance }}}} has {clients} or more client connections, above the planned peak and near max_client_conn ({})", b.max_client_conn),
                },
            ],
        );
    }
    if let (Some(r), Some(threshold)) = (&p.redis, a.redis_clients_threshold) {
        group(
            &mut out,
            "poolcalc-redis",
            &[
                Rule {
                    alert: "RedisClientsNearMaxclients",
                    expr: format!("redis_connected_clients >= {threshold}"),
                    for_: "5m",
                    severity: "warning",
                    summary: format!(
                        "Redis {{{{ $labels.instance }}}} has {threshold} or more clients (maxclients {}; the fleet plans {} per server)",
                        r.maxclients, r.per_node_connections
                    ),
                },
                Rule {
                    alert: "RedisRejectingConnections",
                    expr: "increase(redis_rejected_connections_total[5m]) > 0".into(),
                    for_: "0m",
                    severity: "critical",
                    summary: "Redis {{ $labels.instance }} refused connections (maxclients reached)".into(),
                },
            ],
        );
    }
    if let (Some(_), Some(lag)) = (&p.kafka, a.kafka_lag) {
        let groups: Vec<String> = p
            .services
            .iter()
            .map(|s| format!("{}-group", s.name))
            .collect();
        group(
            &mut out,
            "poolcalc-kafka",
            &[Rule {
                alert: "KafkaConsumerLagHigh",
                expr: format!("sum by (consumergroup) (kafka_consumergroup_lag{{consumergroup=~\"{}\"}}) > {lag}", groups.join("|")),
                for_: "10m",
                severity: "warning",
                summary: format!("Consumer group {{{{ $labels.consumergroup }}}} is more than {lag} messages behind"),
            }],
        );
    }
    out
}
