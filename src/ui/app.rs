use leptos::prelude::*;

use crate::calc::target_active_connections;

/// The whole page: a heading, the form, and the answer that follows it as you type.
#[component]
pub fn App() -> impl IntoView {
    let (cores, set_cores) = signal(Ok::<u32, String>(4));
    let on_input = move |ev| {
        let text = event_target_value(&ev);
        set_cores.set(match text.trim().parse::<u32>() {
            Ok(n) if (1..=512).contains(&n) => Ok(n),
            _ => Err("Database server cores: enter a whole number from 1 to 512.".to_string()),
        });
    };
    view! {
        <main id="app" data-ready="1">
            <h1>"poolcalc"</h1>
            <p class="tagline">
                "Connection-pool sizes for a whole fleet on PostgreSQL, PgBouncer, Redis and Kafka, computed in your browser."
            </p>
            <form on:submit=|ev| ev.prevent_default()>
                <label for="db-cores">"Database server cores"</label>
                <input id="db-cores" type="number" min="1" max="512" value="4" on:input=on_input />
            </form>
            <p id="target-line" aria-live="polite">
                {move || match cores.get() {
                    Ok(n) => format!(
                        "Target active server connections: 2 × {n} cores = {}",
                        target_active_connections(n, 0),
                    ),
                    Err(e) => e,
                }}
            </p>
        </main>
    }
}
