//! Thin, fallible wrappers over the browser APIs the page uses. None of them panics: a browser
//! that refuses (no clipboard, storage disabled, no service workers) gets a message or nothing.

pub mod audit_loader;
pub mod clipboard;
pub mod download;
pub mod embed;
pub mod location;
pub mod offline;
pub mod storage;

/// Moves keyboard focus to the element with this id (scrolling it into view); nothing if absent.
pub fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    else {
        return;
    };
    // A field inside a closed disclosure (a form section's "Advanced") is shown first.
    let mut closed = el.closest("details:not([open])").ok().flatten();
    while let Some(details) = closed {
        let _ = details.set_attribute("open", "");
        closed = details.closest("details:not([open])").ok().flatten();
    }
    el.scroll_into_view_with_bool(false);
    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

/// The value of `attr` on the element an event started in, or on its nearest ancestor that has
/// it: how a block rendered as markup (render/html.rs) tells which of its buttons was clicked.
pub fn data_attribute(ev: &web_sys::Event, attr: &str) -> Option<String> {
    use wasm_bindgen::JsCast;
    ev.target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest(&format!("[{attr}]"))
        .ok()??
        .get_attribute(attr)
}
