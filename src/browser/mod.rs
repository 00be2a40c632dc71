//! Thin, fallible wrappers over the browser APIs the page uses. None of them panics: a browser
//! that refuses (no clipboard, storage disabled, no service workers) gets a message or nothing.

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
    el.scroll_into_view_with_bool(false);
    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}
