use leptos::prelude::*;

use crate::content::catalog;
use crate::learn::lessons::lessons;
use crate::review::{all_items, Form, Grade, Item, Phase, Question, Session, Subject};
use crate::route::Route;
use crate::ui::app::{link, use_app};
use crate::ui::{browser, lab_catalog};

/// Keys for the options (and an explain item's checklist points), shown on each button.
const OPTION_KEYS: [&str; 8] = ["A", "B", "C", "D", "E", "F", "G", "H"];

/// Today's review: due items and new ones, asked as questions; or practice,
/// which leaves the schedule alone. Keyboard first: A–D choose, Space
/// reveals (an explain item's checklist), A–H tick its points, 1–4 grade,
/// Enter takes the suggested grade.
#[component]
pub fn ReviewPage() -> impl IntoView {
    let app = use_app();
    let c = catalog();
    let session: RwSignal<Option<Session>> = RwSignal::new(None);
    // What the learner writes for an explain item: kept while the question is
    // open (reveal and ticks re-render the card, the text stays), never saved.
    // Read untracked by the card, so typing does not re-render it.
    let draft = RwSignal::new(String::new());
    let plan = app.review;

    let start = move |practice: bool| {
        let items: Vec<Item> = if practice {
            // Practice: the weakest items first, whatever their schedule.
            plan.with(|p| p.weakest(10))
        } else {
            plan.with(|p| p.queue_items())
        };
        draft.set(String::new());
        session.set(Some(Session::new(c, items, browser::epoch_ms(), practice)));
        browser::focus_id("review-card");
    };

    let grade = move |g: Grade| {
        let review = session
            .try_update(|s| s.as_mut().and_then(|s| s.grade(c, g, browser::epoch_ms())))
            .flatten();
        draft.set(String::new());
        if let Some(r) = review {
            app.progress.update(|p| {
                p.record_answer(r);
            });
        }
    };

    let is_open = move || {
        session.with_untracked(|s| {
            s.as_ref()
                .and_then(Session::question)
                .is_some_and(|q| q.is_open())
        })
    };
    let letter = |k: &str| OPTION_KEYS.iter().position(|o| o.eq_ignore_ascii_case(k));
    let on_key = window_event_listener(leptos::ev::keydown, move |ev| {
        if app.search_open.get_untracked()
            || browser::typing_in_field(&ev)
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.alt_key()
        {
            return;
        }
        // A focused button acts on Enter and Space itself; do not act twice.
        if matches!(ev.key().as_str(), "Enter" | " ") && browser::on_control(&ev) {
            return;
        }
        let Some(phase) = session.with_untracked(|s| s.as_ref().map(|s| s.phase().clone())) else {
            return;
        };
        let key = ev.key();
        let handled = match (phase, key.as_str()) {
            (Phase::Asking, " ") => {
                session.update(|s| s.iter_mut().for_each(Session::reveal));
                true
            }
            (Phase::Asking, k) => match letter(k) {
                Some(i) => {
                    session.update(|s| s.iter_mut().for_each(|s| s.choose(i)));
                    true
                }
                None => false,
            },
            (Phase::Answered { .. }, k) if is_open() && letter(k).is_some() => {
                if let Some(i) = letter(k) {
                    session.update(|s| s.iter_mut().for_each(|s| s.toggle(i)));
                }
                true
            }
            (Phase::Answered { .. }, "Enter") => {
                if let Some(g) =
                    session.with_untracked(|s| s.as_ref().and_then(Session::suggested_grade))
                {
                    grade(g);
                }
                true
            }
            (Phase::Answered { .. }, k) => {
                match k.parse::<u8>().ok().and_then(Grade::from_number) {
                    Some(g) => {
                        grade(g);
                        true
                    }
                    None => false,
                }
            }
            (Phase::Done, _) => false,
        };
        if handled {
            ev.prevent_default();
        }
    });
    on_cleanup(move || on_key.remove());

    let summary = move || {
        plan.with(|p| {
            let due = p.queue.due.len();
            let new = p.queue.new.len();
            let total = due + new;
            view! {
                <section class="panel review-start" aria-labelledby="today-title">
                    <h2 id="today-title">"Today"</h2>
                    <p class="figure-line">
                        <span class="figure">{due}</span>" due · "
                        <span class="figure">{new}</span>" new"
                    </p>
                    <p class="hint">{if total == 0 {
                        "Nothing is due. Come back later, or practise: practice never changes the schedule.".to_string()
                    } else {
                        format!("About {} minutes. New items today: at most {} (change it below).", total.div_ceil(3).max(1), p.new_per_day)
                    }}</p>
                    <div class="row">
                        <button type="button" class="button primary" disabled=total == 0
                                on:click=move |_| start(false)>{format!("Start review ({total})")}</button>
                        <button type="button" class="button" on:click=move |_| start(true)>"Practice (schedule untouched)"</button>
                    </div>
                </section>
            }
        })
    };

    let card = move || {
        session.with(|s| {
            let s = s.as_ref()?;
            let (at, of) = s.position();
            let body = match (s.phase(), s.question()) {
                (Phase::Done, _) | (_, None) => {
                    let recalled = s.recalled();
                    let answered = s.graded.len();
                    view! {
                        <div class="review-done">
                            <h2>"Done"</h2>
                            <p>{format!("You recalled {recalled} of {answered}.")}</p>
                            <p class="hint">{if s.practice { "Practice: the schedule is unchanged." } else { "Each item comes back just before you would forget it." }}</p>
                            <button type="button" class="button" on:click=move |_| session.set(None)>"Back to today"</button>
                        </div>
                    }
                    .into_any()
                }
                (phase, Some(q)) if q.is_open() => {
                    open_card(session, draft, s, phase, q, grade, (at, of)).into_any()
                }
                (phase, Some(q)) => {
                    let answered = matches!(phase, Phase::Answered { .. });
                    let chosen = match phase {
                        Phase::Answered { chosen } => *chosen,
                        _ => None,
                    };
                    let options = q
                        .options
                        .iter()
                        .enumerate()
                        .map(|(i, text)| {
                            let state = if !answered {
                                ""
                            } else if i == q.answer {
                                "right"
                            } else if Some(i) == chosen {
                                "wrong"
                            } else {
                                "other"
                            };
                            let mark = match state {
                                "right" => "✓ ",
                                "wrong" => "✗ ",
                                _ => "",
                            };
                            view! {
                                <li>
                                    <button type="button" class=format!("option {state}") disabled=answered
                                            aria-keyshortcuts=OPTION_KEYS[i]
                                            on:click=move |_| session.update(|s| s.iter_mut().for_each(|s| s.choose(i)))>
                                        <kbd aria-hidden="true">{OPTION_KEYS[i]}</kbd>
                                        <span>{mark}{text.clone()}</span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view();
                    let feedback = answered.then(|| {
                        let verdict = match s.correct() {
                            Some(true) => "Right.".to_string(),
                            Some(false) => format!("Not quite. The answer: {}", q.options[q.answer]),
                            None => format!("The answer: {}", q.options[q.answer]),
                        };
                        let locked = s.correct() == Some(false);
                        let (href, label) = answer_link(q);
                        view! {
                            <div class="feedback">
                                <p class="verdict"><strong>{verdict}</strong></p>
                                <p class="explanation">{q.explanation.clone()}" "<a href=href>{label}</a></p>
                                <p class="hint">{if locked { "A wrong pick counts as Again. Enter continues." } else { "How well did you recall it? Enter takes the highlighted grade." }}</p>
                                {grade_buttons(s.suggested_grade(), locked, grade)}
                            </div>
                        }
                    });
                    let predict = q.form == Form::Prediction;
                    view! {
                        <p class="review-count">{format!("Question {at} of {of}")}{if s.practice { " · practice" } else { "" }}{if predict { " · prediction" } else { "" }}</p>
                        <h2 class="review-prompt">{q.prompt.clone()}</h2>
                        <blockquote class="cue">{q.cue.clone()}</blockquote>
                        <ol class="options" aria-label="Options">{options}</ol>
                        {(!answered).then(|| view! {
                            <p class="row">
                                <button type="button" class="button" aria-keyshortcuts="Space"
                                        on:click=move |_| session.update(|s| s.iter_mut().for_each(Session::reveal))>"Show the answer"</button>
                                <span class="hint">"Keys: A–D choose, Space shows the answer."</span>
                            </p>
                        })}
                        {feedback}
                    }
                    .into_any()
                }
            };
            Some(view! { <section id="review-card" class="panel review-card" tabindex="-1" aria-live="polite">{body}</section> })
        })
    };

    view! {
        <div class="page review narrow">
            <h1>"Review"</h1>
            <p class="lede">"Questions from the glossary, the anti-pattern cards, the Lab's drills and the lessons. Each comes back just before you would forget it, so a few minutes a day keep what you learned."</p>
            {move || if session.with(Option::is_some) { card().into_any() } else { summary().into_any() }}
            <ReviewSettings/>
        </div>
    }
}

/// Where an answer sends the learner to read more: the term, the card, the
/// lesson, or the Lab at the drill's paused step.
fn answer_link(q: &Question) -> (String, &'static str) {
    match (&q.subject, &q.lab_state) {
        (_, Some(state)) => (
            link(&Route::Lab {
                state: Some(state.clone()),
            }),
            "Play it in the Lab from this moment",
        ),
        (Subject::Term(t), _) => (
            link(&Route::Glossary {
                category: None,
                term: Some(t.clone()),
            }),
            "Open the term",
        ),
        (Subject::Card(k), _) => (
            link(&Route::AntiPatterns {
                card: Some(k.clone()),
            }),
            "Open the card",
        ),
        (Subject::Lesson(l), _) => (
            link(&Route::Learn {
                lesson: Some(l.clone()),
            }),
            "Open the lesson",
        ),
        (Subject::Drill(d), _) => (lab_catalog::drill_link(d), "Open the drill in the Lab"),
    }
}

/// The four grades as buttons; the suggested one is highlighted.
fn grade_buttons(
    suggested: Option<Grade>,
    locked: bool,
    grade: impl Fn(Grade) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let buttons = Grade::ALL
        .iter()
        .map(|&g| {
            let n = g as u8;
            view! {
                <button type="button"
                        class=if Some(g) == suggested { "button primary grade" } else { "button grade" }
                        disabled=locked && g != Grade::Again
                        aria-keyshortcuts=n.to_string()
                        on:click=move |_| grade(g)>
                    <kbd aria-hidden="true">{n}</kbd>" "{g.label()}
                </button>
            }
        })
        .collect_view();
    view! { <div class="row grades" role="group" aria-label="Grade your recall">{buttons}</div> }
}

/// Explain it back: the prompt and a place to write (kept while the question
/// is open, never saved); once shown, the strong answer's checklist to tick,
/// and the grade the ticks suggest, which the learner may override.
fn open_card(
    session: RwSignal<Option<Session>>,
    draft: RwSignal<String>,
    s: &Session,
    phase: &Phase,
    q: &Question,
    grade: impl Fn(Grade) + Copy + Send + Sync + 'static,
    (at, of): (usize, usize),
) -> impl IntoView {
    let answered = matches!(phase, Phase::Answered { .. });
    let checklist = answered.then(|| {
        let points = q
            .checklist
            .iter()
            .zip(s.ticked())
            .enumerate()
            .map(|(i, (text, &on))| {
                view! {
                    <li>
                        <button type="button" id=format!("tick-{i}") class=if on { "option tick on" } else { "option tick" }
                                aria-pressed=if on { "true" } else { "false" }
                                aria-keyshortcuts=OPTION_KEYS.get(i).copied().unwrap_or("")
                                on:click=move |_| {
                                    session.update(|s| s.iter_mut().for_each(|s| s.toggle(i)));
                                    // The card re-renders: keep focus on the same point.
                                    request_animation_frame(move || browser::focus_id(&format!("tick-{i}")));
                                }>
                            <kbd aria-hidden="true">{OPTION_KEYS.get(i).copied().unwrap_or("")}</kbd>
                            <span>{if on { "☑ " } else { "☐ " }}{text.clone()}</span>
                        </button>
                    </li>
                }
            })
            .collect_view();
        let ticked = s.ticked().iter().filter(|t| **t).count();
        let suggested = s.suggested_grade();
        let (href, label) = answer_link(q);
        view! {
            <div class="feedback">
                <p class="verdict"><strong>"A strong answer mentions these. Tick what yours covered."</strong></p>
                <ul class="options checklist" aria-label="What a strong answer mentions">{points}</ul>
                <p class="hint" role="status">{format!(
                    "{ticked} of {} covered: suggested grade {}. Under half is Again, under three quarters Hard, the rest Good; pick another grade if you judge otherwise.",
                    q.checklist.len(),
                    suggested.map_or("", Grade::label)
                )}</p>
                <p class="explanation"><a href=href>{label}</a></p>
                {grade_buttons(suggested, false, grade)}
            </div>
        }
    });
    view! {
        <p class="review-count">{format!("Question {at} of {of}")}{if s.practice { " · practice" } else { "" }}" · explain it back"</p>
        <h2 class="review-prompt">{q.prompt.clone()}</h2>
        <p class="cue">"From the lesson “"{q.cue.clone()}"”"</p>
        <p class="answer-box">
            <label for="explain-draft">"Your answer "<span class="hint">"(for you: it is not saved; you can also say it aloud)"</span></label>
            <textarea id="explain-draft" rows="4" prop:value=draft.get_untracked()
                      on:input=move |ev| draft.set(event_target_value(&ev))></textarea>
        </p>
        {(!answered).then(|| view! {
            <p class="row">
                <button type="button" class="button" aria-keyshortcuts="Space"
                        on:click=move |_| session.update(|s| s.iter_mut().for_each(Session::reveal))>"Compare with a strong answer"</button>
                <span class="hint">"Keys (outside the text box): Space shows the checklist; then A–"{OPTION_KEYS[q.checklist.len().clamp(1, OPTION_KEYS.len()) - 1]}" tick, 1–4 grade, Enter continues."</span>
            </p>
        })}
        {checklist}
    }
}

/// Desired retention and the daily limit of new items.
#[component]
fn ReviewSettings() -> impl IntoView {
    let app = use_app();
    let retention = move || app.progress.with(|p| p.review_settings().retention_percent);
    let per_day = move || app.progress.with(|p| p.review_settings().new_per_day);
    view! {
        <details class="panel settings">
            <summary>"Review settings"</summary>
            <p>
                <label for="retention">"Remember at least "<strong>{retention}"%"</strong>" of what is due"</label>
                <input id="retention" type="range" min="70" max="97" step="1" prop:value=move || retention().to_string()
                       on:change=move |ev| {
                           if let Ok(v) = event_target_value(&ev).parse::<u8>() {
                               app.progress.update(|p| {
                                   p.set_review_retention(v);
                               });
                           }
                       }/>
                <span class="hint">" Higher means more reviews, shorter gaps."</span>
            </p>
            <p>
                <label for="per-day">"New items per day "</label>
                <input id="per-day" type="number" min="0" max="50" prop:value=move || per_day().to_string()
                       on:change=move |ev| {
                           if let Ok(v) = event_target_value(&ev).parse::<u8>() {
                               app.progress.update(|p| {
                                   p.set_new_per_day(v);
                               });
                           }
                       }/>
            </p>
            <p class="hint">{format!("{} items in all: a definition and a trap per glossary term, the warning signals of each card, predictions from the Lab's drills, and each lesson explained back.", all_items(catalog()).len())}</p>
        </details>
    }
}

/// What the learner knows, for the Progress page: mastery counts, items
/// flagged as missed again and again, mastery per term and card, and the
/// last 30 days of reviewing as a small chart.
#[component]
pub fn ReviewSummary() -> impl IntoView {
    let app = use_app();
    let c = catalog();
    let plan = app.review;
    let days = 30;
    let history = move || {
        app.progress.with(|p| {
            crate::review::history(
                p.answers(),
                browser::epoch_ms(),
                browser::utc_offset_minutes(),
                days,
            )
        })
    };
    let levels = move || {
        let counts = plan.with(|p| p.mastery_counts());
        crate::review::Mastery::ALL
            .iter()
            .map(|m| view! { <li><strong>{counts[*m as usize]}</strong>" "{m.label()}</li> })
            .collect_view()
    };
    let reviewed = move || plan.with(|p| p.states.len());
    let total = all_items(c).len();
    let flagged = move || {
        plan.with(|p| {
            let items = p.flagged();
            (!items.is_empty()).then(|| {
                let list = items
                    .iter()
                    .map(|i| view! { <li>{subject_name(&i.subject())}" — "{item_kind(i)}</li> })
                    .collect_view();
                view! {
                    <div class="flagged">
                        <h3>"Missed again and again"</h3>
                        <p class="hint">"Read these once more, then practise them."</p>
                        <ul>{list}</ul>
                    </div>
                }
            })
        })
    };
    let per_subject = move || {
        plan.with(|p| {
            let terms = c.terms.iter().map(|t| {
                let m = p.mastery_of_subject(&Subject::Term(t.slug.clone()));
                view! { <tr><td><a href=link(&Route::Glossary { category: None, term: Some(t.slug.clone()) })>{t.name.clone()}</a></td><td>{m.label()}</td></tr> }
            }).collect_view();
            let cards = c.cards.iter().map(|k| {
                let m = p.mastery_of_subject(&Subject::Card(k.slug.clone()));
                view! { <tr><td><a href=link(&Route::AntiPatterns { card: Some(k.slug.clone()) })>{k.name.clone()}</a></td><td>{m.label()}</td></tr> }
            }).collect_view();
            let path = lessons().iter().map(|l| {
                let m = p.lesson_mastery(l);
                view! { <tr><td><a href=link(&Route::Learn { lesson: Some(l.slug.clone()) })>{l.title.clone()}</a></td><td>{m.level.label()}</td><td>{format!("{} of {}", m.reviewed, m.items)}</td></tr> }
            }).collect_view();
            view! {
                <table>
                    <caption>"Mastery per lesson: the weakest of its items (its terms, cards, drill predictions and explaining it back)"</caption>
                    <thead><tr><th scope="col">"Lesson"</th><th scope="col">"Mastery"</th><th scope="col">"Items reviewed"</th></tr></thead>
                    <tbody>{path}</tbody>
                </table>
                <table>
                    <caption>"Mastery per term and card (the weaker of its questions)"</caption>
                    <thead><tr><th scope="col">"Term or card"</th><th scope="col">"Mastery"</th></tr></thead>
                    <tbody>{terms}{cards}</tbody>
                </table>
            }
        })
    };
    let chart = move || {
        let h = history();
        let max = h.iter().copied().max().unwrap_or(0).max(1);
        let total: usize = h.iter().sum();
        if total == 0 {
            return view! { <p class="hint">{format!("No reviews in the last {days} days yet.")}</p> }.into_any();
        }
        // SVG geometry, not inline styles: the page's CSP allows no style attributes.
        let bars = h
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let height = n * 100 / max;
                view! { <rect x=i * 10 + 1 y=100 - height width="8" height=height rx="1"/> }
            })
            .collect_view();
        view! {
            <figure class="history">
                <svg class="mastery-chart" viewBox=format!("0 0 {} 100", days * 10) preserveAspectRatio="none" role="img"
                     aria-label=format!("Reviews per day over the last {days} days: {total} in all, at most {max} in a day.")>{bars}</svg>
                <figcaption class="hint">{format!("Last {days} days: {total} reviews")}</figcaption>
            </figure>
        }
        .into_any()
    };
    view! {
        <section class="panel" aria-labelledby="review-progress-title">
            <h2 id="review-progress-title">"Review"</h2>
            <p>{move || format!("{} of {total} items reviewed.", reviewed())}" "<a href=link(&Route::Review)>"Review now"</a></p>
            <ul class="levels">{levels}</ul>
            {chart}
            {flagged}
            <details><summary>"Mastery per lesson, term and card"</summary>{per_subject}</details>
        </section>
    }
}

fn subject_name(s: &Subject) -> String {
    let c = catalog();
    match s {
        Subject::Term(t) => c.term(t).map_or_else(|| t.clone(), |t| t.name.clone()),
        Subject::Card(k) => c.card(k).map_or_else(|| k.clone(), |k| k.name.clone()),
        Subject::Drill(d) => lab_catalog::drill_title(d),
        Subject::Lesson(l) => {
            crate::learn::lesson(l).map_or_else(|| l.clone(), |l| l.title.clone())
        }
    }
}

fn item_kind(i: &Item) -> String {
    match i {
        Item::Definition(_) => "its definition".into(),
        Item::Trap(_) => "its trap".into(),
        Item::Signals(_) => "its warning signals".into(),
        Item::Prediction(_, step) => format!("what the platform does at step {}", step + 1),
        Item::Explain(_) => "explaining it back".into(),
    }
}
