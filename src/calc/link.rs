//! The share link (shared/share-link.md): the one text form of the inputs. `parse` reports every
//! bad parameter by name with its allowed values and leaves every other field as given; `write`
//! produces the shortest link that parses back to the same inputs. The single-valued parameters
//! are the rows of `params.rs`; this module adds the repeatable `svc` and `set`, the schema
//! version `v`, and the refusal of secrets. Page-only parameters (`embed`, `block`, …) are read by
//! the page's own layer through [`parse_with`].

use super::fleet::MAX_SERVICES;
use super::inputs::*;
use super::params::{baseline, param, parse_num, parse_replicas, PARAMS};
use super::rules::{made_under, RULES_VERSION};
use super::settings::{check_pin, RENAMED};
use super::text::*;

/// One rejected parameter: its name, the value given, and what is allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamError {
    pub param: String,
    pub value: String,
    pub message: String,
}

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={}: {}", self.param, self.value, self.message)
    }
}

/// What a link holds: the inputs (bad parameters left at their defaults) and the errors.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    pub inputs: Inputs,
    pub errors: Vec<ParamError>,
    /// The rules version the link was made under (`rules=`, or 1 for a `v=1` link without it;
    /// `None` for a query typed by hand).
    pub made_under: Option<u32>,
}

/// Parameters that would carry a secret. They are refused, never read (shared/share-link.md).
const SECRET_PARAMS: &[&str] = &[
    "password",
    "db_password",
    "redis_password",
    "kafka_password",
    "sasl_password",
    "kafka_sasl_password",
];

/// A handler for parameters this module does not know: `Some(result)` when it takes the key.
pub type Extra<'a> = &'a mut dyn FnMut(&str, &str) -> Option<Result<(), String>>;

/// Parses a query string, with or without `?`, or a whole share link.
pub fn parse(link: &str) -> Parsed {
    parse_with(link, &mut |_, _| None)
}

/// Like [`parse`], handing each parameter this module does not know to `extra` first.
pub fn parse_with(link: &str, extra: Extra) -> Parsed {
    let query = link.split('#').next().unwrap_or("");
    let query = match query.split_once('?') {
        Some((_, q)) => q,
        None if query.contains("://") => "",
        None => query,
    };
    let mut p = Parser {
        inputs: Inputs::default(),
        errors: Vec::new(),
        seen: Vec::new(),
        services: Vec::new(),
        pins: Vec::new(),
        rules: None,
    };
    // A preset first, so that the link's own parameters override what it sets.
    let pairs: Vec<&str> = query.split('&').filter(|s| !s.is_empty()).collect();
    let is_preset = |p: &&str| p.split('=').next() == Some("preset");
    let ordered = pairs
        .iter()
        .filter(|p| is_preset(p))
        .chain(pairs.iter().filter(|p| !is_preset(p)));
    for pair in ordered {
        let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent_decode(raw_key).unwrap_or_else(|_| raw_key.to_string());
        match percent_decode(raw_value) {
            Ok(value) => p.param(&key, &value, extra),
            Err(why) => p.error(&key, raw_value, &format!("the value is {why}")),
        }
    }
    p.finish()
}

struct Parser {
    inputs: Inputs,
    errors: Vec<ParamError>,
    seen: Vec<String>,
    services: Vec<Service>,
    pins: Vec<(Pin, String)>,
    rules: Option<u32>,
}

impl Parser {
    fn error(&mut self, param: &str, value: &str, message: &str) {
        let value: String = value.chars().take(80).collect();
        self.errors.push(ParamError {
            param: param.to_string(),
            value,
            message: message.to_string(),
        });
    }

    fn param(&mut self, key: &str, value: &str, extra: Extra) {
        let repeatable = matches!(key, "svc" | "set");
        if !repeatable {
            if self.seen.iter().any(|k| k == key) {
                return self.error(key, value, "given more than once; the first value is used");
            }
            self.seen.push(key.to_string());
        }
        if value.is_empty() {
            return self.error(key, value, "is empty");
        }
        if SECRET_PARAMS.contains(&key) {
            return self.error(key, "(hidden)", "secrets are never read from a link: type them into the page, or set POOLCALC_*_PASSWORD for the CLI");
        }
        let r = match key {
            "v" => (value == "1")
                .then_some(())
                .ok_or_else(|| "the link schema version: `1`".into()),
            "rules" => match value.parse::<u32>() {
                Ok(n @ 1..=RULES_VERSION) => {
                    self.rules = Some(n);
                    Ok(())
                }
                Ok(n) if n > RULES_VERSION => Err(format!("made by a newer poolcalc (rules v{n}); this one knows rules v1 to v{RULES_VERSION}, and shows its own answer")),
                _ => Err(format!("the rules version: a whole number from 1 to {RULES_VERSION}")),
            },
            "svc" => self.service(value),
            "set" => self.pin(value),
            _ => match param(key) {
                Some(p) => p.apply(&mut self.inputs, value),
                None => extra(key, value).unwrap_or_else(|| Err("unknown parameter".into())),
            },
        };
        if let Err(message) = r {
            self.error(key, value, &message);
        }
    }

