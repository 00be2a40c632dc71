//! Character rules for user text that reaches an output file, and percent-encoding for links.
//! Every rule names the format that forces it (shared/reference/domain-facts.md §7).

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

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
/// passed through: the share-link contract refuses them, while `percent-encoding` (like browsers)
/// would keep a stray `%` as it is, so each `%` is checked here before the crate decodes.
pub fn percent_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let malformed = bytes.iter().enumerate().any(|(at, b)| {
        *b == b'%'
            && !bytes
                .get(at + 1..at + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    });
    if malformed {
        return Err("a malformed %-escape".into());
    }
    // `+` is a space only where it is written as `+`; an encoded `%2B` stays a plus.
    let spaced = s.replace('+', " ");
    percent_decode_str(&spaced)
        .decode_utf8()
        .map(|text| text.into_owned())
        .map_err(|_| "text that is not UTF-8".into())
}

/// RFC 3986 unreserved characters: everything else is escaped in a URL component.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A share-link value also keeps the `:` and `,` of the link's own syntax (both are allowed
/// unencoded in a query).
const QUERY_VALUE: &AsciiSet = &COMPONENT.remove(b':').remove(b',');

/// Percent-encodes a query component, keeping RFC 3986 unreserved characters and the `:` and `,`
/// that the link's own syntax uses.
pub fn percent_encode_query(s: &str) -> String {
    utf8_percent_encode(s, QUERY_VALUE).to_string()
}

/// Percent-encodes one part of a URL's authority or path (user, password, database): only RFC 3986
/// unreserved characters stay as they are, so `@ : / ? # [ ] % & = +` and spaces are all escaped.
pub fn percent_encode_component(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_is_strict_and_plus_is_a_space() {
        assert_eq!(percent_decode("a+b%2Bc%C3%A9").as_deref(), Ok("a b+cé"));
        for bad in ["%", "%4", "%zz", "a%g1", "%%41"] {
            assert!(percent_decode(bad).is_err(), "{bad} must be refused");
        }
        assert_eq!(percent_decode("%FF"), Err("text that is not UTF-8".into()));
    }

    #[test]
    fn encoding_keeps_only_what_each_place_allows() {
        let s = "a-b.c_d~e:f,g h@i/j?k#l%m+n=o&pé";
        assert_eq!(
            percent_encode_component(s),
            "a-b.c_d~e%3Af%2Cg%20h%40i%2Fj%3Fk%23l%25m%2Bn%3Do%26p%C3%A9"
        );
        assert_eq!(
            percent_encode_query(s),
            "a-b.c_d~e:f,g%20h%40i%2Fj%3Fk%23l%25m%2Bn%3Do%26p%C3%A9"
        );
        assert_eq!(percent_decode(&percent_encode_query(s)).as_deref(), Ok(s));
    }
}
