//! The ioredis module: `createRedisClient`, and where the uses need them, a subscriber, a queue
//! connection and `createRedisCluster` (ioredis option names and types, lib/redis/RedisOptions.ts).

use super::escape::js_string;
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
    let server = if r.mode == RedisMode::Cluster {
        "each master"
    } else {
        "the Redis server"
    };
    out += &format!(
        "// At peak {server} holds {} connections from the fleet ({} per replica), against maxclients {}.\n",
        r.per_node_connections, r.connections_per_replica, r.maxclients
    );
    out += "// One ioredis client is one multiplexed connection, not a pool.\n";
    out += "import { Cluster, Redis, type RedisOptions } from \"ioredis\";\n\n";
    // The password comes from the environment even when one was typed: the typed value goes into
    // the .env only, so the code holds no secret and reads what the .env sets.
    out += "/** Options shared by every connection (the request-path defaults). */\n";
    out += "const sharedOptions: RedisOptions = {\n";
    out += "  password: process.env.REDIS_PASSWORD,\n";
    out += &format!("  connectTimeout: {},\n", r.connect_timeout_ms);
    out += "  // keepAlive is the initial TCP keep-alive delay in milliseconds, not a boolean.\n";
    out += &format!("  keepAlive: {},\n", r.keep_alive_ms);
    out +=
        "  // Fail a command after this many reconnect attempts instead of queueing it forever.\n";
    out += &format!("  maxRetriesPerRequest: {},\n", r.max_retries_per_request);
    out += &format!("  enableOfflineQueue: {},\n", r.enable_offline_queue);
    if i.tls {
        out += "  tls: {},\n";
    }
    out += "};\n\n";
    if r.mode == RedisMode::Single {
        out += "/** A client for the configured Redis server. */\n";
        out += "export function createRedisClient(options: Partial<RedisOptions> = {}): Redis {\n";
        out += "  return new Redis({\n";
        out += &format!(
            "    host: process.env.REDIS_HOST ?? {},\n",
            js_string(&i.host)
        );
        out += &format!(
            "    port: Number(process.env.REDIS_PORT ?? \"{}\"),\n",
            i.port
        );
        out += &format!("    db: Number(process.env.REDIS_DB ?? \"{}\"),\n", i.db);
        out += "    ...sharedOptions,\n";
        out += "    retryStrategy: (times: number) => Math.min(times * 50, 2000),\n";
        out += "    // Reconnect when a failover turned the server read-only.\n";
        out += "    reconnectOnError: (err: Error) => err.message.includes(\"READONLY\"),\n";
        out += "    ...options,\n  });\n}\n";
    } else {
        out += "/** Cluster seeds (REDIS_CLUSTER_NODES overrides them: host:port,host:port). */\n";
        out += "const seeds: { host: string; port: number }[] = [\n";
        for n in &i.nodes {
            out += &format!("  {{ host: {}, port: {} }},\n", js_string(&n.host), n.port);
        }
        out += "];\n\n";
        out += "function clusterNodes(): { host: string; port: number }[] {\n";
        out += "  const list = process.env.REDIS_CLUSTER_NODES;\n  if (!list) return seeds;\n";
        out += "  return list.split(\",\").map((entry) => {\n    const at = entry.lastIndexOf(\":\");\n";
        out += "    return { host: entry.slice(0, at), port: Number(entry.slice(at + 1)) };\n  });\n}\n\n";
        out += "/** A cluster client. Periodic slot refresh is off by default in ioredis, so it is set here. */\n";
        out +=
            "export function createRedisCluster(options: Partial<RedisOptions> = {}): Cluster {\n";
        out += "  return new Cluster(clusterNodes(), {\n";
        out += "    redisOptions: { ...sharedOptions, ...options },\n";
        out += "    clusterRetryStrategy: (times: number) => Math.min(100 * times, 2000),\n";
        out += "    slotsRefreshInterval: 5000,\n  });\n}\n";
    }
    // Connections that must not be shared: one per subscriber, one per queue worker.
    let (ty, factory) = if r.mode == RedisMode::Single {
        ("Redis", "createRedisClient")
    } else {
        ("Cluster", "createRedisCluster")
    };
    if r.subscribers {
        out +=
            "\n/** A dedicated subscriber: a subscribed connection cannot run other commands. */\n";
        out += &format!(
            "export function createRedisSubscriber(): {ty} {{\n  return {factory}();\n}}\n"
        );
    }
    if r.queue_workers {
        out += "\n/** The queue connection of this replica: BullMQ requires maxRetriesPerRequest: null. Give the\n";
        out += " * same one to every Queue, Worker and QueueEvents (see bullmqOptions). */\n";
        out += &format!("export function createQueueConnection(): {ty} {{\n  return {factory}({{ maxRetriesPerRequest: null }});\n}}\n");
        out += "\n/** Options for a BullMQ Queue, Worker or QueueEvents: the replica's queue connection, which\n";
        out += " * BullMQ shares for a Queue and a Worker's commands and duplicates for a Worker's blocking reads\n";
        if r.bullmq_hash_tag {
            out += " * and for QueueEvents. On a cluster the prefix is the queue's name as a hash tag, so that all\n";
            out += " * of a queue's keys share one slot (BullMQ's scripts touch several keys at once). */\n";
            out += &format!("export function bullmqOptions(queue: string, connection: {ty}): {{ connection: {ty}; prefix: string }} {{\n");
            out += "  return { connection, prefix: `{${queue}}` };\n}\n";
        } else {
            out += " * and for QueueEvents. */\n";
            out += &format!("export function bullmqOptions(queue: string, connection: {ty}): {{ connection: {ty} }} {{\n");
            out += "  void queue; // the same shape as on a cluster, where the queue names the prefix\n";
            out += "  return { connection };\n}\n";
        }
    }
    out
}
