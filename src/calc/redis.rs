//! Redis (rule 6): ioredis multiplexes one connection per client, so the question is not a pool
//! size but how many connections the fleet opens, per node against that node's `maxclients`.
//!
//! What one replica opens, with the generated module:
//! - the shared client (cache, and publishing): 1;
//! - pub/sub: a subscriber of its own (a subscribed connection takes no other command): 1;
//! - BullMQ: the queue connection (`createQueueConnection`, shared by every Queue and by each
//!   Worker's main connection), plus per queue a Worker's blocking connection (BullMQ duplicates
//!   the instance for `BZPOPMIN`) and a QueueEvents (which duplicates it for `XREAD BLOCK`)
//!   (bullmq `utils/create-backend.js`: `createBlockingConnection`, `blocking && duplicateClient`).
//!
//! On a cluster each of those clients is an ioredis `Cluster`, which opens (lazily, on the first
//! command for a slot there) one connection to each master, never to the seeds as such: every
//! master sees the whole per-replica count (ioredis `cluster/ConnectionPool.ts`).

use serde::Serialize;

use super::explain::{source, Derivation, Finding};
use super::inputs::{Inputs, RedisMode, RedisUse};
use super::services::ServicePlan;
use super::settings::Resolver;

/// The ioredis options and the connection count.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RedisPlan {
    pub mode: RedisMode,
    /// Connections one replica opens (to one server, or to each cluster master).
    pub connections_per_replica: u32,
    /// BullMQ queues per replica.
    pub queues: u32,
    /// Servers every client connects to: 1, or the cluster's masters.
    pub masters: u32,
    /// Connections each server (each master) holds at peak: Σ peak replicas × connections_per_replica.
    pub per_node_connections: u64,
    /// Connections across the whole Redis deployment: per_node_connections × masters.
    pub total_connections: u64,
    /// One server's `maxclients`, which `per_node_connections` must stay under.
    pub maxclients: u32,
    /// For the request-path client: fail a command after this many reconnect attempts.
    pub max_retries_per_request: u32,
    /// Queue workers get their own connection with `maxRetriesPerRequest: null` (BullMQ requires it).
    pub queue_workers: bool,
    /// Pub/sub subscribers get their own connection (a subscribed connection takes no other commands).
    pub subscribers: bool,
    /// On a cluster, BullMQ's `prefix` is the queue's name as a hash tag (`{name}`), so that all
    /// of a queue's keys share one slot (its Lua scripts touch several at once) and different
    /// queues spread over the masters (BullMQ docs "Redis Cluster").
    pub bullmq_hash_tag: bool,
    /// A number of milliseconds (ioredis calls socket.setKeepAlive(true, keepAlive)); never a boolean.
    pub keep_alive_ms: u32,
    pub connect_timeout_ms: u32,
    pub enable_offline_queue: bool,
}

