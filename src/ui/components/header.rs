use leptos::prelude::*;

use crate::progress::Theme;
use crate::route::{Route, Section};
use crate::ui::app::{link as link_to, use_app};

/// The site header: product name, the four sections, search and theme.
#[component]
pub fn Header() -> impl IntoView {
    let app = use_app();
    let section = move || app.route.with(Route::section);
    let link = move |target: Section, route: Route, label: &'static str| {
        view! {
            <a href=link_to(&route)
               aria-current=move || (section() == target).then_some("page")>{label}</a>
        }
    };
    let cycle_theme = move |_| {
        app.progress.update(|p| {
            let next = match p.theme() {
                Theme::System => Theme::Dark,
                Theme::Dark => Theme::Light,
                Theme::Light => Theme::System,
            };
            p.set_theme(next);
        })
    };
    let theme_label = move || match app.progress.with(|p| p.theme()) {
        Theme::System => "Theme: system",
        Theme::Dark => "Theme: dark",
        Theme::Light => "Theme: light",
    };
    view! {
        <header class="site-header">
            <a class="brand" href=link_to(&Route::Home)>
                <span class="brand-mark" aria-hidden="true">"V"</span>
                <span>"Vango Study Lab"</span>
            </a>
            <nav aria-label="Sections">
                {link(Section::Learn, Route::Learn { lesson: None }, "Learn")}
                {link(Section::Glossary, Route::Glossary { category: None, term: None }, "Glossary")}
                {link(Section::AntiPatterns, Route::AntiPatterns { card: None }, "Anti-patterns")}
                {link(Section::Lab, Route::Lab { state: None }, "Lab")}
                <a href=link_to(&Route::Review)
                   aria-current=move || (section() == Section::Review).then_some("page")>
                    "Review"
                    {move || {
                        let n = app.review.with(|p| p.queue.len());
                        (n > 0).then(|| view! {
                            <span class="due-badge"><span aria-hidden="true">{n}</span><span class="visually-hidden">{format!(" {n} due")}</span></span>
                        })
                    }}
                </a>
                {link(Section::Progress, Route::Progress, "Progress")}
            </nav>
            <div class="header-tools">
                <button type="button" class="search-button" on:click=move |_| app.search_open.set(true)
                        aria-keyshortcuts="/">
                    <span>"Search"</span>
                    <kbd aria-hidden="true">"/"</kbd>
                </button>
                <button type="button" class="theme-button" on:click=cycle_theme
                        title="Switch between system, dark and light">
                    {theme_label}
                </button>
            </div>
        </header>
    }
}
