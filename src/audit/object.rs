//! ioredis and KafkaJS options, pasted as JSON or as a JavaScript object literal. The subset read:
//! the first `{ … }` in the text (so `new Redis({ … })` or `const options = { … };` work too);
//! keys as names or quoted strings; values that are strings (`'…'`, `"…"`), numbers, `true`,
//! `false`, `null`, `undefined`, nested objects and arrays; `//` and `/* */` comments and trailing
//! commas. Any other value (`process.env.X`, a call, a template string) is kept as its text and
//! treated as unknown; `...spread` entries are skipped.

/// A value as written.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    Object(Vec<Field>),
    Array(Vec<Value>),
    /// An expression poolcalc does not evaluate.
    Expr(String),
}

/// One `key: value` of an object, with the line the key is on (1-based).
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub key: String,
    pub value: Value,
    pub line: usize,
}

/// How deep objects may nest before the parser gives up (a paste of deeply nested brackets must
/// not exhaust the stack).
const MAX_DEPTH: u32 = 32;

struct Parser<'a> {
    s: &'a [u8],
    p: usize,
}

impl Parser<'_> {
    fn line(&self) -> usize {
        1 + self.s[..self.p.min(self.s.len())]
            .iter()
            .filter(|c| **c == b'\n')
            .count()
    }

    fn skip(&mut self) {
        loop {
            while self.p < self.s.len() && self.s[self.p].is_ascii_whitespace() {
                self.p += 1;
            }
            if self.s[self.p..].starts_with(b"//") {
                while self.p < self.s.len() && self.s[self.p] != b'\n' {
                    self.p += 1;
                }
            } else if self.s[self.p..].starts_with(b"/*") {
                match self.s[self.p + 2..].windows(2).position(|w| w == b"*/") {
                    Some(n) => self.p += n + 4,
                    None => self.p = self.s.len(),
                }
            } else {
                return;
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.p).copied()
    }

    fn string(&mut self, q: u8) -> Result<String, String> {
        self.p += 1;
        let mut out = Vec::new();
        while let Some(c) = self.peek() {
            self.p += 1;
            match c {
                b'\\' => {
                    let e = self.peek().ok_or("a string ends in a backslash")?;
                    self.p += 1;
                    out.push(match e {
                        b'n' => b'\n',
                        b't' => b'\t',
                        b'r' => b'\r',
                        other => other,
                    });
                }
                c if c == q => return Ok(String::from_utf8_lossy(&out).into_owned()),
                c => out.push(c),
            }
        }
        Err(format!(
            "a string opened on line {} is never closed",
            self.line()
        ))
    }

    fn value(&mut self, depth: u32) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err(format!("objects nest deeper than {MAX_DEPTH} levels"));
        }
        self.skip();
        match self.peek() {
            None => Err("the text ends where a value was expected".into()),
            Some(b'{') => self.object(depth + 1).map(Value::Object),
            Some(b'[') => {
                self.p += 1;
                let mut items = Vec::new();
                loop {
                    self.skip();
                    match self.peek() {
                        Some(b']') => {
                            self.p += 1;
                            return Ok(Value::Array(items));
                        }
                        Some(b',') => self.p += 1,
                        None => return Err("an array is never closed".into()),
                        _ => items.push(self.value(depth + 1)?),
                    }
                }
            }
            Some(q @ (b'"' | b'\'')) => self.string(q).map(Value::Str),
            Some(_) => {
                // Everything up to the next `,` `}` `]` at this level.
                let start = self.p;
                let mut nest = 0i32;
                while let Some(c) = self.peek() {
                    match c {
                        b'(' | b'[' | b'{' => nest += 1,
                        b')' | b']' | b'}' if nest > 0 => nest -= 1,
                        b',' | b'}' | b']' if nest == 0 => break,
                        b'"' | b'\'' | b'`' => {
                            self.string(c)?;
                            continue;
                        }
                        _ => {}
                    }
                    self.p += 1;
                }
                let text = String::from_utf8_lossy(&self.s[start..self.p])
                    .trim()
                    .to_string();
                Ok(match text.as_str() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "null" | "undefined" => Value::Null,
                    t => match t.replace('_', "").parse::<f64>() {
                        Ok(n) if n.is_finite() => Value::Num(n),
                        _ => Value::Expr(text),
                    },
                })
            }
        }
    }

    fn object(&mut self, depth: u32) -> Result<Vec<Field>, String> {
        self.p += 1;
        let mut fields = Vec::new();
        loop {
            self.skip();
            let line = self.line();
            match self.peek() {
                None => return Err("an object is never closed".into()),
                Some(b'}') => {
                    self.p += 1;
                    return Ok(fields);
                }
                Some(b',') => {
                    self.p += 1;
                    continue;
                }
                Some(b'.') if self.s[self.p..].starts_with(b"...") => {
                    self.p += 3;
                    let _ = self.value(depth)?;
                    continue;
                }
                Some(q @ (b'"' | b'\'')) => {
                    let key = self.string(q)?;
                    self.field(key, line, depth, &mut fields)?;
                }
                Some(c) if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' => {
                    let start = self.p;
                    while self
                        .peek()
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'$')
                    {
                        self.p += 1;
                    }
                    let key = String::from_utf8_lossy(&self.s[start..self.p]).into_owned();
                    self.skip();
                    if matches!(self.peek(), Some(b',' | b'}')) {
                        // Shorthand `{ host }`: a value poolcalc cannot see.
                        fields.push(Field {
                            key: key.clone(),
                            value: Value::Expr(key),
                            line,
                        });
                        continue;
                    }
                    self.field(key, line, depth, &mut fields)?;
                }
                Some(c) => return Err(format!("unexpected `{}` on line {line}", c as char)),
            }
        }
    }

    fn field(
        &mut self,
        key: String,
        line: usize,
        depth: u32,
        fields: &mut Vec<Field>,
    ) -> Result<(), String> {
        self.skip();
        if self.peek() != Some(b':') {
            return Err(format!("`{key}` on line {line} is not followed by `:`"));
        }
        self.p += 1;
        let value = self.value(depth)?;
        fields.push(Field { key, value, line });
        Ok(())
    }
}

