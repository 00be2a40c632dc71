-- diagnostics.sql: the queries that compare the running system with this plan. Run it with psql
-- (psql -X -f diagnostics.sql "<the direct URL>") and paste the output into poolcalc's audit, or
-- run `poolcalc audit --query '<this link>' output.txt`: each result is read and compared.

-- 1. Connections per service, as PostgreSQL counts them. Run as a role that sees every session
--    (a superuser, or a member of pg_read_all_stats); others see only their own role's rows.
--    poolcalc's URLs set application_name per service, and both Prisma 6 (a URL parameter) and
--    node-postgres (Prisma 7's adapter) send it when they connect.
{{#direct}}
--    The plan: at most {{fleet_total}} in all, per service:
{{per_service}}
{{/direct}}
{{#pgbouncer}}
--    Behind PgBouncer, PostgreSQL sees PgBouncer's server connections, at most {{fleet_total}}
--    ({{instances}} instance(s) × {{server_connections}}). A server connection shows the application_name
--    of the client that used it last (PgBouncer sets it for each client), so per service the
--    counts are a snapshot, not a limit.
{{/pgbouncer}}
SELECT coalesce(application_name, '') AS application_name,
       count(*) AS connections,
       count(*) FILTER (WHERE state = 'active') AS active,
       count(*) FILTER (WHERE state = 'idle in transaction') AS idle_in_transaction
FROM pg_stat_activity
WHERE backend_type = 'client backend' AND datname = {{db_name}}
GROUP BY 1
ORDER BY connections DESC;

-- 2. max_connections and the slots reserved for superusers. The plan assumes max_connections
--    {{max_connections}} with {{reserved}} reserved.
SHOW max_connections;
SHOW superuser_reserved_connections;

-- 3. The slowest statements, with pg_stat_statements' column names since PostgreSQL 13
--    (total_exec_time, mean_exec_time, max_exec_time). It needs the extension:
--    shared_preload_libraries = 'pg_stat_statements' and CREATE EXTENSION pg_stat_statements.
SELECT calls,
       round(total_exec_time) AS total_ms,
       round(mean_exec_time::numeric, 2) AS mean_ms,
       round(max_exec_time) AS max_ms,
       left(query, 80) AS query
FROM pg_stat_statements
ORDER BY mean_exec_time DESC
LIMIT 10;
{{#pgbouncer}}

-- 4. On PgBouncer's console, as a member of stats_users (the generated pgbouncer.ini lists
--    {{stats_user}} there):
--      psql -X -h {{pgb_host}} -p {{pgb_port}} -U {{stats_user}} -c 'SHOW POOLS' -c 'SHOW CONFIG' pgbouncer
--    The plan: at most {{pool}} server connections per (database, user) pool
--    (default_pool_size {{default_pool_size}} + reserve_pool_size {{reserve_pool_size}}), pool_mode {{pool_mode}},
--    max_client_conn {{max_client_conn}}. cl_waiting above 0: clients are queueing for a server connection.
{{/pgbouncer}}
