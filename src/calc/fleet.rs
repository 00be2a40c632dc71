//! Edits of the inputs that carry a rule: the fleet's list operations (with their pin cascade),
//! a service's replicas and workload, and the Redis uses. The page's components call these and
//! hold no rule of their own; the link parser uses the same checks.

use super::inputs::{Inputs, RedisUse, Service, Workload};
use super::params::parse_replicas;
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
        self.services.push(Service {
            name: format!("service-{n}"),
            replicas: 2,
            workload: None,
        });
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

    /// Sets a service's replicas from text, by the link's own rule.
    pub fn set_replicas(&mut self, index: usize, text: &str) -> Result<(), String> {
        let n = parse_replicas(text.trim())
            .map_err(|_| "Replicas must be a whole number from 1 to 10000.".to_string())?;
        if let Some(svc) = self.services.get_mut(index) {
            svc.replicas = n;
        }
        Ok(())
    }

    /// Sets a service's workload from its text (empty: the preset's).
    pub fn set_workload(&mut self, index: usize, text: &str) {
        if let Some(svc) = self.services.get_mut(index) {
            svc.workload = text.parse::<Workload>().ok();
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
