//! The share link's single-valued parameters, as one table: each row is a parameter's name, how
//! its text is checked and read, how it is written back, and the form's label and hint. The link
//! codec (`link.rs`), the CLI's error messages and the page's form all read this table, so a field
//! and a link accept and refuse exactly the same text. Adding a parameter is one row here plus
//! the rule that uses its input.

use std::str::FromStr;

use super::inputs::*;
use super::plan::Plan;
use super::presets::{rds_class, RDS_CLASSES};
use super::text::*;
use super::text_enum::list_or;

/// How a parameter's text is checked before it is set.
#[derive(Clone, Copy)]
pub enum Kind {
    /// One of these texts.
    Choice(fn() -> Vec<&'static str>),
    /// A plain decimal whole number in `min..=max`.
    Number { min: u64, max: u64 },
    /// `0` or `1`.
    Flag,
    /// Text the check accepts; `optional` text may be empty (unset).
    Text {
        check: fn(&str) -> Result<(), String>,
        optional: bool,
    },
}

/// A checked value, handed to the parameter's setter.
pub enum Value<'a> {
    Num(u64),
    Flag(bool),
    Text(&'a str),
}

/// The form section a parameter's field stands in. The form shows each section's fields in the
/// table's order, which is also the order a link writes them in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Environment,
    Database,
    Pooler,
    Redis,
    Kafka,
}

impl Section {
    /// A short name for element ids (`advanced-pooler`).
    pub fn key(self) -> &'static str {
        match self {
            Section::Environment => "environment",
            Section::Database => "database",
            Section::Pooler => "pooler",
            Section::Redis => "redis",
            Section::Kafka => "kafka",
        }
    }

    /// The section's heading on the form.
    pub fn title(self) -> &'static str {
        match self {
            Section::Environment => "Environment",
            Section::Database => "Database server",
            Section::Pooler => "Pooler and ORM",
            Section::Redis => "Redis",
            Section::Kafka => "Kafka",
        }
    }
}

/// One parameter of the share link.
pub struct Param {
    pub name: &'static str,
    /// Where the form shows its field.
    pub section: Section,
    pub kind: Kind,
    /// The form's label, and words for its hint beside the allowed range.
    pub label: &'static str,
    pub hint: &'static str,
    /// When the input means something for these inputs (the form shows the field only then).
    pub applies: Option<fn(&Inputs) -> bool>,
    /// The value the plan uses instead, when a provider preset decides it
    /// (`budget::sized_by_provider`): the form shows that one, greyed out.
    pub sized: Option<fn(&Plan) -> u32>,
    /// The text form of the input.
    pub get: fn(&Inputs) -> String,
    /// Sets the input from a value already checked against `kind`.
    pub set: fn(&mut Inputs, Value),
}

impl Param {
    /// The allowed values or range, for messages and hints.
    pub fn allowed(&self) -> String {
        match self.kind {
            Kind::Choice(values) => list_or(&values()),
            Kind::Number { min, max } => format!("a whole number from {min} to {max}"),
            Kind::Flag => "`0` or `1`".into(),
            Kind::Text { check, .. } => check("\u{0}").err().unwrap_or_default(),
        }
    }

    /// The form's hint: the range (for numbers) and the row's words.
    pub fn form_hint(&self) -> String {
        match (self.kind, self.hint.is_empty()) {
            (Kind::Number { min, max }, true) => format!("{min}–{max}"),
            (Kind::Number { min, max }, false) => format!("{}, {min}–{max}", self.hint),
            _ => self.hint.to_string(),
        }
    }

    /// Checks `text` against the kind and sets the input; the error says what is allowed.
    pub fn apply(&self, i: &mut Inputs, text: &str) -> Result<(), String> {
        let value = match self.kind {
            Kind::Choice(values) => {
                if !values().contains(&text) {
                    return Err(list_or(&values()));
                }
                Value::Text(text)
            }
            Kind::Number { min, max } => Value::Num(parse_num(text, min, max)?),
            Kind::Flag => match text {
                "0" => Value::Flag(false),
                "1" => Value::Flag(true),
                _ => return Err("`0` or `1`".into()),
            },
            Kind::Text { check, optional } => {
                if !(optional && text.is_empty()) {
                    check(text)?;
                }
                Value::Text(text)
            }
        };
        (self.set)(i, value);
        Ok(())
    }
}

