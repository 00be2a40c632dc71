//! Lookup tables: the runbook's rows and services, RDS instance classes, Supabase tiers.

use serde::Serialize;

pub use super::kinds::SupabaseTier;
use super::kinds::{Env, Workload};

/// One row of the runbook's "Pool Size Guidelines" table (shared/reference/pooling-guide.md).
#[derive(Clone, Copy, Debug)]
pub struct EnvRow {
    /// Per-replica `connection_limit` for a moderate workload.
    pub connection_limit: u32,
    /// Seconds a query waits for a pooled connection (Prisma `pool_timeout`, error P2024).
    pub pool_timeout: u32,
    /// Seconds to open a new connection (Prisma `connect_timeout`).
    pub connect_timeout: u32,
}

/// The runbook's table: dev 5, staging 10, prod (low traffic) 15, prod (high traffic) "20-30".
/// For the high-traffic range we start at its low end, 20: the runbook's own advice is "start conservative".
pub fn env_row(env: Env) -> EnvRow {
    let connection_limit = match env {
        Env::Dev => 5,
        Env::Staging => 10,
        Env::Prod => 15,
        Env::ProdHigh => 20,
    };
    EnvRow {
        connection_limit,
        pool_timeout: 10,
        connect_timeout: 5,
    }
}

/// Workload weight applied to the environment row, as a fraction (numerator, denominator).
/// Calibrated on the runbook's production figures: write-heavy wallet-service 20 = 15 × 4/3,
/// moderate agent-core 15 = 15 × 1, read-heavy ranking-service 10 = 15 × 2/3.
pub fn workload_weight(w: Workload) -> (u32, u32) {
    match w {
        Workload::WriteHeavy => (4, 3),
        Workload::Moderate => (1, 1),
        Workload::ReadHeavy => (2, 3),
    }
}

/// A service the runbook names, with its workload and its own `connection_limit`.
#[derive(Clone, Copy, Debug)]
pub struct RunbookService {
    pub name: &'static str,
    pub workload: Workload,
    pub connection_limit: u32,
}

/// The runbook's "Recommended settings by service".
pub const RUNBOOK_SERVICES: &[RunbookService] = &[
    RunbookService {
        name: "wallet-service",
        workload: Workload::WriteHeavy,
        connection_limit: 20,
    },
    RunbookService {
        name: "agent-core",
        workload: Workload::Moderate,
        connection_limit: 15,
    },
    RunbookService {
        name: "ranking-service",
        workload: Workload::ReadHeavy,
        connection_limit: 10,
    },
    RunbookService {
        name: "vendor-service",
        workload: Workload::Moderate,
        connection_limit: 10,
    },
];

/// The runbook's entry for a service name, if it has one.
pub fn runbook_service(name: &str) -> Option<&'static RunbookService> {
    RUNBOOK_SERVICES.iter().find(|s| s.name == name)
}

/// The runbook's core-count table ("2 CPU cores → 10 connections", …), kept to show where it
/// contradicts its own formula.
pub const RUNBOOK_CORE_TABLE: &[(u32, u32)] = &[(2, 10), (4, 20), (8, 30)];

/// An RDS for PostgreSQL instance class: vCPUs (Graviton: one physical core each) and memory.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct RdsClass {
    pub name: &'static str,
    pub vcpus: u32,
    pub memory_gib: u32,
}

const fn rds(name: &'static str, vcpus: u32, memory_gib: u32) -> RdsClass {
    RdsClass {
        name,
        vcpus,
        memory_gib,
    }
}

/// Common Graviton classes (AWS instance-class tables: t4g burstable, m6g/m7g general purpose,
/// r6g/r7g memory optimised).
pub const RDS_CLASSES: &[RdsClass] = &[
    rds("db.t4g.micro", 2, 1),
    rds("db.t4g.small", 2, 2),
    rds("db.t4g.medium", 2, 4),
    rds("db.t4g.large", 2, 8),
    rds("db.t4g.xlarge", 4, 16),
    rds("db.t4g.2xlarge", 8, 32),
    rds("db.m6g.large", 2, 8),
    rds("db.m6g.xlarge", 4, 16),
    rds("db.m6g.2xlarge", 8, 32),
    rds("db.m6g.4xlarge", 16, 64),
    rds("db.m7g.large", 2, 8),
    rds("db.m7g.xlarge", 4, 16),
    rds("db.m7g.2xlarge", 8, 32),
    rds("db.m7g.4xlarge", 16, 64),
    rds("db.r6g.large", 2, 16),
    rds("db.r6g.xlarge", 4, 32),
    rds("db.r6g.2xlarge", 8, 64),
    rds("db.r6g.4xlarge", 16, 128),
    rds("db.r7g.large", 2, 16),
    rds("db.r7g.xlarge", 4, 32),
    rds("db.r7g.2xlarge", 8, 64),
    rds("db.r7g.4xlarge", 16, 128),
];

