use leptos::prelude::*;

use crate::content::catalog;
use crate::content::link::{link_terms, paragraphs, Segment};
use crate::learn::{lab, lesson, lessons, next_lesson, prediction, Lesson};
use crate::route::Route;
use crate::ui::app::{link, use_app};
use crate::ui::lab_catalog;

/// The guided path at a glance: every lesson in order, what it teaches, and
/// where the learner is.
#[component]
pub fn PathPage() -> impl IntoView {
    let app = use_app();
    let all = lessons();
    let done = move || {
        app.progress
            .with(|p| all.iter().filter(|l| p.is_lesson_done(&l.slug)).count())
    };
    let next = move || {
        app.progress
            .with(|p| all.iter().find(|l| !p.is_lesson_done(&l.slug)).cloned())
    };
    let items = all
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let slug = l.slug.clone();
            let is_done = Signal::derive(move || app.progress.with(|p| p.is_lesson_done(&slug)));
            let href = link(&Route::Learn {
                lesson: Some(l.slug.clone()),
            });
            view! {
                <li class="path-step" class:done=is_done>
                    <span class="path-number" aria-hidden="true">{i + 1}</span>
                    <div>
                        <h2><a href=href>{l.title.clone()}</a></h2>
                        <p>{l.outcome.clone()}</p>
                        <p class="hint">{move || if is_done.get() { "Completed" } else { "Not completed yet" }}</p>
                    </div>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="page learn narrow">
            <h1>"Learn"</h1>
            <p class="lede">"A guided path from “stateful does not mean magic” to recovery. Each lesson: a short reading, a prediction the model answers, a drill to watch in the Lab, something to do, and a chance to explain it back."</p>
            <p class="count">{move || format!("{} of {} lessons completed", done(), all.len())}
                {move || format!(" · {} of {} decision labs tried", app.progress.with(|p| crate::learn::LABS.iter().filter(|l| p.is_lab_tried(l.slug)).count()), crate::learn::LABS.len())}</p>
            {move || next().map(|l| view! {
                <p><a class="button primary" href=link(&Route::Learn { lesson: Some(l.slug.clone()) })>
                    {format!("Continue: {}", l.title)}</a></p>
            })}
            <ol class="path" aria-label="Lessons">{items}</ol>
            <nav class="links" aria-label="More to learn">
                <p>
                    <a href=link(&Route::Decisions { lab: None })>"Decision labs"</a>
                    <a href=link(&Route::Lifecycles { kind: None })>"Lifecycles"</a>
                    <a href=link(&Route::Traces { trace: None })>"Request traces"</a>
                    <a href=link(&Route::Runbooks { runbook: None })>"Runbooks"</a>
                    <a href=link(&Route::CheatSheet)>"Cheat sheet"</a>
                </p>
            </nav>
        </div>
    }
}

/// One lesson: reading, predict, see it, apply, explain it back.
#[component]
pub fn LessonPage(slug: String) -> impl IntoView {
    match lesson(&slug) {
        Some(l) => LessonBody(l).into_any(),
        None => view! {
            <div class="page narrow">
                <h1>"No such lesson"</h1>
                <p role="alert">{format!("There is no lesson called “{slug}”. It may have been renamed; the path below lists every lesson.")}</p>
                <p><a class="button" href=link(&Route::Learn { lesson: None })>"All lessons"</a></p>
            </div>
        }
        .into_any(),
    }
}

