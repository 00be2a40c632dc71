//! Properties over generated inputs (10,000 cases per property run): the plan never panics, always
//! fits its budget or says why not, keeps Kafka heartbeats within a third of the session, the
//! share link round-trips exactly, and the settings keep one name and one derivation each: every
//! computed number in the JSON has a derivation under its path, every pinnable path is in the
//! JSON, a pinned value's derivation says so, every derivation names a source or says it is a
//! heuristic, and every declared source is cited.

use poolcalc::calc::{
    self,
    explain::source,
    inputs::*,
    presets::{SupabaseTier, RDS_CLASSES},
    settings::SETTINGS,
    Inputs, Plan, Severity,
};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::Value;

fn name() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9-]{0,12}"
}

fn host() -> impl Strategy<Value = String> {
    "[a-z0-9][a-z0-9.-]{0,20}"
}

fn host_port() -> impl Strategy<Value = HostPort> {
    (host(), 1u16..=65535).prop_map(|(host, port)| HostPort { host, port })
}

fn services() -> impl Strategy<Value = Vec<Service>> {
    prop::collection::vec(
        (
            name(),
            1u32..=10_000,
            prop::option::of(select(Workload::ALL.to_vec())),
        ),
        1..8,
    )
    .prop_map(|list| {
        let mut out: Vec<Service> = Vec::new();
        for (name, replicas, workload) in list {
            if !out.iter().any(|s| s.name == name) {
                out.push(Service {
                    name,
                    replicas,
                    workload,
                });
            }
        }
        out
    })
}

/// Pins on any setting of the settings table, with values anywhere in the table's range (small
/// values more often, so that pins interact with the budget).
fn pins(services: &[Service]) -> impl Strategy<Value = Vec<Pin>> {
    let mut paths: Vec<(String, u64, u64)> = Vec::new();
    for s in SETTINGS {
        match s.path.strip_prefix("{service}.") {
            Some(field) => {
                for svc in services {
                    paths.push((format!("{}.{field}", svc.name), s.min, s.max));
                }
            }
            None => paths.push((s.path.to_string(), s.min, s.max)),
        }
    }
    prop::collection::vec((select(paths), any::<u64>(), any::<bool>()), 0..5).prop_map(|chosen| {
        let mut out: Vec<Pin> = Vec::new();
        for ((path, lo, hi), r, small) in chosen {
            let span = if small { (hi - lo).min(100) } else { hi - lo };
            if !out.iter().any(|p| p.path == path) {
                out.push(Pin {
                    path,
                    value: lo + r % (span + 1),
                });
            }
        }
        out
    })
}

prop_compose! {
    fn database()(
        provider in select(Provider::ALL.to_vec()),
        cores in 1u32..=512,
        storage in select(Storage::ALL.to_vec()),
        spindles in 0u32..=128,
        max_connections in 1u32..=262_143,
        reserved in 0u32..=1000,
        rds_class in prop::option::of(select(RDS_CLASSES.iter().map(|c| c.name.to_string()).collect::<Vec<_>>())),
        supabase_tier in select(SupabaseTier::ALL.to_vec()),
        headroom in 0u32..=1000,
        host in host(),
        port in 1u16..=65535,
        name in "[A-Za-z0-9_]{1,20}".prop_filter("reserved", |n| n != "pgbouncer"),
        user in "[A-Za-z0-9_.-]{1,20}",
        schema in prop::option::of("[a-z_][a-z0-9_]{0,10}"),
        sslmode in select(SslMode::ALL.to_vec()),
        ca_file in prop::option::of("/[a-z0-9_-]{1,12}/[a-z0-9_-]{1,12}\\.pem"),
        supabase_ref in prop::option::of("[a-z0-9]{1,20}"),
    ) -> Database {
        Database { provider, cores, storage, spindles, max_connections, reserved, rds_class, supabase_tier, headroom, host, port, name, user, schema, sslmode, ca_file, supabase_ref }
    }
}

