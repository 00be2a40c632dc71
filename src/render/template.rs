//! Fills the template files under `src/render/templates/`: the fixed text of each generated file,
//! kept as the file it is (TypeScript, ini, YAML), so that a reviewer reads it in its own format.
//!
//! The syntax is two things, both easy to spot in any format:
//! - `{{name}}` is replaced by a value (which may span lines); a `{{` not followed by a lower-case
//!   name and `}}` is left alone, so Prometheus' `{{ $labels.x }}` passes through;
//! - a line holding only `{{name}}` (no indentation) becomes the value's lines, each ending in a
//!   newline, so a list of entries or a snippet goes in whole and an empty value leaves no line;
//! - a line holding only `{{#name}}` or `{{^name}}` opens a block kept when the flag is set (or,
//!   with `^`, when it is not), up to a line holding only `{{/name}}`; those lines are dropped.
//!
//! Every value put into a template has been escaped for its format by the renderer.

/// Fills `text` with `values` and `flags`. A placeholder or flag without a value stays as written
/// (the golden files would show it), and never panics.
pub fn fill(text: &str, values: &[(&str, &str)], flags: &[(&str, bool)]) -> String {
    let mut out = String::with_capacity(text.len() + 256);
    // For each open block: whether its lines are kept.
    let mut open: Vec<bool> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(tag) = block_tag(trimmed) {
            match tag {
                Tag::Open(name, want) => {
                    let set = flags.iter().any(|(n, v)| *n == name && *v);
                    open.push(set == want);
                }
                Tag::Close => {
                    open.pop();
                }
            }
            continue;
        }
        if !open.iter().all(|keep| *keep) {
            continue;
        }
        if let Some(v) = whole_line_value(line, values) {
            for l in v.lines() {
                out.push_str(l);
                out.push('\n');
            }
        } else {
            substitute(line, values, &mut out);
            out.push('\n');
        }
    }
    out
}

/// The value of a line that is exactly one known `{{name}}`.
fn whole_line_value<'a>(line: &str, values: &[(&str, &'a str)]) -> Option<&'a str> {
    let name = line.strip_prefix("{{")?.strip_suffix("}}")?;
    values.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

/// The values and flags of one template, collected by name, then filled in with [`Fill::render`].
#[derive(Default)]
pub struct Fill {
    values: Vec<(&'static str, String)>,
    flags: Vec<(&'static str, bool)>,
}

impl Fill {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `{{name}}`.
    pub fn value(mut self, name: &'static str, value: impl ToString) -> Self {
        self.values.push((name, value.to_string()));
        self
    }

    /// Sets the flag of `{{#name}}` / `{{^name}}` blocks.
    pub fn flag(mut self, name: &'static str, on: bool) -> Self {
        self.flags.push((name, on));
        self
    }

    /// An optional setting: `{{name}}` and the flag `name`, set when there is a value (the
    /// template keeps its line in a `{{#name}}` block).
    pub fn option(self, name: &'static str, value: Option<impl ToString>) -> Self {
        let on = value.is_some();
        self.value(name, value.map(|v| v.to_string()).unwrap_or_default())
            .flag(name, on)
    }

    /// The filled template.
    pub fn render(&self, text: &str) -> String {
        let values: Vec<(&str, &str)> = self.values.iter().map(|(n, v)| (*n, v.as_str())).collect();
        fill(text, &values, &self.flags)
    }
}

enum Tag<'a> {
    Open(&'a str, bool),
    Close,
}

fn block_tag(line: &str) -> Option<Tag<'_>> {
    let inner = line.strip_prefix("{{")?.strip_suffix("}}")?;
    let (kind, name) = inner.split_at_checked(1)?;
    if !is_name(name) {
        return None;
    }
    match kind {
        "#" => Some(Tag::Open(name, true)),
        "^" => Some(Tag::Open(name, false)),
        "/" => Some(Tag::Close),
        _ => None,
    }
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
}

/// Replaces each `{{name}}` of one line, in a single pass (values are not scanned again).
fn substitute(line: &str, values: &[(&str, &str)], out: &mut String) {
    let mut rest = line;
    while let Some(at) = rest.find("{{") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let value = after.find("}}").and_then(|end| {
            let name = &after[..end];
            is_name(name)
                .then(|| values.iter().find(|(n, _)| *n == name))
                .flatten()
                .map(|(_, v)| (*v, end))
        });
        match value {
            Some((v, end)) => {
                out.push_str(v);
                rest = &after[end + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn values_blocks_and_foreign_braces() {
        let t = "a {{x}} b\n{{#on}}\nkept {{y}}\n{{/on}}\n{{^on}}\ndropped\n{{/on}}\n{{ $labels.i }} {{missing}}\n";
        let out = fill(t, &[("x", "1"), ("y", "two\nlines")], &[("on", true)]);
        assert_eq!(out, "a 1 b\nkept two\nlines\n{{ $labels.i }} {{missing}}\n");
        let out = fill(t, &[("x", "1")], &[]);
        assert_eq!(out, "a 1 b\ndropped\n{{ $labels.i }} {{missing}}\n");
    }

    #[test]
    fn a_placeholder_alone_on_its_line_is_the_values_lines() {
        let t = "[\n{{items}}\n]\n  {{items}}\n";
        assert_eq!(
            fill(t, &[("items", "a,\nb,\n")], &[]),
            "[\na,\nb,\n]\n  a,\nb,\n\n"
        );
        assert_eq!(fill(t, &[("items", "")], &[]), "[\n]\n  \n");
    }

    #[test]
    fn values_are_not_scanned_again() {
        assert_eq!(
            fill("{{a}}\n", &[("a", "{{b}}"), ("b", "no")], &[]),
            "{{b}}\n"
        );
    }
}
