//! A `.env` file as dotenv 16 reads it (motdotla/dotenv lib/main.js, "What rules does the parsing
//! engine follow?"), with dotenv-expand's `${VAR}`, `${VAR:-default}` and `$VAR` references.
//!
//! - `KEY=value`, `export KEY=value` and `KEY: value`; keys are letters, digits, `_`, `.`, `-`;
//! - a value in single, double or back quotes is kept as written (it may span lines); inside double
//!   quotes `\n` and `\r` become a newline and a carriage return;
//! - an unquoted value ends at the first `#` (the rest is a comment) and is trimmed;
//! - the last assignment of a key wins.

/// One assignment, with the line it starts on (1-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Var {
    pub key: String,
    pub value: String,
    pub line: usize,
    /// The value was unquoted and a `#` cut it short (dotenv drops the rest as a comment).
    pub cut_at_hash: bool,
    /// The value was in single quotes (dotenv-expand still expands `$` references in it).
    pub quoted: bool,
}

/// Parses a `.env` text. Lines that are not assignments are skipped, as dotenv skips them.
pub fn parse(text: &str) -> Vec<Var> {
    let mut vars: Vec<Var> = Vec::new();
    let lines: Vec<&str> = text.split('\n').collect();
    let mut i = 0;
    while i < lines.len() {
        let line_no = i + 1;
        let raw = lines[i].trim_start();
        i += 1;
        let rest = raw.strip_prefix("export ").map_or(raw, str::trim_start);
        let key_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
            .count();
        if key_len == 0 {
            continue;
        }
        let key = &rest[..key_len];
        let after = rest[key_len..].trim_start_matches([' ', '\t']);
        let value_text = if let Some(v) = after.strip_prefix('=') {
            v
        } else if let Some(v) = after.strip_prefix(": ") {
            v
        } else {
            continue;
        };
        let start = value_text.trim_start_matches([' ', '\t']);
        let quote = start
            .chars()
            .next()
            .filter(|c| matches!(c, '\'' | '"' | '`'));
        let (value, cut, quoted) = match quote {
            Some(q) => {
                // The closing quote may be on a later line.
                let mut body = start[1..].to_string();
                let mut found = body.find(q);
                while found.is_none() && i < lines.len() {
                    body.push('\n');
                    body.push_str(lines[i]);
                    i += 1;
                    found = body.find(q);
                }
                match found {
                    Some(end) => {
                        let inner = &body[..end];
                        let v = if q == '"' {
                            inner.replace("\\n", "\n").replace("\\r", "\r")
                        } else {
                            inner.to_string()
                        };
                        (v, false, q == '\'')
                    }
                    // No closing quote: dotenv reads the line as an unquoted value.
                    None => {
                        let first = start.split('\n').next().unwrap_or_default();
                        let (v, cut) = unquoted(first);
                        (v, cut, false)
                    }
                }
            }
            None => {
                let (v, cut) = unquoted(start);
                (v, cut, false)
            }
        };
        vars.retain(|v| v.key != key);
        vars.push(Var {
            key: key.to_string(),
            value,
            line: line_no,
            cut_at_hash: cut,
            quoted,
        });
    }
    vars
}

fn unquoted(text: &str) -> (String, bool) {
    let text = text.trim_end_matches('\r');
    match text.find('#') {
        // A `#` right after the value (no space before it) is where a value was cut, not a comment.
        Some(at) => {
            let glued = at > 0 && !text[..at].ends_with([' ', '\t']);
            (text[..at].trim().to_string(), glued)
        }
        None => (text.trim().to_string(), false),
    }
}

/// The value of `key` with dotenv-expand's references filled from the file's own variables.
/// A reference to a variable the file does not set stays as written (`${NAME}`): it comes from
/// the environment at run time. `\$` is a literal `$`.
pub fn expanded(vars: &[Var], key: &str) -> Option<String> {
    let var = vars.iter().find(|v| v.key == key)?;
    Some(expand(vars, &var.value, 0))
}

fn expand(vars: &[Var], value: &str, depth: u32) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('$') {
        if at > 0 && rest.as_bytes()[at - 1] == b'\\' {
            out.push_str(&rest[..at - 1]);
            out.push('$');
            rest = &rest[at + 1..];
            continue;
        }
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, default, used) = if let Some(inner) = after.strip_prefix('{') {
            match inner.find('}') {
                Some(end) => {
                    let body = &inner[..end];
                    let (n, d) = match body.split_once(":-") {
                        Some((n, d)) => (n, Some(d)),
                        None => (body, None),
                    };
                    (n, d, end + 2)
                }
                None => ("", None, 0),
            }
        } else {
            let n = after
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                .count();
            (&after[..n], None, n)
        };
        if name.is_empty() {
            out.push('$');
            rest = after;
            continue;
        }
        let found = vars.iter().find(|v| v.key == name);
        match (found, default) {
            (Some(v), _) if depth < 8 => out.push_str(&expand(vars, &v.value, depth + 1)),
            (None, Some(d)) => out.push_str(d),
            _ => {
                out.push_str("${");
                out.push_str(name);
                out.push('}');
            }
        }
        rest = &after[used..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_values_the_way_dotenv_does() {
        let text = "# comment\nexport A=1\nB = \"two\\nlines\" # c\nC='lit $A'\nD=x#y\nE=\"multi\nline\"\nF: yaml\nA=3\n";
        let vars = parse(text);
        let get = |k: &str| vars.iter().find(|v| v.key == k).map(|v| v.value.as_str());
        assert_eq!(get("A"), Some("3"));
        assert_eq!(get("B"), Some("two\nlines"));
        assert_eq!(get("C"), Some("lit $A"));
        assert_eq!(get("D"), Some("x"));
        assert!(vars
            .iter()
            .find(|v| v.key == "D")
            .is_some_and(|v| v.cut_at_hash));
        assert_eq!(get("E"), Some("multi\nline"));
        assert_eq!(get("F"), Some("yaml"));
        assert_eq!(vars.iter().find(|v| v.key == "A").map(|v| v.line), Some(9));
    }

    #[test]
    fn expands_references_from_the_file_and_keeps_the_others() {
        let vars =
            parse("P=s3cr\nU=postgresql://app:${P}@h/db?x=$P&y=${MISSING}&z=${Q:-dflt}&w=\\$P\n");
        assert_eq!(
            expanded(&vars, "U").as_deref(),
            Some("postgresql://app:s3cr@h/db?x=s3cr&y=${MISSING}&z=dflt&w=$P")
        );
    }
}
