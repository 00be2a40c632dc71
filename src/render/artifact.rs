//! The generated files: one enumeration, from which the names (`block=`, the CLI, the tabs), the
//! download file names, the renderer and "does it apply" all come. Adding an artifact is a
//! variant here, its template file and its renderer.

use super::context::Context;
use super::{
    alerts, budget_md, diagnostics, env, findings, ioredis, kafkajs, pgbouncer, prisma, roles, url,
};
use crate::calc::inputs::{DbRoles, Inputs, KafkaClient, Pooler, Prisma, RedisMode};
use crate::calc::text_enum::text_enum;

text_enum!(
    /// The artifacts, in the order the page shows them.
    Artifact {
        Env = "env",
        DatabaseUrl = "database-url",
        PrismaSchema = "prisma-schema",
        PrismaClient = "prisma-client",
        PgbouncerIni = "pgbouncer.ini",
        Userlist = "userlist.txt",
        RolesSql = "roles.sql",
        Ioredis = "ioredis",
        Kafkajs = "kafkajs",
        Alerts = "alerts.yml",
        Diagnostics = "diagnostics.sql",
        BudgetMd = "budget.md",
        Findings = "findings",
    }
);

impl Artifact {
    /// The text of the artifact for these inputs, plan, secrets and service. An artifact that does
    /// not apply (pgbouncer.ini without PgBouncer) says so.
    pub fn render(self, cx: &Context) -> String {
        match self {
            Artifact::Env => env::env_file(cx),
            Artifact::DatabaseUrl => url::database_url_artifact(cx),
            Artifact::PrismaSchema => prisma::schema(cx),
            Artifact::PrismaClient => prisma::client(cx),
            Artifact::PgbouncerIni => pgbouncer::ini(cx),
            Artifact::Userlist => pgbouncer::userlist(cx),
            Artifact::RolesSql => roles::sql(cx),
            Artifact::Ioredis => ioredis::module(cx),
            Artifact::Kafkajs => kafkajs::module(cx),
            Artifact::Alerts => alerts::rules(cx),
            Artifact::Diagnostics => diagnostics::sql(cx),
            Artifact::BudgetMd => budget_md::table(cx),
            Artifact::Findings => findings::text(cx),
        }
    }

    /// Whether the artifact has content for these inputs (the page hides the others).
    pub fn applies(self, i: &Inputs) -> bool {
        match self {
            Artifact::PgbouncerIni | Artifact::Userlist => i.pooler.kind == Pooler::PgBouncer,
            // A role per service: not written for Supavisor (a finding says why).
            Artifact::RolesSql => {
                i.db.roles == DbRoles::PerService && i.pooler.kind != Pooler::Supavisor
            }
            Artifact::Ioredis => i.redis.mode != RedisMode::Off,
            Artifact::Kafkajs => i.kafka.client != KafkaClient::Off,
            _ => true,
        }
    }

    /// Whether there is one of it per service (the page offers a service picker).
    pub fn per_service(self) -> bool {
        matches!(self, Artifact::Env | Artifact::DatabaseUrl)
    }

    /// The file name it downloads as (the `.env` is per service: `<service>.env`).
    pub fn file_name(self, cx: &Context) -> String {
        let v7 = cx.inputs.prisma == Prisma::V7;
        match self {
            // Browsers refuse to save a leading-dot name (Chromium saves ".env" as "env.txt"), so
            // the service's name leads: one file per service, since dotenv keeps one value per key.
            Artifact::Env => match cx.service_plan() {
                Some(s) => format!("{}.env", s.name),
                None => "poolcalc.env".into(),
            },
            Artifact::DatabaseUrl => "DATABASE_URL.txt".into(),
            Artifact::PrismaSchema if v7 => "prisma.config.ts".into(),
            Artifact::PrismaSchema => "schema.prisma".into(),
            Artifact::PrismaClient => "db.ts".into(),
            Artifact::PgbouncerIni => "pgbouncer.ini".into(),
            Artifact::Userlist => "userlist.txt".into(),
            Artifact::RolesSql => "roles.sql".into(),
            Artifact::Ioredis => "redis.ts".into(),
            Artifact::Kafkajs => "kafka.ts".into(),
            Artifact::Alerts => "alerts.yml".into(),
            Artifact::Diagnostics => "diagnostics.sql".into(),
            Artifact::BudgetMd => "budget.md".into(),
            Artifact::Findings => "findings.txt".into(),
        }
    }
}
