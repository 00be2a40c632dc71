//! `preset=runbook` loads the runbook's numbers as pins; the findings show each of its mistakes.

mod common;
use common::*;
use poolcalc::calc::Severity;
use std::collections::BTreeSet;

#[test]
fn the_runbook_preset_shows_its_mistakes_by_code() {
    let plan = plan_of("preset=runbook");
    let problems: BTreeSet<&str> = plan
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .map(|f| f.code)
        .collect();
    for code in [
        "budget.over",                   // 20/15/10/10 never multiplied by replicas: 165 > 92
        "runbook.core_table",            // 2 → 10, 4 → 20, 8 → 30 against 2 × cores
        "runbook.per_service_limits",    // per-service limits, never × replicas
        "kafka.compression_on_producer", // compression: 1 on the producer is ignored
        "kafka.eos_in_flight",           // idempotent with maxInFlightRequests 5
        "kafka.eos_retries",             // idempotent with retries 3
    ] {
        assert!(problems.contains(code), "missing {code} in {problems:?}");
    }
    assert!(problems.len() >= 5);
    assert!(
        plan.findings.iter().all(|f| !f.source.is_empty()),
        "every finding has a source"
    );
    // The pins are kept as the runbook wrote them.
    assert_eq!(
        [
            limit(&plan, "wallet-service"),
            limit(&plan, "agent-core"),
            limit(&plan, "ranking-service"),
            limit(&plan, "vendor-service")
        ],
        [20, 15, 10, 10]
    );
    assert_eq!(plan.budget.fleet_total, 165);
}

#[test]
fn the_runbook_pgbouncer_on_an_old_version_misses_pgbouncer_true_and_file_descriptors() {
    let plan = plan_of("preset=runbook&pooler=pgbouncer&pgb_version=1.18");
    let p = plan.pgbouncer.as_ref().unwrap();
    assert_eq!(
        (p.default_pool_size, p.reserve_pool_size, p.max_client_conn),
        (25, 5, 1000)
    );
    assert!(has(&plan, "runbook.pgbouncer_flag_missing"));
    assert!(has(&plan, "pgbouncer.nofile"));
    assert!(
        plan.prisma.pgbouncer_flag,
        "poolcalc adds what the runbook left out"
    );
    assert!(
        !has(&plan, "budget.over"),
        "behind PgBouncer the app pools are client connections"
    );
}

#[test]
fn the_runbook_redis_retries_break_queue_workers() {
    let plan = plan_of("preset=runbook&redis_use=cache,queue");
    assert_eq!(
        finding(&plan, "redis.queue_retries").severity,
        Severity::Error
    );
}

#[test]
fn an_explicit_pin_overrides_the_preset() {
    let plan = plan_of("preset=runbook&set=wallet-service.connection_limit:2");
    assert_eq!(limit(&plan, "wallet-service"), 2);
}
