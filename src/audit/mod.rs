//! Audit: the configs a team runs today, read the way the programs that load them read them,
//! judged by the planner's own rules, compared with the plan setting by setting, and adopted as
//! inputs and pins (a share link).
//!
//! Each pasted text is recognised (or its kind is given) and read by its program's rules
//! (`ini`, `userlist`, `dotenv`, `pgurl`, `object`, `psql`). What a text states becomes a `Read`:
//! an input parameter (`pgb_mode`, `db_host`, …) or a pin (`pgbouncer.default_pool_size`,
//! `api.connection_limit`, …). Adopting them and planning gives the planner's findings for the
//! team's own values; `review` judges what the plan cannot express (keys, URL flags); and the
//! parsers add what only the text shows (a line PgBouncer stops at, a value dotenv cuts short).
//! Secrets are recognised so that they can be masked: no password is kept, shown or adopted.

pub mod dotenv;
pub mod ini;
pub mod object;
pub mod pgurl;
pub mod psql;
mod read;
pub mod show;
pub mod userlist;

use serde::Serialize;

use crate::calc::explain::{Finding, Severity};
use crate::calc::inputs::{Inputs, Pin};
use crate::calc::link;
use crate::calc::params;
use crate::calc::plan::{plan, Plan};
use crate::calc::review::review;
use crate::calc::settings::check_pin;
use crate::calc::text_enum::text_enum;

text_enum!(
    /// What a pasted text is.
    Kind {
        Auto = "auto",
        PgbouncerIni = "pgbouncer.ini",
        Userlist = "userlist.txt",
        Env = "env",
        Url = "url",
        Ioredis = "ioredis",
        Kafka = "kafka",
        ShowPools = "show-pools",
        ShowConfig = "show-config",
        ShowMaxConnections = "show-max-connections",
        Connections = "connections",
        /// Several psql results in one text (the output of `psql -f diagnostics.sql`).
        Psql = "psql",
    }
);

/// The most text one audit reads (all texts together), and the most texts: a larger paste gets a
/// clear error instead of a frozen page.
pub const MAX_BYTES: usize = 1 << 20;
pub const MAX_TEXTS: usize = 16;

/// One pasted text: a name (a file name, or "text 1"), its kind (`Auto` to recognise it) and
/// the text.
#[derive(Clone, Debug)]
pub struct Pasted {
    pub name: String,
    pub kind: Kind,
    pub text: String,
}

/// A place in the pasted texts: which text (0-based) and which line (1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct At {
    pub text: usize,
    pub line: usize,
}

/// A finding with the place in the pasted text it is about, if it is about one place.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Located {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<At>,
    #[serde(flatten)]
    pub finding: Finding,
}

/// What a comparison row compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RowKind {
    /// An input of the plan (a link parameter): the text says what the fleet is.
    Input,
    /// A setting the plan computes: the text says what the team chose instead.
    Setting,
    /// What a running system showed (psql).
    Observed,
}

/// One setting as written beside the plan's value for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    pub kind: RowKind,
    pub at: At,
    /// The pin path or link parameter the setting maps to.
    pub setting: String,
    pub written: String,
    pub planned: String,
    pub differs: bool,
}

/// One text as recognised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TextReport {
    pub name: String,
    /// The kind's text form (`pgbouncer.ini`, `env`, `psql`, …).
    #[serde(serialize_with = "as_text")]
    pub kind: Kind,
}

fn as_text<S: serde::Serializer>(kind: &Kind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(kind.as_str())
}

/// The audit's result.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub texts: Vec<TextReport>,
    /// Errors first, then warnings, then information; in text and line order within each.
    pub findings: Vec<Located>,
    pub rows: Vec<Row>,
    /// The adopted inputs as a share-link query (without `?`).
    pub link: String,
    #[serde(skip)]
    pub adopted: Inputs,
}

impl Report {
    /// True when a finding is an error (the CLI exits 3).
    pub fn has_error(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.finding.severity == Severity::Error)
    }
}

/// What a text states, mapped to an input parameter or a pin.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    Param(&'static str),
    Pin(String),
    /// A setting poolcalc plans but does not let one pin: compared, not adopted.
    Compare(&'static str),
}

