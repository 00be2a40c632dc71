// At peak {{server}} holds {{per_node_connections}} connections from the fleet ({{connections_per_replica}} per replica), against maxclients {{maxclients}}.
// One ioredis client is one multiplexed connection, not a pool.
import { Cluster, Redis, type RedisOptions } from "ioredis";

/** Options shared by every connection (the request-path defaults). */
const sharedOptions: RedisOptions = {
  password: process.env.REDIS_PASSWORD,
  connectTimeout: {{connect_timeout}},
  // keepAlive is the initial TCP keep-alive delay in milliseconds, not a boolean.
  keepAlive: {{keep_alive}},
  // Fail a command after this many reconnect attempts instead of queueing it forever.
  maxRetriesPerRequest: {{max_retries_per_request}},
  enableOfflineQueue: {{enable_offline_queue}},
{{#tls}}
  tls: {},
{{/tls}}
};

{{^cluster}}
/** A client for the configured Redis server. */
export function createRedisClient(options: Partial<RedisOptions> = {}): Redis {
  return new Redis({
    host: process.env.REDIS_HOST ?? {{host}},
    port: Number(process.env.REDIS_PORT ?? "{{port}}"),
    db: Number(process.env.REDIS_DB ?? "{{db}}"),
    ...sharedOptions,
    retryStrategy: (times: number) => Math.min(times * 50, 2000),
    // Reconnect when a failover turned the server read-only.
    reconnectOnError: (err: Error) => err.message.includes("READONLY"),
    ...options,
  });
}
{{/cluster}}
{{#cluster}}
/** Cluster seeds (REDIS_CLUSTER_NODES overrides them: host:port,host:port). */
const seeds: { host: string; port: number }[] = [
{{seeds}}
];

function clusterNodes(): { host: string; port: number }[] {
  const list = process.env.REDIS_CLUSTER_NODES;
  if (!list) return seeds;
  return list.split(",").map((entry) => {
    const at = entry.lastIndexOf(":");
    return { host: entry.slice(0, at), port: Number(entry.slice(at + 1)) };
  });
}

/** A cluster client. Periodic slot refresh is off by default in ioredis, so it is set here. */
export function createRedisCluster(options: Partial<RedisOptions> = {}): Cluster {
  return new Cluster(clusterNodes(), {
    redisOptions: { ...sharedOptions, ...options },
    clusterRetryStrategy: (times: number) => Math.min(100 * times, 2000),
    slotsRefreshInterval: 5000,
  });
}
{{/cluster}}
{{#subscribers}}

/** A dedicated subscriber: a subscribed connection cannot run other commands. */
export function createRedisSubscriber(): {{client}} {
  return {{factory}}();
}
{{/subscribers}}
{{#queue_workers}}

/** The queue connection of this replica: BullMQ requires maxRetriesPerRequest: null. Give the
 * same one to every Queue, Worker and QueueEvents (see bullmqOptions). */
export function createQueueConnection(): {{client}} {
  return {{factory}}({ maxRetriesPerRequest: null });
}

/** Options for a BullMQ Queue, Worker or QueueEvents: the replica's queue connection, which
 * BullMQ shares for a Queue and a Worker's commands and duplicates for a Worker's blocking reads
{{#hash_tag}}
 * and for QueueEvents. On a cluster the prefix is the queue's name as a hash tag, so that all
 * of a queue's keys share one slot (BullMQ's scripts touch several keys at once). */
export function bullmqOptions(queue: string, connection: {{client}}): { connection: {{client}}; prefix: string } {
  return { connection, prefix: `{${queue}}` };
}
{{/hash_tag}}
{{^hash_tag}}
 * and for QueueEvents. */
export function bullmqOptions(queue: string, connection: {{client}}): { connection: {{client}} } {
  void queue; // the same shape as on a cluster, where the queue names the prefix
  return { connection };
}
{{/hash_tag}}
{{/queue_workers}}
