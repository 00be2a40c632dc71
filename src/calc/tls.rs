//! TLS per hop: what each URL asks of the client that reads it, and what PgBouncer does on its
//! two sides. The same `sslmode` text means different things to the two clients:
//! - Prisma 6's engine (quaint, prisma-engines `quaint/src/connector/postgres/url.rs`) knows
//!   `disable`, `prefer` and `require`, falls back to plain text under `prefer`, accepts any
//!   certificate unless `sslaccept=strict`, and reads the CA from `sslcert`;
//! - node-postgres under Prisma 7 (pg-connection-string `index.js`) has no plain-text fallback:
//!   `prefer`, `require` and `verify-ca` all mean verify-full (checked against Node's CA store),
//!   unless `uselibpqcompat=true` gives them libpq's meaning, which for `require` is "encrypted,
//!   certificate not checked"; `sslrootcert` names the CA file.

use serde::Serialize;

use super::endpoints::Endpoints;
use super::explain::{source, Derivation, Finding};
use super::inputs::{Inputs, Pooler, Prisma, Provider, SslMode};

/// What one hop does with TLS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encryption {
    /// Plain text.
    Off,
    /// TLS when the server offers it, plain text otherwise; the certificate is not checked.
    Opportunistic,
    /// TLS or no connection; the certificate is not checked.
    Unverified,
    /// TLS, with the certificate checked against the CA file and the host name.
    Verified,
}

/// One hop's TLS and the URL parameters that ask the client for it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HopTls {
    pub encryption: Encryption,
    /// Query parameters, in the order the URL carries them.
    pub url_params: Vec<(&'static str, String)>,
}

/// TLS on every hop of the plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TlsPlan {
    /// Apps (without a pooler) and migrations to the database.
    pub direct: HopTls,
    /// Apps to the pooler, when there is one.
    pub pooled: Option<HopTls>,
    /// PgBouncer to the database (`server_tls_sslmode`).
    pub server_tls_sslmode: Option<&'static str>,
    pub server_tls_ca_file: Option<String>,
    /// PgBouncer offering TLS to its clients: the key and certificate files it loads.
    pub client_tls_key_file: Option<String>,
    pub client_tls_cert_file: Option<String>,
}

/// A hop to a server that manages its own TLS (the database itself, or Supavisor).
fn server_hop(sslmode: SslMode, ca: Option<&str>, prisma: Prisma) -> HopTls {
    let v7 = prisma == Prisma::V7;
    let p = |k: &'static str, v: &str| (k, v.to_string());
    let (encryption, url_params) = match (sslmode, ca, v7) {
        (SslMode::Disable, _, _) => (Encryption::Off, vec![p("sslmode", "disable")]),
        (_, Some(ca), false) => (
            Encryption::Verified,
            vec![
                p("sslmode", "require"),
                p("sslaccept", "strict"),
                p("sslcert", ca),
            ],
        ),
        (_, Some(ca), true) => (
            Encryption::Verified,
            vec![p("sslmode", "verify-full"), p("sslrootcert", ca)],
        ),
        (SslMode::Prefer, None, false) => (Encryption::Opportunistic, vec![p("sslmode", "prefer")]),
        (SslMode::Require, None, false) => (Encryption::Unverified, vec![p("sslmode", "require")]),
        (_, None, true) => (
            Encryption::Unverified,
            vec![p("sslmode", "require"), p("uselibpqcompat", "true")],
        ),
    };
    HopTls {
        encryption,
        url_params,
    }
}

/// The directory of the auth_file path (where PgBouncer's own files live).
fn pgbouncer_dir(auth_file: &str) -> &str {
    match auth_file.rsplit_once('/') {
        Some(("", _)) | None => "",
        Some((dir, _)) => dir,
    }
}

/// Whether PgBouncer listens on loopback only (clients on the same host).
pub fn loopback(host: &str) -> bool {
    host == "localhost" || host.starts_with("127.")
}

