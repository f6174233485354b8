use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::content::catalog;
use crate::progress::{export_json, import_json, merge, Imported, Known, Progress, MAX_BLOB_BYTES};
use crate::route::Route;
use crate::ui::app::{link, use_app, AppState};
use crate::ui::{browser, lab_catalog, persist};

/// How far along the learner is, what to do next, and their data: export,
/// import (merge or replace) and reset with undo.
#[component]
pub fn ProgressPage() -> impl IntoView {
    let app = use_app();
    let c = catalog();
    let scenarios = lab_catalog::scenario_list();
    let n_scenarios = scenarios.len();
    let meter = move |title: &'static str, done: Signal<usize>, total: usize| {
        view! {
            <div class="meter">
                <h2>{title}</h2>
                <p class="figure">{move || done.get()}" / "{total}</p>
                <progress max=total value=move || done.get() aria-label=title></progress>
            </div>
        }
    };
    let learned = Signal::derive(move || {
        app.progress
            .with(|p| c.terms.iter().filter(|t| p.is_learned(&t.slug)).count())
    });
    let spotted = Signal::derive(move || {
        app.progress
            .with(|p| c.cards.iter().filter(|k| p.is_spotted(&k.slug)).count())
    });
    let signals = Signal::derive(move || {
        app.progress
            .with(|p| c.cards.iter().map(|k| p.ticked_count(&k.slug)).sum())
    });
    let done = {
        let scenarios = scenarios.clone();
        Signal::derive(move || {
            app.progress
                .with(|p| scenarios.iter().filter(|(s, _)| p.is_completed(s)).count())
        })
    };
    let lessons_done = Signal::derive(move || {
        app.progress.with(|p| {
            crate::learn::lessons()
                .iter()
                .filter(|l| p.is_lesson_done(&l.slug))
                .count()
        })
    });

    let labs_tried = Signal::derive(move || {
        app.progress.with(|p| {
            crate::learn::LABS
                .iter()
                .filter(|l| p.is_lab_tried(l.slug))
                .count()
        })
    });

    let next = {
        let scenarios = scenarios.clone();
        let path_order = crate::learn::lessons::drills_in_path_order();
        move || {
            app.progress.with(|p| {
                let mut out = Vec::new();
                if let Some((i, l)) = crate::learn::lessons()
                    .iter()
                    .enumerate()
                    .find(|(_, l)| !p.is_lesson_done(&l.slug))
                {
                    out.push((
                        format!("Lesson {}: {}", i + 1, l.title),
                        Route::Learn {
                            lesson: Some(l.slug.clone()),
                        },
                    ));
                }
                if let Some(t) = c.terms.iter().find(|t| !p.is_learned(&t.slug)) {
                    out.push((
                        format!("Learn “{}”", t.name),
                        Route::Glossary {
                            category: None,
                            term: Some(t.slug.clone()),
                        },
                    ));
                }
                if let Some(k) = c.cards.iter().find(|k| !p.is_spotted(&k.slug)) {
                    out.push((
                        format!("Study “{}”", k.name),
                        Route::AntiPatterns {
                            card: Some(k.slug.clone()),
                        },
                    ));
                }
                let first_to_play = path_order
                    .iter()
                    .filter(|s| !p.is_completed(s))
                    .find_map(|s| scenarios.iter().find(|(slug, _)| slug == s));
                if let Some((s, title)) = first_to_play {
                    out.push((
                        format!("Play “{title}” in the Lab"),
                        Route::Lab {
                            state: Some(format!("scenario={s}")),
                        },
                    ));
                }
                out
            })
        }
    };

    view! {
        <div class="page progress-page">
            <h1>"Progress"</h1>
            <p class="lede">"Saved in this browser only. Export it to move it to another machine."</p>
            {move || app.progress.with(|p| p.last_place().map(str::to_string)).map(|href| view! {
                <p><a class="button primary" href=href>"Continue where you left off"</a></p>
            })}
            <div class="meters">
                {meter("Terms learned", learned, c.terms.len())}
                {meter("Anti-patterns you can spot", spotted, c.cards.len())}
                {meter("Warning signals ticked", signals, c.cards.len() * 3)}
                {meter("Lab scenarios completed", done, n_scenarios)}
                {meter("Lessons completed", lessons_done, crate::learn::lessons().len())}
                {meter("Decision labs tried", labs_tried, crate::learn::LABS.len())}
            </div>
            <crate::ui::pages::review::ReviewSummary/>
            <section class="panel" aria-labelledby="next-title">
                <h2 id="next-title">"What to do next"</h2>
                {move || {
                    let items = next();
                    if items.is_empty() {
                        view! { <p>"Everything is done. Try the Lab's “Find a failure” on each anti-pattern, or teach it to someone."</p> }.into_any()
                    } else {
                        view! { <ul>{items.into_iter().map(|(label, route)| view! { <li><a href=link(&route)>{label}</a></li> }).collect_view()}</ul> }.into_any()
                    }
                }}
            </section>
            <DataPanel/>
        </div>
    }
}

