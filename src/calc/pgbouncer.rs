//! PgBouncer sizing (rule 4): app pools become client connections; the server side of every
//! PgBouncer instance together stays within the usable slots and near the active target.

use serde::Serialize;

use super::budget::Budget;
use super::explain::{source, Derivation, Finding};
use super::inputs::{Inputs, PgbVersion, PoolMode};
use super::services::ServicePlan;
use super::settings::Resolver;
use super::tls::loopback;

/// Headroom PgBouncer's own fd estimate adds (src/main.c `check_limits`: max_client_conn + 10 + pools).
const FD_MARGIN: u64 = 10;
/// The usual soft `ulimit -n` and the commented `LimitNOFILE=1024` in etc/pgbouncer.service.
const FD_SOFT_LIMIT: u64 = 1024;
/// Heuristic: client slots kept above the fleet's peak for reconnect bursts (a pool that
/// reconnects after a restart or a network blip opens new connections before PgBouncer has
/// noticed the old ones are gone). 25 % also keeps the peak at the 80 % the client alert uses.
const CLIENT_BURST_PERCENT: u64 = 25;
/// Heuristic: client slots for the admin console, the stats user and pgbouncer_exporter.
const ADMIN_CLIENTS: u64 = 5;
/// PgBouncer's own `query_wait_timeout` default, in seconds (doc/config.md).
pub const QUERY_WAIT_TIMEOUT_DEFAULT: u32 = 120;

/// The `[pgbouncer]` settings poolcalc computes, and the figures behind them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PgBouncerPlan {
    #[serde(serialize_with = "super::plan::as_text")]
    pub version: PgbVersion,
    pub pool_mode: PoolMode,
    pub instances: u32,
    pub default_pool_size: u32,
    pub reserve_pool_size: u32,
    /// Seconds before the reserve pool is used (the runbook's 3; PgBouncer's default is 5).
    pub reserve_pool_timeout: u32,
    /// Seconds a client's query may wait for a server connection before PgBouncer fails it: the
    /// clients' own pool wait, so that a query queued here gives up when its client would.
    pub query_wait_timeout: u32,
    pub max_client_conn: u32,
    pub max_db_connections: u32,
    /// Emitted only where the running version knows the key (1.21+), and not in session mode.
    pub max_prepared_statements: Option<u32>,
    /// Startup parameters PgBouncer must ignore instead of refusing the client.
    pub ignore_startup_parameters: Vec<&'static str>,
    /// Client connections the whole fleet opens at peak (Σ connection_limit × peak replicas).
    pub client_connections: u64,
    /// Server connections one instance can open.
    pub server_connections_per_instance: u32,
    /// File descriptors one instance may need: max_client_conn + server pools incl. reserve + margin.
    pub fd_need: u64,
}

/// What every PgBouncer setting is computed from.
struct Sizing {
    instances: u32,
    clients: u64,
    /// Each instance's share of the usable slots (at least 1).
    cap: u32,
    session: bool,
}

/// `default_pool_size`: transaction mode aims at the active target (2 × cores + spindles, HikariCP
/// "About Pool Sizing") shared by the instances; session mode holds a server connection per client
/// connection, so the server pool is the clients (already fitted to the usable slots).
fn default_pool_size(z: &Sizing, budget: &Budget) -> (u32, Derivation) {
    let per_target = budget.target_active.div_ceil(z.instances).max(1);
    if z.session {
        let per_instance =
            u32::try_from(z.clients.div_ceil(u64::from(z.instances))).unwrap_or(u32::MAX);
        let value = per_instance.min(z.cap).max(1);
        let d = Derivation::new(
            "session mode: ceil(client_connections / instances), at most floor(usable / instances)",
            source::PGBOUNCER_FEATURES,
        )
        .input("client_connections", z.clients)
        .input("usable", budget.usable)
        .input("instances", z.instances)
        .step("each client connection keeps its server connection until it disconnects, so the server pool matches the clients");
        return (value, d);
    }
    let value = per_target.min(z.cap);
    let mut d = Derivation::new(
        "min(ceil(target_active / instances), floor(usable / instances))",
        source::HIKARI_POOL_SIZING,
    )
    .input("target_active", budget.target_active)
    .input("usable", budget.usable)
    .input("instances", z.instances)
    .step("one (database, user) pool per instance: every service connects as the same user to the same database");
    if per_target > z.cap {
        d = d.step(format!(
            "clamped from {per_target} to {}: the usable slots shared by {} instances",
            z.cap, z.instances
        ));
    }
    (value, d)
}

