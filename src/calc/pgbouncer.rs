//! PgBouncer sizing (rule 4): app pools become client connections; the server side of every
//! PgBouncer instance together stays within the usable slots and near the active target.

use serde::Serialize;

use super::budget::Budget;
use super::explain::{source, Derivation, Finding};
use super::inputs::{Inputs, PgbVersion, Pin, PoolMode};
use super::pins::pinned_u32;
use super::services::ServicePlan;
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

/// Sizes the PgBouncer instances for `client_connections` app-side connections.
pub fn size_pgbouncer(
    inputs: &Inputs,
    pins: &[Pin],
    budget: &Budget,
    services: &[ServicePlan],
    why: &mut Vec<(String, Derivation)>,
    findings: &mut Vec<Finding>,
) -> PgBouncerPlan {
    let p = &inputs.pooler;
    let instances = p.instances.max(1);
    let client_connections: u64 = services.iter().map(|s| s.total).sum();
    let session = p.mode == PoolMode::Session;
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
    let cap = per_instance.max(1);
    let per_target = budget.target_active.div_ceil(instances).max(1);

    // Session mode holds a server connection per client connection: the server side is the
    // clients (already fitted to the usable slots). Transaction mode aims at the active target.
    let clients_per_instance =
        u32::try_from(client_connections.div_ceil(u64::from(instances))).unwrap_or(u32::MAX);
    let computed_dps = if session {
        clients_per_instance.min(cap).max(1)
    } else {
        per_target.min(cap)
    };
    let pin_dps = pinned_u32(pins, "pgbouncer.default_pool_size");
    let default_pool_size = pin_dps.unwrap_or(computed_dps);
    let mut why_dps = if session {
        Derivation::new(
            "session mode: ceil(client_connections / instances), at most floor(usable / instances)",
            source::PGBOUNCER_FEATURES,
        )
        .input("client_connections", client_connections)
        .input("usable", budget.usable)
        .input("instances", instances)
        .step("each client connection keeps its server connection until it disconnects, so the server pool matches the clients")
    } else {
        Derivation::new("min(ceil(target_active / instances), floor(usable / instances))", source::HIKARI_POOL_SIZING)
            .input("target_active", budget.target_active)
            .input("usable", budget.usable)
            .input("instances", instances)
            .step("one (database, user) pool per instance: every service connects as the same user to the same database")
    };
    if let Some(v) = pin_dps {
        why_dps = why_dps.step(format!(
            "pinned to {v} by set=pgbouncer.default_pool_size:{v} (computed: {computed_dps})"
        ));
    } else if !session && per_target > cap {
        why_dps = why_dps.step(format!(
            "clamped from {per_target} to {cap}: the usable slots shared by {instances} instances"
        ));
    }
    why.push(("pgbouncer.default_pool_size".into(), why_dps));

    let pin_rps = pinned_u32(pins, "pgbouncer.reserve_pool_size");
    let room = cap.saturating_sub(default_pool_size);
    let computed_rps = if session {
        0
    } else {
        default_pool_size.div_ceil(5).min(room)
    };
    let reserve_pool_size = pin_rps.unwrap_or(computed_rps);
    let mut why_rps = Derivation::new(
        "min(ceil(default_pool_size / 5), per-instance room left); 0 in session mode",
        source::PGBOUNCER_CONFIG,
    )
    .input("default_pool_size", default_pool_size)
    .input("room", room)
    .step("heuristic: a 20 % burst pool, as in the runbook's 25 + 5, used only after reserve_pool_timeout");
    if let Some(v) = pin_rps {
        why_rps = why_rps.step(format!(
            "pinned to {v} by set=pgbouncer.reserve_pool_size:{v} (computed: {computed_rps})"
        ));
    }
    why.push(("pgbouncer.reserve_pool_size".into(), why_rps));

    let pin_mdc = pinned_u32(pins, "pgbouncer.max_db_connections");
    let computed_mdc = (default_pool_size.saturating_add(reserve_pool_size)).min(cap);
    let max_db_connections = pin_mdc.unwrap_or(computed_mdc);
    let mut why_mdc = Derivation::new("min(default_pool_size + reserve_pool_size, floor(usable / instances))", source::PGBOUNCER_CONFIG)
        .input("default_pool_size", default_pool_size)
        .input("reserve_pool_size", reserve_pool_size)
        .step("a hard cap per instance, so that pools added later (another user or database) cannot overrun the server");
    if let Some(v) = pin_mdc {
        why_mdc = why_mdc.step(format!(
            "pinned to {v} by set=pgbouncer.max_db_connections:{v} (computed: {computed_mdc}){}",
            if v == 0 { "; 0 means no cap" } else { "" }
        ));
    }
    why.push(("pgbouncer.max_db_connections".into(), why_mdc));
    let pools = default_pool_size.saturating_add(reserve_pool_size);
    let server_connections_per_instance = if max_db_connections == 0 {
        pools
    } else {
        pools.min(max_db_connections)
    };
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
            ("pgbouncer.max_db_connections", pin_mdc),
            ("pgbouncer.default_pool_size", pin_dps),
            ("pgbouncer.reserve_pool_size", pin_rps),
        ]
        .iter()
        .find_map(|(path, v)| v.map(|_| *path))
        {
            f = f.pin(path);
        }
        findings.push(f);
    }

    let max_client_conn = size_max_client_conn(pins, client_connections, instances, why, findings);
    let fd_need = u64::from(max_client_conn) + u64::from(pools) + FD_MARGIN;
    why.push((
        "pgbouncer.fd_need".into(),
        Derivation::new(
            "max_client_conn + (default_pool_size + reserve_pool_size) × pools + 10",
            source::PGBOUNCER_FDS,
        )
        .input("max_client_conn", max_client_conn)
        .input("pools", 1)
        .step("PgBouncer only logs its estimate; it does not refuse to start"),
    ));
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

    let query_wait_timeout = query_wait_timeout(services, why);
    let max_prepared_statements = prepared_statements(inputs, pins, findings);
    why.push((
        "pgbouncer.max_prepared_statements".into(),
        Derivation::new("200 (PgBouncer's own default from 1.24) where the version knows the key and the mode needs it", source::PGBOUNCER_PREPARED)
            .input("pgb_version", p.version)
            .input("pool_mode", p.mode)
            .step(match max_prepared_statements {
                Some(v) => format!("set to {v}: protocol-level prepared statements work in {} mode", p.mode),
                None if !p.version.has_prepared_statements() => format!("left out: PgBouncer {} does not know the key (1.21+) and would refuse to start", p.version),
                None => "left out: session mode keeps a server connection per client".to_string(),
            }),
    ));
    mode_findings(
        inputs,
        client_connections,
        server_connections_per_instance,
        instances,
        findings,
    );
    if pools > budget.target_active.saturating_mul(2) && instances == 1 {
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

/// max_client_conn per instance: the fleet's client connections (surge included) spread over
/// the instances, plus 20 % when there are several (a load balancer never spreads evenly), plus a
/// stated margin for reconnect bursts and the admin console.
fn size_max_client_conn(
    pins: &[Pin],
    clients: u64,
    instances: u32,
    why: &mut Vec<(String, Derivation)>,
    findings: &mut Vec<Finding>,
) -> u32 {
    let even = clients.div_ceil(u64::from(instances));
    let peak = if instances > 1 {
        (even * 6).div_ceil(5)
    } else {
        even
    };
    let computed = peak + (peak * CLIENT_BURST_PERCENT).div_ceil(100) + ADMIN_CLIENTS;
    let peak = u32::try_from(peak).unwrap_or(u32::MAX);
    let computed = u32::try_from(computed).unwrap_or(u32::MAX);
    let mut d = Derivation::new(
        "peak + 25 % + 5, where peak = ceil(client_connections / instances) (+20 % when instances > 1)",
        source::PGBOUNCER_CONFIG,
    )
    .input("client_connections", clients)
    .input("instances", instances)
    .step(format!("peak per instance: {peak}"))
    .step("heuristic: 25 % above the peak for reconnect bursts, which also keeps the peak at the client alert's 80 %; 5 for the admin console, the stats user and the exporter");
    let value = match pinned_u32(pins, "pgbouncer.max_client_conn") {
        Some(v) => {
            d = d.step(format!(
                "pinned to {v} by set=pgbouncer.max_client_conn:{v} (computed: {computed})"
            ));
            if v < peak {
                findings.push(
                    Finding::error(
                        "pgbouncer.clients_refused",
                        format!("max_client_conn {v} is below the {peak} client connections the fleet opens per instance at peak; PgBouncer will refuse the rest"),
                        source::PGBOUNCER_CONFIG,
                    )
                    .pin("pgbouncer.max_client_conn"),
                );
            }
            v
        }
        None => computed,
    };
    why.push(("pgbouncer.max_client_conn".into(), d));
    value
}

/// `query_wait_timeout`: how long a query may queue for a server connection. PgBouncer's 120 s
/// outlasts every client wait, so a query queued behind a busy server pool would hang long after
/// its client pool gave up (Prisma 6's `pool_timeout` only covers getting a client connection).
/// The plan sets it to the longest client pool wait.
fn query_wait_timeout(services: &[ServicePlan], why: &mut Vec<(String, Derivation)>) -> u32 {
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
    why.push(("pgbouncer.query_wait_timeout".into(), d));
    value
}

/// `max_prepared_statements`: only PgBouncer 1.21+ knows it (1.18 refuses to start on it).
fn prepared_statements(inputs: &Inputs, pins: &[Pin], findings: &mut Vec<Finding>) -> Option<u32> {
    let v = inputs.pooler.version;
    let pin = pinned_u32(pins, "pgbouncer.max_prepared_statements");
    if !v.has_prepared_statements() {
        if let Some(value) = pin {
            findings.push(
                Finding::error(
                    "pgbouncer.key_unsupported",
                    format!("max_prepared_statements (pinned to {value}) exists only from PgBouncer 1.21; PgBouncer {v} stops at start-up on an unknown parameter, so poolcalc leaves it out"),
                    source::PGBOUNCER_PREPARED,
                )
                .pin("pgbouncer.max_prepared_statements")
                .field("pgb_version"),
            );
        }
        return None;
    }
    if inputs.pooler.mode == PoolMode::Session && pin.is_none() {
        return None;
    }
    // 200 is PgBouncer's own default from 1.24 (0 before, which disables the tracking).
    Some(pin.unwrap_or(200))
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
