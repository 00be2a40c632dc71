//! The answer at a glance: an SVG bar of the database's connection slots and the same figures
//! as a table (for screen readers, and for everyone who wants the numbers).

use leptos::prelude::*;

use super::state::state;
use super::why::Why;
use crate::calc::pgbouncer::PgBouncerPlan;
use crate::calc::services::ServicePlan;
use crate::render::html::{budget_bar, budget_rows, segments};

/// The budget bar and table.
#[component]
pub fn BudgetView() -> impl IntoView {
    let s = state();
    // The bar and its table are output only: markup built in one go (render/html.rs).
    let bar = move || s.plan.with(|p| budget_bar(&segments(p)));
    let rows = move || s.plan.with(|p| budget_rows(&segments(p)));
    let over = move || s.plan.with(|p| p.budget.fleet_total > p.budget.usable);
    let b = move || s.plan.with(|p| p.budget.clone());
    view! {
        <section class="budget" aria-labelledby="budget-h">
            <h2 id="budget-h">"Connection budget"</h2>
            <p class="headline" class:over=over id="budget-headline">
                {move || {
                    let b = b();
                    if b.fleet_total <= b.usable {
                        format!("Fits: the fleet can open {} of {} usable slots.", b.fleet_total, b.usable)
                    } else {
                        format!("Over budget: the fleet can open {} but only {} slots are usable ({} too many).", b.fleet_total, b.usable, b.fleet_total - b.usable)
                    }
                }}
            </p>
            <svg class="bar" viewBox="0 0 100000 40" preserveAspectRatio="none" role="img" aria-label="Connection slots of the database server; the table below has the same figures" inner_html=bar></svg>
            <table class="budget-table">
                <caption>"Slots of max_connections"</caption>
                <tbody inner_html=rows></tbody>
            </table>
            <dl class="figures">
                <div><dt>"Usable slots"</dt><dd id="fig-usable">{move || b().usable}</dd><dd><Why path="budget.usable".into() /></dd></div>
                <div><dt>"Fleet total"</dt><dd id="fig-fleet">{move || b().fleet_total}</dd>
                    <dd>
                        <Why path="budget.fleet_total".into() />
                    </dd></div>
                <div><dt>"Target active"</dt><dd id="fig-target">{move || b().target_active}</dd><dd><Why path="budget.target_active".into() /></dd></div>
                <div><dt>"max_connections"</dt><dd id="fig-max">{move || b().max_connections}</dd><dd><Why path="budget.max_connections".into() /></dd></div>
            </dl>
            <ServicePools />
            <PgBouncerFigures />
        </section>
    }
}

/// Each service's pool, with its derivation. Rows are rebuilt only when the services change, so
/// a row (and its open "why?") stays in place while its numbers change.
#[component]
fn ServicePools() -> impl IntoView {
    let s = state();
    let names = Memo::new(move |_| {
        s.plan.with(|p| {
            p.services
                .iter()
                .map(|x| x.name.clone())
                .collect::<Vec<_>>()
        })
    });
    let row = move |name: String| {
        let svc = {
            let name = name.clone();
            Memo::new(move |_| {
                s.plan
                    .with(|p| p.services.iter().find(|x| x.name == name).cloned())
            })
        };
        let cell = move |f: fn(&ServicePlan) -> u64| move || svc.with(|x| x.as_ref().map(f));
        view! {
            <tr>
                <th scope="row">{name.clone()}</th>
                <td>{cell(|x| x.replicas.into())}</td>
                <td>{cell(|x| x.peak_replicas.into())}</td>
                <td class="pool">{cell(|x| x.connection_limit.into())}<Why path=format!("{name}.connection_limit") /></td>
                <td>{cell(|x| x.total)}</td>
            </tr>
        }
    };
    view! {
        <table class="pools" id="service-pools">
            <caption>"Pools per service"</caption>
            <thead><tr><th scope="col">"Service"</th><th scope="col">"Replicas"</th><th scope="col">"Peak"</th><th scope="col">"Pool each"</th><th scope="col">"Total"</th></tr></thead>
            <tbody>
                {move || names.get().into_iter().map(row).collect_view()}
            </tbody>
        </table>
    }
}

/// PgBouncer's computed settings, when PgBouncer is in use.
#[component]
fn PgBouncerFigures() -> impl IntoView {
    let s = state();
    let pgb = Memo::new(move |_| s.plan.with(|p| p.pgbouncer.clone()));
    let on = Memo::new(move |_| pgb.with(Option::is_some));
    let row = move |name: &'static str, f: fn(&PgBouncerPlan) -> u64| {
        view! {
            <div>
                <dt>{name}</dt>
                <dd>{move || pgb.with(|p| p.as_ref().map(f))}</dd>
                <dd><Why path=format!("pgbouncer.{name}") /></dd>
            </div>
        }
    };
    move || {
        on.get().then(|| {
            view! {
                <dl class="figures" aria-label="PgBouncer settings">
                    {row("default_pool_size", |p| p.default_pool_size.into())}
                    {row("reserve_pool_size", |p| p.reserve_pool_size.into())}
                    {row("max_db_connections", |p| p.max_db_connections.into())}
                    {row("max_client_conn", |p| p.max_client_conn.into())}
                    {row("fd_need", |p| p.fd_need)}
                </dl>
            }
        })
    }
}
