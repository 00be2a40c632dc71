//! Properties over generated inputs (10,000 cases per property run): the plan never panics, always
//! fits its budget or says why not (at every service's maximum, processes and surge included), keeps Kafka heartbeats within a third of the session, the
//! share link round-trips exactly, and the settings keep one name and one derivation each: every
//! computed number in the JSON has a derivation under its path, every pinnable path is in the
//! JSON, a pinned value's derivation says so, every derivation names a source or says it is a
//! heuristic, and every declared source is cited.

use poolcalc::calc::{self, explain::source, inputs::Surge, settings::SETTINGS, Plan, Severity};
use proptest::prelude::*;
use serde_json::Value;

#[path = "common/gen.rs"]
mod gen;
use gen::inputs;

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

    /// At every service's maximum replicas, processes and deploy surge (recomputed here from the
    /// inputs, not read from the plan's totals), what the fleet opens fits what takes it, or an
    /// error finding says it does not; and per-service roles never share more than there is.
    #[test]
    fn at_every_maximum_the_fleet_fits_or_an_error_says_so(inputs in inputs()) {
        let plan = calc::plan(&inputs);
        let each: Vec<u64> = inputs.services.iter().zip(&plan.services).map(|(s, p)| {
            let max = u64::from(s.max_replicas.unwrap_or(s.replicas).max(s.replicas));
            let peak = if s.serverless {
                max
            } else {
                match inputs.surge {
                    Surge::None => max,
                    Surge::Rolling => max + max.div_ceil(4),
                    Surge::BlueGreen => 2 * max,
                }
            };
            u64::from(p.connection_limit) * u64::from(s.processes.max(1)) * peak
        }).collect();
        let worst: u64 = each.iter().sum();
        match (&plan.pgbouncer, &plan.supavisor) {
            (Some(b), _) => prop_assert!(
                worst <= u64::from(b.max_client_conn) * u64::from(b.instances) || plan.has_error(),
                "{worst} client connections > max_client_conn {} × {} without an error", b.max_client_conn, b.instances
            ),
            (None, None) => prop_assert!(
                worst <= u64::from(plan.budget.usable) || plan.has_error(),
                "{worst} connections at the maximum > {} usable without an error", plan.budget.usable
            ),
            _ => {}
        }
        if let Some(roles) = &plan.roles {
            prop_assert_eq!(roles.roles.len(), plan.services.len());
            match &plan.pgbouncer {
                Some(b) => {
                    let shares: u64 = roles.roles.iter().map(|r| u64::from(r.max_user_connections.unwrap_or(0))).sum();
                    prop_assert!(roles.roles.iter().all(|r| r.max_user_connections.unwrap_or(0) >= 1));
                    prop_assert!(
                        shares <= u64::from(b.server_connections_per_instance) || plan.has_error(),
                        "shares {shares} > {} server connections per instance without an error", b.server_connections_per_instance
                    );
                }
                None => {
                    // Without a pooler each role is capped at its service's worst case.
                    for (r, w) in roles.roles.iter().zip(&each) {
                        prop_assert_eq!(u64::from(r.connection_limit), (*w).min(u64::from(u32::MAX)));
                    }
                }
            }
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
    ECHOES.contains(&path)
        || [".replicas", ".max_replicas", ".processes"]
            .iter()
            .any(|e| path.ends_with(e))
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
    // The audit's rules about texts themselves (how PgBouncer, dotenv and libpq read them).
    let texts = [
        ("pgbouncer.ini", "[databases]\napp = host=db password=x\n[pgbouncer]\nauth_type = scram-sha-256\npool_mode = session ; c\n"),
        ("userlist.txt", "\"app\" \"md5d41d8cd98f00b204e9800998ecf8427e\"\n"),
        ("api.env", "DATABASE_URL=postgresql://app:p#w@db/app\n"),
        ("url", "postgresql://app@db/app?x=%zz"),
        ("pools", " database | cl_active | cl_waiting | sv_active\n---+---+---+---\n app | 1 | 2 | 1\n"),
        ("connections", " application_name | connections\n---+---\n | 3\n"),
    ];
    let pasted: Vec<poolcalc::audit::Pasted> = texts
        .iter()
        .map(|(name, text)| poolcalc::audit::Pasted {
            name: name.to_string(),
            kind: poolcalc::audit::Kind::Auto,
            text: text.to_string(),
        })
        .collect();
    let report = poolcalc::audit::audit(&calc::parse("pooler=pgbouncer").inputs, &pasted);
    for f in &report.findings {
        cited.insert(f.finding.source);
    }
    let unused: Vec<&&str> = source::ALL.iter().filter(|s| !cited.contains(*s)).collect();
    assert!(unused.is_empty(), "declared and never cited: {unused:?}");
}
