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
        let svc = parse_service(value)?;
        if self.services.iter().any(|s| s.name == svc.name) {
            return Err(format!("service `{}` is listed twice", svc.name));
        }
        if self.services.len() >= MAX_SERVICES {
            return Err(format!("at most {MAX_SERVICES} services"));
        }
        self.services.push(svc);
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
                out.push(("svc", write_service(svc)));
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

/// One `svc` value: `NAME:REPLICAS[:WORKLOAD[:OPTION]...]`, where REPLICAS is a count or the
/// autoscaler's `MIN-MAX`, WORKLOAD may be left empty (the preset's), and each OPTION is
/// `procs=N` (processes per replica, each with its own pool) or `serverless` (REPLICAS is the
/// concurrency limit). A link written before these forms (`NAME:REPLICAS[:WORKLOAD]`) reads as
/// it always did.
pub fn parse_service(value: &str) -> Result<Service, String> {
    let form = "NAME:REPLICAS[:WORKLOAD[:procs=N][:serverless]], REPLICAS a count or MIN-MAX";
    let parts: Vec<&str> = value.split(':').collect();
    let (name, replicas) = match parts[..] {
        [n, r, ..] => (n, r),
        _ => return Err(form.into()),
    };
    check_service_name(name)?;
    let mut svc = Service::new(name, 1, None);
    match replicas.split_once('-') {
        Some((lo, hi)) => {
            svc.replicas = parse_replicas(lo)?;
            let max = parse_replicas(hi)?;
            if max < svc.replicas {
                return Err(format!("REPLICAS MIN-MAX needs MIN ≤ MAX, got {replicas}"));
            }
            svc.max_replicas = (max > svc.replicas).then_some(max);
        }
        None => svc.replicas = parse_replicas(replicas)?,
    }
    if let Some(w) = parts.get(2).filter(|w| !w.is_empty()) {
        svc.workload = Some(w.parse::<Workload>().map_err(|_| {
            format!(
                "WORKLOAD must be {} (or empty for the preset's)",
                Workload::allowed()
            )
        })?);
    }
    for opt in parts.iter().skip(3) {
        match opt.split_once('=') {
            Some(("procs", n)) => {
                svc.processes = parse_num(n, 1, MAX_PROCESSES)
                    .map(|n| n as u32)
                    .map_err(|e| format!("procs must be {e}"))?;
            }
            None if *opt == "serverless" => svc.serverless = true,
            _ => {
                return Err(format!(
                    "`{opt}` is not an option: procs=N or serverless ({form})"
                ))
            }
        }
    }
    if svc.serverless && svc.processes > 1 {
        return Err("a serverless service has one connection per instance: leave out procs".into());
    }
    Ok(svc)
}

/// Processes per replica a link may give.
pub const MAX_PROCESSES: u64 = 256;

/// The `svc` value of a service, the shortest form that reads back the same.
pub fn write_service(svc: &Service) -> String {
    let mut out = format!("{}:{}", svc.name, svc.replicas);
    if let Some(max) = svc.max_replicas.filter(|m| *m > svc.replicas) {
        out.push_str(&format!("-{max}"));
    }
    let mut opts = Vec::new();
    if svc.processes > 1 {
        opts.push(format!("procs={}", svc.processes));
    }
    if svc.serverless {
        opts.push("serverless".to_string());
    }
    if svc.workload.is_some() || !opts.is_empty() {
        out.push(':');
        out.push_str(svc.workload.map(|w| w.as_str()).unwrap_or(""));
    }
    for o in opts {
        out.push(':');
        out.push_str(&o);
    }
    out
}
