//! "why?": the derivation of a computed number, one click away.

use leptos::prelude::*;

use super::state::state;
use crate::render::html::derivation;

/// A disclosure showing how the number at `path` (a plan path such as `budget.usable`) was derived.
#[component]
pub fn Why(
    /// The derivation's path in the plan.
    path: String,
) -> impl IntoView {
    let s = state();
    let label = format!("Why {path}?");
    // Rendered (and kept in step with the plan) only while open: closed ones cost nothing.
    let open = RwSignal::new(false);
    let body = move || {
        if open.get() {
            s.plan
                .with(|p| p.why(&path).map(derivation).unwrap_or_default())
        } else {
            String::new()
        }
    };
    view! {
        <details class="why" on:toggle=move |ev| open.set(event_target::<leptos::web_sys::HtmlDetailsElement>(&ev).open())>
            <summary aria-label=label>"why?"</summary>
            <div class="why-body" inner_html=body></div>
        </details>
    }
}
