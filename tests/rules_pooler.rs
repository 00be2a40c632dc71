//! Rules 4–5: PgBouncer sizing and version gates, Prisma behind a pooler.

mod common;
use common::*;
use poolcalc::calc::Severity;

#[test]
fn pgbouncer_server_pools_aim_at_the_target_within_the_usable_slots() {
    // (query, default_pool_size, reserve_pool_size, max_db_connections, fleet_total)
    let cases = [
        ("pooler=pgbouncer", 8, 2, 10, 10),
        ("pooler=pgbouncer&pgb_instances=3", 3, 1, 4, 12),
        ("pooler=pgbouncer&db_cores=64", 92, 0, 92, 92),
        ("pooler=pgbouncer&pgb_instances=64", 1, 0, 1, 64),
        (
            "pooler=pgbouncer&db_cores=32&pgb_instances=2",
            32,
            7,
            39,
            78,
        ),
    ];
    for (q, dps, rps, mdc, total) in cases {
        let plan = plan_of(q);
        let p = plan.pgbouncer.as_ref().expect("pgbouncer plan");
        assert_eq!(
            (
                p.default_pool_size,
                p.reserve_pool_size,
                p.max_db_connections,
                plan.budget.fleet_total
            ),
            (dps, rps, mdc, total),
            "{q}"
        );
        assert!(plan.budget.fleet_total <= plan.budget.usable, "{q}");
    }
}

#[test]
fn max_client_conn_covers_the_fleet_with_surge() {
    // Default fleet: (20 + 15 + 10 + 15) × 3 peak replicas = 180 client connections.
    let plan = plan_of("pooler=pgbouncer");
    let p = plan.pgbouncer.unwrap();
    assert_eq!(p.client_connections, 180);
    // The peak, plus 25 % for reconnect bursts, plus 5 for the console and the exporter.
    assert_eq!(p.max_client_conn, 180 + 45 + 5);
    // Two instances: half each, plus 20 % for uneven spread (108), then the same margin.
    assert_eq!(
        plan_of("pooler=pgbouncer&pgb_instances=2&pgb_host=pgbouncer.internal")
            .pgbouncer
            .unwrap()
            .max_client_conn,
        108 + 27 + 5
    );
}

#[test]
fn behind_a_pooler_app_pools_are_not_scaled_to_the_database() {
    let plan = plan_of("pooler=pgbouncer&svc=a:100");
    assert_eq!(limit(&plan, "a"), 15);
    assert!(!has(&plan, "budget.over"));
}

#[test]
fn too_many_instances_for_the_slots_is_an_error() {
    let plan = plan_of("pooler=pgbouncer&pgb_instances=64&db_max_conn=40");
    assert!(has(&plan, "pgbouncer.too_many_instances") || has(&plan, "pgbouncer.over_budget"));
    assert!(plan.has_error());
}

#[test]
fn file_descriptors_past_1024_ask_for_limitnofile() {
    let plan = plan_of("pooler=pgbouncer&set=pgbouncer.max_client_conn:1000&set=pgbouncer.default_pool_size:25&set=pgbouncer.reserve_pool_size:5");
    let p = plan.pgbouncer.as_ref().unwrap();
    assert_eq!(p.fd_need, 1000 + 30 + 10);
    let f = finding(&plan, "pgbouncer.nofile");
    assert!(f.message.contains("LimitNOFILE=2048"), "{}", f.message);
    assert!(!has(&plan_of("pooler=pgbouncer"), "pgbouncer.nofile"));
}

#[test]
fn max_prepared_statements_is_gated_on_the_version() {
    for minor in 18..=25 {
        let plan = plan_of(&format!("pooler=pgbouncer&pgb_version=1.{minor}"));
        let mps = plan.pgbouncer.unwrap().max_prepared_statements;
        assert_eq!(mps, (minor >= 21).then_some(200), "1.{minor}");
    }
    let plan =
        plan_of("pooler=pgbouncer&pgb_version=1.18&set=pgbouncer.max_prepared_statements:100");
    assert_eq!(
        plan.pgbouncer.as_ref().unwrap().max_prepared_statements,
        None,
        "never emitted on 1.18"
    );
    let f = finding(&plan, "pgbouncer.key_unsupported");
    assert_eq!(
        (f.severity, f.pin.as_deref()),
        (Severity::Error, Some("pgbouncer.max_prepared_statements"))
    );
}

#[test]
fn pool_modes() {
    assert!(has(
        &plan_of("pooler=pgbouncer&pgb_mode=statement"),
        "pgbouncer.statement_mode"
    ));
    // Session mode sizes the server side to the clients (fitted to the usable slots); a pinned
    // pool smaller than the clients is an error.
    let plan = plan_of("pooler=pgbouncer&pgb_mode=session");
    assert!(!has(&plan, "pgbouncer.session_mode"), "{:?}", plan.findings);
    assert!(!plan.has_error());
    assert!(has(
        &plan_of("pooler=pgbouncer&pgb_mode=session&set=pgbouncer.default_pool_size:5"),
        "pgbouncer.session_mode"
    ));
    assert!(!has(&plan_of("pooler=pgbouncer"), "pgbouncer.session_mode"));
    assert_eq!(
        plan_of("pooler=pgbouncer&pgb_mode=session")
            .pgbouncer
            .unwrap()
            .max_prepared_statements,
        None
    );
}