#[derive(Clone, Debug)]
struct Read {
    at: At,
    target: Target,
    value: String,
}

/// Something a psql result shows about the running system.
#[derive(Clone, Debug)]
enum Observed {
    /// Server connections of one PgBouncer pool (SHOW POOLS).
    PoolServers {
        at: At,
        database: String,
        count: u64,
    },
    /// Clients queueing in one PgBouncer pool, and the longest wait in seconds (SHOW POOLS).
    Waiting {
        at: At,
        database: String,
        waiting: u64,
        maxwait: u64,
    },
    /// Connections PostgreSQL counts for one application_name.
    AppConnections { at: At, app: String, count: u64 },
}

/// The kind a file name says: `pgbouncer.ini`, `userlist.txt` (any directory), `*.env`, `.env`.
pub fn from_name(name: &str) -> Option<Kind> {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match file {
        "pgbouncer.ini" => Some(Kind::PgbouncerIni),
        "userlist.txt" => Some(Kind::Userlist),
        f if f == ".env" || f.ends_with(".env") || f.starts_with(".env.") => Some(Kind::Env),
        _ => None,
    }
}

/// Recognises a text by its content; `Auto` when nothing fits.
pub fn recognise(text: &str) -> Kind {
    let t = text.trim_start_matches('\u{feff}').trim();
    let first = t
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let lower = t.to_ascii_lowercase();
    if t.lines().any(|l| {
        let l = l.trim().to_ascii_lowercase();
        matches!(l.as_str(), "[pgbouncer]" | "[databases]" | "[users]")
    }) {
        return Kind::PgbouncerIni;
    }
    if (first.starts_with("postgresql://") || first.starts_with("postgres://"))
        && t.lines().count() == 1
    {
        return Kind::Url;
    }
    let tables = psql::parse_all(t);
    if tables.len() > 1 && tables.iter().any(|(_, table)| table_kind(table).is_some()) {
        return Kind::Psql;
    }
    if let Some(kind) = tables.first().and_then(|(_, table)| table_kind(table)) {
        return kind;
    }
    let meaningful: Vec<&str> = t
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with(';') && !l.starts_with('#'))
        .collect();
    if !meaningful.is_empty() && meaningful.iter().all(|l| l.starts_with('"')) {
        return Kind::Userlist;
    }
    if !meaningful.is_empty()
        && meaningful.iter().all(|l| {
            let l = l.strip_prefix("export ").unwrap_or(l);
            l.split_once('=').is_some_and(|(k, _)| {
                !k.is_empty()
                    && k.trim()
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
            })
        })
    {
        return Kind::Env;
    }
    if t.contains('{') {
        let kafka = [
            "brokers",
            "clientid",
            "sessiontimeout",
            "idempotent",
            "heartbeatinterval",
            "kafkajs",
        ];
        let redis = [
            "maxretriesperrequest",
            "enableofflinequeue",
            "ioredis",
            "redisoptions",
            "keepalive",
            "new redis",
        ];
        if kafka.iter().any(|k| lower.contains(k)) {
            return Kind::Kafka;
        }
        if redis.iter().any(|k| lower.contains(k)) {
            return Kind::Ioredis;
        }
    }
    Kind::Auto
}

/// What a psql result is, by its columns.
pub fn table_kind(table: &psql::Table) -> Option<Kind> {
    let has = |c: &str| table.columns.iter().any(|x| x == c);
    if has("cl_active") && has("sv_active") {
        Some(Kind::ShowPools)
    } else if has("key") && has("value") && has("changeable") {
        Some(Kind::ShowConfig)
    } else if has("max_connections")
        || (table.columns == ["value"]
            && table.rows.len() == 1
            && table.rows[0]
                .1
                .first()
                .is_some_and(|v| v.parse::<u32>().is_ok()))
    {
        Some(Kind::ShowMaxConnections)
    } else if has("application_name") && has("connections") {
        Some(Kind::Connections)
    } else {
        None
    }
}

