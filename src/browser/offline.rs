//! The service worker that keeps the page working offline, and the "new version" signal.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Registers `sw.js` (next to index.html) and calls `on_update` when a new version has been
/// installed while an older one controls the page. Browsers without service workers: nothing.
pub fn register(on_update: impl Fn() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    if !js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
        return;
    }
    let container = navigator.service_worker();
    let on_update = std::rc::Rc::new(on_update);
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(registration) = JsFuture::from(container.register("sw.js")).await else {
            return;
        };
        let registration: web_sys::ServiceWorkerRegistration = registration.unchecked_into();
        // An update counts only while an older version controls the page (the first install is
        // not an update). Read it when the new worker is installed, not at registration: on the
        // first visit the worker takes control only after it activates.
        let controlled = move || {
            web_sys::window().is_some_and(|w| w.navigator().service_worker().controller().is_some())
        };
        if controlled() && registration.waiting().is_some() {
            on_update();
        }
        let reg = registration.clone();
        let found = Closure::<dyn FnMut()>::new(move || {
            let Some(worker) = reg.installing() else {
                return;
            };
            let w = worker.clone();
            let on_update = on_update.clone();
            let changed = Closure::<dyn FnMut()>::new(move || {
                if w.state() == web_sys::ServiceWorkerState::Installed && controlled() {
                    on_update();
                }
            });
            worker.set_onstatechange(Some(changed.as_ref().unchecked_ref()));
            changed.forget();
        });
        registration.set_onupdatefound(Some(found.as_ref().unchecked_ref()));
        found.forget();
    });
}

/// Activates the waiting version and reloads the page once it has taken control.
pub fn activate_update() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    let reload = Closure::<dyn FnMut()>::new(|| {
        let _ = web_sys::window().map(|w| w.location().reload());
    });
    container.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
    reload.forget();
    wasm_bindgen_futures::spawn_local(async move {
        let waiting = match JsFuture::from(container.get_registration()).await {
            Ok(reg) => reg
                .dyn_into::<web_sys::ServiceWorkerRegistration>()
                .ok()
                .and_then(|r| r.waiting()),
            Err(_) => None,
        };
        match waiting {
            Some(worker) => {
                let _ = worker.post_message(&"skipWaiting".into());
            }
            None => {
                let _ = web_sys::window().map(|w| w.location().reload());
            }
        }
    });
}
