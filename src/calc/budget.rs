//! The database server's connection budget: the target for active connections (rule 1) and
//! the slots the fleet may use (rule 2).

use serde::Serialize;

use super::explain::{source, Derivation, Finding};
use super::inputs::{Inputs, Provider, Storage};
use super::presets::{
    rds_class, rds_max_connections, supabase_row, RDS_PROVIDER_RESERVED, RUNBOOK_CORE_TABLE,
};

/// The database server as the plan sees it (after provider presets are applied).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Budget {
    pub db_cores: u32,
    /// The max_connections the plan counts on (for an RDS class, below the formula's bound).
    pub max_connections: u32,
    /// RDS: the default formula with the nominal memory, which the real value stays under.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_connections_upper_bound: Option<u32>,
    pub reserved: u32,
    pub provider_reserved: u32,
    pub headroom: u32,
    /// Slots the fleet may use: max_connections − reserved − provider − headroom.
    pub usable: u32,
    /// Useful active server connections for the whole server: 2 × cores + effective spindles.
    pub target_active: u32,
    /// The most server connections the fleet can open (surge included); set by the plan.
    pub fleet_total: u32,
}

/// Share of the formula's upper bound that the plan counts on for an RDS class. A heuristic: RDS
/// divides DBInstanceClassMemory, the nominal memory less what the OS and RDS's own processes keep,
/// and AWS publishes no per-class figure, so the plan keeps 10 % below the bound (a deploy peak never
/// sits on a number the server may not reach) and asks for `SHOW max_connections`.
pub const RDS_PLANNING_PERCENT: u32 = 90;

impl Budget {
    /// Whether the fleet's server connections fit the usable slots.
    pub fn fits(&self) -> bool {
        self.fleet_total <= self.usable
    }

    /// Slots the fleet needs beyond the usable ones (0 when it fits).
    pub fn over_by(&self) -> u32 {
        self.fleet_total.saturating_sub(self.usable)
    }

    /// Usable slots the fleet leaves free (0 when it does not fit).
    pub fn free(&self) -> u32 {
        self.usable.saturating_sub(self.fleet_total)
    }
}

/// Whether a provider preset decides the cores and max_connections (an RDS class, a Supabase size).
pub fn sized_by_provider(inputs: &Inputs) -> bool {
    inputs.db.provider == Provider::Supabase
        || (inputs.db.provider == Provider::Rds && inputs.db.rds_class.is_some())
}

/// Where the server's figures come from: cores, max_connections, and for RDS the formula's bound.
fn server_size(inputs: &Inputs, why_max: &mut Derivation) -> (u32, u32, Option<u32>) {
    let db = &inputs.db;
    match db.provider {
        Provider::Rds => match db.rds_class.as_deref().and_then(rds_class) {
            Some(class) => {
                let bound = rds_max_connections(class);
                let planned = bound * RDS_PLANNING_PERCENT / 100;
                *why_max = Derivation::new(
                    "90 % of LEAST(memory / 9531392, 5000) (heuristic: DBInstanceClassMemory is below the nominal memory)",
                    source::RDS_MAX_CONNECTIONS,
                )
                .input("rds_class", class.name)
                .input("memory", format!("{} GiB", class.memory_gib))
                .step(format!(
                    "{bound} with the nominal memory is an upper bound: RDS divides DBInstanceClassMemory, which excludes what the OS and RDS processes keep"
                ))
                .step(format!(
                    "planned at {planned} ({RDS_PLANNING_PERCENT} %); run SHOW max_connections on the instance and, if it differs, enter it (rds_class=custom, db_max_conn=N)"
                ));
                (class.vcpus, planned, Some(bound))
            }
            None => {
                *why_max = why_max
                    .clone()
                    .step("no RDS class chosen: custom db_max_conn used");
                (db.cores, db.max_connections, None)
            }
        },
        Provider::Supabase => {
            let row = supabase_row(db.supabase_tier);
            *why_max = Derivation::new("Supabase compute table", source::SUPABASE_COMPUTE)
                .input("supabase_tier", db.supabase_tier);
            (row.cores, row.max_connections, None)
        }
        Provider::SelfHosted => (db.cores, db.max_connections, None),
    }
}

