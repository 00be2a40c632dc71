//! The audit's report as text (the CLI) and as markup (the page), each finding with the line it
//! points at, secrets masked.

use std::fmt::Write;

use super::{Kind, Pasted, Report};
use crate::calc::Severity;
use crate::render::escape::{html_attr, html_text};

const MASK: &str = "•••";

/// A line of a pasted text with its secrets masked: URL passwords, userlist secrets, `password=`
/// values of pgbouncer.ini, and the values of `*PASSWORD*` / `*SECRET*` variables.
pub fn masked_line(kind: Kind, line: &str) -> String {
    let line = mask_urls(line);
    match kind {
        Kind::Userlist => {
            // `"user" "secret"`: keep the first field.
            match line
                .trim_start()
                .strip_prefix('"')
                .and_then(|r| r.find("\" "))
            {
                Some(end) => {
                    let start = line.len() - line.trim_start().len();
                    format!("{} \"{MASK}\"", &line[..start + end + 2])
                }
                None => line,
            }
        }
        _ => {
            let upper = line.to_ascii_uppercase();
            let secret_key = ["PASSWORD", "SECRET", "TOKEN"]
                .iter()
                .any(|k| upper.contains(k));
            match (secret_key, line.find(['=', ':'])) {
                // A connection string: mask only the password's value.
                (true, _)
                    if upper.contains("PASSWORD=") && upper.find("PASSWORD=") > line.find('=') =>
                {
                    mask_pairs(&line)
                }
                (true, Some(at)) => format!("{}{MASK}", &line[..=at]),
                _ => line,
            }
        }
    }
}

/// `password=…` pairs in a connection string: the value up to a space, or a single-quoted
/// value (with `''` inside) to its closing quote.
fn mask_pairs(line: &str) -> String {
    let lower = line.to_ascii_lowercase();
    let mut out = String::with_capacity(line.len());
    let mut from = 0;
    while let Some(found) = lower[from..].find("password=") {
        let start = from + found + "password=".len();
        out.push_str(&line[from..start]);
        out.push_str(MASK);
        let rest = &line[start..];
        let len = if let Some(q) = rest.strip_prefix('\'') {
            let mut i = 0;
            let bytes = q.as_bytes();
            loop {
                match bytes.get(i) {
                    None => break q.len() + 1,
                    Some(b'\'') if bytes.get(i + 1) == Some(&b'\'') => i += 2,
                    Some(b'\'') => break i + 2,
                    Some(_) => i += 1,
                }
            }
        } else {
            rest.find([' ', '\t']).unwrap_or(rest.len())
        };
        from = start + len;
    }
    out.push_str(&line[from..]);
    out
}

/// `scheme://user:password@` in any URL on the line.
fn mask_urls(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("://") {
        out.push_str(&rest[..at + 3]);
        rest = &rest[at + 3..];
        let authority_end = rest.find(['/', '?', '"', '\'', ' ']).unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        match (authority.find('@'), authority.find(':')) {
            (Some(a), Some(c)) if c < a => {
                out.push_str(&authority[..=c]);
                out.push_str(MASK);
                out.push_str(&authority[a..]);
            }
            _ => out.push_str(authority),
        }
        rest = &rest[authority_end..];
    }
    out.push_str(rest);
    out
}

