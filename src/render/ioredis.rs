//! The ioredis module: `createRedisClient`, and where the uses need them, a subscriber, a queue
//! connection and `createRedisCluster` (ioredis option names and types, lib/redis/RedisOptions.ts).

use super::escape::js_string;
use super::template::Fill;
use super::Context;
use crate::calc::inputs::RedisMode;

/// Renders redis.ts, or a comment when Redis is off.
pub fn module(cx: &Context) -> String {
    let i = &cx.inputs.redis;
    let mut out = cx.header("//");
    let Some(r) = &cx.plan.redis else {
        out += "// Redis is off in these inputs.\nexport {};\n";
        return out;
    };
    let cluster = r.mode == RedisMode::Cluster;
    let seeds: String = i
        .nodes
        .iter()
        .map(|n| format!("  {{ host: {}, port: {} }},\n", js_string(&n.host), n.port))
        .collect();
    // The password comes from the environment even when one was typed: the typed value goes into
    // the .env only, so the code holds no secret and reads what the .env sets.
    out += &Fill::new()
        .value(
            "server",
            if cluster {
                "each master"
            } else {
                "the Redis server"
            },
        )
        .value("per_node_connections", r.per_node_connections)
        .value("connections_per_replica", r.connections_per_replica)
        .value("maxclients", r.maxclients)
        .value("connect_timeout", r.connect_timeout_ms)
        .value("keep_alive", r.keep_alive_ms)
        .value("max_retries_per_request", r.max_retries_per_request)
        .value("enable_offline_queue", r.enable_offline_queue)
        .flag("tls", i.tls)
        .flag("cluster", cluster)
        .value("host", js_string(&i.host))
        .value("port", i.port)
        .value("db", i.db)
        .value("seeds", seeds)
        // Connections that must not be shared: one per subscriber, one per queue worker.
        .flag("subscribers", r.subscribers)
        .flag("queue_workers", r.queue_workers)
        .flag("hash_tag", r.bullmq_hash_tag)
        .value("client", if cluster { "Cluster" } else { "Redis" })
        .value(
            "factory",
            if cluster {
                "createRedisCluster"
            } else {
                "createRedisClient"
            },
        )
        .render(include_str!("templates/redis.ts"));
    out
}
