//! The page's URL: reading the query and keeping it in step with the form.

use wasm_bindgen::JsValue;

/// The current query string without `?` (empty when there is none).
pub fn query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .map(|s| s.trim_start_matches('?').to_string())
        .unwrap_or_default()
}

/// Replaces the URL's query (no new history entry). Returns false if the browser refused.
pub fn replace_query(query: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let Ok(history) = window.history() else {
        return false;
    };
    let path = window.location().pathname().unwrap_or_default();
    let hash = window.location().hash().unwrap_or_default();
    history
        .replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}?{query}{hash}")))
        .is_ok()
}

/// The page's address without its query: origin + path.
pub fn base_url() -> String {
    web_sys::window()
        .map(|w| {
            let l = w.location();
            format!(
                "{}{}",
                l.origin().unwrap_or_default(),
                l.pathname().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}
