//! Escaping per output format. Every piece of user text goes through one of these.

/// A JavaScript/TypeScript string literal (JSON string syntax, also escaping `<`, `>` and the
/// line separators U+2028/U+2029 so the text stays inert wherever it is pasted).
pub fn js_string(s: &str) -> String {
    quoted(s, true)
}

/// A YAML double-quoted scalar: JSON's escapes, which YAML 1.2 reads the same way.
pub fn yaml_string(s: &str) -> String {
    quoted(s, false)
}

fn quoted(s: &str, escape_markup: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' if escape_markup => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A field of userlist.txt: double quotes, with `"` doubled (PgBouncer loader.c `copy_quoted`).
/// Callers have already refused control characters.
pub fn userlist_field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// A value inside a `[databases]` line: bare when it is plain, else single-quoted with `'`
/// doubled (PgBouncer loader.c `cstr_get_pair`).
pub fn pgbouncer_value(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'/'))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

/// An SQL string literal: single quotes, with `'` doubled (standard_conforming_strings, the
/// default since PostgreSQL 9.1, keeps backslashes literal).
pub fn sql_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// An SQL identifier: double quotes, with `"` doubled, so that case and `.`/`-` are kept.
pub fn sql_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Markdown table cell text: pipes and backslashes escaped, newlines folded.
pub fn md_cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// HTML text content, with `& < >` as entities.
pub fn html_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An HTML attribute value, double-quoted, with `& < > "` as entities.
pub fn html_attr(s: &str) -> String {
    format!("\"{}\"", html_text(s).replace('"', "&quot;"))
}
