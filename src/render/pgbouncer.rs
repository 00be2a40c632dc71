//! pgbouncer.ini and userlist.txt. Keys are version-gated (PgBouncer 1.18 refuses to start on a
//! key it does not know), numbers are plain decimal (the parser reads `010` as octal), names are
//! limited to what its INI parser and docs both accept, and comments use `;`.

use super::escape::{pgbouncer_value, userlist_field};
use super::template::Fill;
use super::Context;
use crate::calc::timeouts::server_connect_timeout;

/// `listen_addr`: loopback when clients reach PgBouncer on this host, else every IPv4 address.
fn listen_addr(host: &str) -> &str {
    match host {
        "localhost" => "127.0.0.1",
        h if h.split('.').count() == 4 && h.split('.').all(|o| o.parse::<u8>().is_ok()) => h,
        _ => "0.0.0.0",
    }
}

/// Renders pgbouncer.ini, or a comment saying PgBouncer is not in use.
pub fn ini(cx: &Context) -> String {
    let i = cx.inputs;
    let mut out = cx.header(";");
    let Some(p) = &cx.plan.pgbouncer else {
        out += "; No PgBouncer in these inputs (pooler is not pgbouncer).\n";
        return out;
    };
    let server = &cx.plan.endpoints.direct;
    let tls = &cx.plan.tls;
    let listen = listen_addr(&i.pooler.host);
    let client_tls = tls.client_tls_key_file.is_some() && tls.client_tls_cert_file.is_some();
    let ignored = p.ignore_startup_parameters.join(",");
    // `[users]`: each service role's share (max_user_connections, PgBouncer 1.18 onwards).
    let users = cx.plan.roles.as_ref().map(|roles| {
        roles
            .roles
            .iter()
            .filter_map(|r| {
                r.max_user_connections
                    .map(|n| format!("{} = max_user_connections={n}", r.user))
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    out += &Fill::new()
        .option("users", users.filter(|u| !u.is_empty()))
        .value("version", p.version)
        .value("instances", p.instances)
        .value("fd_need", p.fd_need)
        .value(
            "fd_note",
            if p.fd_need > 1024 {
                ": raise LimitNOFILE above 1024"
            } else {
                ""
            },
        )
        .value("db_key", &i.db.name)
        .value("db_host", pgbouncer_value(&server.host))
        .value("db_port", server.port)
        .value("db_name", pgbouncer_value(&i.db.name))
        .flag("listen_all", listen == "0.0.0.0")
        .value("listen_addr", listen)
        .value("listen_port", i.pooler.port)
        .value("auth_file", &i.pooler.auth_file)
        .value("pool_mode", p.pool_mode)
        .value("max_client_conn", p.max_client_conn)
        .value("default_pool_size", p.default_pool_size)
        .value("reserve_pool_size", p.reserve_pool_size)
        .value("reserve_pool_timeout", p.reserve_pool_timeout)
        .value("max_db_connections", p.max_db_connections)
        .value("query_wait_timeout", p.query_wait_timeout)
        .value(
            "server_connect_timeout",
            server_connect_timeout(&cx.plan.services),
        )
        .option("max_prepared_statements", p.max_prepared_statements)
        .option(
            "ignore_startup_parameters",
            (!ignored.is_empty()).then_some(ignored),
        )
        .option("server_tls_sslmode", tls.server_tls_sslmode)
        .option("server_tls_ca_file", tls.server_tls_ca_file.as_ref())
        // The app user may read SHOW commands (exporters, the tests); it is never an admin.
        .value("stats_users", &i.db.user)
        .flag("client_tls", client_tls)
        .value("pooler_host", &i.pooler.host)
        .value(
            "client_tls_key_file",
            tls.client_tls_key_file.as_deref().unwrap_or_default(),
        )
        .value(
            "client_tls_cert_file",
            tls.client_tls_cert_file.as_deref().unwrap_or_default(),
        )
        .render(include_str!("templates/pgbouncer.ini"));
    out
}

/// Renders userlist.txt: `"user" "secret"` with `"` doubled; comment lines start with `;`
/// (a `#` line makes PgBouncer stop reading the file and drop every later user). Without a typed
/// password the entry is left to the database itself: PostgreSQL 14+ stores a SCRAM secret, which
/// PgBouncer can use both to check its clients and to log in to the server (PgBouncer docs,
/// "Authentication file format"), so the plain password never lands on disk.
pub fn userlist(cx: &Context) -> String {
    let user = cx
        .plan
        .endpoints
        .pooled
        .as_ref()
        .map_or(cx.inputs.db.user.as_str(), |e| e.user.as_str());
    // With a role per service, PgBouncer needs an entry for each (and the stats user's).
    let roles: Vec<&str> = cx
        .plan
        .roles
        .iter()
        .flat_map(|r| r.roles.iter().map(|r| r.user.as_str()))
        .collect();
    let users: Vec<&str> = std::iter::once(user).chain(roles.iter().copied()).collect();
    let entry = cx.secrets.db_password.as_deref().map(|p| {
        users
            .iter()
            .map(|u| format!("{} {}", userlist_field(u), userlist_field(p)))
            .collect::<Vec<_>>()
            .join("\n")
    });
    let quoted: Vec<String> = users.iter().map(|u| format!("'{u}'")).collect();
    cx.header(";")
        + &Fill::new()
            .option("password", entry)
            .flag("roles", !roles.is_empty())
            .value("role_list", quoted.join(", "))
            .value("user", user)
            .value("auth_file", &cx.inputs.pooler.auth_file)
            .render(include_str!("templates/userlist.txt"))
}
