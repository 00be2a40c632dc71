//! "why?": the derivation of a computed number, one click away.

use leptos::prelude::*;

use super::state::state;

/// A disclosure showing how the number at `path` (a plan path such as `budget.usable`) was derived.
#[component]
pub fn Why(
    /// The derivation's path in the plan.
    path: String,
) -> impl IntoView {
    let s = state();
    let path2 = path.clone();
    // Rendered (and kept in step with the plan) only while open: closed ones cost nothing.
    let open = RwSignal::new(false);
    let body = move || {
        if !open.get() {
            return None;
        }
        s.plan.with(|p| {
            p.why(&path2).map(|d| {
                let inputs = d
                    .inputs
                    .iter()
                    .map(|(k, v)| view! { <li>{format!("{k} = {v}")}</li> })
                    .collect_view();
                let steps = d
                    .steps
                    .iter()
                    .map(|t| view! { <li>{t.clone()}</li> })
                    .collect_view();
                view! {
                    <p><code>{d.formula.clone()}</code></p>
                    <ul class="why-inputs">{inputs}</ul>
                    <ol class="why-steps">{steps}</ol>
                    <p><a href=d.source target="_blank" rel="noopener noreferrer">"Source"</a></p>
                }
            })
        })
    };
    view! {
        <details class="why" on:toggle=move |ev| open.set(event_target::<leptos::web_sys::HtmlDetailsElement>(&ev).open())>
            <summary aria-label=format!("Why {path}?")>"why?"</summary>
            <div class="why-body">{body}</div>
        </details>
    }
}
