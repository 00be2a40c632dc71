//! The input form: sections of fields described in `form_spec`, with the services table and the
//! pins between and after them.

use leptos::prelude::*;

use super::fields::Field;
use super::form_spec::{items, BOTTOM, TOP};
use super::pins::Pins;
use super::services::ServicesTable;
use super::state::state;
use crate::calc::params::Section;

fn sections(list: &'static [Section]) -> impl IntoView {
    list.iter()
        .map(|section| {
            view! {
                <fieldset>
                    <legend>{section.title()}</legend>
                    {items(*section).into_iter().map(|item| view! { <Field item=item /> }).collect_view()}
                </fieldset>
            }
        })
        .collect_view()
}

/// The whole form; rebuilt from the inputs when they are replaced as a whole.
#[component]
pub fn InputForm() -> impl IntoView {
    let s = state();
    move || {
        s.revision.track();
        view! {
            <form class="inputs" aria-label="Inputs" on:submit=|ev| ev.prevent_default()>
                {sections(TOP)}
                <ServicesTable />
                {sections(BOTTOM)}
                <Pins />
            </form>
        }
    }
}
