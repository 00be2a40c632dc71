//! The share link (shared/share-link.md): the one text form of the inputs. `parse` reports every
//! bad parameter by name with its allowed values and leaves every other field as given;
//! `write` produces the shortest link that parses back to the same inputs.

use std::str::FromStr;

use super::inputs::*;
use super::pins::check_pin;
use super::presets::{rds_class, SupabaseTier, RDS_CLASSES};
use super::text::*;
use super::text_enum::text_enum;

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
    for pair in query.split('&').filter(|s| !s.is_empty()) {
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
        let i = &mut self.inputs;
        let r: Result<(), String> = match key {
            "v" => (value == "1")
                .then_some(())
                .ok_or_else(|| "the link schema version: `1`".into()),
            "env" => set_enum(&mut i.env, value),
            "preset" => {
                set_enum(&mut Preset::Runbook, value).map(|_| i.preset = Some(Preset::Runbook))
            }
            "provider" => set_enum(&mut i.db.provider, value),
            "db_cores" => set_num(&mut i.db.cores, value, 1, 512),
            "db_storage" => set_enum(&mut i.db.storage, value),
            "db_spindles" => set_num(&mut i.db.spindles, value, 0, 128),
            "db_max_conn" => set_num(&mut i.db.max_connections, value, 1, 262_143),
            "db_reserved" => set_num(&mut i.db.reserved, value, 0, 1000),
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
            "db_schema" => check_schema(value).map(|_| i.db.schema = Some(value.into())),
            "sslmode" => set_enum(&mut i.db.sslmode, value),
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
            "redis_nodes" => parse_hosts(value).map(|h| i.redis.nodes = h),
            "redis_tls" => set_flag(&mut i.redis.tls, value),
            "redis_maxclients" => set_num(&mut i.redis.maxclients, value, 1, 10_000_000),
            "kafka" => set_enum(&mut i.kafka.client, value),
            "kafka_brokers" => parse_hosts(value).map(|h| i.kafka.brokers = h),
            "kafka_eos" => set_flag(&mut i.kafka.eos, value),
            "kafka_compression" => set_enum(&mut i.kafka.compression, value),
            "kafka_ssl" => set_flag(&mut i.kafka.ssl, value),
            "kafka_sasl" => set_enum(&mut i.kafka.sasl, value),
            "svc" => self.service(value),
            "set" => self.pin(value),
            "embed" => (value == "1")
                .then(|| self.view.embed = true)
                .ok_or_else(|| "`1`".into()),
            "block" => ARTIFACTS
                .iter()
                .find(|a| **a == value)
                .map(|a| self.view.block = Some(a.to_string()))
                .ok_or_else(|| format!("one of {}", ARTIFACTS.join(", "))),
            "theme" => Theme::from_str(value)
                .map(|t| self.view.theme = Some(t))
                .map_err(|_| Theme::allowed()),
            _ => Err("unknown parameter".into()),
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

fn set_enum<T: FromStr + EnumText>(slot: &mut T, value: &str) -> Result<(), String> {
    *slot = T::from_str(value).map_err(|_| T::allowed_text())?;
    Ok(())
}

/// Lets `set_enum` name the allowed values of any text enum.
pub trait EnumText {
    fn allowed_text() -> String;
}

macro_rules! enum_text {
    ($($t:ty),*) => { $(impl EnumText for $t { fn allowed_text() -> String { <$t>::allowed() } })* };
}
enum_text!(
    Env,
    Preset,
    Provider,
    Storage,
    SslMode,
    Pooler,
    PoolMode,
    Prisma,
    Surge,
    RedisMode,
    KafkaClient,
    Compression,
    Sasl,
    SupabaseTier
);

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
        if !uses.contains(&u) {
            uses.push(u);
        }
    }
    uses.sort();
    Ok(uses)
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

/// The query being written: parameters in order, defaults left out.
struct Out(Vec<(&'static str, String)>);

impl Out {
    fn put(&mut self, key: &'static str, value: impl ToString, default: impl ToString) {
        let value = value.to_string();
        if value != default.to_string() {
            self.0.push((key, value));
        }
    }
}

fn join_hosts(v: &[HostPort]) -> String {
    v.iter()
        .map(|h| h.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn join_uses(v: &[RedisUse]) -> String {
    v.iter().map(|u| u.as_str()).collect::<Vec<_>>().join(",")
}

fn opt(v: &Option<impl ToString>) -> String {
    v.as_ref().map(|v| v.to_string()).unwrap_or_default()
}

/// Like [`write`], followed by the page-only parameters.
pub fn write_with_view(inputs: &Inputs, view: &View) -> String {
    let d = Inputs::default();
    let (db, dd) = (&inputs.db, &d.db);
    let (pg, dp) = (&inputs.pooler, &d.pooler);
    let (r, dr) = (&inputs.redis, &d.redis);
    let (k, dk) = (&inputs.kafka, &d.kafka);
    let mut o = Out(vec![("v", "1".into())]);
    o.put("env", inputs.env, d.env);
    o.put("preset", opt(&inputs.preset), "");
    o.put("provider", db.provider, dd.provider);
    o.put("db_cores", db.cores, dd.cores);
    o.put("db_storage", db.storage, dd.storage);
    o.put("db_spindles", db.spindles, dd.spindles);
    o.put("db_max_conn", db.max_connections, dd.max_connections);
    o.put("db_reserved", db.reserved, dd.reserved);
    o.put("rds_class", opt(&db.rds_class), "");
    o.put("supabase_tier", db.supabase_tier, dd.supabase_tier);
    o.put("headroom", db.headroom, dd.headroom);
    o.put("db_host", &db.host, &dd.host);
    o.put("db_port", db.port, dd.port);
    o.put("db_name", &db.name, &dd.name);
    o.put("db_user", &db.user, &dd.user);
    o.put("db_schema", opt(&db.schema), "");
    o.put("sslmode", db.sslmode, dd.sslmode);
    o.put("pooler", pg.kind, dp.kind);
    o.put("pgb_version", pg.version, dp.version);
    o.put("pgb_mode", pg.mode, dp.mode);
    o.put("pgb_instances", pg.instances, dp.instances);
    o.put("pgb_host", &pg.host, &dp.host);
    o.put("pgb_port", pg.port, dp.port);
    o.put("pgb_auth_file", &pg.auth_file, &dp.auth_file);
    o.put("prisma", inputs.prisma, d.prisma);
    if inputs.services != d.services {
        for svc in &inputs.services {
            let w = svc.workload.map(|w| format!(":{w}")).unwrap_or_default();
            o.0.push(("svc", format!("{}:{}{w}", svc.name, svc.replicas)));
        }
    }
    o.put("app_cores", inputs.app_cores, d.app_cores);
    o.put("surge", inputs.surge, d.surge);
    for pin in &inputs.pins {
        o.0.push(("set", format!("{}:{}", pin.path, pin.value)));
    }
    o.put("redis", r.mode, dr.mode);
    o.put("redis_use", join_uses(&r.uses), join_uses(&dr.uses));
    o.put("redis_host", &r.host, &dr.host);
    o.put("redis_port", r.port, dr.port);
    o.put("redis_db", r.db, dr.db);
    o.put("redis_nodes", join_hosts(&r.nodes), join_hosts(&dr.nodes));
    o.put("redis_tls", u8::from(r.tls), u8::from(dr.tls));
    o.put("redis_maxclients", r.maxclients, dr.maxclients);
    o.put("kafka", k.client, dk.client);
    o.put(
        "kafka_brokers",
        join_hosts(&k.brokers),
        join_hosts(&dk.brokers),
    );
    o.put("kafka_eos", u8::from(k.eos), u8::from(dk.eos));
    o.put("kafka_compression", k.compression, dk.compression);
    o.put("kafka_ssl", u8::from(k.ssl), u8::from(dk.ssl));
    o.put("kafka_sasl", k.sasl, dk.sasl);
    o.put("embed", if view.embed { "1" } else { "" }, "");
    o.put("block", opt(&view.block), "");
    o.put("theme", opt(&view.theme), "");
    o.0.iter()
        .map(|(k, v)| format!("{k}={}", percent_encode_query(v)))
        .collect::<Vec<_>>()
        .join("&")
}
