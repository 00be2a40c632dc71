// Prisma 7 pools through node-postgres (@prisma/adapter-pg): the URL's connection_limit and
// pool_timeout are not read, so each service's pool is set here. Pass the adapter to
// `new PrismaClient({ adapter: createPrismaAdapter("<service>") })`.
import { PrismaPg } from "@prisma/adapter-pg";
import type { PoolConfig } from "pg";

/** Pool size per replica (pg `max`; never 0, which pg would silently turn into 10). */
const poolMax = {
{{pool_max}}
} as const;

export type ServiceName = keyof typeof poolMax;

/** Milliseconds a query waits for a pooled connection (Prisma 6's pool_timeout; pg's 0 waits forever). */
const connectionTimeoutMillis = {
{{connection_timeout_millis}}
} as const;

{{with_password}}

/** The service's DATABASE_URL (its .env) with DB_PASSWORD put in. */
export function databaseUrl(url = process.env.DATABASE_URL): string {
  if (!url) throw new Error("DATABASE_URL is not set");
  return withPassword(url);
}

/** node-postgres pool options for one service. */
export function poolConfig(service: ServiceName, connectionString = databaseUrl()): PoolConfig {
  return {
    connectionString,
    max: poolMax[service],
    connectionTimeoutMillis: connectionTimeoutMillis[service],
    idleTimeoutMillis: {{idle_timeout_millis}},
  };
}

/** The driver adapter for one service's PrismaClient. */
export function createPrismaAdapter(service: ServiceName): PrismaPg {
{{#schema}}
  return new PrismaPg(poolConfig(service), { schema: {{schema}} });
{{/schema}}
{{^schema}}
  return new PrismaPg(poolConfig(service));
{{/schema}}
}
