//! The command-line tool: JSON plan, artifacts byte for byte, exit codes, secrets from the environment.

use std::process::Command;

use poolcalc::calc;
use poolcalc::render::{Artifact, Context, Secrets};

fn run(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_poolcalc"));
    cmd.args(args).env_remove("POOLCALC_DB_PASSWORD");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run poolcalc");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn json_plan_fits_or_exits_3_with_what_would_fit() {
    let (code, out, _) = run(
        &[
            "--json",
            "env=prod-high&svc=wallet-service:6&svc=agent-core:4&db_max_conn=100",
        ],
        &[],
    );
    let plan: serde_json::Value = serde_json::from_str(&out).unwrap();
    let (total, usable) = (
        plan["budget"]["fleet_total"].as_u64().unwrap(),
        plan["budget"]["usable"].as_u64().unwrap(),
    );
    assert!(total <= usable, "{total} > {usable}");
    assert_eq!(code, 0);
    for key in [
        "name",
        "replicas",
        "connection_limit",
        "pool_timeout",
        "connect_timeout",
    ] {
        assert!(plan["services"][0].get(key).is_some(), "services[].{key}");
    }
    assert!(plan["budget"]["target_active"].is_u64());

    let (code, out, _) = run(&["--json", "svc=a:200&surge=none"], &[]);
    assert_eq!(code, 3);
    let plan: serde_json::Value = serde_json::from_str(&out).unwrap();
    let over = plan["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "budget.over")
        .unwrap();
    assert_eq!(over["severity"], "error");
    assert!(over["message"].as_str().unwrap().contains("at least 208"));
    assert!(over["source"].as_str().unwrap().starts_with("https://"));
}

#[test]
fn runbook_preset_lists_its_mistakes() {
    let (code, out, _) = run(&["--json", "preset=runbook"], &[]);
    assert_eq!(code, 3);
    let plan: serde_json::Value = serde_json::from_str(&out).unwrap();
    let codes: Vec<&str> = plan["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    for c in [
        "pgbouncer.nofile",
        "runbook.core_table",
        "kafka.compression_on_producer",
        "kafka.eos_in_flight",
        "kafka.eos_retries",
    ] {
        assert!(codes.contains(&c), "{c} in {codes:?}");
    }
}

#[test]
fn pgbouncer_section_in_json() {
    let (_, out, _) = run(&["--json", "?pooler=pgbouncer"], &[]);
    let plan: serde_json::Value = serde_json::from_str(&out).unwrap();
    for key in [
        "default_pool_size",
        "reserve_pool_size",
        "max_client_conn",
        "max_db_connections",
    ] {
        assert!(plan["pgbouncer"][key].is_u64(), "pgbouncer.{key}");
    }
}

#[test]
fn invalid_input_exits_2_naming_each_parameter() {
    let (code, out, err) = run(&["--json", "env=nope&db_cores=0"], &[]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("env=nope") && err.contains("`dev`"), "{err}");
    assert!(
        err.contains("db_cores=0") && err.contains("from 1 to 512"),
        "{err}"
    );
    let (code, _, err) = run(&["--artifact", "nginx.conf", ""], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown artifact"));
}

#[test]
fn artifacts_are_byte_for_byte_the_renderer_output_with_secrets_from_the_environment() {
    let query = "pooler=pgbouncer&pgb_version=1.18";
    let password = "s3cr\"t p@ss";
    for artifact in Artifact::ALL {
        let (code, out, _) = run(
            &["--artifact", artifact.as_str(), query],
            &[("POOLCALC_DB_PASSWORD", password)],
        );
        assert_eq!(code, 0, "{artifact}");
        let parsed = calc::parse(query);
        let plan = calc::plan(&parsed.inputs);
        let secrets = Secrets::new(Some(password.into()), None, None).unwrap();
        let want = artifact.render(&Context::new(&parsed.inputs, &plan, &secrets));
        assert_eq!(out, want, "{artifact}");
    }
    let (_, userlist, _) = run(
        &["--artifact", "userlist.txt", query],
        &[("POOLCALC_DB_PASSWORD", password)],
    );
    assert!(
        userlist.contains("\"app\" \"s3cr\"\"t p@ss\""),
        "{userlist}"
    );
    let (code, _, err) = run(
        &["--artifact", "env", query],
        &[("POOLCALC_DB_PASSWORD", "a\nb")],
    );
    assert_eq!(code, 2);
    assert!(err.contains("db_password"), "{err}");
}

#[test]
fn a_whole_share_link_is_accepted() {
    let (code, out, err) = run(
        &[
            "--json",
            "https://docs.example.test/poolcalc/?v=1&env=dev#x",
        ],
        &[],
    );
    assert_eq!(code, 0);
    assert!(out.contains("\"query\": \"v=1&rules=2&env=dev\""), "{out}");
    // Written before rules= existed, so made under rules v1: stderr says what changed since.
    assert!(
        err.contains("made under poolcalc's rules v1") && err.contains("v2: "),
        "{err}"
    );
    let (_, _, err) = run(&["--json", "?v=1&rules=2&env=dev"], &[]);
    assert_eq!(err, "", "a link made under today's rules gets no notice");
    let (code, _, err) = run(&["--json", "?v=1&rules=9&env=dev"], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("made by a newer poolcalc (rules v9)"), "{err}");
}

#[test]
fn per_service_files_follow_service_or_the_links_own_choice() {
    let q = "svc=api:2&svc=worker:1";
    let (code, first, _) = run(&["--artifact", "env", q], &[]);
    assert_eq!(code, 0);
    assert!(
        first.contains("application_name=api"),
        "the first service by default"
    );
    let (_, worker, _) = run(&["--artifact", "env", "--service", "worker", q], &[]);
    assert!(worker.contains("application_name=worker"), "{worker}");
    // The page's picker writes `service=` into the link; the CLI honours it.
    let (_, linked, _) = run(&["--artifact", "env", &format!("{q}&service=worker")], &[]);
    assert_eq!(linked, worker);
    let (code, _, err) = run(&["--artifact", "env", "--service", "nope", q], &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown service `nope`: one of api, worker"),
        "{err}"
    );
}

#[test]
fn audit_exits_0_3_or_2_and_reads_standard_input() {
    let dir = std::env::temp_dir().join(format!("poolcalc-cli-audit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let query = "pooler=pgbouncer&pgb_version=1.18&svc=api:2";
    let inputs = calc::parse(query).inputs;
    let plan = calc::plan(&inputs);
    let secrets = Secrets::default();
    let ini = Artifact::PgbouncerIni.render(&Context::new(&inputs, &plan, &secrets));
    let clean = dir.join("pgbouncer.ini");
    std::fs::write(&clean, &ini).unwrap();
    let (code, out, _) = run(&["audit", "--query", query, clean.to_str().unwrap()], &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("adopt: ?"), "{out}");

    // One line PgBouncer refuses: exit 3, the finding at its line.
    let broken = dir.join("broken.ini");
    std::fs::write(
        &broken,
        ini.replace("pool_mode = transaction", "pool_mode = transaction ; c"),
    )
    .unwrap();
    let (code, out, _) = run(
        &[
            "audit",
            "--query",
            query,
            "--as",
            "pgbouncer.ini",
            broken.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, 3, "{out}");
    assert!(
        out.contains("broken.ini:") && out.contains("pgbouncer.invalid_value"),
        "{out}"
    );

    // Bytes that are not text, and a file that is not there: exit 2, named.
    let binary = dir.join("binary.bin");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x9f]).unwrap();
    let (code, _, err) = run(&["audit", binary.to_str().unwrap()], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("binary.bin is not UTF-8"), "{err}");
    let (code, _, err) = run(&["audit", dir.join("missing.ini").to_str().unwrap()], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"), "{err}");
    let (code, _, err) = run(&["audit", "--as", "yaml", clean.to_str().unwrap()], &[]);
    assert_eq!(code, 2, "{err}");

    // Standard input, with --json.
    let mut child = Command::new(env!("CARGO_BIN_EXE_poolcalc"))
        .args(["audit", "--json", "--as", "env", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"DATABASE_URL=postgresql://app:pw@db/app?x=%zz\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["texts"][0]["kind"], "env");
    assert_eq!(report["findings"][0]["code"], "url.unreadable");
    assert_eq!(report["findings"][0]["at"]["line"], 1);
    std::fs::remove_dir_all(&dir).unwrap();
}