/// Plain decimal digits only (no sign, no spaces), within `lo..=hi`.
pub fn parse_num(value: &str, lo: u64, hi: u64) -> Result<u64, String> {
    let range = || format!("a whole number from {lo} to {hi}");
    if value.is_empty() || value.len() > 20 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(range());
    }
    let n: u64 = value.parse().map_err(|_| range())?;
    if !(lo..=hi).contains(&n) {
        return Err(range());
    }
    Ok(n)
}

/// Replicas of a service: 1 to 10000 (the link's `svc=NAME:REPLICAS` and the services table).
pub fn parse_replicas(text: &str) -> Result<u32, String> {
    parse_num(text, 1, 10_000)
        .map(|n| n as u32)
        .map_err(|e| format!("REPLICAS must be {e}"))
}

/// Most host lists a link may carry (keeps outputs bounded).
pub const MAX_HOSTS: usize = 64;

/// A comma list of `host:port`.
pub fn parse_hosts(value: &str) -> Result<Vec<HostPort>, String> {
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
                port: port as u16,
            })
        })
        .collect()
}

/// A comma list of Redis uses, each once, in the contract's order.
pub fn parse_uses(value: &str) -> Result<Vec<RedisUse>, String> {
    let mut uses = Vec::new();
    for part in value.split(',') {
        let u = RedisUse::from_str(part)
            .map_err(|_| format!("a comma list of {}", RedisUse::allowed()))?;
        uses.push(u);
    }
    Ok(RedisUse::ALL
        .iter()
        .copied()
        .filter(|u| uses.contains(u))
        .collect())
}