prop_compose! {
    fn rest()(
        env in select(Env::ALL.to_vec()),
        preset in prop::option::of(Just(Preset::Runbook)),
        kind in select(Pooler::ALL.to_vec()),
        version in (18u8..=25).prop_map(PgbVersion),
        mode in select(PoolMode::ALL.to_vec()),
        instances in 1u32..=64,
        pgb_host in host(),
        pgb_port in 1u16..=65535,
        auth_file in "/[a-z0-9_-]{1,12}/[a-z0-9_-]{1,12}\\.txt",
        prisma in select(Prisma::ALL.to_vec()),
        app_cores in 1u32..=512,
        surge in select(Surge::ALL.to_vec()),
        redis_mode in select(RedisMode::ALL.to_vec()),
        uses in prop::sample::subsequence(RedisUse::ALL.to_vec(), 1..=3),
        redis_host in host(),
        redis_port in 1u16..=65535,
        redis_db in 0u32..=255,
        nodes in prop::collection::vec(host_port(), 0..4),
        masters in 1u32..=1000,
        queues in 1u32..=100,
        redis_tls in any::<bool>(),
        maxclients in 1u32..=100_000,
        client in select(KafkaClient::ALL.to_vec()),
        brokers in prop::collection::vec(host_port(), 1..4),
        eos in any::<bool>(),
        compression in select(Compression::ALL.to_vec()),
        kafka_ssl in any::<bool>(),
        sasl in select(Sasl::ALL.to_vec()),
    ) -> Inputs {
        Inputs {
            env, preset,
            pooler: PoolerInputs { kind, version, mode, instances, host: pgb_host, port: pgb_port, auth_file },
            prisma, app_cores, surge,
            redis: RedisInputs { mode: redis_mode, uses, host: redis_host, port: redis_port, db: redis_db, nodes, masters, queues, tls: redis_tls, maxclients },
            kafka: KafkaInputs { client, brokers, eos, compression, ssl: kafka_ssl, sasl },
            ..Inputs::default()
        }
    }
}

fn inputs() -> impl Strategy<Value = Inputs> {
    (database(), rest(), services())
        .prop_flat_map(|(db, rest, services)| {
            let pins = pins(&services);
            (Just(db), Just(rest), Just(services), pins)
        })
        .prop_map(|(db, rest, services, pins)| Inputs {
            db,
            services,
            pins,
            ..rest
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, ..ProptestConfig::default() })]

    #[test]
    fn every_plan_fits_its_budget_or_says_why_not(inputs in inputs()) {
        let plan = calc::plan(&inputs);
        let fits = plan.budget.fleet_total <= plan.budget.usable;
        prop_assert!(fits || plan.has_error(), "fleet {} > usable {} without an error", plan.budget.fleet_total, plan.budget.usable);
        prop_assert!(plan.services.iter().all(|s| s.connection_limit >= 1), "a pool is never 0");
        for f in &plan.findings {
            prop_assert!(!f.code.is_empty() && !f.message.is_empty() && !f.source.is_empty());
        }
        let sorted = plan.findings.windows(2).all(|w| w[0].severity <= w[1].severity);
        prop_assert!(sorted, "errors first");
        if let Some(k) = &plan.kafka {
            prop_assert!(k.consumer.heartbeat_interval <= k.consumer.session_timeout / 3,
                "heartbeat {} > session {} / 3", k.consumer.heartbeat_interval, k.consumer.session_timeout);
        }
        if let Some(r) = &plan.redis {
            let over = r.per_node_connections > u64::from(r.maxclients);
            prop_assert!(!over || plan.findings.iter().any(|f| f.code == "redis.over_maxclients" && f.severity == Severity::Error));
        }
    }

    #[test]
    fn the_share_link_round_trips_exactly(inputs in inputs()) {
        let link = calc::write(&inputs);
        let parsed = calc::parse(&link);
        prop_assert!(parsed.errors.is_empty(), "{link}: {:?}", parsed.errors);
        prop_assert_eq!(&parsed.inputs, &inputs, "{}", link);
        prop_assert_eq!(calc::write(&parsed.inputs), link);
    }

    #[test]
    fn any_query_text_parses_without_panicking(q in ".{0,200}") {
        let parsed = calc::parse(&q);
        let _ = calc::plan(&parsed.inputs);
    }

    #[test]
    fn the_small_stable_sort_matches_the_standard_one(v in prop::collection::vec((0u8..6, any::<u16>()), 0..60)) {
        let mut ours = v.clone();
        calc::sort_stable_by_key(&mut ours, |x| x.0);
        let mut std_sorted = v;
        std_sorted.sort_by_key(|x| x.0);
        prop_assert_eq!(ours, std_sorted);
    }
}

/// JSON values copied from the inputs, not computed: they need no derivation.
fn echoed(path: &str) -> bool {
    const ECHOES: &[&str] = &[
        "rules_version",
        "budget.reserved",
        "budget.headroom",
        "pgbouncer.instances",
        "redis.queues",
        "redis.masters",
        "redis.maxclients",
    ];
    ECHOES.contains(&path) || path.ends_with(".replicas")
}

/// Every number in the plan's JSON, by its path (`services[i].x` is `<name>.x`, as pins name it).
fn numbers(v: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                if path.is_empty() && matches!(k.as_str(), "derivations" | "findings") {
                    continue;
                }
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                numbers(child, &p, out);
            }
        }
        Value::Array(items) if path == "services" => {
            for item in items {
                let name = item["name"].as_str().unwrap_or_default();
                numbers(item, name, out);
            }
        }
        Value::Number(_) => out.push(path.to_string()),
        _ => {}
    }
}

