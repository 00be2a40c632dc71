//! Properties over generated inputs (10,000 cases per property run): the plan never panics, always
//! fits its budget or says why not, keeps Kafka heartbeats within a third of the session, and the
//! share link round-trips exactly.

use poolcalc::calc::{
    self,
    inputs::*,
    presets::{SupabaseTier, RDS_CLASSES},
    Inputs, Severity,
};
use proptest::prelude::*;
use proptest::sample::select;

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

fn pins(services: &[Service]) -> impl Strategy<Value = Vec<Pin>> {
    let mut paths: Vec<(String, u64, u64)> = vec![
        ("pgbouncer.default_pool_size".into(), 1, 500),
        ("pgbouncer.reserve_pool_size".into(), 0, 50),
        ("pgbouncer.max_client_conn".into(), 1, 5000),
        ("pgbouncer.max_db_connections".into(), 0, 500),
        ("pgbouncer.max_prepared_statements".into(), 0, 500),
        ("prisma.pgbouncer".into(), 0, 1),
        ("redis.max_retries_per_request".into(), 0, 20),
        ("kafka.producer.idempotent".into(), 0, 1),
        ("kafka.producer.max_in_flight_requests".into(), 1, 10),
        ("kafka.producer.retries".into(), 0, 10),
        ("kafka.consumer.session_timeout".into(), 1000, 3_600_000),
        ("kafka.consumer.heartbeat_interval".into(), 1, 3_600_000),
    ];
    for s in services {
        paths.push((format!("{}.connection_limit", s.name), 1, 10_000));
        paths.push((format!("{}.pool_timeout", s.name), 0, 3600));
    }
    prop::collection::vec((select(paths), any::<u64>()), 0..4).prop_map(|chosen| {
        let mut out: Vec<Pin> = Vec::new();
        for ((path, lo, hi), r) in chosen {
            if !out.iter().any(|p| p.path == path) {
                out.push(Pin {
                    path,
                    value: lo + r % (hi - lo + 1),
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
