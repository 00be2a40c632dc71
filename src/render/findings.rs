//! findings: plain text, one finding per paragraph, errors first.

use super::Context;
use crate::calc::Severity;

/// Renders the findings list.
pub fn text(cx: &Context) -> String {
    let mut out = cx.header("#");
    if cx.plan.findings.is_empty() {
        out += "\nNo findings.\n";
    }
    for f in &cx.plan.findings {
        let level = match f.severity {
            Severity::Error => "ERROR",
            Severity::Warning => "WARNING",
            Severity::Info => "INFO",
        };
        out += &format!(
            "\n{level} {}\n{}\nSource: {}\n",
            f.code, f.message, f.source
        );
    }
    out
}
