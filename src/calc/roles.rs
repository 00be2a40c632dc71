//! A role per service (`db_roles=per-service`): each service logs in as its own PostgreSQL role,
//! so that its connections are capped at its share and one slow service cannot take the server
//! connections the others need.
//!
//! - Without a pooler the cap is the role's `CONNECTION LIMIT` (PostgreSQL `CREATE ROLE`): the
//!   service's worst case, its pool × processes × replicas at the autoscaler's maximum with a
//!   deploy on top. PostgreSQL refuses the next connection with "too many connections for role".
//! - With PgBouncer, each (database, user) pair is a pool of its own, and `max_user_connections`
//!   in the `[users]` section (known to every release poolcalc writes for, 1.18 onwards) caps the
//!   server connections one user may hold in one instance. The instance's server connections are
//!   split between the services, so their caps sum to what the instance may open and a saturated
//!   service queues on its own share. The role's `CONNECTION LIMIT` (the share × instances) is
//!   the backstop for a connection that bypasses PgBouncer.

use serde::Serialize;

use super::explain::{source, Derivation, Finding};
use super::inputs::{DbRoles, Inputs, Pooler};
use super::pgbouncer::PgBouncerPlan;
use super::services::ServicePlan;
use super::settings::Resolver;

/// PostgreSQL keeps identifiers to NAMEDATALEN − 1 = 63 bytes and silently truncates longer ones,
/// which could give two services one role.
const MAX_ROLE_LEN: usize = 63;

/// One service's role and its caps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServiceRole {
    pub service: String,
    /// The role it logs in as.
    pub user: String,
    /// PgBouncer only: the server connections this user may hold in one instance
    /// (`max_user_connections` in `[users]`).
    pub max_user_connections: Option<u32>,
    /// The role's `CONNECTION LIMIT` in PostgreSQL.
    pub connection_limit: u32,
}

/// Every service's role, and the shared role they are members of (the owner of the tables, which
/// migrations keep using through the direct URL).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RolesPlan {
    pub owner: String,
    pub roles: Vec<ServiceRole>,
}

impl RolesPlan {
    /// The role a service logs in as, if it has one.
    pub fn user_of(&self, service: &str) -> Option<&str> {
        self.roles
            .iter()
            .find(|r| r.service == service)
            .map(|r| r.user.as_str())
    }
}

/// `owner_service`: letters, digits and `_` only, the set PgBouncer's documentation and its INI
/// parser both accept as a `[users]` key (a service's `-` becomes `_`).
pub fn role_name(owner: &str, service: &str) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect()
    };
    format!("{}_{}", clean(owner), clean(service))
}

/// Splits `total` into shares proportional to `weights` (largest remainders), then lifts any
/// share of 0 to 1 by taking from the largest: in session mode, where the total is the clients
/// themselves, each service gets exactly its own clients. The caller makes sure
/// `total ≥ weights.len()`.
fn split(total: u64, weights: &[u64]) -> Vec<u64> {
    if weights.is_empty() {
        return Vec::new();
    }
    let sum: u64 = weights.iter().map(|w| (*w).max(1)).sum();
    // u128: total and weights are each below 2^64, their product is not.
    let exact = |i: usize| u128::from(total) * u128::from(weights[i].max(1));
    let mut shares: Vec<u64> = (0..weights.len())
        .map(|i| (exact(i) / u128::from(sum)) as u64)
        .collect();
    let mut left = total.saturating_sub(shares.iter().sum());
    let mut order: Vec<usize> = (0..weights.len()).collect();
    super::sort_stable_by_key(&mut order, |&i| {
        std::cmp::Reverse(exact(i) % u128::from(sum))
    });
    for &i in &order {
        if left == 0 {
            break;
        }
        shares[i] += 1;
        left -= 1;
    }
    for i in 0..shares.len() {
        if shares[i] == 0 {
            let Some(from) = (0..shares.len())
                .filter(|&j| shares[j] > 1)
                .max_by_key(|&j| shares[j])
            else {
                break;
            };
            shares[from] -= 1;
            shares[i] = 1;
        }
    }
    shares
}

