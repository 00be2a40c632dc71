//! The page's state: a few signals and the memos derived from them. Components read these; the
//! rules stay in `calc` and the text in `render`.

use leptos::prelude::*;

use crate::calc::link::ParamError;
use crate::calc::params::{apply, changed};
use crate::calc::{plan, Inputs, Plan};
use crate::page::View;
use crate::render::Secrets;

/// Everything the components share, handed down as context.
#[derive(Clone, Copy)]
pub struct AppState {
    pub inputs: RwSignal<Inputs>,
    pub view: RwSignal<View>,
    /// Typed passwords: memory only, never in the link, storage or logs.
    pub secrets: RwSignal<Secrets>,
    /// Field errors by share-link parameter (or secret) name, shown next to the field.
    pub field_errors: RwSignal<Vec<(String, String)>>,
    /// Parameters of the opening link that were refused.
    pub link_errors: RwSignal<Vec<ParamError>>,
    /// Bumped when the inputs are replaced as a whole, so the form re-reads every field.
    pub revision: RwSignal<u32>,
    pub plan: Memo<Plan>,
    /// The parameters that differ from what the link starts from (the form marks them).
    pub changed: Memo<Vec<&'static str>>,
    /// A new version of the page is waiting (service worker).
    pub update_ready: RwSignal<bool>,
}

impl AppState {
    /// Builds the state from the opening inputs.
    pub fn new(inputs: Inputs, view: View, link_errors: Vec<ParamError>) -> Self {
        let inputs = RwSignal::new(inputs);
        let secrets = RwSignal::new(Secrets::default());
        let plan = Memo::new(move |_| inputs.with(plan));
        let changed = Memo::new(move |_| inputs.with(changed));
        AppState {
            inputs,
            view: RwSignal::new(view),
            secrets,
            field_errors: RwSignal::new(Vec::new()),
            link_errors: RwSignal::new(link_errors),
            revision: RwSignal::new(0),
            plan,
            changed,
            update_ready: RwSignal::new(false),
        }
    }

    /// Applies one field's text: on success the inputs change and the field's error clears;
    /// otherwise the inputs keep their last good value and the error names the field.
    pub fn set_param(self, key: &str, label: &str, value: &str) {
        let mut next = self.inputs.get_untracked();
        match apply(&mut next, key, value.trim()) {
            Ok(()) => {
                self.clear_error(key);
                if next != self.inputs.get_untracked() {
                    self.inputs.set(next);
                }
            }
            Err(message) => self.set_error(key, format!("{label} must be {message}.")),
        }
    }

    /// Shows an error next to a field.
    pub fn set_error(self, key: &str, message: String) {
        self.field_errors.update(|errors| {
            errors.retain(|(k, _)| k != key);
            errors.push((key.to_string(), message));
        });
    }

    /// Clears a field's error.
    pub fn clear_error(self, key: &str) {
        if self
            .field_errors
            .with_untracked(|e| e.iter().any(|(k, _)| k == key))
        {
            self.field_errors
                .update(|errors| errors.retain(|(k, _)| k != key));
        }
    }

    /// The error shown next to a field, if any.
    pub fn error(self, key: &str) -> Option<String> {
        self.field_errors
            .with(|e| e.iter().find(|(k, _)| k == key).map(|(_, m)| m.clone()))
    }

    /// Replaces all inputs (a preset, a restored link) and rebuilds the form from them.
    /// The rebuilt password fields are empty, so the typed secrets are forgotten with them.
    pub fn replace_inputs(self, inputs: Inputs) {
        self.field_errors.set(Vec::new());
        self.secrets.set(Secrets::default());
        self.inputs.set(inputs);
        self.revision.update(|r| *r += 1);
    }
}

/// The state, from context.
pub fn state() -> AppState {
    expect_context::<AppState>()
}
