//! Character rules for user text that reaches an output file, and percent-encoding for links.
//! Every rule names the format that forces it (shared/reference/domain-facts.md §7).

/// Host names: letters, digits, `.` and `-` (RFC 1123), 1 to 253 characters, or an IPv4 address.
pub fn check_host(s: &str) -> Result<(), String> {
    let ok = !s.is_empty()
        && s.len() <= 253
        && !s.starts_with(['-', '.'])
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    ok.then_some(())
        .ok_or_else(|| "a host name: letters, digits, `.` and `-`, 1 to 253 characters".into())
}

/// Database names: PgBouncer's documented and parser-safe key set `[A-Za-z0-9_]`, at most 63
/// bytes (MAX_DBNAME 64), and never `pgbouncer` (reserved for the admin console).
pub fn check_db_name(s: &str) -> Result<(), String> {
    let ok = (1..=63).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && s != "pgbouncer";
    ok.then_some(())
        .ok_or_else(|| "letters, digits and `_`, 1 to 63 characters, not `pgbouncer`".into())
}

/// Database user names: `[A-Za-z0-9_.-]`, 1 to 63 characters (safe in userlist.txt quotes and in
/// admin_users, whose list cannot hold commas or spaces).
pub fn check_db_user(s: &str) -> Result<(), String> {
    let ok = (1..=63).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    ok.then_some(())
        .ok_or_else(|| "letters, digits, `_`, `.` and `-`, 1 to 63 characters".into())
}

/// A Postgres schema for Prisma's `schema` parameter: a plain lower-case identifier.
pub fn check_schema(s: &str) -> Result<(), String> {
    let mut bytes = s.bytes();
    let ok = (1..=63).contains(&s.len())
        && bytes
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    ok.then_some(())
        .ok_or_else(|| "a lower-case identifier: `a-z`, `0-9`, `_`, 1 to 63 characters".into())
}

/// A Supabase project ref: the lower-case letters and digits between `db.` and `.supabase.co`.
pub fn check_supabase_ref(s: &str) -> Result<(), String> {
    let ok = (1..=40).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    ok.then_some(())
        .ok_or_else(|| "a project ref: lower-case letters and digits, 1 to 40 characters".into())
}

/// Service names, as the share-link contract fixes them: `[a-z][a-z0-9-]{0,39}`.
pub fn check_service_name(s: &str) -> Result<(), String> {
    let mut bytes = s.bytes();
    let ok = (1..=40).contains(&s.len())
        && bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    ok.then_some(())
        .ok_or_else(|| "a name matching [a-z][a-z0-9-]{0,39}".into())
}

/// File paths written into pgbouncer.ini: absolute, `[A-Za-z0-9_./-]`, at most 255 characters, no `..`.
pub fn check_path(s: &str) -> Result<(), String> {
    let ok = s.starts_with('/')
        && s.len() <= 255
        && !s.split('/').any(|part| part == "..")
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'/' | b'-'));
    ok.then_some(()).ok_or_else(|| {
        "an absolute path of letters, digits, `_`, `.`, `/` and `-`, at most 255 characters".into()
    })
}

/// Percent-decodes a query component (`+` is a space). Malformed escapes are an error, never
/// passed through.
pub fn percent_decode(s: &str) -> Result<String, String> {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = bytes.next().and_then(|c| (c as char).to_digit(16));
                let lo = bytes.next().and_then(|c| (c as char).to_digit(16));
                match (hi, lo) {
                    (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
                    _ => return Err("a malformed %-escape".into()),
                }
            }
            _ => out.push(b),
        }
    }
    String::from_utf8(out).map_err(|_| "text that is not UTF-8".into())
}

/// Percent-encodes a query component, keeping RFC 3986 unreserved characters and the `:` and `,`
/// that the link's own syntax uses (both are allowed unencoded in a query).
pub fn percent_encode_query(s: &str) -> String {
    encode(s, |b| {
        b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':' | b',')
    })
}

/// Percent-encodes one part of a URL's authority or path (user, password, database): only RFC 3986
/// unreserved characters stay as they are, so `@ : / ? # [ ] % & = +` and spaces are all escaped.
pub fn percent_encode_component(s: &str) -> String {
    encode(s, |b| {
        b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
    })
}

fn encode(s: &str, keep: impl Fn(u8) -> bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if keep(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