/// Computes the budget (fleet_total is filled in later by the sizing of the chosen topology).
pub fn budget(
    inputs: &Inputs,
    r: &mut super::settings::Resolver,
    findings: &mut Vec<Finding>,
) -> Budget {
    let db = &inputs.db;
    let mut why_max = Derivation::new("db_max_conn as given", source::PG_CONNECTIONS)
        .input("db_max_conn", db.max_connections);
    let (db_cores, max_connections, upper_bound) = server_size(inputs, &mut why_max);
    r.derived("budget.max_connections", why_max);
    if let Some(bound) = upper_bound {
        findings.push(
            Finding::info(
                "budget.rds_estimate",
                format!(
                    "max_connections for {} is estimated: the default formula gives at most {bound}, and the plan counts on {max_connections}. Run SHOW max_connections on the instance and enter its value (rds_class=custom, db_max_conn=N)",
                    inputs.db.rds_class.as_deref().unwrap_or("this class")
                ),
                source::RDS_MAX_CONNECTIONS,
            )
            .field("db_max_conn"),
        );
    }

    // RDS keeps 2 slots for rds_superuser on top of superuser_reserved_connections (AWS KB).
    let provider_reserved = if db.provider == Provider::Rds {
        RDS_PROVIDER_RESERVED
    } else {
        0
    };
    let taken = db
        .reserved
        .saturating_add(provider_reserved)
        .saturating_add(db.headroom);
    let usable = max_connections.saturating_sub(taken);
    let mut why_usable = Derivation::new(
        "max_connections − reserved − provider_reserved − headroom",
        source::PG_CONNECTIONS,
    )
    .input("max_connections", max_connections)
    .input(
        "reserved (superuser_reserved_connections + reserved_connections)",
        db.reserved,
    )
    .input("provider_reserved", provider_reserved)
    .input("headroom (migrations, admin, exporters)", db.headroom);
    if taken >= max_connections {
        why_usable = why_usable.step("reserved slots and headroom take every slot: clamped to 0");
        findings.push(
            Finding::error(
                "budget.no_usable_slots",
                format!(
                    "max_connections {max_connections} leaves no slot for the fleet after {taken} reserved and headroom slots; raise max_connections or lower headroom"
                ),
                source::PG_CONNECTIONS,
            )
            .field("db_max_conn"),
        );
    }
    r.derived("budget.usable", why_usable);

    // HikariCP "About Pool Sizing": spindles count only while the active set is not cached;
    // SSD and network storage count 0.
    let spindles = if db.storage == Storage::Hdd {
        db.spindles
    } else {
        0
    };
    let target_active = super::target_active_connections(db_cores, spindles);
    let mut why_target = Derivation::new(
        "2 × db_cores + effective_spindles",
        source::HIKARI_POOL_SIZING,
    )
    .input("db_cores (physical, whole server)", db_cores)
    .input("effective_spindles", spindles)
    .step("this is for the whole database server, not per replica or per service");
    if db.storage != Storage::Hdd && db.spindles > 0 {
        why_target = why_target.step(format!(
            "db_spindles {} ignored: storage is {}",
            db.spindles, db.storage
        ));
    }
    if let Some(&(_, table)) = RUNBOOK_CORE_TABLE.iter().find(|(c, _)| *c == db_cores) {
        if table != target_active {
            why_target = why_target.step(format!(
                "the runbook's table says {db_cores} cores → {table}, which contradicts its own formula ({target_active})"
            ));
        }
    }
    r.derived("budget.target_active", why_target);
    r.derived(
        "budget.db_cores",
        match db.provider {
            Provider::Rds if db.rds_class.is_some() => Derivation::new(
                "the RDS class's vCPUs (Graviton: one physical core each)",
                source::RDS_CLASSES,
            ),
            Provider::Supabase => Derivation::new(
                "the Supabase compute size's cores",
                source::SUPABASE_COMPUTE,
            )
            .input("supabase_tier", db.supabase_tier),
            _ => Derivation::new("db_cores as given", source::HIKARI_POOL_SIZING),
        },
    );
    r.derived(
        "budget.provider_reserved",
        Derivation::new(
            "RDS keeps 2 slots for rds_superuser (rds.rds_superuser_reserved_connections); others 0",
            source::RDS_RESERVED,
        )
        .input("provider", db.provider),
    );
    if let Some(bound) = upper_bound {
        r.derived(
            "budget.max_connections_upper_bound",
            Derivation::new(
                "LEAST(nominal memory / 9531392, 5000): the default formula with the class's nominal memory",
                source::RDS_MAX_CONNECTIONS,
            )
            .step(format!("{bound}")),
        );
    }

    Budget {
        db_cores,
        max_connections,
        max_connections_upper_bound: upper_bound,
        reserved: db.reserved,
        provider_reserved,
        headroom: db.headroom,
        usable,
        target_active,
        fleet_total: 0,
    }
}
