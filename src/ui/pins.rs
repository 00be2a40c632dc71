//! Pinned values (`set=PATH:VALUE`), with a way to unpin each.

use leptos::prelude::*;

use super::state::state;
use crate::browser::data_attribute;
use crate::page::html::pins;

/// The list of pins in force, shown only when there are some.
#[component]
pub fn Pins() -> impl IntoView {
    let s = state();
    let list = Memo::new(move |_| s.inputs.with(|i| i.pins.clone()));
    let unpin = move |ev: leptos::ev::MouseEvent| {
        if let Some(path) = data_attribute(&ev, "data-unpin") {
            s.inputs.update(|i| i.pins.retain(|p| p.path != path));
        }
    };
    view! {
        <fieldset hidden=move || list.with(Vec::is_empty)>
            <legend>"Pinned values"</legend>
            <p class="hint">"Kept as given; everything else is recomputed around them."</p>
            <ul class="pins" on:click=unpin inner_html=move || list.with(|l| pins(l))></ul>
        </fieldset>
    }
}
