// Prisma 6 reads its pool (connection_limit, pool_timeout, connect_timeout) from DATABASE_URL,
// which it loads from the service's .env (deploy that service's file as .env), expanding the
// password variable the URLs name. One PrismaClient per process.
import { PrismaClient } from "@prisma/client";

export const prisma = new PrismaClient({
  log: process.env.NODE_ENV === "development" ? ["query", "error", "warn"] : ["error"],
});