#[allow(non_snake_case)]
fn LessonBody(l: &'static Lesson) -> impl IntoView {
    let app = use_app();
    let c = catalog();
    let number = lessons().iter().position(|x| x.slug == l.slug).unwrap_or(0) + 1;
    let total = lessons().len();
    let reading = paragraphs(&l.reading)
        .into_iter()
        .map(|p| {
            let parts = link_terms(c, p, &l.terms)
                .into_iter()
                .map(|s| match s {
                    Segment::Text(t) => t.to_string().into_any(),
                    Segment::Term { text, slug } => view! {
                        <a class="term-link" href=link(&Route::Glossary { category: None, term: Some(slug.to_string()) })>{text.to_string()}</a>
                    }
                    .into_any(),
                })
                .collect_view();
            view! { <p>{parts}</p> }
        })
        .collect_view();

    let slug = l.slug.clone();
    let done = {
        let slug = slug.clone();
        move || app.progress.with(|p| p.is_lesson_done(&slug))
    };
    let mark_done = {
        let slug = slug.clone();
        move |_| {
            app.progress.update(|p| {
                p.set_lesson_done(&slug, true);
            })
        }
    };
    let see_href = lab_catalog::drill_link(&l.see.drill);
    let see_title = lab_catalog::drill_title(&l.see.drill);
    let apply = match (&l.apply.lab, &l.apply.drill) {
        (Some(x), _) => {
            let title = lab(x).map(|d| d.title).unwrap_or("Decision lab");
            view! { <p>"Flip the inputs of the " <a href=link(&Route::Decisions { lab: Some(x.clone()) })>{title}</a> " decision lab until you can say why each outcome happens."</p> }.into_any()
        }
        (None, Some(d)) => view! {
            <p>"Play the drill " <a href=lab_catalog::drill_link(d)>{lab_catalog::drill_title(d)}</a> " in the Lab to its goal, one step at a time."</p>
        }
        .into_any(),
        (None, None) => ().into_any(),
    };
    let checklist = l
        .explain
        .checklist
        .iter()
        .enumerate()
        .map(|(i, point)| {
            let id = format!("explain-{i}");
            view! {
                <li><input type="checkbox" id=id.clone()/><label for=id>{point.clone()}</label></li>
            }
        })
        .collect_view();
    // Back-links: the terms and cards this lesson rests on (their pages list it too).
    let rests_on = {
        let terms = l
            .terms
            .iter()
            .filter_map(|t| c.term(t))
            .map(|t| view! { <a href=link(&Route::Glossary { category: None, term: Some(t.slug.clone()) })>{t.name.clone()}</a> })
            .collect_view();
        let cards = l
            .cards
            .iter()
            .filter_map(|k| c.card(k))
            .map(|k| view! { <a href=link(&Route::AntiPatterns { card: Some(k.slug.clone()) })>{k.name.clone()}</a> })
            .collect_view();
        view! {
            <div class="links">
                {(!l.terms.is_empty()).then(|| view! { <p><span class="links-label">"Terms: "</span>{terms}</p> })}
                {(!l.cards.is_empty()).then(|| view! { <p><span class="links-label">"Anti-patterns: "</span>{cards}</p> })}
            </div>
        }
    };
    let next = next_lesson(&l.slug).map(|n| {
        view! { <a class="button" href=link(&Route::Learn { lesson: Some(n.slug.clone()) })>{format!("Next: {}", n.title)}</a> }
    });

    view! {
        <article class="page lesson narrow">
            <p class="crumb"><a href=link(&Route::Learn { lesson: None })>"Learn"</a>{format!(" · Lesson {number} of {total}")}</p>
            <h1>{l.title.clone()}</h1>
            <p class="lede">"You will be able to: "{l.outcome.clone()}</p>
            <section aria-labelledby="read-title">
                <h2 id="read-title">"Read"</h2>
                <div class="reading">{reading}</div>
                {rests_on}
            </section>
            <Predict lesson=l/>
            <section aria-labelledby="see-title">
                <h2 id="see-title">"See it"</h2>
                <p>"Watch it happen in the Lab: " <a href=see_href>{see_title}</a>"."</p>
            </section>
            <section aria-labelledby="apply-title">
                <h2 id="apply-title">"Apply"</h2>
                {apply}
            </section>
            <section aria-labelledby="explain-title" class="panel">
                <h2 id="explain-title">"Explain it back"</h2>
                <p><label for="explain-text">{l.explain.prompt.clone()}</label></p>
                <textarea id="explain-text" rows="5" placeholder="Write it in your own words. It stays on this page; nothing is sent anywhere."></textarea>
                <p class="hint">"Then tick what your answer covered. A strong answer mentions:"</p>
                <ul class="checklist">{checklist}</ul>
            </section>
            <div class="row lesson-foot">
                {move || if done() {
                    view! { <p class="done-note" role="status">"✓ Lesson completed"</p> }.into_any()
                } else {
                    view! { <button type="button" class="button primary" on:click=mark_done.clone()>"Mark this lesson completed"</button> }.into_any()
                }}
                {next}
            </div>
        </article>
    }
}

/// The lesson's prediction: choose, then see the model's answer and why.
#[component]
fn Predict(lesson: &'static Lesson) -> impl IntoView {
    let chosen = RwSignal::new(None::<usize>);
    let body = match prediction(&lesson.predict) {
        Ok(p) => {
            let answer = p.answer;
            let options = p
                .options
                .iter()
                .enumerate()
                .map(|(i, text)| {
                    let state = move || match chosen.get() {
                        None => "option",
                        Some(_) if i == answer => "option right",
                        Some(c) if c == i => "option wrong",
                        Some(_) => "option other",
                    };
                    view! {
                        <li><button type="button" class=state disabled=move || chosen.get().is_some()
                                    on:click=move |_| chosen.set(Some(i))>{text.clone()}</button></li>
                    }
                })
                .collect_view();
            let why = p.why.clone();
            let right = p.options[answer].clone();
            view! {
                <p>{p.question.clone()}</p>
                <ol class="options" aria-label="Your prediction">{options}</ol>
                <div aria-live="polite">
                    {move || chosen.get().map(|c| view! {
                        <p class="verdict"><strong>{if c == answer { "Right. ".to_string() } else { format!("Not quite: {right}. ") }}</strong>{why.clone()}</p>
                    })}
                </div>
            }
            .into_any()
        }
        // The tests make this unreachable for shipped lessons; say so rather than guess.
        Err(e) => view! { <p role="alert">{format!("The model could not answer this prediction: {e}")}</p> }.into_any(),
    };
    view! {
        <section aria-labelledby="predict-title" class="panel">
            <h2 id="predict-title">"Predict"</h2>
            {body}
        </section>
    }
}
