//! The input form, in sections. Sections that depend on a choice (provider, pooler, Redis, Kafka)
//! read that choice through a memo, so typing elsewhere never rebuilds them.

use leptos::prelude::*;

use super::fields::{enum_options, FlagField, InputField, SecretField, SelectField};
use super::pins::Pins;
use super::services::ServicesTable;
use super::state::state;
use crate::calc::inputs::{
    Compression, Env, KafkaClient, PgbVersion, PoolMode, Pooler, Provider, RedisMode, RedisUse,
    Sasl, SslMode, Storage, Surge,
};
use crate::calc::presets::{SupabaseTier, RDS_CLASSES};

fn pgb_versions() -> Vec<(String, String)> {
    (PgbVersion::OLDEST.0..=PgbVersion::NEWEST.0)
        .map(|m| (format!("1.{m}"), format!("1.{m}")))
        .collect()
}

/// The whole form; rebuilt from the inputs when they are replaced as a whole.
#[component]
pub fn InputForm() -> impl IntoView {
    let s = state();
    move || {
        s.revision.track();
        view! {
            <form class="inputs" aria-label="Inputs" on:submit=|ev| ev.prevent_default()>
                <Environment />
                <DatabaseServer />
                <PoolerSection />
                <ServicesTable />
                <RedisSection />
                <KafkaSection />
                <Pins />
            </form>
        }
    }
}

/// Environment, preset and deploy surge.
#[component]
fn Environment() -> impl IntoView {
    view! {
        <fieldset>
            <legend>"Environment"</legend>
            <SelectField key="env" label="Environment" hint="the runbook's rows: pool size and timeouts" options=enum_options(Env::ALL) />
            <SelectField
                key="preset"
                label="Preset"
                hint="runbook: load the runbook's own numbers as pins, to review them"
                options=vec![("".into(), "none".into()), ("runbook".into(), "runbook".into())]
            />
            <SelectField key="surge" label="Deploy surge" hint="none ×1, rolling ×1.25 (rounded up), bluegreen ×2" options=enum_options(Surge::ALL) />
        </fieldset>
    }
}

/// The database server: provider presets, size and connection identity.
#[component]
fn DatabaseServer() -> impl IntoView {
    let s = state();
    let provider = Memo::new(move |_| s.inputs.with(|i| i.db.provider));
    let class_set = Memo::new(move |_| s.inputs.with(|i| i.db.rds_class.is_some()));
    let sized_by_preset = Signal::derive(move || {
        provider.get() == Provider::Supabase || (provider.get() == Provider::Rds && class_set.get())
    });
    let rds_options = std::iter::once((
        "".to_string(),
        "custom (enter cores and max_connections)".to_string(),
    ))
    .chain(RDS_CLASSES.iter().map(|c| {
        (
            c.name.to_string(),
            format!("{} ({} vCPU, {} GiB)", c.name, c.vcpus, c.memory_gib),
        )
    }))
    .collect::<Vec<_>>();
    view! {
        <fieldset>
            <legend>"Database server"</legend>
            <SelectField key="provider" label="Provider" options=enum_options(Provider::ALL) />
            {move || match provider.get() {
                Provider::Rds => view! { <SelectField key="rds_class" label="RDS instance class" hint="fills cores and max_connections" options=rds_options.clone() /> }.into_any(),
                Provider::Supabase => view! { <SelectField key="supabase_tier" label="Supabase compute size" hint="fills cores and max_connections" options=enum_options(SupabaseTier::ALL) /> }.into_any(),
                Provider::SelfHosted => ().into_any(),
            }}
            <InputField key="db_cores" label="Database server cores" hint="physical cores, 1–512" numeric=true disabled=sized_by_preset />
            <InputField key="db_max_conn" label="max_connections" hint="connections, 1–262143" numeric=true disabled=sized_by_preset />
            <InputField key="db_reserved" label="Reserved slots" hint="superuser_reserved_connections + reserved_connections, 0–1000" numeric=true />
            <InputField key="headroom" label="Headroom" hint="slots kept for migrations, admin, exporters, 0–1000" numeric=true />
            <SelectField key="db_storage" label="Storage" options=enum_options(Storage::ALL) />
            <InputField key="db_spindles" label="Effective spindles" hint="0–128, counts only with hdd" numeric=true />
            <InputField key="db_host" label="Host" hint="host name or IPv4" />
            <InputField key="db_port" label="Port" hint="1–65535" numeric=true />
            <InputField key="db_name" label="Database" hint="letters, digits, _ (1–63)" />
            <InputField key="db_user" label="User" hint="letters, digits, _ . - (1–63)" />
            <InputField key="db_schema" label="Schema" hint="optional; lower-case identifier" />
            <SelectField key="sslmode" label="sslmode" options=enum_options(SslMode::ALL) />
            <SecretField key="db_password" label="Database password" />
        </fieldset>
    }
}

