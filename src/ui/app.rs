//! The root: shared state, the route, the shell (header, notices, page).

use leptos::prelude::*;

use super::browser;
use super::components::{
    header::Header, notices::Notices, search::SearchDialog, update_notice::UpdateNotice,
};
use super::pages;
use super::persist::{self, Saved};
use crate::progress::{Progress, Theme};
use crate::route::{Page, Route};

/// What every page may read or change. Plain values in signals: the domain
/// types stay free of reactivity and test on the host.
#[derive(Clone, Copy)]
pub struct AppState {
    pub route: ReadSignal<Route>,
    pub progress: RwSignal<Progress>,
    pub saved: RwSignal<Saved>,
    pub search_open: RwSignal<bool>,
    /// The review plan (queue, mastery), derived once from the answers log
    /// for every part of the page that shows it.
    pub review: Memo<crate::review::Plan>,
    /// Which HTML page this app runs in.
    pub page: Page,
}

pub fn use_app() -> AppState {
    expect_context::<AppState>()
}

/// A link to `route` from the page this app runs in.
pub fn link(route: &Route) -> String {
    route.link_from(use_app().page)
}

/// The study app: home, glossary, anti-patterns, progress (`index.html`).
#[component]
pub fn App() -> impl IntoView {
    Frame(Page::Shell, shell_page)
}

/// The Lab (`lab.html`): the simulator is only loaded by the page that uses it.
#[component]
pub fn LabApp() -> impl IntoView {
    Frame(Page::Lab, lab_page)
}

fn shell_page(route: Route) -> AnyView {
    match route {
        Route::Home => pages::home::HomePage().into_any(),
        Route::Glossary { category, term } => {
            view! { <pages::glossary::GlossaryPage category=category term=term/> }.into_any()
        }
        Route::AntiPatterns { card } => {
            view! { <pages::anti_patterns::AntiPatternsPage card=card/> }.into_any()
        }
        Route::Progress => pages::progress::ProgressPage().into_any(),
        Route::Review => pages::review::ReviewPage().into_any(),
        Route::NotFound(path) => view! { <pages::not_found::NotFound path=path/> }.into_any(),
        Route::Lab { .. }
        | Route::Learn { .. }
        | Route::Decisions { .. }
        | Route::Lifecycles { .. } => elsewhere(route),
    }
}

/// The page that carries the simulator: the Lab and everything it answers.
fn lab_page(route: Route) -> AnyView {
    match route {
        Route::Lab { state } => view! { <pages::lab::LabPage state=state/> }.into_any(),
        Route::Learn { lesson: None } => pages::learn::PathPage().into_any(),
        Route::Learn { lesson: Some(slug) } => {
            view! { <pages::learn::LessonPage slug=slug/> }.into_any()
        }
        Route::Decisions { lab } => {
            view! { <pages::decisions::DecisionsPage focus=lab/> }.into_any()
        }
        Route::Lifecycles { kind } => {
            view! { <pages::lifecycles::LifecyclesPage focus=kind/> }.into_any()
        }
        other => elsewhere(other),
    }
}

/// A route the other page renders: go there, keeping the fragment.
fn elsewhere(route: Route) -> AnyView {
    browser::location_replace(&route.link_from(use_app().page));
    view! { <p class="boot">"Opening…"</p> }.into_any()
}

/// Header, notices, the page for the route, search and footer: the same
/// frame on both pages. `render` is a plain function so each page's build
/// links only the screens it can show.
#[allow(non_snake_case)]
fn Frame(page: Page, render: fn(Route) -> AnyView) -> impl IntoView {
    let (route, set_route) = signal(Route::parse_on(page, &browser::current_fragment()));
    let saved = persist::open();
    let progress = RwSignal::new(saved.progress.clone());
    let saved = RwSignal::new(saved);
    let search_open = RwSignal::new(false);
    let state = AppState {
        route,
        progress,
        saved,
        search_open,
        review: super::review_plan::plan(progress),
        page,
    };
    provide_context(state);

    let on_hash = window_event_listener(leptos::ev::hashchange, move |_| {
        let next = Route::parse_on(page, &browser::current_fragment());
        // A new page starts at its top, unless it scrolls to a term or card itself.
        let targets_item = matches!(
            next,
            Route::Glossary { term: Some(_), .. } | Route::AntiPatterns { card: Some(_) }
        );
        if !targets_item && next.section() != route.get_untracked().section() {
            browser::scroll_to_top();
        }
        set_route.set(next);
    });
    on_cleanup(move || on_hash.remove());

    // `/` opens search from anywhere, except while typing in a field.
    let on_key = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "/" && !ev.ctrl_key() && !ev.meta_key() && !browser::typing_in_field(&ev) {
            ev.prevent_default();
            search_open.set(true);
        }
    });
    on_cleanup(move || on_key.remove());

    persist::keep_saved(state);

    // The theme follows the saved preference; "system" defers to the OS.
    Effect::new(move |_| {
        browser::apply_theme(match progress.with(|p| p.theme()) {
            Theme::System => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        });
    });

    // Remember the last place visited, for "continue where you left off".
    Effect::new(move |_| {
        let r = route.get();
        if !matches!(r, Route::Home | Route::NotFound(_) | Route::Progress) {
            let href = match r {
                // A share link is an instructor's moment, not the learner's place.
                Route::Lab { .. } => Route::Lab { state: None }.href(),
                other => other.href(),
            };
            progress.update(|p| {
                p.set_last_place(Some(&href));
            });
        }
    });

    view! {
        <a class="skip-link" href="#main" on:click=|ev| {
            ev.prevent_default();
            browser::focus_id("main");
        }>"Skip to content"</a>
        <Header/>
        <UpdateNotice/>
        <Notices/>
        <main id="main" tabindex="-1">
            {move || render(route.get())}
        </main>
        <SearchDialog/>
        <footer class="site-footer">
            <p>"Vango Study Lab runs entirely in your browser. Progress stays on this device."</p>
        </footer>
    }
}
