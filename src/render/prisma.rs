//! Prisma: the datasource (Prisma 6 schema.prisma, Prisma 7 prisma.config.ts) and the client
//! (Prisma 7: @prisma/adapter-pg with node-postgres pool options). The files' fixed text is in
//! `templates/`.

use super::escape::js_string;
use super::template::fill;
use super::Context;
use crate::calc::inputs::Prisma;

/// The TypeScript that puts `DB_PASSWORD` into a URL that has none, percent-encoded
/// (`encodeURIComponent`, which node-postgres' `decodeURIComponent` and Prisma's schema engine
/// both undo). The user part is percent-encoded by poolcalc, so the first `@` ends it.
const WITH_PASSWORD: &str = include_str!("templates/with-password.ts");

/// `prisma-schema`: where Prisma's CLI and client find their URLs.
pub fn schema(cx: &Context) -> String {
    let flags = [("direct", cx.plan.prisma.direct_url)];
    let body = match cx.inputs.prisma {
        Prisma::V6 => fill(include_str!("templates/schema.prisma"), &[], &flags),
        Prisma::V7 => fill(
            include_str!("templates/prisma.config.ts"),
            &[("with_password", WITH_PASSWORD)],
            &flags,
        ),
    };
    cx.header("//") + &body
}

/// `prisma-client`: how each service builds its client.
pub fn client(cx: &Context) -> String {
    let body = match cx.inputs.prisma {
        Prisma::V6 => fill(include_str!("templates/db.v6.ts"), &[], &[]),
        Prisma::V7 => client_v7(cx),
    };
    cx.header("//") + &body
}

fn client_v7(cx: &Context) -> String {
    let p = cx.plan;
    let entries = |value: &dyn Fn(&crate::calc::services::ServicePlan) -> u64| {
        p.services
            .iter()
            .map(|svc| format!("  {}: {},", js_string(&svc.name), value(svc)))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let pool_max = entries(&|svc| u64::from(svc.connection_limit));
    let timeouts = entries(&crate::calc::timeouts::pg_connection_timeout_ms);
    let idle = p.prisma.idle_timeout_millis.to_string();
    let schema = cx.inputs.db.schema.as_deref().map(js_string);
    fill(
        include_str!("templates/db.v7.ts"),
        &[
            ("pool_max", &pool_max),
            ("connection_timeout_millis", &timeouts),
            ("with_password", WITH_PASSWORD),
            ("idle_timeout_millis", &idle),
            ("schema", schema.as_deref().unwrap_or_default()),
        ],
        &[("schema", schema.is_some())],
    )
}
