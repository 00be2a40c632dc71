//! Reviewing configuration as written: the settings a text states (the runbook's own snippets,
//! and later a pasted file), judged by the same rules and codes as the plan's findings. Each rule
//! names its source; what a text does not state is left to the plan.

use super::explain::{source, Finding, Severity};
use super::inputs::{Inputs, PgbVersion, Prisma};

/// What a reviewed text states. Everything is optional: a text states what it states.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// `[pgbouncer]` settings as written (keys lower-case, values trimmed).
    pub pgbouncer: Vec<(String, String)>,
    /// Whether the PgBouncer instances serve apps on other hosts (a central, shared pooler).
    pub pgbouncer_serves_other_hosts: bool,
    /// The DATABASE_URL that goes through PgBouncer, and whether it says pgbouncer=true.
    pub pooled_url_has_pgbouncer_flag: Option<bool>,
    /// Prometheus alert expressions.
    pub alert_exprs: Vec<String>,
    /// SQL the text runs against PostgreSQL.
    pub sql: Vec<String>,
    /// Prisma client code: calls `$metrics`, and whether the schema enables the `metrics` preview.
    pub prisma_metrics_call: bool,
    pub prisma_metrics_preview: bool,
    /// A log message the code waits for from Prisma's `warn` events.
    pub prisma_warning_listened_for: Option<String>,
    /// One shared ioredis factory's `maxRetriesPerRequest` (`None`: null or unset) that the
    /// text uses for every connection, BullMQ workers included.
    pub shared_redis_factory_max_retries: Option<u32>,
}

