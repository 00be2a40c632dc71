// prisma.config.ts: Prisma 7 reads the CLI's URL (migrations) from here, not from schema.prisma.
// It loads .env (dotenv), whose URLs carry no password, and adds DB_PASSWORD, percent-encoded.
import "dotenv/config";
import { defineConfig, env } from "prisma/config";

{{with_password}}

export default defineConfig({
  schema: "prisma/schema.prisma",
  datasource: {
{{#direct}}
    // The direct URL: migrations cannot go through a pooler.
    url: withPassword(env("DIRECT_URL")),
{{/direct}}
{{^direct}}
    url: withPassword(env("DATABASE_URL")),
{{/direct}}
  },
});
