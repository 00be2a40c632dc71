//! The timeout ladder: every timer a request meets on its way to the database, in order, and the
//! pairs that must not be inverted. A timer further along the path should give up no later than
//! the one before it, or its error never surfaces and the request waits on a timer nobody sees.

use serde::Serialize;

use super::explain::{source, Derivation, Finding};
use super::inputs::{Inputs, Prisma};
use super::pgbouncer::PgBouncerPlan;
use super::services::ServicePlan;

/// PgBouncer's own `server_connect_timeout`, in seconds (doc/config.md).
pub const SERVER_CONNECT_TIMEOUT_DEFAULT: u32 = 15;
/// Idle client connections are closed after this many seconds: Prisma 6's
/// `max_idle_connection_lifetime` default, which Prisma 7's pool keeps as `idleTimeoutMillis`.
pub const CLIENT_IDLE_SECONDS: u32 = 300;
/// PgBouncer's `server_idle_timeout` default, in seconds.
pub const SERVER_IDLE_TIMEOUT_DEFAULT: u32 = 600;
/// Prisma's interactive-transaction `timeout` default, in milliseconds.
pub const PRISMA_TRANSACTION_TIMEOUT_MS: u32 = 5000;

/// The timers the plan sets or relies on, in seconds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimeoutPlan {
    /// The longest wait for a pooled client connection (pool_timeout; pg connectionTimeoutMillis).
    pub client_pool_wait: u32,
    /// The longest client connect timeout.
    pub client_connect: u32,
    /// PgBouncer: a queued query's wait for a server connection (`query_wait_timeout`).
    pub pgbouncer_query_wait: Option<u32>,
    /// PgBouncer: opening a server connection (`server_connect_timeout`).
    pub pgbouncer_server_connect: Option<u32>,
    /// Idle client connections closed after (Prisma 6 max_idle_connection_lifetime, pg idleTimeoutMillis).
    pub client_idle: u32,
}

/// Prisma 7's one pg timer for a service: it bounds both the pool wait and the connect.
pub fn pg_connection_timeout_ms(svc: &ServicePlan) -> u64 {
    u64::from(svc.pool_timeout.max(svc.connect_timeout)) * 1000
}

/// PgBouncer's `server_connect_timeout`: the clients' own connect budget, never above
/// PgBouncer's default, so that opening a server connection fails before the queued query does.
pub fn server_connect_timeout(services: &[ServicePlan]) -> u32 {
    services
        .iter()
        .map(|s| s.connect_timeout)
        .filter(|&t| t > 0)
        .max()
        .unwrap_or(SERVER_CONNECT_TIMEOUT_DEFAULT)
        .min(SERVER_CONNECT_TIMEOUT_DEFAULT)
}

