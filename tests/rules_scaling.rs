//! The fleet as it scales: an autoscaler's MIN-MAX, processes per replica, the largest maximum
//! that fits, and serverless services. The link keeps every earlier form.

mod common;
use common::*;
use poolcalc::calc::{self, link::write_service, Severity};

#[test]
fn the_svc_forms_read_and_write_back_and_earlier_links_read_as_before() {
    for form in [
        "api:3",
        "api:3:write-heavy",
        "api:3-10",
        "api:3-10:write-heavy",
        "api:3::procs=4",
        "api:3-10:read-heavy:procs=4",
        "fn:200::serverless",
    ] {
        let p = calc::parse(&format!("svc={form}"));
        assert!(p.errors.is_empty(), "{form}: {:?}", p.errors);
        assert_eq!(
            write_service(&p.inputs.services[0]),
            form,
            "{form} writes back"
        );
    }
    // A range whose ends meet is a count.
    assert_eq!(
        write_service(&calc::parse("svc=api:4-4").inputs.services[0]),
        "api:4"
    );
    for bad in [
        "api:10-3",
        "api:3:moderate:procs=0",
        "api:3::procs=999",
        "fn:2::serverless:procs=2",
        "api:3::bogus",
        "api:x-3",
    ] {
        let p = calc::parse(&format!("svc={bad}"));
        assert_eq!(p.errors.len(), 1, "{bad} refused: {:?}", p.errors);
        assert_eq!(p.errors[0].param, "svc");
    }
}

#[test]
fn the_budget_is_planned_at_the_maximum_with_the_surge_on_top_and_processes_multiply() {
    let plan = plan_of("surge=rolling&svc=api:3-10:moderate:procs=4&db_max_conn=1000");
    let api = &plan.services[0];
    assert_eq!(api.max_replicas, 10);
    assert_eq!(api.peak_replicas, 13, "10 + ceil(10 × 25 %)");
    assert_eq!(api.processes, 4);
    assert_eq!(api.total, u64::from(api.connection_limit) * 4 * 13);
    assert_eq!(api.typical_total, u64::from(api.connection_limit) * 4 * 3);
    assert_eq!(u64::from(plan.budget.fleet_total), api.total);
    assert!(plan
        .why("api.peak_replicas")
        .is_some_and(|d| d.formula.starts_with("max_replicas")));
    assert!(plan
        .why("api.total")
        .is_some_and(|d| d.formula.contains("processes")));
}

#[test]
fn each_service_gets_the_largest_maximum_that_fits_and_a_finding_when_its_own_does_not() {
    // Without a pooler, 92 usable slots; api's pool pinned at 5 per process.
    let plan = plan_of("surge=none&svc=api:2-30:moderate&svc=worker:2&set=api.connection_limit:5");
    let (api, worker) = (&plan.services[0], &plan.services[1]);
    let room = u64::from(plan.budget.usable) - worker.total;
    assert_eq!(
        u64::from(api.max_fit_replicas),
        room / 5,
        "the largest n with 5 × n ≤ {room}"
    );
    assert!(plan.why("api.max_fit_replicas").is_some());
    let f = finding(&plan, "services.max_over_fit");
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message
            .contains(&format!("only {} fit", api.max_fit_replicas)),
        "{}",
        f.message
    );
    // Unpinned, the pools shrink until the maximum fits, and no such finding.
    let fits = plan_of("surge=none&svc=api:2-30:moderate&svc=worker:2");
    assert!(!has(&fits, "services.max_over_fit"));
    assert!(fits.services[0].max_fit_replicas >= 30);
    // Behind PgBouncer in transaction mode, the client limit bounds the maximum.
    let pooled = plan_of("pooler=pgbouncer&svc=api:2-30&set=pgbouncer.max_client_conn:50");
    let a = &pooled.services[0];
    let per = u64::from(a.connection_limit) * u64::from(a.processes);
    assert!(
        per * u64::from(calc::services::peak_replicas(
            a.max_fit_replicas,
            calc::inputs::Surge::Rolling
        )) <= 50
    );
    assert!(has(&pooled, "services.max_over_fit"));
}

#[test]
fn serverless_means_one_connection_per_instance_up_to_the_concurrency_limit() {
    let plan = plan_of("svc=fn:120::serverless&db_max_conn=500");
    let f = &plan.services[0];
    assert!(f.serverless);
    assert_eq!(f.connection_limit, 1);
    assert_eq!(
        f.peak_replicas, 120,
        "no deploy overlap on a concurrency limit"
    );
    assert_eq!(f.total, 120);
    assert_eq!(
        finding(&plan, "services.serverless_without_pooler").severity,
        Severity::Warning
    );
    assert!(!has(
        &plan_of("pooler=pgbouncer&svc=fn:120::serverless"),
        "services.serverless_without_pooler"
    ));
}

