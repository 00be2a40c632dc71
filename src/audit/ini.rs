//! pgbouncer.ini as PgBouncer reads it: libusual's cfparser (`parse_ini_file_internal`, the same
//! at PgBouncer 1.18.0 and 1.25.2) and PgBouncer's `bouncer_params[]` key table (src/main.c),
//! checked against a running PgBouncer 1.18.
//!
//! - leading whitespace (blank lines included) is skipped; a line whose first character is `#` or
//!   `;` is a comment; a `#` or `;` later in a line is part of the value;
//! - `%include FILE` includes another file (poolcalc cannot follow it and says so);
//! - `[name]` starts a section: `databases`, `pgbouncer`, `users`, and from 1.19 `peers`, spelled
//!   exactly so (section and key names are compared case-sensitively); any other stops loading;
//! - a key is letters, digits, `_ . - *` (or a single-quoted name), then `=`: anything else is a
//!   syntax error that stops loading; the value runs to the end of the line, trailing space trimmed.

use crate::calc::inputs::PgbVersion;

/// One `key = value` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub section: String,
    pub key: String,
    pub value: String,
    pub line: usize,
}

/// Where and why PgBouncer stops reading the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stop {
    pub line: usize,
    pub message: String,
}

/// What the parser read: the entries up to the point where PgBouncer would stop, the `%include`
/// lines, and the stop itself, if any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ini {
    pub entries: Vec<Entry>,
    pub includes: Vec<(usize, String)>,
    pub stop: Option<Stop>,
}

impl Ini {
    /// The last value of a `[pgbouncer]` key (a later line wins, as `cf_set` overwrites).
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.section == "pgbouncer" && e.key == key)
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Parses the text; never panics, whatever the bytes.
pub fn parse(text: &str, version: PgbVersion) -> Ini {
    let b = text.as_bytes();
    let line_at = |p: usize| 1 + b[..p.min(b.len())].iter().filter(|c| **c == b'\n').count();
    let mut out = Ini::default();
    let mut section: Option<String> = None;
    let mut p = 0;
    let stop = |out: &mut Ini, p: usize, message: String| {
        out.stop = Some(Stop {
            line: line_at(p),
            message,
        })
    };
    loop {
        while p < b.len() && is_space(b[p]) {
            p += 1;
        }
        if p >= b.len() {
            break;
        }
        let eol = b[p..]
            .iter()
            .position(|c| *c == b'\n')
            .map_or(b.len(), |n| p + n);
        if b[p..].starts_with(b"%include")
            && b.get(p + 8).is_some_and(|c| *c == b' ' || *c == b'\t')
        {
            let file = String::from_utf8_lossy(&b[p + 8..eol]).trim().to_string();
            out.includes.push((line_at(p), file));
            p = eol;
            continue;
        }
        if b[p] == b'#' || b[p] == b';' {
            p = eol;
            continue;
        }
        if b[p] == b'[' {
            let Some(close) = b[p..eol].iter().position(|c| *c == b']') else {
                stop(
                    &mut out,
                    p,
                    "a section header without its closing `]`".into(),
                );
                break;
            };
            let name = String::from_utf8_lossy(&b[p + 1..p + close]).into_owned();
            if !section_known(&name, version) {
                stop(
                    &mut out,
                    p,
                    format!("invalid section \"{name}\": PgBouncer {version} knows [databases], [pgbouncer], [users]{} (spelled exactly so)", if version >= PgbVersion(19) { " and [peers]" } else { "" }),
                );
                break;
            }
            section = Some(name);
            p += close + 1;
            continue;
        }
        let key_start = p;
        if b[p] == b'\'' {
            match b[p + 1..].iter().position(|c| *c == b'\'') {
                Some(n) => p += n + 2,
                None => {
                    stop(&mut out, p, "a quoted key without its closing quote".into());
                    break;
                }
            }
        } else {
            while p < b.len() && (b[p].is_ascii_alphanumeric() || b"_.-*".contains(&b[p])) {
                p += 1;
            }
        }
        let key = String::from_utf8_lossy(&b[key_start..p])
            .trim_matches('\'')
            .to_string();
        while p < b.len() && (b[p] == b' ' || b[p] == b'\t') {
            p += 1;
        }
        if p >= b.len() || b[p] != b'=' {
            let shown: String = String::from_utf8_lossy(&b[key_start..eol])
                .chars()
                .take(60)
                .collect();
            stop(
                &mut out,
                key_start,
                format!(
                    "syntax error: `{}` is not `key = value` (a key is letters, digits, `_ . - *`)",
                    shown.trim()
                ),
            );
            break;
        }
        p += 1;
        while p < b.len() && (b[p] == b' ' || b[p] == b'\t') {
            p += 1;
        }
        let eol = b[p..]
            .iter()
            .position(|c| *c == b'\n')
            .map_or(b.len(), |n| p + n);
        let value = String::from_utf8_lossy(&b[p..eol]).trim_end().to_string();
        let Some(sect) = &section else {
            stop(
                &mut out,
                key_start,
                format!("`{key}` comes before any [section]"),
            );
            break;
        };
        out.entries.push(Entry {
            section: sect.clone(),
            key,
            value,
            line: line_at(key_start),
        });
        p = eol;
    }
    out
}

