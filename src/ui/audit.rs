//! The audit view (its own wasm app, loaded when opened): texts pasted, dropped or chosen as
//! files, each with its kind; the report (findings at their lines, the settings beside the plan)
//! from `crate::audit`; and "Adopt", a link to the page with what the texts say. The texts stay
//! in this tab's memory: they are not written to the link, to storage, or anywhere else.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::audit::{self, show, Kind, Pasted};
use crate::browser::location;
use crate::calc::Severity;
use crate::page;

/// One text of the audit.
#[derive(Clone, Copy)]
struct Entry {
    id: u32,
    name: RwSignal<String>,
    kind: RwSignal<Kind>,
    text: RwSignal<String>,
}

impl Entry {
    fn new(id: u32, name: String, text: String) -> Self {
        Entry {
            id,
            name: RwSignal::new(name),
            kind: RwSignal::new(Kind::Auto),
            text: RwSignal::new(text),
        }
    }
}

/// What the last audit gave: its markup, the adopting link and a one-line count.
#[derive(Clone)]
struct Outcome {
    html: String,
    link: String,
    summary: String,
}

/// Reads the files of a file list into new entries (or an error message).
fn read_files(
    files: web_sys::FileList,
    entries: RwSignal<Vec<Entry>>,
    next: StoredValue<u32>,
    status: RwSignal<String>,
) {
    for i in 0..files.length() {
        let Some(file) = files.get(i) else { continue };
        let name = file.name();
        if file.size() > audit::MAX_BYTES as f64 {
            status.set(format!(
                "{name} is larger than {} KiB: paste the configuration itself.",
                audit::MAX_BYTES / 1024
            ));
            continue;
        }
        let promise = file.text();
        wasm_bindgen_futures::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(text) => {
                    let text = text.as_string().unwrap_or_default();
                    let id = next.get_value();
                    next.set_value(id + 1);
                    entries.update(|list| {
                        // A first, still empty text takes the file; later files add texts.
                        match list
                            .iter()
                            .find(|e| e.text.with_untracked(String::is_empty))
                        {
                            Some(e) => {
                                e.name.set(name);
                                e.text.set(text);
                            }
                            None => list.push(Entry::new(id, name, text)),
                        }
                    });
                }
                Err(_) => status.set(format!("{name} could not be read.")),
            }
        });
    }
}