/// Audits the texts against a plan for `base` (the inputs of the link the audit starts from).
pub fn audit(base: &Inputs, texts: &[Pasted]) -> Report {
    let mut a = read::Audit::new(base);
    let total: usize = texts.iter().map(|t| t.text.len()).sum();
    let mut reports = Vec::new();
    if texts.len() > MAX_TEXTS || total > MAX_BYTES {
        a.note(
            None,
            Finding::error(
                "audit.too_large",
                format!(
                    "{} texts, {} bytes in all: the audit reads at most {MAX_TEXTS} texts and {} KiB; paste the configuration files themselves",
                    texts.len(),
                    total,
                    MAX_BYTES / 1024
                ),
                crate::calc::explain::source::PGBOUNCER_CONFIG,
            ),
        );
    } else {
        for (i, t) in texts.iter().enumerate() {
            let kind = match t.kind {
                Kind::Auto => from_name(&t.name).unwrap_or_else(|| recognise(&t.text)),
                k => k,
            };
            reports.push(TextReport {
                name: t.name.clone(),
                kind,
            });
            a.read(i, &t.name, kind, &t.text);
        }
    }
    a.finish(reports)
}

impl read::Audit<'_> {
    /// Adopts the reads, plans, and gathers findings and rows.
    fn finish(mut self, texts: Vec<TextReport>) -> Report {
        // Inputs first (a later text wins), then pins, checked against the adopted fleet.
        let mut adopted = self.base.clone();
        let mut read_params: Vec<(&'static str, At)> = Vec::new();
        for r in &self.reads {
            if let Target::Param(name) = r.target {
                match params::apply(&mut adopted, name, &r.value) {
                    Ok(()) => read_params.push((name, r.at)),
                    Err(e) => self.findings.push(Located {
                        at: Some(r.at),
                        finding: Finding::info(
                            "audit.not_adopted",
                            format!("`{}` is not adopted: {name} must be {e}", r.value),
                            crate::calc::explain::source::PGBOUNCER_CONFIG,
                        ),
                    }),
                }
            }
        }
        for name in &self.services_to_add {
            if !adopted.services.iter().any(|s| &s.name == name) {
                if let Ok(index) = adopted.add_service() {
                    let _ = adopted.rename_service(index, name);
                    let _ = adopted.set_replicas(index, "1");
                }
            }
        }
        // What poolcalc computes for the adopted inputs: a pin that states the same value adds
        // nothing, so only values that differ become pins.
        let mut recommended_inputs = adopted.clone();
        recommended_inputs.pins = self.base.pins.clone();
        let recommended = plan(&recommended_inputs);
        let names: Vec<String> = adopted.services.iter().map(|s| s.name.clone()).collect();
        let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut read_pins: Vec<(String, At)> = Vec::new();
        for r in &self.reads {
            if let Target::Pin(path) = &r.target {
                let pin = r.value.parse::<u64>().ok().map(|value| Pin {
                    path: path.clone(),
                    value,
                });
                let same = planned_path(&recommended, path).as_deref() == Some(r.value.as_str());
                match pin.as_ref().map(|p| check_pin(p, &name_refs)) {
                    Some(Ok(())) if same => {}
                    Some(Ok(())) => {
                        if let Some(pin) = pin {
                            adopted.pins.retain(|p| p.path != pin.path);
                            adopted.pins.push(pin);
                            read_pins.retain(|(p, _)| p != path);
                            read_pins.push((path.clone(), r.at));
                        }
                    }
                    Some(Err(e)) => self.findings.push(Located {
                        at: Some(r.at),
                        finding: Finding::warning(
                            "audit.not_adopted",
                            format!("`{}` is not adopted: {e}", r.value),
                            crate::calc::explain::source::PGBOUNCER_CONFIG,
                        ),
                    }),
                    None => self.findings.push(Located {
                        at: Some(r.at),
                        finding: Finding::info(
                            "audit.not_adopted",
                            format!(
                                "`{}` for {path} is not a whole number poolcalc can adopt",
                                r.value
                            ),
                            crate::calc::explain::source::PGBOUNCER_CONFIG,
                        ),
                    }),
                }
            }
        }
        // The plan as the texts set it.
        let actual = plan(&adopted);

        // What the texts state that the plan cannot express.
        self.written.pgbouncer_serves_other_hosts = !matches!(
            adopted.pooler.host.as_str(),
            "localhost" | "127.0.0.1" | "::1"
        );
        let mut reviewed = Vec::new();
        review(&self.written, &adopted, &mut reviewed);
        for f in reviewed {
            // The planner says it already, under its own code, for the setting the text states.
            let superseded = SUPERSEDED
                .iter()
                .any(|(r, p)| *r == f.code && actual.findings.iter().any(|x| x.code == *p));
            if superseded {
                continue;
            }
            let at = self.anchor_for(f.code);
            self.findings.push(Located { at, finding: f });
        }
        // Every setting the texts state, adopted or already the plan's.
        let stated: Vec<(String, At)> = self
            .reads
            .iter()
            .filter_map(|r| match &r.target {
                Target::Pin(p) => Some((p.clone(), r.at)),
                _ => None,
            })
            .collect();
        // The planner's findings that the texts' values cause or touch.
        let known: Vec<&str> = recommended.findings.iter().map(|f| f.code).collect();
        for f in &actual.findings {
            let by_pin = f.pin.as_ref().and_then(|p| {
                stated
                    .iter()
                    .rev()
                    .find(|(rp, _)| rp == p)
                    .map(|(_, at)| *at)
            });
            let by_field = f.field.and_then(|fld| {
                read_params
                    .iter()
                    .rev()
                    .find(|(p, _)| *p == fld)
                    .map(|(_, at)| *at)
            });
            let new = !known.contains(&f.code);
            // A finding the texts' values caused, without a pin of its own: the setting behind it.
            let by_code = PLAN_ANCHORS
                .iter()
                .filter(|(code, _)| *code == f.code)
                .find_map(|(_, path)| {
                    stated
                        .iter()
                        .rev()
                        .find(|(p, _)| p == path)
                        .map(|(_, at)| *at)
                });
            if by_pin.is_some() || by_field.is_some() || new {
                self.findings.push(Located {
                    at: by_pin.or(by_field).or(by_code),
                    finding: f.clone(),
                });
            }
        }
        self.observe(&actual);
        self.check_userlists();

        let rows = self.rows(&recommended);
        for row in rows
            .iter()
            .filter(|r| r.differs && r.kind == RowKind::Setting)
        {
            self.findings.push(Located {
                at: Some(row.at),
                finding: Finding::warning(
                    "audit.differs_from_plan",
                    format!(
                        "{} is {} here; the plan computes {} for these inputs (adopting keeps {} as a pin, and the plan's findings then judge it)",
                        row.setting, row.written, row.planned, row.written
                    ),
                    // The rule the plan's value comes from.
                    recommended
                        .why(&row.setting)
                        .map_or(crate::calc::explain::source::PGBOUNCER_CONFIG, |d| d.source),
                ),
            });
        }
        let mut findings = self.findings;
        findings.sort_by(|x, y| {
            (x.finding.severity, x.at.is_none(), x.at).cmp(&(
                y.finding.severity,
                y.at.is_none(),
                y.at,
            ))
        });
        findings.dedup_by(|a, b| {
            a.at == b.at
                && a.finding.code == b.finding.code
                && a.finding.message == b.finding.message
        });
        Report {
            texts,
            findings,
            rows,
            link: link::write(&adopted),
            adopted,
        }
    }
}

