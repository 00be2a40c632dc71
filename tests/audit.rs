//! The audit: poolcalc's own files audit clean and adopt back to the same inputs (10,000 generated
//! inputs), configs nobody here wrote are read the way their programs read them, the runbook's
//! snippets give the runbook's findings at their lines, and hostile pastes give a bounded result.

#[path = "common/gen.rs"]
mod gen;

use poolcalc::audit::{self, show, Kind, Pasted};
use poolcalc::calc::{self, Inputs, Severity};
use poolcalc::render::{Artifact, Context, Secrets};
use proptest::prelude::*;

fn pasted(name: &str, kind: Kind, text: &str) -> Pasted {
    Pasted {
        name: name.into(),
        kind,
        text: text.into(),
    }
}

/// The files poolcalc generates for these inputs that an audit reads: pgbouncer.ini and
/// userlist.txt behind PgBouncer, and every service's .env.
fn generated(inputs: &Inputs) -> Vec<Pasted> {
    let plan = calc::plan(inputs);
    let secrets = Secrets::default();
    let mut out = Vec::new();
    if plan.pgbouncer.is_some() {
        let cx = Context::new(inputs, &plan, &secrets);
        out.push(pasted(
            "pgbouncer.ini",
            Kind::Auto,
            &Artifact::PgbouncerIni.render(&cx),
        ));
        out.push(pasted(
            "userlist.txt",
            Kind::Auto,
            &Artifact::Userlist.render(&cx),
        ));
    }
    for svc in &inputs.services {
        let cx = Context::new(inputs, &plan, &secrets).for_service(Some(&svc.name));
        out.push(pasted(
            &format!("{}.env", svc.name),
            Kind::Auto,
            &Artifact::Env.render(&cx),
        ));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, ..ProptestConfig::default() })]

    /// Auditing poolcalc's own files adds no error the plan does not already have, and adopting
    /// what they say gives back exactly the inputs they were made from.
    #[test]
    fn generated_files_audit_clean_and_adopt_back(inputs in gen::inputs()) {
        // The link's canonical form of the inputs (what a page or a CLI run starts from).
        let canonical = calc::parse(&calc::write(&inputs)).inputs;
        let texts = generated(&canonical);
        let report = audit::audit(&canonical, &texts);
        let plan = calc::plan(&canonical);
        for f in report.findings.iter().filter(|f| f.finding.severity == Severity::Error) {
            // The same rule, perhaps with the texts' own facts in its message.
            prop_assert!(
                plan.findings.iter().any(|p| p.code == f.finding.code && p.severity == Severity::Error),
                "audit error not in the plan: {} {} at {:?}\n{}",
                f.finding.code, f.finding.message, f.at, calc::write(&canonical)
            );
        }
        for t in &report.texts {
            prop_assert!(t.kind != Kind::Auto, "{} not recognised", t.name);
        }
        prop_assert_eq!(&report.link, &calc::write(&canonical), "adopting changed the inputs");
    }
}

#[test]
fn a_changed_setting_is_found_and_adopted() {
    let inputs = calc::parse("pooler=pgbouncer&pgb_version=1.18&svc=api:3").inputs;
    let mut texts = generated(&inputs);
    let ini = &mut texts[0];
    ini.text = ini
        .text
        .replace("default_pool_size = ", "default_pool_size = 9");
    let report = audit::audit(&inputs, &texts);
    let row = report
        .rows
        .iter()
        .find(|r| r.setting == "pgbouncer.default_pool_size")
        .expect("the row");
    assert!(row.differs, "{row:?}");
    assert!(
        report.link.contains("set=pgbouncer.default_pool_size:9"),
        "{}",
        report.link
    );
}

/// The runbook's own snippets (shared/reference/pooling-guide.md, "PgBouncer (Recommended for
/// Production)" and its DATABASE_URL "via PgBouncer"), as a team would paste them.
const RUNBOOK_INI: &str = "[databases]
easymo = host=db.supabase.co port=5432 dbname=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = 6432
auth_type = md5
auth_file = /etc/pgbouncer/userlist.txt

# Pool settings
pool_mode = transaction
max_client_conn = 1000
default_pool_size = 25
reserve_pool_size = 5
reserve_pool_timeout = 3

