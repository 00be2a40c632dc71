//! The generated files: one block each, with Copy and Download.

use leptos::prelude::*;

use super::state::state;
use crate::browser::{clipboard, download};
use crate::render::file_name;

/// Every artifact that applies to the inputs (or only `only`, in an embed).
#[component]
pub fn ArtifactList(
    /// Show only this artifact.
    #[prop(optional)]
    only: Option<String>,
) -> impl IntoView {
    let s = state();
    let names = Memo::new(move |_| {
        s.artifacts
            .with(|a| a.iter().map(|(n, _)| *n).collect::<Vec<_>>())
    });
    let only = StoredValue::new(only);
    view! {
        <section class="artifacts" aria-labelledby="artifacts-h">
            <h2 id="artifacts-h">"Config files"</h2>
            {move || {
                let names = names.get();
                let list: Vec<&'static str> = match only.get_value() {
                    Some(one) => names.into_iter().filter(|n| *n == one).collect(),
                    None => names,
                };
                if list.is_empty() {
                    return view! { <p>"This file does not apply to these inputs."</p> }.into_any();
                }
                let nav = (list.len() > 1).then(|| view! {
                    <nav class="artifact-nav" aria-label="Config files">
                        {list.iter().map(|n| view! { <a href=format!("#a-{n}")>{*n}</a> }).collect_view()}
                    </nav>
                });
                view! { {nav} {list.into_iter().map(|name| view! { <ArtifactBlock name=name /> }).collect_view()} }.into_any()
            }}
        </section>
    }
}

/// One artifact: its text, Copy and Download, and a status line for both.
#[component]
fn ArtifactBlock(
    /// The artifact's name (calc::query::ARTIFACTS).
    name: &'static str,
) -> impl IntoView {
    let s = state();
    let text = Memo::new(move |_| {
        s.artifacts.with(|a| {
            a.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| t.clone())
                .unwrap_or_default()
        })
    });
    let status = RwSignal::new(String::new());
    let file = move || s.inputs.with(|i| file_name(name, i));
    let copy = move |_| {
        let t = text.get_untracked();
        leptos::task::spawn_local(async move {
            status.set(match clipboard::copy(&t).await {
                Ok(()) => "Copied".into(),
                Err(e) => e,
            });
        });
    };
    let save = move |_| {
        status.set(match download::download(file(), &text.get_untracked()) {
            Ok(()) => format!("Downloaded {}", file()),
            Err(e) => e,
        });
    };
    view! {
        <article class="artifact" id=format!("a-{name}") aria-labelledby=format!("ah-{name}")>
            <header>
                <h3 id=format!("ah-{name}")>{name}<span class="file">{move || format!(" ({})", file())}</span></h3>
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