/// `reserve_pool_size`: a burst pool of a fifth of the default pool, within the instance's room.
fn reserve_pool_size(z: &Sizing, default_pool_size: u32) -> (u32, Derivation) {
    let room = z.cap.saturating_sub(default_pool_size);
    let value = if z.session {
        0
    } else {
        default_pool_size.div_ceil(5).min(room)
    };
    let d = Derivation::new(
        "min(ceil(default_pool_size / 5), per-instance room left); 0 in session mode",
        source::PGBOUNCER_CONFIG,
    )
    .input("default_pool_size", default_pool_size)
    .input("room", room)
    .heuristic("a 20 % burst pool, the runbook's own 25 + 5, used only after reserve_pool_timeout; session mode has no use for one (each client already holds its connection)");
    (value, d)
}

/// `max_db_connections`: a hard cap per instance, so that pools added later cannot overrun the server.
fn max_db_connections(z: &Sizing, default_pool_size: u32, reserve: u32) -> (u32, Derivation) {
    let value = default_pool_size.saturating_add(reserve).min(z.cap);
    let d = Derivation::new(
        "min(default_pool_size + reserve_pool_size, floor(usable / instances))",
        source::PGBOUNCER_CONFIG,
    )
    .input("default_pool_size", default_pool_size)
    .input("reserve_pool_size", reserve)
    .step("a hard cap per instance, so that pools added later (another user or database) cannot overrun the server; 0 would mean no cap");
    (value, d)
}

/// `max_client_conn` per instance: the fleet's client connections (surge included) spread over the
/// instances, plus 20 % when there are several (a load balancer never spreads evenly), plus a
/// stated margin for reconnect bursts and the admin console. Returns the peak too.
fn max_client_conn(z: &Sizing) -> (u32, u32, Derivation) {
    let even = z.clients.div_ceil(u64::from(z.instances));
    let peak = if z.instances > 1 {
        (even * 6).div_ceil(5)
    } else {
        even
    };
    let value = peak + (peak * CLIENT_BURST_PERCENT).div_ceil(100) + ADMIN_CLIENTS;
    let peak = u32::try_from(peak).unwrap_or(u32::MAX);
    let d = Derivation::new(
        "peak + 25 % + 5, where peak = ceil(client_connections / instances) (+20 % when instances > 1)",
        source::PGBOUNCER_CONFIG,
    )
    .input("client_connections", z.clients)
    .input("instances", z.instances)
    .step(format!("peak per instance: {peak}"))
    .heuristic("20 % for uneven spreading over several instances; 25 % above the peak for reconnect bursts, which also keeps the peak at the client alert's 80 %; 5 for the admin console, the stats user and the exporter");
    (u32::try_from(value).unwrap_or(u32::MAX), peak, d)
}

/// `max_prepared_statements`: PgBouncer's own default from 1.24 (200) where the version knows the
/// key (1.21+; 1.18 refuses to start on it) and the mode needs it (not session mode).
fn max_prepared_statements(inputs: &Inputs) -> (Option<u32>, Derivation) {
    let p = &inputs.pooler;
    let value = (p.version.has_prepared_statements() && p.mode != PoolMode::Session).then_some(200);
    let d = Derivation::new(
        "200 (PgBouncer's own default from 1.24) where the version knows the key and the mode needs it",
        if p.version.has_prepared_statements() {
            source::PGBOUNCER_PREPARED
        } else {
            source::PGBOUNCER_NEWS
        },
    )
        .input("pgb_version", p.version)
        .input("pool_mode", p.mode)
        .step(match value {
            Some(v) => format!("{v}: protocol-level prepared statements work in {} mode", p.mode),
            None if !p.version.has_prepared_statements() => format!("left out: PgBouncer {} does not know the key (1.21+) and would refuse to start", p.version),
            None => "left out: session mode keeps a server connection per client".to_string(),
        });
    (value, d)
}

