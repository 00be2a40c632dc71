//! The page's entry point: mounts the app. Built for wasm32 by Trunk (see index.html).

#[cfg(target_arch = "wasm32")]
fn main() {
    // Debug builds report panics in the console. The release build aborts at once on a panic
    // (scripts/release-build.sh), so a hook would never run: it is left out.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(poolcalc::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "poolcalc-web is the browser entry point: build it with `make dist` or `make serve`."
    );
    std::process::exit(1);
}
