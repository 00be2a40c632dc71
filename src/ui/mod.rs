//! Leptos components. They read the plan computed by `calc`; no sizing rule lives here.

mod app;

pub use app::App;
