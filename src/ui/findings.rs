//! The findings list, errors first: what is wrong, what to do, the source, and a button that
//! focuses the field to change.

use leptos::prelude::*;

use super::fields::field_id;
use super::state::state;
use crate::browser::{data_attribute, focus};
use crate::calc::Severity;
use crate::page::html::findings;

/// The findings of the plan.
#[component]
pub fn FindingsList(
    /// Offer a button that focuses the field to change (off where the form is not shown).
    #[prop(default = true)]
    with_fields: bool,
) -> impl IntoView {
    let s = state();
    // Memoised: the list is rebuilt only when the findings themselves change, not on every input.
    let list = Memo::new(move |_| s.plan.with(|p| p.findings.clone()));
    let counts = move || {
        s.plan.with(|p| {
            let n = |sev| p.findings.iter().filter(|f| f.severity == sev).count();
            let count = |k: usize, one: &str, many: &str| {
                format!("{k} {}", if k == 1 { one } else { many })
            };
            format!(
                "{}, {}, {}",
                count(n(Severity::Error), "error", "errors"),
                count(n(Severity::Warning), "warning", "warnings"),
                count(n(Severity::Info), "note", "notes")
            )
        })
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some(key) = data_attribute(&ev, "data-field") {
            focus(&field_id(&key));
        }
    };
    view! {
        <section class="findings" aria-labelledby="findings-h">
            <h2 id="findings-h">"Findings"</h2>
            <p class="hint" aria-live="polite">{counts}</p>
            <ul class="finding-list" on:click=on_click inner_html=move || list.with(|l| findings(l, with_fields))></ul>
        </section>
    }
}
