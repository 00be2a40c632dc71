//! One generic form field, driven by the form's layout (ui/form_spec.rs) and the parameter table
//! (calc/params.rs): a visible label, its unit and allowed range, the control, and its error next
//! to it as you type.

use leptos::prelude::*;

use super::form_spec::Item;
use super::state::{state, AppState};
use crate::calc::budget::sized_by_provider;
use crate::calc::inputs::RedisUse;
use crate::calc::params::{Kind, Param};

/// The element id of a parameter's field (findings link to it).
pub fn field_id(key: &str) -> String {
    format!("f-{key}")
}

const SECRET_HINT: &str =
    "optional; stays in this tab's memory only (outputs use a ${…} placeholder without it)";

/// A form field, shown only while it applies to the inputs.
#[component]
pub fn Field(
    /// What the field is (from the form's layout).
    item: Item,
) -> impl IntoView {
    let s = state();
    let applies = match item {
        Item::Param(p) | Item::Select(p, _) | Item::Uses(p) => p.applies,
        Item::Secret(_, _, applies) => Some(applies),
    };
    // Only fields that come and go subscribe to the inputs.
    let shown = applies.map(|f| Memo::new(move |_| s.inputs.with(f)));
    move || shown.is_none_or(|m| m.get()).then(|| field_body(s, item))
}

fn field_body(s: AppState, item: Item) -> AnyView {
    match item {
        Item::Secret(key, label, _) => secret_field(s, key, label),
        Item::Uses(p) => uses_field(s, p),
        Item::Select(p, options) => labelled(s, p, &p.form_hint(), select(s, p, options())),
        Item::Param(p) => {
            let control = match p.kind {
                Kind::Choice(values) => select(
                    s,
                    p,
                    values()
                        .into_iter()
                        .map(|v| (v.to_string(), v.to_string()))
                        .collect(),
                ),
                kind => input(s, p, kind),
            };
            labelled(s, p, &p.form_hint(), control)
        }
    }
}

/// The label, hint and error around a control.
fn labelled(s: AppState, p: &'static Param, hint: &str, control: AnyView) -> AnyView {
    let key = p.name;
    let id = field_id(key);
    let error = move || s.error(key);
    // Marked when it differs from the value a link starts from (the section's reset restores it).
    let changed = move || s.changed.with(|c| c.contains(&key));
    view! {
        <div class="field" class:check=matches!(p.kind, Kind::Flag) class:invalid=move || error().is_some() class:changed=changed>
            <label for=id>{p.label}</label>
            <span class="changed-mark">{move || changed().then_some("changed")}</span>
            <span class="hint" id=format!("h-{key}")>{hint.to_string()}</span>
            {control}
            <p class="field-error" id=format!("e-{key}") role="alert">{error}</p>
        </div>
    }
    .into_any()
}

fn select(s: AppState, p: &'static Param, options: Vec<(String, String)>) -> AnyView {
    let key = p.name;
    let current = s.inputs.with_untracked(|i| (p.get)(i));
    let options = options
        .into_iter()
        .map(|(value, text)| {
            let selected = value == current;
            view! { <option value=value selected=selected>{text}</option> }
        })
        .collect_view();
    view! {
        <select id=field_id(key) name=key aria-describedby=format!("h-{key} e-{key}") on:change=move |ev| s.set_param(key, p.label, &event_target_value(&ev))>
            {options}
        </select>
    }
    .into_any()
}

fn input(s: AppState, p: &'static Param, kind: Kind) -> AnyView {
    let key = p.name;
    let flag = matches!(kind, Kind::Flag);
    // A provider preset may decide the value: the field shows the plan's, greyed out.
    let sized = p.sized.map(|from_plan| {
        (
            from_plan,
            Memo::new(move |_| s.inputs.with(sized_by_provider)),
        )
    });
    let is_sized = move || sized.is_some_and(|(_, m)| m.get());
    let initial = s.inputs.with_untracked(|i| (p.get)(i));
    let shown_value = move || match sized {
        Some((from_plan, m)) if m.get() => s.plan.with(from_plan).to_string(),
        _ => s.inputs.with_untracked(|i| (p.get)(i)),
    };
    let on_input = move |ev| {
        if flag {
            s.set_param(
                key,
                p.label,
                if event_target_checked(&ev) { "1" } else { "0" },
            );
        } else {
            s.set_param(key, p.label, &event_target_value(&ev));
        }
    };
    view! {
        <input
            id=field_id(key)
            name=key
            type=if flag { "checkbox" } else { "text" }
            inputmode=if matches!(kind, Kind::Number { .. }) { "numeric" } else { "text" }
            autocomplete="off"
            spellcheck="false"
            value=initial.clone()
            checked=initial == "1"
            prop:value=shown_value
            disabled=is_sized
            aria-invalid=move || if s.error(key).is_some() { "true" } else { "false" }
            aria-describedby=format!("h-{key} e-{key}")
            on:input=on_input
        />
    }
    .into_any()
}

/// A password: memory only, never the link, storage or logs.
fn secret_field(s: AppState, key: &'static str, label: &'static str) -> AnyView {
    let id = field_id(key);
    let error = move || s.error(key);
    let on_input = move |ev| {
        let value = event_target_value(&ev);
        let mut next = s.secrets.get_untracked();
        match next.set(key, &value) {
            Ok(()) => {
                s.clear_error(key);
                s.secrets.set(next);
            }
            Err(e) => s.set_error(key, format!("{label} {e}.")),
        }
    };
    view! {
        <div class="field" class:invalid=move || error().is_some()>
            <label for=id.clone()>{label}</label>
            <span class="hint" id=format!("h-{key}")>{SECRET_HINT}</span>
            <input id=id name=key type="password" autocomplete="new-password" spellcheck="false"
                aria-invalid=move || if error().is_some() { "true" } else { "false" }
                aria-describedby=format!("h-{key} e-{key}") on:input=on_input />
            <p class="field-error" id=format!("e-{key}") role="alert">{error}</p>
        </div>
    }
    .into_any()
}

/// The Redis uses as checkboxes in their own group (at least one stays on).
fn uses_field(s: AppState, p: &'static Param) -> AnyView {
    let boxes = RedisUse::ALL
        .iter()
        .map(|&u| {
            let id = format!("f-redis_use-{u}");
            let checked = s.inputs.with_untracked(|i| i.redis.uses.contains(&u));
            let toggle = move |ev| {
                let mut next = s.inputs.get_untracked();
                match next.set_redis_use(u, event_target_checked(&ev)) {
                    Ok(()) => {
                        s.clear_error(p.name);
                        s.inputs.set(next);
                    }
                    Err(e) => s.set_error(p.name, e),
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
            <legend>{p.label}</legend>
            <span class="hint">{p.hint}</span>
            {boxes}
            <p class="field-error" role="alert">{move || s.error(p.name)}</p>
        </fieldset>
    }
    .into_any()
}
