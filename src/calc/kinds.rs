//! The small enumerations of the inputs (each with exactly one text form, for the link, storage,
//! the CLI and the page's options) and the PgBouncer release line. Both the inputs and the preset
//! tables use them; they use neither.

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
    /// Who the services log in as: one shared user, or a role per service whose connections
    /// PostgreSQL (CONNECTION LIMIT) and PgBouncer (max_user_connections) cap at its share.
    DbRoles { Shared = "shared", PerService = "per-service" }
);
text_enum!(
    /// Presets that load someone else's settings as pins, to review them.
    Preset { Runbook = "runbook" }
);

/// A PgBouncer release line, 1.18 to 1.25 (the minor number; the major is 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct PgbVersion(pub u8);

impl PgbVersion {
    /// The release lines poolcalc knows, oldest first: the one list the link, the CLI and the
    /// form read.
    pub const TEXTS: &'static [&'static str] = &[
        "1.18", "1.19", "1.20", "1.21", "1.22", "1.23", "1.24", "1.25",
    ];
    pub const OLDEST: PgbVersion = PgbVersion(18);
    pub const NEWEST: PgbVersion = PgbVersion(18 + Self::TEXTS.len() as u8 - 1);
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
        let at = Self::TEXTS.iter().position(|t| *t == s).ok_or(())?;
        Ok(PgbVersion(Self::OLDEST.0 + at as u8))
    }
}

text_enum!(
    /// Supabase compute sizes.
    SupabaseTier {
        Nano = "nano", Micro = "micro", Small = "small", Medium = "medium", Large = "large",
        Xl = "xl", X2l = "2xl", X4l = "4xl", X8l = "8xl", X12l = "12xl", X16l = "16xl",
    }
);
