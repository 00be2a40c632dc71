//! pgbouncer.ini and userlist.txt. Keys are version-gated (PgBouncer 1.18 refuses to start on a
//! key it does not know), numbers are plain decimal (the parser reads `010` as octal), names are
//! limited to what its INI parser and docs both accept, and comments use `;`.

use super::escape::{pgbouncer_value, userlist_field};
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
    out +=
        &format!(
        "; For PgBouncer {} ({} instance(s)). Each instance may need {} file descriptors{}.\n\n",
        p.version,
        p.instances,
        p.fd_need,
        if p.fd_need > 1024 { ": raise LimitNOFILE above 1024" } else { "" }
    );
    let server = &cx.plan.endpoints.direct;
    out += "[databases]\n";
    out += &format!(
        "{} = host={} port={} dbname={}\n\n",
        i.db.name,
        pgbouncer_value(&server.host),
        server.port,
        pgbouncer_value(&i.db.name)
    );
    out += "[pgbouncer]\n";
    let listen = listen_addr(&i.pooler.host);
    if listen == "0.0.0.0" {
        out += "; Listening on every interface: allow only the app network (firewall, TLS, auth_hba_file).\n";
    }
    let mut kv = |k: &str, v: String| out.push_str(&format!("{k} = {v}\n"));
    kv("listen_addr", listen.to_string());
    kv("listen_port", i.pooler.port.to_string());
    kv("auth_type", "scram-sha-256".into());
    kv("auth_file", i.pooler.auth_file.clone());
    kv("pool_mode", p.pool_mode.to_string());
    kv("max_client_conn", p.max_client_conn.to_string());
    kv("default_pool_size", p.default_pool_size.to_string());
    kv("reserve_pool_size", p.reserve_pool_size.to_string());
    kv("reserve_pool_timeout", p.reserve_pool_timeout.to_string());
    kv("max_db_connections", p.max_db_connections.to_string());
    kv("query_wait_timeout", p.query_wait_timeout.to_string());
    kv(
        "server_connect_timeout",
        server_connect_timeout(&cx.plan.services).to_string(),
    );
    if let Some(mps) = p.max_prepared_statements {
        kv("max_prepared_statements", mps.to_string());
    }
    if !p.ignore_startup_parameters.is_empty() {
        kv(
            "ignore_startup_parameters",
            p.ignore_startup_parameters.join(","),
        );
    }
    let tls = &cx.plan.tls;
    if let Some(mode) = tls.server_tls_sslmode {
        kv("server_tls_sslmode", mode.to_string());
    }
    if let Some(ca) = &tls.server_tls_ca_file {
        kv("server_tls_ca_file", ca.clone());
    }
    // The app user may read SHOW commands (exporters, the tests); it is never an admin.
    kv("stats_users", i.db.user.clone());
    if let (Some(key), Some(cert)) = (&tls.client_tls_key_file, &tls.client_tls_cert_file) {
        out += &format!(
            "; TLS for clients: PgBouncer loads this key and certificate (readable by its user), e.g. made with\n\
             ;   openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj /CN={} -keyout {key} -out {cert}\n",
            cx.inputs.pooler.host
        );
        out += &format!(
            "client_tls_sslmode = require\nclient_tls_key_file = {key}\nclient_tls_cert_file = {cert}\n"
        );
    }
    out
}

/// Renders userlist.txt: `"user" "secret"` with `"` doubled; comment lines start with `;`
/// (a `#` line makes PgBouncer stop reading the file and drop every later user). Without a typed
/// password the entry is left to the database itself: PostgreSQL 14+ stores a SCRAM secret, which
/// PgBouncer can use both to check its clients and to log in to the server (PgBouncer docs,
/// "Authentication file format"), so the plain password never lands on disk.
pub fn userlist(cx: &Context) -> String {
    let mut out = cx.header(";");
    let user = cx
        .plan
        .endpoints
        .pooled
        .as_ref()
        .map_or(cx.inputs.db.user.as_str(), |e| e.user.as_str());
    match &cx.secrets.db_password {
        Some(p) => {
            out += "; Keep this file mode 0600, owned by the pgbouncer user.\n";
            out += &format!("{} {}\n", userlist_field(user), userlist_field(p));
        }
        None => {
            out += &format!(
                "; No password was typed into poolcalc, so the entry for {user} is not written here. Append it\n\
                 ; from PostgreSQL itself, as a superuser: its SCRAM secret lets PgBouncer check clients and log\n\
                 ; in to the server without the plain password:\n\
                 ;   psql -XAt -c \"SELECT format('\\\"%s\\\" \\\"%s\\\"', rolname, rolpassword) FROM pg_authid WHERE rolname = '{user}'\" >> {}\n\
                 ; (A managed server hides pg_authid: write \"{user}\" \"<password>\" instead, with any \" in it doubled.)\n\
                 ; Keep this file mode 0600, owned by the pgbouncer user.\n",
                cx.inputs.pooler.auth_file
            );
        }
    }
    out
}
