//! Reading each kind of text into reads (inputs and pins), anchors (where a key is written, for
//! the review's findings), observations (psql results) and the findings only the text can show.

use super::ini::{self, ValueKind};
use super::object::{self, Field, Value};
use super::{dotenv, pgurl, psql, userlist};
use super::{At, Kind, Located, Observed, Read, Row, RowKind, Target};
use crate::calc::explain::{source, Finding};
use crate::calc::inputs::{DbRoles, Inputs, Pooler, Prisma};
use crate::calc::plan::Plan;
use crate::calc::review::Written;
use crate::calc::roles::role_name;
use crate::calc::text::check_service_name;

pub(super) struct Audit<'a> {
    pub(super) base: &'a Inputs,
    /// The plan for the base inputs: where its URLs already point.
    base_plan: Plan,
    pub(super) reads: Vec<Read>,
    pub(super) findings: Vec<Located>,
    pub(super) written: Written,
    /// Where each written key is: `pgbouncer.auth_type`, `env.DATABASE_URL`, …
    anchors: Vec<(String, At)>,
    observed: Vec<Observed>,
    pub(super) services_to_add: Vec<String>,
    userlists: Vec<(usize, userlist::Userlist)>,
    /// Comparison rows that come from psql results rather than from settings.
    rows_extra: Vec<Row>,
}

/// Which written key a review finding is about, by its code.
const REVIEW_ANCHORS: &[(&str, &str)] = &[
    ("pgbouncer.auth_md5", "pgbouncer.auth_type"),
    ("pgbouncer.admin_superuser", "pgbouncer.admin_users"),
    ("pgbouncer.listen_loopback", "pgbouncer.listen_addr"),
    ("prisma.pgbouncer_flag_missing", "env.DATABASE_URL"),
    (
        "redis.shared_factory_for_workers",
        "redis.maxRetriesPerRequest",
    ),
];

fn is_placeholder(s: &str) -> bool {
    s.starts_with("${") && s.ends_with('}')
}

impl<'a> Audit<'a> {
    pub(super) fn new(base: &'a Inputs) -> Self {
        Audit {
            base,
            base_plan: crate::calc::plan::plan(base),
            reads: Vec::new(),
            findings: Vec::new(),
            written: Written::default(),
            anchors: Vec::new(),
            observed: Vec::new(),
            services_to_add: Vec::new(),
            userlists: Vec::new(),
            rows_extra: Vec::new(),
        }
    }

    pub(super) fn note(&mut self, at: Option<At>, finding: Finding) {
        self.findings.push(Located { at, finding });
    }

    fn param(&mut self, at: At, name: &'static str, value: impl Into<String>) {
        self.reads.push(Read {
            at,
            target: Target::Param(name),
            value: value.into(),
        });
    }

    fn pin(&mut self, at: At, path: impl Into<String>, value: impl Into<String>) {
        self.reads.push(Read {
            at,
            target: Target::Pin(path.into()),
            value: value.into(),
        });
    }

    fn compare(&mut self, at: At, path: &'static str, value: impl Into<String>) {
        self.reads.push(Read {
            at,
            target: Target::Compare(path),
            value: value.into(),
        });
    }

    fn anchor(&mut self, key: impl Into<String>, at: At) {
        self.anchors.push((key.into(), at));
    }

