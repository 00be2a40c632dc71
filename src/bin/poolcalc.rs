//! The command-line tool: `poolcalc [--json | --artifact NAME] [QUERY]`, and
//! `poolcalc audit [--json] [--query QUERY] [--as KIND] FILE...`.
//! QUERY is a share-link query string (with or without `?`) or a whole share link.
//! Exit status: 0 without error findings, 3 with one (output still printed), 2 for invalid input.

use std::process::ExitCode;

use poolcalc::calc;
use poolcalc::page;
use poolcalc::render::{self, Artifact, Secrets};

const USAGE: &str = "usage: poolcalc [--json | --artifact NAME [--service NAME]] [QUERY]\n\
  QUERY   a share-link query string (with or without '?') or a whole share link\n\
  --json  print the whole plan as JSON\n\
  --artifact NAME  print one artifact, byte for byte as the page shows it\n\
  --service NAME   for the per-service artifacts (env, database-url): which service (default: the first)\n\
Secrets come only from POOLCALC_DB_PASSWORD, POOLCALC_REDIS_PASSWORD, POOLCALC_KAFKA_PASSWORD.\n\
\n\
usage: poolcalc audit [--json] [--query QUERY] [--as KIND] FILE...\n\
  reads the configs you run (pgbouncer.ini, userlist.txt, .env files, postgresql:// URLs in a\n\
  file, ioredis or KafkaJS options, psql output of diagnostics.sql) and prints the findings, each\n\
  at its line, the settings beside the plan for QUERY, and the link that adopts them\n\
  --as KIND  the kind of the FILE after it, when the name and the content do not tell:\n\
             pgbouncer.ini, userlist.txt, env, url, ioredis, kafka, show-pools, show-config,\n\
             show-max-connections, connections\n\
  -          reads a text from standard input";

enum Output {
    Summary,
    Json,
    Artifact(String),
}

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("audit") {
        return audit_main(std::env::args().skip(2).collect());
    }
    let mut output = Output::Summary;
    let mut query = None;
    let mut service = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--json" => output = Output::Json,
            "--artifact" => match args.next() {
                Some(name) => output = Output::Artifact(name),
                None => return usage("--artifact needs a NAME"),
            },
            "--service" => match args.next() {
                Some(name) => service = Some(name),
                None => return usage("--service needs a NAME"),
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            a if a.starts_with("--") => return usage(&format!("unknown option {a}")),
            _ if query.is_some() => return usage("give one QUERY"),
            _ => query = Some(arg),
        }
    }
    let parsed = page::parse(query.as_deref().unwrap_or(""));
    if !parsed.errors.is_empty() {
        for e in &parsed.errors {
            eprintln!("poolcalc: invalid parameter {e}");
        }
        return ExitCode::from(2);
    }
    if let Some((head, lines)) = calc::rules::notice(parsed.made_under) {
        eprintln!("poolcalc: {head}");
        for (v, line) in lines {
            eprintln!("  v{v}: {line}");
        }
    }
    let plan = calc::plan(&parsed.inputs);
    let text = match output {
        Output::Json => json(&parsed.inputs, &plan),
        Output::Summary => summary(&plan),
        Output::Artifact(name) => {
            let secrets = match secrets_from_env() {
                Ok(s) => s,
                Err(code) => return code,
            };
            if let Some(name) = &service {
                if !plan.services.iter().any(|s| &s.name == name) {
                    let names: Vec<&str> = plan.services.iter().map(|s| s.name.as_str()).collect();
                    return usage(&format!(
                        "unknown service `{name}`: one of {}",
                        names.join(", ")
                    ));
                }
            }
            // --service, else the link's own `service` (the page's picker writes it there).
            let service = service.or_else(|| parsed.view.service.clone());
            let cx = render::Context::new(&parsed.inputs, &plan, &secrets)
                .for_service(service.as_deref());
            match name.parse::<Artifact>() {
                Ok(a) => a.render(&cx),
                Err(()) => {
                    return usage(&format!(
                        "unknown artifact `{name}`: one of {}",
                        Artifact::allowed()
                    ))
                }
            }
        }
    };
    print!("{text}");
    if plan.has_error() {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("poolcalc: {problem}\n{USAGE}");
    ExitCode::from(2)
}

/// The plan as JSON, with the canonical query that reproduces it.
fn json(inputs: &calc::Inputs, plan: &calc::Plan) -> String {
    #[derive(serde::Serialize)]
    struct Out<'a> {
        query: String,
        #[serde(flatten)]
        plan: &'a calc::Plan,
    }
    let out = Out {
        query: calc::write(inputs),
        plan,
    };
    let mut text =
        serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

