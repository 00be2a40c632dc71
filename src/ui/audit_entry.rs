//! Where the page offers the audit: a button that loads it (its own wasm, fetched only then) into
//! `#audit-root`.

use leptos::prelude::*;

use crate::browser::audit_loader;

/// The audit's place on the page.
#[component]
pub fn AuditEntry() -> impl IntoView {
    // 0: not loaded, 1: loading, 2: mounted.
    let stage = RwSignal::new(0u8);
    let message = RwSignal::new(String::new());
    let open = move |_| {
        if stage.get_untracked() != 0 {
            return;
        }
        stage.set(1);
        message.set(String::new());
        audit_loader::open(move |result| match result {
            Ok(()) => stage.set(2),
            Err(e) => {
                stage.set(0);
                message.set(e);
            }
        });
    };
    view! {
        <section class="audit" aria-labelledby="audit-h">
            <h2 id="audit-h">"Audit the configs you run"</h2>
            <p class="hint">"Paste pgbouncer.ini, userlist.txt, .env files, client options or psql output: see what will break at which line, how they differ from this plan, and adopt them as a link."</p>
            {move || (stage.get() != 2).then(|| view! {
                <button type="button" id="audit-open" on:click=open disabled=move || stage.get() == 1>
                    {move || if stage.get() == 1 { "Loading the audit…" } else { "Open the audit" }}
                </button>
            })}
            <p class="status" role="status">{move || message.get()}</p>
            <div id="audit-root"></div>
        </section>
    }
}
