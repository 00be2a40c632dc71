//! Injection corpus: hostile text in every text parameter and secret is either rejected with a
//! message naming the field, or escaped so that it stays inert in every artifact.

use poolcalc::calc::{self, text::percent_encode_query};
use poolcalc::render::{Artifact, Context, Secrets};

const CORPUS: &[&str] = &[
    "app\nauth_type = trust",
    "app\r\n[pgbouncer]",
    "%include /etc/passwd",
    "x'y",
    "x\"y",
    "#comment",
    ";comment",
    "ünïcödé",
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "a b",
    "$(touch /tmp/pwned)",
    "${HOME}",
    "x\u{0}y",
    "x\u{2028}y",
];

/// Every text parameter whose value reaches an output file, and how to place a value in it.
const TEXT_PARAMS: &[(&str, &str)] = &[
    ("db_host", "{}"),
    ("db_name", "{}"),
    ("db_user", "{}"),
    ("db_schema", "{}"),
    ("db_ca_file", "/etc/{}"),
    ("supabase_ref", "{}"),
    ("service", "{}"),
    ("pgb_host", "{}"),
    ("pgb_auth_file", "{}"),
    ("redis_host", "{}"),
    ("redis_nodes", "{}:7000"),
    ("kafka_brokers", "{}:9092"),
    ("svc", "{}:2"),
    ("set", "{}.connection_limit:3"),
    ("rds_class", "{}"),
];

#[test]
fn hostile_text_parameters_are_rejected_by_name() {
    let long = "a".repeat(300);
    let mut corpus: Vec<&str> = CORPUS.to_vec();
    corpus.push(&long);
    for (param, shape) in TEXT_PARAMS {
        for bad in &corpus {
            let value = shape.replace("{}", bad);
            let query = format!("{param}={}", percent_encode_query(&value));
            let parsed = calc::parse(&query);
            assert_eq!(
                parsed.errors.len(),
                1,
                "{param}={value:?} must be rejected: {:?}",
                parsed.errors
            );
            assert_eq!(parsed.errors[0].param, *param);
            assert!(!parsed.errors[0].message.is_empty());
            assert_eq!(parsed.inputs.pins, vec![], "nothing of it is kept");
        }
    }
}

#[test]
fn secrets_with_control_characters_are_rejected_by_name() {
    for bad in [
        "pw\nauth_type = trust",
        "pw\r",
        "pw\u{0}",
        "pw\t",
        "pw\u{2028}",
    ] {
        let err = Secrets::new(Some(bad.into()), Some(bad.into()), Some(bad.into())).unwrap_err();
        let fields: Vec<&str> = err.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["db_password", "redis_password", "kafka_password"]);
        assert!(err[0].1.contains("control character"), "{}", err[0].1);
    }
    assert!(
        Secrets::new(Some("x".repeat(2048)), None, None).is_err(),
        "longer than PgBouncer's limit"
    );
}

/// Reads back a userlist.txt line the way PgBouncer does: two `"…"` fields with `""` for `"`.
fn userlist_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut field = String::new();
        loop {
            match chars.next() {
                Some('"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                Some('"') | None => break,
                Some(c) => field.push(c),
            }
        }
        fields.push(field);
    }
    fields
}

fn percent_decode(s: &str) -> String {
    calc::text::percent_decode(&s.replace('+', "%2B")).unwrap()
}

/// Every artifact of these inputs, rendered with these secrets.
fn render_all(query: &str, secrets: &Secrets) -> Vec<(&'static str, String)> {
    let parsed = calc::parse(query);
    let plan = calc::plan(&parsed.inputs);
    let cx = Context::new(&parsed.inputs, &plan, secrets);
    Artifact::ALL
        .iter()
        .map(|a| (a.as_str(), a.render(&cx)))
        .collect()
}

fn artifact<'a>(all: &'a [(&str, String)], name: &str) -> &'a str {
    &all.iter().find(|(n, _)| *n == name).unwrap().1
}

