//! Per-service app pools (rule 3): Prisma's `connection_limit`, `pool_timeout`, `connect_timeout`.

use serde::Serialize;

use super::budget::Budget;
use super::explain::{source, Derivation, Finding};
use super::inputs::{Inputs, Pooler, Surge, Workload};
use super::presets::{env_row, workload_weight};
use super::settings::Resolver;

/// One service's pool, per process, and what it adds up to across the fleet.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServicePlan {
    pub name: String,
    /// The fixed count, or the autoscaler's minimum; serverless: the concurrency limit.
    pub replicas: u32,
    /// The autoscaler's maximum (the replicas when fixed): the budget is planned at it.
    pub max_replicas: u32,
    /// Replicas running at once at the maximum during a deploy (surge included); serverless:
    /// the concurrency limit.
    pub peak_replicas: u32,
    /// Processes per replica, each with its own pool.
    pub processes: u32,
    pub serverless: bool,
    pub workload: Workload,
    /// The pool of one process.
    pub connection_limit: u32,
    pub pool_timeout: u32,
    pub connect_timeout: u32,
    /// connection_limit × processes × peak_replicas: the worst case.
    pub total: u64,
    /// connection_limit × processes × replicas: a typical day (the minimum, no deploy).
    pub typical_total: u64,
    /// The largest maxReplicas that still fits with every other service at its maximum (set by
    /// `max_fit`): the number to write into the autoscaler.
    pub max_fit_replicas: u32,
}

/// Replicas alive at once during a deploy. Rolling: Kubernetes' default maxSurge 25 %, rounded up;
/// blue/green runs both colours.
pub fn peak_replicas(replicas: u32, surge: Surge) -> u32 {
    match surge {
        Surge::None => replicas,
        Surge::Rolling => replicas.saturating_add(replicas.div_ceil(4)),
        Surge::BlueGreen => replicas.saturating_mul(2),
    }
}

/// The starting pool per replica: the environment row weighted by workload, rounded, at least 1.
fn starting_limit(inputs: &Inputs, workload: Workload) -> (u32, Derivation) {
    let row = env_row(inputs.env);
    let (num, den) = workload_weight(workload);
    let start = ((row.connection_limit * num + den / 2) / den).max(1);
    let why = Derivation::new(
        "env_row.connection_limit × workload_weight",
        source::RUNBOOK,
    )
    .input("env", inputs.env)
    .input("env_row.connection_limit", row.connection_limit)
    .input("workload", workload)
    .input("workload_weight", format!("{num}/{den}"))
    .step(format!("start at {start} per replica"))
    .heuristic("the runbook's per-environment pool sizes, weighted by workload (its own 20/15/10): a starting point to adjust with measurements, not a limit the database dictates");
    (start, why)
}

