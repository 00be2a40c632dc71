//! Why a number is what it is (derivations) and what is wrong (findings).

use serde::Serialize;

/// Primary sources cited by derivations and findings (see shared/reference/domain-facts.md).
/// Declared through one macro, so that `ALL` lists every one (a test checks each is cited).
pub mod source {
    macro_rules! sources {
        ($($name:ident = $url:literal,)+) => {
            $(pub const $name: &str = $url;)+
            /// Every declared source.
            pub const ALL: &[&str] = &[$($name),+];
        };
    }
    sources! {
        HIKARI_POOL_SIZING = "https://github.com/brettwooldridge/HikariCP/wiki/About-Pool-Sizing",
        PG_CONNECTIONS = "https://www.postgresql.org/docs/current/runtime-config-connection.html",
        RDS_MAX_CONNECTIONS = "https://docs.aws.amazon.com/prescriptive-guidance/latest/tuning-postgresql-parameters/max-connections.html",
        RDS_CLASSES = "https://aws.amazon.com/rds/instance-types/",
        RDS_RESERVED = "https://repost.aws/knowledge-center/rds-postgresql-error-connection-slots",
        SUPABASE_COMPUTE = "https://supabase.com/docs/guides/platform/compute-and-disk",
        PRISMA_URL_PARAMS = "https://www.prisma.io/docs/orm/overview/databases/postgresql",
        PRISMA_POOL = "https://www.prisma.io/docs/orm/prisma-client/setup-and-configuration/databases-connections/connection-pool",
        PRISMA_PGBOUNCER = "https://www.prisma.io/docs/orm/prisma-client/setup-and-configuration/databases-connections/pgbouncer",
        PRISMA_V7_UPGRADE = "https://www.prisma.io/docs/orm/more/upgrade-guides/upgrading-versions/upgrading-to-prisma-7",
        PRISMA_21531 = "https://github.com/prisma/prisma/issues/21531",
        PRISMA_21799 = "https://github.com/prisma/prisma/issues/21799",
        PRISMA_23438 = "https://github.com/prisma/prisma/issues/23438",
        PG_POOL = "https://github.com/brianc/node-postgres/blob/master/packages/pg-pool/index.js",
        PGBOUNCER_CONFIG = "https://www.pgbouncer.org/config.html",
        PGBOUNCER_FDS = "https://www.pgbouncer.org/config.html#max_client_conn",
        PGBOUNCER_PREPARED = "https://www.pgbouncer.org/config.html#max_prepared_statements",
        PGBOUNCER_NEWS = "https://www.pgbouncer.org/changelog.html",
        PGBOUNCER_FEATURES = "https://www.pgbouncer.org/features.html",
        SUPAVISOR_PREPARED = "https://supabase.com/docs/guides/database/connecting-to-postgres#disabling-prepared-statements",
        K8S_MAX_SURGE = "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#max-surge",
        IOREDIS_OPTIONS = "https://github.com/redis/ioredis/blob/main/lib/redis/RedisOptions.ts",
        IOREDIS_PUBSUB = "https://github.com/redis/ioredis#pubsub",
        BULLMQ_CONNECTIONS = "https://docs.bullmq.io/guide/connections",
        BULLMQ_CLUSTER = "https://docs.bullmq.io/patterns/redis-cluster",
        REDIS_MAXCLIENTS = "https://redis.io/docs/latest/develop/reference/clients/",
        KAFKAJS_CONFIGURATION = "https://kafka.js.org/docs/configuration",
        KAFKAJS_CONSUMING = "https://kafka.js.org/docs/consuming#options",
        KAFKAJS_PRODUCING = "https://kafka.js.org/docs/producing#options",
        KAFKAJS_TRANSACTIONS = "https://kafka.js.org/docs/transactions",
        KAFKAJS_MAINTAINERS = "https://github.com/tulios/kafkajs/issues/1603",
        CONFLUENT_KAFKA_JS = "https://github.com/confluentinc/confluent-kafka-javascript/blob/master/MIGRATION.md",
        KAFKA_EXPORTER = "https://github.com/danielqsj/kafka_exporter",
        PGBOUNCER_AUTH_TYPE = "https://www.pgbouncer.org/config.html#auth_type",
        PGBOUNCER_ADMIN = "https://www.pgbouncer.org/config.html#admin_users",
        PG_STAT_STATEMENTS = "https://www.postgresql.org/docs/current/pgstatstatements.html",
        PGBOUNCER_EXPORTER = "https://github.com/prometheus-community/pgbouncer_exporter",
        RUNBOOK = "shared/reference/pooling-guide.md",
        QUAINT_URL = "https://github.com/prisma/prisma-engines/blob/main/quaint/src/connector/postgres/url.rs",
        PG_CONNECTION_STRING = "https://github.com/brianc/node-postgres/blob/master/packages/pg-connection-string/index.js",
        PG_SSL = "https://www.postgresql.org/docs/current/libpq-ssl.html",
        PGBOUNCER_TLS = "https://www.pgbouncer.org/config.html#tls-settings",
        PGBOUNCER_TIMEOUTS = "https://www.pgbouncer.org/config.html#query_wait_timeout",
        RDS_SSL = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html",
        SUPABASE_CONNECT = "https://supabase.com/docs/guides/database/connecting-to-postgres",
        LIBRDKAFKA_CONFIG = "https://github.com/confluentinc/librdkafka/blob/master/CONFIGURATION.md",
        KAFKA_GROUP_SESSION = "https://kafka.apache.org/documentation/#brokerconfigs_group.min.session.timeout.ms",
        KAFKA_SECURITY = "https://kafka.apache.org/documentation/#security_sasl",
        PROMETHEUS_RULES = "https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/",
        PGBOUNCER_INI_PARSER = "https://github.com/pgbouncer/pgbouncer/blob/master/lib/usual/cfparser.c",
        PGBOUNCER_AUTH_FILE = "https://www.pgbouncer.org/config.html#authentication-file-format",
        PGBOUNCER_DATABASES = "https://www.pgbouncer.org/config.html#section-databases",
        PGBOUNCER_SHOW = "https://www.pgbouncer.org/usage.html#show-pools",
        LIBPQ_URI = "https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS",
        DOTENV_RULES = "https://github.com/motdotla/dotenv#what-rules-does-the-parsing-engine-follow",
        PG_STAT_ACTIVITY = "https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-ACTIVITY-VIEW",
        PG_CREATE_ROLE = "https://www.postgresql.org/docs/current/sql-createrole.html",
        PGBOUNCER_USERS = "https://www.pgbouncer.org/config.html#section-users",
    }
}

/// How one computed number came about: the formula, what went in, each clamp, and where the rule comes from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Derivation {
    pub formula: String,
    pub inputs: Vec<(String, String)>,
    pub steps: Vec<String>,
    pub source: &'static str,
    /// Set when the value is a judgement rather than a documented rule: why this value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heuristic: Option<String>,
}

impl Derivation {
    /// Starts a derivation from its formula and source.
    pub fn new(formula: impl Into<String>, source: &'static str) -> Self {
        Derivation {
            formula: formula.into(),
            inputs: Vec::new(),
            steps: Vec::new(),
            source,
            heuristic: None,
        }
    }

    /// Marks the value as a heuristic, with why this value.
    pub fn heuristic(mut self, why: impl Into<String>) -> Self {
        self.heuristic = Some(why.into());
        self
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
