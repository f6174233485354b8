use leptos::prelude::*;

use crate::content::catalog;
use crate::learn::lessons;
use crate::route::Route;
use crate::ui::app::{link, use_app};

/// What Vango and this lab are, the learner's next step, and the path.
#[component]
pub fn HomePage() -> impl IntoView {
    let app = use_app();
    let c = catalog();
    let all = lessons();
    let plan = app.review;
    // The exact next step: the first lesson not completed yet.
    let next_lesson = move || {
        app.progress.with(|p| {
            let done = all.iter().filter(|l| p.is_lesson_done(&l.slug)).count();
            all.iter()
                .position(|l| !p.is_lesson_done(&l.slug))
                .map(|i| (i, done))
        })
    };
    let cta = move || {
        match next_lesson() {
        Some((i, 0)) => view! {
            <a class="button primary big" href=link(&Route::Learn { lesson: Some(all[i].slug.clone()) })>
                {format!("Start lesson 1: {}", all[i].title)}</a>
        }
        .into_any(),
        Some((i, _)) => view! {
            <a class="button primary big" href=link(&Route::Learn { lesson: Some(all[i].slug.clone()) })>
                {format!("Continue with lesson {}: {}", i + 1, all[i].title)}</a>
        }
        .into_any(),
        None => view! {
            <a class="button primary big" href=link(&Route::Review)>"Every lesson done — keep it fresh in Review"</a>
        }
        .into_any(),
    }
    };
    let due = move || {
        let n = plan.with(|p| p.queue.len());
        (n > 0).then(|| view! { <a class="button" href=link(&Route::Review)>{format!("Review: {n} due today")}</a> })
    };
    let resume = move || {
        app.progress
            .with(|p| p.last_place().map(str::to_string))
            .map(|href| {
                view! { <a class="button" href=href>"Back to where you were"</a> }
            })
    };
    let path = all
        .iter()
        .map(|l| {
            let slug = l.slug.clone();
            let done = move || app.progress.with(|p| p.is_lesson_done(&slug));
            view! {
                <li>
                    <a href=link(&Route::Learn { lesson: Some(l.slug.clone()) })>{l.title.clone()}</a>
                    {move || done().then(|| view! { <span class="done-mark">" ✓ done"</span> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="page home">
            <section class="hero">
                <h1>"Vango Study Lab"</h1>
                <p class="lede">"Vango is a Go web framework whose server keeps each user's live page state, attached to one running process. This lab teaches how the platform that runs it promotes, drains, wakes and rolls back — and how it fails when it is built on the wrong model."</p>
                <div class="row cta">{cta}{due}{resume}</div>
            </section>
            <section aria-labelledby="path-title">
                <h2 id="path-title">"The path"</h2>
                <ol class="path-glance">{path}</ol>
            </section>
            <section class="ideas" aria-labelledby="ideas-title">
                <h2 id="ideas-title">"Three ideas carry everything"</h2>
                <div class="idea-grid">
                    <div class="idea">
                        <h3>"Authority"</h3>
                        <p>"The control plane's records are the truth. Logs, caches and events are evidence or propagation."</p>
                    </div>
                    <div class="idea">
                        <h3>"Continuity"</h3>
                        <p>"A live session never moves. It drains in place, resumes from a session store, or starts fresh — and the product says which."</p>
                    </div>
                    <div class="idea">
                        <h3>"Honesty"</h3>
                        <p>"Cold deploys, unsafe replay, data risk and blocked readiness are facts to show, not to hide."</p>
                    </div>
                </div>
            </section>
            <section aria-labelledby="start-title">
                <h2 id="start-title">"Everything here"</h2>
                <ol class="steps">
                    <li><a href=link(&Route::Learn { lesson: None })><strong>"Learn"</strong></a>
                        <span>{format!(" — {} lessons, seven ", all.len())}</span><a href=link(&Route::Decisions { lab: None })>"decision labs"</a>
                        <span>" and the "</span><a href=link(&Route::Lifecycles { kind: None })>"lifecycles"</a><span>", all answered by the model."</span></li>
                    <li><a href=link(&Route::Glossary { category: None, term: None })><strong>"Glossary"</strong></a>
                        <span>{format!(" — {} terms, each with the trap people fall into.", c.terms.len())}</span></li>
                    <li><a href=link(&Route::AntiPatterns { card: None })><strong>"Anti-patterns"</strong></a>
                        <span>{format!(" — {} architecture lies and the signals that give them away.", c.cards.len())}</span></li>
                    <li><a href=link(&Route::Lab { state: None })><strong>"The Lab"</strong></a>
                        <span>" — step through promotion, drain, wake and rollback; switch on an anti-pattern and watch an invariant break."</span></li>
                    <li><a href=link(&Route::Review)><strong>"Review"</strong></a>
                        <span>" — a few questions a day, each back just before you would forget it."</span></li>
                    <li><a href=link(&Route::Progress)><strong>"Progress"</strong></a>
                        <span>" — what you know so far, saved on this device."</span></li>
                </ol>
                <p class="tip">"Press " <kbd>"/"</kbd> " anywhere to search."</p>
            </section>
        </div>
    }
}
