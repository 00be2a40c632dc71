//! poolcalc sizes the connection pools of a whole fleet (PostgreSQL, PgBouncer, Redis, Kafka)
//! and renders every config file it needs.
//!
//! `calc` and `render` are the pure core: inputs → plan → text; `audit` reads the configs a team
//! already runs and judges them by the same rules; `page` holds the page's own
//! concepts (view parameters, the markup of its read-only blocks). None of them touches the
//! browser, so they are tested natively and shared by the page (`ui`, wasm only) and the CLI.

pub mod audit;
pub mod calc;
pub mod page;
pub mod render;

#[cfg(target_arch = "wasm32")]
pub mod ui;

#[cfg(target_arch = "wasm32")]
pub mod browser;