/// The pooler and the ORM version.
#[component]
fn PoolerSection() -> impl IntoView {
    let s = state();
    let pooler = Memo::new(move |_| s.inputs.with(|i| i.pooler.kind));
    view! {
        <fieldset>
            <legend>"Pooler and ORM"</legend>
            <SelectField key="pooler" label="Pooler" options=enum_options(Pooler::ALL) />
            {move || match pooler.get() {
                Pooler::PgBouncer => view! {
                    <SelectField key="pgb_version" label="PgBouncer version" hint="keys are gated on it" options=pgb_versions() />
                    <SelectField key="pgb_mode" label="Pool mode" options=enum_options(PoolMode::ALL) />
                    <InputField key="pgb_instances" label="PgBouncer instances" hint="processes in front of the database, 1–64" numeric=true />
                    <InputField key="pgb_host" label="PgBouncer host" hint="where clients reach it" />
                    <InputField key="pgb_port" label="PgBouncer port" hint="1–65535" numeric=true />
                    <InputField key="pgb_auth_file" label="auth_file path" hint="absolute path of userlist.txt" />
                }.into_any(),
                Pooler::Supavisor => view! {
                    <InputField key="pgb_host" label="Pooler host" hint="Supavisor's host name" />
                    <InputField key="pgb_port" label="Pooler port" hint="6543 for transaction mode" numeric=true />
                }.into_any(),
                Pooler::None => ().into_any(),
            }}
            <SelectField key="prisma" label="Prisma version" hint="6: pool in the URL; 7: @prisma/adapter-pg" options=vec![("6".into(), "6".into()), ("7".into(), "7".into())] />
            <InputField key="app_cores" label="App host cores" hint="physical cores of one app instance, 1–512" numeric=true />
        </fieldset>
    }
}

/// Redis: topology, uses, and where it is.
#[component]
fn RedisSection() -> impl IntoView {
    let s = state();
    let mode = Memo::new(move |_| s.inputs.with(|i| i.redis.mode));
    view! {
        <fieldset>
            <legend>"Redis"</legend>
            <SelectField key="redis" label="Redis" options=enum_options(RedisMode::ALL) />
            {move || match mode.get() {
                RedisMode::Off => ().into_any(),
                m => view! {
                    <UsesField />
                    {(m == RedisMode::Single).then(|| view! {
                        <InputField key="redis_host" label="Redis host" />
                        <InputField key="redis_port" label="Redis port" hint="1–65535" numeric=true />
                        <InputField key="redis_db" label="Redis database" hint="0–255" numeric=true />
                    })}
                    {(m == RedisMode::Cluster).then(|| view! {
                        <InputField key="redis_nodes" label="Cluster seeds" hint="comma list of host:port" />
                    })}
                    <InputField key="redis_maxclients" label="maxclients" hint="the server's client limit, 1–10000000" numeric=true />
                    <FlagField key="redis_tls" label="TLS" />
                    <SecretField key="redis_password" label="Redis password" />
                }.into_any(),
            }}
        </fieldset>
    }
}

/// The three Redis uses as checkboxes (at least one stays on).
#[component]
fn UsesField() -> impl IntoView {
    let s = state();
    let boxes = RedisUse::ALL
        .iter()
        .map(|&u| {
            let id = format!("f-redis_use-{u}");
            let checked = s.inputs.with_untracked(|i| i.redis.uses.contains(&u));
            let toggle = move |ev| {
                let on = event_target_checked(&ev);
                let mut uses = s.inputs.with_untracked(|i| i.redis.uses.clone());
                uses.retain(|x| *x != u);
                if on {
                    uses.push(u);
                }
                let text: Vec<&str> = RedisUse::ALL
                    .iter()
                    .filter(|x| uses.contains(x))
                    .map(|x| x.as_str())
                    .collect();
                if text.is_empty() {
                    s.set_error(
                        "redis_use",
                        "Redis uses must include at least one of cache, queue or pubsub.".into(),
                    );
                } else {
                    s.set_param("redis_use", "Redis uses", &text.join(","));
                }
            };
            view! {
                <span class="check">
                    <input type="checkbox" id=id.clone() checked=checked on:change=toggle />
                    <label for=id>{u.to_string()}</label>
                </span>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field" id="f-redis_use">
            <legend>"Redis uses"</legend>
            <span class="hint">"queue workers and subscribers each need their own connection"</span>
            {boxes}
            <p class="field-error" role="alert">{move || s.error("redis_use")}</p>
        </fieldset>
    }
}

/// Kafka: client library, brokers and the producer's guarantees.
#[component]
fn KafkaSection() -> impl IntoView {
    let s = state();
    let client = Memo::new(move |_| s.inputs.with(|i| i.kafka.client));
    view! {
        <fieldset>
            <legend>"Kafka"</legend>
            <SelectField key="kafka" label="Kafka client" hint="confluent: @confluentinc/kafka-javascript" options=enum_options(KafkaClient::ALL) />
            {move || (client.get() != KafkaClient::Off).then(|| view! {
                <InputField key="kafka_brokers" label="Brokers" hint="comma list of host:port" />
                <FlagField key="kafka_eos" label="Exactly-once (idempotent) producer" />
                <SelectField key="kafka_compression" label="Compression" options=enum_options(Compression::ALL) />
                <FlagField key="kafka_ssl" label="SSL" />
                <SelectField key="kafka_sasl" label="SASL" options=enum_options(Sasl::ALL) />
                <SecretField key="kafka_password" label="Kafka SASL password" />
            })}
        </fieldset>
    }
}
