//! The plan: every number for the fleet, its derivation, and the findings, computed once.

use serde::{Serialize, Serializer};

use super::alerts::{plan_alerts, AlertPlan};
use super::budget::{budget, Budget};
use super::endpoints::{plan_endpoints, Endpoints};
use super::explain::{source, Derivation, Finding, Severity};
use super::inputs::{Inputs, PoolMode, Pooler, Preset, Provider};
use super::kafka::{plan_kafka, KafkaPlan};
use super::pgbouncer::{size_pgbouncer, PgBouncerPlan};
use super::pins::effective_pins;
use super::presets::{runbook_written, supabase_row, RUNBOOK_CORE_TABLE};
use super::prisma::{plan_prisma, PrismaPlan};
use super::redis::{plan_redis, RedisPlan};
use super::review::review;
use super::roles::{plan_roles, RolesPlan};
use super::services::{max_fit, serverless_findings, size_services, ServicePlan};
use super::settings::Resolver;
use super::timeouts::{plan_timeouts, TimeoutPlan};
use super::tls::{plan_tls, TlsPlan};

pub use super::rules::RULES_VERSION;

/// Supavisor (Supabase's pooler): the pool size to set in the dashboard and its client limit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SupavisorPlan {
    /// Session mode (port 5432) or transaction mode (port 6543).
    pub mode: PoolMode,
    pub pool_size: u32,
    pub client_connections: u64,
    /// The tier's "pooler max clients", when the database is on Supabase.
    pub max_clients: Option<u32>,
}

/// Everything poolcalc computes for one set of inputs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    pub rules_version: u32,
    pub budget: Budget,
    pub services: Vec<ServicePlan>,
    /// Where the direct and the pooled URLs point.
    pub endpoints: Endpoints,
    /// TLS on each hop.
    pub tls: TlsPlan,
    pub pgbouncer: Option<PgBouncerPlan>,
    pub supavisor: Option<SupavisorPlan>,
    /// A role per service (`db_roles=per-service`), with its caps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles: Option<RolesPlan>,
    pub prisma: PrismaPlan,
    pub redis: Option<RedisPlan>,
    pub kafka: Option<KafkaPlan>,
    pub alerts: AlertPlan,
    /// Every timer on a request's path.
    pub timeouts: TimeoutPlan,
    /// Why each number is what it is, keyed by the same path a pin uses.
    #[serde(serialize_with = "as_map")]
    pub derivations: Vec<(String, Derivation)>,
    /// Errors first, then warnings, then info.
    pub findings: Vec<Finding>,
}

impl Plan {
    /// True when the plan carries an error-level finding (the CLI exits 3).
    pub fn has_error(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// The derivation recorded for a path such as `wallet-service.connection_limit`.
    pub fn why(&self, path: &str) -> Option<&Derivation> {
        self.derivations
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, d)| d)
    }
}

