//! The fleet: a table of services (name, replicas, workload) with add, remove and reorder.
//! Rows are rebuilt only when the list's shape changes, so typing never loses focus.

use leptos::prelude::*;

use super::state::{state, AppState};
use crate::calc::inputs::Workload;
use crate::page::html::service_class;

/// Moves keyboard focus to an element once the DOM has caught up.
fn focus_later(id: String) {
    request_animation_frame(move || crate::browser::focus(&id));
}

/// The services table.
#[component]
pub fn ServicesTable() -> impl IntoView {
    let s = state();
    let layout = RwSignal::new(0u32);
    let relayout = move || layout.update(|n| *n += 1);
    let add = move |_| {
        let mut next = s.inputs.get_untracked();
        match next.add_service() {
            Ok(index) => {
                s.clear_error("svc");
                s.inputs.set(next);
                relayout();
                focus_later(format!("svc-name-{index}"));
            }
            Err(e) => s.set_error("svc", e),
        }
    };
    view! {
        <fieldset>
            <legend>"Services"</legend>
            <p class="hint">"Each service that talks to the database: replicas 1–10000 or an autoscaler's MIN-MAX, processes per replica, and its role."</p>
            <table class="services">
                <thead>
                    <tr>
                        <th scope="col"><span class="visually-hidden">"Colour in the budget bar"</span></th>
                        <th scope="col">"Name"</th>
                        <th scope="col" title="A count, or an autoscaler's MIN-MAX">"Replicas"</th>
                        <th scope="col" title="Processes per replica, each with its own pool">"Procs"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        layout.track();
                        let count = s.inputs.with_untracked(|i| i.services.len());
                        (0..count).map(|index| view! { <ServiceRow index=index count=count relayout=Callback::new(move |()| relayout()) /> }).collect_view()
                    }}
                </tbody>
            </table>
            <button type="button" id="svc-add" on:click=add>"Add a service"</button>
            <p class="field-error" role="alert">{move || s.error("svc")}</p>
        </fieldset>
    }
}

/// One service's row.
#[component]
fn ServiceRow(
    /// Position in the fleet.
    index: usize,
    /// How many services there are (for the move and remove buttons).
    count: usize,
    /// Rebuilds the table after a change of shape.
    relayout: Callback<()>,
) -> impl IntoView {
    let s = state();
    let svc = s.inputs.with_untracked(|i| i.services[index].clone());
    let name_key = format!("svc-{index}-name");
    let replicas_key = format!("svc-{index}-replicas");
    let procs_key = format!("svc-{index}-procs");
    // Each edit goes through the inputs' own methods (calc/fleet.rs): a refused one leaves the
    // inputs as they were and shows why next to the field.
    let edit = move |key: &str, change: &dyn Fn(&mut crate::calc::Inputs) -> Result<(), String>| {
        let mut next = s.inputs.get_untracked();
        match change(&mut next) {
            Ok(()) => {
                s.clear_error(key);
                s.inputs.set(next);
            }
            Err(e) => s.set_error(key, e),
        }
    };
    let on_name = {
        let key = name_key.clone();
        move |ev| {
            let name = event_target_value(&ev);
            edit(&key, &|i| i.rename_service(index, name.trim()));
        }
    };
    let on_replicas = {
        let key = replicas_key.clone();
        move |ev| {
            let text = event_target_value(&ev);
            edit(&key, &|i| i.set_replicas(index, &text));
        }
    };
    let on_procs = {
        let key = procs_key.clone();
        move |ev| {
            let text = event_target_value(&ev);
            edit(&key, &|i| i.set_processes(index, &text));
        }
    };
    let on_workload = move |ev| {
        let text = event_target_value(&ev);
        s.inputs.update(|i| i.set_workload(index, &text));
    };
    let swap = move |with: usize, focus: &'static str| {
        s.inputs.update(|i| i.move_service(index, with));
        relayout.run(());
        focus_later(format!("svc-{focus}-{with}"));
    };
    let remove = move |_| {
        s.inputs.update(|i| i.remove_service(index));
        relayout.run(());
        focus_later("svc-add".into());
    };
    let role = if svc.serverless {
        "serverless".to_string()
    } else {
        svc.workload.map(|w| w.to_string()).unwrap_or_default()
    };
    let workloads = std::iter::once((String::new(), "preset default".to_string()))
        .chain(Workload::ALL.iter().map(|w| (w.to_string(), w.to_string())))
        .chain(std::iter::once((
            "serverless".to_string(),
            "serverless".to_string(),
        )))
        .map(|(value, text)| {
            let selected = role == value;
            view! { <option value=value selected=selected>{text}</option> }
        })
        .collect_view();
    let replicas_text = match svc.max_replicas {
        Some(max) if max > svc.replicas => format!("{}-{max}", svc.replicas),
        _ => svc.replicas.to_string(),
    };
    view! {
        <tr>
            <td class="svc-key"><span class=service_class(index)><span class="swatch" aria-hidden="true"></span>{index + 1}</span></td>
            {text_cell(s, format!("svc-name-{index}"), format!("Service {} name", index + 1), name_key, svc.name.clone(), false, on_name)}
            {text_cell(s, format!("svc-replicas-{index}"), format!("Service {} replicas (a count or MIN-MAX)", index + 1), replicas_key, replicas_text, false, on_replicas)}
            {text_cell(s, format!("svc-procs-{index}"), format!("Service {} processes per replica", index + 1), procs_key, svc.processes.to_string(), true, on_procs)}
            <td>
                <select id=format!("svc-workload-{index}") aria-label=format!("Service {} role", index + 1) on:change=on_workload>
                    {workloads}
                </select>
            </td>
            <td class="row-actions">
                <button type="button" id=format!("svc-up-{index}") disabled=index == 0 aria-label=format!("Move service {} up", index + 1) on:click=move |_| swap(index - 1, "up")>"↑"</button>
                <button type="button" id=format!("svc-down-{index}") disabled=index + 1 == count aria-label=format!("Move service {} down", index + 1) on:click=move |_| swap(index + 1, "down")>"↓"</button>
                <button type="button" id=format!("svc-remove-{index}") disabled=count == 1 aria-label=format!("Remove service {}", index + 1) on:click=remove>"✕"</button>
            </td>
        </tr>
    }
}

/// A text cell of a service row, with its error under it.
fn text_cell(
    s: AppState,
    id: String,
    label: String,
    key: String,
    value: String,
    numeric: bool,
    on_input: impl FnMut(leptos::web_sys::Event) + 'static,
) -> impl IntoView {
    let k = key.clone();
    view! {
        <td>
            <input
                id=id
                type="text"
                inputmode=if numeric { "numeric" } else { "text" }
                autocomplete="off"
                spellcheck="false"
                aria-label=label
                aria-invalid=move || if s.error(&k).is_some() { "true" } else { "false" }
                value=value
                on:input=on_input
            />
            <p class="field-error" role="alert">{move || s.error(&key)}</p>
        </td>
    }
}
