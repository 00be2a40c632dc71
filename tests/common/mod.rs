//! Helpers shared by the native integration tests.
#![allow(dead_code)]

use poolcalc::calc::{self, Plan, Severity};

/// Parses a query that must be valid and computes its plan.
pub fn plan_of(query: &str) -> Plan {
    let parsed = calc::parse(query);
    assert!(
        parsed.errors.is_empty(),
        "{query}: unexpected errors {:?}",
        parsed.errors
    );
    calc::plan(&parsed.inputs)
}

/// The finding codes of a plan at a severity.
pub fn codes(plan: &Plan, severity: Severity) -> Vec<&'static str> {
    plan.findings
        .iter()
        .filter(|f| f.severity == severity)
        .map(|f| f.code)
        .collect()
}

/// True if the plan has a finding with this code.
pub fn has(plan: &Plan, code: &str) -> bool {
    plan.findings.iter().any(|f| f.code == code)
}

/// The finding with this code (panics with the list if absent).
pub fn finding<'a>(plan: &'a Plan, code: &str) -> &'a calc::Finding {
    plan.findings
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| {
            panic!(
                "no finding {code} in {:?}",
                plan.findings.iter().map(|f| f.code).collect::<Vec<_>>()
            )
        })
}

/// A service's planned connection_limit.
pub fn limit(plan: &Plan, name: &str) -> u32 {
    plan.services
        .iter()
        .find(|s| s.name == name)
        .expect("service")
        .connection_limit
}

/// One artifact of a query, as the CLI prints it (no secrets), for a service if given.
#[allow(dead_code)]
pub fn artifact_of(query: &str, name: &str, service: Option<&str>) -> String {
    use poolcalc::render::{Artifact, Context, Secrets};
    let parsed = calc::parse(query);
    assert!(parsed.errors.is_empty(), "{query}: {:?}", parsed.errors);
    let plan = calc::plan(&parsed.inputs);
    let secrets = Secrets::default();
    let artifact: Artifact = name.parse().expect("an artifact name");
    artifact.render(&Context::new(&parsed.inputs, &plan, &secrets).for_service(service))
}