    fn service(&mut self, value: &str) -> Result<(), String> {
        let parts: Vec<&str> = value.split(':').collect();
        let (name, replicas, workload) = match parts[..] {
            [n, r] => (n, r, None),
            [n, r, w] => (n, r, Some(w)),
            _ => return Err("NAME:REPLICAS or NAME:REPLICAS:WORKLOAD".into()),
        };
        check_service_name(name)?;
        let replicas = parse_replicas(replicas)?;
        let workload = match workload {
            None => None,
            Some(w) => Some(
                w.parse::<Workload>()
                    .map_err(|_| format!("WORKLOAD must be {}", Workload::allowed()))?,
            ),
        };
        if self.services.iter().any(|s| s.name == name) {
            return Err(format!("service `{name}` is listed twice"));
        }
        if self.services.len() >= MAX_SERVICES {
            return Err(format!("at most {MAX_SERVICES} services"));
        }
        self.services.push(Service {
            name: name.to_string(),
            replicas,
            workload,
        });
        Ok(())
    }

    fn pin(&mut self, value: &str) -> Result<(), String> {
        let (path, v) = value
            .rsplit_once(':')
            .ok_or("PATH:VALUE, e.g. wallet-service.connection_limit:20")?;
        let v = parse_num(v, 0, u64::MAX)
            .map_err(|_| "PATH:VALUE with VALUE a whole number".to_string())?;
        // A path renamed since is read as its new name (README, share-link notes).
        let path = RENAMED
            .iter()
            .find(|(old, _)| *old == path)
            .map_or(path, |(_, new)| *new);
        self.pins.push((
            Pin {
                path: path.to_string(),
                value: v,
            },
            value.to_string(),
        ));
        Ok(())
    }

    /// Applies what depends on other parameters: the service list, then pins checked against it.
    fn finish(mut self) -> Parsed {
        if !self.services.is_empty() {
            self.inputs.services = std::mem::take(&mut self.services);
        }
        let names: Vec<String> = self
            .inputs
            .services
            .iter()
            .map(|s| s.name.clone())
            .collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        for (pin, raw) in std::mem::take(&mut self.pins) {
            let twice = self.inputs.pins.iter().any(|p| p.path == pin.path);
            match check_pin(&pin, &names).and_then(|()| {
                if twice {
                    Err(format!("`{}` is pinned twice", pin.path))
                } else {
                    Ok(())
                }
            }) {
                Ok(()) => self.inputs.pins.push(pin),
                Err(message) => self.error("set", &raw, &message),
            }
        }
        let has_schema_version = self.seen.iter().any(|k| k == "v");
        Parsed {
            inputs: self.inputs,
            errors: self.errors,
            made_under: made_under(self.rules, has_schema_version),
        }
    }
}

/// The query's parameters (without `?`): `v=1`, the rules version, then every value that differs from what the
/// link starts from, in the order of the share-link contract.
pub fn pairs(inputs: &Inputs) -> Vec<(&'static str, String)> {
    // What the link starts from (the preset's own inputs applied), so that a value the preset
    // sets is written only if it differs.
    let plain = Inputs::default();
    let d = baseline(inputs);
    let mut out: Vec<(&str, String)> =
        vec![("v", "1".into()), ("rules", RULES_VERSION.to_string())];
    for p in PARAMS {
        let value = (p.get)(inputs);
        let base = if p.name == "preset" { &plain } else { &d };
        if value != (p.get)(base) {
            out.push((p.name, value));
        }
        if p.name == "prisma" && inputs.services != d.services {
            for svc in &inputs.services {
                let w = svc.workload.map(|w| format!(":{w}")).unwrap_or_default();
                out.push(("svc", format!("{}:{}{w}", svc.name, svc.replicas)));
            }
        }
        if p.name == "surge" {
            for pin in &inputs.pins {
                out.push(("set", format!("{}:{}", pin.path, pin.value)));
            }
        }
    }
    out
}

/// Joins parameters into a query string (without `?`).
pub fn join(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", percent_encode_query(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Writes the inputs as a query string (without `?`).
pub fn write(inputs: &Inputs) -> String {
    join(&pairs(inputs))
}
