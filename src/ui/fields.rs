//! Form fields bound to share-link parameters. Each has a visible label, its unit and allowed
//! range, and its error next to it as you type.

use leptos::prelude::*;

use super::state::state;
use crate::calc::query::param_value;
use crate::render::secrets::check_secret;

/// The element id of a parameter's field (findings link to it).
pub fn field_id(key: &str) -> String {
    format!("f-{key}")
}

/// The error line under a field; empty (and silent) while the field is valid.
#[component]
fn FieldError(key: &'static str) -> impl IntoView {
    let s = state();
    view! {
        <p class="field-error" id=format!("e-{key}") role="alert">
            {move || s.error(key)}
        </p>
    }
}

/// A number or text input bound to one parameter.
#[component]
pub fn InputField(
    /// The share-link parameter, e.g. `db_cores`.
    key: &'static str,
    /// The visible label.
    label: &'static str,
    /// Unit and allowed range, shown under the label.
    #[prop(optional)]
    hint: &'static str,
    /// `true` for a whole-number field (numeric keyboard on phones).
    #[prop(optional)]
    numeric: bool,
    /// Greyed out when another input decides the value (e.g. an RDS class fills the cores).
    #[prop(optional, into)]
    disabled: Signal<bool>,
) -> impl IntoView {
    let s = state();
    let initial = s.inputs.with_untracked(|i| param_value(i, key));
    let shown = move || {
        if disabled.get() {
            // Show the value the plan uses instead of the one typed.
            Some(s.plan.with(|p| match key {
                "db_cores" => p.budget.db_cores.to_string(),
                "db_max_conn" => p.budget.max_connections.to_string(),
                _ => String::new(),
            }))
        } else {
            None
        }
    };
    view! {
        <div class="field" class:invalid=move || s.error(key).is_some()>
            <label for=field_id(key)>{label}</label>
            <span class="hint" id=format!("h-{key}")>{hint}</span>
            <input
                id=field_id(key)
                name=key
                type="text"
                inputmode=if numeric { "numeric" } else { "text" }
                autocomplete="off"
                spellcheck="false"
                value=initial
                prop:value=move || shown().unwrap_or_else(|| s.inputs.with_untracked(|i| param_value(i, key)))
                disabled=move || disabled.get()
                aria-invalid=move || if s.error(key).is_some() { "true" } else { "false" }
                aria-describedby=format!("h-{key} e-{key}")
                on:input=move |ev| s.set_param(key, label, &event_target_value(&ev))
            />
            <FieldError key=key />
        </div>
    }
}

/// A `<select>` bound to one parameter.
#[component]
pub fn SelectField(
    /// The share-link parameter.
    key: &'static str,
    /// The visible label.
    label: &'static str,
    /// (value, text) pairs.
    options: Vec<(String, String)>,
    /// A line under the label.
    #[prop(optional)]
    hint: &'static str,
) -> impl IntoView {
    let s = state();
    let current = s.inputs.with_untracked(|i| param_value(i, key));
    let options = options
        .into_iter()
        .map(|(value, text)| {
            let selected = value == current;
            view! { <option value=value selected=selected>{text}</option> }
        })
        .collect_view();
    view! {
        <div class="field" class:invalid=move || s.error(key).is_some()>
            <label for=field_id(key)>{label}</label>
            <span class="hint" id=format!("h-{key}")>{hint}</span>
            <select
                id=field_id(key)
                name=key
                aria-describedby=format!("h-{key} e-{key}")
                on:change=move |ev| s.set_param(key, label, &event_target_value(&ev))
            >
                {options}
            </select>
            <FieldError key=key />
        </div>
    }
}

/// Options for a text enum: every value, shown as itself.
pub fn enum_options<T: Copy + std::fmt::Display>(all: &[T]) -> Vec<(String, String)> {
    all.iter().map(|v| (v.to_string(), v.to_string())).collect()
}

/// A checkbox for a `0`/`1` parameter.
#[component]
pub fn FlagField(
    /// The share-link parameter.
    key: &'static str,
    /// The visible label.
    label: &'static str,
) -> impl IntoView {
    let s = state();
    let checked = s.inputs.with_untracked(|i| param_value(i, key)) == "1";
    view! {
        <div class="field check">
            <input
                id=field_id(key)
                name=key
                type="checkbox"
                checked=checked
                on:change=move |ev| s.set_param(key, label, if event_target_checked(&ev) { "1" } else { "0" })
            />
            <label for=field_id(key)>{label}</label>
        </div>
    }
}

/// A password typed into the page: kept in memory only, never in the link, storage or logs.
#[component]
pub fn SecretField(
    /// `db_password`, `redis_password` or `kafka_password`.
    key: &'static str,
    /// The visible label.
    label: &'static str,
) -> impl IntoView {
    let s = state();
    let on_input = move |ev| {
        let value = event_target_value(&ev);
        let checked = if value.is_empty() {
            Ok(None)
        } else {
            check_secret(&value).map(|()| Some(value))
        };
        match checked {
            Ok(v) => {
                s.clear_error(key);
                s.secrets.update(|secrets| match key {
                    "db_password" => secrets.db_password = v,
                    "redis_password" => secrets.redis_password = v,
                    _ => secrets.kafka_password = v,
                });
            }
            Err(e) => s.set_error(key, format!("{label} {e}.")),
        }
    };
    view! {
        <div class="field" class:invalid=move || s.error(key).is_some()>
            <label for=field_id(key)>{label}</label>
            <span class="hint" id=format!("h-{key}")>
                "optional; stays in this tab's memory only (outputs use a ${…} placeholder without it)"
            </span>
            <input
                id=field_id(key)
                type="password"
                autocomplete="new-password"
                aria-describedby=format!("h-{key} e-{key}")
                on:input=on_input
            />
            <FieldError key=key />
        </div>
    }
}