# Logging
admin_users = postgres
stats_users = postgres
";
const RUNBOOK_ENV: &str =
    "# Via PgBouncer (production)\nDATABASE_URL=\"postgresql://user:pass@localhost:6432/easymo\"\n";

#[test]
fn the_runbook_snippets_give_the_runbook_findings_at_their_lines() {
    let base = calc::parse("pgb_version=1.18").inputs;
    let texts = [
        pasted("pgbouncer.ini", Kind::Auto, RUNBOOK_INI),
        pasted("wallet-service.env", Kind::Auto, RUNBOOK_ENV),
    ];
    let report = audit::audit(&base, &texts);
    let at = |code: &str| {
        report
            .findings
            .iter()
            .find(|f| f.finding.code == code)
            .unwrap_or_else(|| panic!("{code} missing: {:#?}", report.findings))
            .at
            .map(|a| (a.text, a.line))
    };
    assert_eq!(at("pgbouncer.auth_md5"), Some((0, 7)));
    assert_eq!(at("pgbouncer.admin_superuser"), Some((0, 18)));
    assert_eq!(at("pgbouncer.nofile"), Some((0, 12)));
    // The URL without pgbouncer=true is the pin prisma.pgbouncer:0, which the planner judges.
    assert_eq!(at("prisma.pgbouncer_flag_required"), Some((1, 2)));
    let flag = report
        .findings
        .iter()
        .find(|f| f.finding.code == "prisma.pgbouncer_flag_required")
        .expect("flag");
    assert_eq!(
        flag.finding.severity,
        Severity::Error,
        "PgBouncer 1.18 cannot do without pgbouncer=true"
    );
    assert!(report.has_error());
    // The password in the URL is masked wherever the report shows it, and never adopted.
    let text = show::text(&report, &texts);
    assert!(!text.contains("user:pass@"), "{text}");
    assert!(text.contains("user:•••@"), "{text}");
    assert!(!report.link.contains("pass"), "{}", report.link);
    assert!(
        report.link.contains("set=pgbouncer.default_pool_size:25"),
        "{}",
        report.link
    );
}

#[test]
fn what_pgbouncer_refuses_is_an_error_at_its_line() {
    let base = calc::parse("pgb_version=1.18").inputs;
    let cases: &[(&str, &str, usize)] = &[
        (
            "[pgbouncer]\npool_mode = transaction ; note\n",
            "pgbouncer.invalid_value",
            2,
        ),
        (
            "[pgbouncer]\nmax_client_conn = 100 # note\n",
            "pgbouncer.invalid_value",
            2,
        ),
        (
            "[pgbouncer]\nPOOL_MODE = session\n",
            "pgbouncer.unknown_key",
            2,
        ),
        (
            "[pgbouncer]\nmax_prepared_statements = 100\n",
            "pgbouncer.unknown_key",
            2,
        ),
        (
            "[pgbouncer]\nlisten_port = 6432\npool mode = x\n",
            "pgbouncer.ini_stops",
            3,
        ),
        (
            "[PgBouncer]\nlisten_port = 6432\n",
            "pgbouncer.ini_stops",
            1,
        ),
        (
            "[databases]\napp = host=db frobnicate=1\n[pgbouncer]\n",
            "pgbouncer.database_key",
            2,
        ),
    ];
    for (text, code, line) in cases {
        let report = audit::audit(&base, &[pasted("pgbouncer.ini", Kind::Auto, text)]);
        let f = report
            .findings
            .iter()
            .find(|f| f.finding.code == *code)
            .unwrap_or_else(|| panic!("{code} for {text:?}: {:#?}", report.findings));
        assert_eq!(f.finding.severity, Severity::Error, "{text:?}");
        assert_eq!(f.at.map(|a| a.line), Some(*line), "{text:?}");
    }
    // And what it accepts is not flagged: values in any case, hex, whole-line comments.
    let ok = "[pgbouncer]\n; c\n# c\npool_mode = Transaction\nmax_client_conn = 0x100\n";
    let report = audit::audit(&base, &[pasted("pgbouncer.ini", Kind::Auto, ok)]);
    assert!(!report.has_error(), "{:#?}", report.findings);
}

