//! Everything the user can set, typed. The share link (`query`) is its one text form.
//! Secrets are deliberately absent: they never enter the shareable state.

use serde::Serialize;

pub use super::kinds::*;

/// A `host:port` pair (Redis cluster seeds, Kafka brokers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HostPort {
    pub host: String,
    pub port: u16,
}

impl std::fmt::Display for HostPort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.host, self.port)
    }
}

/// One service of the fleet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Service {
    pub name: String,
    /// Replicas: the fixed count, or the autoscaler's minimum when `max_replicas` is set; for a
    /// serverless service, its concurrency limit.
    pub replicas: u32,
    /// The autoscaler's maximum (`None`: a fixed count). The budget is planned at the maximum.
    pub max_replicas: Option<u32>,
    /// Processes per replica (a Node cluster, PM2 workers), each with its own pool.
    pub processes: u32,
    /// Functions with a concurrency limit instead of replicas: one connection per instance.
    pub serverless: bool,
    /// `None` means the preset's workload (or `moderate` for a name that is not a preset).
    pub workload: Option<Workload>,
}

impl Service {
    /// A fixed number of single-process replicas.
    pub fn new(name: impl Into<String>, replicas: u32, workload: Option<Workload>) -> Self {
        Service {
            name: name.into(),
            replicas,
            max_replicas: None,
            processes: 1,
            serverless: false,
            workload,
        }
    }

    /// The most replicas (or concurrent instances) the service may run: what the budget plans for.
    pub fn max(&self) -> u32 {
        self.max_replicas
            .unwrap_or(self.replicas)
            .max(self.replicas)
    }

    /// The workload in effect: the one given, else the runbook preset's, else moderate.
    pub fn effective_workload(&self) -> Workload {
        self.workload
            .or_else(|| super::presets::runbook_service(&self.name).map(|p| p.workload))
            .unwrap_or(Workload::Moderate)
    }
}

/// A pinned value: `set=PATH:VALUE` keeps VALUE at PATH and recomputes the rest around it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Pin {
    pub path: String,
    pub value: u64,
}

/// The database server and how to reach it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Database {
    pub provider: Provider,
    pub cores: u32,
    pub storage: Storage,
    pub spindles: u32,
    pub max_connections: u32,
    pub reserved: u32,
    pub rds_class: Option<String>,
    pub supabase_tier: SupabaseTier,
    pub headroom: u32,
    pub host: String,
    pub port: u16,
    pub name: String,
    pub user: String,
    /// Optional Postgres schema (Prisma's `schema` URL parameter); `None` = public.
    pub schema: Option<String>,
    pub sslmode: SslMode,
    /// Where the CA certificate that signed the database server's certificate is deployed on
    /// the app hosts (and PgBouncer's); with it the clients verify the server.
    pub ca_file: Option<String>,
    /// Supabase project ref (the `<ref>` of `db.<ref>.supabase.co` and `postgres.<ref>`).
    pub supabase_ref: Option<String>,
    /// One shared user, or a role per service (roles.sql) that the others cannot starve.
    pub roles: DbRoles,
}

/// The pooler and the ORM.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PoolerInputs {
    pub kind: Pooler,
    pub version: PgbVersion,
    pub mode: PoolMode,
    pub instances: u32,
    pub host: String,
    pub port: u16,
    /// Where pgbouncer.ini says userlist.txt lives (`auth_file`).
    pub auth_file: String,
}

/// Redis inputs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RedisInputs {
    pub mode: RedisMode,
    /// Uses, kept in the order of `RedisUse::ALL` without repeats.
    pub uses: Vec<RedisUse>,
    pub host: String,
    pub port: u16,
    pub db: u32,
    pub nodes: Vec<HostPort>,
    /// Cluster masters (the seeds in `nodes` may be replicas, or only some of the masters).
    pub masters: u32,
    /// BullMQ queues each replica works on (a Worker and a QueueEvents per queue).
    pub queues: u32,
    pub tls: bool,
    pub maxclients: u32,
}

/// Kafka inputs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KafkaInputs {
    pub client: KafkaClient,
    pub brokers: Vec<HostPort>,
    pub eos: bool,
    pub compression: Compression,
    pub ssl: bool,
    pub sasl: Sasl,
}

/// Everything the share link carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Inputs {
    pub env: Env,
    pub preset: Option<Preset>,
    pub db: Database,
    pub pooler: PoolerInputs,
    pub prisma: Prisma,
    pub services: Vec<Service>,
    pub app_cores: u32,
    pub surge: Surge,
    pub pins: Vec<Pin>,
    pub redis: RedisInputs,
    pub kafka: KafkaInputs,
}

impl Default for Inputs {
    /// The share link's documented defaults (shared/share-link.md).
    fn default() -> Self {
        Inputs {
            env: Env::Prod,
            preset: None,
            db: Database {
                provider: Provider::SelfHosted,
                cores: 4,
                storage: Storage::Ssd,
                spindles: 0,
                max_connections: 100,
                reserved: 3,
                rds_class: None,
                supabase_tier: SupabaseTier::Micro,
                headroom: 5,
                host: "localhost".into(),
                port: 5432,
                name: "app".into(),
                user: "app".into(),
                schema: None,
                sslmode: SslMode::Prefer,
                ca_file: None,
                supabase_ref: None,
                roles: DbRoles::Shared,
            },
            pooler: PoolerInputs {
                kind: Pooler::None,
                version: PgbVersion::NEWEST,
                mode: PoolMode::Transaction,
                instances: 1,
                host: "localhost".into(),
                port: 6432,
                auth_file: "/etc/pgbouncer/userlist.txt".into(),
            },
            prisma: Prisma::V6,
            services: default_services(),
            app_cores: 2,
            surge: Surge::Rolling,
            pins: Vec::new(),
            redis: RedisInputs {
                mode: RedisMode::Single,
                uses: vec![RedisUse::Cache],
                host: "localhost".into(),
                port: 6379,
                db: 0,
                nodes: Vec::new(),
                masters: 3,
                queues: 1,
                tls: false,
                maxclients: 10000,
            },
            kafka: KafkaInputs {
                client: KafkaClient::KafkaJs,
                brokers: vec![HostPort {
                    host: "localhost".into(),
                    port: 9092,
                }],
                eos: false,
                compression: Compression::Gzip,
                ssl: false,
                sasl: Sasl::None,
            },
        }
    }
}

/// The runbook's four services, two replicas each, workloads from their presets.
pub fn default_services() -> Vec<Service> {
    super::presets::RUNBOOK_SERVICES
        .iter()
        .map(|p| Service::new(p.name, 2, None))
        .collect()
}
