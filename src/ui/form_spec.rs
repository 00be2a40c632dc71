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

/// The sections before the services table, and after it.
pub const TOP: &[Section] = &[Section::Environment, Section::Database, Section::Pooler];
pub const BOTTOM: &[Section] = &[Section::Redis, Section::Kafka];

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

/// The fields of one section, in order.
pub fn items(section: Section) -> Vec<Item> {
    PARAMS
        .iter()
        .filter(|p| p.section == section)
        .map(control)
        .chain(
            SECRETS
                .iter()
                .filter(|(s, _)| *s == section)
                .map(|(_, item)| *item),
        )
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
