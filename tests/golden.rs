//! Golden files: every artifact of each scenario, byte for byte. Any change fails the test.
//! To change them on purpose: `UPDATE_GOLDEN=1 cargo test --test golden`, then review the diff
//! under tests/golden/ before committing it.

use std::fs;
use std::path::PathBuf;

use poolcalc::calc;
use poolcalc::render::{Artifact, Context, Secrets};

/// (directory, query, database password typed in)
const SCENARIOS: &[(&str, &str, Option<&str>)] = &[
    ("default", "", None),
    ("runbook", "preset=runbook", None),
    ("runbook-pgbouncer-1.18", "preset=runbook&pooler=pgbouncer&pgb_version=1.18&db_schema=billing", None),
    ("pgbouncer-1.25-eos", "env=prod-high&pooler=pgbouncer&pgb_version=1.25&pgb_instances=3&db_cores=16&db_max_conn=400&kafka_eos=1&kafka_sasl=scram-sha-256&kafka_ssl=1", None),
    ("prisma7-cluster-confluent", "prisma=7&pooler=pgbouncer&redis=cluster&redis_nodes=10.0.0.1:7000,10.0.0.2:7000,10.0.0.3:7000&kafka=confluent&db_schema=billing&svc=api:6:write-heavy&svc=worker:3:read-heavy", None),
    ("supabase-supavisor", "provider=supabase&supabase_tier=small&pooler=supavisor&pgb_host=aws-0-eu-west-1.pooler.supabase.com&pgb_port=6543&db_user=postgres.abcdefgh&redis_use=cache,queue,pubsub&kafka=off", None),
    ("scaling-per-service-pgbouncer", "pooler=pgbouncer&pgb_version=1.18&db_roles=per-service&db_cores=8&db_max_conn=200&svc=api:2-6:write-heavy:procs=2&svc=worker:1-4:read-heavy&svc=edge:40::serverless&redis=off&kafka=off", Some("s3cr\"et$x")),
    ("scaling-per-service-direct", "db_roles=per-service&svc=api:2-4&svc=worker:2::procs=3&redis=off&kafka=off", None),
    ("rds-typed-password", "provider=rds&rds_class=db.r6g.large&env=staging&surge=bluegreen&redis=off&kafka=off&pooler=pgbouncer&pgb_version=1.21", Some("p@$$w0rd/:?#\"'")),
];

fn golden_dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

#[test]
fn artifacts_match_their_golden_files() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut mismatches = Vec::new();
    for (name, query, password) in SCENARIOS {
        let parsed = calc::parse(query);
        assert!(parsed.errors.is_empty(), "{name}: {:?}", parsed.errors);
        let plan = calc::plan(&parsed.inputs);
        let secrets = Secrets::new(password.map(String::from), None, None).expect("valid secret");
        let dir = golden_dir(name);
        let mut files: Vec<(String, String)> = Vec::new();
        for artifact in Artifact::ALL {
            // One file per service where there is one per service (each service's .env).
            let services: Vec<Option<&str>> = if *artifact == Artifact::Env {
                plan.services
                    .iter()
                    .map(|s| Some(s.name.as_str()))
                    .collect()
            } else {
                vec![None]
            };
            for service in services {
                let cx = Context::new(&parsed.inputs, &plan, &secrets).for_service(service);
                files.push((golden_name(*artifact, &cx), artifact.render(&cx)));
            }
        }
        if update {
            let _ = fs::remove_dir_all(&dir);
        }
        for (file, text) in files {
            let path = dir.join(&file);
            if update {
                fs::create_dir_all(&dir).unwrap();
                fs::write(&path, &text).unwrap();
                continue;
            }
            match fs::read_to_string(&path) {
                Ok(want) if want == text => {}
                Ok(want) => mismatches.push(format!(
                    "{} differs, first at line {}",
                    path.display(),
                    first_difference(&want, &text)
                )),
                Err(_) => mismatches.push(format!("{} is missing", path.display())),
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "golden files differ (UPDATE_GOLDEN=1 cargo test --test golden to accept on purpose):\n{}",
        mismatches.join("\n")
    );
}

/// A golden file's name: the artifact's, with its format's extension (that of the file it
/// downloads as); per-service files are named as they download (`<service>.env`).
fn golden_name(artifact: Artifact, cx: &Context) -> String {
    let file = artifact.file_name(cx);
    if artifact.per_service() && artifact == Artifact::Env {
        return file;
    }
    let ext = file.rsplit_once('.').map_or("txt", |(_, e)| e);
    let name = artifact.as_str();
    if name.ends_with(&format!(".{ext}")) {
        name.to_string()
    } else {
        format!("{name}.{ext}")
    }
}

/// The first line (1-based) where two texts differ, with both versions of it.
fn first_difference(want: &str, got: &str) -> String {
    let (mut w, mut g) = (want.lines(), got.lines());
    let mut n = 1;
    loop {
        match (w.next(), g.next()) {
            (Some(a), Some(b)) if a == b => n += 1,
            (a, b) => {
                return format!(
                    "{n}:\n  golden: {}\n  now:    {}",
                    a.unwrap_or("(end of file)"),
                    b.unwrap_or("(end of file)")
                )
            }
        }
    }
}
