//! Leptos components. They read the plan computed by `calc` and the text rendered by `render`;
//! no sizing rule lives here.

mod app;
mod artifacts;
pub mod audit;
mod audit_entry;
mod budget;
mod fields;
mod findings;
mod form;
mod form_spec;
mod pins;
mod services;
mod share;
mod state;

pub use app::App;
