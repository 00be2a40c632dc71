//! Generated inputs for the property tests: every parameter across its whole range, services
//! with and without workloads, and pins on any setting of the settings table.
#![allow(dead_code)]

use poolcalc::calc::{
    inputs::*,
    presets::{SupabaseTier, RDS_CLASSES},
    settings::SETTINGS,
    Inputs,
};
use proptest::prelude::*;
use proptest::sample::select;

pub fn name() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9-]{0,12}"
}

pub fn host() -> impl Strategy<Value = String> {
    "[a-z0-9][a-z0-9.-]{0,20}"
}

pub fn host_port() -> impl Strategy<Value = HostPort> {
    (host(), 1u16..=65535).prop_map(|(host, port)| HostPort { host, port })
}

pub fn services() -> impl Strategy<Value = Vec<Service>> {
    prop::collection::vec(
        (
            name(),
            1u32..=10_000,
            prop::option::of(select(Workload::ALL.to_vec())),
            // An autoscaler's maximum above the minimum, processes per replica, serverless.
            prop::option::of(0u32..=10_000),
            prop_oneof![4 => Just(1u32), 1 => 2u32..=64],
            prop::bool::weighted(0.1),
        ),
        1..8,
    )
    .prop_map(|list| {
        let mut out: Vec<Service> = Vec::new();
        for (name, replicas, workload, extra, processes, serverless) in list {
            if !out.iter().any(|s| s.name == name) {
                out.push(Service {
                    name,
                    replicas,
                    max_replicas: extra
                        .map(|e| replicas.saturating_add(e).min(10_000))
                        .filter(|m| *m > replicas),
                    processes: if serverless { 1 } else { processes },
                    serverless,
                    workload,
                });
            }
        }
        out
    })
}

/// Pins on any setting of the settings table, with values anywhere in the table's range (small
/// values more often, so that pins interact with the budget).
pub fn pins(services: &[Service]) -> impl Strategy<Value = Vec<Pin>> {
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
    pub fn database()(
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
        roles in select(DbRoles::ALL.to_vec()),
    ) -> Database {
        Database { provider, cores, storage, spindles, max_connections, reserved, rds_class, supabase_tier, headroom, host, port, name, user, schema, sslmode, ca_file, supabase_ref, roles }
    }
}

prop_compose! {
    pub fn rest()(
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

pub fn inputs() -> impl Strategy<Value = Inputs> {
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
