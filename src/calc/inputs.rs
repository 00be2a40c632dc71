//! Everything the user can set, typed. The share link (`query`) is its one text form.
//! Secrets are deliberately absent: they never enter the shareable state.

use serde::Serialize;

use super::text_enum::text_enum;

text_enum!(
    /// The runbook's four environment rows.
    Env { Dev = "dev", Staging = "staging", Prod = "prod", ProdHigh = "prod-high" }
);
text_enum!(
    /// Who runs the database server.
    Provider { SelfHosted = "self", Rds = "rds", Supabase = "supabase" }
);
text_enum!(
    /// Storage kind; spindles only count on `hdd`.
    Storage { Ssd = "ssd", Hdd = "hdd", Network = "network" }
);
text_enum!(
    /// The sslmode values Prisma 6 understands (others silently become `prefer`).
    SslMode { Disable = "disable", Prefer = "prefer", Require = "require" }
);
text_enum!(
    /// The connection pooler between the apps and the database.
    Pooler { None = "none", PgBouncer = "pgbouncer", Supavisor = "supavisor" }
);
text_enum!(
    /// PgBouncer's pool_mode.
    PoolMode { Session = "session", Transaction = "transaction", Statement = "statement" }
);
text_enum!(
    /// Prisma major version: 6 keeps pool settings in the URL, 7 uses @prisma/adapter-pg.
    Prisma { V6 = "6", V7 = "7" }
);
text_enum!(
    /// How a service uses the database.
    Workload { WriteHeavy = "write-heavy", Moderate = "moderate", ReadHeavy = "read-heavy" }
);
text_enum!(
    /// Deploy overlap: how many extra replicas run during a deploy.
    Surge { None = "none", Rolling = "rolling", BlueGreen = "bluegreen" }
);
text_enum!(
    /// Redis topology.
    RedisMode { Off = "off", Single = "single", Cluster = "cluster" }
);
text_enum!(
    /// What the services use Redis for (each use may need its own connections).
    RedisUse { Cache = "cache", Queue = "queue", PubSub = "pubsub" }
);
text_enum!(
    /// Kafka client library.
    KafkaClient { Off = "off", KafkaJs = "kafkajs", Confluent = "confluent" }
);
text_enum!(
    /// Producer compression codec.
    Compression { None = "none", Gzip = "gzip", Snappy = "snappy", Lz4 = "lz4", Zstd = "zstd" }
);
text_enum!(
    /// SASL mechanism for Kafka.
    Sasl { None = "none", Plain = "plain", ScramSha256 = "scram-sha-256", ScramSha512 = "scram-sha-512" }
);
text_enum!(
    /// Presets that load someone else's settings as pins, to review them.
    Preset { Runbook = "runbook" }
);

/// A PgBouncer release line, 1.18 to 1.25 (the minor number; the major is 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct PgbVersion(pub u8);

impl PgbVersion {
    pub const OLDEST: PgbVersion = PgbVersion(18);
    pub const NEWEST: PgbVersion = PgbVersion(25);
    /// Protocol-level prepared statements in transaction mode (PgBouncer 1.21.0, NEWS).
    pub fn has_prepared_statements(self) -> bool {
        self.0 >= 21
    }
    /// `DEALLOCATE ALL` / `DISCARD ALL` handled (1.22.0, NEWS.md:302-307).
    pub fn handles_deallocate_all(self) -> bool {
        self.0 >= 22
    }
    /// max_prepared_statements defaults to 200 from 1.24.0 (0 before; NEWS L161).
    pub fn default_max_prepared_statements(self) -> u32 {
        match self.0 {
            24.. => 200,
            _ => 0,
        }
    }
}

impl std::fmt::Display for PgbVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "1.{}", self.0)
    }
}

impl std::str::FromStr for PgbVersion {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let minor = s.strip_prefix("1.").ok_or(())?;
        if minor.len() != 2 || !minor.bytes().all(|b| b.is_ascii_digit()) {
            return Err(());
        }
        let v = PgbVersion(minor.parse().map_err(|_| ())?);
        (Self::OLDEST..=Self::NEWEST)
            .contains(&v)
            .then_some(v)
            .ok_or(())
    }
}

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
    pub replicas: u32,
    /// `None` means the preset's workload (or `moderate` for a name that is not a preset).
    pub workload: Option<Workload>,
}

impl Service {
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
    pub supabase_tier: super::presets::SupabaseTier,
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
                supabase_tier: super::presets::SupabaseTier::Micro,
                headroom: 5,
                host: "localhost".into(),
                port: 5432,
                name: "app".into(),
                user: "app".into(),
                schema: None,
                sslmode: SslMode::Prefer,
                ca_file: None,
                supabase_ref: None,
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
        .map(|p| Service {
            name: p.name.to_string(),
            replicas: 2,
            workload: None,
        })
        .collect()
}
