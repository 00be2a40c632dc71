//! Connection URLs. Every part is percent-encoded as RFC 3986 requires (Prisma docs "Connection
//! URLs": special characters must be percent-encoded, passwords included), and only parameters
//! the reading client knows are added: Prisma 6's engine silently discards unknown ones, so a
//! typo would be lost.
//!
//! The password, when none was typed into poolcalc, is left to the deployment:
//! - Prisma 6 reads `DATABASE_URL` itself and expands `${VAR}` in `.env` (dotenv-expand), so the
//!   URL carries `${DB_PASSWORD_URLENCODED}`, the password already percent-encoded;
//! - under Prisma 7 the generated `db.ts` and `prisma.config.ts` put `DB_PASSWORD` in at run
//!   time, percent-encoded, so the URL carries the user alone (a typed password goes into the
//!   `.env` as `DB_PASSWORD`).

use super::Context;
use crate::calc::endpoints::Endpoint;
use crate::calc::inputs::{Pooler, Prisma};
use crate::calc::services::ServicePlan;
use crate::calc::text::percent_encode_component;
use crate::calc::tls::HopTls;

/// The variable a Prisma 6 URL takes its (percent-encoded) password from.
pub const DB_PASSWORD_URLENCODED: &str = "DB_PASSWORD_URLENCODED";
/// The variable Prisma 7's generated code reads the password from, as it is.
pub const DB_PASSWORD: &str = "DB_PASSWORD";

/// `user[:password]` for a URL.
fn userinfo(cx: &Context, user: &str) -> String {
    let user = percent_encode_component(user);
    match (&cx.secrets.db_password, cx.inputs.prisma) {
        // Prisma 7's code adds DB_PASSWORD (which the .env holds when one was typed).
        (_, Prisma::V7) => user,
        (Some(p), Prisma::V6) => format!("{user}:{}", percent_encode_component(p)),
        (None, Prisma::V6) => format!("{user}:${{{DB_PASSWORD_URLENCODED}}}"),
    }
}

fn url(cx: &Context, at: &Endpoint, user: &str, params: &[(&str, String)]) -> String {
    let db = percent_encode_component(&cx.inputs.db.name);
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", percent_encode_component(v)))
        .collect();
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{}", query.join("&"))
    };
    format!(
        "postgresql://{}@{}:{}/{db}{query}",
        userinfo(cx, user),
        at.host,
        at.port
    )
}

fn tls_params(hop: &HopTls) -> impl Iterator<Item = (&'static str, String)> + '_ {
    hop.url_params.iter().map(|(k, v)| (*k, v.clone()))
}

/// The pooled (or, without a pooler, the only) URL for one service.
pub fn service_url(cx: &Context, svc: &ServicePlan) -> String {
    let i = cx.inputs;
    let p = cx.plan;
    let (at, hop) = match (i.pooler.kind, &p.endpoints.pooled, &p.tls.pooled) {
        (Pooler::None, _, _) | (_, None, _) | (_, _, None) => (&p.endpoints.direct, &p.tls.direct),
        (_, Some(at), Some(hop)) => (at, hop),
    };
    let mut params: Vec<(&str, String)> = Vec::new();
    if i.prisma == Prisma::V6 {
        // Prisma 6 reads its pool from the URL (prisma-engines quaint url.rs).
        params.push(("connection_limit", svc.connection_limit.to_string()));
        params.push(("pool_timeout", svc.pool_timeout.to_string()));
        params.push(("connect_timeout", svc.connect_timeout.to_string()));
        if p.prisma.pgbouncer {
            params.push(("pgbouncer", "true".into()));
        }
        if let Some(schema) = &i.db.schema {
            params.push(("schema", schema.clone()));
        }
    }
    // pg_stat_activity and PgBouncer's SHOW CLIENTS tell the services apart by it (Prisma 6
    // since 3.3.0; node-postgres sends it in the startup packet).
    params.push(("application_name", svc.name.clone()));
    params.extend(tls_params(hop));
    // With a role per service (db_roles=per-service), the service logs in as its own role.
    let user = p
        .roles
        .as_ref()
        .and_then(|r| r.user_of(&svc.name))
        .unwrap_or(&at.user);
    url(cx, at, user, &params)
}

/// The direct URL (no pooler) for migrations: Prisma 6 `directUrl`, Prisma 7 prisma.config.ts `url`.
pub fn direct_url(cx: &Context) -> String {
    let i = cx.inputs;
    let mut params: Vec<(&str, String)> = Vec::new();
    if i.prisma == Prisma::V6 {
        if let Some(schema) = &i.db.schema {
            params.push(("schema", schema.clone()));
        }
    }
    params.extend(tls_params(&cx.plan.tls.direct));
    let at = &cx.plan.endpoints.direct;
    url(cx, at, &at.user, &params)
}

/// The `database-url` artifact: the service's DATABASE_URL, alone on one line (the same value as
/// in that service's `.env`).
pub fn database_url_artifact(cx: &Context) -> String {
    match cx.service_plan() {
        Some(svc) => format!("{}\n", service_url(cx, svc)),
        None => "\n".into(),
    }
}
