//! The findings list, errors first: what is wrong, what to do, the source, and a link to the field.

use leptos::prelude::*;

use super::fields::field_id;
use super::state::state;
use crate::browser::focus;
use crate::calc::{Finding, Severity};

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
    let item = move |f: Finding| {
        let (class, label) = match f.severity {
            Severity::Error => ("finding error", "Error"),
            Severity::Warning => ("finding warning", "Warning"),
            Severity::Info => ("finding info", "Info"),
        };
        view! {
            <li class=class data-code=f.code>
                <p>
                    <strong class="sev">{label}</strong>" "
                    <code class="code">{f.code}</code>
                </p>
                <p class="message">{f.message}</p>
                <p class="links">
                    <a href=f.source target="_blank" rel="noopener noreferrer">"Source"</a>
                    {f.pin.map(|pin| view! { " · " <span>"pin: "<code>{pin}</code></span> })}
                    {f.field.filter(|_| with_fields).map(|key| view! {
                        " · "
                        <button type="button" class="link" on:click=move |_| focus(&field_id(key))>
                            {format!("Change {key}")}
                        </button>
                    })}
                </p>
            </li>
        }
    };
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
    view! {
        <section class="findings" aria-labelledby="findings-h">
            <h2 id="findings-h">"Findings"</h2>
            <p class="hint" aria-live="polite">{counts}</p>
            <ul class="finding-list">
                {move || list.get().into_iter().map(item).collect_view()}
            </ul>
        </section>
    }
}