/// Sizes the PgBouncer instances for the fleet's app-side (client) connections.
pub fn size_pgbouncer(
    inputs: &Inputs,
    budget: &Budget,
    services: &[ServicePlan],
    r: &mut Resolver,
    findings: &mut Vec<Finding>,
) -> PgBouncerPlan {
    let p = &inputs.pooler;
    let instances = p.instances.max(1);
    let client_connections: u64 = services.iter().map(|s| s.total).sum();
    if instances > 1 && loopback(&p.host) {
        findings.push(
            Finding::warning(
                "pgbouncer.sidecar",
                format!("{instances} PgBouncer instances reached at {} are sidecars, one per app host: each serves only the replicas on its own host (not 1/{instances} of the fleet), and the hosts' count, not pgb_instances, multiplies the server pools. Set pgb_instances to the number of app hosts, or run central instances behind an address the apps share", p.host),
                source::PGBOUNCER_CONFIG,
            )
            .field("pgb_instances"),
        );
    }
    // Every instance opens its own server pool: they share the usable slots equally.
    let per_instance = budget.usable / instances;
    if per_instance == 0 {
        findings.push(
            Finding::error(
                "pgbouncer.too_many_instances",
                format!(
                    "{instances} PgBouncer instances cannot each get a server connection from {} usable slots; run fewer instances or raise max_connections",
                    budget.usable
                ),
                source::PGBOUNCER_CONFIG,
            )
            .field("pgb_instances"),
        );
    }
    let z = Sizing {
        instances,
        clients: client_connections,
        cap: per_instance.max(1),
        session: p.mode == PoolMode::Session,
    };

    let (v, d) = default_pool_size(&z, budget);
    let default_pool_size = r.settle_u32("pgbouncer.default_pool_size", v, d);
    let (v, d) = reserve_pool_size(&z, default_pool_size);
    let reserve_pool_size = r.settle_u32("pgbouncer.reserve_pool_size", v, d);
    let (v, d) = max_db_connections(&z, default_pool_size, reserve_pool_size);
    let max_db_connections = r.settle_u32("pgbouncer.max_db_connections", v, d);

    let pools = default_pool_size.saturating_add(reserve_pool_size);
    let server_connections_per_instance = if max_db_connections == 0 {
        pools
    } else {
        pools.min(max_db_connections)
    };
    r.derived(
        "pgbouncer.server_connections_per_instance",
        Derivation::new(
            "min(default_pool_size + reserve_pool_size, max_db_connections (0: no cap))",
            source::PGBOUNCER_CONFIG,
        )
        .input("default_pool_size", default_pool_size)
        .input("reserve_pool_size", reserve_pool_size)
        .input("max_db_connections", max_db_connections),
    );
    if u64::from(server_connections_per_instance) * u64::from(instances) > u64::from(budget.usable)
    {
        let fix = if per_instance == 0 {
            "run fewer instances or raise max_connections".to_string()
        } else {
            format!("lower default_pool_size/reserve_pool_size or cap max_db_connections at {per_instance} (0 would mean no cap)")
        };
        let mut f = Finding::error(
            "pgbouncer.over_budget",
            format!(
                "{instances} PgBouncer instance(s) × {server_connections_per_instance} server connections exceed the {} usable slots; {fix}",
                budget.usable
            ),
            source::PGBOUNCER_CONFIG,
        )
        .field("pgb_instances");
        if let Some(path) = [
            "pgbouncer.max_db_connections",
            "pgbouncer.default_pool_size",
            "pgbouncer.reserve_pool_size",
        ]
        .into_iter()
        .find(|path| r.pinned(path).is_some())
        {
            f = f.pin(path);
        }
        findings.push(f);
    }

    let (v, peak, d) = max_client_conn(&z);
    let max_client_conn = r.settle_u32("pgbouncer.max_client_conn", v, d);
    if max_client_conn < peak {
        findings.push(
            Finding::error(
                "pgbouncer.clients_refused",
                format!("max_client_conn {max_client_conn} is below the {peak} client connections the fleet opens per instance at peak; PgBouncer will refuse the rest"),
                source::PGBOUNCER_CONFIG,
            )
            .pin("pgbouncer.max_client_conn"),
        );
    }
    r.derived(
        "pgbouncer.client_connections",
        Derivation::new(
            "Σ connection_limit × peak_replicas",
            source::PGBOUNCER_CONFIG,
        )
        .input("services", services.len())
        .step("the app pools are PgBouncer's clients"),
    );
    let fd_need = u64::from(max_client_conn) + u64::from(pools) + FD_MARGIN;
    r.derived(
        "pgbouncer.fd_need",
        Derivation::new(
            "max_client_conn + (default_pool_size + reserve_pool_size) × pools + 10",
            source::PGBOUNCER_FDS,
        )
        .input("max_client_conn", max_client_conn)
        .input("pools", 1)
        .step("PgBouncer only logs its estimate; it does not refuse to start"),
    );
    if fd_need > FD_SOFT_LIMIT {
        findings.push(Finding::warning(
            "pgbouncer.nofile",
            format!(
                "Each PgBouncer may need {fd_need} file descriptors, above the usual limit of {FD_SOFT_LIMIT}: set LimitNOFILE={} (systemd) or ulimit -n before starting it, or it will fail to accept clients under load",
                fd_need.next_multiple_of(1024)
            ),
            source::PGBOUNCER_FDS,
        ));
    }

    let query_wait_timeout = query_wait_timeout(services, r);
    r.derived(
        "pgbouncer.reserve_pool_timeout",
        Derivation::new(
            "3 s: the runbook's (PgBouncer's own default is 5)",
            source::PGBOUNCER_CONFIG,
        )
        .heuristic("the runbook's value, kept: a burst waits 3 s for a regular server connection before the reserve pool opens one"),
    );
    let max_prepared_statements = prepared_statements(inputs, r, findings);
    mode_findings(
        inputs,
        client_connections,
        server_connections_per_instance,
        instances,
        findings,
    );
    if !z.session && pools > budget.target_active.saturating_mul(2) && instances == 1 {
        findings.push(Finding::info(
            "pgbouncer.above_target",
            format!(
                "The server pool ({pools}) is well above the {} active connections the database serves well (2 × cores + spindles); a smaller pool usually gives better latency",
                budget.target_active
            ),
            source::HIKARI_POOL_SIZING,
        ));
    }

    PgBouncerPlan {
        version: p.version,
        pool_mode: p.mode,
        instances,
        default_pool_size,
        reserve_pool_size,
        reserve_pool_timeout: 3,
        query_wait_timeout,
        max_client_conn,
        max_db_connections,
        max_prepared_statements,
        ignore_startup_parameters: Vec::new(),
        client_connections,
        server_connections_per_instance,
        fd_need,
    }
}

