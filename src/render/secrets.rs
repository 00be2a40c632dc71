//! Secrets typed into the page or given to the CLI through the environment. They live in memory
//! only: never in the link, storage or logs. Where none is given, outputs use `${VAR}` placeholders.

/// Longest password PgBouncer 1.25 accepts (MAX_PASSWORD 2048, include/bouncer.h).
const MAX_SECRET: usize = 2047;

/// The secrets that may appear in outputs.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secrets {
    pub db_password: Option<String>,
    pub redis_password: Option<String>,
    pub kafka_password: Option<String>,
}

impl std::fmt::Debug for Secrets {
    /// Never prints a secret, only whether one is set.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let set = |s: &Option<String>| if s.is_some() { "<set>" } else { "<none>" };
        f.debug_struct("Secrets")
            .field("db_password", &set(&self.db_password))
            .field("redis_password", &set(&self.redis_password))
            .field("kafka_password", &set(&self.kafka_password))
            .finish()
    }
}

/// Checks one secret: control characters (newlines above all) would break out of a quoted
/// userlist.txt field or an .env line, so they are refused.
pub fn check_secret(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("is empty".into());
    }
    if value.len() > MAX_SECRET {
        return Err(format!(
            "is longer than {MAX_SECRET} bytes (PgBouncer's limit)"
        ));
    }
    // U+2028/U+2029 end a line for JavaScript regexes (dotenv's parser among them).
    if value
        .chars()
        .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
    {
        return Err(
            "contains a control character or line separator (such as a newline or tab)".into(),
        );
    }
    Ok(())
}

impl Secrets {
    /// Sets (or, with an empty value, clears) the secret named `key` (`db_password`,
    /// `redis_password`, `kafka_password`); the error says why a value cannot be kept.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let v = if value.is_empty() {
            None
        } else {
            check_secret(value)?;
            Some(value.to_string())
        };
        match key {
            "db_password" => self.db_password = v,
            "redis_password" => self.redis_password = v,
            "kafka_password" => self.kafka_password = v,
            _ => return Err(format!("{key} is not a secret")),
        }
        Ok(())
    }

    /// Builds the secrets, refusing any that cannot be written safely; errors name the field.
    pub fn new(
        db_password: Option<String>,
        redis_password: Option<String>,
        kafka_password: Option<String>,
    ) -> Result<Secrets, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        for (name, value) in [
            ("db_password", &db_password),
            ("redis_password", &redis_password),
            ("kafka_password", &kafka_password),
        ] {
            if let Some(v) = value {
                if let Err(e) = check_secret(v) {
                    errors.push((name, format!("{name} {e}")));
                }
            }
        }
        if errors.is_empty() {
            Ok(Secrets {
                db_password,
                redis_password,
                kafka_password,
            })
        } else {
            Err(errors)
        }
    }
}
