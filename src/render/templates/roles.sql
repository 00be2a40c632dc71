{{^roles}}
-- Not in use: the services share one user (db_roles=shared). With db_roles=per-service this
-- file makes a role per service, capped at its share of the connections.
{{/roles}}
{{#roles}}
-- A role per service (db_roles=per-service). Each service logs in as its own role, with the
-- rights it needs on the tables of schema {{schema}}: read and write rows, use sequences, but not
-- change or drop tables (migrations keep {{owner}}, through the direct URL).
-- CONNECTION LIMIT caps the role: PostgreSQL refuses the next connection ("too many connections
-- for role") instead of giving it a slot another service planned on.
{{#pgbouncer}}
-- Behind PgBouncer, pgbouncer.ini's [users] caps each role per instance; the limit here is the
-- backstop for a connection that bypasses PgBouncer.
{{/pgbouncer}}
--
-- Run it in the database {{db_name}} as {{owner}} (with CREATEROLE, which a managed server's main
-- user has) or as a superuser, with the services' password in DB_PASSWORD and the connection in
-- PGHOST, PGPORT, PGUSER (or -h, -p, -U):
--   psql -X -d {{db_name}} -v DB_PASSWORD="$DB_PASSWORD" -f roles.sql
-- Running it again updates the limits and the rights. The password is set only on the roles it
-- creates, so the secrets PgBouncer keeps stay valid (change one later with \password, then
-- refresh userlist.txt). CREATE ROLE sends the password to the server, which writes it into its
-- log only under log_statement = ddl or all.
{{#pgbouncer}}
-- Then append the roles' entries to PgBouncer's userlist.txt, as that file says.
{{/pgbouncer}}

\set ON_ERROR_STOP on
\if :{?DB_PASSWORD}
SELECT :'DB_PASSWORD' = '' AS poolcalc_no_password \gset
\else
\set poolcalc_no_password true
\endif
\if :poolcalc_no_password
DO $$ BEGIN RAISE EXCEPTION 'roles.sql needs the services'' password: psql -v DB_PASSWORD="$DB_PASSWORD" -f roles.sql, with DB_PASSWORD set and not empty'; END $$;
\endif

SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', wanted.name, :'DB_PASSWORD')
FROM (VALUES {{names}}) AS wanted(name)
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = wanted.name)
\gexec

{{limits}}

-- The rights, on the tables there are and on those {{owner}} creates later.
GRANT CONNECT ON DATABASE {{db_ident}} TO {{all}};
GRANT USAGE ON SCHEMA {{schema}} TO {{all}};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {{schema}} TO {{all}};
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {{schema}} TO {{all}};
ALTER DEFAULT PRIVILEGES FOR ROLE {{owner}} IN SCHEMA {{schema}} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {{all}};
ALTER DEFAULT PRIVILEGES FOR ROLE {{owner}} IN SCHEMA {{schema}} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {{all}};
{{/roles}}
