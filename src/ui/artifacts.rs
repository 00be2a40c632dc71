//! The generated files as tabs: one panel at a time (a light page that updates fast), every file
//! when printing, and only the requested one in an embedded block.

use leptos::prelude::*;

use super::state::{state, AppState};
use crate::browser::{clipboard::copy_with_status, download, focus};
use crate::render::{Artifact, Context};

/// Runs `f` with the render context of the current inputs, plan, secrets and chosen service.
fn with_context<R>(s: AppState, f: impl FnOnce(&Context) -> R) -> R {
    s.inputs.with(|i| {
        s.plan.with(|p| {
            s.secrets.with(|secrets| {
                s.view
                    .with(|v| f(&Context::new(i, p, secrets).for_service(v.service.as_deref())))
            })
        })
    })
}

/// Renders one artifact for the current inputs, plan, secrets and chosen service.
fn rendered(s: AppState, artifact: Artifact) -> String {
    with_context(s, |cx| artifact.render(cx))
}

/// The files that apply to the inputs, as tabs (or only `only`, in an embed).
#[component]
pub fn ArtifactList(
    /// Show only this artifact, without tabs.
    #[prop(optional)]
    only: Option<Artifact>,
) -> impl IntoView {
    let s = state();
    let names = Memo::new(move |_| {
        s.inputs.with(|i| {
            Artifact::ALL
                .iter()
                .copied()
                .filter(|a| a.applies(i))
                .collect::<Vec<_>>()
        })
    });
    let selected = RwSignal::new(Artifact::Env);
    let printing = RwSignal::new(false);
    let on = window_event_listener_untyped("beforeprint", move |_| printing.set(true));
    let off = window_event_listener_untyped("afterprint", move |_| printing.set(false));
    on_cleanup(move || {
        on.remove();
        off.remove();
    });
    // The selected tab, or the first file that applies when the selected one stops applying.
    let current = Memo::new(move |_| {
        let list = names.get();
        let want = selected.get();
        if list.contains(&want) {
            want
        } else {
            list.first().copied().unwrap_or(Artifact::Findings)
        }
    });
    let shown = move || match (only, printing.get()) {
        (Some(one), _) => vec![one],
        (None, true) => names.get(),
        (None, false) => vec![current.get()],
    };
    let tabs = move || {
        let list = names.get();
        let step = move |name: Artifact, by: isize| {
            let list = names.get_untracked();
            let at = list.iter().position(|n| *n == name).unwrap_or(0) as isize;
            let next = list[(at + by).rem_euclid(list.len() as isize) as usize];
            selected.set(next);
            focus(&format!("tab-{next}"));
        };
        view! {
            <div class="tabs" role="tablist" aria-label="Config files">
                {list
                    .into_iter()
                    .map(|name| {
                        let active = move || current.get() == name;
                        view! {
                            <button
                                type="button"
                                role="tab"
                                id=format!("tab-{name}")
                                aria-selected=move || active().to_string()
                                aria-controls=format!("a-{name}")
                                tabindex=move || if active() { "0" } else { "-1" }
                                on:click=move |_| selected.set(name)
                                on:keydown=move |ev| match ev.key().as_str() {
                                    "ArrowRight" => step(name, 1),
                                    "ArrowLeft" => step(name, -1),
                                    _ => {}
                                }
                            >
                                {name.as_str()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        }
    };
    view! {
        <section class="artifacts" aria-labelledby="artifacts-h">
            <h2 id="artifacts-h">"Config files"</h2>
            {only.is_none().then_some(tabs)}
            {move || shown().into_iter().map(|name| view! { <ArtifactBlock name=name tabbed=only.is_none() /> }).collect_view()}
        </section>
    }
}

/// One artifact: its text, Copy and Download, and a status line for both.
#[component]
fn ArtifactBlock(
    /// Which artifact.
    name: Artifact,
    /// Whether it is a tab panel (labelled by its tab) or a block of its own.
    tabbed: bool,
) -> impl IntoView {
    let s = state();
    let text = Memo::new(move |_| rendered(s, name));
    let status = RwSignal::new(String::new());
    let file = move || with_context(s, |cx| name.file_name(cx));
    // The service whose file is shown (the render context decides: the link's, else the first).
    let chosen = move || {
        with_context(s, |cx| {
            cx.service_plan()
                .map(|x| x.name.clone())
                .unwrap_or_default()
        })
    };
    let picker = name.per_service().then(|| {
        let id = format!("svc-{name}");
        let label_for = id.clone();
        view! {
            <label class="service-pick" for=label_for>"Service "
                <select id=id prop:value=chosen on:change=move |ev| {
                    let v = event_target_value(&ev);
                    s.view.update(|view| view.service = Some(v));
                }>
                    {move || s.plan.with(|p| p.services.iter().map(|x| {
                        let n = x.name.clone();
                        view! { <option value=n.clone() selected=n == chosen()>{n.clone()}</option> }
                    }).collect_view())}
                </select>
            </label>
        }
    });
    let copy = move |_| copy_with_status(text.get_untracked(), status, "Copied");
    let save = move |_| {
        status.set(match download::download(&file(), &text.get_untracked()) {
            Ok(()) => format!("Downloaded {}", file()),
            Err(e) => e,
        });
    };
    view! {
        <article
            class="artifact"
            id=format!("a-{name}")
            role=if tabbed { "tabpanel" } else { "region" }
            aria-labelledby=if tabbed { format!("tab-{name}") } else { format!("ah-{name}") }
        >
            <header>
                <h3 id=format!("ah-{name}")>{name.as_str()}<span class="file">{move || format!(" ({})", file())}</span></h3>
                {picker}
                <div class="actions">
                    <button type="button" class="copy" aria-label=format!("Copy {name}") on:click=copy>"Copy"</button>
                    <button type="button" class="download" aria-label=format!("Download {name}") on:click=save>"Download"</button>
                    <span class="status" role="status">{move || status.get()}</span>
                </div>
            </header>
            <pre tabindex="0" aria-label=format!("{name} contents")><code>{move || text.get()}</code></pre>
        </article>
    }
}
