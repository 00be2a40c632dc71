//! Sharing: copy the link, and the `<iframe>` snippet for embedding the current state.

use leptos::prelude::*;

use super::state::state;
use crate::browser::{clipboard::copy_with_status, location};
use crate::calc::Inputs;
use crate::page::{self, View};
use crate::render::escape::html_attr;
use crate::render::Artifact;

/// Copy link and Embed controls.
#[component]
pub fn ShareBar() -> impl IntoView {
    let s = state();
    let status = RwSignal::new(String::new());
    let embed_open = RwSignal::new(false);
    let block = RwSignal::new(String::new());
    let copy_link = move |_| {
        // From the inputs, not the address bar, which follows them a moment later.
        let href = format!(
            "{}?{}",
            location::base_url(),
            s.inputs
                .with_untracked(|i| s.view.with_untracked(|v| page::write(i, v)))
        );
        copy_with_status(href, status, "Link copied");
    };
    let snippet = move || {
        let view = View {
            embed: true,
            block: block.get().parse::<Artifact>().ok(),
            theme: None,
            service: s.view.with(|v| v.service.clone()),
        };
        let src = format!(
            "{}?{}",
            location::base_url(),
            s.inputs.with(|i| page::write(i, &view))
        );
        let attr = html_attr(&src);
        format!("<iframe src={attr} title=\"poolcalc\" width=\"100%\" height=\"640\" loading=\"lazy\"></iframe>")
    };
    let copy_snippet = move |_| copy_with_status(snippet(), status, "Embed snippet copied");
    view! {
        <div class="share">
            <button type="button" id="copy-link" on:click=copy_link>"Copy link"</button>
            <button type="button" id="embed-toggle" aria-expanded=move || embed_open.get().to_string() aria-controls="embed-panel" on:click=move |_| embed_open.update(|o| *o = !*o)>
                "Embed"
            </button>
            <button type="button" id="reset" on:click=move |_| s.replace_inputs(Inputs::default())>"Reset to defaults"</button>
            <span class="status" role="status">{move || status.get()}</span>
            <div id="embed-panel" class="embed-panel" hidden=move || !embed_open.get()>
                <label for="embed-block">"Show"</label>
                <select id="embed-block" on:change=move |ev| block.set(event_target_value(&ev))>
                    <option value="">"the whole calculator"</option>
                    {Artifact::ALL.iter().map(|a| view! { <option value=a.as_str()>{format!("only {a}")}</option> }).collect_view()}
                </select>
                <label for="embed-snippet">"Paste this into your docs"</label>
                <textarea id="embed-snippet" readonly rows="3" prop:value=move || if embed_open.get() { snippet() } else { String::new() }></textarea>
                <button type="button" id="copy-embed" on:click=copy_snippet>"Copy snippet"</button>
            </div>
        </div>
    }
}