fn line_of(texts: &[Pasted], kind: Kind, text: usize, line: usize) -> Option<String> {
    let l = texts.get(text)?.text.lines().nth(line.checked_sub(1)?)?;
    let shown: String = l.chars().take(200).collect();
    Some(masked_line(kind, &shown))
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// The report as plain text: `name:line: severity code: message`, the line itself (masked), the
/// comparison, and the link that adopts what was read.
pub fn text(r: &Report, texts: &[Pasted]) -> String {
    let mut out = String::new();
    for (i, t) in r.texts.iter().enumerate() {
        let _ = writeln!(out, "text {}: {} ({})", i + 1, t.name, t.kind);
    }
    out.push('\n');
    for f in &r.findings {
        let place = match f.at {
            Some(at) => format!(
                "{}:{}: ",
                r.texts.get(at.text).map_or("?", |t| t.name.as_str()),
                at.line
            ),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "{place}{} {}: {}",
            severity(f.finding.severity),
            f.finding.code,
            f.finding.message
        );
        if let Some(at) = f.at {
            let kind = r.texts.get(at.text).map_or(Kind::Auto, |t| t.kind);
            if let Some(l) = line_of(texts, kind, at.text, at.line) {
                let _ = writeln!(out, "    | {}", l.trim_end());
            }
        }
        let _ = writeln!(out, "    source: {}", f.finding.source);
    }
    if r.findings.is_empty() {
        out.push_str("no findings\n");
    }
    if !r.rows.is_empty() {
        let w = r
            .rows
            .iter()
            .map(|x| x.setting.chars().count())
            .max()
            .unwrap_or(7)
            .max(7);
        let _ = writeln!(out, "\n{:w$}  {:>12}  {:>12}", "setting", "written", "plan");
        for row in &r.rows {
            let _ = writeln!(
                out,
                "{:w$}  {:>12}  {:>12}{}",
                row.setting,
                row.written,
                row.planned,
                if row.differs { "  ← differs" } else { "" }
            );
        }
    }
    let _ = writeln!(out, "\nadopt: ?{}", r.link);
    out
}

/// The report as markup for the page: the findings (each with its place and masked line) and the
/// comparison table. The adopting link is handed over separately.
pub fn html(r: &Report, texts: &[Pasted]) -> String {
    let mut out = String::from(r#"<h3 id="audit-findings-h">Findings</h3>"#);
    if r.findings.is_empty() {
        out.push_str(r#"<p class="hint">No findings: the texts agree with the plan's rules.</p>"#);
    } else {
        out.push_str(r#"<ol class="findings audit-findings" aria-labelledby="audit-findings-h">"#);
        for f in &r.findings {
            let sev = severity(f.finding.severity);
            let _ = write!(
                out,
                r#"<li class="finding {sev}" data-code={}><p><strong class="sev">{}</strong> <code class="code">{}</code>"#,
                html_attr(f.finding.code),
                match f.finding.severity {
                    Severity::Error => "Error",
                    Severity::Warning => "Warning",
                    Severity::Info => "Info",
                },
                html_text(f.finding.code)
            );
            if let Some(at) = f.at {
                let name = r.texts.get(at.text).map_or("?", |t| t.name.as_str());
                let _ = write!(
                    out,
                    r#" <span class="where">{}, line {}</span>"#,
                    html_text(name),
                    at.line
                );
            }
            out.push_str("</p>");
            if let Some(at) = f.at {
                let kind = r.texts.get(at.text).map_or(Kind::Auto, |t| t.kind);
                if let Some(l) = line_of(texts, kind, at.text, at.line) {
                    let _ = write!(
                        out,
                        r#"<pre class="line"><code>{}</code></pre>"#,
                        html_text(l.trim_end())
                    );
                }
            }
            let _ = write!(
                out,
                r#"<p class="message">{}</p><p class="links"><a href={} target="_blank" rel="noopener noreferrer">Source</a></p></li>"#,
                html_text(&f.finding.message),
                html_attr(f.finding.source)
            );
        }
        out.push_str("</ol>");
    }
    if !r.rows.is_empty() {
        out.push_str(r#"<h3 id="audit-rows-h">Written beside the plan</h3><table class="audit-rows" aria-labelledby="audit-rows-h"><thead><tr><th scope="col">Setting</th><th scope="col">Written</th><th scope="col">Plan</th><th scope="col">Where</th></tr></thead><tbody>"#);
        for row in &r.rows {
            let name = r.texts.get(row.at.text).map_or("?", |t| t.name.as_str());
            let _ = write!(
                out,
                r#"<tr{}><th scope="row"><code>{}</code></th><td>{}</td><td>{}</td><td>{}, line {}{}</td></tr>"#,
                if row.differs {
                    r#" class="differs""#
                } else {
                    ""
                },
                html_text(&row.setting),
                html_text(&row.written),
                html_text(&row.planned),
                html_text(name),
                row.at.line,
                if row.differs { " · differs" } else { "" }
            );
        }
        out.push_str("</tbody></table>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_every_kind_of_secret() {
        assert_eq!(
            masked_line(
                Kind::Env,
                r#"DATABASE_URL="postgresql://app:s3cr3t@db:5432/app""#
            ),
            r#"DATABASE_URL="postgresql://app:•••@db:5432/app""#
        );
        assert_eq!(
            masked_line(Kind::Env, "DB_PASSWORD='hunter2'"),
            "DB_PASSWORD=•••"
        );
        assert_eq!(
            masked_line(Kind::Userlist, r#""app" "hunter2""#),
            r#""app" "•••""#
        );
        assert_eq!(
            masked_line(
                Kind::PgbouncerIni,
                "app = host=db password=hunter2 dbname=app"
            ),
            "app = host=db password=••• dbname=app"
        );
        assert_eq!(
            masked_line(Kind::PgbouncerIni, "app = password='it''s a pw' host=db"),
            "app = password=••• host=db"
        );
        assert_eq!(
            masked_line(Kind::Ioredis, "  password: 'hunter2',"),
            "  password:•••"
        );
        assert_eq!(
            masked_line(Kind::PgbouncerIni, "pool_mode = session"),
            "pool_mode = session"
        );
    }
}
