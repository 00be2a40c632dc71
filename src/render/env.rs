//! `.env`: shared values first, then one block per service where values differ.

use super::url::{direct_url, service_url};
use super::Context;
use crate::calc::inputs::{KafkaClient, Prisma, RedisMode, Sasl};

/// A value for a dotenv line. Double quotes suit our URLs and hosts (validated or percent-encoded,
/// so they hold no `"`, `\` or newline). A typed secret goes in single quotes, which dotenv and
/// dotenv-expand read literally; one that contains a `'` cannot be written safely, so the line
/// says to set it in the secret store instead.
fn secret_line(name: &str, value: Option<&str>) -> String {
    match value {
        None => format!("# {name}: set it in your secret store (never in a share link)\n"),
        Some(v) if !v.contains('\'') => format!("{name}='{v}'\n"),
        Some(_) => format!("# {name}: the typed value contains ' and cannot be written safely here; set it in your secret store\n"),
    }
}

/// Renders the .env bundle.
pub fn env_file(cx: &Context) -> String {
    let i = cx.inputs;
    let p = cx.plan;
    let mut out = cx.header("#");
    out += "#\n# URLs use ${DB_PASSWORD} where no password was typed: dotenv-expand (which Prisma's CLI\n\
            # uses) fills it in, so its value must be percent-encoded (RFC 3986).\n";
    if cx.secrets.db_password.is_none() {
        out += &secret_line("DB_PASSWORD", None);
    }
    out += "\n# Shared by every service\n";
    let per_service_url = i.prisma == Prisma::V6;
    if !per_service_url {
        if let Some(svc) = p.services.first() {
            out += &format!("DATABASE_URL=\"{}\"\n", service_url(cx, svc));
        }
    }
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
        out += &format!("REDIS_TLS={}\n", i.redis.tls);
        out += &secret_line("REDIS_PASSWORD", cx.secrets.redis_password.as_deref());
    }
    if p.kafka.is_some() {
        let brokers: Vec<String> = i.kafka.brokers.iter().map(|b| b.to_string()).collect();
        out += &format!(
            "KAFKA_BROKERS=\"{}\"\nKAFKA_SSL={}\n",
            brokers.join(","),
            i.kafka.ssl
        );
        if i.kafka.sasl != Sasl::None {
            out += &format!("KAFKA_SASL_MECHANISM={}\n", i.kafka.sasl);
            out += "# KAFKA_USERNAME: set it in your secret store\n";
            out += &secret_line("KAFKA_PASSWORD", cx.secrets.kafka_password.as_deref());
        }
    }
    let kafka = i.kafka.client != KafkaClient::Off;
    if per_service_url || kafka {
        for svc in &p.services {
            out += &format!(
                "\n# {}: {} replicas ({} during a deploy), pool {} each\n",
                svc.name, svc.replicas, svc.peak_replicas, svc.connection_limit
            );
            if per_service_url {
                out += &format!("DATABASE_URL=\"{}\"\n", service_url(cx, svc));
            }
            if kafka {
                out += &format!(
                    "KAFKA_CLIENT_ID=\"{0}\"\nKAFKA_GROUP_ID=\"{0}-group\"\n",
                    svc.name
                );
            }
        }
    }
    out
}
