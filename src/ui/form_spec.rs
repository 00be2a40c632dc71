//! The form's layout. Each section shows its parameters in the parameter table's order
//! (calc/params.rs, which also holds their labels, hints, ranges, choices, when a field applies
//! and what a provider preset decides), then its passwords. This file only names the controls that
//! differ from what a parameter's kind calls for, and the passwords, which are not link parameters.

use crate::calc::inputs::Inputs;
use crate::calc::params::{kafka_on, redis_on, Param, Section, PARAMS};
use crate::calc::presets::RDS_CLASSES;

/// One field of the form.
#[derive(Clone, Copy)]
pub enum Item {
    /// A link parameter, with the control its kind calls for.
    Param(&'static Param),
    /// A link parameter shown as a select with these (value, label) options.
    Select(&'static Param, fn() -> Vec<(String, String)>),
    /// The Redis uses, as checkboxes.
    Uses(&'static Param),
    /// A password: this tab's memory only (key, label, when it applies).
    Secret(&'static str, &'static str, fn(&Inputs) -> bool),
}

/// The sections before the services table, and after it: what a newcomer sets first (the server,
/// the pooler, the services) comes first.
pub const TOP: &[Section] = &[Section::Database, Section::Pooler];
pub const BOTTOM: &[Section] = &[Section::Environment, Section::Redis, Section::Kafka];

/// Passwords, at the end of their section.
const SECRETS: &[(Section, Item)] = &[
    (
        Section::Database,
        Item::Secret("db_password", "Database password", |_| true),
    ),
    (
        Section::Redis,
        Item::Secret("redis_password", "Redis password", redis_on),
    ),
    (
        Section::Kafka,
        Item::Secret("kafka_password", "Kafka SASL password", kafka_on),
    ),
];

/// The control for a parameter: a few have options with their own labels, or checkboxes.
fn control(p: &'static Param) -> Item {
    match p.name {
        "preset" => Item::Select(p, preset_options),
        "rds_class" => Item::Select(p, rds_options),
        "redis_use" => Item::Uses(p),
        _ => Item::Param(p),
    }
}

/// What a newcomer sets first, shown in each section; the rest of the section waits under its
/// "Advanced" disclosure. (Layout only: a new parameter needs no entry here.)
const ESSENTIAL: &[&str] = &[
    "env",
    "provider",
    "rds_class",
    "supabase_tier",
    "db_cores",
    "db_max_conn",
    "pooler",
    "prisma",
    "redis",
    "kafka",
];

/// The fields of one section, in order: the essential ones, and the advanced ones (the passwords
/// last).
pub fn items(section: Section) -> (Vec<Item>, Vec<Item>) {
    let (essential, advanced): (Vec<&'static Param>, Vec<&'static Param>) = PARAMS
        .iter()
        .filter(|p| p.section == section)
        .partition(|p| ESSENTIAL.contains(&p.name));
    let advanced = advanced
        .into_iter()
        .map(control)
        .chain(
            SECRETS
                .iter()
                .filter(|(s, _)| *s == section)
                .map(|(_, item)| *item),
        )
        .collect();
    (essential.into_iter().map(control).collect(), advanced)
}

/// The link parameters among items (for counting the changed ones).
pub fn param_names(items: &[Item]) -> Vec<&'static str> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Param(p) | Item::Select(p, _) | Item::Uses(p) => Some(p.name),
            Item::Secret(..) => None,
        })
        .collect()
}

fn preset_options() -> Vec<(String, String)> {
    vec![
        ("".into(), "none".into()),
        ("runbook".into(), "runbook".into()),
    ]
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
