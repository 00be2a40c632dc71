//! Prisma behind a pooler (rule 5): `pgbouncer=true` exactly when needed, the direct URL for
//! migrations, `schema` through PgBouncer, and Prisma 7's `pg` pool options.

use serde::Serialize;

use super::endpoints::Endpoints;
use super::explain::{source, Derivation, Finding};
use super::inputs::{Inputs, PoolMode, Pooler, Prisma};
use super::pgbouncer::PgBouncerPlan;
use super::settings::Resolver;

/// Prisma's connection settings that are the same for every service.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrismaPlan {
    #[serde(serialize_with = "super::plan::as_text")]
    pub version: Prisma,
    /// Prisma 6: add `pgbouncer=true` to the pooled URL.
    pub pgbouncer: bool,
    /// A pooler is in the path: migrations need a direct URL (Prisma 6 `directUrl`, Prisma 7 the
    /// `url` of prisma.config.ts).
    pub direct_url: bool,
    /// Prisma 7 (`pg`): idle connections are closed after this long (v6 parity: 300 s).
    pub idle_timeout_millis: u32,
}

/// Decides the Prisma settings; may add `search_path` to PgBouncer's ignore_startup_parameters.
pub fn plan_prisma(
    inputs: &Inputs,
    endpoints: &Endpoints,
    pgbouncer: Option<&mut PgBouncerPlan>,
    r: &mut Resolver,
    findings: &mut Vec<Finding>,
) -> PrismaPlan {
    let pooler = inputs.pooler.kind;
    let v6 = inputs.prisma == Prisma::V6;
    let (needed, reason) = flag_needed(inputs, endpoints, pgbouncer.as_deref());
    let pin = r.pinned("prisma.pgbouncer").map(|v| v == 1);
    let mut d = Derivation::new(
        "pgbouncer=true when Prisma 6 goes through a transaction-mode pooler without prepared-statement support",
        if pooler == Pooler::Supavisor {
            source::SUPAVISOR_PREPARED
        } else {
            source::PRISMA_PGBOUNCER
        },
    )
        .input("prisma", inputs.prisma)
        .input("pooler", pooler)
        .step(reason.clone());
    if !v6 {
        d = d.step("Prisma 7 (@prisma/adapter-pg) has no such flag: never written");
    }
    let settled = r.settle_bool("prisma.pgbouncer", needed && v6, d);
    let pgbouncer_flag = v6 && settled;
    if v6 {
        flag_findings(inputs, pin, needed, &reason, pgbouncer.as_deref(), findings);
    } else if pin.is_some() {
        findings.push(
            Finding::info(
                "prisma.pgbouncer_flag_ignored",
                "Prisma 7 with @prisma/adapter-pg does not read pgbouncer=true: node-postgres uses unnamed statements, which work through transaction-mode poolers",
                source::PRISMA_V7_UPGRADE,
            )
            .pin("prisma.pgbouncer"),
        );
    }

    if let (Some(schema), Some(pgb)) = (&inputs.db.schema, pgbouncer) {
        if v6 && !pgbouncer_flag {
            // PgBouncer refuses the search_path startup parameter Prisma 6 sends for `schema`
            // (prisma/prisma#23438): ignore it there and set the role's search_path instead.
            pgb.ignore_startup_parameters.push("search_path");
            findings.push(
                Finding::warning(
                    "prisma.schema_via_pgbouncer",
                    format!("schema={schema} through PgBouncer without pgbouncer=true fails with \"unsupported startup parameter: search_path\"; poolcalc adds ignore_startup_parameters = search_path, so run ALTER ROLE {} SET search_path = {schema} once", inputs.db.user),
                    source::PRISMA_23438,
                )
                .field("db_schema"),
            );
        }
    }
    if !v6 && inputs.db.schema.is_some() {
        findings.push(Finding::info(
            "prisma.schema_v7",
            "Prisma 7 ignores ?schema= in the URL; poolcalc passes it as PrismaPg's second argument { schema }",
            source::PRISMA_V7_UPGRADE,
        ));
    }
    r.derived(
        "prisma.idle_timeout_millis",
        Derivation::new(
            "300000 ms: Prisma 6's max_idle_connection_lifetime (pg's own default is 10000)",
            source::PRISMA_POOL,
        )
        .step(if v6 {
            "Prisma 6 closes idle connections after 300 s by itself (not written)"
        } else {
            "the Prisma docs suggest it to keep Prisma 6's behaviour on Prisma 7: written as pg's idleTimeoutMillis"
        }),
    );
    PrismaPlan {
        version: inputs.prisma,
        pgbouncer: pgbouncer_flag,
        direct_url: pooler != Pooler::None,
        idle_timeout_millis: 300_000,
    }
}

