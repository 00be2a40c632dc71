//! The share link (shared/share-link.md): the one text form of the inputs. `parse` reports every
//! bad parameter by name with its allowed values and leaves every other field as given;
//! `write` produces the shortest link that parses back to the same inputs.

use std::str::FromStr;

use super::inputs::*;
use super::pins::check_pin;
use super::presets::{rds_class, SupabaseTier, RDS_CLASSES};
use super::text::*;
use super::text_enum::{text_enum, TextEnum};

text_enum!(
    /// Colour theme of the page.
    Theme { Auto = "auto", Light = "light", Dark = "dark" }
);

/// The artifacts, in the order the page shows them; their names serve `block=`, the CLI and downloads.
pub const ARTIFACTS: &[&str] = &[
    "env",
    "database-url",
    "prisma-schema",
    "prisma-client",
    "pgbouncer.ini",
    "userlist.txt",
    "ioredis",
    "kafkajs",
    "alerts.yml",
    "budget.md",
    "findings",
];

/// Page-only parameters: how to show the inputs, not what they are.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct View {
    pub embed: bool,
    pub block: Option<String>,
    pub theme: Option<Theme>,
    /// Whose per-service files (`.env`, `DATABASE_URL`) are shown; `None`: the first service.
    pub service: Option<String>,
}

/// One rejected parameter: its name, the value given, and what is allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamError {
    pub param: String,
    pub value: String,
    pub message: String,
}

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={}: {}", self.param, self.value, self.message)
    }
}

/// What a link holds: the inputs (bad parameters left at their defaults), the view, and the errors.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    pub inputs: Inputs,
    pub view: View,
    pub errors: Vec<ParamError>,
}

/// Parameters that would carry a secret. They are refused, never read (shared/share-link.md).
const SECRET_PARAMS: &[&str] = &[
    "password",
    "db_password",
    "redis_password",
    "kafka_password",
    "sasl_password",
    "kafka_sasl_password",
];

/// Most services and host lists a link may carry (keeps plans and outputs bounded).
const MAX_SERVICES: usize = 100;
const MAX_HOSTS: usize = 64;

/// Parses a query string, with or without `?`, or a whole share link.
pub fn parse(link: &str) -> Parsed {
    let query = link.split('#').next().unwrap_or("");
    let query = match query.split_once('?') {
        Some((_, q)) => q,
        None if query.contains("://") => "",
        None => query,
    };
    let mut p = Parser {
        inputs: Inputs::default(),
        view: View::default(),
        errors: Vec::new(),
        seen: Vec::new(),
        services: Vec::new(),
        pins: Vec::new(),
    };
    // A preset first, so that the link's own parameters override what it sets.
    let pairs: Vec<&str> = query.split('&').filter(|s| !s.is_empty()).collect();
    let is_preset = |p: &&str| p.split('=').next() == Some("preset");
    let ordered = pairs
        .iter()
        .filter(|p| is_preset(p))
        .chain(pairs.iter().filter(|p| !is_preset(p)));
    for pair in ordered {
        let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent_decode(raw_key).unwrap_or_else(|_| raw_key.to_string());
        match percent_decode(raw_value) {
            Ok(value) => p.param(&key, &value),
            Err(why) => p.error(&key, raw_value, &format!("the value is {why}")),
        }
    }
    p.finish()
}

struct Parser {
    inputs: Inputs,
    view: View,
    errors: Vec<ParamError>,
    seen: Vec<String>,
    services: Vec<Service>,
    pins: Vec<(Pin, String)>,
}

impl Parser {
    fn error(&mut self, param: &str, value: &str, message: &str) {
        let value: String = value.chars().take(80).collect();
        self.errors.push(ParamError {
            param: param.to_string(),
            value,
            message: message.to_string(),
        });
    }

    fn param(&mut self, key: &str, value: &str) {
        let repeatable = matches!(key, "svc" | "set");
        if !repeatable {
            if self.seen.iter().any(|k| k == key) {
                return self.error(key, value, "given more than once; the first value is used");
            }
            self.seen.push(key.to_string());
        }
        if value.is_empty() {
            return self.error(key, value, "is empty");
        }
        if SECRET_PARAMS.contains(&key) {
            return self.error(key, "(hidden)", "secrets are never read from a link: type them into the page, or set POOLCALC_*_PASSWORD for the CLI");
        }
        let r = match key {
            "svc" => self.service(value),
            "set" => self.pin(value),
            "embed" | "block" | "theme" | "service" => apply_view(&mut self.view, key, value),
            _ => apply(&mut self.inputs, key, value),
        };
        if let Err(message) = r {
            self.error(key, value, &message);
        }
    }

