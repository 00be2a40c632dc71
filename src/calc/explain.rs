//! Why a number is what it is (derivations) and what is wrong (findings).

use serde::Serialize;

/// Primary sources cited by derivations and findings (see shared/reference/domain-facts.md).
pub mod source {
    pub const HIKARI_POOL_SIZING: &str =
        "https://github.com/brettwooldridge/HikariCP/wiki/About-Pool-Sizing";
    pub const PG_CONNECTIONS: &str =
        "https://www.postgresql.org/docs/current/runtime-config-connection.html";
    pub const RDS_MAX_CONNECTIONS: &str = "https://docs.aws.amazon.com/prescriptive-guidance/latest/tuning-postgresql-parameters/max-connections.html";
    pub const RDS_RESERVED: &str =
        "https://repost.aws/knowledge-center/rds-postgresql-error-connection-slots";
    pub const SUPABASE_COMPUTE: &str = "https://supabase.com/docs/guides/platform/compute-and-disk";
    pub const PRISMA_URL_PARAMS: &str =
        "https://www.prisma.io/docs/orm/overview/databases/postgresql";
    pub const PRISMA_POOL: &str =
        "https://www.prisma.io/docs/orm/prisma-client/setup-and-configuration/databases-connections/connection-pool";
    pub const PRISMA_PGBOUNCER: &str =
        "https://www.prisma.io/docs/orm/prisma-client/setup-and-configuration/databases-connections/pgbouncer";
    pub const PRISMA_V7_UPGRADE: &str = "https://www.prisma.io/docs/orm/more/upgrade-guides/upgrading-versions/upgrading-to-prisma-7";
    pub const PRISMA_21531: &str = "https://github.com/prisma/prisma/issues/21531";
    pub const PRISMA_21799: &str = "https://github.com/prisma/prisma/issues/21799";
    pub const PRISMA_23438: &str = "https://github.com/prisma/prisma/issues/23438";
    pub const PG_POOL: &str =
        "https://github.com/brianc/node-postgres/blob/master/packages/pg-pool/index.js";
    pub const PGBOUNCER_CONFIG: &str = "https://www.pgbouncer.org/config.html";
    pub const PGBOUNCER_FDS: &str = "https://www.pgbouncer.org/config.html#max_client_conn";
    pub const PGBOUNCER_PREPARED: &str =
        "https://www.pgbouncer.org/config.html#max_prepared_statements";
    pub const PGBOUNCER_NEWS: &str = "https://www.pgbouncer.org/changelog.html";
    pub const PGBOUNCER_FEATURES: &str = "https://www.pgbouncer.org/features.html";
    pub const SUPAVISOR_PREPARED: &str =
        "https://supabase.com/docs/guides/database/connecting-to-postgres#disabling-prepared-statements";
    pub const K8S_MAX_SURGE: &str =
        "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#max-surge";
    pub const IOREDIS_OPTIONS: &str =
        "https://github.com/redis/ioredis/blob/main/lib/redis/RedisOptions.ts";
    pub const IOREDIS_PUBSUB: &str = "https://github.com/redis/ioredis#pubsub";
    pub const BULLMQ_CONNECTIONS: &str = "https://docs.bullmq.io/guide/connections";
    pub const BULLMQ_CLUSTER: &str = "https://docs.bullmq.io/patterns/redis-cluster";
    pub const REDIS_MAXCLIENTS: &str = "https://redis.io/docs/latest/develop/reference/clients/";
    pub const KAFKAJS_CONSUMING: &str = "https://kafka.js.org/docs/consuming#options";
    pub const KAFKAJS_PRODUCING: &str = "https://kafka.js.org/docs/producing#options";
    pub const KAFKAJS_TRANSACTIONS: &str = "https://kafka.js.org/docs/transactions";
    pub const KAFKAJS_MAINTAINERS: &str = "https://github.com/tulios/kafkajs/issues/1603";
    pub const CONFLUENT_KAFKA_JS: &str =
        "https://github.com/confluentinc/confluent-kafka-javascript/blob/master/MIGRATION.md";
    pub const PGBOUNCER_EXPORTER: &str =
        "https://github.com/prometheus-community/pgbouncer_exporter";
    pub const RUNBOOK: &str = "shared/reference/pooling-guide.md";
    pub const QUAINT_URL: &str =
        "https://github.com/prisma/prisma-engines/blob/main/quaint/src/connector/postgres/url.rs";
    pub const PG_CONNECTION_STRING: &str =
        "https://github.com/brianc/node-postgres/blob/master/packages/pg-connection-string/index.js";
    pub const PG_SSL: &str = "https://www.postgresql.org/docs/current/libpq-ssl.html";
    pub const PGBOUNCER_TLS: &str = "https://www.pgbouncer.org/config.html#tls-settings";
    pub const PGBOUNCER_AUTH_FILE: &str =
        "https://www.pgbouncer.org/config.html#authentication-file-format";
    pub const PGBOUNCER_TIMEOUTS: &str = "https://www.pgbouncer.org/config.html#query_wait_timeout";
    pub const RDS_SSL: &str =
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html";
    pub const SUPABASE_CONNECT: &str =
        "https://supabase.com/docs/guides/database/connecting-to-postgres";
    pub const DOTENV: &str = "https://github.com/motdotla/dotenv#what-happens-to-environment-variables-that-were-already-set";
    pub const PRISMA_ENV: &str =
        "https://www.prisma.io/docs/orm/more/development-environment/environment-variables";
    pub const PRISMA_TRANSACTIONS: &str =
        "https://www.prisma.io/docs/orm/prisma-client/queries/transactions#interactive-transactions";
    pub const LIBRDKAFKA_CONFIG: &str =
        "https://github.com/confluentinc/librdkafka/blob/master/CONFIGURATION.md";
    pub const KAFKA_GROUP_SESSION: &str =
        "https://kafka.apache.org/documentation/#brokerconfigs_group.min.session.timeout.ms";
    pub const KAFKA_SECURITY: &str = "https://kafka.apache.org/documentation/#security_sasl";
    pub const PROMETHEUS_RULES: &str =
        "https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/";
}

