//! Connection URLs. Every part is percent-encoded as RFC 3986 requires (Prisma docs "Connection
//! URLs": special characters must be percent-encoded, passwords included), and only parameters
//! Prisma reads are added: quaint silently discards unknown ones, so a typo would be lost.

use super::Context;
use crate::calc::inputs::{Pooler, Prisma};
use crate::calc::services::ServicePlan;
use crate::calc::text::percent_encode_component;

/// The placeholder used where no database password was typed (expanded by dotenv-expand or the
/// deploy tooling; the value must itself be percent-encoded).
pub const DB_PASSWORD_PLACEHOLDER: &str = "${DB_PASSWORD}";

fn userinfo(cx: &Context) -> String {
    let user = percent_encode_component(&cx.inputs.db.user);
    let password = match &cx.secrets.db_password {
        Some(p) => percent_encode_component(p),
        None => DB_PASSWORD_PLACEHOLDER.to_string(),
    };
    format!("{user}:{password}")
}

fn url(cx: &Context, host: &str, port: u16, params: &[(&str, String)]) -> String {
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
    format!("postgresql://{}@{host}:{port}/{db}{query}", userinfo(cx))
}

/// The pooled (or, without a pooler, the only) URL for one service.
pub fn service_url(cx: &Context, svc: &ServicePlan) -> String {
    let i = cx.inputs;
    let (host, port) = match i.pooler.kind {
        Pooler::None => (i.db.host.as_str(), i.db.port),
        Pooler::PgBouncer | Pooler::Supavisor => (i.pooler.host.as_str(), i.pooler.port),
    };
    let mut params: Vec<(&str, String)> = Vec::new();
    if i.prisma == Prisma::V6 {
        // Prisma 6 reads its pool from the URL (prisma-engines quaint url.rs).
        params.push(("connection_limit", svc.connection_limit.to_string()));
        params.push(("pool_timeout", svc.pool_timeout.to_string()));
        params.push(("connect_timeout", svc.connect_timeout.to_string()));
        if cx.plan.prisma.pgbouncer_flag {
            params.push(("pgbouncer", "true".into()));
        }
        if let Some(schema) = &i.db.schema {
            params.push(("schema", schema.clone()));
        }
    }
    params.push(("sslmode", i.db.sslmode.to_string()));
    url(cx, host, port, &params)
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
    params.push(("sslmode", i.db.sslmode.to_string()));
    url(cx, &i.db.host, i.db.port, &params)
}

/// The `database-url` artifact: the first service's DATABASE_URL, alone on one line (the .env
/// artifact has every service's).
pub fn database_url_artifact(cx: &Context) -> String {
    match cx.plan.services.first() {
        Some(svc) => format!("{}\n", service_url(cx, svc)),
        None => "\n".into(),
    }
}
