//! Rules 1–3: the active target, the usable slots per provider, and the direct (no pooler) pools.

mod common;
use common::*;
use poolcalc::calc::Severity;

#[test]
fn target_is_two_per_core_plus_spindles_only_on_hdd() {
    // (query, target): HikariCP "About Pool Sizing"; spindles count only for hdd.
    let cases = [
        ("db_cores=1", 2),
        ("db_cores=4", 8),
        ("db_cores=8&db_storage=hdd&db_spindles=4", 20),
        ("db_cores=8&db_storage=ssd&db_spindles=4", 16),
        ("db_cores=8&db_storage=network&db_spindles=4", 16),
        ("db_cores=512&db_storage=hdd&db_spindles=128", 1152),
    ];
    for (q, want) in cases {
        assert_eq!(plan_of(q).budget.target_active, want, "{q}");
    }
}

#[test]
fn the_runbook_core_table_is_called_out_where_it_disagrees() {
    for (cores, table) in [(2, 10), (4, 20), (8, 30)] {
        let plan = plan_of(&format!("db_cores={cores}"));
        let why = plan.why("budget.target_active").expect("derivation");
        let text = why.steps.join(" ");
        assert!(
            text.contains(&format!("{cores} cores → {table}")),
            "{cores}: {text}"
        );
        assert!(text.contains("contradicts"), "{text}");
    }
    let why = plan_of("db_cores=3")
        .why("budget.target_active")
        .unwrap()
        .steps
        .join(" ");
    assert!(
        !why.contains("contradicts"),
        "3 cores is not in the runbook's table: {why}"
    );
}

#[test]
fn usable_slots_per_provider() {
    // (query, max_connections, provider_reserved, usable)
    let cases = [
        ("", 100, 0, 92),
        ("db_max_conn=500&db_reserved=10&headroom=20", 500, 0, 470),
        // RDS: 90 % of LEAST(memory / 9531392, 5000) (the formula's bound, 112 / 450 / 5000,
        // uses the nominal memory), and 2 rds_superuser slots.
        ("provider=rds&rds_class=db.t4g.micro", 100, 2, 90),
        ("provider=rds&rds_class=db.t4g.medium", 405, 2, 395),
        ("provider=rds&rds_class=db.r6g.4xlarge", 4500, 2, 4490),
        ("provider=rds&db_max_conn=200", 200, 2, 190),
        // Supabase's compute table.
        ("provider=supabase", 60, 0, 52),
        ("provider=supabase&supabase_tier=small", 90, 0, 82),
        ("provider=supabase&supabase_tier=16xl", 500, 0, 492),
        // Everything reserved: clamped to 0 with an error.
        ("db_max_conn=5&headroom=5", 5, 0, 0),
    ];
    for (q, max, provider, usable) in cases {
        let b = plan_of(q).budget;
        assert_eq!(
            (b.max_connections, b.provider_reserved, b.usable),
            (max, provider, usable),
            "{q}"
        );
    }
    assert!(has(
        &plan_of("db_max_conn=5&headroom=5"),
        "budget.no_usable_slots"
    ));
}

#[test]
fn rds_and_supabase_presets_fill_the_cores() {
    assert_eq!(
        plan_of("provider=rds&rds_class=db.m7g.2xlarge")
            .budget
            .db_cores,
        8
    );
    assert_eq!(
        plan_of("provider=supabase&supabase_tier=4xl")
            .budget
            .db_cores,
        16
    );
    let why = plan_of("provider=rds&rds_class=db.t4g.micro");
    let d = why.why("budget.max_connections").unwrap();
    assert!(
        d.steps.join(" ").contains("upper bound"),
        "the RDS note says the real figure is lower"
    );
}

#[test]
fn starting_pools_follow_the_environment_row_and_workload() {
    // Large server so that nothing is scaled: env row × workload weight (4/3, 1, 2/3), rounded.
    let cases = [
        ("dev", [7, 5, 3]),
        ("staging", [13, 10, 7]),
        ("prod", [20, 15, 10]),
        ("prod-high", [27, 20, 13]),
    ];
    for (env, [write, moderate, read]) in cases {
        let q = format!(
            "env={env}&db_max_conn=10000&svc=w:1:write-heavy&svc=m:1:moderate&svc=r:1:read-heavy"
        );
        let plan = plan_of(&q);
        assert_eq!(
            [limit(&plan, "w"), limit(&plan, "m"), limit(&plan, "r")],
            [write, moderate, read],
            "{env}"
        );
        assert!(plan
            .services
            .iter()
            .all(|s| s.pool_timeout == 10 && s.connect_timeout == 5));
    }
}

