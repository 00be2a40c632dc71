//! `.env`: one file per service, every key once, and only keys the generated code reads (TLS and
//! SASL mechanisms are written into the modules themselves).

use super::url::{direct_url, service_url, DB_PASSWORD, DB_PASSWORD_URLENCODED};
use super::Context;
use crate::calc::inputs::{Prisma, RedisMode, Sasl};

/// A value for a dotenv line. Double quotes suit our URLs and hosts (validated or percent-encoded,
/// so they hold no `"`, `\` or newline). A typed secret goes in single quotes, which dotenv reads
/// literally; one that contains a `'` cannot be written safely, so the line says to set it in the
/// secret store instead. Prisma 6 loads `.env` through dotenv-expand, which expands `$NAME` even in
/// single quotes and turns `\$` back into `$`: for it, each `$` is written `\$`.
fn secret_line(name: &str, value: Option<&str>, expanded: bool) -> String {
    match value {
        None => format!("# {name}: set it in your secret store (never in a share link)\n"),
        Some(v) if !v.contains('\'') => {
            let v = if expanded {
                v.replace('$', "\\$")
            } else {
                v.to_string()
            };
            format!("{name}='{v}'\n")
        }
        Some(_) => format!("# {name}: the typed value contains ' and cannot be written safely here; set it in your secret store\n"),
    }
}

/// Renders one service's `.env`. One file per service: dotenv keeps a single value per key (the
/// last one assigned), so a shared file cannot carry each service's URL and client id.
pub fn env_file(cx: &Context) -> String {
    let i = cx.inputs;
    let p = cx.plan;
    let mut out = cx.header("#");
    let Some(svc) = cx.service_plan() else {
        out += "# No services in these inputs.\n";
        return out;
    };
    let replicas = if svc.max_replicas > svc.replicas {
        format!(
            "{}–{} replicas ({} during a deploy at the maximum)",
            svc.replicas, svc.max_replicas, svc.peak_replicas
        )
    } else {
        format!(
            "{} replicas ({} during a deploy)",
            svc.replicas, svc.peak_replicas
        )
    };
    let fleet = if svc.serverless {
        format!(
            "up to {} concurrent instances, one connection each",
            svc.max_replicas
        )
    } else if svc.processes > 1 {
        format!(
            "{replicas}, {} processes each, pool {} per process",
            svc.processes, svc.connection_limit
        )
    } else {
        format!("{replicas}, pool {} each", svc.connection_limit)
    };
    if svc.serverless || svc.max_replicas > svc.replicas || svc.processes > 1 {
        out += &format!(
            "#\n# .env for {}: {fleet}.\n\
             # Each service's deployment gets its own file (dotenv keeps one value per key).\n",
            svc.name
        );
    } else {
        out += &format!(
            "#\n# .env for {}: {fleet}. Each service's deployment\n\
             # gets its own file (dotenv keeps one value per key).\n",
            svc.name
        );
    }
    if let Some(user) = p.roles.as_ref().and_then(|r| r.user_of(&svc.name)) {
        out += &format!(
            "# It logs in as its own role, {user} (roles.sql), capped at its share of the connections.\n"
        );
    }
    if let (Some(_), Prisma::V7) = (&cx.secrets.db_password, i.prisma) {
        out += &format!(
            "#\n# The URLs carry no password: db.ts and prisma.config.ts add {DB_PASSWORD}, percent-encoded.\n"
        );
    }
    if cx.secrets.db_password.is_none() {
        out += &match i.prisma {
            Prisma::V6 => format!(
                "#\n# The URLs take the password from {DB_PASSWORD_URLENCODED}: the database password percent-encoded\n\
                 # (RFC 3986), e.g. node -p 'encodeURIComponent(process.argv[1])' \"$DB_PASSWORD\". Prisma 6\n\
                 # fills it in when it loads this file (dotenv-expand).\n\
                 # {DB_PASSWORD_URLENCODED}: set it in your secret store (never in a share link)\n"
            ),
            Prisma::V7 => format!(
                "#\n# The URLs carry no password: db.ts and prisma.config.ts add {DB_PASSWORD} (the password as\n\
                 # it is), percent-encoded, when they build the connection.\n\
                 # {DB_PASSWORD}: set it in your secret store (never in a share link)\n"
            ),
        };
    }
    // Prisma 6 loads this file itself, through dotenv-expand; under Prisma 7 the app loads it with
    // plain dotenv.
    let expanded = i.prisma == Prisma::V6;
    out += "\n";
    if let (Some(p), Prisma::V7) = (&cx.secrets.db_password, i.prisma) {
        out += &secret_line(DB_PASSWORD, Some(p), false);
    }
    out += &format!("DATABASE_URL=\"{}\"\n", service_url(cx, svc));
    if p.prisma.direct_url {
        out += &format!("DIRECT_URL=\"{}\"\n", direct_url(cx));
    }
    if let Some(r) = &p.redis {
        if r.mode == RedisMode::Cluster {
            let nodes: Vec<String> = i.redis.nodes.iter().map(|n| n.to_string()).collect();
            out += &format!("REDIS_CLUSTER_NODES=\"{}\"\n", nodes.join(","));
        } else {
            out += &format!(
                "REDIS_HOST=\"{}\"\nREDIS_PORT={}\nREDIS_DB={}\n",
                i.redis.host, i.redis.port, i.redis.db
            );
        }
        out += &secret_line(
            "REDIS_PASSWORD",
            cx.secrets.redis_password.as_deref(),
            expanded,
        );
    }
    if p.kafka.is_some() {
        let brokers: Vec<String> = i.kafka.brokers.iter().map(|b| b.to_string()).collect();
        out += &format!("KAFKA_BROKERS=\"{}\"\n", brokers.join(","));
        if i.kafka.sasl != Sasl::None {
            out += "# KAFKA_USERNAME: set it in your secret store\n";
            out += &secret_line(
                "KAFKA_PASSWORD",
                cx.secrets.kafka_password.as_deref(),
                expanded,
            );
        }
        out += &format!(
            "KAFKA_CLIENT_ID=\"{0}\"\nKAFKA_GROUP_ID=\"{0}-group\"\n",
            svc.name
        );
    }
    out
}