fn section_known(name: &str, version: PgbVersion) -> bool {
    matches!(name, "databases" | "pgbouncer" | "users")
        || (name == "peers" && version >= PgbVersion(19))
}

/// The `[pgbouncer]` keys of PgBouncer 1.18.0 (`bouncer_params[]`, src/main.c; `SHOW CONFIG` of
/// a running 1.18 lists the same, `service_name` being an alias of `job_name`).
const KEYS_1_18: &[&str] = &[
    "admin_users",
    "application_name_add_host",
    "auth_file",
    "auth_hba_file",
    "auth_query",
    "auth_type",
    "auth_user",
    "autodb_idle_timeout",
    "client_idle_timeout",
    "client_login_timeout",
    "client_tls_ca_file",
    "client_tls_cert_file",
    "client_tls_ciphers",
    "client_tls_dheparams",
    "client_tls_ecdhcurve",
    "client_tls_key_file",
    "client_tls_protocols",
    "client_tls_sslmode",
    "conffile",
    "default_pool_size",
    "disable_pqexec",
    "dns_max_ttl",
    "dns_nxdomain_ttl",
    "dns_zone_check_period",
    "idle_transaction_timeout",
    "ignore_startup_parameters",
    "job_name",
    "listen_addr",
    "listen_backlog",
    "listen_port",
    "log_connections",
    "log_disconnections",
    "log_pooler_errors",
    "log_stats",
    "logfile",
    "max_client_conn",
    "max_db_connections",
    "max_packet_size",
    "max_user_connections",
    "min_pool_size",
    "pidfile",
    "pkt_buf",
    "pool_mode",
    "query_timeout",
    "query_wait_timeout",
    "reserve_pool_size",
    "reserve_pool_timeout",
    "resolv_conf",
    "sbuf_loopcnt",
    "server_check_delay",
    "server_check_query",
    "server_connect_timeout",
    "server_fast_close",
    "server_idle_timeout",
    "server_lifetime",
    "server_login_retry",
    "server_reset_query",
    "server_reset_query_always",
    "server_round_robin",
    "server_tls_ca_file",
    "server_tls_cert_file",
    "server_tls_ciphers",
    "server_tls_key_file",
    "server_tls_protocols",
    "server_tls_sslmode",
    "service_name",
    "so_reuseport",
    "stats_period",
    "stats_users",
    "suspend_timeout",
    "syslog",
    "syslog_facility",
    "syslog_ident",
    "tcp_defer_accept",
    "tcp_keepalive",
    "tcp_keepcnt",
    "tcp_keepidle",
    "tcp_keepintvl",
    "tcp_socket_buffer",
    "tcp_user_timeout",
    "unix_socket_dir",
    "unix_socket_group",
    "unix_socket_mode",
    "user",
    "verbose",
];