/// How one computed number came about: the formula, what went in, each clamp, and where the rule comes from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Derivation {
    pub formula: String,
    pub inputs: Vec<(String, String)>,
    pub steps: Vec<String>,
    pub source: &'static str,
}

impl Derivation {
    /// Starts a derivation from its formula and source.
    pub fn new(formula: impl Into<String>, source: &'static str) -> Self {
        Derivation {
            formula: formula.into(),
            inputs: Vec::new(),
            steps: Vec::new(),
            source,
        }
    }

    /// Records one input the formula used.
    pub fn input(mut self, name: &str, value: impl ToString) -> Self {
        self.inputs.push((name.to_string(), value.to_string()));
        self
    }

    /// Records a clamp or adjustment, with why it was applied.
    pub fn step(mut self, text: impl Into<String>) -> Self {
        self.steps.push(text.into());
        self
    }
}

/// How bad a finding is. Ordered so that sorting puts errors first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// Something the user should know or fix, with a stable code and a source.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub source: &'static str,
    /// The share-link parameter to change (the page focuses its field).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    /// The pin (`set=PATH:VALUE`) this finding is about, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pin: Option<String>,
}

impl Finding {
    pub fn new(
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
        source: &'static str,
    ) -> Self {
        Finding {
            severity,
            code,
            message: message.into(),
            source,
            field: None,
            pin: None,
        }
    }
    pub fn error(code: &'static str, message: impl Into<String>, source: &'static str) -> Self {
        Self::new(Severity::Error, code, message, source)
    }
    pub fn warning(code: &'static str, message: impl Into<String>, source: &'static str) -> Self {
        Self::new(Severity::Warning, code, message, source)
    }
    pub fn info(code: &'static str, message: impl Into<String>, source: &'static str) -> Self {
        Self::new(Severity::Info, code, message, source)
    }
    /// Names the input field that fixes it.
    pub fn field(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }
    /// Names the pin this finding is about.
    pub fn pin(mut self, path: impl Into<String>) -> Self {
        self.pin = Some(path.into());
        self
    }
}
