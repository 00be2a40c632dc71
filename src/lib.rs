//! poolcalc sizes the connection pools of a whole fleet (PostgreSQL, PgBouncer, Redis, Kafka)
//! and renders every config file it needs.
//!
//! `calc` and `render` are the pure core: inputs → plan → text. They never touch the browser,
//! so they are tested natively and shared by the page (`ui`, wasm only) and the command-line tool.

pub mod calc;
pub mod render;

#[cfg(target_arch = "wasm32")]
pub mod ui;

#[cfg(target_arch = "wasm32")]
pub mod browser;
