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
    out += &format!(
        "// The fleet opens {} Redis connections at peak ({} per replica × {} node(s)) against maxclients {}.\n",
        r.total_connections, r.connections_per_replica, r.nodes, r.maxclients
    );
    out += "// One ioredis client is one multiplexed connection, not a pool.\n";
    out += "import { Cluster, Redis, type RedisOptions } from \"ioredis\";\n\n";
    let password = match &cx.secrets.redis_password {
        Some(p) => js_string(p),
        None => "process.env.REDIS_PASSWORD".into(),
    };
    out += "/** Options shared by every connection (the request-path defaults). */\n";
    out += "const sharedOptions: RedisOptions = {\n";
    out += &format!("  password: {password},\n");
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
        out +=
            "\n/** A queue worker's connection: BullMQ requires maxRetriesPerRequest: null. */\n";
        out += &format!("export function createQueueConnection(): {ty} {{\n  return {factory}({{ maxRetriesPerRequest: null }});\n}}\n");
    }
    out
}