/// Looks up an RDS class by its exact name.
pub fn rds_class(name: &str) -> Option<&'static RdsClass> {
    RDS_CLASSES.iter().find(|c| c.name == name)
}

/// RDS's default: `LEAST({DBInstanceClassMemory/9531392}, 5000)` (AWS Prescriptive Guidance,
/// "max_connections"). DBInstanceClassMemory is a little below the nominal memory, so the real
/// figure is a little lower than this upper bound.
pub fn rds_max_connections(class: &RdsClass) -> u32 {
    let bytes = u64::from(class.memory_gib) * 1024 * 1024 * 1024;
    (bytes / 9_531_392).min(5000) as u32
}

/// Slots RDS keeps for its own superuser (`rds.rds_superuser_reserved_connections` = 2; AWS KB
/// rds-postgresql-error-connection-slots: 100 → 95 usable with the 3 superuser slots).
pub const RDS_PROVIDER_RESERVED: u32 = 2;

/// One row of Supabase's compute table.
#[derive(Clone, Copy, Debug)]
pub struct SupabaseRow {
    /// Cores listed for the size (nano and micro share cores; counted as 2).
    pub cores: u32,
    pub max_connections: u32,
    pub pooler_max_clients: u32,
}

/// Supabase "Compute and disk" table (supabase/supabase apps/docs/.../compute-and-disk.mdx).
pub fn supabase_row(tier: SupabaseTier) -> SupabaseRow {
    let (cores, max_connections, pooler_max_clients) = match tier {
        SupabaseTier::Nano => (2, 60, 200),
        SupabaseTier::Micro => (2, 60, 200),
        SupabaseTier::Small => (2, 90, 400),
        SupabaseTier::Medium => (2, 120, 600),
        SupabaseTier::Large => (2, 160, 800),
        SupabaseTier::Xl => (4, 240, 1000),
        SupabaseTier::X2l => (8, 380, 1500),
        SupabaseTier::X4l => (16, 480, 3000),
        SupabaseTier::X8l => (32, 490, 6000),
        SupabaseTier::X12l => (48, 500, 9000),
        SupabaseTier::X16l => (64, 500, 12000),
    };
    SupabaseRow {
        cores,
        max_connections,
        pooler_max_clients,
    }
}

/// The runbook's snippets as written (shared/reference/pooling-guide.md), for its review: its
/// PgBouncer section ("PgBouncer (Recommended for Production)", for "multiple services"), the
/// PgBouncer DATABASE_URL, the alert rules, the pg_stat_statements query, the Prisma monitoring
/// and leak-detection snippets, and its one ioredis factory.
pub fn runbook_written() -> super::review::Written {
    let kv = |k: &str, v: &str| (k.to_string(), v.to_string());
    super::review::Written {
        pgbouncer: vec![
            kv("listen_addr", "127.0.0.1"),
            kv("listen_port", "6432"),
            kv("auth_type", "md5"),
            kv("auth_file", "/etc/pgbouncer/userlist.txt"),
            kv("pool_mode", "transaction"),
            kv("max_client_conn", "1000"),
            kv("default_pool_size", "25"),
            kv("reserve_pool_size", "5"),
            kv("reserve_pool_timeout", "3"),
            kv("admin_users", "postgres"),
            kv("stats_users", "postgres"),
        ],
        pgbouncer_serves_other_hosts: true,
        // DATABASE_URL="postgresql://user:pass@localhost:6432/easymo"
        pooled_url_has_pgbouncer_flag: Some(false),
        alert_exprs: vec![
            "db_connections_active / db_connections_max > 0.8".into(),
            "db_connection_wait_time_seconds > 5".into(),
        ],
        sql: vec!["SELECT query, calls, total_time, mean_time, max_time FROM pg_stat_statements ORDER BY mean_time DESC LIMIT 10".into()],
        prisma_metrics_call: true,
        prisma_metrics_preview: false,
        prisma_warning_listened_for: Some("Connection leak".into()),
        shared_redis_factory_max_retries: Some(3),
    }
}
