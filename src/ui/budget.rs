//! The answer at a glance: an SVG bar of the database's connection slots and the same figures
//! as a table (for screen readers, and for everyone who wants the numbers).

use leptos::prelude::*;

use super::state::state;
use super::why::Why;
use crate::calc::Plan;

/// One stretch of the bar.
struct Segment {
    label: String,
    slots: u64,
    class: &'static str,
}

fn segments(p: &Plan) -> Vec<Segment> {
    let b = &p.budget;
    let mut out = vec![
        Segment {
            label: "reserved".into(),
            slots: u64::from(b.reserved + b.provider_reserved),
            class: "seg-reserved",
        },
        Segment {
            label: "headroom".into(),
            slots: u64::from(b.headroom),
            class: "seg-headroom",
        },
    ];
    if let Some(pgb) = &p.pgbouncer {
        out.push(Segment {
            label: format!(
                "PgBouncer server pools ({} × {})",
                pgb.instances, pgb.server_connections_per_instance
            ),
            slots: u64::from(b.fleet_total),
            class: "seg-pooler",
        });
    } else if let Some(sv) = &p.supavisor {
        out.push(Segment {
            label: "Supavisor pool".into(),
            slots: u64::from(sv.pool_size),
            class: "seg-pooler",
        });
    } else {
        for (i, svc) in p.services.iter().enumerate() {
            out.push(Segment {
                label: format!("{} (with surge)", svc.name),
                slots: svc.total,
                class: if i % 2 == 0 { "seg-a" } else { "seg-b" },
            });
        }
    }
    let used: u64 = out.iter().map(|s| s.slots).sum();
    let max = u64::from(b.max_connections);
    if used <= max {
        out.push(Segment {
            label: "free".into(),
            slots: max - used,
            class: "seg-free",
        });
    } else {
        out.push(Segment {
            label: "over max_connections".into(),
            slots: used - max,
            class: "seg-over",
        });
    }
    out
}

/// The budget bar and table.
#[component]
pub fn BudgetView() -> impl IntoView {
    let s = state();
    let bar = move || {
        s.plan.with(|p| {
            let segs = segments(p);
            let total: u64 = segs.iter().map(|s| s.slots).sum::<u64>().max(1);
            // Integer geometry on a 0..100000 axis (viewBox), so no float formatting is needed.
            let mut x = 0u64;
            segs.iter()
                .filter(|seg| seg.slots > 0)
                .map(|seg| {
                    let w = seg.slots * 100_000 / total;
                    let rect = view! {
                        <rect x=x.to_string() y="0" width=w.max(1).to_string() height="40" class=seg.class>
                            <title>{format!("{}: {}", seg.label, seg.slots)}</title>
                        </rect>
                    };
                    x += w;
                    rect
                })
                .collect_view()
        })
    };
    let rows = move || {
        s.plan.with(|p| {
            segments(p)
                .into_iter()
                .map(|seg| view! { <tr class=seg.class><th scope="row"><span class="swatch" aria-hidden="true"></span>{seg.label}</th><td>{seg.slots}</td></tr> })
                .collect_view()
        })
    };
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
            <svg class="bar" viewBox="0 0 100000 40" preserveAspectRatio="none" role="img" aria-label="Connection slots of the database server; the table below has the same figures">
                {bar}
            </svg>
            <table class="budget-table">
                <caption>"Slots of max_connections"</caption>
                <tbody>{rows}</tbody>
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

/// Each service's pool, with its derivation.
#[component]
fn ServicePools() -> impl IntoView {
    let s = state();
    let rows = move || {
        s.plan.with(|p| {
            p.services
                .iter()
                .map(|svc| {
                    view! {
                        <tr>
                            <th scope="row">{svc.name.clone()}</th>
                            <td>{svc.replicas}</td>
                            <td>{svc.peak_replicas}</td>
                            <td class="pool">{svc.connection_limit}<Why path=format!("{}.connection_limit", svc.name) /></td>
                            <td>{svc.total}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <table class="pools" id="service-pools">
            <caption>"Pools per service"</caption>
            <thead><tr><th scope="col">"Service"</th><th scope="col">"Replicas"</th><th scope="col">"Peak"</th><th scope="col">"Pool each"</th><th scope="col">"Total"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// PgBouncer's computed settings, when PgBouncer is in use.
#[component]
fn PgBouncerFigures() -> impl IntoView {
    let s = state();
    move || {
        s.plan.with(|p| {
            p.pgbouncer.as_ref().map(|pgb| {
                let row = |name: &'static str, value: String| {
                    view! { <div><dt>{name}</dt><dd>{value}</dd><dd><Why path=format!("pgbouncer.{name}") /></dd></div> }
                };
                view! {
                    <dl class="figures" aria-label="PgBouncer settings">
                        {row("default_pool_size", pgb.default_pool_size.to_string())}
                        {row("reserve_pool_size", pgb.reserve_pool_size.to_string())}
                        {row("max_db_connections", pgb.max_db_connections.to_string())}
                        {row("max_client_conn", pgb.max_client_conn.to_string())}
                        {row("fd_need", pgb.fd_need.to_string())}
                    </dl>
                }
            })
        })
    }
}
