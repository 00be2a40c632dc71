//! Copy to the clipboard, reporting failure instead of assuming success.

use wasm_bindgen_futures::JsFuture;

/// Writes text to the clipboard; `Err` carries a message for the user.
pub async fn copy(text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let clipboard = window.navigator().clipboard();
    if clipboard.is_undefined() {
        return Err(
            "This browser does not allow copying here: select the text and copy it by hand.".into(),
        );
    }
    JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|_| {
            "The browser refused to copy (permission denied): select the text and copy it by hand."
                .into()
        })
}

/// Copies `text` and reports how it went in `status`: `done` when it worked, else why not (the
/// shape of leptos-use's `use_clipboard`).
pub fn copy_with_status(
    text: String,
    status: leptos::prelude::RwSignal<String>,
    done: &'static str,
) {
    use leptos::prelude::Set;
    leptos::task::spawn_local(async move {
        status.set(match copy(&text).await {
            Ok(()) => done.to_string(),
            Err(e) => e,
        });
    });
}