/// A short human summary: the budget line and the findings.
fn summary(plan: &calc::Plan) -> String {
    let b = &plan.budget;
    let mut s = format!(
        "usable slots {}, fleet total {}, target active {}\n",
        b.usable, b.fleet_total, b.target_active
    );
    for svc in &plan.services {
        let procs = if svc.processes > 1 {
            format!(" × {} processes", svc.processes)
        } else {
            String::new()
        };
        let fit = render::context::fit_text(svc);
        let role = match plan
            .roles
            .as_ref()
            .and_then(|r| r.roles.iter().find(|r| r.service == svc.name))
        {
            Some(r) => match r.max_user_connections {
                Some(share) => format!(
                    "; as role {}, {share} server connections per PgBouncer instance",
                    r.user
                ),
                None => format!(
                    "; as role {}, CONNECTION LIMIT {}",
                    r.user, r.connection_limit
                ),
            },
            None => String::new(),
        };
        s += &format!(
            "  {}: connection_limit={}{procs} × {} peak replicas = {} (a typical day: {}; the autoscaler's maximum that fits: {fit}{role})\n",
            svc.name, svc.connection_limit, svc.peak_replicas, svc.total, svc.typical_total
        );
    }
    for f in &plan.findings {
        s += &format!("{:?} {}: {}\n", f.severity, f.code, f.message);
    }
    s
}

/// Reads the secrets from POOLCALC_*_PASSWORD (never from arguments, which show up in `ps`).
fn secrets_from_env() -> Result<Secrets, ExitCode> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    Secrets::new(
        var("POOLCALC_DB_PASSWORD"),
        var("POOLCALC_REDIS_PASSWORD"),
        var("POOLCALC_KAFKA_PASSWORD"),
    )
    .map_err(|errors| {
        for (_, message) in errors {
            eprintln!("poolcalc: invalid secret: {message}");
        }
        ExitCode::from(2)
    })
}

/// `poolcalc audit`: exit 0 without error findings, 3 with one, 2 for unreadable input.
fn audit_main(args: Vec<String>) -> ExitCode {
    use poolcalc::audit::{self, Kind, Pasted};
    use std::io::Read;
    let mut json = false;
    let mut query = String::new();
    let mut texts: Vec<Pasted> = Vec::new();
    let mut next_kind = Kind::Auto;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--json" => json = true,
            "--query" => match args.next() {
                Some(q) => query = q,
                None => return usage("--query needs a QUERY"),
            },
            "--as" => match args.next().map(|k| k.parse::<Kind>()) {
                Some(Ok(k)) => next_kind = k,
                _ => return usage(&format!("--as needs a KIND: one of {}", Kind::allowed())),
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            a if a.starts_with("--") => return usage(&format!("unknown option {a}")),
            path => {
                let mut bytes = Vec::new();
                let read = if path == "-" {
                    std::io::stdin().read_to_end(&mut bytes).map(|_| ())
                } else {
                    std::fs::File::open(path).and_then(|mut f| {
                        f.by_ref()
                            .take(audit::MAX_BYTES as u64 + 1)
                            .read_to_end(&mut bytes)
                            .map(|_| ())
                    })
                };
                if let Err(e) = read {
                    eprintln!("poolcalc: cannot read {path}: {e}");
                    return ExitCode::from(2);
                }
                let Ok(text) = String::from_utf8(bytes) else {
                    eprintln!("poolcalc: {path} is not UTF-8 text: poolcalc audits configuration files, not binaries");
                    return ExitCode::from(2);
                };
                let name = if path == "-" { "stdin" } else { path };
                // Without --as, the name and then the content say the kind.
                let kind = next_kind;
                texts.push(Pasted {
                    name: name.to_string(),
                    kind,
                    text,
                });
                next_kind = Kind::Auto;
            }
        }
    }
    if texts.is_empty() {
        return usage("audit needs at least one FILE");
    }
    let parsed = page::parse(&query);
    if !parsed.errors.is_empty() {
        for e in &parsed.errors {
            eprintln!("poolcalc: invalid parameter {e}");
        }
        return ExitCode::from(2);
    }
    let report = audit::audit(&parsed.inputs, &texts);
    if json {
        let mut text = serde_json::to_string_pretty(&report)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        text.push('\n');
        print!("{text}");
    } else {
        print!("{}", audit::show::text(&report, &texts));
    }
    if report.has_error() {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    }
}