#[test]
fn hostile_secrets_stay_inert_in_every_artifact() {
    let query = "pooler=pgbouncer&redis_use=cache,queue&kafka_sasl=plain&prisma=7";
    let mut tried = 0;
    for pw in CORPUS
        .iter()
        .filter(|s| Secrets::new(Some(s.to_string()), None, None).is_ok())
    {
        tried += 1;
        let secrets = Secrets::new(
            Some(pw.to_string()),
            Some(pw.to_string()),
            Some(pw.to_string()),
        )
        .unwrap();
        let all = render_all(query, &secrets);
        for (name, text) in &all {
            assert!(
                !text
                    .lines()
                    .any(|l| l.trim_start().starts_with("auth_type = trust")),
                "{name}"
            );
            assert!(
                !text.lines().any(|l| l.starts_with("%include")),
                "{name}: {pw:?}"
            );
            // .env and userlist.txt hold the typed secret verbatim by design (checked below); code
            // and YAML must carry it escaped.
            if !matches!(*name, "env" | "userlist.txt") {
                assert!(
                    !text.contains("<script>") && !text.contains("<img"),
                    "{name} carries raw markup for {pw:?}"
                );
            }
            assert!(!text.contains('\u{2028}'), "{name}");
        }
        // userlist.txt reads back to exactly the password.
        let line = artifact(&all, "userlist.txt")
            .lines()
            .find(|l| l.starts_with('"'))
            .unwrap();
        assert_eq!(userlist_fields(line), ["app".to_string(), pw.to_string()]);
        // .env (read by plain dotenv under Prisma 7): a single-quoted literal that reads back
        // exactly, or a note to use the secret store.
        for name in ["REDIS_PASSWORD", "DB_PASSWORD"] {
            let line = artifact(&all, "env")
                .lines()
                .find(|l| {
                    l.starts_with(&format!("{name}=")) || l.starts_with(&format!("# {name}:"))
                })
                .unwrap();
            match line.strip_prefix(&format!("{name}='")) {
                Some(rest) => assert_eq!(rest.strip_suffix('\'').unwrap(), *pw),
                None => assert!(
                    line.starts_with(&format!("# {name}")) && pw.contains('\''),
                    "{line}"
                ),
            }
        }
        // Prisma 6's URL carries the password: it decodes to exactly the password.
        let v6 = render_all(&query.replace("&prisma=7", ""), &secrets);
        let url = artifact(&v6, "database-url");
        let userinfo = url
            .trim()
            .strip_prefix("postgresql://")
            .unwrap()
            .split('@')
            .next()
            .unwrap();
        let (_, encoded) = userinfo.split_once(':').unwrap();
        assert!(
            encoded
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)),
            "{encoded}"
        );
        assert_eq!(percent_decode(encoded), *pw);
    }
    assert!(tried >= 10, "most of the corpus is a valid secret");
}

#[test]
fn every_artifact_is_free_of_control_characters() {
    for query in [
        "",
        "preset=runbook",
        "pooler=pgbouncer&prisma=7&redis=cluster&redis_nodes=a:1&kafka=confluent&kafka_sasl=plain",
    ] {
        for (name, text) in render_all(query, &Secrets::default()) {
            assert!(
                text.chars().all(|c| c == '\n' || !c.is_control()),
                "{query}: {name}"
            );
            assert!(text.ends_with('\n'), "{query}: {name} ends with a newline");
        }
    }
}

/// Markup left after removing the tags the page's blocks are made of: any `<` here would be text
/// of the input that became markup.
fn stray_markup(html: &str) -> Option<String> {
    let tag = |t: &str| t.starts_with('<') && t.ends_with('>');
    let mut rest = html.to_string();
    for t in [
        "<li>",
        "</li>",
        "<code>",
        "</code>",
        "<p>",
        "</p>",
        "</ul>",
        "<ol class=\"why-steps\">",
        "</ol>",
        "<ul class=\"why-inputs\">",
        "</a>",
        "</button>",
        "<span>",
        "</span>",
        "<strong class=\"sev\">",
        "</strong>",
        "<code class=\"code\">",
        "<p class=\"message\">",
        "<p class=\"links\">",
    ] {
        assert!(tag(t));
        rest = rest.replace(t, "");
    }
    // Tags with attributes: the link, the finding's item and the buttons; their values are escaped,
    // so no `>` or `"` of the input can end them early.
    for open in ["<a href=", "<li class=", "<button type="] {
        while let Some(at) = rest.find(open) {
            let end = rest[at..]
                .find('>')
                .map(|e| at + e + 1)
                .unwrap_or(rest.len());
            rest.replace_range(at..end, "");
        }
    }
    rest.contains('<').then_some(rest)
}

#[test]
fn hostile_text_stays_text_in_the_page_blocks() {
    use poolcalc::calc::{Derivation, Finding};
    use poolcalc::page::html;
    for bad in CORPUS {
        // A link whose parameters are refused: the notice shows the name and the value as given.
        let query = format!(
            "{}=1&db_host={}",
            percent_encode_query(bad),
            percent_encode_query(bad)
        );
        let parsed = calc::parse(&query);
        assert!(!parsed.errors.is_empty());
        let notice = html::link_errors(&parsed.errors);
        assert_eq!(stray_markup(&notice), None, "{bad:?} in {notice}");

        let finding = Finding::error(
            "x.y",
            format!("message {bad}"),
            "https://example.com/?a=1&b=2",
        )
        .pin(format!("{bad}.connection_limit:3"));
        let list = html::findings(&[finding], true);
        assert_eq!(stray_markup(&list), None, "{bad:?} in {list}");

        let d = Derivation::new(format!("f({bad})"), "https://example.com/")
            .input(bad, bad)
            .step(*bad);
        let why = html::derivation(&d);
        assert_eq!(stray_markup(&why), None, "{bad:?} in {why}");
    }
}
