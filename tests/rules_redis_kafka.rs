//! Rules 6–8: Redis connections, Kafka producer/consumer, alert thresholds.

mod common;
use common::*;
use poolcalc::calc::{
    inputs::Compression,
    kafka::{profile, INT32_MAX, JS_MAX_SAFE_INTEGER},
    Severity,
};

#[test]
fn redis_connections_count_clients_subscribers_workers_and_nodes() {
    // Default fleet: 4 services × 3 peak replicas = 12 replicas. Per replica: the shared client 1,
    // a subscriber 1, BullMQ's queue connection 1 and per queue a Worker's blocking connection and
    // a QueueEvents 2. (query, per replica, per node, fleet-wide)
    let cases = [
        ("", 1, 12, 12),
        ("redis_use=cache,pubsub", 2, 24, 24),
        ("redis_use=cache,queue", 4, 48, 48),
        ("redis_use=cache,queue,pubsub", 5, 60, 60),
        ("redis_use=queue&redis_queues=3", 8, 96, 96),
        // A cluster: each master sees the per-replica count; the seeds are not the masters.
        ("redis=cluster&redis_nodes=a:7000", 1, 12, 36),
        (
            "redis=cluster&redis_nodes=a:7000,b:7000,c:7000,d:7000,e:7000,f:7000",
            1,
            12,
            36,
        ),
        (
            "redis=cluster&redis_nodes=a:7000&redis_masters=5&redis_use=queue",
            4,
            48,
            240,
        ),
    ];
    for (q, per_replica, per_node, total) in cases {
        let r = plan_of(q).redis.unwrap();
        assert_eq!(
            (
                r.connections_per_replica,
                r.per_node_connections,
                r.total_connections
            ),
            (per_replica, per_node, total),
            "{q}"
        );
    }
    assert!(plan_of("redis=off").redis.is_none());
}

#[test]
fn redis_each_node_is_checked_against_its_own_maxclients() {
    // 3 masters × 12 = 36 across the cluster, but each master holds only 12: maxclients 20 fits.
    let plan = plan_of("redis=cluster&redis_nodes=a:7000&redis_maxclients=20");
    assert!(!has(&plan, "redis.over_maxclients"), "{:?}", plan.findings);
    assert!(!has(&plan, "redis.near_maxclients"), "12 of 20 is 60 %");
    assert!(has(
        &plan_of("redis=cluster&redis_nodes=a:7000&redis_maxclients=11"),
        "redis.over_maxclients"
    ));
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
fn bullmq_on_a_cluster_gets_a_hash_tag_prefix() {
    // (query, hash tag, finding)
    for (q, tag) in [
        ("redis=cluster&redis_nodes=a:7000&redis_use=queue", true),
        ("redis=cluster&redis_nodes=a:7000", false),
        ("redis_use=queue", false),
    ] {
        let plan = plan_of(q);
        assert_eq!(plan.redis.as_ref().unwrap().bullmq_hash_tag, tag, "{q}");
        assert_eq!(has(&plan, "redis.bullmq_cluster_prefix"), tag, "{q}");
    }
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
fn each_kafka_client_gets_values_within_its_own_range() {
    // (query, retries, in flight, session, rebalance, maxWait)
    let cases = [
        ("kafka=kafkajs", 5, None, 30_000, Some(60_000), Some(5000)),
        (
            "kafka=kafkajs&kafka_eos=1",
            JS_MAX_SAFE_INTEGER,
            Some(1),
            30_000,
            Some(60_000),
            Some(5000),
        ),
        // librdkafka: retries are an int32; up to 5 in flight keep the order with idempotence;
        // rebalanceTimeout would become max.poll.interval.ms, so it is left to the 300 s default.
        ("kafka=confluent", 5, None, 45_000, None, None),
        (
            "kafka=confluent&kafka_eos=1",
            INT32_MAX,
            Some(5),
            45_000,
            None,
            None,
        ),
    ];
    for (q, retries, in_flight, session, rebalance, max_wait) in cases {
        let k = plan_of(q).kafka.unwrap();
        assert_eq!(
            (
                k.producer.retries,
                k.producer.max_in_flight_requests,
                k.consumer.session_timeout,
                k.consumer.rebalance_timeout,
                k.consumer.max_wait_time_in_ms
            ),
            (retries, in_flight, session, rebalance, max_wait),
            "{q}"
        );
        assert!(k.producer.retries <= profile(k.client).max_retries, "{q}");
    }
    // Pins beyond the client's range are never written: clamped, with an error.
    let plan = plan_of("kafka=confluent&kafka_eos=1&set=kafka.producer.retries:9007199254740991&set=kafka.producer.max_in_flight_requests:6");
    let k = plan.kafka.as_ref().unwrap();
    assert_eq!(
        (k.producer.retries, k.producer.max_in_flight_requests),
        (INT32_MAX, Some(5))
    );
    assert_eq!(
        finding(&plan, "kafka.retries_out_of_range").severity,
        Severity::Error
    );
    assert_eq!(
        finding(&plan, "kafka.eos_in_flight").severity,
        Severity::Error
    );
    let ts = poolcalc::calc::kafka::PROFILES
        .iter()
        .map(|p| p.client)
        .collect::<Vec<_>>();
    assert_eq!(ts.len(), 2, "one row per client");
}

#[test]
fn kafka_security_and_session_bounds() {
    // (query, code, severity)
    let cases = [
        (
            "kafka_sasl=plain",
            "kafka.sasl_without_tls",
            Severity::Error,
        ),
        (
            "env=dev&kafka_sasl=plain",
            "kafka.sasl_without_tls",
            Severity::Warning,
        ),
        (
            "kafka_sasl=scram-sha-512",
            "kafka.sasl_without_tls",
            Severity::Warning,
        ),
        (
            "set=kafka.consumer.session_timeout:5000",
            "kafka.session_outside_broker",
            Severity::Error,
        ),
        (
            "set=kafka.consumer.session_timeout:1800001",
            "kafka.session_outside_broker",
            Severity::Error,
        ),
    ];
    for (q, code, severity) in cases {
        assert_eq!(finding(&plan_of(q), code).severity, severity, "{q}");
    }
    for q in [
        "kafka_sasl=plain&kafka_ssl=1",
        "kafka_sasl=none",
        "set=kafka.consumer.session_timeout:6000",
        "set=kafka.consumer.session_timeout:1800000",
    ] {
        let plan = plan_of(q);
        assert!(
            !has(&plan, "kafka.sasl_without_tls") && !has(&plan, "kafka.session_outside_broker"),
            "{q}"
        );
    }
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
    assert_eq!(a.kafka_lag, Some(1000));
    assert_eq!(
        plan_of("set=alerts.kafka_lag:50").alerts.kafka_lag,
        Some(50)
    );
    let a = plan_of("redis=off&kafka=off&provider=rds&rds_class=db.t4g.micro").alerts;
    assert_eq!(
        (
            a.redis_clients_threshold,
            a.kafka_lag,
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
                "alerts.kafka_lag",
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
                "prisma.pgbouncer",
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