/// The JSON value at a dotted path (`<name>.x` looks in `services`).
fn at<'a>(json: &'a Value, plan: &Plan, path: &str) -> Option<&'a Value> {
    if let Some((svc, field)) = path.rsplit_once('.') {
        if let Some(i) = plan.services.iter().position(|s| s.name == svc) {
            return json["services"][i].get(field);
        }
    }
    let mut v = json;
    for part in path.split('.') {
        v = v.get(part)?;
    }
    Some(v)
}

fn every_pinnable_path(plan: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    for s in SETTINGS {
        match s.path.strip_prefix("{service}.") {
            Some(field) => out.extend(plan.services.iter().map(|x| format!("{}.{field}", x.name))),
            None => out.push(s.path.to_string()),
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, ..ProptestConfig::default() })]

    #[test]
    fn every_computed_number_has_a_derivation_under_its_path(inputs in inputs()) {
        let plan = calc::plan(&inputs);
        let json = serde_json::to_value(&plan).expect("the plan serialises");
        let mut paths = Vec::new();
        numbers(&json, "", &mut paths);
        for path in paths.iter().filter(|p| !echoed(p)) {
            prop_assert!(plan.why(path).is_some(), "no derivation for {}", path);
        }
    }

    #[test]
    fn every_pinnable_path_is_in_the_json(inputs in inputs()) {
        let plan = calc::plan(&inputs);
        let json = serde_json::to_value(&plan).expect("the plan serialises");
        for path in every_pinnable_path(&plan) {
            // A section the inputs switch off (no PgBouncer, Kafka off) is null as a whole.
            let section = path.split('.').next().unwrap_or_default();
            if json.get(section).is_some_and(Value::is_null) {
                continue;
            }
            prop_assert!(at(&json, &plan, &path).is_some(), "{} is not in the JSON", path);
            prop_assert!(plan.why(&path).is_some(), "{} has no derivation", path);
        }
    }

    #[test]
    fn a_pinned_value_says_it_was_pinned(inputs in inputs()) {
        let plan = calc::plan(&inputs);
        let json = serde_json::to_value(&plan).expect("the plan serialises");
        for pin in &inputs.pins {
            let section = pin.path.split('.').next().unwrap_or_default();
            if json.get(section).is_some_and(Value::is_null) {
                continue;
            }
            let Some(d) = plan.why(&pin.path) else {
                prop_assert!(false, "no derivation for the pinned {}", pin.path);
                unreachable!()
            };
            let said = d.steps.iter().any(|s| s.contains("pinned to") || s.contains("is not written"));
            prop_assert!(said, "{} is pinned but its derivation does not say so: {:?}", pin.path, d.steps);
        }
    }

    #[test]
    fn every_derivation_names_a_source_or_says_heuristic(inputs in inputs()) {
        let plan = calc::plan(&inputs);
        for (path, d) in &plan.derivations {
            let sourced = source::ALL.contains(&d.source);
            prop_assert!(sourced || d.heuristic.is_some(), "{}: {:?}", path, d);
            prop_assert!(!d.formula.is_empty(), "{}", path);
        }
        for f in &plan.findings {
            prop_assert!(source::ALL.contains(&f.source), "{}: {}", f.code, f.source);
        }
    }
}

#[test]
fn every_declared_source_is_cited() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut cited = std::collections::BTreeSet::new();
    let mut cite = |plan: &Plan| {
        for (_, d) in &plan.derivations {
            cited.insert(d.source);
        }
        for f in &plan.findings {
            cited.insert(f.source);
        }
    };
    // Generated inputs, and the scenarios that reach the rarer rules.
    let mut runner = TestRunner::deterministic();
    let strategy = inputs();
    for _ in 0..10_000 {
        let inputs = strategy.new_tree(&mut runner).expect("inputs").current();
        cite(&calc::plan(&inputs));
    }
    for q in [
        "preset=runbook",
        "pooler=pgbouncer&prisma=7&db_schema=x&sslmode=require&db_ca_file=/a/b.pem",
        "pooler=pgbouncer&pgb_version=1.21&set=prisma.pgbouncer:1",
        "pooler=pgbouncer&pgb_version=1.23&set=prisma.pgbouncer:1",
        "provider=supabase&pooler=supavisor&supabase_ref=abc",
        "provider=rds&rds_class=db.t4g.micro&sslmode=disable",
        "kafka=confluent&kafka_eos=1",
        "redis=cluster&redis_nodes=a:1&redis_use=queue",
    ] {
        cite(&calc::plan(&calc::parse(q).inputs));
    }
    let unused: Vec<&&str> = source::ALL.iter().filter(|s| !cited.contains(*s)).collect();
    assert!(unused.is_empty(), "declared and never cited: {unused:?}");
}
