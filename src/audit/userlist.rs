//! userlist.txt (PgBouncer's auth_file) as PgBouncer reads it (loader.c `load_auth_file`, docs
//! "Authentication file format"): `"user" "secret"` per line, `""` for a quote inside a field,
//! `;` comment lines; a line that starts with anything else ends the file for PgBouncer, which
//! silently drops every user after it. Secrets are classified, never kept.

/// What kind of secret an entry holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Secret {
    Plain,
    Md5,
    Scram,
    Empty,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub user: String,
    pub secret: Secret,
    pub line: usize,
}

/// The entries, and the line where PgBouncer stops reading (with the number of entries it drops).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Userlist {
    pub entries: Vec<Entry>,
    pub stop: Option<(usize, usize)>,
}

/// Reads one `"…"` field starting at a quote; returns the text and the rest.
fn field(s: &str) -> Option<(String, &str)> {
    let body = s.strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '"' {
            if chars.peek().is_some_and(|(_, n)| *n == '"') {
                out.push('"');
                chars.next();
            } else {
                return Some((out, &body[i + 1..]));
            }
        } else {
            out.push(c);
        }
    }
    None
}

fn classify(secret: &str) -> Secret {
    if secret.is_empty() {
        Secret::Empty
    } else if secret.starts_with("SCRAM-SHA-256$") {
        Secret::Scram
    } else if secret.len() == 35
        && secret.starts_with("md5")
        && secret[3..].bytes().all(|b| b.is_ascii_hexdigit())
    {
        Secret::Md5
    } else {
        Secret::Plain
    }
}

pub fn parse(text: &str) -> Userlist {
    let mut out = Userlist::default();
    let lines: Vec<&str> = text.lines().collect();
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim_start();
        if line.is_empty() || line.starts_with(';') {
            continue;
        }
        let parsed = field(line).and_then(|(user, rest)| {
            let (secret, _) = field(rest.trim_start())?;
            Some((user, secret))
        });
        match parsed {
            Some((user, secret)) => out.entries.push(Entry {
                user,
                secret: classify(&secret),
                line: i + 1,
            }),
            None => {
                let dropped = lines[i + 1..]
                    .iter()
                    .filter(|l| l.trim_start().starts_with('"'))
                    .count();
                out.stop = Some((i + 1, dropped));
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entries_and_stops_where_pgbouncer_stops() {
        let text = "; c\n\"app\" \"SCRAM-SHA-256$4096:abc$def:ghi\"\n\"o\"\"q\" \"md5d41d8cd98f00b204e9800998ecf8427e\"\n# note\n\"late\" \"pw\"\n";
        let u = parse(text);
        assert_eq!(u.entries.len(), 2);
        assert_eq!(u.entries[0].secret, Secret::Scram);
        assert_eq!(u.entries[1].user, "o\"q");
        assert_eq!(u.entries[1].secret, Secret::Md5);
        assert_eq!(u.stop, Some((4, 1)));
    }
}
