use leptos::prelude::*;

use super::artifacts::ArtifactList;
use super::audit_entry::AuditEntry;
use super::budget::{BudgetSummary, BudgetView};
use super::findings::FindingsList;
use super::form::InputForm;
use super::share::ShareBar;
use super::state::{state, AppState};
use crate::browser::{embed, location, offline, storage};
use crate::calc::link;
use crate::page::html::{link_errors, rules_notice};
use crate::page::{self, Theme};

/// Reads the opening state: the link's query, else the last state saved on this device.
fn opening_state() -> AppState {
    let from_link = location::query();
    if from_link.is_empty() {
        // A saved state restores the inputs only: no page options, and no notice about
        // parameters an older version of the page wrote.
        let saved = page::parse(&storage::load().unwrap_or_default());
        AppState::new(saved.inputs, Default::default(), Vec::new())
    } else {
        let parsed = page::parse(&from_link);
        AppState::new(parsed.inputs, parsed.view, parsed.errors)
    }
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let s = opening_state();
    provide_context(s);

    // The URL and local storage follow the inputs (never the secrets, which are not inputs).
    // Written a moment after the last change (typing stays fast, and browsers throttle bursts of
    // history updates), and at once when the page is left.
    // The link is written only when it is flushed, so a burst of keystrokes serialises it once.
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let flush = move || {
        if let Some(handle) = pending.get_value() {
            handle.clear();
            pending.set_value(None);
            let with_view = s
                .inputs
                .with_untracked(|i| s.view.with_untracked(|v| page::write(i, v)));
            location::replace_query(&with_view);
            storage::save(&s.inputs.with_untracked(link::write));
        }
    };
    Effect::new(move |_| {
        s.inputs.track();
        s.view.track();
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        pending
            .set_value(set_timeout_with_handle(flush, std::time::Duration::from_millis(200)).ok());
    });
    let leave = window_event_listener_untyped("pagehide", move |_| flush());
    on_cleanup(move || leave.remove());
    // Theme: the system's preference unless the link says otherwise.
    Effect::new(move |_| {
        let theme = s.view.with(|v| v.theme).unwrap_or(Theme::Auto);
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-theme", theme.as_str());
        }
    });
    let embedded = s.view.with_untracked(|v| v.embed);
    if embedded {
        embed::post_height_to_parent();
    }
    // The service worker precaches every file: start it once the page has settled, so that its
    // downloads do not compete with the first answer.
    set_timeout(
        move || offline::register(move || s.update_ready.set(true)),
        std::time::Duration::from_millis(1000),
    );

    // index.html shows a line while the wasm loads (and lays out text early, so the fonts are
    // ready for the answer's first layout); the page replaces it.
    if let Some(boot) = document().get_element_by_id("boot") {
        boot.remove();
    }
    let block = s.view.with_untracked(|v| v.block.filter(|_| embedded));
    // The answer first, the form once the answer's frame is on screen (the frame after it
    // starts): the form's fields are about a third of the start-up work, and the answer is what
    // the page is for. `data-ready` says everything is mounted.
    let form_ready = RwSignal::new(false);
    request_animation_frame(move || {
        request_animation_frame(move || {
            set_timeout(move || form_ready.set(true), std::time::Duration::ZERO)
        })
    });
    let ready = move || {
        if embedded || form_ready.get() {
            "1"
        } else {
            "0"
        }
    };
    view! {
        <div class="page" class:embed=embedded>
            <UpdatePrompt />
            {(!embedded).then(|| view! {
                <header class="top">
                    <h1>"poolcalc"</h1>
                    <p class="tagline">
                        "Connection pools for a whole fleet on PostgreSQL, PgBouncer, Redis and Kafka: every number explained, every config file generated, all in your browser."
                    </p>
                    <ShareBar />
                </header>
            })}
            <LinkNotice />
            <RulesNotice />
            <main id="app" data-ready=ready>
                {match block {
                    Some(name) => view! { <ArtifactList only=name /> <FindingsList with_fields=false /> }.into_any(),
                    None => view! {
                        // Wide screens: the inputs on the left, and on the right the verdict, the
                        // files, the findings and the figures. Phones: the same blocks one under
                        // the other, the verdict first and the files right after the inputs.
                        <div class="layout">
                            <div class="summary"><BudgetSummary /></div>
                            <div class="form-slot">{move || form_ready.get().then(|| view! { <InputForm /> })}</div>
                            <div class="files"><ArtifactList /></div>
                            <div class="answer">
                                <FindingsList />
                                <BudgetView />
                            </div>
                        </div>
                        <AuditEntry />
                    }.into_any(),
                }}
            </main>
            {(!embedded).then(|| view! {
                <footer class="bottom">
                    <p>
                        "Computed entirely in this page; nothing you type leaves it. Passwords stay in this tab's memory only. "
                        <a href="https://github.com/brettwooldridge/HikariCP/wiki/About-Pool-Sizing" target="_blank" rel="noopener noreferrer">"Why 2 × cores?"</a>
                    </p>
                </footer>
            })}
        </div>
    }
}

/// The notice naming every parameter of the opening link that was refused.
#[component]
fn LinkNotice() -> impl IntoView {
    let s = state();
    view! {
        <div class="notice" role="alert" id="link-notice" hidden=move || s.link_errors.with(Vec::is_empty)>
            <p><strong>"Some parameters of this link were not applied; the rest were:"</strong></p>
            <ul inner_html=move || s.link_errors.with(|e| link_errors(e))></ul>
            <button type="button" on:click=move |_| s.link_errors.set(Vec::new())>"Dismiss"</button>
        </div>
    }
}

/// What changed in the rules since the opening link was made, if it was made under older ones.
#[component]
fn RulesNotice() -> impl IntoView {
    let query = location::query();
    let markup = (!query.is_empty())
        .then(|| rules_notice(page::parse(&query).made_under))
        .flatten();
    let shown = RwSignal::new(markup.is_some());
    markup.map(|m| {
        view! {
            <div class="notice" role="status" id="rules-notice" hidden=move || !shown.get()>
                <div inner_html=m></div>
                <button type="button" on:click=move |_| shown.set(false)>"Dismiss"</button>
            </div>
        }
    })
}

/// "A new version is available", with a reload button.
#[component]
fn UpdatePrompt() -> impl IntoView {
    let s = state();
    move || {
        s.update_ready.get().then(|| {
            view! {
                <div class="update" role="status" id="update-prompt">
                    "A new version of poolcalc is available. "
                    <button type="button" on:click=|_| offline::activate_update()>"Reload"</button>
                </div>
            }
        })
    }
}
