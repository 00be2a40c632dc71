//! The page's own concepts, pure like `calc` and `render` (the CLI reads them too): the view
//! parameters of a link (embed, one block, theme, the chosen service) and the markup of the
//! page's read-only blocks (`html`).

pub mod html;

use std::str::FromStr;

use crate::calc::inputs::Inputs;
use crate::calc::link::{self, ParamError};
use crate::calc::text::check_service_name;
use crate::calc::text_enum::{text_enum, TextEnum};
use crate::render::Artifact;

text_enum!(
    /// Colour theme of the page.
    Theme { Auto = "auto", Light = "light", Dark = "dark" }
);

/// Page-only parameters: how to show the inputs, not what they are.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct View {
    pub embed: bool,
    /// With `embed`: show only this artifact.
    pub block: Option<Artifact>,
    pub theme: Option<Theme>,
    /// Whose per-service files (`.env`, `DATABASE_URL`) are shown; `None`: the first service.
    pub service: Option<String>,
}

/// A whole link: the inputs, the view, and every refused parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    pub inputs: Inputs,
    pub view: View,
    pub errors: Vec<ParamError>,
    /// The rules version the link was made under, if it says (`calc::rules::made_under`).
    pub made_under: Option<u32>,
}

/// Parses a link's inputs and its page-only parameters.
pub fn parse(link: &str) -> Page {
    let mut view = View::default();
    let parsed = link::parse_with(link, &mut |key, value| {
        Some(match key {
            "embed" => (value == "1")
                .then(|| view.embed = true)
                .ok_or_else(|| "`1`".into()),
            "block" => Artifact::from_str(value)
                .map(|a| view.block = Some(a))
                .map_err(|_| format!("one of {}", Artifact::allowed_values())),
            "theme" => Theme::from_str(value)
                .map(|t| view.theme = Some(t))
                .map_err(|_| Theme::allowed()),
            "service" => check_service_name(value).map(|_| view.service = Some(value.into())),
            _ => return None,
        })
    });
    Page {
        inputs: parsed.inputs,
        view,
        errors: parsed.errors,
        made_under: parsed.made_under,
    }
}

/// The link of these inputs, followed by the page-only parameters.
pub fn write(inputs: &Inputs, view: &View) -> String {
    let mut pairs = link::pairs(inputs);
    if view.embed {
        pairs.push(("embed", "1".into()));
    }
    if let Some(block) = view.block {
        pairs.push(("block", block.to_string()));
    }
    if let Some(theme) = view.theme {
        pairs.push(("theme", theme.to_string()));
    }
    if let Some(service) = &view.service {
        pairs.push(("service", service.clone()));
    }
    link::join(&pairs)
}
