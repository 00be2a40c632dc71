//! Loads the audit (a separate wasm app, `src/bin/audit_app.rs`) when the user opens it: its
//! parsers and rules stay out of the page's first load. Trunk builds it as a worker-type binary
//! (fixed file names) with an ES-module loader, `poolcalc-audit_loader.js`, which imports its
//! glue and starts it; the app mounts itself into the element `#audit-root`.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Starts loading; `done(Err)` carries a message for the user when the browser refuses.
pub fn open(done: impl Fn(Result<(), String>) + 'static) {
    let script = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| Some((d.create_element("script").ok()?, d.head()?)));
    let Some((script, head)) = script else {
        return done(Err("The audit could not be loaded.".into()));
    };
    let script: web_sys::HtmlScriptElement = script.unchecked_into();
    script.set_type("module");
    script.set_src("./poolcalc-audit_loader.js");
    let done = std::rc::Rc::new(done);
    let failed = done.clone();
    let on_error = Closure::once_into_js(move || {
        failed(Err(
            "The audit could not be loaded (offline on a first visit?).".into(),
        ))
    });
    let on_load = Closure::once_into_js(move || done(Ok(())));
    script.set_onload(Some(on_load.unchecked_ref()));
    script.set_onerror(Some(on_error.unchecked_ref()));
    let _ = head.append_child(&script);
}
