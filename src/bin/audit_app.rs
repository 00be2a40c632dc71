//! The audit's own wasm app (Trunk builds it beside the page, as a worker-type binary so that its
//! files keep fixed names; the page loads it when the user opens the audit). It mounts the audit
//! view into the page's `#audit-root`.

#[cfg(target_arch = "wasm32")]
fn main() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    poolcalc::ui::audit::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("poolcalc-audit is loaded by the page: `make serve` or `make dist` builds it. On the command line, use `poolcalc audit`.");
    std::process::exit(1);
}