/// Keys added since 1.18, by the release that added them (`bouncer_params[]` diffed tag by tag;
/// no key was removed or renamed up to 1.25.2).
const KEYS_ADDED: &[(u8, &str)] = &[
    (19, "auth_dbname"),
    (19, "cancel_wait_timeout"),
    (19, "peer_id"),
    (20, "track_extra_parameters"),
    (21, "max_prepared_statements"),
    (23, "auth_ident_file"),
    (24, "max_db_client_connections"),
    (24, "max_user_client_connections"),
    (25, "auth_ldap_options"),
    (25, "client_tls13_ciphers"),
    (25, "server_tls13_ciphers"),
    (25, "query_wait_notify"),
    (25, "scram_iterations"),
    (25, "transaction_timeout"),
];

/// Whether PgBouncer `version` knows a `[pgbouncer]` key; `Err` names the release that added it.
pub fn key_known(key: &str, version: PgbVersion) -> Result<(), Option<u8>> {
    if KEYS_1_18.contains(&key) {
        return Ok(());
    }
    match KEYS_ADDED.iter().find(|(_, k)| *k == key) {
        Some((minor, _)) if version >= PgbVersion(*minor) => Ok(()),
        Some((minor, _)) => Err(Some(*minor)),
        None => Err(None),
    }
}

/// How PgBouncer reads a `[pgbouncer]` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// `strtol(value, &end, 0)` with the whole text consumed: `010` is octal 8, `0x10` is 16.
    Int,
    /// Seconds as a non-negative decimal number.
    Seconds,
    /// One of these words, in any case.
    Words(&'static [&'static str]),
    /// Text taken as written.
    Text,
}

const SSLMODES: &[&str] = &[
    "disable",
    "allow",
    "prefer",
    "require",
    "verify-ca",
    "verify-full",
];

/// The kind of a `[pgbouncer]` key's value (src/main.c: CF_INT/CF_UINT, CF_TIME_USEC/CF_TIME_DOUBLE,
/// CF_LOOKUP).
pub fn value_kind(key: &str) -> ValueKind {
    match key {
        "pool_mode" => ValueKind::Words(&["session", "transaction", "statement"]),
        "auth_type" => ValueKind::Words(&[
            "any",
            "trust",
            "plain",
            "md5",
            "cert",
            "hba",
            "pam",
            "scram-sha-256",
            "ldap",
        ]),
        "client_tls_sslmode" | "server_tls_sslmode" => ValueKind::Words(SSLMODES),
        "reserve_pool_timeout"
        | "query_wait_timeout"
        | "server_connect_timeout"
        | "server_login_retry"
        | "server_idle_timeout"
        | "server_lifetime"
        | "server_check_delay"
        | "query_timeout"
        | "client_idle_timeout"
        | "client_login_timeout"
        | "idle_transaction_timeout"
        | "transaction_timeout"
        | "suspend_timeout"
        | "autodb_idle_timeout"
        | "dns_max_ttl"
        | "dns_nxdomain_ttl"
        | "dns_zone_check_period"
        | "cancel_wait_timeout" => ValueKind::Seconds,
        "max_client_conn"
        | "default_pool_size"
        | "min_pool_size"
        | "reserve_pool_size"
        | "max_db_connections"
        | "max_user_connections"
        | "max_prepared_statements"
        | "max_db_client_connections"
        | "max_user_client_connections"
        | "listen_port"
        | "listen_backlog"
        | "pkt_buf"
        | "sbuf_loopcnt"
        | "max_packet_size"
        | "stats_period"
        | "tcp_keepalive"
        | "tcp_keepcnt"
        | "tcp_keepidle"
        | "tcp_keepintvl"
        | "tcp_socket_buffer"
        | "tcp_user_timeout"
        | "tcp_defer_accept"
        | "so_reuseport"
        | "server_round_robin"
        | "server_reset_query_always"
        | "server_fast_close"
        | "disable_pqexec"
        | "application_name_add_host"
        | "log_connections"
        | "log_disconnections"
        | "log_pooler_errors"
        | "log_stats"
        | "verbose"
        | "syslog"
        | "peer_id"
        | "query_wait_notify"
        | "scram_iterations" => ValueKind::Int,
        _ => ValueKind::Text,
    }
}

