//! The Postgres path as deployed: one table per class of rule (TLS per hop, secrets, one `.env`
//! per service, providers, PgBouncer, the timeout ladder, alerts, the no-pooler warning). Each
//! row is one input set and what the generated files or the plan must then say.

mod common;
use common::*;
use poolcalc::calc::{self, tls::Encryption, Severity};
use poolcalc::render::{Artifact, Context, Secrets};

/// One artifact for a query (and a service), with an optional typed database password.
fn artifact(query: &str, name: &str, service: Option<&str>, password: Option<&str>) -> String {
    let parsed = calc::parse(query);
    assert!(parsed.errors.is_empty(), "{query}: {:?}", parsed.errors);
    let plan = calc::plan(&parsed.inputs);
    let secrets = Secrets::new(password.map(String::from), None, None).expect("valid secret");
    let cx = Context::new(&parsed.inputs, &plan, &secrets).for_service(service);
    name.parse::<Artifact>()
        .expect("known artifact")
        .render(&cx)
}

/// `KEY="value"` lines of a .env, in order (comments and blank lines skipped).
fn env_keys(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (k, v) = l.split_once('=').expect("KEY=value");
            (k.to_string(), v.trim_matches('"').to_string())
        })
        .collect()
}

fn env_value(text: &str, key: &str) -> Option<String> {
    env_keys(text)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

fn query_of(url: &str) -> &str {
    url.split_once('?').map_or("", |(_, q)| q)
}

#[test]
fn tls_every_url_asks_its_client_for_what_the_hop_offers() {
    // (query, DATABASE_URL's TLS parameters, DIRECT_URL's, pooled hop's encryption)
    let cases = [
        // Prisma 6 (quaint): libpq-like prefer with fallback.
        ("", "sslmode=prefer", None, Encryption::Opportunistic),
        ("sslmode=require", "sslmode=require", None, Encryption::Unverified),
        ("sslmode=disable", "sslmode=disable", None, Encryption::Off),
        (
            "db_ca_file=/etc/ssl/db-ca.pem",
            "sslmode=require&sslaccept=strict&sslcert=%2Fetc%2Fssl%2Fdb-ca.pem",
            None,
            Encryption::Verified,
        ),
        // Prisma 7 (node-postgres): no fallback, so prefer is written as require without
        // verification (libpq's meaning), or verify-full with a CA file.
        (
            "prisma=7",
            "sslmode=require&uselibpqcompat=true",
            None,
            Encryption::Unverified,
        ),
        ("prisma=7&sslmode=disable", "sslmode=disable", None, Encryption::Off),
        (
            "prisma=7&db_ca_file=/etc/ssl/db-ca.pem",
            "sslmode=verify-full&sslrootcert=%2Fetc%2Fssl%2Fdb-ca.pem",
            None,
            Encryption::Verified,
        ),
        // PgBouncer without client TLS: the pooled URL must not ask for it.
        (
            "pooler=pgbouncer",
            "sslmode=disable",
            Some("sslmode=prefer"),
            Encryption::Off,
        ),
        (
            "pooler=pgbouncer&prisma=7",
            "sslmode=disable",
            Some("sslmode=require&uselibpqcompat=true"),
            Encryption::Off,
        ),
        // sslmode=require: PgBouncer offers TLS and the URL requires it.
        (
            "pooler=pgbouncer&prisma=7&sslmode=require",
            "sslmode=require&uselibpqcompat=true",
            Some("sslmode=require&uselibpqcompat=true"),
            Encryption::Unverified,
        ),
        // Supavisor terminates TLS like the database does.
        (
            "provider=supabase&supabase_ref=abcdefgh&pooler=supavisor&pgb_host=aws-0-eu-west-1.pooler.supabase.com&prisma=7",
            "sslmode=require&uselibpqcompat=true",
            Some("sslmode=require&uselibpqcompat=true"),
            Encryption::Unverified,
        ),
    ];
    for (q, url_tls, direct_tls, pooled) in cases {
        let env = artifact(q, "env", None, None);
        let url = env_value(&env, "DATABASE_URL").expect("DATABASE_URL");
        assert!(
            query_of(&url).ends_with(url_tls),
            "{q}: DATABASE_URL {url} should end with {url_tls}"
        );
        let direct = env_value(&env, "DIRECT_URL");
        match direct_tls {
            Some(tls) => assert!(
                query_of(direct.as_deref().expect("DIRECT_URL")).ends_with(tls),
                "{q}: DIRECT_URL {direct:?} should end with {tls}"
            ),
            None => assert!(direct.is_none(), "{q}: no pooler, no DIRECT_URL"),
        }
        let plan = plan_of(q);
        let hop = plan.tls.pooled.as_ref().unwrap_or(&plan.tls.direct);
        assert_eq!(hop.encryption, pooled, "{q}");
    }
}

#[test]
fn tls_pgbouncer_offers_client_tls_only_when_asked_and_follows_the_provider_to_the_server() {
    // (query, client_tls_sslmode line present, server_tls_sslmode)
    let cases = [
        ("pooler=pgbouncer", false, "prefer"),
        ("pooler=pgbouncer&sslmode=disable", false, "disable"),
        ("pooler=pgbouncer&sslmode=require", true, "require"),
        // RDS for PostgreSQL 15+ refuses plain text: require whatever the apps' sslmode.
        (
            "pooler=pgbouncer&provider=rds&rds_class=db.t4g.medium",
            false,
            "require",
        ),
        (
            "pooler=pgbouncer&db_ca_file=/etc/ssl/db-ca.pem",
            false,
            "verify-full",
        ),
    ];
    for (q, client_tls, server) in cases {
        let ini = artifact(q, "pgbouncer.ini", None, None);
        assert_eq!(
            ini.contains("\nclient_tls_sslmode = require\n"),
            client_tls,
            "{q}:\n{ini}"
        );
        assert!(
            ini.contains(&format!("\nserver_tls_sslmode = {server}\n")),
            "{q}:\n{ini}"
        );
    }
    let ini = artifact(
        "pooler=pgbouncer&sslmode=require&pgb_auth_file=/srv/pgb/userlist.txt",
        "pgbouncer.ini",
        None,
        None,
    );
    assert!(ini.contains("\nclient_tls_key_file = /srv/pgb/pgbouncer.key\n"));
    assert!(ini.contains("\nclient_tls_cert_file = /srv/pgb/pgbouncer.crt\n"));
    let ini = artifact(
        "pooler=pgbouncer&db_ca_file=/etc/ssl/db-ca.pem",
        "pgbouncer.ini",
        None,
        None,
    );
    assert!(ini.contains("\nserver_tls_ca_file = /etc/ssl/db-ca.pem\n"));
}

#[test]
fn tls_findings_name_each_unencrypted_or_unverified_hop() {
    // (query, code, severity)
    let cases = [
        ("pooler=pgbouncer", "tls.pooler_plain", Severity::Info),
        (
            "pooler=pgbouncer&pgb_host=pgbouncer.internal",
            "tls.pooler_plain",
            Severity::Warning,
        ),
        ("prisma=7", "tls.no_fallback", Severity::Warning),
        ("", "tls.unverified", Severity::Info),
        (
            "provider=rds&rds_class=db.t4g.medium&sslmode=disable",
            "tls.rds_force_ssl",
            Severity::Error,
        ),
    ];
    for (q, code, severity) in cases {
        assert_eq!(finding(&plan_of(q), code).severity, severity, "{q}");
    }
    for (q, code) in [
        ("pooler=pgbouncer&sslmode=require", "tls.pooler_plain"),
        ("prisma=7&sslmode=disable", "tls.no_fallback"),
        ("db_ca_file=/etc/ssl/db-ca.pem", "tls.unverified"),
        ("provider=rds&rds_class=db.t4g.medium", "tls.rds_force_ssl"),
    ] {
        assert!(!has(&plan_of(q), code), "{q}: no {code}");
    }
}

#[test]
fn secrets_each_url_gets_its_password_the_way_its_reader_can_use_it() {
    // (query, typed password, what the userinfo of DATABASE_URL is)
    let cases = [
        // Prisma 6 expands ${VAR} in .env itself: the variable holds the encoded password.
        ("", None, "app:${DB_PASSWORD_URLENCODED}"),
        // Prisma 7: no password in the URL; db.ts and prisma.config.ts add DB_PASSWORD.
        ("prisma=7", None, "app"),
        // A typed password: percent-encoded in Prisma 6's URL; in the .env's DB_PASSWORD for
        // Prisma 7, whose code adds it.
        ("", Some("p@ss/w:rd"), "app:p%40ss%2Fw%3Ard"),
        ("prisma=7", Some("p@ss/w:rd"), "app"),
    ];
    for (q, password, userinfo) in cases {
        let env = artifact(q, "env", None, password);
        let url = env_value(&env, "DATABASE_URL").expect("DATABASE_URL");
        let got = url
            .strip_prefix("postgresql://")
            .and_then(|u| u.split_once('@'))
            .map(|(ui, _)| ui)
            .expect("userinfo");
        assert_eq!(got, userinfo, "{q}");
        if q == "prisma=7" && password.is_some() {
            assert!(env.contains("\nDB_PASSWORD='p@ss/w:rd'\n"), "{env}");
        }
    }
    // Prisma 7's generated code composes the URL with the password percent-encoded.
    for name in ["prisma-client", "prisma-schema"] {
        let ts = artifact("prisma=7&pooler=pgbouncer", name, None, None);
        assert!(ts.contains("encodeURIComponent(password)"), "{name}:\n{ts}");
        assert!(ts.contains("process.env.DB_PASSWORD"), "{name}");
        assert!(!ts.contains("${DB_PASSWORD}"), "{name}: no placeholder");
    }
    // userlist.txt: the typed password, or the way to take the role's SCRAM secret from PostgreSQL.
    let typed = artifact("pooler=pgbouncer", "userlist.txt", None, Some("a\"b"));
    assert!(typed.ends_with("\"app\" \"a\"\"b\"\n"), "{typed}");
    let untyped = artifact("pooler=pgbouncer", "userlist.txt", None, None);
    assert!(
        untyped.contains("FROM pg_authid WHERE rolname = 'app'\" >> /etc/pgbouncer/userlist.txt"),
        "{untyped}"
    );
    assert!(
        untyped.lines().all(|l| l.starts_with(';')),
        "no entry with a placeholder"
    );
}

#[test]
fn env_one_file_per_service_and_no_key_twice() {
    let queries = [
        "",
        "prisma=7",
        "pooler=pgbouncer",
        "pooler=pgbouncer&prisma=7&kafka_sasl=plain&kafka_ssl=1",
        "redis=cluster&redis_nodes=10.0.0.1:7000",
        "provider=supabase&supabase_ref=abcdefgh&pooler=supavisor",
    ];
    for q in queries {
        let plan = plan_of(q);
        for svc in &plan.services {
            let env = artifact(q, "env", Some(&svc.name), None);
            let keys = env_keys(&env);
            let mut names: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
            let n = names.len();
            names.sort_unstable();
            names.dedup();
            assert_eq!(
                names.len(),
                n,
                "{q} {}: a key assigned twice\n{env}",
                svc.name
            );
            let url = env_value(&env, "DATABASE_URL").expect("DATABASE_URL");
            assert!(
                url.contains(&format!("application_name={}", svc.name)),
                "{q}: {url}"
            );
            if plan.kafka.is_some() {
                assert_eq!(
                    env_value(&env, "KAFKA_CLIENT_ID").as_deref(),
                    Some(svc.name.as_str())
                );
            }
            // The database-url artifact is the same value.
            let single = artifact(q, "database-url", Some(&svc.name), None);
            assert_eq!(single.trim_end(), url, "{q}");
        }
    }
    // Prisma 6 carries each service's own pool in its URL.
    let q = "db_max_conn=10000";
    for (svc, limit) in [("wallet-service", 20), ("ranking-service", 10)] {
        let url = env_value(&artifact(q, "env", Some(svc), None), "DATABASE_URL").unwrap();
        assert!(url.contains(&format!("connection_limit={limit}&")), "{url}");
    }
}

#[test]
fn providers_supabase_has_two_doors_and_rds_is_planned_below_its_bound() {
    // (query, DATABASE_URL's user@host:port, DIRECT_URL's, pgbouncer=true)
    let base = "provider=supabase&pooler=supavisor&pgb_host=aws-0-eu-west-1.pooler.supabase.com";
    let cases = [
        (
            format!("{base}&supabase_ref=abcdefgh"),
            "app.abcdefgh@aws-0-eu-west-1.pooler.supabase.com:6543",
            "app@db.abcdefgh.supabase.co:5432",
            true,
        ),
        // db_user written as Supavisor's `role.ref` gives both.
        (
            format!("{base}&db_user=postgres.abcdefgh"),
            "postgres.abcdefgh@aws-0-eu-west-1.pooler.supabase.com:6543",
            "postgres@db.abcdefgh.supabase.co:5432",
            true,
        ),
        // Session mode: Supavisor's port 5432, one server connection per client, prepared
        // statements allowed (no pgbouncer=true).
        (
            format!("{base}&db_user=postgres&supabase_ref=abcdefgh&pgb_mode=session"),
            "postgres.abcdefgh@aws-0-eu-west-1.pooler.supabase.com:5432",
            "postgres@db.abcdefgh.supabase.co:5432",
            false,
        ),
    ];
    for (q, pooled, direct, flag) in cases {
        let env = artifact(&q, "env", None, None);
        let url = env_value(&env, "DATABASE_URL").unwrap();
        let direct_url = env_value(&env, "DIRECT_URL").unwrap();
        assert!(
            url.contains(&format!(
                "{}/",
                pooled.replacen('@', ":${DB_PASSWORD_URLENCODED}@", 1)
            )),
            "{q}: {url}"
        );
        assert!(
            direct_url.contains(&format!(
                "{}/",
                direct.replacen('@', ":${DB_PASSWORD_URLENCODED}@", 1)
            )),
            "{q}: {direct_url}"
        );
        assert_eq!(url.contains("pgbouncer=true"), flag, "{q}: {url}");
        assert!(has(&plan_of(&q), "supabase.direct_ipv6"), "{q}");
    }
    // Session mode sizes the app pools to the pool, like a direct connection.
    let plan = plan_of(&format!(
        "{base}&supabase_ref=abcdefgh&pgb_mode=session&supabase_tier=small"
    ));
    let sv = plan.supavisor.as_ref().unwrap();
    assert!(sv.client_connections <= u64::from(sv.pool_size), "{sv:?}");
    assert!(!plan.has_error(), "{:?}", plan.findings);
    // The errors.
    assert!(has(&plan_of(base), "supabase.no_ref"));
    assert!(has(
        &plan_of(&format!("{base}&supabase_ref=x&pgb_port=5432")),
        "supavisor.port_mode"
    ));
    assert!(has(
        &plan_of(&format!(
            "{base}&supabase_ref=x&pgb_mode=session&pgb_port=6543"
        )),
        "supavisor.port_mode"
    ));

    // RDS: planned at 90 % of the formula's bound, with the bound kept and SHOW asked for.
    for (class, bound) in [("db.t4g.micro", 112), ("db.r6g.large", 1802)] {
        let plan = plan_of(&format!("provider=rds&rds_class={class}"));
        let b = &plan.budget;
        assert_eq!(b.max_connections_upper_bound, Some(bound), "{class}");
        assert!(
            b.max_connections < bound,
            "{class}: never plan on the bound"
        );
        assert!(finding(&plan, "budget.rds_estimate")
            .message
            .contains("SHOW max_connections"));
        assert!(u64::from(b.fleet_total) <= u64::from(b.usable));
    }
}

#[test]
fn pgbouncer_session_mode_margins_wording_and_sidecars() {
    // Session mode: the server pool is the clients, fitted to the usable slots.
    let plan = plan_of("pooler=pgbouncer&pgb_mode=session");
    let p = plan.pgbouncer.as_ref().unwrap();
    assert_eq!(
        u64::from(p.default_pool_size),
        p.client_connections,
        "{p:?}"
    );
    assert!(u64::from(plan.budget.fleet_total) <= u64::from(plan.budget.usable));
    assert_eq!(p.reserve_pool_size, 0);
    // max_client_conn: peak + 25 % + 5 (console, stats, exporter) above the fleet's peak.
    for (q, peak) in [
        ("pooler=pgbouncer", 180u32),
        ("pooler=pgbouncer&svc=a:1", 30),
    ] {
        let p = plan_of(q).pgbouncer.unwrap();
        assert_eq!(p.max_client_conn, peak + peak.div_ceil(4) + 5, "{q}");
    }
    // Advice never says "at most 0" for max_db_connections.
    let plan = plan_of(
        "pooler=pgbouncer&pgb_instances=64&db_max_conn=40&pgb_host=pgb.internal&set=pgbouncer.default_pool_size:5",
    );
    for f in &plan.findings {
        assert!(!f.message.contains("at most 0"), "{}", f.message);
    }
    // Several instances on loopback are sidecars.
    assert!(has(
        &plan_of("pooler=pgbouncer&pgb_instances=3"),
        "pgbouncer.sidecar"
    ));
    assert!(!has(
        &plan_of("pooler=pgbouncer&pgb_instances=3&pgb_host=pgbouncer.internal"),
        "pgbouncer.sidecar"
    ));
    assert!(!has(&plan_of("pooler=pgbouncer"), "pgbouncer.sidecar"));
}

#[test]
fn timeouts_the_ladder_is_derived_in_order_and_inversions_are_named() {
    // query_wait_timeout follows the longest client pool wait.
    for (q, wait) in [
        ("pooler=pgbouncer", 10),
        ("pooler=pgbouncer&svc=a:1&set=a.pool_timeout:30", 30),
        // Every pool waits forever: PgBouncer's own 120 s is kept.
        ("pooler=pgbouncer&svc=a:1&set=a.pool_timeout:0", 120),
    ] {
        let plan = plan_of(q);
        assert_eq!(plan.pgbouncer.unwrap().query_wait_timeout, wait, "{q}");
        let ini = artifact(q, "pgbouncer.ini", None, None);
        assert!(
            ini.contains(&format!("\nquery_wait_timeout = {wait}\n")),
            "{q}"
        );
    }
    let plan = plan_of("pooler=pgbouncer");
    let ladder = plan
        .why("timeouts.ladder")
        .expect("ladder")
        .steps
        .join("\n");
    let order = [
        "1. pool wait",
        "2. connect",
        "3. PgBouncer queue",
        "4. PgBouncer opening",
        "5. transaction",
        "6. query",
        "7. idle",
    ];
    let mut at = 0;
    for step in order {
        let i = ladder[at..]
            .find(step)
            .unwrap_or_else(|| panic!("{step} missing or out of order:\n{ladder}"));
        at += i;
    }
    // (query, the finding an inverted pair gives)
    for (q, code) in [
        (
            "svc=a:1&set=a.connect_timeout:30",
            "timeouts.connect_after_wait",
        ),
        ("svc=a:1&set=a.pool_timeout:0", "timeouts.wait_forever"),
    ] {
        assert_eq!(
            finding(&plan_of(q), code).severity,
            Severity::Warning,
            "{q}"
        );
    }
    assert!(!has(&plan_of(""), "timeouts.connect_after_wait"));
}

#[test]
fn alerts_fire_above_the_planned_peak_and_before_full() {
    // (query) – the plan's own peak stays below every count alert, which stays below its limit.
    for q in [
        "",
        "pooler=pgbouncer",
        "pooler=pgbouncer&svc=a:1&surge=none",
        "db_max_conn=10000",
        "redis_maxclients=20",
    ] {
        let plan = plan_of(q);
        let a = &plan.alerts;
        let b = &plan.budget;
        let ordinary = b.max_connections - b.reserved - b.provider_reserved;
        assert!(
            b.fleet_total + 1 < a.postgres_connections_threshold || has(&plan, "alerts.plan_fires"),
            "{q}"
        );
        assert!(a.postgres_connections_threshold < ordinary, "{q}");
        if let Some(p) = &plan.pgbouncer {
            let clients = a.pgbouncer_clients_threshold.unwrap();
            assert!(u64::from(clients) > p.client_connections, "{q}");
            assert!(clients < p.max_client_conn, "{q}");
            let server = a.pgbouncer_server_threshold.unwrap();
            assert!(
                server < p.server_connections_per_instance
                    || p.server_connections_per_instance == 1,
                "{q}"
            );
        }
        if let (Some(r), Some(t)) = (&plan.redis, a.redis_clients_threshold) {
            assert!(t < u64::from(r.maxclients), "{q}");
        }
    }
    // A small pool warns before it is full: 4 server connections warn at 3.
    assert_eq!(poolcalc::calc::alerts::near_full(4), 3);
    assert_eq!(poolcalc::calc::alerts::near_full(10), 8);
    assert_eq!(poolcalc::calc::alerts::near_full(2), 1);
    // A plan that runs at its limit says so: 180 clients at peak, max_client_conn 181.
    let plan = plan_of("pooler=pgbouncer&set=pgbouncer.max_client_conn:181");
    assert!(has(&plan, "alerts.plan_fires"), "{:?}", plan.findings);
    let yml = artifact("", "alerts.yml", None, None);
    assert!(yml.contains("pg_stat_activity_count) >= 92"), "{yml}");
}

#[test]
fn no_pooler_near_full_or_squeezed_pools_recommend_a_pooler() {
    // (query, warned)
    let cases = [
        ("", true),                           // 90 of 92 usable at the deploy peak
        ("db_max_conn=200", false),           // 135 of 192: room to spare
        ("db_max_conn=200&svc=a:60", true),   // pools squeezed to 2
        ("pooler=pgbouncer", false),          // there is a pooler
        ("db_max_conn=10000&svc=a:1", false), // a small fleet on a big server
    ];
    for (q, warned) in cases {
        let plan = plan_of(q);
        assert_eq!(
            has(&plan, "budget.recommend_pooler"),
            warned,
            "{q}: {:?}",
            plan.budget
        );
        if warned {
            let f = finding(&plan, "budget.recommend_pooler");
            assert_eq!((f.severity, f.field), (Severity::Warning, Some("pooler")));
        }
    }
}
