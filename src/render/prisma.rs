//! Prisma: the datasource (Prisma 6 schema.prisma, Prisma 7 prisma.config.ts) and the client
//! (Prisma 7: @prisma/adapter-pg with node-postgres pool options).

use super::escape::js_string;
use super::Context;
use crate::calc::inputs::Prisma;

/// `prisma-schema`: where Prisma's CLI and client find their URLs.
pub fn schema(cx: &Context) -> String {
    let direct = cx.plan.prisma.direct_url;
    match cx.inputs.prisma {
        Prisma::V6 => {
            let mut out = cx.header("//");
            out += "datasource db {\n  provider  = \"postgresql\"\n  url       = env(\"DATABASE_URL\")\n";
            if direct {
                out += "  // Migrations need a direct connection: the schema engine cannot go through a pooler.\n";
                out += "  directUrl = env(\"DIRECT_URL\")\n";
            }
            out += "}\n";
            out
        }
        Prisma::V7 => {
            let mut out = cx.header("//");
            out += "// prisma.config.ts: Prisma 7 reads the CLI's URL (migrations) from here, not from schema.prisma.\n";
            out += "// It loads .env (dotenv), whose URLs carry no password, and adds DB_PASSWORD, percent-encoded.\n";
            out += "import \"dotenv/config\";\nimport { defineConfig, env } from \"prisma/config\";\n\n";
            out += WITH_PASSWORD;
            out += "\nexport default defineConfig({\n  schema: \"prisma/schema.prisma\",\n  datasource: {\n";
            if direct {
                out += "    // The direct URL: migrations cannot go through a pooler.\n    url: withPassword(env(\"DIRECT_URL\")),\n";
            } else {
                out += "    url: withPassword(env(\"DATABASE_URL\")),\n";
            }
            out += "  },\n});\n";
            out
        }
    }
}

/// The TypeScript that puts `DB_PASSWORD` into a URL that has none, percent-encoded
/// (`encodeURIComponent`, which node-postgres' `decodeURIComponent` and Prisma's schema engine
/// both undo). The user part is percent-encoded by poolcalc, so the first `@` ends it.
const WITH_PASSWORD: &str = "/** `url` with DB_PASSWORD as its password, percent-encoded; a URL that has a password keeps it. */\n\
function withPassword(url: string): string {\n\
\x20 const password = process.env.DB_PASSWORD;\n\
\x20 const start = url.indexOf(\"://\") + 3;\n\
\x20 const at = url.indexOf(\"@\", start);\n\
\x20 if (password === undefined || at < 0 || url.slice(start, at).includes(\":\")) return url;\n\
\x20 return `${url.slice(0, at)}:${encodeURIComponent(password)}${url.slice(at)}`;\n\
}\n";

/// `prisma-client`: how each service builds its client.
pub fn client(cx: &Context) -> String {
    match cx.inputs.prisma {
        Prisma::V6 => client_v6(cx),
        Prisma::V7 => client_v7(cx),
    }
}

fn client_v6(cx: &Context) -> String {
    let mut out = cx.header("//");
    out += "// Prisma 6 reads its pool (connection_limit, pool_timeout, connect_timeout) from DATABASE_URL,\n";
    out += "// which it loads from the service's .env (deploy that service's file as .env), expanding the\n";
    out += "// password variable the URLs name. One PrismaClient per process.\n";
    out += "import { PrismaClient } from \"@prisma/client\";\n\n";
    out += "export const prisma = new PrismaClient({\n";
    out += "  log: process.env.NODE_ENV === \"development\" ? [\"query\", \"error\", \"warn\"] : [\"error\"],\n";
    out += "});\n";
    out
}

fn client_v7(cx: &Context) -> String {
    let p = cx.plan;
    let mut out = cx.header("//");
    out += "// Prisma 7 pools through node-postgres (@prisma/adapter-pg): the URL's connection_limit and\n";
    out +=
        "// pool_timeout are not read, so each service's pool is set here. Pass the adapter to\n";
    out += "// `new PrismaClient({ adapter: createPrismaAdapter(\"<service>\") })`.\n";
    out += "import { PrismaPg } from \"@prisma/adapter-pg\";\nimport type { PoolConfig } from \"pg\";\n\n";
    out +=
        "/** Pool size per replica (pg `max`; never 0, which pg would silently turn into 10). */\n";
    out += "const poolMax = {\n";
    for svc in &p.services {
        out += &format!("  {}: {},\n", js_string(&svc.name), svc.connection_limit);
    }
    out += "} as const;\n\nexport type ServiceName = keyof typeof poolMax;\n\n";
    out += "/** Milliseconds a query waits for a pooled connection (Prisma 6's pool_timeout; pg's 0 waits forever). */\n";
    out += "const connectionTimeoutMillis = {\n";
    for svc in &p.services {
        let ms = crate::calc::timeouts::pg_connection_timeout_ms(svc);
        out += &format!("  {}: {},\n", js_string(&svc.name), ms);
    }
    out += "} as const;\n\n";
    out += WITH_PASSWORD;
    out += "\n/** The service's DATABASE_URL (its .env) with DB_PASSWORD put in. */\n";
    out += "export function databaseUrl(url = process.env.DATABASE_URL): string {\n";
    out += "  if (!url) throw new Error(\"DATABASE_URL is not set\");\n  return withPassword(url);\n}\n\n";
    out += "/** node-postgres pool options for one service. */\n";
    out += "export function poolConfig(service: ServiceName, connectionString = databaseUrl()): PoolConfig {\n";
    out += "  return {\n    connectionString,\n    max: poolMax[service],\n";
    out += "    connectionTimeoutMillis: connectionTimeoutMillis[service],\n";
    out += &format!(
        "    idleTimeoutMillis: {},\n  }};\n}}\n\n",
        p.prisma.idle_timeout_millis
    );
    out += "/** The driver adapter for one service's PrismaClient. */\n";
    out += "export function createPrismaAdapter(service: ServiceName): PrismaPg {\n";
    match &cx.inputs.db.schema {
        Some(schema) => {
            out += &format!(
                "  return new PrismaPg(poolConfig(service), {{ schema: {} }});\n}}\n",
                js_string(schema)
            )
        }
        None => out += "  return new PrismaPg(poolConfig(service));\n}\n",
    }
    out
}