#[test]
fn userlist_and_env_mistakes_are_found() {
    let base = calc::parse("pooler=pgbouncer").inputs;
    let ini = "[pgbouncer]\nauth_type = scram-sha-256\n";
    let userlist = "\"app\" \"md5d41d8cd98f00b204e9800998ecf8427e\"\n# team\n\"ops\" \"SCRAM-SHA-256$4096:a$b:c\"\n";
    let env = "DATABASE_URL=postgresql://app:p#ss@localhost:5432/app\n";
    let report = audit::audit(
        &base,
        &[
            pasted("pgbouncer.ini", Kind::Auto, ini),
            pasted("userlist.txt", Kind::Auto, userlist),
            pasted("api.env", Kind::Auto, env),
        ],
    );
    let codes: Vec<(&str, Option<usize>)> = report
        .findings
        .iter()
        .map(|f| (f.finding.code, f.at.map(|a| a.line)))
        .collect();
    assert!(
        codes.contains(&("userlist.md5_with_scram", Some(1))),
        "{codes:?}"
    );
    assert!(codes.contains(&("userlist.stops", Some(2))), "{codes:?}");
    assert!(
        codes.contains(&("env.value_cut_at_hash", Some(1))),
        "{codes:?}"
    );
}

#[test]
fn psql_output_is_compared_with_the_plan() {
    let base = calc::parse("pooler=pgbouncer&svc=api:2").inputs;
    let plan = calc::plan(&base);
    let pool = plan.pgbouncer.as_ref().expect("pgbouncer");
    let cap = pool.default_pool_size + pool.reserve_pool_size;
    let pools = format!(
        " database | user | cl_active | cl_waiting | sv_active | sv_idle | sv_used | sv_tested | sv_login | maxwait | pool_mode\n----------+------+-----------+------------+-----------+---------+---------+-----------+----------+---------+-------------\n app      | app  |        10 |          3 | {}        |       0 |       0 |         0 |        0 |      30 | transaction\n(1 row)\n",
        cap + 1
    );
    let conns = format!(
        " application_name | connections\n------------------+-------------\n api              | {}\n                  |           2\n(2 rows)\n",
        plan.services[0].total + 1
    );
    let report = audit::audit(
        &base,
        &[
            pasted("pools", Kind::Auto, &pools),
            pasted("connections", Kind::Auto, &conns),
            pasted(
                "max",
                Kind::Auto,
                " max_connections \n-----------------\n 200\n(1 row)\n",
            ),
        ],
    );
    let codes: Vec<&str> = report.findings.iter().map(|f| f.finding.code).collect();
    for code in [
        "pgbouncer.clients_waiting",
        "pgbouncer.pool_over_plan",
        "postgres.service_over_plan",
        "postgres.unnamed_connections",
    ] {
        assert!(codes.contains(&code), "{code}: {codes:?}");
    }
    assert!(report.link.contains("db_max_conn=200"), "{}", report.link);
}

#[test]
fn configs_nobody_here_wrote_read_as_pgbouncer_reads_them() {
    // PgBouncer's own sample (etc/pgbouncer.ini in its source, shipped in Debian's package) and
    // the file Debian installs: PgBouncer 1.18 starts on both, so the audit finds nothing it
    // would refuse.
    let base = calc::parse("pgb_version=1.18").inputs;
    for path in [
        "/usr/share/doc/pgbouncer/examples/pgbouncer.ini",
        "/etc/pgbouncer/pgbouncer.ini",
    ] {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
            panic!("{path}: {e} (make setup-test installs Debian's pgbouncer)")
        });
        let report = audit::audit(&base, &[pasted(path, Kind::Auto, &text)]);
        assert_eq!(report.texts[0].kind, Kind::PgbouncerIni, "{path}");
        let refused: Vec<_> = report
            .findings
            .iter()
            .filter(|f| {
                f.finding.code.starts_with("pgbouncer.") && f.finding.severity == Severity::Error
            })
            .collect();
        assert!(refused.is_empty(), "{path}: {refused:#?}");
        assert!(
            report
                .rows
                .iter()
                .any(|r| r.setting == "pgb_port" && r.written == "6432"),
            "{path}: listen_port read: {:#?}",
            report.rows
        );
    }
}

