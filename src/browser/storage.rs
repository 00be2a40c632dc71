//! Local storage of the last inputs (as a share-link query: never a secret).

const KEY: &str = "poolcalc.query.v1";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The query saved by the last visit, if any.
pub fn load() -> Option<String> {
    storage()?.get_item(KEY).ok()?
}

/// Saves the query; silently does nothing where storage is unavailable.
pub fn save(query: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(KEY, query);
    }
}
