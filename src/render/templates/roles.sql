{{^roles}}
-- Not in use: the services share one user (db_roles=shared). With db_roles=per-service this
-- file makes a role per service, capped at its share of the connections.
{{/roles}}
{{#roles}}
-- A role per service (db_roles=per-service). Each service logs in as its own role, a member of
-- {{owner}} (the owner of the tables, which migrations keep using), so it keeps the access it had.
-- CONNECTION LIMIT caps the role: PostgreSQL refuses the next connection ("too many connections
-- for role") instead of giving it a slot another service planned on.
{{#pgbouncer}}
-- Behind PgBouncer, pgbouncer.ini's [users] caps each role per instance; the limit here is the
-- backstop for a connection that bypasses PgBouncer.
{{/pgbouncer}}
--
-- Run it as a superuser (or a role with CREATEROLE that may grant {{owner}}), with the services'
-- password in DB_PASSWORD and the connection in PGHOST, PGPORT, PGUSER (or -h, -p, -U):
--   psql -X -v DB_PASSWORD="$DB_PASSWORD" -f roles.sql
-- Running it again updates the limits and the password. ALTER ROLE sends the password to the
-- server, which writes it into its log only under log_statement = ddl or all.
{{#pgbouncer}}
-- Then append the roles' entries to PgBouncer's userlist.txt, as that file says.
{{/pgbouncer}}

\set ON_ERROR_STOP on
\if :{?DB_PASSWORD}
\else
DO $$ BEGIN RAISE EXCEPTION 'roles.sql needs the services'' password: psql -v DB_PASSWORD="$DB_PASSWORD" -f roles.sql'; END $$;
\endif

SELECT format('CREATE ROLE %I LOGIN', wanted.name)
FROM (VALUES {{names}}) AS wanted(name)
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = wanted.name)
\gexec

{{alters}}
{{/roles}}
