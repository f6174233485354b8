use leptos::prelude::*;

use crate::learn::walkthroughs::{
    runbook, trace, walk_drill, WalkKind, Walked, Walkthrough, RUNBOOKS, TRACES,
};
use crate::route::Route;
use crate::sim::drill::drills;
use crate::ui::app::link;
use crate::ui::lab_catalog::{drill_link, drill_step_link};

fn route_of(w: &Walkthrough) -> Route {
    match w.kind {
        WalkKind::Trace => Route::Traces {
            trace: Some(w.slug.to_string()),
        },
        WalkKind::Runbook => Route::Runbooks {
            runbook: Some(w.slug.to_string()),
        },
    }
}

/// What the drills of a walkthrough teach, from their files.
fn teaches(w: &Walkthrough) -> Vec<String> {
    let all = drills();
    w.drills
        .iter()
        .filter_map(|s| all.iter().find(|d| d.slug == *s))
        .map(|d| d.teaches.clone())
        .collect()
}

/// The request traces, or one of them.
#[component]
pub fn TracesPage(focus: Option<String>) -> impl IntoView {
    walkthrough_page(
        WalkKind::Trace,
        focus,
        "Request traces",
        "Follow one request through the platform, step by step. Every step is the simulator's own move: its narration, and what changed in the world.",
    )
}

/// The runbooks, or one of them.
#[component]
pub fn RunbooksPage(focus: Option<String>) -> impl IntoView {
    walkthrough_page(
        WalkKind::Runbook,
        focus,
        "Runbooks",
        "What an operator does when something goes wrong, in order, played through the simulator: each step is a move you can make yourself in the Lab.",
    )
}

fn walkthrough_page(
    kind: WalkKind,
    focus: Option<String>,
    title: &'static str,
    lede: &'static str,
) -> AnyView {
    let (all, find) = match kind {
        WalkKind::Trace => (TRACES, trace as fn(&str) -> Option<&'static Walkthrough>),
        WalkKind::Runbook => (
            RUNBOOKS,
            runbook as fn(&str) -> Option<&'static Walkthrough>,
        ),
    };
    if let Some(w) = focus.as_deref().and_then(find) {
        return view! { <WalkthroughView walkthrough=w/> }.into_any();
    }
    let unknown = focus.map(|s| {
        view! { <p class="notice" role="alert">{format!("There is no {} called “{s}”. Here are all of them.", if kind == WalkKind::Trace { "trace" } else { "runbook" })}</p> }
    });
    let items = all
        .iter()
        .map(|w| {
            let text = teaches(w).join(" ");
            view! {
                <li class="panel walk-item">
                    <h2><a href=link(&route_of(w))>{w.title}</a></h2>
                    <p>{text}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="page walkthroughs narrow">
            <h1>{title}</h1>
            <p class="lede">{lede}</p>
            {unknown}
            <ul class="walk-list">{items}</ul>
        </div>
    }
    .into_any()
}

#[component]
fn WalkthroughView(walkthrough: &'static Walkthrough) -> impl IntoView {
    let (kind_label, back) = match walkthrough.kind {
        WalkKind::Trace => ("Request trace", Route::Traces { trace: None }),
        WalkKind::Runbook => ("Runbook", Route::Runbooks { runbook: None }),
    };
    let several = walkthrough.drills.len() > 1;
    let played = walkthrough
        .drills
        .iter()
        .map(|slug| match walk_drill(slug) {
            // With one drill the page title already names it; variants need their own.
            Ok(w) => view! { <PlayedDrill walked=w titled=several/> }.into_any(),
            Err(e) => view! { <p class="notice" role="alert">{e}</p> }.into_any(),
        })
        .collect_view();
    view! {
        <div class="page walkthrough narrow">
            <p class="kicker"><a href=link(&back)>{kind_label}"s"</a></p>
            <h1>{walkthrough.title}</h1>
            {played}
        </div>
    }
}

#[component]
fn PlayedDrill(walked: Walked, titled: bool) -> impl IntoView {
    let slug = walked.drill.slug.clone();
    let steps = walked
        .steps
        .iter()
        .map(|s| {
            let narration = s
                .narration
                .iter()
                .map(|n| view! { <li>{n.clone()}</li> })
                .collect_view();
            let changes = s
                .changes
                .iter()
                .map(|c| view! { <li>{c.clone()}</li> })
                .collect_view();
            let refused = s.refused.clone().map(|r| {
                view! { <p class="walk-refused"><strong>"Refused: "</strong>{r}</p> }
            });
            let nothing = s.changes.is_empty().then(|| view! { <p class="hint">"Nothing in the world changed."</p> });
            let broken = (!s.broken.is_empty()).then(|| {
                let names = s
                    .broken
                    .iter()
                    .map(|(id, name)| view! { <li>{format!("{id}. {name}")}</li> })
                    .collect_view();
                view! {
                    <div class="walk-refused">
                        <strong>"Broken invariants:"</strong>
                        <ul>{names}</ul>
                    </div>
                }
            });
            view! {
                <li class="walk-step" id=format!("{}-step-{}", slug, s.n)>
                    <p class="walk-line"><code>{s.line.clone()}</code></p>
                    {refused}
                    <ul class="walk-narration" aria-label="What the platform says">{narration}</ul>
                    <details class="walk-changes" open>
                        <summary>"What changed"</summary>
                        <ul>{changes}</ul>
                        {nothing}
                    </details>
                    {broken}
                    <p class="walk-lab"><a href=drill_step_link(&slug, s.n)>{format!("Open the Lab after step {}", s.n)}</a></p>
                </li>
            }
        })
        .collect_view();
    let goal = walked
        .goal
        .iter()
        .map(|(q, ok)| {
            view! { <li>{if *ok { "✓ holds: " } else { "✗ does not hold: " }}<code>{q.clone()}</code></li> }
        })
        .collect_view();
    let title_id = format!("{slug}-title");
    let labelled_by = title_id.clone();
    view! {
        <section class="walk-drill" aria-labelledby=labelled_by>
            <h2 id=title_id class:visually-hidden=!titled>{walked.drill.title.clone()}</h2>
            <p>{walked.drill.teaches.clone()}</p>
            <p><a class="button" href=drill_link(&slug)>"Run it yourself in the Lab"</a></p>
            <ol class="walk-steps">{steps}</ol>
            <h3>"At the end"</h3>
            <ul class="walk-goal">{goal}</ul>
        </section>
    }
}