/// Plans the roles, or `None` when the services share one user.
pub fn plan_roles(
    inputs: &Inputs,
    owner: &str,
    services: &[ServicePlan],
    pgbouncer: Option<&PgBouncerPlan>,
    r: &mut Resolver,
    findings: &mut Vec<Finding>,
) -> Option<RolesPlan> {
    if inputs.db.roles != DbRoles::PerService || services.is_empty() {
        return None;
    }
    if inputs.pooler.kind == Pooler::Supavisor {
        findings.push(
            Finding::error(
                "roles.supavisor",
                "db_roles=per-service is not written for Supavisor: its pool size is one number for the project, set in Supabase's dashboard, so poolcalc cannot give each service a share of it. The files keep one shared user; use pooler=pgbouncer or pooler=none for per-service roles",
                source::SUPABASE_CONNECT,
            )
            .field("db_roles"),
        );
        return None;
    }
    // The owner: the role the direct URL logs in as (on Supabase, the role without the ref).
    let owner = owner.to_string();
    let names: Vec<String> = services
        .iter()
        .map(|s| role_name(&owner, &s.name))
        .collect();
    let long: Vec<&str> = names
        .iter()
        .filter(|n| n.len() > MAX_ROLE_LEN)
        .map(String::as_str)
        .collect();
    if !long.is_empty() {
        findings.push(
            Finding::error(
                "roles.name_too_long",
                format!(
                    "Role names longer than {MAX_ROLE_LEN} characters, which PostgreSQL would cut short (two services could end up as one role): {}. Use a shorter db_user or shorter service names",
                    long.join(", ")
                ),
                source::PG_CREATE_ROLE,
            )
            .field("db_user"),
        );
        return None;
    }

    // Each service's peak client connections: the weights of the split.
    let weights: Vec<u64> = services.iter().map(|s| s.total).collect();
    let demand: u64 = weights.iter().sum();
    let shares: Option<Vec<u64>> = pgbouncer.map(|p| {
        let per_instance = u64::from(p.server_connections_per_instance);
        if per_instance < services.len() as u64 {
            findings.push(
                Finding::error(
                    "roles.too_few_server_connections",
                    format!(
                        "Each PgBouncer instance opens at most {per_instance} server connections, fewer than the {} services that each need one of their own. Raise default_pool_size (more database cores or max_connections), or share one user (db_roles=shared)",
                        services.len()
                    ),
                    source::PGBOUNCER_USERS,
                )
                .field("db_roles"),
            );
        }
        split(per_instance.max(services.len() as u64), &weights)
    });

    let mut roles = Vec::with_capacity(services.len());
    for (i, (svc, user)) in services.iter().zip(names).enumerate() {
        let (max_user_connections, connection_limit) = match (&shares, pgbouncer) {
            (Some(shares), Some(p)) => {
                let share = shares[i];
                r.derived(
                    format!("{}.max_user_connections", svc.name),
                    Derivation::new(
                        "the instance's server connections split by each service's peak client connections, at least 1 each",
                        source::PGBOUNCER_USERS,
                    )
                    .input("server_connections_per_instance", p.server_connections_per_instance)
                    .input("this service's client connections", svc.total)
                    .input("every service's", demand)
                    .step(format!("{share}: the most server connections {user} may hold in one PgBouncer instance"))
                    .step("the shares sum to what the instance may open, so max_db_connections is never what a service waits on")
                    .heuristic("shares in proportion to each service's peak demand: a service that opens more client connections needs more server time; measure and pin pools to change the weights"),
                );
                let limit = share
                    .saturating_add(1)
                    .saturating_mul(u64::from(p.instances));
                r.derived(
                    format!("{}.role_connection_limit", svc.name),
                    Derivation::new(
                        "(max_user_connections + 1) × PgBouncer instances",
                        source::PG_CREATE_ROLE,
                    )
                    .input("max_user_connections", share)
                    .input("instances", p.instances)
                    .step("PostgreSQL's own cap on the role: a backstop for connections that bypass PgBouncer")
                    .heuristic("one spare per instance: when PgBouncer replaces a server connection (server_lifetime), PostgreSQL may still count the exiting backend, and a refusal there would hold the service's clients for server_login_retry"),
                );
                (
                    Some(u32::try_from(share).unwrap_or(u32::MAX)),
                    u32::try_from(limit).unwrap_or(u32::MAX),
                )
            }
            _ => {
                r.derived(
                    format!("{}.role_connection_limit", svc.name),
                    Derivation::new(
                        "the service's worst case: connection_limit × processes × peak_replicas",
                        source::PG_CREATE_ROLE,
                    )
                    .input("total", svc.total)
                    .step("without a pooler every app connection is the role's server connection: PostgreSQL refuses the next one (\"too many connections for role\") instead of taking a slot another service planned on"),
                );
                (None, u32::try_from(svc.total).unwrap_or(u32::MAX))
            }
        };
        roles.push(ServiceRole {
            service: svc.name.clone(),
            user,
            max_user_connections,
            connection_limit,
        });
    }
    Some(RolesPlan { owner, roles })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_sum_to_the_total_and_follow_the_weights() {
        assert_eq!(split(10, &[30, 30, 15, 15]), vec![3, 3, 2, 2]);
        assert_eq!(split(4, &[100, 1, 1, 1]), vec![1, 1, 1, 1]);
        assert_eq!(split(7, &[1]), vec![7]);
        // Session mode: the total is the clients, and each service gets its own.
        assert_eq!(split(70, &[50, 10, 10]), vec![50, 10, 10]);
        for (total, weights) in [(13u64, vec![5u64, 0, 9]), (100, vec![1, 2, 3, 4, 5])] {
            let s = split(total, &weights);
            assert_eq!(s.iter().sum::<u64>(), total);
            assert!(s.iter().all(|&x| x >= 1));
        }
    }

    #[test]
    fn role_names_are_pgbouncer_safe() {
        assert_eq!(
            role_name("app.user-1", "wallet-service"),
            "app_user_1_wallet_service"
        );
    }
}
