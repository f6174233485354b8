use leptos::prelude::*;

/// A toggle button that says its state in words, for "Learned" and
/// "I can spot this". `on` reads the saved state; `set` writes it.
#[component]
pub fn Toggle(
    /// What the button marks, e.g. "Learned".
    label: &'static str,
    /// The accessible name, e.g. "Mark Drain as learned".
    name: String,
    on: Signal<bool>,
    set: Callback<bool>,
) -> impl IntoView {
    view! {
        <button type="button" class="toggle" aria-pressed=move || on.get().to_string()
                aria-label=name on:click=move |_| set.run(!on.get_untracked())>
            <span class="toggle-box" aria-hidden="true">{move || if on.get() { "✓" } else { "" }}</span>
            {label}
        </button>
    }
}
