use leptos::prelude::*;

use crate::progress::Progress;
use crate::ui::app::use_app;

/// A toggle button bound to one saved flag of one item ("Learned" on a term,
/// "I can spot this" on a card). It says its state in words and writes
/// through the progress signal, which the persist effect saves.
#[component]
pub fn Toggle(
    /// What the button marks, e.g. "Learned".
    label: &'static str,
    /// The accessible name, e.g. "Learned: Drain".
    name: String,
    /// The item's slug.
    slug: String,
    /// Reads the flag, e.g. `Progress::is_learned`.
    read: fn(&Progress, &str) -> bool,
    /// Writes the flag, e.g. `Progress::set_learned`.
    write: fn(&mut Progress, &str, bool) -> bool,
) -> impl IntoView {
    let app = use_app();
    let slug = StoredValue::new(slug);
    let on = move || app.progress.with(|p| slug.with_value(|s| read(p, s)));
    let flip = move |_| {
        let next = !app
            .progress
            .with_untracked(|p| slug.with_value(|s| read(p, s)));
        app.progress.update(|p| {
            slug.with_value(|s| write(p, s, next));
        });
    };
    view! {
        <button type="button" class="toggle" aria-pressed=move || on().to_string()
                aria-label=name on:click=flip>
            <span class="toggle-box" aria-hidden="true">{move || if on() { "✓" } else { "" }}</span>
            {label}
        </button>
    }
}
