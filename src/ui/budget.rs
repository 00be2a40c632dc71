//! The answer at a glance: an SVG bar of the database's connection slots, the same figures as a
//! table (for screen readers, and for everyone who wants the numbers), and every computed
//! number with its "why?". The blocks are markup from render/html.rs.

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::HtmlDetailsElement;

use super::state::state;
use crate::page::html::{
    budget_bar, budget_figures, budget_headline, budget_legend, budget_rows, derivation, segments,
};

/// The verdict at a glance: the headline, the bar and its legend (the first screen).
#[component]
pub fn BudgetSummary() -> impl IntoView {
    let s = state();
    let segs = Memo::new(move |_| s.plan.with(segments));
    let bar = move || segs.with(|x| budget_bar(x));
    let legend = move || segs.with(|x| budget_legend(x));
    let over = move || s.plan.with(|p| !p.budget.fits());
    view! {
        <section class="budget" aria-labelledby="budget-h">
            <h2 id="budget-h">"Connection budget"</h2>
            <p class="headline" class:over=over id="budget-headline">
                {move || s.plan.with(budget_headline)}
            </p>
            <svg class="bar" viewBox="0 0 100000 40" preserveAspectRatio="none" role="img" aria-label="Connection slots of the database server; the legend below lists the same figures" inner_html=bar></svg>
            <ul class="legend" aria-label="Connection slots" inner_html=legend></ul>
            <p class="jump"><a href="#artifacts-h">"Config files ↓"</a></p>
        </section>
    }
}

/// The figures behind the bar: the table of slots, every computed number with its "why?", and
/// the pools per service.
#[component]
pub fn BudgetView() -> impl IntoView {
    let s = state();
    let rows = move || s.plan.with(|p| budget_rows(&segments(p)));
    // The "why?" disclosures that are open: re-rendered figures keep them open, with their
    // derivation in step with the plan.
    let open = StoredValue::new(Vec::<String>::new());
    let figures = move || s.plan.with(|p| open.with_value(|o| budget_figures(p, o)));
    // `toggle` does not bubble: caught on the way down. Opening fills the derivation in.
    let on_toggle = move |ev: leptos::ev::Event| {
        let Some(details) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlDetailsElement>().ok())
        else {
            return;
        };
        let Some(path) = details.get_attribute("data-why") else {
            return;
        };
        let is_open = details.open();
        open.update_value(|o| {
            o.retain(|x| *x != path);
            if is_open {
                o.push(path.clone());
            }
        });
        if let Some(body) = details.last_element_child() {
            let html = if is_open {
                s.plan.with_untracked(|p| p.why(&path).map(derivation))
            } else {
                None
            };
            body.set_inner_html(&html.unwrap_or_default());
        }
    };
    view! {
        <section class="budget-details" aria-labelledby="figures-h">
            <h2 id="figures-h">"Figures"</h2>
            <table class="budget-table">
                <caption>"Slots of max_connections"</caption>
                <tbody inner_html=rows></tbody>
            </table>
            <div class="figures-block" on:toggle:capture=on_toggle inner_html=figures></div>
        </section>
    }
}