/// What the last import found, waiting for the learner to choose.
#[derive(Clone, Debug, PartialEq)]
enum ImportState {
    Idle,
    Ready(Imported),
    Failed(String),
    Done(String),
}

fn known_slugs() -> (Vec<&'static str>, Vec<&'static str>, Vec<String>) {
    let c = catalog();
    let scenarios = lab_catalog::scenario_list()
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    (c.term_slugs(), c.card_slugs(), scenarios)
}

#[component]
fn DataPanel() -> impl IntoView {
    let app = use_app();
    let import_state = RwSignal::new(ImportState::Idle);
    let confirm_reset = RwSignal::new(false);
    let undo = RwSignal::new(None::<Progress>);

    let export = move |_| {
        let json = app.progress.with(export_json);
        if let Err(e) =
            browser::download("vango-study-lab-progress.json", "application/json", &json)
        {
            import_state.set(ImportState::Failed(format!("Export failed: {e}.")));
        }
    };

    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            return;
        };
        // Refuse huge files before reading them into memory.
        if file.size() > (MAX_BLOB_BYTES * 4) as f64 {
            import_state.set(ImportState::Failed(format!(
                "That file is {} KiB: far too large to be a progress export.",
                // Whole KiB: formatting an f64 would pull float printing into the wasm.
                (file.size() as u64).div_ceil(1024)
            )));
            return;
        }
        leptos::task::spawn_local(async move {
            let text = match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(v) => v.as_string().unwrap_or_default(),
                Err(_) => {
                    import_state.set(ImportState::Failed(
                        "The browser could not read that file.".into(),
                    ));
                    return;
                }
            };
            let (terms, cards, scenarios) = known_slugs();
            let scenarios: Vec<&str> = scenarios.iter().map(String::as_str).collect();
            let labs: Vec<&str> = crate::learn::LABS.iter().map(|l| l.slug).collect();
            let lessons: Vec<&str> = crate::learn::lessons()
                .iter()
                .map(|l| l.slug.as_str())
                .collect();
            let known = Known {
                terms: &terms,
                cards: &cards,
                scenarios: &scenarios,
                lessons: &lessons,
                labs: &labs,
            };
            import_state.set(match import_json(&text, &known) {
                Ok(imported) => ImportState::Ready(imported),
                Err(e) => ImportState::Failed(e.to_string()),
            });
        });
    };

    let apply = move |replace: bool| {
        let ImportState::Ready(imported) = import_state.get_untracked() else {
            return;
        };
        let before = app.progress.get_untracked();
        if replace {
            undo.set(Some(before.clone()));
            persist::replace(app, &imported.progress);
        } else {
            app.progress.set(merge(&before, &imported.progress));
        }
        import_state.set(ImportState::Done(if replace {
            "Your progress was replaced by the imported file.".into()
        } else {
            "The imported progress was merged into yours.".into()
        }));
    };

    let reset = move |_| {
        let before = app.progress.get_untracked();
        let fresh = before.reset_learning();
        undo.set(Some(before));
        confirm_reset.set(false);
        persist::replace(app, &fresh);
    };
    let undo_now = move |_| {
        if let Some(previous) = undo.get_untracked() {
            persist::undo_replace(app, &previous);
            undo.set(None);
            import_state.set(ImportState::Done(
                "Undone: your previous progress is back.".into(),
            ));
        }
    };

    view! {
        <section class="panel" aria-labelledby="data-title">
            <h2 id="data-title">"Your data"</h2>
            <div class="row">
                <button type="button" on:click=export>"Export progress"</button>
                <label class="button" for="import-file">"Import progress…"</label>
                <input id="import-file" class="visually-hidden" type="file" accept=".json,application/json" on:change=on_file/>
                <button type="button" class="danger" on:click=move |_| confirm_reset.set(true)>"Reset progress…"</button>
            </div>
            <Show when=move || confirm_reset.get()>
                <div class="notice" role="alertdialog" aria-labelledby="reset-q">
                    <p id="reset-q">"Reset all progress on this device? Learned terms, ticked signals and finished scenarios are cleared. You can undo right after."</p>
                    <button type="button" class="danger" on:click=reset>"Yes, reset"</button>
                    <button type="button" on:click=move |_| confirm_reset.set(false)>"Cancel"</button>
                </div>
            </Show>
            {move || undo.get().map(|_| view! {
                <div class="notice info" role="status"><p>"Your previous progress can still be restored."</p>
                    <button type="button" on:click=undo_now>"Undo"</button></div>
            })}
            {move || import_panel(app, import_state, apply)}
            <KeptData/>
        </section>
    }
}