/// Reads an integer the way `strtol(value, &end, 0)` does, refusing a partial parse.
pub fn strtol(value: &str) -> Option<i64> {
    let (neg, digits) = match value.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, value.strip_prefix('+').unwrap_or(value)),
    };
    let (radix, body) = if let Some(h) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        (16, h)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    if body.is_empty() {
        return None;
    }
    let n = i64::from_str_radix(body, radix).ok()?;
    Some(if neg { -n } else { n })
}

/// Checks a value the way PgBouncer would; `Err` says why PgBouncer refuses it.
pub fn check_value(key: &str, value: &str) -> Result<(), String> {
    match value_kind(key) {
        ValueKind::Int => strtol(value)
            .map(|_| ())
            .ok_or_else(|| "not a whole number".to_string()),
        ValueKind::Seconds => value
            .parse::<f64>()
            .ok()
            .filter(|v| *v >= 0.0 && v.is_finite())
            .map(|_| ())
            .ok_or_else(|| "not a number of seconds".to_string()),
        ValueKind::Words(words) => {
            if words.iter().any(|w| w.eq_ignore_ascii_case(value)) {
                Ok(())
            } else {
                Err(format!("not one of {}", words.join(", ")))
            }
        }
        ValueKind::Text => Ok(()),
    }
}

/// The `key=value` pairs of a `[databases]` line (PgBouncer loader.c `cstr_get_pair`): a value is
/// unquoted up to a space, or single-quoted with `''` for a quote. `Err` says where it breaks.
pub fn connstring(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let key_end = rest.find(['=', ' ', '\t']).unwrap_or(rest.len());
        let key = &rest[..key_end];
        let after = rest[key_end..].trim_start();
        let Some(after) = after.strip_prefix('=') else {
            return Err(format!("`{key}` has no `=value`"));
        };
        let after = after.trim_start();
        let (value, remaining) = if let Some(q) = after.strip_prefix('\'') {
            let mut value = String::new();
            let mut chars = q.char_indices().peekable();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                if c == '\'' {
                    if chars.peek().is_some_and(|(_, n)| *n == '\'') {
                        value.push('\'');
                        chars.next();
                    } else {
                        end = Some(i + 1);
                        break;
                    }
                } else {
                    value.push(c);
                }
            }
            match end {
                Some(e) => (value, &q[e..]),
                None => return Err(format!("the quoted value of `{key}` has no closing quote")),
            }
        } else {
            let end = after.find([' ', '\t']).unwrap_or(after.len());
            (after[..end].to_string(), &after[end..])
        };
        if value.is_empty() {
            return Err(format!("`{key}` has an empty value"));
        }
        out.push((key.to_string(), value));
        rest = remaining.trim_start();
    }
    Ok(out)
}

/// `[databases]` connection-string keys, by the release that added them (src/loader.c
/// `parse_database`): an unknown one makes the load fail.
/// Whether PgBouncer `version` knows a key of a `[users]` line (`parse_user` in src/loader.c:
/// 1.18 knows `pool_mode` and `max_user_connections`; `pool_size` came with 1.23 (NEWS: "Allow
/// `pool_size` configuration per user"); `reserve_pool_size`, `query_timeout`,
/// `idle_transaction_timeout`, `client_idle_timeout` and `max_user_client_connections` with 1.24;
/// `transaction_timeout` with 1.25). Any other key fails the load ("unrecognized user parameter").
pub fn user_key_known(key: &str, version: PgbVersion) -> bool {
    const ADDED: &[(u8, &str)] = &[
        (18, "pool_mode"),
        (18, "max_user_connections"),
        (23, "pool_size"),
        (24, "reserve_pool_size"),
        (24, "query_timeout"),
        (24, "idle_transaction_timeout"),
        (24, "client_idle_timeout"),
        (24, "max_user_client_connections"),
        (25, "transaction_timeout"),
    ];
    ADDED
        .iter()
        .any(|(m, k)| *k == key && version >= PgbVersion(*m))
}

