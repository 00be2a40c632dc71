//! The form as data: every field's parameter, label, unit and range, control, and when it shows.
//! One generic field renders them all, which keeps the page's code (and its wasm) small.

use crate::calc::inputs::{
    Compression, Env, Inputs, KafkaClient, PoolMode, Pooler, Provider, RedisMode, Sasl, SslMode,
    Storage, Surge,
};
use crate::calc::presets::{SupabaseTier, RDS_CLASSES};

/// What control a field uses.
#[derive(Clone, Copy)]
pub enum Control {
    Text,
    /// Whole numbers (numeric keyboard on phones).
    Number,
    /// A number that an RDS class or a Supabase size fills in (then shown greyed out).
    Sized,
    Select(fn() -> Vec<(String, String)>),
    Flag,
    Secret,
    /// The Redis uses, as checkboxes.
    Uses,
}

/// One field of the form.
pub struct Spec {
    pub key: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub control: Control,
    /// Whether the field applies to these inputs (`None`: always).
    pub show: Option<fn(&Inputs) -> bool>,
}

const fn f(key: &'static str, label: &'static str, hint: &'static str, control: Control) -> Spec {
    Spec {
        key,
        label,
        hint,
        control,
        show: None,
    }
}

const fn when(spec: Spec, show: fn(&Inputs) -> bool) -> Spec {
    Spec {
        show: Some(show),
        ..spec
    }
}

fn opts<T: Copy + std::fmt::Display>(all: &[T]) -> Vec<(String, String)> {
    all.iter().map(|v| (v.to_string(), v.to_string())).collect()
}

/// Whether a provider preset decides the cores and max_connections.
pub fn sized_by_preset(i: &Inputs) -> bool {
    i.db.provider == Provider::Supabase
        || (i.db.provider == Provider::Rds && i.db.rds_class.is_some())
}

use Control::*;

/// The form's sections before the services table.
pub const TOP: &[(&str, &[Spec])] = &[
    (
        "Environment",
        &[
            f(
                "env",
                "Environment",
                "the runbook's rows: pool size and timeouts",
                Select(|| opts(Env::ALL)),
            ),
            f(
                "preset",
                "Preset",
                "runbook: load the runbook's own numbers as pins, to review them",
                Select(|| {
                    vec![
                        ("".into(), "none".into()),
                        ("runbook".into(), "runbook".into()),
                    ]
                }),
            ),
            f(
                "surge",
                "Deploy surge",
                "none ×1, rolling ×1.25 (rounded up), bluegreen ×2",
                Select(|| opts(Surge::ALL)),
            ),
        ],
    ),
    (
        "Database server",
        &[
            f("provider", "Provider", "", Select(|| opts(Provider::ALL))),
            when(
                f(
                    "rds_class",
                    "RDS instance class",
                    "fills cores and max_connections",
                    Select(rds_options),
                ),
                |i| i.db.provider == Provider::Rds,
            ),
            when(
                f(
                    "supabase_tier",
                    "Supabase compute size",
                    "fills cores and max_connections",
                    Select(|| opts(SupabaseTier::ALL)),
                ),
                |i| i.db.provider == Provider::Supabase,
            ),
            f(
                "db_cores",
                "Database server cores",
                "physical cores, 1–512",
                Sized,
            ),
            f(
                "db_max_conn",
                "max_connections",
                "connections, 1–262143",
                Sized,
            ),
            f(
                "db_reserved",
                "Reserved slots",
                "superuser_reserved_connections + reserved_connections, 0–1000",
                Number,
            ),
            f(
                "headroom",
                "Headroom",
                "slots kept for migrations, admin, exporters, 0–1000",
                Number,
            ),
            f("db_storage", "Storage", "", Select(|| opts(Storage::ALL))),
            f(
                "db_spindles",
                "Effective spindles",
                "0–128, counts only with hdd",
                Number,
            ),
            f("db_host", "Host", "host name or IPv4", Text),
            f("db_port", "Port", "1–65535", Number),
            f("db_name", "Database", "letters, digits, _ (1–63)", Text),
            f("db_user", "User", "letters, digits, _ . - (1–63)", Text),
            f(
                "db_schema",
                "Schema",
                "optional; lower-case identifier",
                Text,
            ),
            f(
                "sslmode",
                "sslmode",
                "the apps' TLS; require makes PgBouncer offer TLS too",
                Select(|| opts(SslMode::ALL)),
            ),
            f(
                "db_ca_file",
                "Database CA file",
                "optional; absolute path on the app hosts, to verify the server",
                Text,
            ),
            when(
                f(
                    "supabase_ref",
                    "Supabase project ref",
                    "the <ref> in db.<ref>.supabase.co",
                    Text,
                ),
                |i| i.db.provider == Provider::Supabase,
            ),
            f("db_password", "Database password", "", Secret),
        ],
    ),
    (
        "Pooler and ORM",
        &[
            f("pooler", "Pooler", "", Select(|| opts(Pooler::ALL))),
            when(
                f(
                    "pgb_version",
                    "PgBouncer version",
                    "keys are gated on it",
                    Select(pgb_versions),
                ),
                pgbouncer,
            ),
            when(
                f("pgb_mode", "Pool mode", "", Select(|| opts(PoolMode::ALL))),
                any_pooler,
            ),
            when(
                f(
                    "pgb_instances",
                    "PgBouncer instances",
                    "processes in front of the database, 1–64",
                    Number,
                ),
                pgbouncer,
            ),
            when(
                f("pgb_host", "Pooler host", "where clients reach it", Text),
                any_pooler,
            ),
            when(
                f(
                    "pgb_port",
                    "Pooler port",
                    "1–65535 (Supavisor: 6543 transaction, 5432 session; 6432 picks the mode's port)",
                    Number,
                ),
                any_pooler,
            ),
            when(
                f(
                    "pgb_auth_file",
                    "auth_file path",
                    "absolute path of userlist.txt",
                    Text,
                ),
                pgbouncer,
            ),
            f(
                "prisma",
                "Prisma version",
                "6: pool in the URL; 7: @prisma/adapter-pg",
                Select(|| vec![("6".into(), "6".into()), ("7".into(), "7".into())]),
            ),
            f(
                "app_cores",
                "App host cores",
                "physical cores of one app instance, 1–512",
                Number,
            ),
        ],
    ),
];