/// Sizes every service's pool. When every app connection is a server connection (no pooler, or a
/// pooler in session mode) the fleet must fit the usable slots, so the unpinned pools are scaled
/// down (never below 1) until Σ limit × peak_replicas ≤ usable. Behind a transaction-mode pooler
/// the pools are client connections and keep their starting size.
pub fn size_services(
    inputs: &Inputs,
    direct: Option<&Budget>,
    r: &mut Resolver,
    findings: &mut Vec<Finding>,
) -> Vec<ServicePlan> {
    let row = env_row(inputs.env);
    let mut plans = Vec::with_capacity(inputs.services.len());
    let mut derivations = Vec::with_capacity(inputs.services.len());
    let mut starts = Vec::with_capacity(inputs.services.len());
    let mut pinned_flags = Vec::with_capacity(inputs.services.len());
    for svc in &inputs.services {
        let workload = svc.effective_workload();
        let max = svc.max();
        // A function's concurrency limit is its peak: no deploy overlap on top.
        let peak = if svc.serverless {
            max
        } else {
            peak_replicas(max, inputs.surge)
        };
        let (start, d) = if svc.serverless {
            (
                1,
                Derivation::new("1 per function instance", source::PRISMA_POOL)
                    .step("a serverless function serves one request at a time: Prisma advises connection_limit=1 there, and the concurrency limit multiplies it"),
            )
        } else {
            starting_limit(inputs, workload)
        };
        let pin = r
            .pinned(&format!("{}.connection_limit", svc.name))
            .map(|v| u32::try_from(v).unwrap_or(u32::MAX));
        pinned_flags.push(pin.is_some());
        starts.push(start);
        let mut d = d.input("replicas", svc.replicas);
        if max > svc.replicas {
            d = d.input("max_replicas", max);
        }
        if svc.processes > 1 {
            d = d.input("processes", svc.processes);
        }
        let d = d.input("surge", inputs.surge).input("peak_replicas", peak);
        let mut timeout = |field: &str, computed: u32| {
            let d = Derivation::new(
                format!("the runbook's environment row: {field} = {computed} s"),
                source::PRISMA_URL_PARAMS,
            )
            .input("env", inputs.env)
            .step("Prisma's own defaults (pool_timeout 10 s, connect_timeout 5 s) for every row");
            r.settle_u32(format!("{}.{field}", svc.name), computed, d)
        };
        let pool_timeout = timeout("pool_timeout", row.pool_timeout);
        let connect_timeout = timeout("connect_timeout", row.connect_timeout);
        plans.push(ServicePlan {
            name: svc.name.clone(),
            replicas: svc.replicas,
            max_replicas: max,
            peak_replicas: peak,
            processes: svc.processes.max(1),
            serverless: svc.serverless,
            workload,
            connection_limit: pin.unwrap_or(start),
            pool_timeout,
            connect_timeout,
            total: 0,
            typical_total: 0,
            max_fit_replicas: 0,
        });
        derivations.push(d);
    }
    if let Some(budget) = direct {
        fit_to_budget(
            &mut plans,
            &pinned_flags,
            budget,
            inputs.pooler.kind,
            &mut derivations,
            findings,
        );
    }
    // Prisma's own default pool for one app instance (quaint `pooled.rs`: physical cores × 2 + 1).
    let prisma_default = inputs.app_cores.saturating_mul(2).saturating_add(1);
    let mut oversized = Vec::new();
    for (i, (plan, d)) in plans.iter_mut().zip(derivations).enumerate() {
        let per_replica = u64::from(plan.connection_limit) * u64::from(plan.processes);
        plan.total = per_replica * u64::from(plan.peak_replicas);
        plan.typical_total = per_replica * u64::from(plan.replicas);
        let d = if plan.processes > 1 {
            d.step(format!(
                "fleet total {} × {} processes × {} peak replicas = {}",
                plan.connection_limit, plan.processes, plan.peak_replicas, plan.total
            ))
            .step(format!(
                "for comparison, Prisma's own default in each process of a {}-core app instance: {prisma_default} (cores × 2 + 1), {} per replica",
                inputs.app_cores,
                u64::from(prisma_default) * u64::from(plan.processes)
            ))
        } else {
            d.step(format!(
                "fleet total {} × {} peak replicas = {}",
                plan.connection_limit, plan.peak_replicas, plan.total
            ))
            .step(format!(
                "for comparison, Prisma's own default for a {}-core app instance: {prisma_default} (cores × 2 + 1)",
                inputs.app_cores
            ))
        };
        let d = if plan.max_replicas > plan.replicas {
            d.step(format!(
                "a typical day, at the minimum {} replicas without a deploy: {}",
                plan.replicas, plan.typical_total
            ))
        } else {
            d
        };
        let computed = if pinned_flags[i] {
            starts[i]
        } else {
            plan.connection_limit
        };
        r.settle_u32(format!("{}.connection_limit", plan.name), computed, d);
        if plan.connection_limit > prisma_default.saturating_mul(2) {
            oversized.push(format!("{} ({})", plan.name, plan.connection_limit));
        }
        let ranged = plan.max_replicas > plan.replicas;
        let peak_why = if plan.serverless {
            Derivation::new(
                "the concurrency limit (one instance per request; no deploy overlap)",
                source::PRISMA_POOL,
            )
            .input("concurrency limit", plan.max_replicas)
        } else {
            Derivation::new(
                match (inputs.surge, ranged) {
                    (Surge::None, false) => "replicas (no deploy overlap)",
                    (Surge::None, true) => "max_replicas (no deploy overlap)",
                    (Surge::Rolling, false) => {
                        "replicas + ceil(replicas × 25 %) (Kubernetes' default maxSurge)"
                    }
                    (Surge::Rolling, true) => {
                        "max_replicas + ceil(max_replicas × 25 %): a rolling update at the autoscaler's maximum (Kubernetes' default maxSurge)"
                    }
                    (Surge::BlueGreen, false) => {
                        "replicas × 2 (both colours run during the switch)"
                    }
                    (Surge::BlueGreen, true) => {
                        "max_replicas × 2 (both colours at the maximum during the switch)"
                    }
                },
                source::K8S_MAX_SURGE,
            )
            .input(if ranged { "max_replicas" } else { "replicas" }, plan.max_replicas)
            .input("surge", inputs.surge)
        };
        r.derived(format!("{}.peak_replicas", plan.name), peak_why);
        let total_why = if plan.processes > 1 {
            Derivation::new(
                "connection_limit × processes × peak_replicas",
                source::PRISMA_POOL,
            )
            .input("connection_limit", plan.connection_limit)
            .input("processes", plan.processes)
            .input("peak_replicas", plan.peak_replicas)
            .step("each process of a replica opens its own pool")
        } else {
            Derivation::new("connection_limit × peak_replicas", source::PRISMA_POOL)
                .input("connection_limit", plan.connection_limit)
                .input("peak_replicas", plan.peak_replicas)
        };
        r.derived(format!("{}.total", plan.name), total_why);
        r.derived(
            format!("{}.typical_total", plan.name),
            Derivation::new(
                "connection_limit × processes × replicas (the minimum, no deploy)",
                source::PRISMA_POOL,
            )
            .input("connection_limit", plan.connection_limit)
            .input("processes", plan.processes)
            .input("replicas", plan.replicas),
        );
    }
    if !oversized.is_empty() {
        findings.push(
            Finding::info(
                "prisma.pool_vs_app_cores",
                format!(
                    "Pools above twice what a {}-core app instance keeps busy (Prisma's default is {prisma_default}, cores × 2 + 1): {}. The extra connections mostly wait; check app_cores, or pin smaller pools",
                    inputs.app_cores,
                    oversized.join(", ")
                ),
                source::PRISMA_POOL,
            )
            .field("app_cores"),
        );
    }
    plans
}

