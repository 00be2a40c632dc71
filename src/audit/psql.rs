//! Query results as `psql` prints them: the default aligned table (a header, a `---+---` rule,
//! rows, `(N rows)`), unaligned `-A` output (`|` between fields, a header unless `-t`), or a single
//! value (`SHOW max_connections` run with `-At`).

/// A result table: column names (lower-case) and rows, each with its line (1-based).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// A cell by row and column name.
    pub fn cell<'a>(&self, row: &'a [String], name: &str) -> Option<&'a str> {
        self.column(name)
            .and_then(|i| row.get(i))
            .map(String::as_str)
    }
}

fn is_rule(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.contains('-') && t.bytes().all(|b| matches!(b, b'-' | b'+'))
}

fn is_footer(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('(') && (t.ends_with(" row)") || t.ends_with(" rows)"))
}

/// Reads a psql result. `Err` when the text is not one.
pub fn parse(text: &str) -> Result<Table, String> {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    let split = |l: &str| -> Vec<String> { l.split('|').map(|c| c.trim().to_string()).collect() };
    // Aligned: a rule line under the header.
    if let Some(rule) = lines.iter().position(|(_, l)| is_rule(l)) {
        if rule == 0 {
            return Err("a table rule without a header above it".into());
        }
        let columns: Vec<String> = split(lines[rule - 1].1)
            .into_iter()
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let rows = lines[rule + 1..]
            .iter()
            .filter(|(_, l)| !is_footer(l))
            .map(|(n, l)| (*n, split(l)))
            .collect();
        return Ok(Table { columns, rows });
    }
    let body: Vec<&(usize, &str)> = lines.iter().filter(|(_, l)| !is_footer(l)).collect();
    match body.as_slice() {
        [] => Err("no rows".into()),
        // A single bare value (`-At`).
        [(n, l)] if !l.contains('|') => Ok(Table {
            columns: vec!["value".into()],
            rows: vec![(*n, vec![l.trim().to_string()])],
        }),
        [(_, header), rest @ ..] if header.contains('|') => Ok(Table {
            columns: split(header)
                .into_iter()
                .map(|c| c.to_ascii_lowercase())
                .collect(),
            rows: rest.iter().map(|(n, l)| (*n, split(l))).collect(),
        }),
        _ => Err("not a psql result (no header and `---` rule, no `|`-separated header)".into()),
    }
}

/// Reads every result of a psql run (`psql -f diagnostics.sql`): aligned tables end with their
/// `(N rows)` line, so the text is cut after each one. Texts without such lines are one result.
pub fn parse_all(text: &str) -> Vec<(usize, Table)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut first_line = 1;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut offset = 0;
    for (i, l) in lines.iter().enumerate() {
        offset += l.len();
        if is_footer(l) {
            if let Ok(mut t) = parse(&text[start..offset]) {
                for (n, _) in &mut t.rows {
                    *n += first_line - 1;
                }
                out.push((first_line, t));
            }
            start = offset;
            first_line = i + 2;
        }
    }
    if out.is_empty()
        || text[start..]
            .lines()
            .any(|l| !l.trim().is_empty() && is_rule(l))
    {
        if let Ok(mut t) = parse(&text[start..]) {
            for (n, _) in &mut t.rows {
                *n += first_line - 1;
            }
            out.push((first_line, t));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligned_unaligned_and_bare() {
        let aligned = " database  |   user    | cl_active | sv_active | pool_mode\n-----------+-----------+-----------+-----------+-----------\n app       | app       |        12 |         4 | transaction\n(1 row)\n";
        let t = parse(aligned).unwrap();
        assert_eq!(t.columns[2], "cl_active");
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.cell(&t.rows[0].1, "sv_active"), Some("4"));
        assert_eq!(t.rows[0].0, 3);
        let unaligned = "key|value|default|changeable\nmax_client_conn|100|100|yes\n(1 row)\n";
        assert_eq!(parse(unaligned).unwrap().rows[0].1[1], "100");
        let bare = parse("100\n").unwrap();
        assert_eq!(bare.rows[0].1[0], "100");
        assert!(parse("").is_err());
        let two = "psql:diagnostics.sql:3: NOTICE: x\n a | b\n---+---\n 1 | 2\n(1 row)\n\n max_connections\n-----------------\n 100\n(1 row)\n";
        let all = parse_all(two);
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].1.columns, ["max_connections"]);
        assert_eq!(
            all[1].1.rows[0].0, 9,
            "lines count from the start of the whole text"
        );
        assert!(parse("----\n").is_err());
    }
}
