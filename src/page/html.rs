//! The page's read-only blocks as HTML text: the budget bar and table, the findings, a
//! derivation, the pins and the refused link parameters. The page sets each as an element's
//! markup in one go; one builder per block is far less wasm than a typed view per element.
//! Every value is escaped (`html_text`, `html_attr`), so no input can become markup; the
//! buttons carry `data-` attributes that the page's click handlers read.

use std::fmt::Write;

use crate::calc::inputs::Pin;
use crate::calc::link::ParamError;
use crate::calc::{Derivation, Finding, Plan, Severity};
use crate::render::escape::{html_attr, html_text};

/// The budget's verdict in one sentence.
pub fn budget_headline(p: &Plan) -> String {
    let b = &p.budget;
    if b.fits() {
        format!(
            "Fits: the fleet can open {} of {} usable slots.",
            b.fleet_total, b.usable
        )
    } else {
        format!(
            "Over budget: the fleet can open {} but only {} slots are usable ({} too many).",
            b.fleet_total,
            b.usable,
            b.over_by()
        )
    }
}

/// The services' classes in the bar and its legend: eight colours from a palette that stays
/// distinct for the common colour-vision deficiencies (Okabe and Ito), every other one hatched as
/// well, and each labelled with its number, so colour is never the only clue.
const SERVICE_CLASSES: [&str; 8] = [
    "seg-s0",
    "seg-s1 hatched",
    "seg-s2",
    "seg-s3 hatched",
    "seg-s4",
    "seg-s5 hatched",
    "seg-s6",
    "seg-s7 hatched",
];

/// The class of the `index`th service (0-based), for its swatch in the services table.
pub fn service_class(index: usize) -> &'static str {
    SERVICE_CLASSES[index % SERVICE_CLASSES.len()]
}

/// One stretch of the budget bar.
#[derive(Clone, PartialEq)]
pub struct Segment {
    pub label: String,
    pub slots: u64,
    pub class: &'static str,
}