    fn service(&mut self, value: &str) -> Result<(), String> {
        let parts: Vec<&str> = value.split(':').collect();
        let (name, replicas, workload) = match parts[..] {
            [n, r] => (n, r, None),
            [n, r, w] => (n, r, Some(w)),
            _ => return Err("NAME:REPLICAS or NAME:REPLICAS:WORKLOAD".into()),
        };
        check_service_name(name)?;
        let replicas =
            parse_num(replicas, 1, 10_000).map_err(|e| format!("REPLICAS must be {e}"))?;
        let workload = match workload {
            None => None,
            Some(w) => Some(
                Workload::from_str(w)
                    .map_err(|_| format!("WORKLOAD must be {}", Workload::allowed()))?,
            ),
        };
        if self.services.iter().any(|s| s.name == name) {
            return Err(format!("service `{name}` is listed twice"));
        }
        if self.services.len() >= MAX_SERVICES {
            return Err(format!("at most {MAX_SERVICES} services"));
        }
        self.services.push(Service {
            name: name.to_string(),
            replicas,
            workload,
        });
        Ok(())
    }

    fn pin(&mut self, value: &str) -> Result<(), String> {
        let (path, v) = value
            .rsplit_once(':')
            .ok_or("PATH:VALUE, e.g. wallet-service.connection_limit:20")?;
        let v = parse_num(v, 0, u64::MAX)
            .map_err(|_| "PATH:VALUE with VALUE a whole number".to_string())?;
        // A path renamed since is read as its new name (README, share-link notes).
        let path = super::settings::RENAMED
            .iter()
            .find(|(old, _)| *old == path)
            .map_or(path, |(_, new)| *new);
        self.pins.push((
            Pin {
                path: path.to_string(),
                value: v,
            },
            value.to_string(),
        ));
        Ok(())
    }

    /// Applies what depends on other parameters: the service list, then pins checked against it.
    fn finish(mut self) -> Parsed {
        if !self.services.is_empty() {
            self.inputs.services = std::mem::take(&mut self.services);
        }
        let names: Vec<String> = self
            .inputs
            .services
            .iter()
            .map(|s| s.name.clone())
            .collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        for (pin, raw) in std::mem::take(&mut self.pins) {
            let twice = self.inputs.pins.iter().any(|p| p.path == pin.path);
            match check_pin(&pin, &names).and_then(|()| {
                if twice {
                    Err(format!("`{}` is pinned twice", pin.path))
                } else {
                    Ok(())
                }
            }) {
                Ok(()) => self.inputs.pins.push(pin),
                Err(message) => self.error("set", &raw, &message),
            }
        }
        Parsed {
            inputs: self.inputs,
            view: self.view,
            errors: self.errors,
        }
    }
}

/// The single-valued input parameters, in the order the share-link contract lists them. `svc`
/// and `set` are written after `prisma` and `surge` respectively (see `write_with_view`).
pub const SCALAR_PARAMS: &[&str] = &[
    "env",
    "preset",
    "provider",
    "db_cores",
    "db_storage",
    "db_spindles",
    "db_max_conn",
    "db_reserved",
    "rds_class",
    "supabase_tier",
    "headroom",
    "db_host",
    "db_port",
    "db_name",
    "db_user",
    "db_schema",
    "sslmode",
    "db_ca_file",
    "supabase_ref",
    "pooler",
    "pgb_version",
    "pgb_mode",
    "pgb_instances",
    "pgb_host",
    "pgb_port",
    "pgb_auth_file",
    "prisma",
    "app_cores",
    "surge",
    "redis",
    "redis_use",
    "redis_host",
    "redis_port",
    "redis_db",
    "redis_nodes",
    "redis_masters",
    "redis_queues",
    "redis_tls",
    "redis_maxclients",
    "kafka",
    "kafka_brokers",
    "kafka_eos",
    "kafka_compression",
    "kafka_ssl",
    "kafka_sasl",
];

