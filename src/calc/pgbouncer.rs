//! PgBouncer sizing (rule 4): app pools become client connections; the server side of every
//! PgBouncer instance together stays within the usable slots and near the active target.

use serde::Serialize;

use super::budget::Budget;
use super::explain::{source, Derivation, Finding};
use super::inputs::{Inputs, PgbVersion, Pin, PoolMode};
use super::pins::pinned_u32;

/// Headroom PgBouncer's own fd estimate adds (src/main.c `check_limits`: max_client_conn + 10 + pools).
const FD_MARGIN: u64 = 10;
/// The usual soft `ulimit -n` and the commented `LimitNOFILE=1024` in etc/pgbouncer.service.
const FD_SOFT_LIMIT: u64 = 1024;

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
    client_connections: u64,
    why: &mut Vec<(String, Derivation)>,
    findings: &mut Vec<Finding>,
) -> PgBouncerPlan {
    let p = &inputs.pooler;
    let instances = p.instances.max(1);
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

    let pin_dps = pinned_u32(pins, "pgbouncer.default_pool_size");
    let default_pool_size = pin_dps.unwrap_or(per_target.min(cap));
    let mut why_dps = Derivation::new("min(ceil(target_active / instances), floor(usable / instances))", source::HIKARI_POOL_SIZING)
        .input("target_active", budget.target_active)
        .input("usable", budget.usable)
        .input("instances", instances)
        .step("one (database, user) pool per instance: every service connects as the same user to the same database");
    if let Some(v) = pin_dps {
        why_dps = why_dps.step(format!(
            "pinned to {v} by set=pgbouncer.default_pool_size:{v}"
        ));
    } else if per_target > cap {
        why_dps = why_dps.step(format!(
            "clamped from {per_target} to {cap}: the usable slots shared by {instances} instances"
        ));
    }
    why.push(("pgbouncer.default_pool_size".into(), why_dps));

    let pin_rps = pinned_u32(pins, "pgbouncer.reserve_pool_size");
    let room = cap.saturating_sub(default_pool_size);
    let reserve_pool_size = pin_rps.unwrap_or(default_pool_size.div_ceil(5).min(room));
    why.push((
        "pgbouncer.reserve_pool_size".into(),
        Derivation::new(
            "min(ceil(default_pool_size / 5), per-instance room left)",
            source::PGBOUNCER_CONFIG,
        )
        .input("default_pool_size", default_pool_size)
        .input("room", room)
        .step(
            "a 20 % burst pool, as in the runbook's 25 + 5, used only after reserve_pool_timeout",
        ),
    ));

    let pin_mdc = pinned_u32(pins, "pgbouncer.max_db_connections");
    let max_db_connections =
        pin_mdc.unwrap_or((default_pool_size.saturating_add(reserve_pool_size)).min(cap));
    why.push((
        "pgbouncer.max_db_connections".into(),
        Derivation::new("min(default_pool_size + reserve_pool_size, floor(usable / instances))", source::PGBOUNCER_CONFIG)
            .input("default_pool_size", default_pool_size)
            .input("reserve_pool_size", reserve_pool_size)
            .step("a hard cap per instance, so that pools added later (another user or database) cannot overrun the server"),
    ));
    let pools = default_pool_size.saturating_add(reserve_pool_size);
    let server_connections_per_instance = if max_db_connections == 0 {
        pools
    } else {
        pools.min(max_db_connections)
    };
    if u64::from(server_connections_per_instance) * u64::from(instances) > u64::from(budget.usable)
    {
        let mut f = Finding::error(
            "pgbouncer.over_budget",
            format!(
                "{instances} PgBouncer instance(s) × {server_connections_per_instance} server connections exceed the {} usable slots; lower default_pool_size/reserve_pool_size or set max_db_connections to at most {per_instance}",
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
/// the instances, plus 20 % when there are several, since a load balancer never spreads evenly.
fn size_max_client_conn(
    pins: &[Pin],
    clients: u64,
    instances: u32,
    why: &mut Vec<(String, Derivation)>,
    findings: &mut Vec<Finding>,
) -> u32 {
    let even = clients.div_ceil(u64::from(instances));
    let need = if instances > 1 {
        (even * 6).div_ceil(5)
    } else {
        even
    }
    .max(1);
    let need = u32::try_from(need).unwrap_or(u32::MAX);
    let mut d = Derivation::new(
        "ceil(client_connections / instances) (+20 % when instances > 1)",
        source::PGBOUNCER_CONFIG,
    )
    .input("client_connections", clients)
    .input("instances", instances);
    let value = match pinned_u32(pins, "pgbouncer.max_client_conn") {
        Some(v) => {
            d = d.step(format!(
                "pinned to {v} by set=pgbouncer.max_client_conn:{v}"
            ));
            if v < need {
                findings.push(
                    Finding::error(
                        "pgbouncer.clients_refused",
                        format!("max_client_conn {v} is below the {need} client connections the fleet opens per instance at peak; PgBouncer will refuse the rest"),
                        source::PGBOUNCER_CONFIG,
                    )
                    .pin("pgbouncer.max_client_conn"),
                );
            }
            v
        }
        None => need,
    };
    why.push(("pgbouncer.max_client_conn".into(), d));
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
            Finding::warning(
                "pgbouncer.session_mode",
                format!("In session mode each client connection holds a server connection until it disconnects: the fleet's {clients} pooled client connections share {server} server connections, so the rest wait. Use transaction mode, or shrink the app pools"),
                source::PGBOUNCER_FEATURES,
            )
            .field("pgb_mode"),
        ),
        _ => {}
    }
}
