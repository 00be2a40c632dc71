//! Edits of the inputs that carry a rule: the fleet's list operations (with their pin cascade),
//! a service's replicas and workload, and the Redis uses. The page's components call these and
//! hold no rule of their own; the link parser uses the same checks.

use super::inputs::{Inputs, RedisUse, Service, Workload};
use super::text::check_service_name;

/// The most services a fleet may have (the link's own bound).
pub const MAX_SERVICES: usize = 100;

impl Inputs {
    /// Adds a service named `service-N` (the first free N) with 2 replicas; returns its index, or
    /// why not.
    pub fn add_service(&mut self) -> Result<usize, String> {
        if self.services.len() >= MAX_SERVICES {
            return Err(format!("At most {MAX_SERVICES} services."));
        }
        let n = (1..)
            .find(|n| {
                !self
                    .services
                    .iter()
                    .any(|s| s.name == format!("service-{n}"))
            })
            .unwrap_or(1);
        self.services
            .push(Service::new(format!("service-{n}"), 2, None));
        Ok(self.services.len() - 1)
    }

    /// Renames a service, and the pins that name it; the error says why not.
    pub fn rename_service(&mut self, index: usize, name: &str) -> Result<(), String> {
        check_service_name(name).map_err(|e| format!("Service name must be {e}."))?;
        if self
            .services
            .iter()
            .enumerate()
            .any(|(j, s)| j != index && s.name == name)
        {
            return Err(format!("Service name `{name}` is already used."));
        }
        let Some(svc) = self.services.get_mut(index) else {
            return Err("No such service.".into());
        };
        let old = std::mem::replace(&mut svc.name, name.to_string());
        let prefix = format!("{old}.");
        for pin in &mut self.pins {
            if let Some(field) = pin.path.strip_prefix(&prefix) {
                pin.path = format!("{name}.{field}");
            }
        }
        Ok(())
    }

    /// Removes a service and the pins that name it; the last service stays.
    pub fn remove_service(&mut self, index: usize) {
        if self.services.len() <= 1 || index >= self.services.len() {
            return;
        }
        let gone = self.services.remove(index);
        let prefix = format!("{}.", gone.name);
        self.pins.retain(|p| !p.path.starts_with(&prefix));
    }

    /// Moves a service to another place in the list.
    pub fn move_service(&mut self, from: usize, to: usize) {
        if from < self.services.len() && to < self.services.len() {
            self.services.swap(from, to);
        }
    }

    /// Sets a service's replicas from the text of its field: a count, or the autoscaler's
    /// `MIN-MAX` (the link's form); a serverless service's concurrency limit.
    pub fn set_replicas(&mut self, index: usize, text: &str) -> Result<(), String> {
        let name = self
            .services
            .get(index)
            .map(|s| s.name.clone())
            .unwrap_or_default();
        let parsed = crate::calc::link::parse_service(&format!("{name}:{}", text.trim()))
            .map_err(|_| "Replicas must be a whole number from 1 to 10000, or MIN-MAX (an autoscaler's range).".to_string())?;
        if let Some(svc) = self.services.get_mut(index) {
            svc.replicas = parsed.replicas;
            svc.max_replicas = parsed.max_replicas;
        }
        Ok(())
    }

    /// Sets a service's processes per replica (each with its own pool), 1 to 256.
    pub fn set_processes(&mut self, index: usize, text: &str) -> Result<(), String> {
        let n = super::params::parse_num(text.trim(), 1, crate::calc::link::MAX_PROCESSES)
            .map_err(|e| format!("Processes must be {e}."))?;
        if let Some(svc) = self.services.get_mut(index) {
            if svc.serverless && n > 1 {
                return Err(
                    "A serverless service has one connection per instance: 1 process.".into(),
                );
            }
            svc.processes = n as u32;
        }
        Ok(())
    }

    /// Sets a service's role from its text: a workload (empty: the preset's), or `serverless`
    /// (functions with a concurrency limit: one connection per instance, one process).
    pub fn set_workload(&mut self, index: usize, text: &str) {
        if let Some(svc) = self.services.get_mut(index) {
            if text == "serverless" {
                svc.serverless = true;
                svc.processes = 1;
            } else {
                svc.serverless = false;
                svc.workload = text.parse::<Workload>().ok();
            }
        }
    }

    /// Turns one Redis use on or off; at least one stays on.
    pub fn set_redis_use(&mut self, u: RedisUse, on: bool) -> Result<(), String> {
        let mut uses: Vec<RedisUse> = RedisUse::ALL
            .iter()
            .copied()
            .filter(|x| {
                if *x == u {
                    on
                } else {
                    self.redis.uses.contains(x)
                }
            })
            .collect();
        if uses.is_empty() {
            return Err("Redis uses must include at least one of cache, queue or pubsub.".into());
        }
        std::mem::swap(&mut self.redis.uses, &mut uses);
        Ok(())
    }
}
