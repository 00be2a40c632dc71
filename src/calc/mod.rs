//! The pure sizing core: inputs → plan. No browser or UI crate may be imported below this
//! module (tests/purity.rs checks it), so it runs natively under `cargo test` and in the CLI.

pub mod alerts;
pub mod budget;
pub mod endpoints;
pub mod explain;
pub mod fleet;
pub mod inputs;
pub mod kafka;
pub mod kinds;
pub mod link;
pub mod params;
pub mod pgbouncer;
pub mod pins;
pub mod plan;
pub mod presets;
pub mod prisma;
pub mod redis;
pub mod review;
pub mod roles;
pub mod rules;
pub mod services;
pub mod settings;
pub mod text;
pub(crate) mod text_enum;
pub mod timeouts;
pub mod tls;

pub use explain::{Derivation, Finding, Severity};
pub use inputs::Inputs;
pub use link::{parse, write, Parsed};
pub use plan::{plan, Plan};

/// Active server connections the database can serve well: 2 × physical cores + effective spindles.
/// Source: HikariCP wiki "About Pool Sizing" (formula quoted from the PostgreSQL project).
pub fn target_active_connections(db_cores: u32, effective_spindles: u32) -> u32 {
    db_cores
        .saturating_mul(2)
        .saturating_add(effective_spindles)
}

/// Sorts by key, keeping equal elements in their order (like `sort_by_key`). An insertion sort:
/// the lists it sorts are short (findings, at most 100 services), and it is a few hundred bytes
/// of wasm where each instance of the standard library's stable sort costs several kilobytes.
pub fn sort_stable_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && key(&v[j - 1]) > key(&v[j]) {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}
