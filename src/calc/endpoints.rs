//! Where each hop goes: the host, port and user a client puts in its URL, per provider. Supabase
//! names the same role differently on its two doors: `postgres` on the direct host
//! `db.<ref>.supabase.co:5432`, `postgres.<ref>` on Supavisor (port 5432 in session mode, 6543 in
//! transaction mode), per Supabase's "Connecting to Postgres" guide.

use serde::Serialize;

use super::explain::{source, Derivation, Finding};
use super::inputs::{Inputs, PoolMode, Pooler, Provider};

/// PgBouncer's default `listen_port`: the pooler port the link starts from.
pub const PGBOUNCER_DEFAULT_PORT: u16 = 6432;
/// Supavisor's session-mode port (one server connection per client).
pub const SUPAVISOR_SESSION_PORT: u16 = 5432;
/// Supavisor's transaction-mode port (no prepared statements).
pub const SUPAVISOR_TRANSACTION_PORT: u16 = 6543;

/// One door into the database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
    pub user: String,
}

/// The direct door (migrations, and every app without a pooler) and the pooled one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Endpoints {
    pub direct: Endpoint,
    pub pooled: Option<Endpoint>,
    /// The pool mode the pooled door runs in (PgBouncer's pool_mode, or Supavisor's port).
    pub pooled_mode: Option<PoolMode>,
}

/// The Supabase role and project ref: `db_user` is the role, and `supabase_ref` the ref; a
/// `db_user` written as `role.ref` (Supavisor's form) gives both.
fn supabase_identity(inputs: &Inputs) -> (String, Option<String>) {
    let user = &inputs.db.user;
    match (&inputs.db.supabase_ref, user.rsplit_once('.')) {
        (Some(r), Some((role, suffix))) if suffix == r => (role.to_string(), Some(r.clone())),
        (Some(r), _) => (user.clone(), Some(r.clone())),
        (None, Some((role, suffix))) if !role.is_empty() && !suffix.is_empty() => {
            (role.to_string(), Some(suffix.to_string()))
        }
        (None, _) => (user.clone(), None),
    }
}

/// Works out both doors and says what is wrong with them.
pub fn plan_endpoints(
    inputs: &Inputs,
    r: &mut super::settings::Resolver,
    findings: &mut Vec<Finding>,
) -> Endpoints {
    let db = &inputs.db;
    let p = &inputs.pooler;
    let supabase = db.provider == Provider::Supabase;
    let (role, project) = if supabase {
        supabase_identity(inputs)
    } else {
        (db.user.clone(), None)
    };
    let direct_host = match (&project, db.host.as_str()) {
        (Some(r), "localhost") if supabase => format!("db.{r}.supabase.co"),
        _ => db.host.clone(),
    };
    let direct = Endpoint {
        host: direct_host,
        port: db.port,
        user: role.clone(),
    };
    let mut d = Derivation::new(
        "direct: db_host:db_port as db_user; pooled: pgb_host:pgb_port",
        source::SUPABASE_CONNECT,
    )
    .input("provider", db.provider)
    .input("pooler", p.kind);

    let (pooled, pooled_mode) = match p.kind {
        Pooler::None => (None, None),
        Pooler::PgBouncer => (
            Some(Endpoint {
                host: p.host.clone(),
                port: p.port,
                user: db.user.clone(),
            }),
            Some(p.mode),
        ),
        Pooler::Supavisor => {
            let mode_port = match p.mode {
                PoolMode::Session => SUPAVISOR_SESSION_PORT,
                _ => SUPAVISOR_TRANSACTION_PORT,
            };
            let port = if p.port == PGBOUNCER_DEFAULT_PORT {
                d = d.step(format!(
                    "Supavisor in {} mode listens on {mode_port} (pgb_port left at PgBouncer's 6432)",
                    p.mode
                ));
                mode_port
            } else {
                p.port
            };
            let other = match port {
                SUPAVISOR_SESSION_PORT if p.mode != PoolMode::Session => Some("session"),
                SUPAVISOR_TRANSACTION_PORT if p.mode == PoolMode::Session => Some("transaction"),
                _ => None,
            };
            if let Some(other) = other {
                findings.push(
                    Finding::error(
                        "supavisor.port_mode",
                        format!("Supavisor's port {port} is its {other}-mode port, but pgb_mode is {}: the URLs, pgbouncer=true and the pool sizing would follow the wrong mode. Use port {mode_port}, or set pgb_mode={other}", p.mode),
                        source::SUPABASE_CONNECT,
                    )
                    .field("pgb_port"),
                );
            }
            let user = match (&project, supabase) {
                (Some(r), true) => format!("{role}.{r}"),
                _ => db.user.clone(),
            };
            if supabase && project.is_none() {
                findings.push(
                    Finding::error(
                        "supabase.no_ref",
                        format!("Supavisor on Supabase routes by user name: it needs `{role}.<project ref>`. Set supabase_ref (the <ref> in db.<ref>.supabase.co)"),
                        source::SUPABASE_CONNECT,
                    )
                    .field("supabase_ref"),
                );
            }
            if supabase && p.host == "localhost" {
                findings.push(
                    Finding::warning(
                        "supabase.pooler_host",
                        "pgb_host is still localhost: copy the pooler host from Supabase's Connect dialog (it looks like aws-0-<region>.pooler.supabase.com)",
                        source::SUPABASE_CONNECT,
                    )
                    .field("pgb_host"),
                );
            }
            (
                Some(Endpoint {
                    host: p.host.clone(),
                    port,
                    user,
                }),
                // The port decides the mode (the error above says when pgb_mode disagrees).
                Some(match port {
                    SUPAVISOR_SESSION_PORT => PoolMode::Session,
                    SUPAVISOR_TRANSACTION_PORT => PoolMode::Transaction,
                    _ => p.mode,
                }),
            )
        }
    };
    if supabase {
        d = d.step(format!(
            "Supabase: the role is `{role}` on the direct host, `{role}.<ref>` on Supavisor"
        ));
        if direct.host.ends_with(".supabase.co") {
            findings.push(
                Finding::info(
                    "supabase.direct_ipv6",
                    format!("{} resolves to an IPv6 address only, unless the project has the IPv4 add-on: from an IPv4-only network (many CI runners and container platforms), run migrations through Supavisor's session port {SUPAVISOR_SESSION_PORT} instead", direct.host),
                    source::SUPABASE_CONNECT,
                )
                .field("db_host"),
            );
        }
    }
    r.derived("endpoints", d);
    r.derived(
        "endpoints.direct.port",
        Derivation::new("db_port as given", source::PG_CONNECTIONS),
    );
    if let Some(port) = pooled.as_ref().map(|e| e.port) {
        r.derived(
            "endpoints.pooled.port",
            Derivation::new(
                "pgb_port; for Supavisor left at 6432, the mode's own port (5432 session, 6543 transaction)",
                source::SUPABASE_CONNECT,
            )
            .step(format!("{port}")),
        );
    }
    Endpoints {
        direct,
        pooled,
        pooled_mode,
    }
}
