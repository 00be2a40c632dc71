//! The variables a service's `.env` sets (or says to set from the secret store) are exactly the
//! variables the generated code reads: no setting that nothing reads, no read that nothing sets.
//! "Code" is every generated file a program loads: schema.prisma or prisma.config.ts, db.ts,
//! redis.ts and kafka.ts, and the `${VAR}` references that Prisma 6 expands inside the .env itself.

use std::collections::BTreeSet;

use poolcalc::calc;
use poolcalc::render::{Artifact, Context, Secrets};

/// Variables the platform provides, not the .env (NODE_ENV picks log levels).
const PLATFORM: &[&str] = &["NODE_ENV"];

/// Names in the .env: `NAME=…` lines and `# NAME: set it in your secret store` lines.
fn set_by_env(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# ") {
            if let Some((name, what)) = rest.split_once(": ") {
                if what.contains("secret store") && is_name(name) {
                    out.insert(name.to_string());
                }
            }
        } else if let Some((name, _)) = line.split_once('=') {
            if is_name(name) {
                out.insert(name.to_string());
            }
        }
    }
    out
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// The names after each occurrence of `prefix`, up to the first character a name cannot hold.
fn names_after(text: &str, prefix: &str, out: &mut BTreeSet<String>) {
    for (at, _) in text.match_indices(prefix) {
        let name: String = text[at + prefix.len()..]
            .chars()
            .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.insert(name);
        }
    }
}

/// Names a generated file reads: `process.env.NAME`, `process.env["NAME"]`, `required("NAME")`,
/// Prisma's `env("NAME")`, and `${NAME}` expansions.
fn read_by(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for prefix in [
        "process.env.",
        "process.env[\"",
        "required(\"",
        "env(\"",
        "${",
    ] {
        names_after(text, prefix, &mut out);
    }
    for p in PLATFORM {
        out.remove(*p);
    }
    out
}

#[test]
fn each_env_sets_exactly_what_the_code_reads() {
    let queries = [
        "",
        "prisma=7",
        "pooler=pgbouncer",
        "pooler=pgbouncer&prisma=7",
        "pooler=supavisor&provider=supabase&supabase_ref=abc",
        "redis=cluster&redis_nodes=10.0.0.1:7000&redis_use=cache,queue,pubsub",
        "redis=off&kafka=off",
        "kafka=confluent&kafka_sasl=scram-sha-256&kafka_ssl=1",
        "kafka_sasl=plain&kafka_ssl=1&prisma=7",
        "redis_tls=1&kafka_ssl=1",
    ];
    for q in queries {
        for typed in [None, Some("s3cret")] {
            let parsed = calc::parse(q);
            assert!(parsed.errors.is_empty(), "{q}");
            let plan = calc::plan(&parsed.inputs);
            let secrets = Secrets::new(
                typed.map(String::from),
                typed.map(String::from),
                typed.map(String::from),
            )
            .expect("valid secrets");
            for svc in &plan.services {
                let cx = Context::new(&parsed.inputs, &plan, &secrets).for_service(Some(&svc.name));
                let env = Artifact::Env.render(&cx);
                let set = set_by_env(&env);
                let mut read = read_by(&env);
                for artifact in [
                    Artifact::PrismaSchema,
                    Artifact::PrismaClient,
                    Artifact::Ioredis,
                    Artifact::Kafkajs,
                ] {
                    if artifact.applies(&parsed.inputs) {
                        read.extend(read_by(&artifact.render(&cx)));
                    }
                }
                assert_eq!(
                    set, read,
                    "{q} (password typed: {}), {}: the .env sets {set:?}, the code reads {read:?}\n{env}",
                    typed.is_some(),
                    svc.name
                );
            }
        }
    }
}

#[test]
fn the_scanner_sees_a_variable_nothing_sets() {
    // So the check above can fail: a read the .env does not cover.
    let read = read_by("const x = process.env.MISSING_ONE; required(\"OTHER\");");
    assert_eq!(
        read,
        BTreeSet::from(["MISSING_ONE".to_string(), "OTHER".to_string()])
    );
    assert!(set_by_env("A=1\n# B: set it in your secret store\n# not a name\n").contains("B"));
}
