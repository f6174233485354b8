//! The root: shared state, the route, the shell (header, notices, page).

use leptos::prelude::*;

use super::browser;
use super::components::{
    header::Header, notices::Notices, search::SearchDialog, update_notice::UpdateNotice,
};
use super::pages;
use super::persist::{self, Saved};
use crate::progress::{Progress, Theme};
use crate::route::Route;

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
}

pub fn use_app() -> AppState {
    expect_context::<AppState>()
}

/// A link to `route`: its fragment. Every route is on this one page, so
/// following a link never reloads the document.
pub fn link(route: &Route) -> String {
    route.href()
}

/// The app: every route, one document.
#[component]
pub fn App() -> impl IntoView {
    Frame()
}

fn render(route: Route) -> AnyView {
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
        Route::Traces { trace } => {
            view! { <pages::walkthroughs::TracesPage focus=trace/> }.into_any()
        }
        Route::Runbooks { runbook } => {
            view! { <pages::walkthroughs::RunbooksPage focus=runbook/> }.into_any()
        }
        Route::CheatSheet => pages::cheat_sheet::CheatSheetPage().into_any(),
    }
}

/// What the page is about, for its title: the name of the term, card,
/// lesson, decision lab or lifecycle the route points at.
fn subject(route: &Route) -> Option<String> {
    let catalog = crate::content::catalog();
    match route {
        Route::Glossary { term: Some(t), .. } => catalog.term(t).map(|t| t.name.clone()),
        Route::AntiPatterns { card: Some(c) } => catalog.card(c).map(|c| c.name.clone()),
        Route::Learn { lesson: Some(l) } => crate::learn::lessons::lessons()
            .iter()
            .find(|x| &x.slug == l)
            .map(|x| x.title.clone()),
        Route::Decisions { lab: Some(l) } => {
            crate::learn::decisions::lab(l).map(|x| x.title.to_string())
        }
        Route::Lifecycles { kind: Some(k) } => crate::learn::lifecycles::diagram(k)
            .map(|d| d.title().to_string())
            .or_else(|| crate::learn::lifecycles::object_diagram(k).map(|d| d.title.to_string())),
        Route::Traces { trace: Some(t) } => {
            crate::learn::walkthroughs::trace(t).map(|w| w.title.to_string())
        }
        Route::Runbooks { runbook: Some(r) } => {
            crate::learn::walkthroughs::runbook(r).map(|w| w.title.to_string())
        }
        _ => None,
    }
}

/// Header, notices, the page for the route, search and footer.
#[allow(non_snake_case)]
fn Frame() -> impl IntoView {
    browser::start_history();
    let (route, set_route) = signal(Route::parse(&browser::current_fragment()));
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
    };
    provide_context(state);

    let on_hash = window_event_listener(leptos::ev::hashchange, move |_| {
        let next = Route::parse(&browser::current_fragment());
        match browser::enter_history_entry() {
            // Back or Forward: the entry's own scroll position, once it has rendered.
            Some(y) => browser::restore_scroll_after_render(y),
            None => {
                // A new page starts at its top, unless it scrolls to a term or card itself.
                let targets_item = matches!(
                    next,
                    Route::Glossary { term: Some(_), .. } | Route::AntiPatterns { card: Some(_) }
                );
                if !targets_item && next.section() != route.get_untracked().section() {
                    browser::scroll_to_top();
                }
            }
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

    // The Lab's worker files, fetched (not run) once the browser is idle.
    super::lab_client::prefetch_when_idle();

    // The theme follows the saved preference; "system" defers to the OS. Its
    // mirror lets public/boot.js apply it before the next load's first paint.
    Effect::new(move |_| {
        let theme = progress.with(|p| p.theme());
        browser::apply_theme(match theme {
            Theme::System => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        });
        persist::mirror_theme(theme);
    });

    // Each page names itself in the title and, after a change of page, in
    // the polite live region (a screen reader hears where it arrived).
    let announced = RwSignal::new(String::new());
    Effect::new(move |first: Option<()>| {
        let r = route.get();
        let title = r.title(subject(&r).as_deref());
        browser::set_title(&title);
        if first.is_some() {
            announced.set(title);
        }
    });

    // Remember the last place visited, for "continue where you left off".
    Effect::new(move |_| {
        let r = route.get();
        // The Lab saves its own moment (pages/lab.rs), and never a share link's.
        if !matches!(
            r,
            Route::Home | Route::NotFound(_) | Route::Progress | Route::Lab { .. }
        ) {
            let href = r.href();
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
        <p class="visually-hidden" aria-live="polite" aria-atomic="true" id="page-announcer">{move || announced.get()}</p>
        <footer class="site-footer">
            <p>"Vango Study Lab runs entirely in your browser. Progress stays on this device."</p>
        </footer>
    }
}