#[test]
fn preset_services_take_their_runbook_workload() {
    let plan = plan_of("db_max_conn=10000");
    let got: Vec<u32> = plan.services.iter().map(|s| s.connection_limit).collect();
    assert_eq!(
        got,
        [20, 15, 10, 15],
        "wallet write-heavy, agent moderate, ranking read-heavy, vendor moderate"
    );
}

#[test]
fn surge_multiplies_replicas() {
    for (surge, peak) in [("none", 4), ("rolling", 5), ("bluegreen", 8)] {
        let plan = plan_of(&format!("db_max_conn=10000&surge={surge}&svc=a:4"));
        assert_eq!(plan.services[0].peak_replicas, peak, "{surge}");
        assert_eq!(plan.services[0].total, u64::from(peak) * 15);
    }
    // Rolling rounds 25 % up: 1 replica → 2 during a deploy.
    assert_eq!(plan_of("svc=a:1").services[0].peak_replicas, 2);
}

#[test]
fn direct_pools_are_scaled_to_fit_and_stay_at_least_one() {
    let plan = plan_of("env=prod-high&svc=wallet-service:6&svc=agent-core:4&db_max_conn=100");
    assert!(
        plan.budget.fleet_total <= plan.budget.usable,
        "{:?}",
        plan.budget
    );
    assert!(plan.services.iter().all(|s| s.connection_limit >= 1));
    assert!(codes(&plan, Severity::Error).is_empty());
    // Scaling keeps the ratio roughly: the write-heavy service keeps the larger pool.
    assert!(limit(&plan, "wallet-service") > limit(&plan, "agent-core"));
    let why = plan
        .why("wallet-service.connection_limit")
        .unwrap()
        .steps
        .join(" ");
    assert!(why.contains("scaled"), "{why}");
}

#[test]
fn when_one_per_replica_does_not_fit_the_error_says_by_how_much_and_what_fits() {
    // 100 replicas, no surge, one connection each → 100 > 92 usable.
    let plan = plan_of("svc=big:100&surge=none");
    let f = finding(&plan, "budget.over");
    assert_eq!(f.severity, Severity::Error);
    assert!(f.message.contains("8 too many"), "{}", f.message);
    assert!(
        f.message.contains("at least 108"),
        "100 + 3 reserved + 5 headroom: {}",
        f.message
    );
    assert!(f.message.contains("pooler"), "{}", f.message);
    assert_eq!(f.field, Some("db_max_conn"));
    assert_eq!(limit(&plan, "big"), 1);
}

#[test]
fn a_pinned_limit_is_kept_and_the_rest_fit_around_it() {
    let plan = plan_of("svc=a:2&svc=b:2&surge=none&set=a.connection_limit:30");
    assert_eq!(limit(&plan, "a"), 30);
    assert!(plan.budget.fleet_total <= plan.budget.usable);
    assert!(
        limit(&plan, "b") <= 16,
        "b fits in 92 − 60 = 32 slots over 2 replicas"
    );
    let why = plan.why("a.connection_limit").unwrap().steps.join(" ");
    assert!(why.contains("pinned to 30"), "{why}");
}

#[test]
fn a_pin_that_breaks_the_budget_is_named() {
    let plan = plan_of("svc=a:2&svc=b:2&surge=none&set=a.connection_limit:60");
    let f = finding(&plan, "budget.over");
    assert_eq!(f.pin.as_deref(), Some("a.connection_limit"));
    assert!(
        f.message.contains("set=a.connection_limit:60"),
        "{}",
        f.message
    );
}

#[test]
fn pinned_timeouts_are_kept() {
    let plan = plan_of("svc=a:1&set=a.pool_timeout:30&set=a.connect_timeout:2");
    assert_eq!(
        (
            plan.services[0].pool_timeout,
            plan.services[0].connect_timeout
        ),
        (30, 2)
    );
}
