//! Rules 6–8: Redis connections, Kafka producer/consumer, alert thresholds.

mod common;
use common::*;
use poolcalc::calc::{inputs::Compression, kafka::JS_MAX_SAFE_INTEGER, Severity};

#[test]
fn redis_connections_count_clients_subscribers_workers_and_nodes() {
    // Default fleet: 4 services × 3 peak replicas = 12 replicas.
    let cases = [
        ("", 12),
        ("redis_use=cache,pubsub", 24),
        ("redis_use=cache,queue,pubsub", 36),
        ("redis=cluster&redis_nodes=a:7000,b:7000,c:7000", 36),
        (
            "redis=cluster&redis_nodes=a:7000,b:7000,c:7000&redis_use=queue",
            72,
        ),
    ];
    for (q, total) in cases {
        assert_eq!(plan_of(q).redis.unwrap().total_connections, total, "{q}");
    }
    assert!(plan_of("redis=off").redis.is_none());
}

#[test]
fn redis_maxclients_warns_above_80_percent_and_errors_above_100() {
    assert!(has(
        &plan_of("redis_maxclients=14"),
        "redis.near_maxclients"
    ));
    assert!(!has(
        &plan_of("redis_maxclients=15"),
        "redis.near_maxclients"
    ));
    assert_eq!(
        finding(&plan_of("redis_maxclients=11"), "redis.over_maxclients").severity,
        Severity::Error
    );
    assert!(has(&plan_of("redis=cluster"), "redis.no_nodes"));
}

#[test]
fn redis_options_follow_the_use() {
    let r = plan_of("").redis.unwrap();
    assert_eq!(
        (r.max_retries_per_request, r.queue_workers, r.subscribers),
        (3, false, false)
    );
    let r = plan_of("redis_use=queue,pubsub").redis.unwrap();
    assert!(
        r.queue_workers && r.subscribers,
        "workers and subscribers get their own connections"
    );
    assert_eq!(
        plan_of("set=redis.max_retries_per_request:7")
            .redis
            .unwrap()
            .max_retries_per_request,
        7
    );
    let plan = plan_of("redis_use=queue&set=redis.max_retries_per_request:3");
    assert_eq!(
        finding(&plan, "redis.queue_retries").pin.as_deref(),
        Some("redis.max_retries_per_request")
    );
    assert_eq!(plan_of("").redis.unwrap().keep_alive_ms, 30_000);
}

#[test]
fn kafka_heartbeat_stays_within_a_third_of_the_session() {
    let k = plan_of("").kafka.unwrap();
    assert_eq!(
        (k.consumer.session_timeout, k.consumer.heartbeat_interval),
        (30_000, 3000)
    );
    let k = plan_of("set=kafka.consumer.session_timeout:6000")
        .kafka
        .unwrap();
    assert_eq!(k.consumer.heartbeat_interval, 2000);
    let plan = plan_of("set=kafka.consumer.heartbeat_interval:20000");
    assert_eq!(
        plan.kafka.as_ref().unwrap().consumer.heartbeat_interval,
        10_000
    );
    assert_eq!(
        finding(&plan, "kafka.heartbeat_too_long").pin.as_deref(),
        Some("kafka.consumer.heartbeat_interval")
    );
}

#[test]
fn exactly_once_producer() {
    let p = plan_of("kafka_eos=1").kafka.unwrap().producer;
    assert!(p.idempotent);
    assert_eq!(
        (p.max_in_flight_requests, p.acks, p.retries),
        (Some(1), -1, JS_MAX_SAFE_INTEGER)
    );
    let p = plan_of("").kafka.unwrap().producer;
    assert!(!p.idempotent);
    assert_eq!(p.max_in_flight_requests, None);
    let plan = plan_of("kafka_eos=1&set=kafka.producer.retries:0");
    assert_eq!(
        finding(&plan, "kafka.eos_retries").severity,
        Severity::Error,
        "KafkaJS throws on 0 retries"
    );
}

