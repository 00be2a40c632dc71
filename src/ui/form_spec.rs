//! The form's layout: which parameters stand in which section, in what order, and the fields
//! that are not link parameters (passwords). Labels, hints, ranges, choices, when a field applies
//! and what a provider preset decides all come from the parameter table (calc/params.rs).

use crate::calc::inputs::{Inputs, KafkaClient, RedisMode};
use crate::calc::presets::RDS_CLASSES;

/// One field of the form.
pub enum Item {
    /// A link parameter, with the control its kind calls for.
    Param(&'static str),
    /// A link parameter shown as a select with these (value, label) options.
    Select(&'static str, fn() -> Vec<(String, String)>),
    /// The Redis uses, as checkboxes.
    Uses(&'static str),
    /// A password: this tab's memory only (key, label, when it applies).
    Secret(&'static str, &'static str, fn(&Inputs) -> bool),
}

use Item::*;

/// The form's sections before the services table.
pub const TOP: &[(&str, &[Item])] = &[
    (
        "Environment",
        &[
            Param("env"),
            Select("preset", || {
                vec![
                    ("".into(), "none".into()),
                    ("runbook".into(), "runbook".into()),
                ]
            }),
            Param("surge"),
        ],
    ),
    (
        "Database server",
        &[
            Param("provider"),
            Select("rds_class", rds_options),
            Param("supabase_tier"),
            Param("supabase_ref"),
            Param("db_cores"),
            Param("db_max_conn"),
            Param("db_reserved"),
            Param("headroom"),
            Param("db_storage"),
            Param("db_spindles"),
            Param("db_host"),
            Param("db_port"),
            Param("db_name"),
            Param("db_user"),
            Param("db_schema"),
            Param("sslmode"),
            Param("db_ca_file"),
            Secret("db_password", "Database password", |_| true),
        ],
    ),
    (
        "Pooler and ORM",
        &[
            Param("pooler"),
            Param("pgb_version"),
            Param("pgb_mode"),
            Param("pgb_instances"),
            Param("pgb_host"),
            Param("pgb_port"),
            Param("pgb_auth_file"),
            Param("prisma"),
            Param("app_cores"),
        ],
    ),
];

/// The form's sections after the services table.
pub const BOTTOM: &[(&str, &[Item])] = &[
    (
        "Redis",
        &[
            Param("redis"),
            Uses("redis_use"),
            Param("redis_host"),
            Param("redis_port"),
            Param("redis_db"),
            Param("redis_nodes"),
            Param("redis_masters"),
            Param("redis_queues"),
            Param("redis_maxclients"),
            Param("redis_tls"),
            Secret("redis_password", "Redis password", |i| {
                i.redis.mode != RedisMode::Off
            }),
        ],
    ),
    (
        "Kafka",
        &[
            Param("kafka"),
            Param("kafka_brokers"),
            Param("kafka_eos"),
            Param("kafka_compression"),
            Param("kafka_ssl"),
            Param("kafka_sasl"),
            Secret("kafka_password", "Kafka SASL password", |i| {
                i.kafka.client != KafkaClient::Off
            }),
        ],
    ),
];

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