/// Sets one single-valued parameter from its text form, or says what is allowed. The page's
/// form uses it too, so a field and a link accept and refuse exactly the same text.
pub fn apply(i: &mut Inputs, key: &str, value: &str) -> Result<(), String> {
    match key {
        "v" => (value == "1")
            .then_some(())
            .ok_or_else(|| "the link schema version: `1`".into()),
        "env" => set_enum(&mut i.env, value),
        "preset" => match value {
            "" | "none" => {
                i.preset = None;
                Ok(())
            }
            _ => Preset::from_str(value)
                .map(|p| {
                    i.preset = Some(p);
                    apply_preset(i, p);
                })
                .map_err(|_| Preset::allowed()),
        },
        "provider" => set_enum(&mut i.db.provider, value),
        "db_cores" => set_num(&mut i.db.cores, value, 1, 512),
        "db_storage" => set_enum(&mut i.db.storage, value),
        "db_spindles" => set_num(&mut i.db.spindles, value, 0, 128),
        "db_max_conn" => set_num(&mut i.db.max_connections, value, 1, 262_143),
        "db_reserved" => set_num(&mut i.db.reserved, value, 0, 1000),
        "rds_class" if value.is_empty() || value == "custom" => {
            i.db.rds_class = None;
            Ok(())
        }
        "rds_class" => match rds_class(value) {
            Some(c) => {
                i.db.rds_class = Some(c.name.to_string());
                Ok(())
            }
            None => Err(format!(
                "one of {}",
                RDS_CLASSES
                    .iter()
                    .map(|c| c.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        },
        "supabase_tier" => set_enum::<SupabaseTier>(&mut i.db.supabase_tier, value),
        "headroom" => set_num(&mut i.db.headroom, value, 0, 1000),
        "db_host" => check_host(value).map(|_| i.db.host = value.into()),
        "db_port" => set_port(&mut i.db.port, value),
        "db_name" => check_db_name(value).map(|_| i.db.name = value.into()),
        "db_user" => check_db_user(value).map(|_| i.db.user = value.into()),
        "db_schema" if value.is_empty() => {
            i.db.schema = None;
            Ok(())
        }
        "db_schema" => check_schema(value).map(|_| i.db.schema = Some(value.into())),
        "sslmode" => set_enum(&mut i.db.sslmode, value),
        "db_ca_file" if value.is_empty() => {
            i.db.ca_file = None;
            Ok(())
        }
        "db_ca_file" => check_path(value).map(|_| i.db.ca_file = Some(value.into())),
        "supabase_ref" if value.is_empty() => {
            i.db.supabase_ref = None;
            Ok(())
        }
        "supabase_ref" => check_supabase_ref(value).map(|_| i.db.supabase_ref = Some(value.into())),
        "pooler" => set_enum(&mut i.pooler.kind, value),
        "pgb_version" => PgbVersion::from_str(value)
            .map(|v| i.pooler.version = v)
            .map_err(|_| "`1.18` … `1.25`".into()),
        "pgb_mode" => set_enum(&mut i.pooler.mode, value),
        "pgb_instances" => set_num(&mut i.pooler.instances, value, 1, 64),
        "pgb_host" => check_host(value).map(|_| i.pooler.host = value.into()),
        "pgb_port" => set_port(&mut i.pooler.port, value),
        "pgb_auth_file" => check_path(value).map(|_| i.pooler.auth_file = value.into()),
        "prisma" => set_enum(&mut i.prisma, value),
        "app_cores" => set_num(&mut i.app_cores, value, 1, 512),
        "surge" => set_enum(&mut i.surge, value),
        "redis" => set_enum(&mut i.redis.mode, value),
        "redis_use" => parse_uses(value).map(|u| i.redis.uses = u),
        "redis_host" => check_host(value).map(|_| i.redis.host = value.into()),
        "redis_port" => set_port(&mut i.redis.port, value),
        "redis_db" => set_num(&mut i.redis.db, value, 0, 255),
        "redis_nodes" if value.is_empty() => {
            i.redis.nodes.clear();
            Ok(())
        }
        "redis_nodes" => parse_hosts(value).map(|h| i.redis.nodes = h),
        "redis_masters" => set_num(&mut i.redis.masters, value, 1, 1000),
        "redis_queues" => set_num(&mut i.redis.queues, value, 1, 100),
        "redis_tls" => set_flag(&mut i.redis.tls, value),
        "redis_maxclients" => set_num(&mut i.redis.maxclients, value, 1, 10_000_000),
        "kafka" => set_enum(&mut i.kafka.client, value),
        "kafka_brokers" => parse_hosts(value).map(|h| i.kafka.brokers = h),
        "kafka_eos" => set_flag(&mut i.kafka.eos, value),
        "kafka_compression" => set_enum(&mut i.kafka.compression, value),
        "kafka_ssl" => set_flag(&mut i.kafka.ssl, value),
        "kafka_sasl" => set_enum(&mut i.kafka.sasl, value),
        _ => Err("unknown parameter".into()),
    }
}

/// A preset's own inputs (its numbers are pins: pins.rs). The runbook reviews its production
/// setup: PgBouncer, and KafkaJS with SASL PLAIN and `KAFKA_SSL=false`. A link's own parameters
/// override them: `parse` applies `preset` first.
fn apply_preset(i: &mut Inputs, preset: Preset) {
    match preset {
        Preset::Runbook => {
            i.pooler.kind = Pooler::PgBouncer;
            i.kafka.sasl = Sasl::Plain;
            i.kafka.ssl = false;
        }
    }
}

/// The text form of one single-valued parameter (empty for an unset optional one).
pub fn param_value(i: &Inputs, key: &str) -> String {
    let hosts = |v: &[HostPort]| {
        v.iter()
            .map(|h| h.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    match key {
        "env" => i.env.to_string(),
        "preset" => i.preset.map(|p| p.to_string()).unwrap_or_default(),
        "provider" => i.db.provider.to_string(),
        "db_cores" => i.db.cores.to_string(),
        "db_storage" => i.db.storage.to_string(),
        "db_spindles" => i.db.spindles.to_string(),
        "db_max_conn" => i.db.max_connections.to_string(),
        "db_reserved" => i.db.reserved.to_string(),
        "rds_class" => opt(&i.db.rds_class),
        "supabase_tier" => i.db.supabase_tier.to_string(),
        "headroom" => i.db.headroom.to_string(),
        "db_host" => i.db.host.clone(),
        "db_port" => i.db.port.to_string(),
        "db_name" => i.db.name.clone(),
        "db_user" => i.db.user.clone(),
        "db_schema" => opt(&i.db.schema),
        "sslmode" => i.db.sslmode.to_string(),
        "db_ca_file" => opt(&i.db.ca_file),
        "supabase_ref" => opt(&i.db.supabase_ref),
        "pooler" => i.pooler.kind.to_string(),
        "pgb_version" => i.pooler.version.to_string(),
        "pgb_mode" => i.pooler.mode.to_string(),
        "pgb_instances" => i.pooler.instances.to_string(),
        "pgb_host" => i.pooler.host.clone(),
        "pgb_port" => i.pooler.port.to_string(),
        "pgb_auth_file" => i.pooler.auth_file.clone(),
        "prisma" => i.prisma.to_string(),
        "app_cores" => i.app_cores.to_string(),
        "surge" => i.surge.to_string(),
        "redis" => i.redis.mode.to_string(),
        "redis_use" => i
            .redis
            .uses
            .iter()
            .map(|u| u.as_str())
            .collect::<Vec<_>>()
            .join(","),
        "redis_host" => i.redis.host.clone(),
        "redis_port" => i.redis.port.to_string(),
        "redis_db" => i.redis.db.to_string(),
        "redis_nodes" => hosts(&i.redis.nodes),
        "redis_masters" => i.redis.masters.to_string(),
        "redis_queues" => i.redis.queues.to_string(),
        "redis_tls" => u8::from(i.redis.tls).to_string(),
        "redis_maxclients" => i.redis.maxclients.to_string(),
        "kafka" => i.kafka.client.to_string(),
        "kafka_brokers" => hosts(&i.kafka.brokers),
        "kafka_eos" => u8::from(i.kafka.eos).to_string(),
        "kafka_compression" => i.kafka.compression.to_string(),
        "kafka_ssl" => u8::from(i.kafka.ssl).to_string(),
        "kafka_sasl" => i.kafka.sasl.to_string(),
        _ => String::new(),
    }
}

fn apply_view(view: &mut View, key: &str, value: &str) -> Result<(), String> {
    match key {
        "embed" => (value == "1")
            .then(|| view.embed = true)
            .ok_or_else(|| "`1`".into()),
        "block" => ARTIFACTS
            .iter()
            .find(|a| **a == value)
            .map(|a| view.block = Some(a.to_string()))
            .ok_or_else(|| format!("one of {}", ARTIFACTS.join(", "))),
        "service" => check_service_name(value).map(|_| view.service = Some(value.to_string())),
        _ => Theme::from_str(value)
            .map(|t| view.theme = Some(t))
            .map_err(|_| Theme::allowed()),
    }
}

fn set_enum<T: FromStr + TextEnum>(slot: &mut T, value: &str) -> Result<(), String> {
    *slot = T::from_str(value).map_err(|_| T::allowed_values())?;
    Ok(())
}

/// Plain decimal digits only (no sign, no spaces), within `lo..=hi`.
fn parse_num<T: TryFrom<u64> + Copy>(value: &str, lo: u64, hi: u64) -> Result<T, String> {
    let range = || format!("a whole number from {lo} to {hi}");
    if value.is_empty() || value.len() > 20 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(range());
    }
    let n: u64 = value.parse().map_err(|_| range())?;
    if !(lo..=hi).contains(&n) {
        return Err(range());
    }
    T::try_from(n).map_err(|_| range())
}

fn set_num<T: TryFrom<u64> + Copy>(
    slot: &mut T,
    value: &str,
    lo: u64,
    hi: u64,
) -> Result<(), String> {
    *slot = parse_num(value, lo, hi)?;
    Ok(())
}

fn set_port(slot: &mut u16, value: &str) -> Result<(), String> {
    set_num(slot, value, 1, 65_535)
}

fn set_flag(slot: &mut bool, value: &str) -> Result<(), String> {
    match value {
        "0" => *slot = false,
        "1" => *slot = true,
        _ => return Err("`0` or `1`".into()),
    }
    Ok(())
}

fn parse_uses(value: &str) -> Result<Vec<RedisUse>, String> {
    let mut uses = Vec::new();
    for part in value.split(',') {
        let u = RedisUse::from_str(part)
            .map_err(|_| format!("a comma list of {}", RedisUse::allowed()))?;
        uses.push(u);
    }
    // Each use once, in the contract's order.
    Ok(RedisUse::ALL
        .iter()
        .copied()
        .filter(|u| uses.contains(u))
        .collect())
}

fn parse_hosts(value: &str) -> Result<Vec<HostPort>, String> {
    let parts: Vec<&str> = value.split(',').collect();
    if parts.len() > MAX_HOSTS {
        return Err(format!("at most {MAX_HOSTS} host:port entries"));
    }
    parts
        .into_iter()
        .map(|part| {
            let (host, port) = part.rsplit_once(':').ok_or("a comma list of host:port")?;
            check_host(host).map_err(|e| format!("a comma list of host:port, host being {e}"))?;
            let port = parse_num(port, 1, 65_535)
                .map_err(|e| format!("a comma list of host:port, port being {e}"))?;
            Ok(HostPort {
                host: host.to_string(),
                port,
            })
        })
        .collect()
}

/// Writes the inputs as a query string (without `?`): `v=1`, then every value that differs from
/// its default, in the order of the share-link contract.
pub fn write(inputs: &Inputs) -> String {
    write_with_view(inputs, &View::default())
}

/// Like [`write`], followed by the page-only parameters.
pub fn write_with_view(inputs: &Inputs, view: &View) -> String {
    // What the link starts from: the defaults, with the preset's own inputs when one is set (the
    // parser applies it first), so that a value the preset sets is written only if it differs.
    let plain = Inputs::default();
    let mut d = plain.clone();
    if let Some(p) = inputs.preset {
        apply_preset(&mut d, p);
    }
    let mut out: Vec<(&str, String)> = vec![("v", "1".into())];
    for key in SCALAR_PARAMS {
        let value = param_value(inputs, key);
        let base = if *key == "preset" { &plain } else { &d };
        if value != param_value(base, key) {
            out.push((key, value));
        }
        if *key == "prisma" && inputs.services != d.services {
            for svc in &inputs.services {
                let w = svc.workload.map(|w| format!(":{w}")).unwrap_or_default();
                out.push(("svc", format!("{}:{}{w}", svc.name, svc.replicas)));
            }
        }
        if *key == "surge" {
            for pin in &inputs.pins {
                out.push(("set", format!("{}:{}", pin.path, pin.value)));
            }
        }
    }
    if view.embed {
        out.push(("embed", "1".into()));
    }
    if let Some(block) = &view.block {
        out.push(("block", block.clone()));
    }
    if let Some(theme) = view.theme {
        out.push(("theme", theme.to_string()));
    }
    if let Some(service) = &view.service {
        out.push(("service", service.clone()));
    }
    out.iter()
        .map(|(k, v)| format!("{k}={}", percent_encode_query(v)))
        .collect::<Vec<_>>()
        .join("&")
}