/// Unreadable progress set aside, always listed here (whatever banner was
/// dismissed) with a download and a delete for each.
#[component]
fn KeptData() -> impl IntoView {
    let app = use_app();
    let blobs = move || {
        // Re-read whenever a blob may have been set aside or deleted.
        app.saved.with(|s| s.damaged_version);
        persist::damaged_blobs()
    };
    move || {
        let blobs = blobs();
        (!blobs.is_empty()).then(|| {
            let n = blobs.len();
            view! {
                <div class="kept-data" role="region" aria-labelledby="kept-title">
                    <h3 id="kept-title">"Unreadable data kept aside"</h3>
                    <p>{if n == 1 { "1 saved record".to_string() } else { format!("{n} saved records") }}
                        " could not be read and were kept untouched. Download one to inspect or keep it; delete it when you no longer need it."</p>
                    <ul>{blobs.into_iter().enumerate().map(|(i, (key, text))| {
                        let k = key.clone();
                        let size = text.len().div_ceil(1024);
                        let label = format!("Kept record {} ({size} KiB)", i + 1);
                        view! {
                            <li>
                                <span>{label.clone()}</span>" "
                                <button type="button" aria-label=format!("Download {label}") on:click=move |_| {
                                    if let Err(e) = browser::download("vango-study-lab-unreadable-progress.txt", "text/plain", &text) {
                                        persist::notify(app, crate::progress::Notice::SaveFailed(e.to_string()));
                                    }
                                }>"Download"</button>" "
                                <button type="button" class="danger" aria-label=format!("Delete {label}")
                                    on:click=move |_| persist::discard_damaged(app, &k)>"Delete"</button>
                            </li>
                        }
                    }).collect_view()}</ul>
                </div>
            }
        })
    }
}

fn import_panel(
    _app: AppState,
    state: RwSignal<ImportState>,
    apply: impl Fn(bool) + Copy + 'static,
) -> impl IntoView {
    match state.get() {
        ImportState::Idle => ().into_any(),
        ImportState::Failed(msg) => view! {
            <div class="notice error" role="alert"><p>"Import refused: "{msg}" Your progress is unchanged."</p>
                <button type="button" on:click=move |_| state.set(ImportState::Idle)>"Dismiss"</button></div>
        }.into_any(),
        ImportState::Done(msg) => view! {
            <div class="notice info" role="status"><p>{msg}</p></div>
        }.into_any(),
        ImportState::Ready(imported) => {
            let p = &imported.progress;
            let summary = format!(
                "The file holds {} learned terms, {} cards you can spot and {} finished scenarios.",
                p.learned_count(), p.spotted_count(), p.completed_count()
            );
            let migrated = imported.migrated_from.map(|v| format!(" It was written in an older format (version {v}) and was upgraded."));
            // Counts, then only the first few: a file may name thousands.
            let (counts, first, more) = imported.skipped_summary(5);
            let first: Vec<String> = first.into_iter().map(str::to_string).collect();
            let skipped = (!imported.skipped.is_empty()).then(|| view! {
                <p>"Skipped, because this version does not know them or cannot read them: "{counts}"."</p>
                <ul>{first.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                {(more > 0).then(|| view! { <p class="muted">"…and "{more}" more."</p> })}
            });
            view! {
                <div class="notice info" role="status">
                    <p>{summary}{migrated}</p>
                    {skipped}
                    <div class="row">
                        <button type="button" class="primary" on:click=move |_| apply(false)>"Merge into my progress"</button>
                        <button type="button" on:click=move |_| apply(true)>"Replace my progress"</button>
                        <button type="button" on:click=move |_| state.set(ImportState::Idle)>"Cancel"</button>
                    </div>
                </div>
            }.into_any()
        }
    }
}