/// Builds the ladder and checks each pair.
pub fn plan_timeouts(
    inputs: &Inputs,
    services: &[ServicePlan],
    pgbouncer: Option<&PgBouncerPlan>,
    r: &mut super::settings::Resolver,
    findings: &mut Vec<Finding>,
) -> TimeoutPlan {
    let v7 = inputs.prisma == Prisma::V7;
    let client_pool_wait = services.iter().map(|s| s.pool_timeout).max().unwrap_or(0);
    let client_connect = services
        .iter()
        .map(|s| s.connect_timeout)
        .max()
        .unwrap_or(0);
    let mut d = Derivation::new(
        "each timer on a request's path, in order; a later one gives up no later than the one before it",
        source::PGBOUNCER_TIMEOUTS,
    );
    if v7 {
        d = d.step(format!("1. pool wait and 2. connect: pg connectionTimeoutMillis = max(pool_timeout, connect_timeout) = up to {} ms per service (one timer for both; 0 would wait forever)", u64::from(client_pool_wait.max(client_connect)) * 1000));
    } else {
        d = d
            .step(format!("1. pool wait: Prisma pool_timeout up to {client_pool_wait} s (0 waits forever; error P2024)"))
            .step(format!("2. connect: Prisma connect_timeout up to {client_connect} s"));
    }
    let mut pgbouncer_query_wait = None;
    let mut pgbouncer_server_connect = None;
    if let Some(p) = pgbouncer {
        let connect = server_connect_timeout(services);
        pgbouncer_query_wait = Some(p.query_wait_timeout);
        pgbouncer_server_connect = Some(connect);
        d = d
            .step(format!("3. PgBouncer queue: query_wait_timeout = {} s, the longest client pool wait (PgBouncer's 120 s would outlast it)", p.query_wait_timeout))
            .step(format!("4. PgBouncer opening a server connection: server_connect_timeout = {connect} s, within the queue wait"));
        if connect > p.query_wait_timeout {
            findings.push(Finding::warning(
                "timeouts.server_connect_after_wait",
                format!("PgBouncer's server_connect_timeout ({connect} s) is longer than its query_wait_timeout ({} s): a query waiting for a new server connection fails on the queue timer before the connect attempt can report why", p.query_wait_timeout),
                source::PGBOUNCER_TIMEOUTS,
            ));
        }
    }
    d = d
        .step(format!("5. transaction: Prisma's interactive transactions roll back after {PRISMA_TRANSACTION_TIMEOUT_MS} ms by default; PgBouncer's idle_transaction_timeout stays off (0)"))
        .step("6. query: statement_timeout is the server's (off unless set there); Prisma 6's socket_timeout is not set")
        .step(format!("7. idle: client connections close after {CLIENT_IDLE_SECONDS} s idle; PgBouncer's client_idle_timeout stays off (0), so it never closes a connection a client pool still counts on; its server_idle_timeout ({SERVER_IDLE_TIMEOUT_DEFAULT} s) only trims server connections"));
    r.derived("timeouts.ladder", d);
    r.derived(
        "timeouts.client_pool_wait",
        if v7 {
            Derivation::new("max(pool_timeout) over the services, in seconds: pg's connectionTimeoutMillis bounds the wait for a pooled client", source::PG_POOL)
        } else {
            Derivation::new("max(pool_timeout) over the services, in seconds", source::PRISMA_URL_PARAMS)
        },
    );
    r.derived(
        "timeouts.client_connect",
        Derivation::new(
            "max(connect_timeout) over the services, in seconds",
            source::PRISMA_URL_PARAMS,
        ),
    );
    r.derived(
        "timeouts.client_idle",
        Derivation::new(
            "300 s: Prisma 6's max_idle_connection_lifetime, kept as pg's idleTimeoutMillis under Prisma 7",
            source::PRISMA_POOL,
        ),
    );
    if pgbouncer.is_some() {
        r.derived(
            "timeouts.pgbouncer_query_wait",
            Derivation::new(
                "PgBouncer's query_wait_timeout (see pgbouncer.query_wait_timeout)",
                source::PGBOUNCER_TIMEOUTS,
            ),
        );
        r.derived(
            "timeouts.pgbouncer_server_connect",
            Derivation::new(
                "min(max(connect_timeout) over the services, 15): the clients' connect budget, never above PgBouncer's own default",
                source::PGBOUNCER_TIMEOUTS,
            ),
        );
    }

    for s in services {
        let (wait, connect) = (s.pool_timeout, s.connect_timeout);
        if wait == 0 {
            findings.push(
                Finding::warning(
                    "timeouts.wait_forever",
                    format!("{}: pool_timeout 0 makes a request wait forever for a connection{}; a saturated pool then hangs requests instead of failing them", s.name, if v7 && connect == 0 { " (pg connectionTimeoutMillis 0)" } else { "" }),
                    source::PRISMA_URL_PARAMS,
                )
                .pin(format!("{}.pool_timeout", s.name)),
            );
        } else if !v7 && connect > wait {
            findings.push(
                Finding::warning(
                    "timeouts.connect_after_wait",
                    format!("{}: connect_timeout ({connect} s) is longer than pool_timeout ({wait} s): a request waiting for the pool gives up before a new connection can finish opening", s.name),
                    source::PRISMA_URL_PARAMS,
                )
                .pin(format!("{}.connect_timeout", s.name)),
            );
        }
    }
    TimeoutPlan {
        client_pool_wait,
        client_connect,
        pgbouncer_query_wait,
        pgbouncer_server_connect,
        client_idle: CLIENT_IDLE_SECONDS,
    }
}