/// The setting a planner finding is about, for findings that name no pin.
const PLAN_ANCHORS: &[(&str, &str)] = &[
    ("pgbouncer.nofile", "pgbouncer.max_client_conn"),
    ("pgbouncer.above_target", "pgbouncer.default_pool_size"),
];

/// Review findings that a planner finding states already (review code, planner code): one rule,
/// one code, the planner's.
const SUPERSEDED: &[(&str, &str)] = &[(
    "prisma.pgbouncer_flag_missing",
    "prisma.pgbouncer_flag_required",
)];

/// A setting's value in a plan, as text, for the comparison.
fn planned_value(p: &Plan, base: &Inputs, target: &Target) -> String {
    let none = || "—".to_string();
    match target {
        Target::Param(name) => params::param_value(base, name),
        Target::Pin(path) => planned_path(p, path).unwrap_or_else(none),
        Target::Compare(path) => planned_path(p, path).unwrap_or_else(none),
    }
}

fn planned_path(p: &Plan, path: &str) -> Option<String> {
    let b = p.pgbouncer.as_ref();
    let k = p.kafka.as_ref();
    let r = p.redis.as_ref();
    let n = |v: u64| Some(v.to_string());
    match path {
        "pgbouncer.default_pool_size" => n(b?.default_pool_size.into()),
        "pgbouncer.reserve_pool_size" => n(b?.reserve_pool_size.into()),
        "pgbouncer.max_client_conn" => n(b?.max_client_conn.into()),
        "pgbouncer.max_db_connections" => n(b?.max_db_connections.into()),
        "pgbouncer.max_prepared_statements" => b?.max_prepared_statements.map(|v| v.to_string()),
        "prisma.pgbouncer" => n(p.prisma.pgbouncer.into()),
        "redis.max_retries_per_request" => n(r?.max_retries_per_request.into()),
        "redis.connect_timeout_ms" => n(r?.connect_timeout_ms.into()),
        "redis.keep_alive_ms" => n(r?.keep_alive_ms.into()),
        "redis.enable_offline_queue" => Some(r?.enable_offline_queue.to_string()),
        "kafka.producer.idempotent" => n(k?.producer.idempotent.into()),
        "kafka.producer.max_in_flight_requests" => {
            k?.producer.max_in_flight_requests.map(|v| v.to_string())
        }
        "kafka.producer.retries" => n(k?.producer.retries),
        "kafka.consumer.session_timeout" => n(k?.consumer.session_timeout.into()),
        "kafka.consumer.heartbeat_interval" => n(k?.consumer.heartbeat_interval.into()),
        "kafka.connection_timeout" => n(k?.connection_timeout.into()),
        "kafka.request_timeout" => n(k?.request_timeout.into()),
        "alerts.kafka_lag" => p.alerts.kafka_lag.map(|v| v.to_string()),
        _ => {
            let (svc, field) = path.rsplit_once('.')?;
            let s = p.services.iter().find(|s| s.name == svc)?;
            match field {
                "connection_limit" => n(s.connection_limit.into()),
                "pool_timeout" => n(s.pool_timeout.into()),
                "connect_timeout" => n(s.connect_timeout.into()),
                _ => None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_each_kind() {
        assert_eq!(
            recognise("[pgbouncer]\npool_mode = session\n"),
            Kind::PgbouncerIni
        );
        assert_eq!(recognise("\"app\" \"pw\"\n"), Kind::Userlist);
        assert_eq!(
            recognise("DATABASE_URL=\"postgresql://a@b/c\"\nREDIS_HOST=x\n"),
            Kind::Env
        );
        assert_eq!(
            recognise("postgresql://a@b:6432/c?pgbouncer=true"),
            Kind::Url
        );
        assert_eq!(
            recognise("{ maxRetriesPerRequest: 3, host: 'r' }"),
            Kind::Ioredis
        );
        assert_eq!(
            recognise("{ \"clientId\": \"x\", \"brokers\": [\"k:9092\"] }"),
            Kind::Kafka
        );
        assert_eq!(recognise(" database | user | cl_active | cl_waiting | sv_active\n----+----+----+----+----\n app | app | 1 | 0 | 1\n(1 row)\n"), Kind::ShowPools);
        assert_eq!(
            recognise("key|value|default|changeable\npool_mode|session|session|yes\n"),
            Kind::ShowConfig
        );
        assert_eq!(
            recognise(" max_connections \n-----------------\n 100\n(1 row)\n"),
            Kind::ShowMaxConnections
        );
        assert_eq!(recognise("100\n"), Kind::ShowMaxConnections);
        assert_eq!(
            recognise(" application_name | connections\n----+----\n api | 4\n"),
            Kind::Connections
        );
        assert_eq!(recognise("hello world"), Kind::Auto);
    }
}