/// `query_wait_timeout`: how long a query may queue for a server connection. PgBouncer's 120 s
/// outlasts every client wait, so a query queued behind a busy server pool would hang long after
/// its client pool gave up (Prisma 6's `pool_timeout` only covers getting a client connection).
/// The plan sets it to the longest client pool wait.
fn query_wait_timeout(services: &[ServicePlan], r: &mut Resolver) -> u32 {
    let waits: Vec<u32> = services
        .iter()
        .map(|s| s.pool_timeout)
        .filter(|&t| t > 0)
        .collect();
    let value = waits
        .iter()
        .copied()
        .max()
        .unwrap_or(QUERY_WAIT_TIMEOUT_DEFAULT);
    let mut d = Derivation::new(
        "max(pool_timeout of every service), in seconds",
        source::PGBOUNCER_TIMEOUTS,
    )
    .input("pool_timeout", format!("{waits:?}"))
    .step("PgBouncer's default, 120 s, would keep a queued query waiting long after its client's own wait ended");
    if waits.is_empty() {
        d = d.step(
            "no service has a pool wait (pool_timeout 0 waits forever): PgBouncer's 120 s kept",
        );
    }
    r.derived("pgbouncer.query_wait_timeout", d);
    value
}

/// `max_prepared_statements`, settled: a pin on a version without the key is left out with an error.
fn prepared_statements(
    inputs: &Inputs,
    r: &mut Resolver,
    findings: &mut Vec<Finding>,
) -> Option<u32> {
    let v = inputs.pooler.version;
    let (computed, d) = max_prepared_statements(inputs);
    let path = "pgbouncer.max_prepared_statements";
    let pin = r.pinned(path);
    if !v.has_prepared_statements() {
        if let Some(value) = pin {
            findings.push(
                Finding::error(
                    "pgbouncer.key_unsupported",
                    format!("max_prepared_statements (pinned to {value}) exists only from PgBouncer 1.21; PgBouncer {v} stops at start-up on an unknown parameter, so poolcalc leaves it out"),
                    source::PGBOUNCER_PREPARED,
                )
                .pin(path)
                .field("pgb_version"),
            );
        }
        r.derived(
            path,
            d.step(match pin {
                Some(value) => {
                    format!("the pin ({value}) is not written: PgBouncer {v} does not know the key")
                }
                None => "not written".to_string(),
            }),
        );
        return None;
    }
    match computed {
        Some(c) => Some(r.settle_u32(path, c, d)),
        // Session mode leaves it out unless it is pinned.
        None if pin.is_some() => Some(r.settle_u32(path, 0, d)),
        None => {
            r.derived(path, d);
            None
        }
    }
}

/// What the pool mode means for Prisma's pools.
fn mode_findings(
    inputs: &Inputs,
    clients: u64,
    per_instance: u32,
    instances: u32,
    findings: &mut Vec<Finding>,
) {
    let server = u64::from(per_instance) * u64::from(instances);
    match inputs.pooler.mode {
        PoolMode::Statement => findings.push(
            Finding::error(
                "pgbouncer.statement_mode",
                "pool_mode = statement forbids multi-statement transactions, which Prisma uses ($transaction, nested writes); use transaction mode",
                source::PGBOUNCER_FEATURES,
            )
            .field("pgb_mode"),
        ),
        PoolMode::Session if clients > server => findings.push(
            Finding::error(
                "pgbouncer.session_mode",
                format!("In session mode each client connection holds a server connection until it disconnects, and app pools keep theirs open: the fleet's {clients} client connections would share {server} server connections, so the rest wait for query_wait_timeout and fail. Lower the pins, or use transaction mode"),
                source::PGBOUNCER_FEATURES,
            )
            .field("pgb_mode"),
        ),
        _ => {}
    }
}
