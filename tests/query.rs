//! The share-link contract (shared/share-link.md): parse, write, round trip, and errors by name.

use poolcalc::calc::{
    inputs::{Env, Pooler, RedisUse, Workload},
    parse, write, Inputs,
};

#[test]
fn an_empty_link_gives_the_documented_defaults() {
    let p = parse("");
    assert!(p.errors.is_empty());
    assert_eq!(p.inputs, Inputs::default());
    let names: Vec<&str> = p.inputs.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "wallet-service",
            "agent-core",
            "ranking-service",
            "vendor-service"
        ]
    );
    assert!(p.inputs.services.iter().all(|s| s.replicas == 2));
    assert_eq!(write(&p.inputs), "v=1&rules=2");
}

#[test]
fn a_whole_share_link_or_a_leading_question_mark_is_accepted() {
    for link in [
        "?env=dev",
        "env=dev",
        "https://example.test/poolcalc/?env=dev#top",
        "/?env=dev",
    ] {
        let p = parse(link);
        assert!(p.errors.is_empty(), "{link}: {:?}", p.errors);
        assert_eq!(p.inputs.env, Env::Dev, "{link}");
    }
}

#[test]
fn every_bad_parameter_is_named_with_its_allowed_values_and_nothing_else_resets() {
    let p = parse("env=production&db_cores=4000&pooler=pgbouncer&svc=Wallet:2&svc=ok:3&redis_use=cache,disk&bogus=1&db_cores=8");
    let named: Vec<&str> = p.errors.iter().map(|e| e.param.as_str()).collect();
    assert_eq!(
        named,
        ["env", "db_cores", "svc", "redis_use", "bogus", "db_cores"]
    );
    assert!(
        p.errors[0]
            .message
            .contains("`dev`, `staging`, `prod` or `prod-high`"),
        "{}",
        p.errors[0].message
    );
    assert!(
        p.errors[1].message.contains("from 1 to 512"),
        "{}",
        p.errors[1].message
    );
    assert!(p.errors[2].message.contains("[a-z][a-z0-9-]{0,39}"));
    assert!(p.errors[4].message.contains("unknown parameter"));
    assert!(p.errors[5].message.contains("more than once"));
    // The good parameters still apply.
    assert_eq!(p.inputs.pooler.kind, Pooler::PgBouncer);
    assert_eq!(p.inputs.services.len(), 1);
    assert_eq!(p.inputs.services[0].name, "ok");
    assert_eq!(p.inputs.env, Env::Prod, "a bad value keeps the default");
}

#[test]
fn numbers_are_plain_decimal() {
    for bad in [
        "+4",
        "4.0",
        "0x10",
        " 4",
        "4 ",
        "-1",
        "1e3",
        "99999999999999999999999",
    ] {
        let p = parse(&format!("db_cores={}", bad.replace(' ', "%20")));
        assert_eq!(p.errors.len(), 1, "{bad:?} must be rejected");
    }
    assert_eq!(
        parse("db_cores=010").inputs.db.cores,
        10,
        "decimal, never octal"
    );
}

#[test]
fn secrets_are_refused_and_never_echoed() {
    let p = parse("password=hunter2&db_password=hunter2&redis_password=x&kafka_password=y");
    assert_eq!(p.errors.len(), 4);
    for e in &p.errors {
        assert!(
            !e.value.contains("hunter2") && e.value == "(hidden)",
            "{e:?}"
        );
        assert!(e.message.contains("never read from a link"));
    }
}

#[test]
fn services_with_workloads_and_pins_round_trip() {
    let link = "v=1&rules=2&svc=api:3:write-heavy&svc=worker:10&set=api.connection_limit:12&set=pgbouncer.default_pool_size:25&redis_use=cache,queue";
    let p = parse(link);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.inputs.services[0].workload, Some(Workload::WriteHeavy));
    assert_eq!(p.inputs.services[1].workload, None);
    assert_eq!(p.inputs.redis.uses, [RedisUse::Cache, RedisUse::Queue]);
    assert_eq!(write(&p.inputs), link);
    assert_eq!(parse(&write(&p.inputs)).inputs, p.inputs);
}

