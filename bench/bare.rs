//! The reference page for `make bench`: Leptos with nothing of poolcalc, a counter button. The
//! bench times its first frame beside poolcalc's first answer, in the same runs, so the answer's
//! time can be read against what this machine takes for any Leptos page at that moment.

#[cfg(target_arch = "wasm32")]
fn main() {
    use leptos::prelude::*;
    leptos::mount::mount_to_body(|| {
        let count = RwSignal::new(0u32);
        view! {
            <main id="bare">
                <button on:click=move |_| count.update(|n| *n += 1)>"Clicked " {move || count.get()} " times"</button>
            </main>
        }
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("bench-bare-leptos is a browser page: `make bench` builds it with Trunk.");
    std::process::exit(1);
}