#[test]
fn hostile_pastes_give_a_bounded_result() {
    let base = Inputs::default();
    // Markup and link syntax in values: escaped in the page's markup, refused for the link.
    let ini = "[databases]\napp = host=<script>alert(1)</script> dbname=x\n[pgbouncer]\nauth_file = /x&set=a:1\nlisten_port = 6432\"><img src=x onerror=alert(1)>\n";
    let texts = [pasted("<b>pgbouncer.ini</b>", Kind::Auto, ini)];
    let report = audit::audit(&base, &texts);
    let html = show::html(&report, &texts);
    assert!(
        !html.contains("<script") && !html.contains("<img") && !html.contains("<b>"),
        "{html}"
    );
    assert!(
        !report.link.contains("script") && !report.link.contains("set=a"),
        "{}",
        report.link
    );
    // Ten megabytes: refused with a clear error, at once.
    let huge = "a".repeat(10 << 20);
    let report = audit::audit(&base, &[pasted("big", Kind::Auto, &huge)]);
    assert!(report
        .findings
        .iter()
        .any(|f| f.finding.code == "audit.too_large"));
    // Binary junk, deep nesting and odd bytes: any kind, no panic.
    let mut junk = String::new();
    let mut x: u32 = 12345;
    for _ in 0..20_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        junk.push(char::from_u32(x >> 16 & 0x2fff).unwrap_or('\u{fffd}'));
    }
    junk.push_str(&"{a:[".repeat(500));
    for kind in Kind::ALL {
        let report = audit::audit(&base, &[pasted("junk", *kind, &junk)]);
        let _ = show::html(&report, &[pasted("junk", *kind, &junk)]);
    }
}

#[test]
fn users_lines_are_judged_by_version_and_a_role_per_service_is_adopted() {
    let codes = |query: &str, ini: &str| -> Vec<String> {
        let base = calc::parse(query).inputs;
        let report = audit::audit(&base, &[pasted("pgbouncer.ini", Kind::Auto, ini)]);
        report
            .findings
            .iter()
            .map(|f| f.finding.code.to_string())
            .collect()
    };
    let ini = |users: &str| {
        format!("[databases]\napp = host=db port=5432 dbname=app\n\n[users]\n{users}\n[pgbouncer]\npool_mode = transaction\n")
    };
    // pool_size per user came with 1.23: PgBouncer 1.18 refuses it, 1.23 reads it.
    let old = codes(
        "pooler=pgbouncer&pgb_version=1.18",
        &ini("app_api = pool_size=3\n"),
    );
    assert!(old.contains(&"pgbouncer.user_key".to_string()), "{old:?}");
    let new = codes(
        "pooler=pgbouncer&pgb_version=1.23",
        &ini("app_api = pool_size=3\n"),
    );
    assert!(!new.contains(&"pgbouncer.user_key".to_string()), "{new:?}");
    // One capped user and one without a cap: the capped one can be starved.
    let some = codes(
        "pooler=pgbouncer&pgb_version=1.18&svc=api:2&svc=worker:2",
        &ini("app_api = max_user_connections=3\napp_worker = pool_mode=transaction\n"),
    );
    assert!(
        some.contains(&"pgbouncer.user_uncapped".to_string()),
        "{some:?}"
    );
    // Caps above what the instance opens.
    let over = codes(
        "pooler=pgbouncer&pgb_version=1.18&svc=api:2&svc=worker:2",
        &ini("app_api = max_user_connections=30\napp_worker = max_user_connections=30\n"),
    );
    assert!(
        over.contains(&"pgbouncer.user_caps_over_pool".to_string()),
        "{over:?}"
    );
    // The generated file alone says the services log in as their own roles.
    let query = "pooler=pgbouncer&pgb_version=1.18&db_roles=per-service&svc=api:2&svc=worker:2";
    let inputs = calc::parse(query).inputs;
    let plan = calc::plan(&inputs);
    let secrets = Secrets::default();
    let text = Artifact::PgbouncerIni.render(&Context::new(&inputs, &plan, &secrets));
    let shared = calc::parse("pooler=pgbouncer&pgb_version=1.18&svc=api:2&svc=worker:2").inputs;
    let report = audit::audit(&shared, &[pasted("pgbouncer.ini", Kind::Auto, &text)]);
    assert!(
        report.link.contains("db_roles=per-service"),
        "{}",
        report.link
    );
    assert!(report
        .findings
        .iter()
        .all(|f| f.finding.severity != Severity::Error && f.finding.severity != Severity::Warning));
}
