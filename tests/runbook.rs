//! `preset=runbook` reproduces the runbook as written (shared/reference/pooling-guide.md): its
//! numbers as pins, its PgBouncer section with pooler=pgbouncer, its KafkaJS security, and its
//! snippets (alerts, SQL, Prisma monitoring, the ioredis factory) as the text it reviews. Each of
//! its mistakes is one row: the finding that flags it, with its source.

mod common;
use common::*;
use poolcalc::calc::{inputs::Pooler, Severity};

/// (row, the runbook's mistake, the finding's code, its severity on the preset's defaults)
const ROWS: &[(u8, &str, &str, Severity)] = &[
    (
        1,
        "the core-count table contradicts its own formula",
        "runbook.core_table",
        Severity::Warning,
    ),
    (
        2,
        "per-service limits never multiplied by replicas and surge",
        "runbook.per_service_limits",
        Severity::Warning,
    ),
    (
        3,
        "compression on the KafkaJS producer, where it is ignored",
        "kafka.compression_on_producer",
        Severity::Warning,
    ),
    (
        4,
        "idempotent with maxInFlightRequests 5",
        "kafka.eos_in_flight",
        Severity::Warning,
    ),
    (
        4,
        "idempotent with a limited retries (3)",
        "kafka.eos_retries",
        Severity::Warning,
    ),
    // On the preset's PgBouncer 1.25 max_prepared_statements defaults to 200, so the missing flag
    // is a warning there (the text names no version); below 1.24 it is an error (next test).
    (
        5,
        "the PgBouncer URL lacks pgbouncer=true",
        "prisma.pgbouncer_flag_missing",
        Severity::Warning,
    ),
    (
        6,
        "max_client_conn = 1000 against the usual 1024 descriptors",
        "pgbouncer.nofile",
        Severity::Warning,
    ),
    (
        7,
        "auth_type = md5",
        "pgbouncer.auth_md5",
        Severity::Warning,
    ),
    (
        8,
        "admin_users = postgres",
        "pgbouncer.admin_superuser",
        Severity::Warning,
    ),
    (
        9,
        "listen_addr = 127.0.0.1 for a PgBouncer other hosts must reach",
        "pgbouncer.listen_loopback",
        Severity::Warning,
    ),
    (
        10,
        "alerts over metrics no exporter publishes",
        "alerts.unknown_metric",
        Severity::Warning,
    ),
    (
        11,
        "prisma.$metrics without the metrics preview (removed in Prisma 7)",
        "prisma.metrics",
        Severity::Warning,
    ),
    (
        12,
        "a \"Connection leak\" warning Prisma never emits",
        "prisma.unknown_warning",
        Severity::Warning,
    ),
    (
        13,
        "pg_stat_statements total_time/mean_time/max_time (renamed in PostgreSQL 13)",
        "sql.pg_stat_statements_columns",
        Severity::Error,
    ),
    // SASL PLAIN without TLS in production: an error.
    (
        14,
        "SASL plain with ssl off",
        "kafka.sasl_without_tls",
        Severity::Error,
    ),
    (
        15,
        "one ioredis factory with maxRetriesPerRequest 3 for BullMQ workers",
        "redis.shared_factory_for_workers",
        Severity::Warning,
    ),
];

#[test]
fn every_runbook_mistake_is_one_finding_with_its_source() {
    let plan = plan_of("preset=runbook");
    for (row, what, code, severity) in ROWS {
        let matching: Vec<_> = plan.findings.iter().filter(|f| f.code == *code).collect();
        assert_eq!(matching.len(), 1, "row {row} ({what}): one finding {code}");
        let f = matching[0];
        assert_eq!(f.severity, *severity, "row {row} ({what})");
        assert!(
            f.source.starts_with("https://") || f.source.ends_with(".md"),
            "row {row}: {}",
            f.source
        );
    }
    let rows: std::collections::BTreeSet<u8> = ROWS.iter().map(|r| r.0).collect();
    assert_eq!(rows.len(), 15, "the fifteen mistakes");
}

#[test]
fn the_preset_reproduces_the_runbook_as_written() {
    let plan = plan_of("preset=runbook");
    // Its PgBouncer section, with its numbers.
    let p = plan.pgbouncer.as_ref().expect("pooler=pgbouncer");
    assert_eq!(
        (
            p.default_pool_size,
            p.reserve_pool_size,
            p.max_client_conn,
            p.reserve_pool_timeout
        ),
        (25, 5, 1000, 3)
    );
    // Its per-service limits and timeouts.
    assert_eq!(
        [
            limit(&plan, "wallet-service"),
            limit(&plan, "agent-core"),
            limit(&plan, "ranking-service"),
            limit(&plan, "vendor-service")
        ],
        [20, 15, 10, 10]
    );
    assert!(plan
        .services
        .iter()
        .all(|s| s.pool_timeout == 10 && s.connect_timeout == 5));
    // Its ioredis and KafkaJS numbers.
    assert_eq!(plan.redis.as_ref().unwrap().max_retries_per_request, 3);
    let k = plan.kafka.as_ref().unwrap();
    assert_eq!(
        (
            k.producer.idempotent,
            k.producer.max_in_flight_requests,
            k.producer.retries
        ),
        (true, Some(5), 3)
    );
    // Every pin says it was pinned.
    for (path, d) in &plan.derivations {
        if path.ends_with(".connection_limit") || path.starts_with("pgbouncer.default_pool_size") {
            assert!(d.steps.iter().any(|s| s.contains("pinned to")), "{path}");
        }
    }
}

#[test]
fn row_5_is_an_error_where_the_version_needs_the_flag() {
    for (version, severity) in [
        ("1.18", Severity::Error),
        ("1.21", Severity::Error), // max_prepared_statements unset: 0 until 1.24
        ("1.23", Severity::Error),
        ("1.24", Severity::Warning),
    ] {
        let plan = plan_of(&format!("preset=runbook&pgb_version={version}"));
        assert_eq!(
            finding(&plan, "prisma.pgbouncer_flag_missing").severity,
            severity,
            "{version}"
        );
    }
    // poolcalc's own URL carries the flag where it is needed.
    assert!(plan_of("preset=runbook&pgb_version=1.21").prisma.pgbouncer);
}

#[test]
fn a_links_own_parameters_override_the_preset_wherever_they_stand() {
    for q in ["pooler=none&preset=runbook", "preset=runbook&pooler=none"] {
        let parsed = poolcalc::calc::parse(q);
        assert!(parsed.errors.is_empty());
        assert_eq!(parsed.inputs.pooler.kind, Pooler::None, "{q}");
    }
    let plan = plan_of("preset=runbook&set=wallet-service.connection_limit:2");
    assert_eq!(limit(&plan, "wallet-service"), 2);
}

#[test]
fn the_same_rules_pass_poolcalcs_own_files() {
    // Without the preset, none of the runbook's text findings appear.
    let plan = plan_of("pooler=pgbouncer");
    for (_, _, code, _) in ROWS {
        assert!(!has(&plan, code), "{code} without the runbook");
    }
}