/// The form's sections after the services table.
pub const BOTTOM: &[(&str, &[Spec])] = &[
    (
        "Redis",
        &[
            f("redis", "Redis", "", Select(|| opts(RedisMode::ALL))),
            when(
                f(
                    "redis_use",
                    "Redis uses",
                    "queue workers and subscribers each need their own connection",
                    Uses,
                ),
                redis_on,
            ),
            when(f("redis_host", "Redis host", "", Text), |i| {
                i.redis.mode == RedisMode::Single
            }),
            when(f("redis_port", "Redis port", "1–65535", Number), |i| {
                i.redis.mode == RedisMode::Single
            }),
            when(f("redis_db", "Redis database", "0–255", Number), |i| {
                i.redis.mode == RedisMode::Single
            }),
            when(
                f(
                    "redis_nodes",
                    "Cluster seeds",
                    "comma list of host:port",
                    Text,
                ),
                |i| i.redis.mode == RedisMode::Cluster,
            ),
            when(
                f(
                    "redis_masters",
                    "Cluster masters",
                    "1–1000; every client connects to each master",
                    Number,
                ),
                |i| i.redis.mode == RedisMode::Cluster,
            ),
            when(
                f(
                    "redis_queues",
                    "BullMQ queues per replica",
                    "1–100; a Worker and a QueueEvents each",
                    Number,
                ),
                |i| {
                    i.redis.mode != RedisMode::Off
                        && i.redis.uses.contains(&crate::calc::inputs::RedisUse::Queue)
                },
            ),
            when(
                f(
                    "redis_maxclients",
                    "maxclients",
                    "the server's client limit, 1–10000000",
                    Number,
                ),
                redis_on,
            ),
            when(f("redis_tls", "TLS", "", Flag), redis_on),
            when(f("redis_password", "Redis password", "", Secret), redis_on),
        ],
    ),
    (
        "Kafka",
        &[
            f(
                "kafka",
                "Kafka client",
                "confluent: @confluentinc/kafka-javascript",
                Select(|| opts(KafkaClient::ALL)),
            ),
            when(
                f("kafka_brokers", "Brokers", "comma list of host:port", Text),
                kafka_on,
            ),
            when(
                f("kafka_eos", "Exactly-once (idempotent) producer", "", Flag),
                kafka_on,
            ),
            when(
                f(
                    "kafka_compression",
                    "Compression",
                    "",
                    Select(|| opts(Compression::ALL)),
                ),
                kafka_on,
            ),
            when(f("kafka_ssl", "SSL", "", Flag), kafka_on),
            when(
                f("kafka_sasl", "SASL", "", Select(|| opts(Sasl::ALL))),
                kafka_on,
            ),
            when(
                f("kafka_password", "Kafka SASL password", "", Secret),
                kafka_on,
            ),
        ],
    ),
];

fn pgbouncer(i: &Inputs) -> bool {
    i.pooler.kind == Pooler::PgBouncer
}

fn any_pooler(i: &Inputs) -> bool {
    i.pooler.kind != Pooler::None
}

fn redis_on(i: &Inputs) -> bool {
    i.redis.mode != RedisMode::Off
}

fn kafka_on(i: &Inputs) -> bool {
    i.kafka.client != KafkaClient::Off
}

fn rds_options() -> Vec<(String, String)> {
    std::iter::once((
        "".to_string(),
        "custom (enter cores and max_connections)".to_string(),
    ))
    .chain(RDS_CLASSES.iter().map(|c| {
        (
            c.name.to_string(),
            format!("{} ({} vCPU, {} GiB)", c.name, c.vcpus, c.memory_gib),
        )
    }))
    .collect()
}

fn pgb_versions() -> Vec<(String, String)> {
    (18..=25)
        .map(|m| (format!("1.{m}"), format!("1.{m}")))
        .collect()
}