#[test]
fn earlier_links_plan_as_before() {
    // The same numbers as a plain count: no range, one process.
    for q in ["svc=api:4", "svc=api:4-4:moderate:procs=1"] {
        let p = plan_of(q);
        assert_eq!(
            p.services[0].total,
            u64::from(p.services[0].connection_limit) * u64::from(p.services[0].peak_replicas)
        );
        assert!(p.services[0].max_fit_replicas >= 4);
    }
}

#[test]
fn per_service_roles_without_a_pooler_cap_each_role_at_its_worst_case() {
    let plan = plan_of("db_roles=per-service&svc=api:2-4&svc=worker:2::procs=3");
    let roles = plan.roles.as_ref().expect("roles planned");
    assert_eq!(roles.owner, "app");
    for (r, s) in roles.roles.iter().zip(&plan.services) {
        assert_eq!(r.user, format!("app_{}", s.name));
        assert_eq!(u64::from(r.connection_limit), s.total, "{}", r.user);
        assert_eq!(r.max_user_connections, None);
    }
    // The files: each service's URL logs in as its role; migrations keep the owner.
    let env = artifact_of(
        "db_roles=per-service&svc=api:2-4&svc=worker:2::procs=3",
        "env",
        Some("worker"),
    );
    assert!(env.contains("postgresql://app_worker:"), "{env}");
    let api = plan.services[0].total;
    let sql = artifact_of(
        "db_roles=per-service&svc=api:2-4&svc=worker:2::procs=3",
        "roles.sql",
        None,
    );
    assert!(
        sql.contains(&format!(
            r#"ALTER ROLE "app_api" WITH LOGIN CONNECTION LIMIT {api};"#
        )),
        "{sql}"
    );
    // The password only on creation, quoted by psql; rights on rows, never membership in the owner.
    assert!(sql.contains(
        r#"SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', wanted.name, :'DB_PASSWORD')"#
    ));
    assert!(sql.contains(
        r#"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "public" TO "app_api", "app_worker";"#
    ));
    assert!(!sql.contains(r#"GRANT "app" TO"#));
    assert!(!sql.contains("Not in use"));
}

#[test]
fn per_service_roles_behind_pgbouncer_split_the_server_connections() {
    let q = "pooler=pgbouncer&pgb_version=1.18&db_roles=per-service&pgb_instances=2&db_cores=8&db_max_conn=200";
    let plan = plan_of(q);
    let b = plan.pgbouncer.as_ref().unwrap();
    let roles = plan.roles.as_ref().unwrap();
    let shares: Vec<u32> = roles
        .roles
        .iter()
        .map(|r| r.max_user_connections.unwrap())
        .collect();
    assert_eq!(
        shares.iter().sum::<u32>(),
        b.server_connections_per_instance
    );
    assert!(shares.iter().all(|&s| s >= 1));
    // The larger demand gets the larger share (wallet-service is write-heavy: the largest pool).
    assert!(shares[0] >= shares[2], "{shares:?}");
    for (r, share) in roles.roles.iter().zip(&shares) {
        assert_eq!(
            r.connection_limit,
            (share + 1) * 2,
            "one spare per instance"
        );
    }
    let ini = artifact_of(q, "pgbouncer.ini", None);
    assert!(ini.contains("\n[users]\n"), "{ini}");
    assert!(ini.contains(&format!(
        "app_wallet_service = max_user_connections={}\n",
        shares[0]
    )));
    let userlist = artifact_of(q, "userlist.txt", None);
    assert!(userlist.contains("WHERE rolname IN ('app', 'app_wallet_service', 'app_agent_core', 'app_ranking_service', 'app_vendor_service')"), "{userlist}");
    // Too few server connections for one each: an error on db_roles.
    let tight = plan_of("pooler=pgbouncer&db_roles=per-service&db_cores=1&set=pgbouncer.default_pool_size:1&set=pgbouncer.reserve_pool_size:0");
    let f = finding(&tight, "roles.too_few_server_connections");
    assert_eq!((f.severity, f.field), (Severity::Error, Some("db_roles")));
}

#[test]
fn per_service_roles_are_refused_where_they_cannot_work() {
    let sv = plan_of("db_roles=per-service&pooler=supavisor");
    assert!(sv.roles.is_none());
    assert_eq!(finding(&sv, "roles.supavisor").severity, Severity::Error);
    let long = plan_of(&format!(
        "db_roles=per-service&db_user={}&svc=a-very-long-service-name-indeed:2",
        "u".repeat(40)
    ));
    assert!(long.roles.is_none());
    assert_eq!(
        finding(&long, "roles.name_too_long").severity,
        Severity::Error
    );
    // The default: one shared user, and roles.sql says it is not in use.
    assert!(plan_of("").roles.is_none());
    assert!(artifact_of("", "roles.sql", None).contains("Not in use"));
}