/// Plans TLS for every hop and reports the hops that are not encrypted or not verified.
pub fn plan_tls(
    inputs: &Inputs,
    endpoints: &Endpoints,
    r: &mut super::settings::Resolver,
    findings: &mut Vec<Finding>,
) -> TlsPlan {
    let db = &inputs.db;
    let ca = db.ca_file.as_deref();
    let mode = db.sslmode;
    let v7 = inputs.prisma == Prisma::V7;
    let direct = server_hop(mode, ca, inputs.prisma);
    let mut d = Derivation::new(
        "sslmode for the client that reads the URL: Prisma 6's engine, or node-postgres under Prisma 7",
        if v7 {
            source::PG_CONNECTION_STRING
        } else {
            source::QUAINT_URL
        },
    )
    .input("sslmode", mode)
    .input("db_ca_file", ca.unwrap_or("(none)"))
    .input("prisma", inputs.prisma);
    if v7 && mode == SslMode::Prefer && ca.is_none() {
        d = d.step("node-postgres cannot fall back to plain text, so prefer is written as require with uselibpqcompat=true: encrypted, certificate not checked");
        findings.push(
            Finding::warning(
                "tls.no_fallback",
                "Prisma 7 connects through node-postgres, which has no plain-text fallback: sslmode=prefer becomes sslmode=require&uselibpqcompat=true, so the server must offer TLS (its certificate is not checked). For a server without TLS set sslmode=disable; to check the certificate set db_ca_file",
                source::PG_CONNECTION_STRING,
            )
            .field("sslmode"),
        );
    }
    if v7 && ca.is_some() && mode != SslMode::Disable {
        d = d.step("migrations run Prisma's schema engine, which reads the same URL but ignores sslrootcert and treats verify-full as prefer: they are encrypted, not verified");
    }
    if db.provider == Provider::Rds && mode == SslMode::Disable {
        findings.push(
            Finding::error(
                "tls.rds_force_ssl",
                "RDS for PostgreSQL 15 and later refuses unencrypted connections by default (rds.force_ssl = 1): sslmode=disable cannot connect. Use prefer or require",
                source::RDS_SSL,
            )
            .field("sslmode"),
        );
    }
    r.derived("tls.direct", d);

    let mut plan = TlsPlan {
        direct: direct.clone(),
        pooled: None,
        server_tls_sslmode: None,
        server_tls_ca_file: None,
        client_tls_key_file: None,
        client_tls_cert_file: None,
    };
    match inputs.pooler.kind {
        Pooler::None => {}
        Pooler::Supavisor => {
            // Supavisor terminates TLS itself, with the same certificate chain as the database.
            plan.pooled = Some(direct.clone());
        }
        Pooler::PgBouncer => {
            let p = &inputs.pooler;
            let host = endpoints
                .pooled
                .as_ref()
                .map_or(p.host.as_str(), |e| e.host.as_str());
            let mut d = Derivation::new(
                "client_tls_sslmode = require when sslmode=require, else no client TLS (PgBouncer's default)",
                source::PGBOUNCER_TLS,
            )
            .input("sslmode", mode)
            .input("pgb_host", host);
            if mode == SslMode::Require {
                let dir = pgbouncer_dir(&p.auth_file);
                plan.client_tls_key_file = Some(format!("{dir}/pgbouncer.key"));
                plan.client_tls_cert_file = Some(format!("{dir}/pgbouncer.crt"));
                let mut params = vec![("sslmode", "require".to_string())];
                if v7 {
                    params.push(("uselibpqcompat", "true".to_string()));
                }
                d = d.step("PgBouncer offers TLS with the key and certificate next to auth_file; the URL requires it without checking the certificate");
                plan.pooled = Some(HopTls {
                    encryption: Encryption::Unverified,
                    url_params: params,
                });
            } else {
                d = d.step("PgBouncer offers no TLS to clients, so the URL must not ask for it: sslmode=disable");
                let (severity, place) = if loopback(host) {
                    (
                        super::explain::Severity::Info,
                        "on this host's loopback only",
                    )
                } else {
                    (super::explain::Severity::Warning, "across the network")
                };
                findings.push(
                    Finding::new(
                        severity,
                        "tls.pooler_plain",
                        format!("Apps reach PgBouncer without TLS ({place}): the pooled URLs say sslmode=disable, because the generated pgbouncer.ini offers no client TLS. PgBouncer still authenticates with SCRAM, but queries and results cross that hop in clear; set sslmode=require to have PgBouncer offer TLS"),
                        source::PGBOUNCER_TLS,
                    )
                    .field("sslmode"),
                );
                plan.pooled = Some(HopTls {
                    encryption: Encryption::Off,
                    url_params: vec![("sslmode", "disable".to_string())],
                });
            }
            r.derived("tls.pooled", d);

            // PgBouncer to the database follows the provider: managed servers offer (RDS 15+:
            // demand) TLS; a self-hosted server follows sslmode.
            let managed = matches!(db.provider, Provider::Rds | Provider::Supabase);
            let server = match (mode, ca, managed) {
                (_, Some(_), _) if mode != SslMode::Disable || managed => "verify-full",
                (_, _, true) => "require",
                (SslMode::Disable, _, false) => "disable",
                (SslMode::Prefer, _, false) => "prefer",
                (SslMode::Require, _, false) => "require",
            };
            plan.server_tls_sslmode = Some(server);
            if server == "verify-full" {
                plan.server_tls_ca_file = ca.map(str::to_string);
            }
            r.derived("tls.server", Derivation::new(
                    "server_tls_sslmode: the provider's TLS (RDS, Supabase: require), else sslmode; verify-full with db_ca_file",
                    source::PGBOUNCER_TLS,
                )
                .input("provider", db.provider)
                .input("sslmode", mode)
                .step(format!("server_tls_sslmode = {server}")),
            );
        }
    }
    // The database's own certificate (direct, and Supavisor's, which shares its chain); PgBouncer's
    // client certificate is the user's own and is covered by the pooled derivation.
    let unverified = matches!(
        plan.direct.encryption,
        Encryption::Opportunistic | Encryption::Unverified
    );
    if unverified && ca.is_none() {
        findings.push(
            Finding::info(
                "tls.unverified",
                "The database's certificate is not checked: TLS, where it is used, stops eavesdropping but not an impostor on the path. Set db_ca_file to the CA that signed it (RDS: its global-bundle.pem; Supabase: the project's CA certificate) to verify it",
                source::PG_SSL,
            )
            .field("db_ca_file"),
        );
    }
    plan
}