/// Scales the unpinned pools so that the fleet fits `usable`, or reports by how much it cannot.
fn fit_to_budget(
    plans: &mut [ServicePlan],
    pinned: &[bool],
    budget: &Budget,
    pooler: Pooler,
    why: &mut [Derivation],
    findings: &mut Vec<Finding>,
) {
    let usable = u64::from(budget.usable);
    let unit = |p: &ServicePlan| u64::from(p.peak_replicas) * u64::from(p.processes);
    let demand = |p: &ServicePlan| u64::from(p.connection_limit) * unit(p);
    let fixed: u64 = plans
        .iter()
        .zip(pinned)
        .filter(|(_, &f)| f)
        .map(|(p, _)| demand(p))
        .sum();
    let wanted: u64 = plans
        .iter()
        .zip(pinned)
        .filter(|(_, &f)| !f)
        .map(|(p, _)| demand(p))
        .sum();
    let free = usable.saturating_sub(fixed);
    if wanted > free {
        for (i, plan) in plans.iter_mut().enumerate() {
            if pinned[i] {
                continue;
            }
            let scaled = (u64::from(plan.connection_limit) * free / wanted).max(1);
            why[i] = why[i].clone().step(format!(
                "scaled by {free}/{wanted} (free slots / unpinned demand) to fit the usable slots: {} → {scaled}",
                plan.connection_limit
            ));
            plan.connection_limit = scaled as u32;
        }
        // Rounding up to 1 can overshoot: take one connection at a time from the largest pool.
        let mut total: u64 = plans.iter().map(demand).sum::<u64>().saturating_sub(fixed);
        while total > free {
            let Some(i) = (0..plans.len())
                .filter(|&i| !pinned[i] && plans[i].connection_limit > 1)
                .max_by_key(|&i| plans[i].connection_limit)
            else {
                break;
            };
            plans[i].connection_limit -= 1;
            total -= unit(&plans[i]);
            why[i] = why[i]
                .clone()
                .step("lowered by 1 so that the rounded pools fit");
        }
        // Rounding down leaves less than one connection per replica unused per service: hand
        // those slots back, largest pools first.
        let mut order: Vec<usize> = (0..plans.len()).filter(|&i| !pinned[i]).collect();
        super::sort_stable_by_key(&mut order, |&i| {
            std::cmp::Reverse(plans[i].connection_limit)
        });
        for i in order {
            let step = unit(&plans[i]);
            if total + step <= free {
                plans[i].connection_limit += 1;
                total += step;
                why[i] = why[i]
                    .clone()
                    .step("raised by 1 into slots left over by rounding down");
            }
        }
    }
    let total: u64 = plans.iter().map(demand).sum();
    if total > usable {
        findings.push(over_budget(plans, pinned, total, budget, pooler));
    } else if pooler == Pooler::None {
        recommend_pooler(plans, pinned, total, budget, findings);
    }
}