fn hosts_text(v: &[HostPort]) -> String {
    v.iter()
        .map(|h| h.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn check_hosts(v: &str) -> Result<(), String> {
    parse_hosts(v).map(|_| ())
}

fn check_uses(v: &str) -> Result<(), String> {
    parse_uses(v).map(|_| ())
}

fn check_rds_class(v: &str) -> Result<(), String> {
    if v == "custom" || rds_class(v).is_some() {
        return Ok(());
    }
    Err(format!(
        "one of {}",
        RDS_CLASSES
            .iter()
            .map(|c| c.name)
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

fn check_preset(v: &str) -> Result<(), String> {
    if v == "none" || Preset::from_str(v).is_ok() {
        Ok(())
    } else {
        Err(format!("`none` or {}", Preset::allowed()))
    }
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn text_or_none(v: Value) -> Option<String> {
    match v {
        Value::Text("") => None,
        Value::Text(t) => Some(t.to_string()),
        _ => None,
    }
}

fn text(v: Value) -> String {
    match v {
        Value::Text(t) => t.to_string(),
        _ => String::new(),
    }
}

fn num(v: Value) -> u64 {
    match v {
        Value::Num(n) => n,
        _ => 0,
    }
}

fn flag(v: Value) -> bool {
    matches!(v, Value::Flag(true))
}

/// Parses a choice already checked against its text enum (so the default never applies).
fn choice<T: FromStr + Default>(v: Value) -> T {
    T::from_str(&text(v)).unwrap_or_default()
}

macro_rules! choices {
    ($t:ty) => {
        Kind::Choice(|| <$t>::ALL.iter().map(|v| v.as_str()).collect())
    };
}

const fn row(
    name: &'static str,
    section: Section,
    kind: Kind,
    label: &'static str,
    hint: &'static str,
    get: fn(&Inputs) -> String,
    set: fn(&mut Inputs, Value),
) -> Param {
    Param {
        name,
        section,
        kind,
        label,
        hint,
        applies: None,
        sized: None,
        get,
        set,
    }
}

const fn sized(p: Param, from_plan: fn(&Plan) -> u32) -> Param {
    Param {
        sized: Some(from_plan),
        ..p
    }
}

const fn when(p: Param, applies: fn(&Inputs) -> bool) -> Param {
    Param {
        applies: Some(applies),
        ..p
    }
}

const fn number(min: u64, max: u64) -> Kind {
    Kind::Number { min, max }
}

const fn checked(check: fn(&str) -> Result<(), String>) -> Kind {
    Kind::Text {
        check,
        optional: false,
    }
}

const fn optional(check: fn(&str) -> Result<(), String>) -> Kind {
    Kind::Text {
        check,
        optional: true,
    }
}

fn pgbouncer(i: &Inputs) -> bool {
    i.pooler.kind == Pooler::PgBouncer
}
fn any_pooler(i: &Inputs) -> bool {
    i.pooler.kind != Pooler::None
}
/// Whether Redis is in use (its fields and password apply).
pub fn redis_on(i: &Inputs) -> bool {
    i.redis.mode != RedisMode::Off
}
fn redis_single(i: &Inputs) -> bool {
    i.redis.mode == RedisMode::Single
}
fn redis_cluster(i: &Inputs) -> bool {
    i.redis.mode == RedisMode::Cluster
}
/// Whether Kafka is in use (its fields and password apply).
pub fn kafka_on(i: &Inputs) -> bool {
    i.kafka.client != KafkaClient::Off
}

/// Every single-valued input parameter, in the order of the share-link contract (`svc` is written
/// after `prisma`, and `set` after `surge`: `link.rs`).
pub const PARAMS: &[Param] = &[
    row(
        "env",
        Section::Environment,
        choices!(Env),
        "Environment",
        "the runbook's rows: pool size and timeouts",
        |i| i.env.to_string(),
        |i, v| i.env = choice(v),
    ),
    row(
        "preset",
        Section::Environment,
        optional(check_preset),
        "Preset",
        "runbook: load the runbook's own settings, to review them",
        |i| i.preset.map(|p| p.to_string()).unwrap_or_default(),
        |i, v| match Preset::from_str(&text(v)) {
            Ok(p) => {
                i.preset = Some(p);
                apply_preset(i, p);
            }
            Err(()) => i.preset = None,
        },
    ),
    row(
        "provider",
        Section::Database,
        choices!(Provider),
        "Provider",
        "",
        |i| i.db.provider.to_string(),
        |i, v| i.db.provider = choice(v),
    ),
    when(
        row(
            "rds_class",
            Section::Database,
            optional(check_rds_class),
            "RDS instance class",
            "fills cores and max_connections",
            |i| opt(&i.db.rds_class),
            |i, v| i.db.rds_class = text_or_none(v).filter(|c| c != "custom"),
        ),
        |i| i.db.provider == Provider::Rds,
    ),
    when(
        row(
            "supabase_tier",
            Section::Database,
            choices!(SupabaseTier),
            "Supabase compute size",
            "fills cores and max_connections",
            |i| i.db.supabase_tier.to_string(),
            |i, v| i.db.supabase_tier = choice(v),
        ),
        |i| i.db.provider == Provider::Supabase,
    ),
    when(
        row(
            "supabase_ref",
            Section::Database,
            optional(check_supabase_ref),
            "Supabase project ref",
            "the <ref> in db.<ref>.supabase.co",
            |i| opt(&i.db.supabase_ref),
            |i, v| i.db.supabase_ref = text_or_none(v),
        ),
        |i| i.db.provider == Provider::Supabase,
    ),
    sized(
        row(
            "db_cores",
            Section::Database,
            number(1, 512),
            "Server cores",
            "physical, whole server",
            |i| i.db.cores.to_string(),
            |i, v| i.db.cores = num(v) as u32,
        ),
        |p| p.budget.db_cores,
    ),
    sized(
        row(
            "db_max_conn",
            Section::Database,
            number(1, 262_143),
            "max_connections",
            "connections",
            |i| i.db.max_connections.to_string(),
            |i, v| i.db.max_connections = num(v) as u32,
        ),
        |p| p.budget.max_connections,
    ),
    row(
        "db_reserved",
        Section::Database,
        number(0, 1000),
        "Reserved slots",
        "superuser_reserved_connections + reserved_connections",
        |i| i.db.reserved.to_string(),
        |i, v| i.db.reserved = num(v) as u32,
    ),
    row(
        "headroom",
        Section::Database,
        number(0, 1000),
        "Headroom",
        "slots kept for migrations, admin, exporters",
        |i| i.db.headroom.to_string(),
        |i, v| i.db.headroom = num(v) as u32,
    ),
    row(
        "db_storage",
        Section::Database,
        choices!(Storage),
        "Storage",
        "",
        |i| i.db.storage.to_string(),
        |i, v| i.db.storage = choice(v),
    ),
    row(
        "db_spindles",
        Section::Database,
        number(0, 128),
        "Effective spindles",
        "counts only with hdd",
        |i| i.db.spindles.to_string(),
        |i, v| i.db.spindles = num(v) as u32,
    ),
    row(
        "db_host",
        Section::Database,
        checked(check_host),
        "Host",
        "host name or IPv4",
        |i| i.db.host.clone(),
        |i, v| i.db.host = text(v),
    ),
    row(
        "db_port",
        Section::Database,
        number(1, 65_535),
        "Port",
        "",
        |i| i.db.port.to_string(),
        |i, v| i.db.port = num(v) as u16,
    ),
    row(
        "db_name",
        Section::Database,
        checked(check_db_name),
        "Database",
        "letters, digits, _ (1–63)",
        |i| i.db.name.clone(),
        |i, v| i.db.name = text(v),
    ),
    row(
        "db_user",
        Section::Database,
        checked(check_db_user),
        "User",
        "letters, digits, _ . - (1–63)",
        |i| i.db.user.clone(),
        |i, v| i.db.user = text(v),
    ),
    row(
        "db_schema",
        Section::Database,
        optional(check_schema),
        "Schema",
        "optional; lower-case identifier",
        |i| opt(&i.db.schema),
        |i, v| i.db.schema = text_or_none(v),
    ),
    row(
        "sslmode",
        Section::Database,
        choices!(SslMode),
        "sslmode",
        "the apps' TLS; require makes PgBouncer offer TLS too",
        |i| i.db.sslmode.to_string(),
        |i, v| i.db.sslmode = choice(v),
    ),
    row(
        "db_ca_file",
        Section::Database,
        optional(check_path),
        "Database CA file",
        "optional; absolute path on the app hosts, to verify the server",
        |i| opt(&i.db.ca_file),
        |i, v| i.db.ca_file = text_or_none(v),
    ),
    row(
        "db_roles",
        Section::Database,
        choices!(DbRoles),
        "Database users",
        "per-service: a role per service, capped at its share (roles.sql)",
        |i| i.db.roles.to_string(),
        |i, v| i.db.roles = choice(v),
    ),
    row(
        "pooler",
        Section::Pooler,
        choices!(Pooler),
        "Pooler",
        "",
        |i| i.pooler.kind.to_string(),
        |i, v| i.pooler.kind = choice(v),
    ),
    when(
        row(
            "pgb_version",
            Section::Pooler,
            Kind::Choice(|| {
                vec![
                    "1.18", "1.19", "1.20", "1.21", "1.22", "1.23", "1.24", "1.25",
                ]
            }),
            "PgBouncer version",
            "keys are gated on it",
            |i| i.pooler.version.to_string(),
            |i, v| {
                if let Ok(version) = PgbVersion::from_str(&text(v)) {
                    i.pooler.version = version;
                }
            },
        ),
        pgbouncer,
    ),
    when(
        row(
            "pgb_mode",
            Section::Pooler,
            choices!(PoolMode),
            "Pool mode",
            "",
            |i| i.pooler.mode.to_string(),
            |i, v| i.pooler.mode = choice(v),
        ),
        any_pooler,
    ),
    when(
        row(
            "pgb_instances",
            Section::Pooler,
            number(1, 64),
            "PgBouncer instances",
            "processes in front of the database",
            |i| i.pooler.instances.to_string(),
            |i, v| i.pooler.instances = num(v) as u32,
        ),
        pgbouncer,
    ),
    when(
        row(
            "pgb_host",
            Section::Pooler,
            checked(check_host),
            "Pooler host",
            "where clients reach it",
            |i| i.pooler.host.clone(),
            |i, v| i.pooler.host = text(v),
        ),
        any_pooler,
    ),
    when(
        row(
            "pgb_port",
            Section::Pooler,
            number(1, 65_535),
            "Pooler port",
            "Supavisor: 6543 transaction, 5432 session; 6432 picks the mode's port",
            |i| i.pooler.port.to_string(),
            |i, v| i.pooler.port = num(v) as u16,
        ),
        any_pooler,
    ),
    when(
        row(
            "pgb_auth_file",
            Section::Pooler,
            checked(check_path),
            "auth_file path",
            "absolute path of userlist.txt",
            |i| i.pooler.auth_file.clone(),
            |i, v| i.pooler.auth_file = text(v),
        ),
        pgbouncer,
    ),
    row(
        "prisma",
        Section::Pooler,
        choices!(Prisma),
        "Prisma version",
        "6: pool in the URL; 7: adapter-pg",
        |i| i.prisma.to_string(),
        |i, v| i.prisma = choice(v),
    ),
    row(
        "app_cores",
        Section::Pooler,
        number(1, 512),
        "App host cores",
        "physical cores of one app instance",
        |i| i.app_cores.to_string(),
        |i, v| i.app_cores = num(v) as u32,
    ),
    row(
        "surge",
        Section::Environment,
        choices!(Surge),
        "Deploy surge",
        "none ×1, rolling ×1.25 (rounded up), bluegreen ×2",
        |i| i.surge.to_string(),
        |i, v| i.surge = choice(v),
    ),
    row(
        "redis",
        Section::Redis,
        choices!(RedisMode),
        "Redis",
        "",
        |i| i.redis.mode.to_string(),
        |i, v| i.redis.mode = choice(v),
    ),
    when(
        row(
            "redis_use",
            Section::Redis,
            checked(check_uses),
            "Redis uses",
            "queue workers and subscribers each need their own connection",
            |i| {
                i.redis
                    .uses
                    .iter()
                    .map(|u| u.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            },
            |i, v| {
                if let Ok(uses) = parse_uses(&text(v)) {
                    i.redis.uses = uses;
                }
            },
        ),
        redis_on,
    ),
    when(
        row(
            "redis_host",
            Section::Redis,
            checked(check_host),
            "Redis host",
            "",
            |i| i.redis.host.clone(),
            |i, v| i.redis.host = text(v),
        ),
        redis_single,
    ),
    when(
        row(
            "redis_port",
            Section::Redis,
            number(1, 65_535),
            "Redis port",
            "",
            |i| i.redis.port.to_string(),
            |i, v| i.redis.port = num(v) as u16,
        ),
        redis_single,
    ),
    when(
        row(
            "redis_db",
            Section::Redis,
            number(0, 255),
            "Redis database",
            "",
            |i| i.redis.db.to_string(),
            |i, v| i.redis.db = num(v) as u32,
        ),
        redis_single,
    ),
    when(
        row(
            "redis_nodes",
            Section::Redis,
            optional(check_hosts),
            "Cluster seeds",
            "comma list of host:port",
            |i| hosts_text(&i.redis.nodes),
            |i, v| {
                i.redis.nodes = parse_hosts(&text(v)).unwrap_or_default();
            },
        ),
        redis_cluster,
    ),
    when(
        row(
            "redis_masters",
            Section::Redis,
            number(1, 1000),
            "Cluster masters",
            "every client connects to each master",
            |i| i.redis.masters.to_string(),
            |i, v| i.redis.masters = num(v) as u32,
        ),
        redis_cluster,
    ),
    when(
        row(
            "redis_queues",
            Section::Redis,
            number(1, 100),
            "BullMQ queues per replica",
            "a Worker and a QueueEvents each",
            |i| i.redis.queues.to_string(),
            |i, v| i.redis.queues = num(v) as u32,
        ),
        |i| redis_on(i) && i.redis.uses.contains(&RedisUse::Queue),
    ),
    when(
        row(
            "redis_maxclients",
            Section::Redis,
            number(1, 10_000_000),
            "maxclients",
            "the server's client limit",
            |i| i.redis.maxclients.to_string(),
            |i, v| i.redis.maxclients = num(v) as u32,
        ),
        redis_on,
    ),
    when(
        row(
            "redis_tls",
            Section::Redis,
            Kind::Flag,
            "TLS",
            "",
            |i| u8::from(i.redis.tls).to_string(),
            |i, v| i.redis.tls = flag(v),
        ),
        redis_on,
    ),
    row(
        "kafka",
        Section::Kafka,
        choices!(KafkaClient),
        "Kafka client",
        "confluent: @confluentinc/kafka-javascript",
        |i| i.kafka.client.to_string(),
        |i, v| i.kafka.client = choice(v),
    ),
    when(
        row(
            "kafka_brokers",
            Section::Kafka,
            checked(check_hosts),
            "Brokers",
            "comma list of host:port",
            |i| hosts_text(&i.kafka.brokers),
            |i, v| {
                if let Ok(h) = parse_hosts(&text(v)) {
                    i.kafka.brokers = h;
                }
            },
        ),
        kafka_on,
    ),
    when(
        row(
            "kafka_eos",
            Section::Kafka,
            Kind::Flag,
            "Exactly-once (idempotent) producer",
            "",
            |i| u8::from(i.kafka.eos).to_string(),
            |i, v| i.kafka.eos = flag(v),
        ),
        kafka_on,
    ),
    when(
        row(
            "kafka_compression",
            Section::Kafka,
            choices!(Compression),
            "Compression",
            "",
            |i| i.kafka.compression.to_string(),
            |i, v| i.kafka.compression = choice(v),
        ),
        kafka_on,
    ),
    when(
        row(
            "kafka_ssl",
            Section::Kafka,
            Kind::Flag,
            "SSL",
            "",
            |i| u8::from(i.kafka.ssl).to_string(),
            |i, v| i.kafka.ssl = flag(v),
        ),
        kafka_on,
    ),
    when(
        row(
            "kafka_sasl",
            Section::Kafka,
            choices!(Sasl),
            "SASL",
            "",
            |i| i.kafka.sasl.to_string(),
            |i, v| i.kafka.sasl = choice(v),
        ),
        kafka_on,
    ),
];

/// The row of a parameter.
pub fn param(name: &str) -> Option<&'static Param> {
    PARAMS.iter().find(|p| p.name == name)
}

/// Sets one single-valued parameter from its text form, or says what is allowed. The page's form
/// uses it too, so a field and a link accept and refuse exactly the same text.
pub fn apply(i: &mut Inputs, key: &str, value: &str) -> Result<(), String> {
    match param(key) {
        Some(p) => p.apply(i, value),
        None => Err("unknown parameter".into()),
    }
}

/// The text form of one single-valued parameter (empty for an unset optional one).
pub fn param_value(i: &Inputs, key: &str) -> String {
    param(key).map(|p| (p.get)(i)).unwrap_or_default()
}

/// A preset's own inputs (its numbers are pins: pins.rs). The runbook reviews its production
/// setup: PgBouncer, and KafkaJS with SASL PLAIN and `KAFKA_SSL=false`. A link's own parameters
/// override them: the link parser applies `preset` first.
pub fn apply_preset(i: &mut Inputs, preset: Preset) {
    match preset {
        Preset::Runbook => {
            i.pooler.kind = Pooler::PgBouncer;
            i.kafka.sasl = Sasl::Plain;
            i.kafka.ssl = false;
        }
    }
}

/// What a link starts from: the documented defaults, with the preset's own inputs when one is set
/// (the parser applies it first). A value equal to it is not written into a link.
pub fn baseline(inputs: &Inputs) -> Inputs {
    let mut base = Inputs::default();
    if let Some(p) = inputs.preset {
        apply_preset(&mut base, p);
    }
    base
}

/// Whether a parameter keeps the value a link starts from (the form marks the others as changed).
pub fn is_default(inputs: &Inputs, key: &str) -> bool {
    let base = if key == "preset" {
        Inputs::default()
    } else {
        baseline(inputs)
    };
    param_value(inputs, key) == param_value(&base, key)
}

/// The parameters that differ from what a link starts from (one baseline for all of them: the
/// form asks on every change).
pub fn changed(inputs: &Inputs) -> Vec<&'static str> {
    let base = baseline(inputs);
    let plain = Inputs::default();
    PARAMS
        .iter()
        .filter(|p| {
            let b = if p.name == "preset" { &plain } else { &base };
            (p.get)(inputs) != (p.get)(b)
        })
        .map(|p| p.name)
        .collect()
}

/// Puts every parameter of a form section back to the value a link starts from.
pub fn reset_section(inputs: &mut Inputs, section: Section) {
    for p in PARAMS.iter().filter(|p| p.section == section) {
        let base = if p.name == "preset" {
            Inputs::default()
        } else {
            baseline(inputs)
        };
        let value = (p.get)(&base);
        // A value of the defaults always passes its own check; an optional one may be empty.
        let _ = p.apply(inputs, &value);
    }
}
