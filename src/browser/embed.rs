//! Embedding: tell the parent page how tall the embedded view is, whenever it changes.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Posts `{type: "poolcalc:height", height}` to the parent window now and on every resize of
/// the document. Does nothing when the page is not in a frame.
pub fn post_height_to_parent() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    if parent == window {
        return;
    }
    let Some(root) = window.document().and_then(|d| d.document_element()) else {
        return;
    };
    let send = {
        let root = root.clone();
        move || {
            let message = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&message, &"type".into(), &"poolcalc:height".into());
            let _ = js_sys::Reflect::set(
                &message,
                &"height".into(),
                &f64::from(root.scroll_height()).into(),
            );
            let _ = parent.post_message(&message, "*");
        }
    };
    send();
    let callback = Closure::<dyn FnMut()>::new(send);
    if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        observer.observe(&root);
        // The observer lives as long as the page.
        callback.forget();
        std::mem::forget(observer);
    }
}