/// A plan without a pooler that fills 95 % of the usable slots at its deploy peak, or squeezes a
/// pool below 3 connections, works on paper but leaves nothing for the unplanned: recommend a
/// pooler. (95 % and 3 are heuristics: a handful of slots, and a pool that can still serve a
/// transaction, a health check and one more request.)
fn recommend_pooler(
    plans: &[ServicePlan],
    pinned: &[bool],
    total: u64,
    budget: &Budget,
    findings: &mut Vec<Finding>,
) {
    let usable = u64::from(budget.usable);
    let squeezed: Vec<&str> = plans
        .iter()
        .zip(pinned)
        .filter(|(p, &f)| !f && p.connection_limit < 3)
        .map(|(p, _)| p.name.as_str())
        .collect();
    let hot = usable > 0 && total * 100 >= usable * 95;
    if !hot && squeezed.is_empty() {
        return;
    }
    let mut why = Vec::new();
    if hot {
        why.push(format!(
            "at its deploy peak the fleet holds {total} of {usable} usable slots ({} %)",
            total * 100 / usable
        ));
    }
    if !squeezed.is_empty() {
        why.push(format!(
            "pools squeezed below 3 connections: {}",
            squeezed.join(", ")
        ));
    }
    findings.push(
        Finding::warning(
            "budget.recommend_pooler",
            format!(
                "Without a pooler every app connection is a server connection, and {}: one extra replica, a stuck deploy or a migration finds no slot. Put PgBouncer in front (pooler=pgbouncer): app pools become client connections and the server side stays near its target",
                why.join("; ")
            ),
            source::PGBOUNCER_FEATURES,
        )
        .field("pooler"),
    );
}

/// The error when even the smallest pools do not fit: by how much, what would fit, and the fix.
fn over_budget(
    plans: &[ServicePlan],
    pinned: &[bool],
    total: u64,
    budget: &Budget,
    pooler: Pooler,
) -> Finding {
    let usable = u64::from(budget.usable);
    let short = total - usable;
    let needed_max = total
        + u64::from(budget.reserved)
        + u64::from(budget.provider_reserved)
        + u64::from(budget.headroom);
    let pins: Vec<String> = plans
        .iter()
        .zip(pinned)
        .filter(|(_, &f)| f)
        .map(|(p, _)| format!("set={}.connection_limit:{}", p.name, p.connection_limit))
        .collect();
    let cause = if pins.is_empty() {
        "even 1 connection per replica (surge included) does not fit".to_string()
    } else {
        format!(
            "the pinned pools ({}) leave too little room",
            pins.join(", ")
        )
    };
    let fix = match pooler {
        Pooler::None => "or put a pooler in front (pooler=pgbouncer) so that app pools become client connections",
        _ => "or run the pooler in transaction mode (pgb_mode=transaction), where app pools are client connections sharing a small server pool",
    };
    let mut f = Finding::error(
        "budget.over",
        format!(
            "The fleet can open {total} server connections but only {usable} slots are usable: {short} too many ({cause}). A max_connections of at least {needed_max} would fit, {fix}."
        ),
        source::PG_CONNECTIONS,
    )
    .field("db_max_conn");
    if let Some(first) = plans.iter().zip(pinned).find(|(_, &f)| f) {
        f = f.pin(format!("{}.connection_limit", first.0.name));
    }
    f
}

/// The most replicas the inputs may ask for (`parse_replicas`): the search for a service's
/// largest fitting maximum stops there.
pub const REPLICAS_LIMIT: u32 = 10_000;