#[test]
fn pins_are_checked_against_the_fleet_and_their_ranges() {
    let p = parse("svc=api:1&set=web.connection_limit:5&set=api.connection_limit:0&set=api.bogus:1&set=prisma.pgbouncer:2&set=api.connection_limit:5");
    let msgs: Vec<&str> = p.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(p.errors.len(), 4, "{msgs:?}");
    assert!(msgs[0].contains("unknown pin path `web.connection_limit`"));
    assert!(
        msgs[1].contains("from 1 to 10000"),
        "a pool of 0 is refused: {}",
        msgs[1]
    );
    assert!(msgs[3].contains("from 0 to 1"));
    assert_eq!(p.inputs.pins.len(), 1);
}

#[test]
fn text_parameters_refuse_characters_their_outputs_cannot_hold() {
    for bad in [
        "db_name=app%0Aauth_type%20%3D%20trust",
        "db_name=pgbouncer",
        "db_user=a%22b",
        "db_host=evil%0Ahost",
        "db_host=-x",
        "kafka_brokers=a:1,b",
        "redis_nodes=a:99999",
        "db_schema=Bad",
        "svc=%3Cscript%3E:1",
    ] {
        let p = parse(bad);
        assert_eq!(p.errors.len(), 1, "{bad}: {:?}", p.errors);
    }
    assert_eq!(
        parse("db_name=x%zz").errors[0].message,
        "the value is a malformed %-escape"
    );
}

#[test]
fn view_parameters_are_read_but_not_part_of_the_inputs() {
    use poolcalc::page;
    use poolcalc::render::Artifact;
    let p = page::parse("embed=1&block=pgbouncer.ini&theme=dark&service=wallet-service");
    assert!(p.errors.is_empty());
    assert!(p.view.embed);
    assert_eq!(p.view.block, Some(Artifact::PgbouncerIni));
    assert_eq!(p.view.service.as_deref(), Some("wallet-service"));
    assert_eq!(p.inputs, Inputs::default());
    assert_eq!(page::parse("block=nginx.conf").errors[0].param, "block");
    // The page writes them back after the inputs.
    assert_eq!(
        page::write(&p.inputs, &p.view),
        "v=1&rules=2&embed=1&block=pgbouncer.ini&theme=dark&service=wallet-service"
    );
    // The inputs' own parser does not know them.
    assert_eq!(parse("embed=1").errors[0].message, "unknown parameter");
}

#[test]
fn every_parameter_of_the_table_round_trips_its_default() {
    use poolcalc::calc::params::{apply, param_value, PARAMS};
    let d = Inputs::default();
    for p in PARAMS {
        let mut i = Inputs::default();
        let text = param_value(&d, p.name);
        if text.is_empty() {
            continue;
        }
        apply(&mut i, p.name, &text).unwrap_or_else(|e| panic!("{}: {e}", p.name));
        assert_eq!(i, d, "{}", p.name);
        assert!(!p.label.is_empty(), "{} has a form label", p.name);
    }
}

#[test]
fn a_section_resets_to_what_a_link_starts_from_and_says_which_fields_changed() {
    use poolcalc::calc::params::{is_default, reset_section, Section};
    let mut i = parse("preset=runbook&db_cores=8&headroom=12&pooler=supavisor&svc=api:3").inputs;
    assert!(!is_default(&i, "db_cores") && !is_default(&i, "headroom"));
    // The preset sets pooler=pgbouncer: that is its baseline, so supavisor is a change.
    assert!(!is_default(&i, "pooler"));
    assert!(is_default(&i, "db_port"));
    let changed = poolcalc::calc::params::changed(&i);
    for p in poolcalc::calc::params::PARAMS {
        assert_eq!(
            changed.contains(&p.name),
            !is_default(&i, p.name),
            "{}",
            p.name
        );
    }
    assert_eq!(changed, ["preset", "db_cores", "headroom", "pooler"]);
    reset_section(&mut i, Section::Database);
    assert!(is_default(&i, "db_cores") && is_default(&i, "headroom"));
    assert_eq!(i.db.cores, 4);
    reset_section(&mut i, Section::Pooler);
    assert_eq!(
        i.pooler.kind,
        poolcalc::calc::inputs::Pooler::PgBouncer,
        "back to the preset's own pooler"
    );
    // The services and the pins are not a form section's: a reset leaves them.
    assert_eq!(i.services.len(), 1);
    assert_eq!(write(&i), "v=1&rules=2&preset=runbook&svc=api:3");
}
