//! Renders the plan as text: one function per artifact, escaping in one place per format.
//! Pure like `calc`: the page and the CLI print exactly the same bytes.

mod alerts;
pub mod artifact;
mod budget_md;
pub mod context;
mod diagnostics;
mod env;
pub mod escape;
mod findings;
mod ioredis;
mod kafkajs;
mod pgbouncer;
mod prisma;
mod roles;
pub mod secrets;
mod template;
pub mod url;

pub use artifact::Artifact;
pub use context::Context;
pub use secrets::Secrets;
