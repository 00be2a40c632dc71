//! Pinned values (`set=PATH:VALUE`), with a way to unpin each.

use leptos::prelude::*;

use super::state::state;

/// The list of pins in force, shown only when there are some.
#[component]
pub fn Pins() -> impl IntoView {
    let s = state();
    let pins = Memo::new(move |_| s.inputs.with(|i| i.pins.clone()));
    move || {
        let list = pins.get();
        (!list.is_empty()).then(|| {
            view! {
                <fieldset>
                    <legend>"Pinned values"</legend>
                    <p class="hint">"Kept as given; everything else is recomputed around them."</p>
                    <ul class="pins">
                        {list
                            .into_iter()
                            .map(|pin| {
                                let path = pin.path.clone();
                                view! {
                                    <li>
                                        <code>{format!("{} = {}", pin.path, pin.value)}</code>
                                        <button
                                            type="button"
                                            aria-label=format!("Unpin {}", pin.path)
                                            on:click=move |_| s.inputs.update(|i| i.pins.retain(|p| p.path != path))
                                        >
                                            "Unpin"
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </fieldset>
            }
        })
    }
}
