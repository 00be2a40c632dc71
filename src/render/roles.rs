//! roles.sql (`templates/roles.sql`): a role per service with its `CONNECTION LIMIT`, run once by
//! psql. The password is never in the file: psql puts `DB_PASSWORD` in (`:'DB_PASSWORD'` quotes
//! it as an SQL literal), and the script stops before changing anything when it is not given.

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
    let mut alters = String::new();
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
        let user = sql_ident(&role.user);
        alters += &format!(
            "-- {}: at most {} connections ({why}).\n\
             ALTER ROLE {user} WITH LOGIN CONNECTION LIMIT {} PASSWORD :'DB_PASSWORD';\n\
             GRANT {} TO {user};\n\n",
            role.service,
            role.connection_limit,
            role.connection_limit,
            sql_ident(&roles.owner),
        );
    }
    out += &Fill::new()
        .flag("roles", true)
        .flag("pgbouncer", pgb.is_some())
        .value("owner", sql_ident(&roles.owner))
        .value("names", names.join(", "))
        .value("alters", alters.trim_end())
        .render(include_str!("templates/roles.sql"));
    out
}