/// For each service, the largest maxReplicas that still fits with every other service at its own
/// maximum: the number to write into the autoscaler. `capacity` is what the services'
/// connections must fit in (and what it is): the usable slots when every app connection is a
/// server connection, or the pooler's client limit behind a transaction pooler.
pub fn max_fit(
    plans: &mut [ServicePlan],
    capacity: Option<(u64, &str)>,
    surge: Surge,
    r: &mut Resolver,
    findings: &mut Vec<Finding>,
) {
    let Some((capacity, what)) = capacity else {
        // Supavisor without a known client limit: nothing here bounds the services.
        for plan in plans.iter_mut() {
            plan.max_fit_replicas = REPLICAS_LIMIT;
            r.derived(
                format!("{}.max_fit_replicas", plan.name),
                Derivation::new(
                    "no client limit is known for this pooler",
                    source::SUPABASE_COMPUTE,
                )
                .step(format!("{REPLICAS_LIMIT}, the most a link may give")),
            );
        }
        return;
    };
    let all: u64 = plans.iter().map(|p| p.total).sum();
    for plan in plans.iter_mut() {
        let others = all - plan.total;
        let room = capacity.saturating_sub(others);
        let per = (u64::from(plan.connection_limit) * u64::from(plan.processes)).max(1);
        let peak = |n: u32| {
            if plan.serverless {
                n
            } else {
                peak_replicas(n, surge)
            }
        };
        // The largest n with per × peak(n) ≤ room: peak grows with n, so a binary search.
        let (mut lo, mut hi) = (0u32, REPLICAS_LIMIT);
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            if per * u64::from(peak(mid)) <= room {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        plan.max_fit_replicas = lo;
        let mut d = Derivation::new(
            format!("the largest max_replicas n with connection_limit × processes × peak(n) ≤ {what} − the other services at their maximum"),
            source::PG_CONNECTIONS,
        )
        .input(what, capacity)
        .input("other services at their maximum", others)
        .input("connection_limit × processes", per)
        .step(format!("peak(n) counts the deploy surge ({surge}) on top of n"));
        if lo == REPLICAS_LIMIT {
            d = d.step(format!(
                "at least {REPLICAS_LIMIT}, the most a link may give"
            ));
        }
        r.derived(format!("{}.max_fit_replicas", plan.name), d);
        // A fixed count has no autoscaler to set: budget.over already says when it does not fit
        // (and links from before ranges keep their findings).
        let scaled = plan.max_replicas > plan.replicas || plan.serverless;
        if scaled && plan.max_replicas > lo {
            findings.push(
                Finding::error(
                    "services.max_over_fit",
                    format!(
                        "{} may scale to {} replicas, but with every other service at its maximum {} in the {what} ({capacity}): at the maximum, new connections are refused (\"sorry, too many clients already\" from PostgreSQL, or the pooler's own refusal). {}",
                        plan.name,
                        plan.max_replicas,
                        if lo == 0 { "not even 1 fits".to_string() } else { format!("only {lo} fit") },
                        if lo == 0 { "Make room: fewer replicas elsewhere, smaller pools, a larger max_connections, or a pooler".to_string() } else { format!("Set the autoscaler's maximum to {lo}, or make room") }
                    ),
                    source::PG_CONNECTIONS,
                )
                .pin(format!("{}.connection_limit", plan.name)),
            );
        }
    }
}

/// Serverless services without a pooler: every instance holds its own connection.
pub fn serverless_findings(plans: &[ServicePlan], pooler: Pooler, findings: &mut Vec<Finding>) {
    let direct: Vec<String> = plans
        .iter()
        .filter(|p| p.serverless && pooler == Pooler::None)
        .map(|p| format!("{} (up to {})", p.name, p.total))
        .collect();
    if !direct.is_empty() {
        findings.push(
            Finding::warning(
                "services.serverless_without_pooler",
                format!(
                    "Serverless services connect straight to the database: {}. Each function instance opens its own connection, and a burst of invocations up to the concurrency limit fills max_connections before the limit is reached. Put a pooler in transaction mode in front (pooler=pgbouncer, or Supavisor on port 6543) and keep connection_limit=1",
                    direct.join(", ")
                ),
                source::PRISMA_POOL,
            )
            .field("pooler"),
        );
    }
}