pub fn db_key_known(key: &str, version: PgbVersion) -> bool {
    const BASE: &[&str] = &[
        "application_name",
        "auth_user",
        "client_encoding",
        "connect_query",
        "datestyle",
        "dbname",
        "host",
        "max_db_connections",
        "min_pool_size",
        "password",
        "pool_mode",
        "pool_size",
        "port",
        "reserve_pool",
        "timezone",
        "user",
    ];
    const ADDED: &[(u8, &str)] = &[
        (19, "auth_dbname"),
        (22, "auth_query"),
        (23, "server_lifetime"),
        (24, "load_balance_hosts"),
        (24, "max_db_client_connections"),
        (24, "reserve_pool_size"),
    ];
    BASE.contains(&key)
        || ADDED
            .iter()
            .any(|(m, k)| *k == key && version >= PgbVersion(*m))
}

#[cfg(test)]
mod tests {
    use super::*;

    const V118: PgbVersion = PgbVersion(18);

    #[test]
    fn reads_like_cfparser() {
        let text = "; c\n[databases]\napp = host=db port=5432 dbname=app\n\n  [pgbouncer]\npool_mode = transaction ; not a comment\n# c\n%include /etc/x.ini\nmax_client_conn=1000\n";
        let ini = parse(text, V118);
        assert_eq!(ini.stop, None);
        assert_eq!(ini.includes, vec![(8, "/etc/x.ini".to_string())]);
        let pm = ini.get("pool_mode").map(|e| (e.value.as_str(), e.line));
        assert_eq!(pm, Some(("transaction ; not a comment", 6)));
        assert_eq!(
            ini.get("max_client_conn").map(|e| e.value.as_str()),
            Some("1000")
        );
        assert_eq!(ini.entries[0].section, "databases");
    }

    #[test]
    fn stops_where_pgbouncer_stops() {
        let ini = parse(
            "[pgbouncer]\nlisten_port = 6432\npool mode = x\nmax_client_conn = 5\n",
            V118,
        );
        assert_eq!(ini.stop.as_ref().map(|s| s.line), Some(3));
        assert!(ini.get("max_client_conn").is_none());
        assert!(parse("[PgBouncer]\n", V118).stop.is_some());
        assert!(parse("[peers]\n", V118).stop.is_some());
        assert!(parse("[peers]\n", PgbVersion(19)).stop.is_none());
        assert!(parse("x = 1\n", V118).stop.is_some());
        assert!(parse("[pgbouncer\n", V118).stop.is_some());
    }

    #[test]
    fn numbers_and_words_as_pgbouncer_reads_them() {
        assert_eq!(strtol("010"), Some(8));
        assert_eq!(strtol("0x10"), Some(16));
        assert_eq!(strtol("25"), Some(25));
        assert_eq!(strtol("5 # note"), None);
        assert!(check_value("pool_mode", "Transaction").is_ok());
        assert!(check_value("pool_mode", "transaction ; x").is_err());
        assert!(check_value("query_wait_timeout", "1.5").is_ok());
        assert!(check_value("query_wait_timeout", "-1").is_err());
        assert_eq!(key_known("max_prepared_statements", V118), Err(Some(21)));
        assert_eq!(key_known("max_prepared_statements", PgbVersion(21)), Ok(()));
        assert_eq!(key_known("POOL_MODE", PgbVersion(25)), Err(None));
    }

    #[test]
    fn connection_strings() {
        assert_eq!(
            connstring("host=db port=5432 password='it''s a pw' dbname=app").unwrap(),
            vec![
                ("host".into(), "db".into()),
                ("port".into(), "5432".into()),
                ("password".into(), "it's a pw".into()),
                ("dbname".into(), "app".into())
            ]
        );
        assert!(connstring("host=").is_err());
        assert!(connstring("password='x").is_err());
        assert!(db_key_known("load_balance_hosts", PgbVersion(24)));
        assert!(!db_key_known("load_balance_hosts", V118));
    }
}
