//! Redis (rule 6): ioredis multiplexes one connection per client, so the question is not a
//! pool size but how many connections the fleet opens against `maxclients`.

use serde::Serialize;

use super::explain::{source, Derivation, Finding};
use super::inputs::{Inputs, Pin, RedisMode, RedisUse};
use super::pins::pinned_u32;
use super::services::ServicePlan;

/// The ioredis options and the connection count.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RedisPlan {
    pub mode: RedisMode,
    /// Connections one replica opens to one node: the shared client, plus one per subscriber and queue worker.
    pub connections_per_replica: u32,
    /// Nodes each replica connects to (1, or the cluster seeds).
    pub nodes: u32,
    /// Σ peak replicas × connections_per_replica × nodes.
    pub total_connections: u64,
    pub maxclients: u32,
    /// For the request-path client: fail a command after this many reconnect attempts.
    pub max_retries_per_request: u32,
    /// Queue workers get their own connection with `maxRetriesPerRequest: null` (BullMQ requires it).
    pub queue_workers: bool,
    /// Pub/sub subscribers get their own connection (a subscribed connection takes no other commands).
    pub subscribers: bool,
    /// A number of milliseconds (ioredis calls socket.setKeepAlive(true, keepAlive)); never a boolean.
    pub keep_alive_ms: u32,
    pub connect_timeout_ms: u32,
    pub enable_offline_queue: bool,
}

/// Computes the Redis plan, or `None` when Redis is off.
pub fn plan_redis(
    inputs: &Inputs,
    pins: &[Pin],
    services: &[ServicePlan],
    why: &mut Vec<(String, Derivation)>,
    findings: &mut Vec<Finding>,
) -> Option<RedisPlan> {
    let r = &inputs.redis;
    if r.mode == RedisMode::Off {
        return None;
    }
    let has = |u| r.uses.contains(&u);
    // A subscriber and a blocking queue worker each monopolise a connection (ioredis README
    // "Pub/Sub"; BullMQ "Connections").
    let connections_per_replica =
        1 + u32::from(has(RedisUse::PubSub)) + u32::from(has(RedisUse::Queue));
    let nodes = match r.mode {
        RedisMode::Cluster => u32::try_from(r.nodes.len()).unwrap_or(u32::MAX).max(1),
        _ => 1,
    };
    let peak: u64 = services.iter().map(|s| u64::from(s.peak_replicas)).sum();
    let total_connections = peak * u64::from(connections_per_replica) * u64::from(nodes);
    why.push((
        "redis.total_connections".into(),
        Derivation::new(
            "Σ peak_replicas × (1 + pubsub + queue) × nodes",
            source::IOREDIS_PUBSUB,
        )
        .input("peak_replicas (all services)", peak)
        .input("connections_per_replica", connections_per_replica)
        .input("nodes", nodes)
        .step("one ioredis client is one multiplexed TCP connection, not a pool"),
    ));
    let limit = u64::from(r.maxclients);
    // Warn above 80 % (the same threshold as the alert rule).
    if total_connections > limit {
        findings.push(
            Finding::error(
                "redis.over_maxclients",
                format!("The fleet opens {total_connections} Redis connections at peak, above maxclients {}: Redis refuses the rest (ERR max number of clients reached)", r.maxclients),
                source::REDIS_MAXCLIENTS,
            )
            .field("redis_maxclients"),
        );
    } else if total_connections * 5 > limit * 4 {
        findings.push(
            Finding::warning(
                "redis.near_maxclients",
                format!("The fleet opens {total_connections} Redis connections at peak, over 80 % of maxclients {}", r.maxclients),
                source::REDIS_MAXCLIENTS,
            )
            .field("redis_maxclients"),
        );
    }
    if r.mode == RedisMode::Cluster && r.nodes.is_empty() {
        findings.push(
            Finding::error(
                "redis.no_nodes",
                "Redis cluster mode needs at least one seed in redis_nodes (host:port)",
                source::IOREDIS_OPTIONS,
            )
            .field("redis_nodes"),
        );
    }

    let pin = pinned_u32(pins, "redis.max_retries_per_request");
    if let (Some(v), true) = (pin, has(RedisUse::Queue)) {
        findings.push(
            Finding::error(
                "redis.queue_retries",
                format!("maxRetriesPerRequest: {v} breaks queue workers: BullMQ requires maxRetriesPerRequest: null (\"Your redis options maxRetriesPerRequest must be null\"); poolcalc keeps {v} for the request-path client and gives workers their own connection with null"),
                source::BULLMQ_CONNECTIONS,
            )
            .pin("redis.max_retries_per_request"),
        );
    }
    // Fail fast on request paths (the runbook's 3; ioredis' default is 20).
    let max_retries_per_request = pin.unwrap_or(3);
    let mut d = Derivation::new(
        "3 for the request-path client (the runbook's; ioredis' default is 20)",
        source::IOREDIS_OPTIONS,
    )
    .step("queue workers get their own connection with null, which BullMQ requires");
    if let Some(v) = pin {
        d = d.step(format!(
            "pinned to {v} by set=redis.max_retries_per_request:{v}"
        ));
    }
    why.push(("redis.max_retries_per_request".into(), d));

    Some(RedisPlan {
        mode: r.mode,
        connections_per_replica,
        nodes,
        total_connections,
        maxclients: r.maxclients,
        max_retries_per_request,
        queue_workers: has(RedisUse::Queue),
        subscribers: has(RedisUse::PubSub),
        keep_alive_ms: 30_000,
        connect_timeout_ms: 10_000,
        enable_offline_queue: true,
    })
}