#[test]
fn pinned_pool_sizes_beyond_the_budget_are_capped_or_named() {
    // A pinned pool above the per-instance share is capped by max_db_connections.
    let plan = plan_of("pooler=pgbouncer&pgb_instances=4&set=pgbouncer.default_pool_size:50");
    let p = plan.pgbouncer.as_ref().unwrap();
    assert_eq!(p.default_pool_size, 50);
    assert_eq!(p.max_db_connections, 23, "92 usable / 4 instances");
    assert!(plan.budget.fleet_total <= plan.budget.usable);
    // Unless max_db_connections is pinned too: then it is an error that names a pin.
    let plan = plan_of("pooler=pgbouncer&pgb_instances=4&set=pgbouncer.default_pool_size:50&set=pgbouncer.max_db_connections:0");
    let f = finding(&plan, "pgbouncer.over_budget");
    assert_eq!(f.pin.as_deref(), Some("pgbouncer.max_db_connections"));
    // A pinned max_client_conn below the fleet's clients.
    let plan = plan_of("pooler=pgbouncer&set=pgbouncer.max_client_conn:50");
    assert_eq!(
        finding(&plan, "pgbouncer.clients_refused").pin.as_deref(),
        Some("pgbouncer.max_client_conn")
    );
}

#[test]
fn pgbouncer_true_exactly_when_needed() {
    // (query, flag)
    let cases = [
        ("pooler=none", false),
        ("pooler=pgbouncer&pgb_version=1.18", true),
        ("pooler=pgbouncer&pgb_version=1.20", true),
        ("pooler=pgbouncer&pgb_version=1.21", false),
        ("pooler=pgbouncer&pgb_version=1.25", false),
        (
            "pooler=pgbouncer&pgb_version=1.25&set=pgbouncer.max_prepared_statements:0",
            true,
        ),
        ("pooler=pgbouncer&pgb_version=1.18&pgb_mode=session", false),
        ("pooler=supavisor&provider=supabase", true),
        // Prisma 7 never uses the flag.
        ("pooler=pgbouncer&pgb_version=1.18&prisma=7", false),
        ("pooler=supavisor&prisma=7", false),
    ];
    for (q, flag) in cases {
        assert_eq!(plan_of(q).prisma.pgbouncer, flag, "{q}");
    }
}

#[test]
fn pgbouncer_true_pins_on_new_versions_are_flagged() {
    let plan = plan_of("pooler=pgbouncer&pgb_version=1.21&set=prisma.pgbouncer:1");
    assert_eq!(
        finding(&plan, "prisma.pgbouncer_121_bug").severity,
        Severity::Warning
    );
    let plan = plan_of("pooler=pgbouncer&pgb_version=1.23&set=prisma.pgbouncer:1");
    assert!(
        has(&plan, "prisma.pgbouncer_flag_unneeded") && !has(&plan, "prisma.pgbouncer_121_bug")
    );
    let plan = plan_of("pooler=pgbouncer&pgb_version=1.18&set=prisma.pgbouncer:0");
    assert_eq!(
        finding(&plan, "prisma.pgbouncer_flag_required").severity,
        Severity::Error
    );
    assert!(has(
        &plan_of("pooler=pgbouncer&prisma=7&set=prisma.pgbouncer:1"),
        "prisma.pgbouncer_flag_ignored"
    ));
}

#[test]
fn schema_through_pgbouncer_without_the_flag_is_handled() {
    let plan = plan_of("pooler=pgbouncer&pgb_version=1.25&db_schema=billing");
    assert!(has(&plan, "prisma.schema_via_pgbouncer"));
    assert_eq!(
        plan.pgbouncer.unwrap().ignore_startup_parameters,
        ["search_path"]
    );
    // With the flag, Prisma sends search_path as a query: nothing to ignore.
    let plan = plan_of("pooler=pgbouncer&pgb_version=1.18&db_schema=billing");
    assert!(!has(&plan, "prisma.schema_via_pgbouncer"));
    assert!(plan.pgbouncer.unwrap().ignore_startup_parameters.is_empty());
    assert!(has(
        &plan_of("prisma=7&db_schema=billing"),
        "prisma.schema_v7"
    ));
}

#[test]
fn a_direct_url_whenever_a_pooler_is_in_the_path() {
    for (q, direct) in [
        ("pooler=none", false),
        ("pooler=pgbouncer", true),
        ("pooler=supavisor", true),
        ("pooler=pgbouncer&prisma=7", true),
    ] {
        assert_eq!(plan_of(q).prisma.direct_url, direct, "{q}");
    }
}

#[test]
fn prisma_7_pool_options_never_zero_and_warn_about_ssl() {
    let plan = plan_of("prisma=7");
    assert!(plan.services.iter().all(|s| s.connection_limit >= 1));
    assert_eq!(plan.prisma.idle_timeout_millis, 300_000);
    assert!(has(&plan, "tls.no_fallback"));
    assert!(!has(
        &plan_of("prisma=7&sslmode=disable"),
        "tls.no_fallback"
    ));
}

#[test]
fn supavisor_clients_are_checked_against_the_tier() {
    let plan = plan_of("provider=supabase&pooler=supavisor&svc=a:100");
    assert!(has(&plan, "supavisor.over_max_clients"));
    let plan = plan_of("provider=supabase&supabase_tier=xl&pooler=supavisor&supabase_ref=abcdefgh");
    assert!(!plan.has_error(), "{:?}", plan.findings);
    assert_eq!(
        plan.budget.fleet_total, 8,
        "pool size = target (4 cores × 2)"
    );
}