    pub(super) fn anchor_for(&self, code: &str) -> Option<At> {
        let key = REVIEW_ANCHORS.iter().find(|(c, _)| *c == code)?.1;
        self.anchors
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, at)| *at)
    }

    pub(super) fn read(&mut self, i: usize, name: &str, kind: Kind, text: &str) {
        let at1 = At { text: i, line: 1 };
        match kind {
            Kind::Auto => self.note(
                Some(at1),
                Finding::warning(
                    "audit.unrecognised",
                    format!("{name}: not recognised as pgbouncer.ini, userlist.txt, a .env, a postgresql:// URL, ioredis or KafkaJS options, or psql output: choose its kind"),
                    source::PGBOUNCER_CONFIG,
                ),
            ),
            Kind::PgbouncerIni => self.read_ini(i, text),
            Kind::Userlist => {
                let u = userlist::parse(text);
                self.userlists.push((i, u));
            }
            Kind::Env => self.read_env(i, name, text),
            Kind::Url => self.read_url(at1, text.trim(), &service_from_name(name), false),
            Kind::Ioredis => match object::parse(text) {
                Ok(fields) => self.read_redis(i, &fields),
                Err(e) => self.unreadable(at1, name, &e, source::IOREDIS_OPTIONS),
            },
            Kind::Kafka => match object::parse(text) {
                Ok(fields) => self.read_kafka(i, &fields),
                Err(e) => self.unreadable(at1, name, &e, source::KAFKAJS_CONFIGURATION),
            },
            Kind::Psql => {
                let tables = psql::parse_all(text);
                if tables.is_empty() {
                    self.unreadable(at1, name, "no psql result in it", source::PGBOUNCER_SHOW);
                }
                for (_, t) in &tables {
                    if let Some(kind) = super::table_kind(t) {
                        self.read_psql(i, kind, t);
                    }
                }
            }
            Kind::ShowPools | Kind::ShowConfig | Kind::ShowMaxConnections | Kind::Connections => {
                match psql::parse(text) {
                    Ok(t) => self.read_psql(i, kind, &t),
                    Err(e) => self.unreadable(at1, name, &e, source::PGBOUNCER_SHOW),
                }
            }
        }
    }

    fn unreadable(&mut self, at: At, name: &str, why: &str, src: &'static str) {
        self.note(
            Some(at),
            Finding::error(
                "audit.unreadable",
                format!("{name} cannot be read: {why}"),
                src,
            ),
        );
    }

    // ---- pgbouncer.ini and SHOW CONFIG ----

    fn read_ini(&mut self, i: usize, text: &str) {
        let version = self.base.pooler.version;
        let parsed = ini::parse(text, version);
        if let Some(stop) = &parsed.stop {
            self.note(
                Some(At { text: i, line: stop.line }),
                Finding::error(
                    "pgbouncer.ini_stops",
                    format!("PgBouncer {version} stops loading the file here ({}): it does not start, or keeps its old settings on RELOAD; nothing after this line is read", stop.message),
                    source::PGBOUNCER_INI_PARSER,
                ),
            );
        }
        for (line, file) in &parsed.includes {
            self.note(
                Some(At { text: i, line: *line }),
                Finding::info(
                    "pgbouncer.include",
                    format!("%include {file}: PgBouncer reads that file here; poolcalc does not follow it, so paste it too to audit its settings"),
                    source::PGBOUNCER_INI_PARSER,
                ),
            );
        }
        if let Some(first) = parsed.entries.iter().find(|e| e.section == "pgbouncer") {
            self.param(
                At {
                    text: i,
                    line: first.line,
                },
                "pooler",
                "pgbouncer",
            );
        }
        let databases: Vec<&ini::Entry> = parsed
            .entries
            .iter()
            .filter(|e| e.section == "databases")
            .collect();
        for e in &databases {
            self.read_database_line(
                At {
                    text: i,
                    line: e.line,
                },
                e,
                databases.len() == 1,
            );
        }
        let users: Vec<&ini::Entry> = parsed
            .entries
            .iter()
            .filter(|e| e.section == "users")
            .collect();
        let file_max_db = parsed
            .entries
            .iter()
            .rev()
            .find(|e| e.section == "pgbouncer" && e.key == "max_db_connections")
            .map(|e| leading_number(&e.value));
        self.read_user_lines(i, &users, file_max_db);
        for e in parsed.entries.iter().filter(|e| e.section == "pgbouncer") {
            self.read_pgbouncer_key(
                At {
                    text: i,
                    line: e.line,
                },
                &e.key,
                &e.value,
                true,
            );
        }
    }

    /// The `key=value` pairs of a `[databases]` or `[users]` line, each key judged by PgBouncer's
    /// own list for the version; `None` (with an error) when PgBouncer refuses the line itself.
    fn line_pairs(
        &mut self,
        at: At,
        e: &ini::Entry,
        kind: &LineKind,
    ) -> Option<Vec<(String, String)>> {
        let version = self.base.pooler.version;
        let pairs = match ini::connstring(&e.value) {
            Ok(p) => p,
            Err(why) => {
                self.note(
                    Some(at),
                    Finding::error(
                        kind.line_code,
                        format!(
                            "[{}] {}: {why}; PgBouncer refuses the line",
                            kind.section, e.key
                        ),
                        kind.source,
                    ),
                );
                return None;
            }
        };
        for (k, _) in &pairs {
            if !(kind.known)(k, version) {
                self.note(
                    Some(at),
                    Finding::error(
                        kind.key_code,
                        format!(
                            "[{}] {}: `{k}` is {} PgBouncer {version} knows ({})",
                            kind.section, e.key, kind.what, kind.refusal
                        ),
                        kind.source,
                    ),
                );
            }
        }
        Some(pairs)
    }

    /// The `[users]` lines: keys PgBouncer would refuse, a role per service (`<owner>_<service>`,
    /// db_roles=per-service), and caps that do not keep the services apart.
    fn read_user_lines(&mut self, i: usize, users: &[&ini::Entry], file_max_db: Option<u64>) {
        let owner = self.base_plan.endpoints.direct.user.clone();
        let mut caps: Vec<(String, u64)> = Vec::new();
        for e in users {
            let at = At {
                text: i,
                line: e.line,
            };
            let Some(pairs) = self.line_pairs(at, e, &USERS_LINE) else {
                continue;
            };
            // PgBouncer reads the number with atoi: its leading digits, else 0 (no cap).
            let cap = pairs
                .iter()
                .rev()
                .find(|(k, _)| k == "max_user_connections")
                .map(|(_, v)| leading_number(v))
                .unwrap_or(0);
            caps.push((e.key.clone(), cap));
            let own_role = self
                .base
                .services
                .iter()
                .any(|s| role_name(&owner, &s.name) == e.key);
            if own_role && self.base_plan.roles.is_none() {
                self.param(at, "db_roles", "per-service");
            }
        }
        // The caps keep the services apart only if each has one and together they fit what the
        // instance opens: otherwise max_db_connections is what a service may end up waiting on.
        let Some(first) = users.first() else {
            return;
        };
        let at = At {
            text: i,
            line: first.line,
        };
        let uncapped: Vec<&str> = caps
            .iter()
            .filter(|(_, c)| *c == 0)
            .map(|(u, _)| u.as_str())
            .collect();
        let sum: u64 = caps.iter().map(|(_, c)| c).sum();
        // What one instance opens: the file's own max_db_connections when it sets one, else the
        // plan's.
        let server = file_max_db.filter(|n| *n > 0).or_else(|| {
            self.base_plan
                .pgbouncer
                .as_ref()
                .map(|p| u64::from(p.server_connections_per_instance))
        });
        if !uncapped.is_empty() && uncapped.len() < caps.len() {
            self.note(
                Some(at),
                Finding::warning(
                    "pgbouncer.user_uncapped",
                    format!("[users] caps some users but not {}: without max_user_connections a user may take every server connection of the database, and the capped services wait behind it", uncapped.join(", ")),
                    source::PGBOUNCER_USERS,
                ),
            );
        }
        if let Some(server) = server.filter(|s| uncapped.is_empty() && sum > *s) {
            self.note(
                Some(at),
                Finding::warning(
                    "pgbouncer.user_caps_over_pool",
                    format!("The [users] caps sum to {sum} server connections, more than the {server} one instance opens: a busy service can hold connections another one was meant to have. Make the caps sum to at most {server} (db_roles=per-service splits them)"),
                    source::PGBOUNCER_USERS,
                ),
            );
        }
    }

    fn read_database_line(&mut self, at: At, e: &ini::Entry, only: bool) {
        let Some(pairs) = self.line_pairs(at, e, &DATABASES_LINE) else {
            return;
        };
        let get = |k: &str| {
            pairs
                .iter()
                .rev()
                .find(|(pk, _)| pk == k)
                .map(|(_, v)| v.as_str())
        };
        if get("password").is_some() {
            self.note(
                Some(at),
                Finding::warning(
                    "pgbouncer.password_in_ini",
                    format!("[databases] {} has password=…: the password sits in plain text in pgbouncer.ini; with auth_file entries PgBouncer logs in with the client's own credentials instead", e.key),
                    source::PGBOUNCER_DATABASES,
                ),
            );
        }
        if e.key == "*" || !only {
            return;
        }
        if let Some(h) = get("host") {
            self.param(at, "db_host", h);
        }
        if let Some(p) = get("port") {
            self.param(at, "db_port", p);
        }
        self.param(at, "db_name", get("dbname").unwrap_or(&e.key));
        if let Some(size) = get("pool_size") {
            // One database, one pool: its pool_size is the pool.
            self.pin(at, "pgbouncer.default_pool_size", size);
        }
    }

    /// One `[pgbouncer]` setting, from the file (`check`: judge it as PgBouncer's parser would) or
    /// from SHOW CONFIG (already accepted by the running PgBouncer).
    fn read_pgbouncer_key(&mut self, at: At, key: &str, value: &str, check: bool) {
        let version = self.base.pooler.version;
        if check {
            if let Err(added) = ini::key_known(key, version) {
                let lower = key.to_ascii_lowercase();
                let why = match added {
                    Some(m) => format!("`{key}` came with PgBouncer 1.{m}"),
                    None if lower != key && ini::key_known(&lower, version).is_ok() => {
                        format!("keys are case-sensitive: write `{lower}`")
                    }
                    None => format!("`{key}` is not a PgBouncer setting"),
                };
                self.note(
                    Some(at),
                    Finding::error(
                        "pgbouncer.unknown_key",
                        format!("PgBouncer {version} refuses to start on `{key}` (\"unknown parameter: pgbouncer/{key}\"): {why}"),
                        source::PGBOUNCER_CONFIG,
                    ),
                );
                return;
            }
            if let Err(why) = ini::check_value(key, value) {
                let comment = if value.contains(';') || value.contains('#') {
                    "; a `;` or `#` after a value is part of the value, not a comment (comments are whole lines)"
                } else {
                    ""
                };
                self.note(
                    Some(at),
                    Finding::error(
                        "pgbouncer.invalid_value",
                        format!("PgBouncer refuses `{key} = {value}` ({why}{comment}) and does not start"),
                        source::PGBOUNCER_INI_PARSER,
                    ),
                );
                return;
            }
            let kind = ini::value_kind(key);
            if kind == ValueKind::Text && (value.contains(" ;") || value.contains(" #")) {
                self.note(
                    Some(at),
                    Finding::warning(
                        "pgbouncer.inline_comment",
                        format!("`{key}` is `{value}` to PgBouncer, comment included: a `;` or `#` after a value is not a comment"),
                        source::PGBOUNCER_INI_PARSER,
                    ),
                );
            }
            if kind == ValueKind::Int && value.len() > 1 && value.starts_with('0') {
                let n = ini::strtol(value).unwrap_or_default();
                self.note(
                    Some(at),
                    Finding::warning(
                        "pgbouncer.octal_number",
                        format!("`{key} = {value}` is {n} to PgBouncer: it reads numbers with C's strtol, base 0, so a leading 0 means octal and 0x hexadecimal"),
                        source::PGBOUNCER_INI_PARSER,
                    ),
                );
            }
        }
        self.anchor(format!("pgbouncer.{key}"), at);
        self.written.pgbouncer.retain(|(k, _)| k != key);
        self.written
            .pgbouncer
            .push((key.to_string(), value.to_string()));
        let number = || {
            ini::strtol(value)
                .filter(|n| *n >= 0)
                .map(|n| n.to_string())
                .unwrap_or_else(|| value.to_string())
        };
        match key {
            "pool_mode" => self.param(at, "pgb_mode", value.to_ascii_lowercase()),
            "listen_port" => self.param(at, "pgb_port", number()),
            "auth_file" => self.param(at, "pgb_auth_file", value),
            "default_pool_size"
            | "reserve_pool_size"
            | "max_client_conn"
            | "max_db_connections"
            | "max_prepared_statements" => self.pin(at, format!("pgbouncer.{key}"), number()),
            _ => {}
        }
    }

    // ---- userlist.txt ----

    pub(super) fn check_userlists(&mut self) {
        let scram_only = self
            .written
            .pgbouncer_key("auth_type")
            .is_some_and(|a| a.eq_ignore_ascii_case("scram-sha-256"));
        for (i, u) in std::mem::take(&mut self.userlists) {
            if let Some((line, dropped)) = u.stop {
                self.note(
                    Some(At { text: i, line }),
                    Finding::error(
                        "userlist.stops",
                        format!("This line does not start with `\"` or `;`: PgBouncer stops reading userlist.txt here (\"broken auth file\") and drops the {dropped} user(s) after it; only `;` starts a comment"),
                        source::PGBOUNCER_AUTH_FILE,
                    ),
                );
            }
            for e in &u.entries {
                let at = Some(At {
                    text: i,
                    line: e.line,
                });
                match e.secret {
                    userlist::Secret::Md5 if scram_only => self.note(
                        at,
                        Finding::error(
                            "userlist.md5_with_scram",
                            format!("{}'s entry is an MD5 hash, but auth_type = scram-sha-256: SCRAM cannot be checked against an MD5 hash, so {} cannot log in. Use the SCRAM secret from pg_authid (or the plain password)", e.user, e.user),
                            source::PGBOUNCER_AUTH_FILE,
                        ),
                    ),
                    userlist::Secret::Plain => self.note(
                        at,
                        Finding::info(
                            "userlist.plain_password",
                            format!("{}'s password is in plain text in userlist.txt (poolcalc does not show it): PostgreSQL's SCRAM secret from pg_authid works as well, for clients and for the server login, and keeps the password off this disk", e.user),
                            source::PGBOUNCER_AUTH_FILE,
                        ),
                    ),
                    _ => {}
                }
            }
        }
    }

    // ---- .env and URLs ----

    fn read_env(&mut self, i: usize, name: &str, text: &str) {
        let vars = dotenv::parse(text);
        for v in vars.iter().filter(|v| v.cut_at_hash) {
            self.note(
                Some(At { text: i, line: v.line }),
                Finding::error(
                    "env.value_cut_at_hash",
                    format!("dotenv reads {} only up to the `#` (an unquoted `#` starts a comment): the rest of the value is lost. Put the value in double quotes", v.key),
                    source::DOTENV_RULES,
                ),
            );
        }
        let line_of = |k: &str| {
            vars.iter()
                .find(|v| v.key == k)
                .map(|v| v.line)
                .unwrap_or(1)
        };
        let at = |k: &str| At {
            text: i,
            line: line_of(k),
        };
        // Whose file it is: the URL's application_name, else KAFKA_CLIENT_ID, else the file name.
        let url = dotenv::expanded(&vars, "DATABASE_URL");
        let app = url
            .as_deref()
            .and_then(|u| pgurl::parse(u).ok())
            .and_then(|u| u.param("application_name").map(str::to_string));
        let service = app
            .or_else(|| dotenv::expanded(&vars, "KAFKA_CLIENT_ID"))
            .filter(|s| check_service_name(s).is_ok())
            .or_else(|| service_from_name(name));
        let direct = dotenv::expanded(&vars, "DIRECT_URL");
        if let Some(d) = &direct {
            self.anchor("env.DIRECT_URL", at("DIRECT_URL"));
            self.read_url(at("DIRECT_URL"), d, &None, true);
        }
        if let Some(u) = &url {
            self.anchor("env.DATABASE_URL", at("DATABASE_URL"));
            self.read_url(
                at("DATABASE_URL"),
                u,
                &service,
                direct.is_none() && !looks_pooled(u, self.base),
            );
        }
        if let Some(nodes) = dotenv::expanded(&vars, "REDIS_CLUSTER_NODES") {
            self.param(at("REDIS_CLUSTER_NODES"), "redis", "cluster");
            self.param(at("REDIS_CLUSTER_NODES"), "redis_nodes", nodes);
        } else if let Some(host) = dotenv::expanded(&vars, "REDIS_HOST") {
            if self.base.redis.mode == crate::calc::inputs::RedisMode::Off {
                self.param(at("REDIS_HOST"), "redis", "single");
            }
            self.param(at("REDIS_HOST"), "redis_host", host);
        }
        for (key, param) in [
            ("REDIS_PORT", "redis_port"),
            ("REDIS_DB", "redis_db"),
            ("KAFKA_BROKERS", "kafka_brokers"),
        ] {
            if let Some(v) = dotenv::expanded(&vars, key) {
                self.param(at(key), param, v);
            }
        }
    }

    /// A connection URL; `service` is whose pool it sets, `direct` whether it goes to the
    /// database itself rather than through a pooler.
    fn read_url(&mut self, at: At, text: &str, service: &Option<String>, direct: bool) {
        let u = match pgurl::parse(text) {
            Ok(u) => u,
            Err(why) => {
                self.note(
                    Some(at),
                    Finding::error(
                        "url.unreadable",
                        format!("The URL cannot be read: {why}"),
                        source::LIBPQ_URI,
                    ),
                );
                return;
            }
        };
        if u.password
            .as_deref()
            .is_some_and(|p| !p.is_empty() && !is_placeholder(p))
        {
            self.note(
                Some(at),
                Finding::info(
                    "url.password_written",
                    "The URL carries its password (poolcalc masks it and never adopts it): keep URLs with passwords out of repositories and share links, and read the password from a secret store at run time",
                    source::PRISMA_URL_PARAMS,
                ),
            );
        }
        let pooled = !direct && looks_pooled(text, self.base);
        // What the base inputs already produce for this hop (a provider may derive the host and
        // user, as Supabase does): only a part that differs says something new.
        let endpoint = if pooled {
            self.base_plan.endpoints.pooled.clone()
        } else {
            Some(self.base_plan.endpoints.direct.clone())
        };
        let same_host = |h: &str| endpoint.as_ref().is_some_and(|e| e.host == h);
        let same_port = |p: u16| endpoint.as_ref().is_some_and(|e| e.port == p);
        let same_user = |u: &str| endpoint.as_ref().is_some_and(|e| e.user == u);
        if let Some((host, port)) = u.hosts.first() {
            let (h, p) = if pooled {
                ("pgb_host", "pgb_port")
            } else {
                ("db_host", "db_port")
            };
            if pooled && self.base.pooler.kind == Pooler::None {
                self.param(at, "pooler", "pgbouncer");
            }
            if !host.is_empty() && !same_host(host) {
                self.param(at, h, host.clone());
            }
            if let Some(port) = port.filter(|p| !same_port(*p)) {
                self.param(at, p, port.to_string());
            }
        }
        // Through a pooler the path names the pooler's database entry, not the server's.
        if let Some(db) = u.dbname.as_ref().filter(|_| !pooled) {
            self.param(at, "db_name", db.clone());
        }
        if let Some(user) = u.user.as_ref() {
            // An app URL whose user is `<owner>_<service>` logs in as the service's own role
            // (db_roles=per-service); the owner is the direct URL's user when one was read.
            let svc = service.clone().or_else(|| {
                (self.base.services.len() == 1).then(|| self.base.services[0].name.clone())
            });
            let owner = self
                .reads
                .iter()
                .rev()
                .find(|r| matches!(r.target, Target::Param("db_user")))
                .map(|r| r.value.clone())
                .unwrap_or_else(|| self.base_plan.endpoints.direct.user.clone());
            // DIRECT_URL (migrations) is read with no service; a service's own URL has one.
            let app_url = !direct || service.is_some();
            let own_role = app_url && svc.as_ref().is_some_and(|s| role_name(&owner, s) == *user);
            if own_role {
                if self.base.db.roles != DbRoles::PerService {
                    self.param(at, "db_roles", "per-service");
                }
            } else if !same_user(user) {
                if !pooled || self.base.pooler.kind != Pooler::Supavisor {
                    self.param(at, "db_user", user.clone());
                }
            } else if app_url && self.base_plan.roles.is_some() {
                self.param(at, "db_roles", "shared");
            }
        }
        if let Some(mode) = u.param("sslmode") {
            if self.base.prisma == Prisma::V6 && !matches!(mode, "disable" | "prefer" | "require") {
                self.note(
                    Some(at),
                    Finding::warning(
                        "url.sslmode_prisma6",
                        format!("sslmode={mode}: Prisma 6's engine reads only disable, prefer and require; any other value silently becomes prefer (no certificate check). Use sslmode=require with sslaccept=strict and sslrootcert"),
                        source::QUAINT_URL,
                    ),
                );
            } else if !pooled {
                // The apps' TLS policy is the direct URL's; a pooled URL's sslmode follows from it
                // and from the pooler's own TLS (the generated pooled URLs may say disable). The
                // URL's word also depends on the client (node-postgres reads `require` where
                // Prisma 6 reads `prefer`): only a word the plan would not write is news.
                let planned = self
                    .base_plan
                    .tls
                    .direct
                    .url_params
                    .iter()
                    .find(|(k, _)| *k == "sslmode");
                if planned.is_none_or(|(_, v)| v != mode) {
                    self.param(at, "sslmode", mode);
                }
            }
        }
        if let Some(schema) = u.param("schema") {
            self.param(at, "db_schema", schema);
        }
        if pooled {
            let flag = u.param("pgbouncer") == Some("true");
            self.written.pooled_url_has_pgbouncer_flag = Some(flag);
            self.pin(at, "prisma.pgbouncer", if flag { "1" } else { "0" });
        }
        if direct {
            return;
        }
        let Some(svc) = service.clone().or_else(|| {
            (self.base.services.len() == 1).then(|| self.base.services[0].name.clone())
        }) else {
            if u.param("connection_limit").is_some() {
                self.note(
                    Some(at),
                    Finding::info(
                        "audit.service_unknown",
                        "Whose pool this URL sets is unknown: add application_name=<service> to it, or name the text after the service (api.env)",
                        source::PG_STAT_ACTIVITY,
                    ),
                );
            }
            return;
        };
        if !self.base.services.iter().any(|s| s.name == svc) && !self.services_to_add.contains(&svc)
        {
            self.services_to_add.push(svc.clone());
            self.note(
                Some(at),
                Finding::info(
                    "audit.service_added",
                    format!("{svc} is not among the plan's services: adopting adds it with 1 replica. Set its replicas so that the budget counts it right"),
                    source::PRISMA_POOL,
                ),
            );
        }
        for field in ["connection_limit", "pool_timeout", "connect_timeout"] {
            if let Some(v) = u.param(field) {
                self.pin(at, format!("{svc}.{field}"), v);
            }
        }
    }

    // ---- ioredis and KafkaJS options ----

    fn read_redis(&mut self, i: usize, fields: &[Field]) {
        let at = |f: &Field| At {
            text: i,
            line: f.line,
        };
        // A Cluster's options keep the per-node ones in redisOptions.
        let nested: Vec<Field> = match object::get(fields, "redisOptions").map(|f| &f.value) {
            Some(Value::Object(inner)) => inner.clone(),
            _ => Vec::new(),
        };
        for f in fields.iter().chain(nested.iter()) {
            self.anchor(format!("redis.{}", f.key), at(f));
            match (f.key.as_str(), &f.value) {
                ("host", Value::Str(h)) => self.param(at(f), "redis_host", h.clone()),
                ("port", Value::Num(n)) => self.param(at(f), "redis_port", (*n as u64).to_string()),
                ("db", Value::Num(n)) => self.param(at(f), "redis_db", (*n as u64).to_string()),
                ("tls", Value::Object(_) | Value::Bool(true)) => self.param(at(f), "redis_tls", "1"),
                ("maxRetriesPerRequest", Value::Num(n)) => {
                    self.pin(at(f), "redis.max_retries_per_request", (*n as u64).to_string());
                }
                ("connectTimeout", Value::Num(n)) => self.compare(at(f), "redis.connect_timeout_ms", (*n as u64).to_string()),
                ("enableOfflineQueue", Value::Bool(b)) => self.compare(at(f), "redis.enable_offline_queue", b.to_string()),
                ("keepAlive", Value::Num(n)) => self.compare(at(f), "redis.keep_alive_ms", (*n as u64).to_string()),
                ("keepAlive", Value::Bool(b)) => self.note(
                    Some(at(f)),
                    Finding::warning(
                        "redis.keepalive_boolean",
                        format!("keepAlive: {b}: ioredis takes keepAlive as the initial TCP keep-alive delay in milliseconds (a number; 0 turns it off), not a switch"),
                        source::IOREDIS_OPTIONS,
                    ),
                ),
                _ => {}
            }
        }
    }

    fn read_kafka(&mut self, i: usize, fields: &[Field]) {
        let at = |f: &Field| At {
            text: i,
            line: f.line,
        };
        let section = |name: &str| -> Vec<Field> {
            match object::get(fields, name).map(|f| &f.value) {
                Some(Value::Object(inner)) => inner.clone(),
                _ => Vec::new(),
            }
        };
        let (producer, consumer) = (section("producer"), section("consumer"));
        for f in fields {
            match (f.key.as_str(), &f.value) {
                ("brokers", Value::Array(items)) => {
                    let list: Vec<String> = items
                        .iter()
                        .filter_map(|v| {
                            if let Value::Str(s) = v {
                                Some(s.clone())
                            } else {
                                None
                            }
                        })
                        .collect();
                    if list.len() == items.len() && !list.is_empty() {
                        self.param(at(f), "kafka_brokers", list.join(","));
                    }
                }
                ("ssl", Value::Bool(b)) => {
                    self.param(at(f), "kafka_ssl", if *b { "1" } else { "0" })
                }
                ("ssl", Value::Object(_)) => self.param(at(f), "kafka_ssl", "1"),
                ("sasl", Value::Object(s)) => {
                    if let Some(Value::Str(m)) = object::get(s, "mechanism").map(|m| &m.value) {
                        self.param(at(f), "kafka_sasl", m.to_ascii_lowercase());
                    }
                }
                ("connectionTimeout", Value::Num(n)) => {
                    self.compare(at(f), "kafka.connection_timeout", (*n as u64).to_string())
                }
                ("requestTimeout", Value::Num(n)) => {
                    self.compare(at(f), "kafka.request_timeout", (*n as u64).to_string())
                }
                _ => {}
            }
        }
        // Producer and consumer options, at the top level or in their own objects.
        for f in fields.iter().chain(producer.iter()) {
            match (f.key.as_str(), &f.value) {
                ("idempotent", Value::Bool(b)) => self.pin(
                    at(f),
                    "kafka.producer.idempotent",
                    if *b { "1" } else { "0" },
                ),
                ("maxInFlightRequests", Value::Num(n)) => self.pin(
                    at(f),
                    "kafka.producer.max_in_flight_requests",
                    (*n as u64).to_string(),
                ),
                ("compression", Value::Num(n)) => {
                    self.pin(at(f), "kafka.producer.compression", (*n as u64).to_string())
                }
                ("retry", Value::Object(r)) => {
                    if let Some(Value::Num(n)) = object::get(r, "retries").map(|x| &x.value) {
                        self.pin(at(f), "kafka.producer.retries", (*n as u64).to_string());
                    }
                }
                _ => {}
            }
        }
        for f in fields.iter().chain(consumer.iter()) {
            match (f.key.as_str(), &f.value) {
                ("sessionTimeout", Value::Num(n)) => self.pin(
                    at(f),
                    "kafka.consumer.session_timeout",
                    (*n as u64).to_string(),
                ),
                ("heartbeatInterval", Value::Num(n)) => self.pin(
                    at(f),
                    "kafka.consumer.heartbeat_interval",
                    (*n as u64).to_string(),
                ),
                _ => {}
            }
        }
    }

    // ---- psql results ----

    fn read_psql(&mut self, i: usize, kind: Kind, t: &psql::Table) {
        let num = |s: Option<&str>| s.and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
        for (line, row) in &t.rows {
            let at = At {
                text: i,
                line: *line,
            };
            match kind {
                Kind::ShowPools => {
                    let db = t.cell(row, "database").unwrap_or_default();
                    if db == "pgbouncer" {
                        continue;
                    }
                    let servers: u64 = ["sv_active", "sv_idle", "sv_used", "sv_tested", "sv_login"]
                        .iter()
                        .map(|c| num(t.cell(row, c)))
                        .sum();
                    self.observed.push(Observed::PoolServers {
                        at,
                        database: db.to_string(),
                        count: servers,
                    });
                    let waiting = num(t.cell(row, "cl_waiting"));
                    let maxwait = num(t.cell(row, "maxwait"));
                    if waiting > 0 || maxwait > 0 {
                        self.observed.push(Observed::Waiting {
                            at,
                            database: db.to_string(),
                            waiting,
                            maxwait,
                        });
                    }
                    if let Some(mode) = t.cell(row, "pool_mode") {
                        self.param(at, "pgb_mode", mode.to_string());
                    }
                }
                Kind::ShowConfig => {
                    if let (Some(k), Some(v)) = (t.cell(row, "key"), t.cell(row, "value")) {
                        let (k, v) = (k.to_string(), v.to_string());
                        if !v.is_empty() {
                            self.read_pgbouncer_key(at, &k, &v, false);
                        }
                    }
                }
                Kind::ShowMaxConnections => {
                    let v = t
                        .cell(row, "max_connections")
                        .or_else(|| t.cell(row, "value"));
                    if let Some(v) = v {
                        self.param(at, "db_max_conn", v.to_string());
                    }
                }
                Kind::Connections => {
                    let app = t
                        .cell(row, "application_name")
                        .unwrap_or_default()
                        .to_string();
                    let count = num(t.cell(row, "connections"));
                    self.observed
                        .push(Observed::AppConnections { at, app, count });
                }
                _ => {}
            }
        }
    }

    /// Compares what psql showed with the plan the texts describe.
    pub(super) fn observe(&mut self, p: &Plan) {
        for o in std::mem::take(&mut self.observed) {
            match o {
                Observed::PoolServers {
                    at,
                    database,
                    count,
                } => {
                    let Some(b) = &p.pgbouncer else { continue };
                    let cap = u64::from(b.default_pool_size) + u64::from(b.reserve_pool_size);
                    self.rows_extra.push(Row {
                        kind: RowKind::Observed,
                        at,
                        setting: format!("server connections [{database}]"),
                        written: count.to_string(),
                        planned: format!("≤ {cap}"),
                        differs: count > cap,
                    });
                    if count > cap {
                        self.note(
                            Some(at),
                            Finding::warning(
                                "pgbouncer.pool_over_plan",
                                format!("{database} has {count} server connections on this PgBouncer, more than the plan's pool ({} + reserve {}): its settings are not the planned ones", b.default_pool_size, b.reserve_pool_size),
                                source::PGBOUNCER_SHOW,
                            ),
                        );
                    }
                }
                Observed::Waiting {
                    at,
                    database,
                    waiting,
                    maxwait,
                } => {
                    // Queueing is how transaction pooling shares a small server pool; it is a
                    // problem when the wait reaches the plan's alert (PgBouncerClientsWaiting).
                    let limit = u64::from(p.alerts.client_wait_seconds);
                    let over = maxwait > limit;
                    let message = format!(
                        "{database}: {waiting} client(s) waiting for a server connection, the longest for {maxwait} s{}",
                        if over {
                            format!(", past the plan's alert at {limit} s: the pool is too small for the load, or transactions run long")
                        } else {
                            format!(" (the plan alerts past {limit} s): queueing for a moment is how transaction pooling shares the server pool")
                        }
                    );
                    let f = if over {
                        Finding::warning(
                            "pgbouncer.clients_waiting",
                            message,
                            source::PGBOUNCER_SHOW,
                        )
                    } else {
                        Finding::info("pgbouncer.clients_waiting", message, source::PGBOUNCER_SHOW)
                    };
                    self.note(Some(at), f);
                }
                Observed::AppConnections { at, app, count } => {
                    let svc = p.services.iter().find(|s| s.name == app);
                    match svc {
                        Some(s) => {
                            let planned = s.total;
                            self.rows_extra.push(Row {
                                kind: RowKind::Observed,
                                at,
                                setting: format!("connections [{app}]"),
                                written: count.to_string(),
                                planned: format!("≤ {planned}"),
                                differs: count > planned,
                            });
                            if count > planned {
                                self.note(
                                    Some(at),
                                    Finding::warning(
                                        "postgres.service_over_plan",
                                        format!("{app} holds {count} connections, more than the plan's {planned} (pool {} × {} replicas at peak): more replicas or a larger pool run than planned", s.connection_limit, s.peak_replicas),
                                        source::PG_STAT_ACTIVITY,
                                    ),
                                );
                            }
                        }
                        None if app.is_empty() => self.note(
                            Some(at),
                            Finding::info(
                                "postgres.unnamed_connections",
                                format!("{count} connection(s) without application_name: they cannot be told apart by service. poolcalc's URLs set application_name per service"),
                                source::PG_STAT_ACTIVITY,
                            ),
                        ),
                        None => {}
                    }
                }
            }
        }
    }

    /// Each setting read beside the plan's value for it (the last read of a setting wins).
    pub(super) fn rows(&mut self, recommended: &Plan) -> Vec<Row> {
        let mut out: Vec<Row> = Vec::new();
        for r in &self.reads {
            let setting = match &r.target {
                super::Target::Param(n) => n.to_string(),
                super::Target::Pin(p) => p.clone(),
                super::Target::Compare(p) => p.to_string(),
            };
            // "pooler" is implied by the file's kind; not a setting anyone wrote.
            if setting == "pooler" {
                continue;
            }
            let planned = super::planned_value(recommended, self.base, &r.target);
            out.retain(|x| x.setting != setting);
            let kind = match r.target {
                super::Target::Param(_) => RowKind::Input,
                _ => RowKind::Setting,
            };
            out.push(Row {
                kind,
                at: r.at,
                differs: planned != r.value && !(planned == "—" && r.value.is_empty()),
                setting,
                written: r.value.clone(),
                planned,
            });
        }
        out.append(&mut self.rows_extra);
        out.sort_by_key(|r| r.at);
        out
    }
}