/// Parses the first `{ … }` of the text.
pub fn parse(text: &str) -> Result<Vec<Field>, String> {
    let start = text
        .find('{')
        .ok_or("no `{` in the text: paste the options object")?;
    let mut p = Parser {
        s: text.as_bytes(),
        p: start,
    };
    p.object(1)
}

/// A field by key.
pub fn get<'a>(fields: &'a [Field], key: &str) -> Option<&'a Field> {
    fields.iter().rev().find(|f| f.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_and_object_literals() {
        let text = "const redis = new Redis({\n  host: 'r1', // the host\n  \"port\": 6379,\n  password: process.env.REDIS_PASSWORD,\n  maxRetriesPerRequest: null,\n  tls: {},\n  ...extra,\n  sentinels: [{ host: 'a', port: 1 }],\n  /* c */ keepAlive: 1_000,\n});";
        let f = parse(text).unwrap();
        assert_eq!(
            get(&f, "host").map(|x| &x.value),
            Some(&Value::Str("r1".into()))
        );
        assert_eq!(
            get(&f, "port").map(|x| (&x.value, x.line)),
            Some((&Value::Num(6379.0), 3))
        );
        assert_eq!(
            get(&f, "password").map(|x| &x.value),
            Some(&Value::Expr("process.env.REDIS_PASSWORD".into()))
        );
        assert_eq!(
            get(&f, "maxRetriesPerRequest").map(|x| &x.value),
            Some(&Value::Null)
        );
        assert_eq!(
            get(&f, "tls").map(|x| &x.value),
            Some(&Value::Object(vec![]))
        );
        assert_eq!(
            get(&f, "keepAlive").map(|x| &x.value),
            Some(&Value::Num(1000.0))
        );
        assert!(
            matches!(get(&f, "sentinels").map(|x| &x.value), Some(Value::Array(a)) if a.len() == 1)
        );
    }

    #[test]
    fn refuses_what_it_cannot_read_without_panicking() {
        assert!(parse("no braces").is_err());
        assert!(parse("{ a: 'x").is_err());
        assert!(parse(&"{a:".repeat(100)).is_err());
        assert!(parse("{ a b }").is_err());
        assert!(parse("{ \u{0}: 1 }").is_err());
    }
}