/// The stretches of the database's `max_connections`: reserved, headroom, what the fleet (or its
/// pooler) can open, and what is left or over.
pub fn segments(p: &Plan) -> Vec<Segment> {
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
                label: format!("{} {} (with surge)", i + 1, svc.name),
                slots: svc.total,
                class: SERVICE_CLASSES[i % SERVICE_CLASSES.len()],
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

/// The bar's `<rect>`s on a 0..100000 axis (the SVG's viewBox): integer geometry, so no float
/// formatting is needed. Hatched stretches get a second rect with the stripes pattern on top.
pub fn budget_bar(segs: &[Segment]) -> String {
    let total: u64 = segs.iter().map(|s| s.slots).sum::<u64>().max(1);
    let mut x = 0u64;
    let mut out = String::from(
        r#"<defs><pattern id="hatch" patternUnits="userSpaceOnUse" width="1200" height="40"><rect x="0" y="0" width="450" height="40" class="stripe"></rect></pattern></defs>"#,
    );
    for seg in segs.iter().filter(|seg| seg.slots > 0) {
        let w = seg.slots * 100_000 / total;
        let _ = write!(
            out,
            r#"<rect x="{x}" y="0" width="{}" height="40" class="{}"><title>{}: {}</title></rect>"#,
            w.max(1),
            seg.class,
            html_text(&seg.label),
            seg.slots
        );
        if seg.class.ends_with("hatched") {
            let _ = write!(
                out,
                r#"<rect x="{x}" y="0" width="{}" height="40" fill="url(#hatch)"><title>{}: {}</title></rect>"#,
                w.max(1),
                html_text(&seg.label),
                seg.slots
            );
        }
        x += w;
    }
    out
}

/// The bar's legend under it, in the bar's order: swatch, label and slots.
pub fn budget_legend(segs: &[Segment]) -> String {
    let mut out = String::new();
    for seg in segs.iter().filter(|seg| seg.slots > 0) {
        let _ = write!(
            out,
            r#"<li class="{}"><span class="swatch" aria-hidden="true"></span>{} <strong>{}</strong></li>"#,
            seg.class,
            html_text(&seg.label),
            seg.slots
        );
    }
    out
}

/// The same figures as table rows.
pub fn budget_rows(segs: &[Segment]) -> String {
    let mut out = String::new();
    for seg in segs {
        let _ = write!(
            out,
            r#"<tr class="{}"><th scope="row"><span class="swatch" aria-hidden="true"></span>{}</th><td>{}</td></tr>"#,
            seg.class,
            html_text(&seg.label),
            seg.slots
        );
    }
    out
}

/// The findings as list items, errors first (the plan's order). With `with_fields`, each that
/// names a field gets a button (`data-field`) that the page turns into focusing that field.
pub fn findings(list: &[Finding], with_fields: bool) -> String {
    let mut out = String::new();
    for f in list {
        let (class, label) = match f.severity {
            Severity::Error => ("finding error", "Error"),
            Severity::Warning => ("finding warning", "Warning"),
            Severity::Info => ("finding info", "Info"),
        };
        let _ = write!(
            out,
            r#"<li class="{class}" data-code={}><p><strong class="sev">{label}</strong> <code class="code">{}</code></p><p class="message">{}</p><p class="links"><a href={} target="_blank" rel="noopener noreferrer">Source</a>"#,
            html_attr(f.code),
            html_text(f.code),
            html_text(&f.message),
            html_attr(f.source),
        );
        if let Some(pin) = &f.pin {
            let _ = write!(out, " · <span>pin: <code>{}</code></span>", html_text(pin));
        }
        if let Some(key) = f.field.filter(|_| with_fields) {
            let _ = write!(
                out,
                r#" · <button type="button" class="link" data-field={}>Change {}</button>"#,
                html_attr(key),
                html_text(key)
            );
        }
        out.push_str("</p></li>");
    }
    out
}

/// A derivation: its formula, inputs, steps and source.
pub fn derivation(d: &Derivation) -> String {
    let mut out = format!(
        r#"<p><code>{}</code></p><ul class="why-inputs">"#,
        html_text(&d.formula)
    );
    for (k, v) in &d.inputs {
        let _ = write!(out, "<li>{} = {}</li>", html_text(k), html_text(v));
    }
    out.push_str(r#"</ul><ol class="why-steps">"#);
    for step in &d.steps {
        let _ = write!(out, "<li>{}</li>", html_text(step));
    }
    out.push_str("</ol>");
    if let Some(h) = &d.heuristic {
        let _ = write!(out, "<p>Heuristic: {}</p>", html_text(h));
    }
    let _ = write!(
        out,
        r#"<p><a href={} target="_blank" rel="noopener noreferrer">Source</a></p>"#,
        html_attr(d.source)
    );
    out
}

/// The pins in force, each with an Unpin button (`data-unpin` holds its path).
pub fn pins(list: &[Pin]) -> String {
    let mut out = String::new();
    for pin in list {
        let path = html_text(&pin.path);
        let _ = write!(
            out,
            r#"<li><code>{path} = {}</code><button type="button" aria-label={} data-unpin={}>Unpin</button></li>"#,
            pin.value,
            html_attr(&format!("Unpin {}", pin.path)),
            html_attr(&pin.path)
        );
    }
    out
}

/// The refused parameters of the opening link: name, value and why.
pub fn link_errors(list: &[ParamError]) -> String {
    let mut out = String::new();
    for e in list {
        let _ = write!(
            out,
            "<li><code>{}</code> = <code>{}</code>: {}</li>",
            html_text(&e.param),
            html_text(&e.value),
            html_text(&e.message)
        );
    }
    out
}

/// A "why?" disclosure for the number at `path` (`data-why`). Open ones (those in `open`) carry
/// their derivation; the page fills a closed one in when it is opened, so closed ones cost nothing.
fn why(out: &mut String, p: &Plan, path: &str, open: &[String]) {
    let is_open = open.iter().any(|o| o == path);
    let _ = write!(
        out,
        r#"<details class="why" data-why={}{}><summary aria-label={}>why?</summary><div class="why-body">"#,
        html_attr(path),
        if is_open { " open" } else { "" },
        html_attr(&format!("Why {path}?"))
    );
    if is_open {
        if let Some(d) = p.why(path) {
            out.push_str(&derivation(d));
        }
    }
    out.push_str("</div></details>");
}

/// The budget's figures, each service's pool and PgBouncer's settings, each number with its
/// "why?" (`open`: the paths whose disclosure is open, so a re-render keeps them open).
pub fn budget_figures(p: &Plan, open: &[String]) -> String {
    let b = &p.budget;
    let mut out = String::from(r#"<dl class="figures">"#);
    for (label, id, path, value) in [
        ("Usable slots", "fig-usable", "budget.usable", b.usable),
        (
            "Fleet total",
            "fig-fleet",
            "budget.fleet_total",
            b.fleet_total,
        ),
        (
            "Target active",
            "fig-target",
            "budget.target_active",
            b.target_active,
        ),
        (
            "max_connections",
            "fig-max",
            "budget.max_connections",
            b.max_connections,
        ),
    ] {
        let _ = write!(
            out,
            r#"<div><dt>{label}</dt><dd id="{id}">{value}</dd><dd>"#
        );
        why(&mut out, p, path, open);
        out.push_str("</dd></div>");
    }
    out.push_str(
        r#"</dl><div class="scroll-x" role="region" tabindex="0" aria-labelledby="service-pools-caption"><table class="pools" id="service-pools"><caption id="service-pools-caption">Pools per service: a typical day, the worst case (the autoscaler's maximum with a deploy on top), and the largest maximum that fits</caption><thead><tr><th scope="col">Service</th><th scope="col">Replicas</th><th scope="col">Peak</th><th scope="col">Pool each</th><th scope="col">Typical</th><th scope="col">Worst</th><th scope="col">Fits up to</th></tr></thead><tbody>"#,
    );
    for svc in &p.services {
        let replicas = crate::render::context::replicas_text(svc);
        let procs = if svc.processes > 1 {
            format!(" × {} procs", svc.processes)
        } else {
            String::new()
        };
        let _ = write!(
            out,
            r#"<tr><th scope="row">{}</th><td>{replicas}{procs}</td><td>{}</td><td class="pool">{}"#,
            html_text(&svc.name),
            svc.peak_replicas,
            svc.connection_limit
        );
        why(&mut out, p, &format!("{}.connection_limit", svc.name), open);
        let fit = crate::render::context::fit_text(svc);
        let _ = write!(
            out,
            "</td><td>{}</td><td>{}</td><td>{fit}",
            svc.typical_total, svc.total
        );
        why(&mut out, p, &format!("{}.max_fit_replicas", svc.name), open);
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table></div>");
    if let Some(roles) = &p.roles {
        out.push_str(r#"<dl class="figures" id="service-roles" aria-label="A role per service">"#);
        for r in &roles.roles {
            let (what, path) = match r.max_user_connections {
                Some(share) => (
                    format!("{share} server connections per PgBouncer instance"),
                    format!("{}.max_user_connections", r.service),
                ),
                None => (
                    format!("CONNECTION LIMIT {}", r.connection_limit),
                    format!("{}.role_connection_limit", r.service),
                ),
            };
            let _ = write!(
                out,
                "<div><dt>{} as {}</dt><dd>{what}</dd><dd>",
                html_text(&r.service),
                html_text(&r.user)
            );
            why(&mut out, p, &path, open);
            out.push_str("</dd></div>");
        }
        out.push_str("</dl>");
    }
    if let Some(pgb) = &p.pgbouncer {
        out.push_str(r#"<dl class="figures" aria-label="PgBouncer settings">"#);
        for (name, value) in [
            ("default_pool_size", u64::from(pgb.default_pool_size)),
            ("reserve_pool_size", u64::from(pgb.reserve_pool_size)),
            ("max_db_connections", u64::from(pgb.max_db_connections)),
            ("max_client_conn", u64::from(pgb.max_client_conn)),
            ("fd_need", pgb.fd_need),
        ] {
            let _ = write!(out, "<div><dt>{name}</dt><dd>{value}</dd><dd>");
            why(&mut out, p, &format!("pgbouncer.{name}"), open);
            out.push_str("</dd></div>");
        }
        out.push_str("</dl>");
    }
    out
}

/// The notice for a link made under older rules: what changed since, as list items; `None` for a
/// link made under today's rules (or one that does not say).
pub fn rules_notice(made_under: Option<u32>) -> Option<String> {
    let (head, lines) = crate::calc::rules::notice(made_under)?;
    let mut out = format!("<p><strong>{}</strong></p><ul>", html_text(&head));
    for (v, line) in lines {
        let _ = write!(out, "<li>v{v}: {}</li>", html_text(line));
    }
    out.push_str("</ul>");
    Some(out)
}
