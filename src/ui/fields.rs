//! One generic form field, driven by a `Spec` (ui/form_spec.rs): a visible label, its unit and
//! allowed range, the control, and its error next to it as you type.

use leptos::prelude::*;

use super::form_spec::{sized_by_preset, Control, Spec};
use super::state::{state, AppState};
use crate::calc::inputs::RedisUse;
use crate::calc::query::param_value;
use crate::render::secrets::check_secret;

/// The element id of a parameter's field (findings link to it).
pub fn field_id(key: &str) -> String {
    format!("f-{key}")
}

const SECRET_HINT: &str =
    "optional; stays in this tab's memory only (outputs use a ${…} placeholder without it)";

/// Applies a secret typed into the page: memory only, never the link, storage or logs.
fn set_secret(s: AppState, spec: &Spec, value: String) {
    let checked = if value.is_empty() {
        Ok(None)
    } else {
        check_secret(&value).map(|()| Some(value))
    };
    match checked {
        Ok(v) => {
            s.clear_error(spec.key);
            s.secrets.update(|secrets| match spec.key {
                "db_password" => secrets.db_password = v,
                "redis_password" => secrets.redis_password = v,
                _ => secrets.kafka_password = v,
            });
        }
        Err(e) => s.set_error(spec.key, format!("{} {e}.", spec.label)),
    }
}

/// A form field for one parameter, shown only while it applies to the inputs.
#[component]
pub fn Field(
    /// What the field is (parameter, label, hint, control, when it shows).
    spec: &'static Spec,
) -> impl IntoView {
    let s = state();
    // Only fields that come and go subscribe to the inputs.
    let shown = spec
        .show
        .map(|show| Memo::new(move |_| s.inputs.with(show)));
    move || shown.is_none_or(|m| m.get()).then(|| field_body(s, spec))
}

fn field_body(s: AppState, spec: &'static Spec) -> AnyView {
    let key = spec.key;
    let id = field_id(key);
    let described = format!("h-{key} e-{key}");
    let hint = if matches!(spec.control, Control::Secret) {
        SECRET_HINT
    } else {
        spec.hint
    };
    let error = move || s.error(key);
    let control = match spec.control {
        Control::Select(options) => {
            let current = s.inputs.with_untracked(|i| param_value(i, key));
            let options = options()
                .into_iter()
                .map(|(value, text)| {
                    let selected = value == current;
                    view! { <option value=value selected=selected>{text}</option> }
                })
                .collect_view();
            view! {
                <select id=id.clone() name=key aria-describedby=described on:change=move |ev| s.set_param(key, spec.label, &event_target_value(&ev))>
                    {options}
                </select>
            }
            .into_any()
        }
        Control::Uses => return uses_field(s, spec),
        control => {
            let sized = matches!(control, Control::Sized)
                .then(|| Memo::new(move |_| s.inputs.with(sized_by_preset)));
            let sized = move || sized.is_some_and(|m| m.get());
            let input_type = match control {
                Control::Secret => "password",
                Control::Flag => "checkbox",
                _ => "text",
            };
            let initial = s.inputs.with_untracked(|i| param_value(i, key));
            let shown_value = move || {
                if sized() {
                    // The value the plan uses, not the one typed.
                    s.plan
                        .with(|p| {
                            if key == "db_cores" {
                                p.budget.db_cores
                            } else {
                                p.budget.max_connections
                            }
                        })
                        .to_string()
                } else {
                    s.inputs.with_untracked(|i| param_value(i, key))
                }
            };
            let on_input = move |ev| match control {
                Control::Secret => set_secret(s, spec, event_target_value(&ev)),
                Control::Flag => s.set_param(
                    key,
                    spec.label,
                    if event_target_checked(&ev) { "1" } else { "0" },
                ),
                _ => s.set_param(key, spec.label, &event_target_value(&ev)),
            };
            view! {
                <input
                    id=id.clone()
                    name=key
                    type=input_type
                    inputmode=if matches!(control, Control::Number | Control::Sized) { "numeric" } else { "text" }
                    autocomplete=if matches!(control, Control::Secret) { "new-password" } else { "off" }
                    spellcheck="false"
                    value=initial.clone()
                    checked=initial == "1"
                    prop:value=shown_value
                    disabled=sized
                    aria-invalid=move || if error().is_some() { "true" } else { "false" }
                    aria-describedby=described
                    on:input=on_input
                />
            }
            .into_any()
        }
    };
    view! {
        <div class="field" class:check=matches!(spec.control, Control::Flag) class:invalid=move || error().is_some()>
            <label for=id>{spec.label}</label>
            <span class="hint" id=format!("h-{key}")>{hint}</span>
            {control}
            <p class="field-error" id=format!("e-{key}") role="alert">{error}</p>
        </div>
    }
    .into_any()
}

/// The Redis uses as checkboxes in their own group (at least one stays on).
fn uses_field(s: AppState, spec: &'static Spec) -> AnyView {
    let boxes = RedisUse::ALL
        .iter()
        .map(|&u| {
            let id = format!("f-redis_use-{u}");
            let checked = s.inputs.with_untracked(|i| i.redis.uses.contains(&u));
            let toggle = move |ev| {
                let on = event_target_checked(&ev);
                let mut uses = s.inputs.with_untracked(|i| i.redis.uses.clone());
                uses.retain(|x| *x != u);
                if on {
                    uses.push(u);
                }
                let text: Vec<&str> = RedisUse::ALL
                    .iter()
                    .filter(|x| uses.contains(x))
                    .map(|x| x.as_str())
                    .collect();
                if text.is_empty() {
                    s.set_error(
                        spec.key,
                        "Redis uses must include at least one of cache, queue or pubsub.".into(),
                    );
                } else {
                    s.set_param(spec.key, spec.label, &text.join(","));
                }
            };
            view! {
                <span class="check">
                    <input type="checkbox" id=id.clone() checked=checked on:change=toggle />
                    <label for=id>{u.to_string()}</label>
                </span>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field" id="f-redis_use">
            <legend>{spec.label}</legend>
            <span class="hint">{spec.hint}</span>
            {boxes}
            <p class="field-error" role="alert">{move || s.error(spec.key)}</p>
        </fieldset>
    }
    .into_any()
}
