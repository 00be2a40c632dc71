//! The input form: sections of fields described in `form_spec`, with the services table and the
//! pins between and after them.

use leptos::prelude::*;

use super::fields::Field;
use super::form_spec::{items, param_names, BOTTOM, TOP};
use super::pins::Pins;
use super::services::ServicesTable;
use super::state::state;
use crate::calc::params::{reset_section, Section};

fn sections(list: &'static [Section]) -> impl IntoView {
    list.iter()
        .map(|section| view! { <FormSection section=*section /> })
        .collect_view()
}

/// One section of the form: its essential fields, the rest under "Advanced" (which says how
/// many of them differ from the defaults), and a reset for the whole section.
#[component]
fn FormSection(
    /// Which section.
    section: Section,
) -> impl IntoView {
    let s = state();
    let (essential, advanced) = items(section);
    let advanced_names = param_names(&advanced);
    let changed = move || {
        s.changed
            .with(|c| advanced_names.iter().filter(|n| c.contains(n)).count())
    };
    let reset = move |_| {
        let mut next = s.inputs.get_untracked();
        reset_section(&mut next, section);
        s.replace_inputs(next);
    };
    let title = section.title();
    view! {
        <fieldset class="section">
            <legend>{title}</legend>
            <button type="button" class="link reset" on:click=reset aria-label=format!("Reset {title} to the defaults")>"Reset"</button>
            <div class="fields">
                {essential.into_iter().map(|item| view! { <Field item=item /> }).collect_view()}
            </div>
            {(!advanced.is_empty()).then(|| view! {
                <details class="advanced">
                    <summary id=format!("advanced-{}", section.key())>"Advanced" <span class="changed-count">{move || match changed() {
                        0 => String::new(),
                        n => format!(" · {n} changed"),
                    }}</span></summary>
                    <div class="fields">
                        {advanced.into_iter().map(|item| view! { <Field item=item /> }).collect_view()}
                    </div>
                </details>
            })}
        </fieldset>
    }
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