/// Computes the Redis plan, or `None` when Redis is off.
pub fn plan_redis(
    inputs: &Inputs,
    services: &[ServicePlan],
    r_: &mut Resolver,
    findings: &mut Vec<Finding>,
) -> Option<RedisPlan> {
    let r = &inputs.redis;
    if r.mode == RedisMode::Off {
        return None;
    }
    let has = |u| r.uses.contains(&u);
    let queue = has(RedisUse::Queue);
    let pubsub = has(RedisUse::PubSub);
    let queues = r.queues.max(1);
    let queue_connections = if queue {
        1u32.saturating_add(queues.saturating_mul(2))
    } else {
        0
    };
    let connections_per_replica = 1 + u32::from(pubsub) + queue_connections;
    let cluster = r.mode == RedisMode::Cluster;
    let masters = if cluster { r.masters.max(1) } else { 1 };
    // Every process of a replica has its own ioredis clients.
    let peak: u64 = services
        .iter()
        .map(|s| u64::from(s.peak_replicas) * u64::from(s.processes))
        .sum();
    let per_node = peak * u64::from(connections_per_replica);
    let total_connections = per_node * u64::from(masters);
    let mut d = Derivation::new(
        "per node: Σ peak_replicas × processes × (1 + pubsub + queue × (1 + 2 × queues)); fleet-wide: × masters",
        source::IOREDIS_PUBSUB,
    )
    .input("peak_replicas × processes (all services)", peak)
    .input("pubsub", u8::from(pubsub))
    .input("queue", u8::from(queue))
    .input("queues per replica", if queue { queues } else { 0 })
    .input("masters", masters)
    .step("one ioredis client is one multiplexed TCP connection, not a pool: the shared client 1, a subscriber 1");
    if queue {
        d = d.step(format!("BullMQ: the queue connection 1, and per queue a Worker's blocking connection and a QueueEvents: 2 × {queues}"));
    }
    if cluster {
        d = d
            .step(format!("each cluster client connects to each of the {masters} masters once (ioredis' scaleReads: master), so every master sees the per-replica count"))
            .step("a slot refresh opens one more short-lived connection per client");
    }
    r_.derived("redis.per_node_connections", d.clone());
    r_.derived("redis.total_connections", d);

    // Each server refuses clients past its own maxclients: the per-node count is what it sees.
    let limit = u64::from(r.maxclients);
    let node = if cluster { "each master" } else { "Redis" };
    if per_node > limit {
        findings.push(
            Finding::error(
                "redis.over_maxclients",
                format!("At peak {node} holds {per_node} connections from the fleet, above its maxclients {}: Redis refuses the rest (ERR max number of clients reached)", r.maxclients),
                source::REDIS_MAXCLIENTS,
            )
            .field("redis_maxclients"),
        );
    } else if per_node * 5 > limit * 4 {
        findings.push(
            Finding::warning(
                "redis.near_maxclients",
                format!("At peak {node} holds {per_node} connections from the fleet, over 80 % of its maxclients {}", r.maxclients),
                source::REDIS_MAXCLIENTS,
            )
            .field("redis_maxclients"),
        );
    }
    if cluster && r.nodes.is_empty() {
        findings.push(
            Finding::error(
                "redis.no_nodes",
                "Redis cluster mode needs at least one seed in redis_nodes (host:port)",
                source::IOREDIS_OPTIONS,
            )
            .field("redis_nodes"),
        );
    }
    let bullmq_hash_tag = queue && cluster;
    if bullmq_hash_tag {
        findings.push(
            Finding::info(
                "redis.bullmq_cluster_prefix",
                "BullMQ on a Redis cluster needs a hash-tagged prefix, so that each queue's keys share one slot (its scripts touch several keys at once; without it they fail with CROSSSLOT): the module's bullmqOptions(queue) sets prefix \"{queue}\", which also spreads different queues over the masters. Each queue's traffic lands on one master",
                source::BULLMQ_CLUSTER,
            )
            .field("redis_use"),
        );
    }

    // Fail fast on request paths (the runbook's 3; ioredis' default is 20). Queue workers never
    // share this client: createQueueConnection gives them null, which BullMQ requires.
    let max_retries_per_request = r_.settle_u32(
        "redis.max_retries_per_request",
        3,
        Derivation::new(
            "3 for the request-path client (the runbook's; ioredis' default is 20)",
            source::IOREDIS_OPTIONS,
        )
        .step("queue workers get their own connection with null, which BullMQ requires")
        .heuristic("the runbook's 3: a request fails after three reconnect attempts instead of waiting through ioredis' 20"),
    );
    r_.derived(
        "redis.connections_per_replica",
        Derivation::new(
            "1 + pubsub + queue × (1 + 2 × queues)",
            source::BULLMQ_CONNECTIONS,
        )
        .input("uses", format!("{:?}", r.uses))
        .input("queues", queues),
    );
    for (path, text) in [
        (
            "redis.keep_alive_ms",
            "30000 ms: ioredis 6's default TCP keep-alive delay (a number, not a boolean)",
        ),
        (
            "redis.connect_timeout_ms",
            "10000 ms: ioredis' default connectTimeout (the runbook's too)",
        ),
    ] {
        r_.derived(path, Derivation::new(text, source::IOREDIS_OPTIONS));
    }

    Some(RedisPlan {
        mode: r.mode,
        connections_per_replica,
        queues,
        masters,
        per_node_connections: per_node,
        total_connections,
        maxclients: r.maxclients,
        max_retries_per_request,
        queue_workers: queue,
        subscribers: pubsub,
        bullmq_hash_tag,
        keep_alive_ms: 30_000,
        connect_timeout_ms: 10_000,
        enable_offline_queue: true,
    })
}