/// Whether a URL goes through a pooler: the pooler's port, or (on another port than the
/// database's) `pgbouncer=true` or PgBouncer's or Supavisor's usual port.
fn looks_pooled(url: &str, base: &Inputs) -> bool {
    let Ok(u) = pgurl::parse(url) else {
        return false;
    };
    let port = u.hosts.first().and_then(|(_, p)| *p);
    let db_port = port == Some(base.db.port);
    (base.pooler.kind != Pooler::None && port == Some(base.pooler.port))
        || (!db_port && (u.param("pgbouncer") == Some("true") || matches!(port, Some(6432 | 6543))))
}

/// A service name from a text's name: `api.env` or `api` gives `api`.
fn service_from_name(name: &str) -> Option<String> {
    let stem = name.rsplit('/').next().unwrap_or(name);
    let stem = stem.strip_suffix(".env").unwrap_or(stem);
    check_service_name(stem).is_ok().then(|| stem.to_string())
}

/// A number as C's atoi reads it: optional spaces and sign, then the leading digits (0 if none).
fn leading_number(v: &str) -> u64 {
    let t = v.trim_start();
    if t.starts_with('-') {
        return 0;
    }
    let digits: String = t
        .trim_start_matches('+')
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if digits.is_empty() {
        return 0;
    }
    digits.parse().unwrap_or(u64::MAX)
}

/// How PgBouncer reads one kind of `key = k=v …` line, and what the audit calls its mistakes.
struct LineKind {
    section: &'static str,
    known: fn(&str, crate::calc::inputs::PgbVersion) -> bool,
    line_code: &'static str,
    key_code: &'static str,
    what: &'static str,
    refusal: &'static str,
    source: &'static str,
}

const DATABASES_LINE: LineKind = LineKind {
    section: "databases",
    known: ini::db_key_known,
    line_code: "pgbouncer.database_line",
    key_code: "pgbouncer.database_key",
    what: "not a connection parameter",
    refusal: "(\"unrecognized connection parameter\"): the database is not created",
    source: source::PGBOUNCER_DATABASES,
};

const USERS_LINE: LineKind = LineKind {
    section: "users",
    known: ini::user_key_known,
    line_code: "pgbouncer.user_line",
    key_code: "pgbouncer.user_key",
    what: "not a per-user setting",
    refusal: "(\"unrecognized user parameter\"): it refuses the file",
    source: source::PGBOUNCER_USERS,
};