impl Written {
    /// A `[pgbouncer]` setting as written.
    pub fn pgbouncer_key(&self, key: &str) -> Option<&str> {
        self.pgbouncer
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Metric names the standard exporters publish (postgres_exporter, pgbouncer_exporter,
/// redis_exporter, kafka_exporter; shared/reference/domain-facts.md §8), with what each measures.
pub const KNOWN_METRICS: &[(&str, &str)] = &[
    (
        "pg_stat_activity_count",
        "connections by state (postgres_exporter)",
    ),
    (
        "pg_stat_activity_max_tx_duration",
        "the longest open transaction (postgres_exporter)",
    ),
    (
        "pg_settings_max_connections",
        "max_connections (postgres_exporter)",
    ),
    (
        "pg_settings_superuser_reserved_connections",
        "reserved slots (postgres_exporter)",
    ),
    (
        "pg_settings_reserved_connections",
        "reserved slots, PostgreSQL 16+ (postgres_exporter)",
    ),
    (
        "pgbouncer_pools_client_active_connections",
        "active clients per pool",
    ),
    (
        "pgbouncer_pools_client_waiting_connections",
        "clients waiting for a server connection",
    ),
    (
        "pgbouncer_pools_client_maxwait_seconds",
        "the longest client wait",
    ),
    (
        "pgbouncer_pools_server_active_connections",
        "server connections in use",
    ),
    (
        "pgbouncer_pools_server_idle_connections",
        "idle server connections",
    ),
    (
        "pgbouncer_pools_server_used_connections",
        "server connections just released",
    ),
    ("pgbouncer_databases_pool_size", "pool_size per database"),
    ("pgbouncer_databases_max_connections", "max_db_connections"),
    (
        "pgbouncer_databases_current_connections",
        "server connections per database",
    ),
    ("pgbouncer_config_max_client_connections", "max_client_conn"),
    ("pgbouncer_used_clients", "client connections in use"),
    ("pgbouncer_up", "the exporter reaches PgBouncer"),
    (
        "redis_connected_clients",
        "connected clients (redis_exporter)",
    ),
    (
        "redis_blocked_clients",
        "clients blocked in BLPOP and the like",
    ),
    ("redis_max_clients", "maxclients (redis_exporter)"),
    (
        "redis_rejected_connections_total",
        "connections refused at maxclients",
    ),
    (
        "kafka_consumergroup_lag",
        "lag per partition (kafka_exporter)",
    ),
    (
        "kafka_consumergroup_lag_sum",
        "lag per group (kafka_exporter)",
    ),
    (
        "prisma_pool_connections_busy",
        "Prisma 6 metrics preview only",
    ),
    (
        "prisma_pool_connections_idle",
        "Prisma 6 metrics preview only",
    ),
    (
        "prisma_pool_connections_open",
        "Prisma 6 metrics preview only",
    ),
];

/// Words of PromQL that are not metric names.
const PROMQL_WORDS: &[&str] = &[
    "sum",
    "avg",
    "min",
    "max",
    "count",
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "and",
    "or",
    "unless",
    "rate",
    "irate",
    "increase",
    "delta",
    "abs",
    "bool",
    "offset",
    "topk",
    "bottomk",
    "quantile",
    "stddev",
    "time",
    "vector",
    "scalar",
    "avg_over_time",
    "max_over_time",
    "min_over_time",
    "sum_over_time",
    "histogram_quantile",
    "le",
    "instance",
    "job",
    "inf",
    "nan",
];

/// The metric names an expression refers to: identifiers outside label matchers `{…}` and range
/// selectors `[…]`, other than PromQL's own words and the grouping labels after `by`/`on`.
pub fn metric_names(expr: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut depth_braces = 0u32;
    let mut depth_brackets = 0u32;
    let mut grouping = 0u32; // inside by (...) / on (...) / without (...)
    let mut word = String::new();
    let mut last_word = String::new();
    let flush = |word: &mut String, last: &mut String, names: &mut Vec<String>, counts: bool| {
        if !word.is_empty() {
            let w = std::mem::take(word);
            let is_number = w.bytes().next().is_some_and(|b| b.is_ascii_digit());
            if counts && !is_number && !PROMQL_WORDS.contains(&w.as_str()) && !names.contains(&w) {
                names.push(w.clone());
            }
            *last = w;
        }
    };
    let mut paren_stack: Vec<bool> = Vec::new();
    for c in expr.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == ':' {
            word.push(c);
            continue;
        }
        let counts = depth_braces == 0 && depth_brackets == 0 && grouping == 0;
        flush(&mut word, &mut last_word, &mut names, counts);
        match c {
            '{' => depth_braces += 1,
            '}' => depth_braces = depth_braces.saturating_sub(1),
            '[' => depth_brackets += 1,
            ']' => depth_brackets = depth_brackets.saturating_sub(1),
            '(' => {
                let is_grouping = matches!(
                    last_word.as_str(),
                    "by" | "on" | "without" | "ignoring" | "group_left" | "group_right"
                );
                if is_grouping {
                    grouping += 1;
                }
                paren_stack.push(is_grouping);
                last_word.clear();
            }
            ')' => {
                if paren_stack.pop() == Some(true) {
                    grouping = grouping.saturating_sub(1);
                }
            }
            c if c.is_whitespace() => {}
            _ => last_word.clear(),
        }
    }
    flush(
        &mut word,
        &mut last_word,
        &mut names,
        depth_braces == 0 && depth_brackets == 0 && grouping == 0,
    );
    names
}

/// Reviews a text's stated configuration against the rules, for these inputs (the pooler
/// version and Prisma version the text is meant for).
pub fn review(w: &Written, inputs: &Inputs, findings: &mut Vec<Finding>) {
    // Prisma 7 pools through node-postgres, which does not read pgbouncer=true (and needs none).
    if inputs.prisma == Prisma::V6 {
        pgbouncer_flag(w, inputs.pooler.version, findings);
    }
    pgbouncer_keys(w, findings);
    alert_metrics(w, findings);
    prisma_code(w, inputs.prisma, findings);
    sql(w, findings);
    if let Some(n) = w.shared_redis_factory_max_retries {
        findings.push(Finding::warning(
            "redis.shared_factory_for_workers",
            format!("One ioredis factory with maxRetriesPerRequest: {n} serves every connection, BullMQ workers included: BullMQ refuses it for a Worker (\"Your redis options maxRetriesPerRequest must be null\"; BullMQ 6 throws). Give queue workers their own connection with maxRetriesPerRequest: null, as the generated createQueueConnection does"),
            source::BULLMQ_CONNECTIONS,
        ).field("redis_use"));
    }
}

/// The pooled URL without pgbouncer=true: Prisma 6's engine needs it below PgBouncer 1.21, and on
/// 1.21–1.23 when max_prepared_statements is unset (its default there is 0) (Prisma docs
/// "PgBouncer"; PgBouncer NEWS 1.21.0, 1.24.0).
fn pgbouncer_flag(w: &Written, version: PgbVersion, findings: &mut Vec<Finding>) {
    if w.pooled_url_has_pgbouncer_flag != Some(false) {
        return;
    }
    let mode = w.pgbouncer_key("pool_mode").unwrap_or("session");
    if !mode.eq_ignore_ascii_case("transaction") {
        return;
    }
    let mps: Option<u32> = w
        .pgbouncer_key("max_prepared_statements")
        .and_then(|v| v.parse().ok());
    let effective = mps.unwrap_or(version.default_max_prepared_statements());
    let breaks_here = !version.has_prepared_statements() || effective == 0;
    let (severity, verdict) = if breaks_here {
        (
            Severity::Error,
            format!("on PgBouncer {version} (the version chosen) it is needed"),
        )
    } else {
        (Severity::Warning, format!("on PgBouncer {version} (the version chosen) max_prepared_statements {effective} covers it, but the text names no version"))
    };
    findings.push(
        Finding::new(
            severity,
            "prisma.pgbouncer_flag_missing",
            format!("The pooled URL has no pgbouncer=true, and the pgbouncer.ini runs transaction mode{}: Prisma 6 needs it below PgBouncer 1.21, and on 1.21–1.23 when max_prepared_statements is unset (its default there is 0), or queries fail with \"prepared statement \\\"s0\\\" already exists\"; {verdict}", if mps.is_none() { " without max_prepared_statements" } else { "" }),
            source::PRISMA_PGBOUNCER,
        )
        .field("pgb_version"),
    );
}

fn pgbouncer_keys(w: &Written, findings: &mut Vec<Finding>) {
    if let Some(auth) = w.pgbouncer_key("auth_type") {
        if auth.eq_ignore_ascii_case("md5") {
            findings.push(Finding::warning(
                "pgbouncer.auth_md5",
                "auth_type = md5: PgBouncer still uses SCRAM for a user whose auth_file entry is a SCRAM secret, but checks every plain-text or MD5 entry with MD5, which PostgreSQL 14+ no longer stores by default and PostgreSQL 18 deprecates. Use auth_type = scram-sha-256",
                source::PGBOUNCER_AUTH_TYPE,
            ));
        }
    }
    if let Some(admins) = w.pgbouncer_key("admin_users") {
        if admins
            .split(|c: char| c == ',' || c.is_whitespace())
            .any(|u| u == "postgres")
        {
            findings.push(Finding::warning(
                "pgbouncer.admin_superuser",
                "admin_users = postgres makes the database's superuser the console admin (PAUSE, KILL, RELOAD, SHUTDOWN), and puts its password in userlist.txt: give the console a user of its own, and keep stats_users for monitoring",
                source::PGBOUNCER_ADMIN,
            ));
        }
    }
    if let Some(listen) = w.pgbouncer_key("listen_addr") {
        let loopback = listen
            .split(',')
            .map(str::trim)
            .all(|a| a.starts_with("127.") || a == "localhost" || a == "::1");
        if loopback && w.pgbouncer_serves_other_hosts {
            findings.push(Finding::warning(
                "pgbouncer.listen_loopback",
                format!("listen_addr = {listen} accepts connections from its own host only, but this PgBouncer is meant for services on other hosts: they cannot reach it. Listen on the address the apps use (and restrict it with a firewall and TLS), or run one PgBouncer per app host"),
                source::PGBOUNCER_CONFIG,
            ));
        }
    }
}

fn alert_metrics(w: &Written, findings: &mut Vec<Finding>) {
    let mut unknown: Vec<String> = Vec::new();
    for expr in &w.alert_exprs {
        for name in metric_names(expr) {
            if !KNOWN_METRICS.iter().any(|(m, _)| *m == name) && !unknown.contains(&name) {
                unknown.push(name);
            }
        }
    }
    if !unknown.is_empty() {
        findings.push(Finding::warning(
            "alerts.unknown_metric",
            format!("The alert rules use metrics no standard exporter publishes ({}): they never fire. Use postgres_exporter's pg_stat_activity_count and pg_settings_max_connections, and pgbouncer_exporter's pgbouncer_pools_client_maxwait_seconds and pgbouncer_pools_client_waiting_connections (the generated alerts.yml does)", unknown.join(", ")),
            source::PGBOUNCER_EXPORTER,
        ));
    }
}

fn prisma_code(w: &Written, prisma: Prisma, findings: &mut Vec<Finding>) {
    if w.prisma_metrics_call {
        let (severity, what) = if prisma == Prisma::V7 {
            (
                Severity::Error,
                "Prisma 7 removed metrics: $metrics does not exist",
            )
        } else if w.prisma_metrics_preview {
            (
                Severity::Warning,
                "the metrics preview was deprecated in Prisma 6.14 and removed in 7",
            )
        } else {
            (Severity::Warning, "it needs previewFeatures = [\"metrics\"] in the generator, which the text never enables, and the preview was removed in Prisma 7")
        };
        findings.push(
            Finding::new(
                severity,
                "prisma.metrics",
                format!("prisma.$metrics: {what}. Export the pool's own counts instead (node-postgres: totalCount, idleCount, waitingCount)"),
                source::PRISMA_V7_UPGRADE,
            )
            .field("prisma"),
        );
    }
    if let Some(text) = &w.prisma_warning_listened_for {
        findings.push(Finding::warning(
            "prisma.unknown_warning",
            format!("The code waits for a Prisma warning containing \"{text}\", which Prisma does not emit: the handler never runs. A saturated pool shows as error P2024 (\"Timed out fetching a new connection from the connection pool\") under Prisma 6, and as node-postgres' \"timeout exceeded when trying to connect\" under Prisma 7"),
            source::PRISMA_POOL,
        ));
    }
}

/// pg_stat_statements renamed total_time, mean_time, max_time (and min_time, stddev_time) to
/// *_exec_time in PostgreSQL 13 (pg_stat_statements 1.8): the old names fail there.
fn sql(w: &Written, findings: &mut Vec<Finding>) {
    const OLD: &[&str] = &[
        "total_time",
        "mean_time",
        "max_time",
        "min_time",
        "stddev_time",
    ];
    let mut used: Vec<&str> = Vec::new();
    for q in &w.sql {
        let lower = q.to_ascii_lowercase();
        if !lower.contains("pg_stat_statements") {
            continue;
        }
        for old in OLD {
            let found = lower.match_indices(old).any(|(at, _)| {
                let before = lower[..at].chars().next_back();
                let after = lower[at + old.len()..].chars().next();
                !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                    && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            });
            if found && !used.contains(old) {
                used.push(old);
            }
        }
    }
    if !used.is_empty() {
        let renamed: Vec<String> = used
            .iter()
            .map(|c| format!("{c} → {}", c.replace("_time", "_exec_time")))
            .collect();
        findings.push(Finding::error(
            "sql.pg_stat_statements_columns",
            format!("The pg_stat_statements query uses columns PostgreSQL 13 renamed ({}): on PostgreSQL 13 and later it fails with \"column does not exist\"", renamed.join(", ")),
            source::PG_STAT_STATEMENTS,
        ));
    }
}