#[test]
fn compression_goes_on_send_for_kafkajs_and_in_the_config_for_confluent() {
    let p = plan_of("").kafka.unwrap().producer;
    assert_eq!(
        (p.compression, p.compression_in_producer_config),
        (Compression::Gzip, false)
    );
    assert!(
        plan_of("kafka=confluent")
            .kafka
            .unwrap()
            .producer
            .compression_in_producer_config
    );
    assert!(has(
        &plan_of("kafka_compression=snappy"),
        "kafka.codec_not_builtin"
    ));
    assert!(!has(
        &plan_of("kafka=confluent&kafka_compression=snappy"),
        "kafka.codec_not_builtin"
    ));
}

#[test]
fn kafkajs_maintenance_is_noted_with_the_alternative() {
    let plan = plan_of("");
    let f = finding(&plan, "kafka.kafkajs_unmaintained");
    assert_eq!(f.severity, Severity::Info);
    assert!(f.message.contains("2023") && f.message.contains("@confluentinc/kafka-javascript"));
    assert!(!has(
        &plan_of("kafka=confluent"),
        "kafka.kafkajs_unmaintained"
    ));
    assert!(plan_of("kafka=off").kafka.is_none());
}

#[test]
fn alert_thresholds_come_from_the_plan() {
    let a = plan_of("").alerts;
    assert_eq!((a.utilisation_percent, a.client_wait_seconds), (80, 5));
    // 80 % of 100 − 3 is 78, but the plan's own peak (90 + the exporter) is above it: the alert
    // fires one above the planned peak.
    assert_eq!(a.postgres_connections_threshold, 92);
    assert_eq!(a.redis_clients_threshold, Some(8000));
    assert_eq!(a.kafka_lag_threshold, Some(1000));
    assert_eq!(
        plan_of("set=alerts.kafka_lag:50")
            .alerts
            .kafka_lag_threshold,
        Some(50)
    );
    let a = plan_of("redis=off&kafka=off&provider=rds&rds_class=db.t4g.micro").alerts;
    assert_eq!(
        (
            a.redis_clients_threshold,
            a.kafka_lag_threshold,
            a.postgres_connections_threshold
        ),
        // RDS db.t4g.micro: max_connections planned at 90 % of 112 = 100, ordinary 95, near full 76;
        // the fleet peak is fitted to the 90 usable slots, so the alert sits at 92.
        (None, None, 92)
    );
}

#[test]
fn every_computed_number_has_a_derivation_with_a_source() {
    let scenarios = [
        (
            "",
            vec![
                "budget.usable",
                "budget.target_active",
                "budget.max_connections",
                "budget.fleet_total",
                "wallet-service.connection_limit",
                "wallet-service.pool_timeout",
                "wallet-service.connect_timeout",
                "redis.total_connections",
                "redis.max_retries_per_request",
                "kafka.consumer.heartbeat_interval",
                "kafka.producer.retries",
                "kafka.producer.max_in_flight_requests",
                "alerts.postgres_connections_threshold",
                "alerts.redis_clients_threshold",
                "alerts.kafka_lag_threshold",
            ],
        ),
        (
            "pooler=pgbouncer&prisma=7",
            vec![
                "pgbouncer.default_pool_size",
                "pgbouncer.reserve_pool_size",
                "pgbouncer.max_db_connections",
                "pgbouncer.max_client_conn",
                "pgbouncer.fd_need",
                "pgbouncer.max_prepared_statements",
                "pgbouncer.query_wait_timeout",
                "alerts.pgbouncer_server_threshold",
                "alerts.pgbouncer_clients_threshold",
                "timeouts.ladder",
                "tls.direct",
                "tls.pooled",
                "tls.server",
                "prisma.pgbouncer_flag",
                "prisma.idle_timeout_millis",
                "budget.fleet_total",
            ],
        ),
        (
            "pooler=supavisor&provider=supabase",
            vec!["budget.fleet_total", "budget.max_connections"],
        ),
    ];
    for (query, paths) in scenarios {
        let plan = plan_of(query);
        for path in paths {
            let d = plan
                .why(path)
                .unwrap_or_else(|| panic!("{query}: no derivation for {path}"));
            assert!(
                !d.formula.is_empty() && !d.source.is_empty(),
                "{query}: {path}"
            );
        }
    }
}
