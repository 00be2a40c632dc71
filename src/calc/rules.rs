//! The rules version and its changelog. A link carries the version it was made under
//! (`rules=N`, written by the page since rules v2); opening an older one shows today's answer
//! and what changed since, as Mozilla's SSL configuration generator does with `guideline=`.
//! Links written before `rules=` existed carry `v=1` alone: they were made under rules v1.

/// The version of poolcalc's rules. Bump it, with a changelog entry, when a rule changes what a
/// link produces.
pub const RULES_VERSION: u32 = 2;

/// What each rules version changed, newest last.
pub const CHANGELOG: &[(u32, &[&str])] = &[
    (1, &["The first rules: the runbook's pool sizes weighted by workload, under 2 × cores + spindles, multiplied by replicas and deploy surge."]),
    (
        2,
        &[
            "Every file works as generated on default inputs: TLS on each hop (the URLs' sslmode matches what each client and PgBouncer really do), one .env per service with application_name, passwords put in at run time instead of written into URLs.",
            "Supabase's direct and Supavisor doors; RDS planned below its max_connections bound; PgBouncer's session mode sized per client; one timeout ladder from the client to the server; alerts set above the planned peak.",
            "Redis counted per node, with BullMQ's own connections (a Worker's blocking connection, QueueEvents) and the queue's hash tag on a cluster; Kafka values kept within each client's range (KafkaJS or the Confluent client).",
            "Pins for every computed setting, with their derivations; the runbook preset reviews the runbook's PgBouncer section and its snippets.",
        ],
    ),
];

/// The rules version a link was made under: its `rules=`, else 1 for a link the page wrote
/// before `rules=` existed (it starts with `v=1`), else unknown (a query typed by hand).
pub fn made_under(rules: Option<u32>, has_schema_version: bool) -> Option<u32> {
    rules.or(has_schema_version.then_some(1))
}

/// What changed after rules version `since`, one line per change, oldest first.
pub fn changes_since(since: u32) -> Vec<(u32, &'static str)> {
    CHANGELOG
        .iter()
        .filter(|(v, _)| *v > since)
        .flat_map(|(v, lines)| lines.iter().map(move |l| (*v, *l)))
        .collect()
}

/// The notice for a link made under older rules: a heading and the changes, or `None`.
pub fn notice(made: Option<u32>) -> Option<(String, Vec<(u32, &'static str)>)> {
    let made = made.filter(|v| *v < RULES_VERSION)?;
    Some((
        format!("This link was made under poolcalc's rules v{made}; it shows today's answer (rules v{RULES_VERSION}). What changed since:"),
        changes_since(made),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_version_has_its_changes_and_old_links_get_a_notice() {
        for v in 1..=RULES_VERSION {
            assert!(
                CHANGELOG
                    .iter()
                    .any(|(c, lines)| *c == v && !lines.is_empty()),
                "v{v}"
            );
        }
        assert_eq!(made_under(None, true), Some(1));
        assert_eq!(made_under(None, false), None);
        assert_eq!(made_under(Some(2), true), Some(2));
        assert!(notice(Some(RULES_VERSION)).is_none());
        assert!(notice(None).is_none());
        let (head, lines) = notice(Some(1)).expect("notice");
        assert!(head.contains("rules v1"));
        assert!(lines.iter().all(|(v, _)| *v == 2) && !lines.is_empty());
    }
}