/// Whether Prisma 6 needs `pgbouncer=true`, and why (Prisma docs "PgBouncer": needed below 1.21
/// or with max_prepared_statements = 0; Supabase docs: Supavisor transaction mode).
fn flag_needed(
    inputs: &Inputs,
    endpoints: &Endpoints,
    pgb: Option<&PgBouncerPlan>,
) -> (bool, String) {
    match (inputs.pooler.kind, pgb) {
        (Pooler::None, _) => (false, "no pooler: not needed".into()),
        (Pooler::Supavisor, _) if endpoints.pooled_mode == Some(PoolMode::Session) => (
            false,
            "Supavisor's session port keeps one server connection per client: prepared statements work".into(),
        ),
        (Pooler::Supavisor, _) => (true, "Supavisor in transaction mode does not support prepared statements".into()),
        (Pooler::PgBouncer, Some(p)) if p.pool_mode == PoolMode::Session => {
            (false, "session mode keeps one server connection per client: prepared statements work".into())
        }
        (Pooler::PgBouncer, Some(p)) if !p.version.has_prepared_statements() => {
            (true, format!("PgBouncer {} predates prepared-statement support (1.21)", p.version))
        }
        (Pooler::PgBouncer, Some(p)) if p.max_prepared_statements == Some(0) => {
            (true, "max_prepared_statements = 0 turns PgBouncer's prepared-statement support off".into())
        }
        (Pooler::PgBouncer, _) => (
            false,
            "PgBouncer ≥ 1.21 with max_prepared_statements > 0 handles Prisma's prepared statements; the Prisma docs advise not setting pgbouncer=true".into(),
        ),
    }
}

fn flag_findings(
    inputs: &Inputs,
    pin: Option<bool>,
    needed: bool,
    reason: &str,
    pgb: Option<&PgBouncerPlan>,
    findings: &mut Vec<Finding>,
) {
    match (pin, needed) {
        (Some(false), true) => findings.push(
            Finding::error(
                "prisma.pgbouncer_flag_required",
                format!("pgbouncer=false is pinned but {reason}: queries fail with \"prepared statement \\\"s0\\\" already exists\""),
                source::PRISMA_PGBOUNCER,
            )
            .pin("prisma.pgbouncer"),
        ),
        (Some(true), false) => {
            if let Some(p) = pgb.filter(|p| p.version.has_prepared_statements() && !p.version.handles_deallocate_all()) {
                findings.push(
                    Finding::warning(
                        "prisma.pgbouncer_121_bug",
                        format!("pgbouncer=true with PgBouncer {} and max_prepared_statements > 0 fails with \"prepared statement PGBOUNCER_x does not exist\" (Prisma sends DEALLOCATE ALL, handled from 1.22): remove the pin or upgrade", p.version),
                        source::PRISMA_21799,
                    )
                    .pin("prisma.pgbouncer"),
                );
            } else if inputs.pooler.kind != Pooler::None {
                findings.push(
                    Finding::info(
                        "prisma.pgbouncer_flag_unneeded",
                        "pgbouncer=true is pinned but not needed: it turns off Prisma's statement cache; the Prisma docs and PgBouncer's maintainer advise leaving it out on PgBouncer ≥ 1.21",
                        source::PRISMA_21531,
                    )
                    .pin("prisma.pgbouncer"),
                );
            }
        }
        _ => {}
    }
}
