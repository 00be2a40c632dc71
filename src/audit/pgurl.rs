//! A PostgreSQL connection URI as libpq reads it (PostgreSQL docs "Connection URIs", libpq
//! `conninfo_uri_parse_options`): `postgresql://[user[:password]@][host[:port][,...]][/dbname]
//! [?param=value&...]`, every part percent-decoded, several hosts separated by commas, IPv6
//! addresses in brackets. Prisma reads its own parameters from the same query string.

use percent_encoding::percent_decode_str;

/// A parsed URL. The password is kept only to say whether there is one; callers never show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PgUrl {
    pub user: Option<String>,
    pub password: Option<String>,
    pub hosts: Vec<(String, Option<u16>)>,
    pub dbname: Option<String>,
    pub params: Vec<(String, String)>,
}

impl PgUrl {
    /// The last value of a query parameter.
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

fn decode(s: &str, what: &str) -> Result<String, String> {
    let b = s.as_bytes();
    for (i, c) in b.iter().enumerate() {
        if *c == b'%'
            && !b
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
        {
            return Err(format!(
                "the {what} has a malformed %-escape (libpq refuses the URL)"
            ));
        }
    }
    percent_decode_str(s)
        .decode_utf8()
        .map(|t| t.into_owned())
        .map_err(|_| format!("the {what} is not UTF-8 once decoded"))
}

/// Parses a URL; `Err` says what libpq would refuse.
pub fn parse(url: &str) -> Result<PgUrl, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("postgresql://")
        .or_else(|| url.strip_prefix("postgres://"))
        .ok_or("not a postgresql:// or postgres:// URL")?;
    // The authority ends at the first `/` or `?`; the user part at the first `@` before it.
    let auth_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, after) = rest.split_at(auth_end);
    let (userinfo, hostspec) = match authority.find('@') {
        Some(at) => (Some(&authority[..at]), &authority[at + 1..]),
        None => (None, authority),
    };
    let (user, password) = match userinfo {
        None => (None, None),
        Some(u) => match u.split_once(':') {
            Some((n, p)) => (Some(decode(n, "user name")?), Some(decode(p, "password")?)),
            None => (Some(decode(u, "user name")?), None),
        },
    };
    let mut hosts = Vec::new();
    if !hostspec.is_empty() {
        for part in hostspec.split(',') {
            let (host, port) = if let Some(v6) = part.strip_prefix('[') {
                let close = v6.find(']').ok_or("an IPv6 host without its closing `]`")?;
                let port = v6[close + 1..].strip_prefix(':');
                (v6[..close].to_string(), port)
            } else {
                match part.rsplit_once(':') {
                    Some((h, p)) => (decode(h, "host")?, Some(p)),
                    None => (decode(part, "host")?, None),
                }
            };
            let port = match port {
                None | Some("") => None,
                Some(p) => Some(
                    p.parse::<u16>()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| format!("port `{p}` is not a number from 1 to 65535"))?,
                ),
            };
            hosts.push((host, port));
        }
    }
    let (path, query) = match after.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (after, None),
    };
    let dbname = match path.strip_prefix('/') {
        Some(d) if !d.is_empty() => Some(decode(d, "database name")?),
        _ => None,
    };
    let mut params = Vec::new();
    if let Some(q) = query {
        for pair in q.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair
                .split_once('=')
                .ok_or_else(|| format!("query parameter `{pair}` has no `=` (libpq refuses it)"))?;
            params.push((decode(k, "query")?, decode(v, "query")?));
        }
    }
    Ok(PgUrl {
        user,
        password,
        hosts,
        dbname,
        params,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libpq_uris() {
        let u = parse("postgresql://app%40x:p%3Aw%2F@db1:5432,[::1]:6432,db3/my%20db?sslmode=require&application_name=api").unwrap();
        assert_eq!(u.user.as_deref(), Some("app@x"));
        assert_eq!(u.password.as_deref(), Some("p:w/"));
        assert_eq!(
            u.hosts,
            vec![
                ("db1".into(), Some(5432)),
                ("::1".into(), Some(6432)),
                ("db3".into(), None)
            ]
        );
        assert_eq!(u.dbname.as_deref(), Some("my db"));
        assert_eq!(u.param("application_name"), Some("api"));
        let bare = parse("postgres://localhost").unwrap();
        assert_eq!(bare.hosts, vec![("localhost".into(), None)]);
        assert!(parse("postgresql://u:p%zz@h/db").is_err());
        assert!(parse("postgresql://h:99999/db").is_err());
        assert!(parse("mysql://h/db").is_err());
        assert!(parse("postgresql://h/db?flag").is_err());
    }
}