/// Computes the plan. Never panics; any input gives either a plan within its budget or an
/// error finding that says what would fit.
pub fn plan(inputs: &Inputs) -> Plan {
    let mut why = Vec::new();
    let mut findings = Vec::new();
    let pins = effective_pins(inputs);
    let r = &mut Resolver::new(&pins, &mut why);
    let mut budget = budget(inputs, r, &mut findings);
    let endpoints = plan_endpoints(inputs, r, &mut findings);
    let tls = plan_tls(inputs, &endpoints, r, &mut findings);

    // Every app connection is a server connection without a pooler, and with a pooler in
    // session mode: then the app pools must fit the usable slots themselves.
    let one_to_one =
        inputs.pooler.kind == Pooler::None || endpoints.pooled_mode == Some(PoolMode::Session);
    let mut services = size_services(inputs, one_to_one.then_some(&budget), r, &mut findings);
    let client_connections: u64 = services.iter().map(|s| s.total).sum();

    let mut pgbouncer = None;
    let mut supavisor = None;
    budget.fleet_total = match inputs.pooler.kind {
        Pooler::None => u32::try_from(client_connections).unwrap_or(u32::MAX),
        Pooler::PgBouncer => {
            let p = size_pgbouncer(inputs, &budget, &services, r, &mut findings);
            let total = p
                .server_connections_per_instance
                .saturating_mul(p.instances);
            pgbouncer = Some(p);
            total
        }
        Pooler::Supavisor => {
            let mode = endpoints.pooled_mode.unwrap_or(PoolMode::Transaction);
            let s = plan_supavisor(inputs, mode, &budget, client_connections, r, &mut findings);
            let total = s.pool_size;
            supavisor = Some(s);
            total
        }
    };
    r.derived(
        "budget.fleet_total",
        fleet_total_why(inputs, &budget, client_connections),
    );
    // What the services' connections must fit in, for each one's largest autoscaler maximum.
    let capacity = match (&pgbouncer, &supavisor) {
        _ if one_to_one => Some((u64::from(budget.usable), "usable slots")),
        (Some(p), _) => Some((
            u64::from(p.max_client_conn) * u64::from(p.instances),
            "PgBouncer's max_client_conn × instances",
        )),
        (_, Some(s)) => s
            .max_clients
            .map(|m| (u64::from(m), "Supavisor's client limit")),
        _ => None,
    };
    max_fit(&mut services, capacity, inputs.surge, r, &mut findings);
    serverless_findings(&services, inputs.pooler.kind, &mut findings);
    let roles = plan_roles(
        inputs,
        &endpoints.direct.user,
        &services,
        pgbouncer.as_ref(),
        r,
        &mut findings,
    );
    if inputs.pooler.kind == Pooler::None
        && budget.fleet_total > budget.target_active.saturating_mul(2)
    {
        findings.push(Finding::info(
            "budget.above_target",
            format!(
                "Without a pooler the fleet can hold {} connections open, but the database serves about {} active ones well; a pooler (pooler=pgbouncer) keeps the server side near that target",
                budget.fleet_total, budget.target_active
            ),
            source::HIKARI_POOL_SIZING,
        ).field("pooler"));
    }
    let prisma = plan_prisma(inputs, &endpoints, pgbouncer.as_mut(), r, &mut findings);
    let redis = plan_redis(inputs, &services, r, &mut findings);
    let kafka = plan_kafka(inputs, r, &mut findings);
    let timeouts = plan_timeouts(inputs, &services, pgbouncer.as_ref(), r, &mut findings);
    let alerts = plan_alerts(
        &budget,
        pgbouncer.as_ref(),
        redis.as_ref(),
        kafka.is_some(),
        r,
        &mut findings,
    );
    runbook_findings(inputs, &budget, &mut findings);
    super::sort_stable_by_key(&mut findings, |f| f.severity);

    Plan {
        rules_version: RULES_VERSION,
        budget,
        services,
        endpoints,
        tls,
        pgbouncer,
        supavisor,
        roles,
        prisma,
        redis,
        kafka,
        alerts,
        timeouts,
        derivations: why,
        findings,
    }
}

/// Why the fleet can open as many server connections as it can, for the topology in use.
fn fleet_total_why(inputs: &Inputs, budget: &Budget, clients: u64) -> Derivation {
    let d = match inputs.pooler.kind {
        Pooler::None => Derivation::new("Σ connection_limit × peak_replicas (no pooler: every app connection is a server connection)", source::PRISMA_POOL)
            .input("services", inputs.services.len()),
        Pooler::PgBouncer => Derivation::new("instances × min(default_pool_size + reserve_pool_size, max_db_connections)", source::PGBOUNCER_CONFIG)
            .input("instances", inputs.pooler.instances)
            .step(format!("the fleet's {clients} client connections share these server connections")),
        Pooler::Supavisor => Derivation::new("Supavisor pool size: min(target_active, usable) in transaction mode; the clients in session mode", source::SUPABASE_COMPUTE)
            .input("target_active", budget.target_active)
            .input("usable", budget.usable)
            .input("client_connections", clients)
            .step("set this pool size in Supabase's dashboard; the pool is shared by the session and transaction ports"),
    };
    d.step(format!(
        "{} ≤ {} usable: {}",
        budget.fleet_total,
        budget.usable,
        if budget.fits() {
            "fits"
        } else {
            "does not fit"
        }
    ))
}

