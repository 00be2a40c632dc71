//! roles.sql (`templates/roles.sql`): a role per service with its `CONNECTION LIMIT` and the rights
//! it needs on the owner's tables, run by psql. The password is never in the file: psql puts
//! `DB_PASSWORD` in (`:'DB_PASSWORD'` quotes it as an SQL literal), and the script stops before
//! changing anything when it is missing or empty (an empty password would clear the role's).
//!
//! Rights, not membership in the owner: since PostgreSQL 16 granting a role needs ADMIN OPTION on
//! it, which a managed server's main user does not have on itself, so `GRANT owner TO role` would
//! fail there (and membership would also let a service drop tables).

use super::escape::{sql_ident, sql_literal};
use super::template::Fill;
use super::Context;

/// Renders roles.sql.
pub fn sql(cx: &Context) -> String {
    let mut out = cx.header("--");
    let Some(roles) = &cx.plan.roles else {
        out += &Fill::new()
            .flag("roles", false)
            .render(include_str!("templates/roles.sql"));
        return out;
    };
    let pgb = cx.plan.pgbouncer.as_ref();
    let names: Vec<String> = roles
        .roles
        .iter()
        .map(|r| format!("({})", sql_literal(&r.user)))
        .collect();
    let mut limits = String::new();
    for role in &roles.roles {
        let why = match (role.max_user_connections, pgb) {
            (Some(share), Some(p)) => format!(
                "({share} server connections per PgBouncer instance + 1 spare) × {} instance(s)",
                p.instances
            ),
            _ => match cx.plan.services.iter().find(|s| s.name == role.service) {
                Some(s) if s.processes > 1 => format!(
                    "its worst case: pool {} × {} processes × {} replicas at peak",
                    s.connection_limit, s.processes, s.peak_replicas
                ),
                Some(s) => format!(
                    "its worst case: pool {} × {} replicas at peak",
                    s.connection_limit, s.peak_replicas
                ),
                None => String::new(),
            },
        };
        limits += &format!(
            "-- {}: at most {} connections ({why}).\n\
             ALTER ROLE {} WITH LOGIN CONNECTION LIMIT {};\n",
            role.service,
            role.connection_limit,
            sql_ident(&role.user),
            role.connection_limit,
        );
    }
    let all: Vec<String> = roles.roles.iter().map(|r| sql_ident(&r.user)).collect();
    let i = cx.inputs;
    out += &Fill::new()
        .flag("roles", true)
        .flag("pgbouncer", pgb.is_some())
        .value("owner", sql_ident(&roles.owner))
        .value("names", names.join(", "))
        .value("limits", limits.trim_end())
        .value("all", all.join(", "))
        // Database names are [A-Za-z0-9_] (text.rs), safe on a shell command line as they are.
        .value("db_name", &i.db.name)
        .value("db_ident", sql_ident(&i.db.name))
        .value(
            "schema",
            sql_ident(i.db.schema.as_deref().unwrap_or("public")),
        )
        .render(include_str!("templates/roles.sql"));
    out
}