/// The audit view, mounted by the audit app into `#audit-root`.
#[component]
pub fn AuditApp() -> impl IntoView {
    let next = StoredValue::new(1u32);
    let entries = RwSignal::new(vec![Entry::new(0, String::new(), String::new())]);
    let outcome = RwSignal::new(None::<Outcome>);
    let status = RwSignal::new(String::new());
    let add = move |_| {
        let id = next.get_value();
        next.set_value(id + 1);
        entries.update(|l| l.push(Entry::new(id, String::new(), String::new())));
    };
    let run = move |_| {
        let texts: Vec<Pasted> = entries.with_untracked(|list| {
            list.iter()
                .enumerate()
                .filter(|(_, e)| e.text.with_untracked(|t| !t.trim().is_empty()))
                .map(|(i, e)| Pasted {
                    name: e.name.with_untracked(|n| {
                        if n.trim().is_empty() {
                            format!("text {}", i + 1)
                        } else {
                            n.trim().to_string()
                        }
                    }),
                    kind: e.kind.get_untracked(),
                    text: e.text.get_untracked(),
                })
                .collect()
        });
        if texts.is_empty() {
            status.set("Paste a configuration first.".into());
            return;
        }
        status.set(String::new());
        let base = page::parse(&location::query()).inputs;
        let report = audit::audit(&base, &texts);
        let n = |s: Severity| {
            report
                .findings
                .iter()
                .filter(|f| f.finding.severity == s)
                .count()
        };
        let summary = format!(
            "{} error(s), {} warning(s), {} note(s); {} setting(s) read, {} differ from the plan.",
            n(Severity::Error),
            n(Severity::Warning),
            n(Severity::Info),
            report.rows.len(),
            report.rows.iter().filter(|r| r.differs).count()
        );
        outcome.set(Some(Outcome {
            html: show::html(&report, &texts),
            link: report.link.clone(),
            summary,
        }));
    };
    let on_files = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(files) = input.files() {
            read_files(files, entries, next, status);
        }
        input.set_value("");
    };
    view! {
        <div class="audit-app">
            <p class="hint">
                "Paste or drop what you run: pgbouncer.ini, userlist.txt, a service's .env or its DATABASE_URL, ioredis or KafkaJS options (JSON or an object literal), or the psql output of diagnostics.sql. Each text is read the way its program reads it and judged against the plan on this page. Nothing leaves this page; passwords are masked and never go into the link."
            </p>
            <ol class="audit-texts">
                <For each=move || entries.get() key=|e| e.id let:e>
                    <TextEntry entry=e entries=entries next=next status=status />
                </For>
            </ol>
            <div class="actions">
                <button type="button" on:click=add>"Add a text"</button>
                <label class="file-pick">"Or choose files "
                    <input type="file" multiple on:change=on_files />
                </label>
                <button type="button" class="primary" id="audit-run" on:click=run>"Audit"</button>
            </div>
            <p class="status" role="status">{move || status.get()}</p>
            {move || outcome.get().map(|o| view! {
                <section class="audit-result" aria-labelledby="audit-result-h">
                    <h3 id="audit-result-h">"Report"</h3>
                    <p class="hint" aria-live="polite">{o.summary.clone()}</p>
                    <p><a class="button adopt" id="audit-adopt" href=format!("?{}", o.link)>"Adopt: open the plan with these settings"</a></p>
                    <div class="audit-report" inner_html=o.html.clone()></div>
                </section>
            })}
        </div>
    }
}

/// One text: its name, its kind, the text itself (paste, type, or drop a file on it).
#[component]
fn TextEntry(
    /// The text.
    entry: Entry,
    /// The list it is in (for removing it, and for dropped files).
    entries: RwSignal<Vec<Entry>>,
    /// The next entry id.
    next: StoredValue<u32>,
    /// Where read errors are said.
    status: RwSignal<String>,
) -> impl IntoView {
    let id = entry.id;
    let remove = move |_| entries.update(|l| l.retain(|e| e.id != id));
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        if let Some(files) = ev.data_transfer().and_then(|d| d.files()) {
            if files.length() > 0 {
                entry.text.set(String::new());
                read_files(files, entries, next, status);
            }
        }
    };
    let kinds = Kind::ALL
        .iter()
        .map(|k| {
            let v = k.as_str();
            let label = if *k == Kind::Auto { "recognise it" } else { v };
            view! { <option value=v selected=move || entry.kind.get() == *k>{label}</option> }
        })
        .collect_view();
    view! {
        <li class="audit-text">
            <div class="audit-text-head">
                <label>"Name "
                    <input type="text" placeholder="e.g. pgbouncer.ini or api.env" prop:value=move || entry.name.get()
                        on:input=move |ev| entry.name.set(event_target_value(&ev)) />
                </label>
                <label>"Kind "
                    <select on:change=move |ev| {
                        if let Ok(k) = event_target_value(&ev).parse::<Kind>() {
                            entry.kind.set(k);
                        }
                    }>{kinds}</select>
                </label>
                <button type="button" class="link" on:click=remove>"Remove"</button>
            </div>
            <textarea rows="8" spellcheck="false" autocomplete="off" aria-label=move || format!("Text {} to audit", id + 1)
                prop:value=move || entry.text.get()
                on:input=move |ev| entry.text.set(event_target_value(&ev))
                on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default()
                on:drop=on_drop></textarea>
        </li>
    }
}

/// Mounts the audit view into `#audit-root` (the page renders that element).
pub fn mount() {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("audit-root"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(root) = root {
        leptos::mount::mount_to(root, AuditApp).forget();
    }
}