/// Supavisor's pool is set in Supabase's dashboard. Transaction mode (port 6543): aim at the
/// active target within the usable slots. Session mode (port 5432): one server connection per
/// client, so the pool is the clients (already fitted to the usable slots).
fn plan_supavisor(
    inputs: &Inputs,
    mode: PoolMode,
    budget: &Budget,
    clients: u64,
    r: &mut Resolver,
    findings: &mut Vec<Finding>,
) -> SupavisorPlan {
    let max_clients = (inputs.db.provider == Provider::Supabase)
        .then(|| supabase_row(inputs.db.supabase_tier).pooler_max_clients);
    if let Some(max) = max_clients.filter(|&m| clients > u64::from(m)) {
        findings.push(
            Finding::error(
                "supavisor.over_max_clients",
                format!("The fleet opens {clients} client connections at peak, above the {max} Supavisor clients of the {} tier: pick a larger tier or smaller app pools", inputs.db.supabase_tier),
                source::SUPABASE_COMPUTE,
            )
            .field("supabase_tier"),
        );
    }
    let pool_size = if mode == PoolMode::Session {
        u32::try_from(clients)
            .unwrap_or(u32::MAX)
            .min(budget.usable)
    } else {
        budget.target_active.min(budget.usable)
    };
    if mode == PoolMode::Session && clients > u64::from(pool_size) {
        findings.push(
            Finding::error(
                "supavisor.session_over_pool",
                format!("Supavisor in session mode gives each client connection its own server connection: the fleet's {clients} client connections exceed the {pool_size} the pool can hold, so the rest are refused. Use the transaction port (6543), or smaller pools"),
                source::SUPABASE_CONNECT,
            )
            .field("pgb_mode"),
        );
    }
    r.derived(
        "supavisor.pool_size",
        Derivation::new(
            "min(target_active, usable) in transaction mode; the clients in session mode",
            source::SUPABASE_COMPUTE,
        )
        .input("mode", mode)
        .input("target_active", budget.target_active)
        .input("usable", budget.usable)
        .input("client_connections", clients)
        .step("set it in Supabase's dashboard; the session and transaction ports share it"),
    );
    r.derived(
        "supavisor.client_connections",
        Derivation::new(
            "Σ connection_limit × peak_replicas",
            source::SUPABASE_COMPUTE,
        ),
    );
    if max_clients.is_some() {
        r.derived(
            "supavisor.max_clients",
            Derivation::new(
                "the tier's pooler max clients (Supabase compute table)",
                source::SUPABASE_COMPUTE,
            )
            .input("supabase_tier", inputs.db.supabase_tier),
        );
    }
    SupavisorPlan {
        mode,
        pool_size,
        client_connections: clients,
        max_clients,
    }
}

/// The runbook's mistakes, when its preset is loaded: what its text states, reviewed by the same
/// rules as any configuration (review.rs), and the two that are about its prose (the core table,
/// the per-service limits). Its numbers are pins and inputs, judged by the plan's own rules.
fn runbook_findings(inputs: &Inputs, budget: &Budget, findings: &mut Vec<Finding>) {
    if inputs.preset != Some(Preset::Runbook) {
        return;
    }
    let table: Vec<String> = RUNBOOK_CORE_TABLE
        .iter()
        .map(|&(c, n)| format!("{c} cores → {n} (formula: {})", 2 * c))
        .collect();
    findings.push(Finding::warning(
        "runbook.core_table",
        format!(
            "The runbook's core table contradicts its own formula 2 × cores + spindles: {}. The formula counts the database server's cores for the whole server; this server's target is {}",
            table.join(", "),
            budget.target_active
        ),
        source::HIKARI_POOL_SIZING,
    ));
    findings.push(Finding::warning(
        "runbook.per_service_limits",
        "The runbook gives connection_limit per service (20/15/10/10) but never multiplies it by replicas and deploy surge: the database (or, behind PgBouncer, max_client_conn) sees Σ connection_limit × peak replicas",
        source::PRISMA_POOL,
    ).field("pooler"));
    review(&runbook_written(), inputs, findings);
}

/// Serialises enums that have a text form (versions) as that text.
pub fn as_text<T: std::fmt::Display, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

fn as_map<S: Serializer>(items: &[(String, Derivation)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(items.iter().map(|(k, v)| (k, v)))
}
