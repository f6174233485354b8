use leptos::prelude::*;

use crate::learn::lifecycles::{diagram, diagrams, drills_at, Diagram, BLOCKED, FAILED};
use crate::route::Route;
use crate::ui::app::link;
use crate::ui::lab_catalog::{drill_link, drill_title};

/// Every operation's lifecycle, drawn from the model's own transition table:
/// a diagram and the same facts as a table. Choosing a state lists the drills
/// that pass through it.
#[component]
pub fn LifecyclesPage(focus: Option<String>) -> impl IntoView {
    let unknown = focus.as_deref().filter(|k| diagram(k).is_none()).map(|k| {
        view! { <p class="notice" role="alert">{format!("There is no lifecycle called “{k}”. Here are all of them.")}</p> }
    });
    if let Some(k) = focus.as_deref().filter(|k| diagram(k).is_some()) {
        crate::ui::browser::reveal_after_render(format!("life-{k}"));
    }
    let all = diagrams()
        .into_iter()
        .map(|d| view! { <LifecycleCard diagram=d/> })
        .collect_view();
    view! {
        <div class="page lifecycles">
            <h1>"Lifecycles"</h1>
            <p class="lede">"Every operation moves one stage at a time, run by a worker, through a gate. These diagrams are drawn from the simulator's own transition table; choose a stage to see the drills that pass through it."</p>
            {unknown}
            <div class="life-list">{all}</div>
        </div>
    }
}

/// Width of one stage box in the diagram, in SVG units.
const BOX_W: i32 = 150;
const GAP: i32 = 34;
const BOX_H: i32 = 44;

#[component]
fn LifecycleCard(diagram: Diagram) -> impl IntoView {
    let chosen = RwSignal::new(None::<&'static str>);
    let kind = diagram.kind;
    let n = diagram.path.len() as i32;
    let width = n * BOX_W + (n - 1) * GAP + 20;
    let height = 150;
    let boxes = diagram
        .path
        .iter()
        .enumerate()
        .map(|(i, stage)| {
            let x = 10 + i as i32 * (BOX_W + GAP);
            let stage: &'static str = stage;
            view! {
                <g class="life-state" class:chosen=move || chosen.get() == Some(stage)>
                    <rect x=x y="10" width=BOX_W height=BOX_H rx="8"/>
                    <text x=x + BOX_W / 2 y="37" text-anchor="middle">{stage.replace('_', " ")}</text>
                </g>
            }
        })
        .collect_view();
    let arrows = (0..n - 1)
        .map(|i| {
            let x1 = 10 + i * (BOX_W + GAP) + BOX_W;
            let x2 = x1 + GAP - 4;
            view! { <line class="life-edge" x1=x1 y1="32" x2=x2 y2="32" marker-end="url(#life-arrow)"/> }
        })
        .collect_view();
    // The failure exit sits under the path; every unfinished stage can fall into it.
    let fail_x = 10;
    let fail_w = width - 20;
    let side = diagram.can_block.then(|| view! {
        <text class="life-side" x="10" y="140">"Cold changes wait in “blocked” until an operator acknowledges."</text>
    });
    let rows = diagram
        .edges
        .iter()
        .map(|e| view! { <tr><td>{e.from}</td><td>{e.to}</td><td>{e.gate}</td></tr> })
        .collect_view();
    let states = diagram
        .states()
        .into_iter()
        .map(|s| {
            let label = match s {
                BLOCKED => "blocked (waiting for an acknowledgement)".to_string(),
                FAILED => "failed".to_string(),
                other => other.replace('_', " "),
            };
            view! {
                <li><button type="button" class="chip" aria-pressed=move || (chosen.get() == Some(s)).to_string()
                            on:click=move |_| chosen.set(Some(s))>{label}</button></li>
            }
        })
        .collect_view();
    let drills = move || {
        chosen.get().map(|s| {
            let found = drills_at(kind, s);
            let items = found
                .iter()
                .map(|d| view! { <li><a href=drill_link(d)>{drill_title(d)}</a></li> })
                .collect_view();
            view! {
                <div aria-live="polite">
                    <p>{if found.is_empty() { format!("No drill passes through “{s}” yet.") } else { format!("{} drill(s) pass through “{s}”:", found.len()) }}</p>
                    <ul>{items}</ul>
                </div>
            }
        })
    };
    let title = diagram.title();
    let slug = diagram.slug();
    view! {
        <section class="panel life" id=format!("life-{slug}") tabindex="-1" aria-labelledby=format!("life-{slug}-title")>
            <h2 id=format!("life-{slug}-title")><a class="anchor" href=link(&Route::Lifecycles { kind: Some(slug.to_string()) })>{title}</a></h2>
            <div class="life-scroll">
                <svg class="life-svg" viewBox=format!("0 0 {width} {height}") width=width role="img"
                     aria-label=format!("{title}: {}, with a failure exit from every unfinished stage.", diagram.path.join(" then "))>
                    <defs>
                        <marker id="life-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M 0 0 L 10 5 L 0 10 z" class="life-arrowhead"/>
                        </marker>
                    </defs>
                    {arrows}
                    {boxes}
                    <rect class="life-fail" x=fail_x y="84" width=fail_w height="30" rx="8"/>
                    <text class="life-fail-text" x=width / 2 y="104" text-anchor="middle">"failed — from any unfinished stage"</text>
                    {side}
                </svg>
            </div>
            <table>
                <caption>{format!("{title}: transitions and their gates")}</caption>
                <thead><tr><th scope="col">"From"</th><th scope="col">"To"</th><th scope="col">"Gate"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="hint">"Choose a stage to list the drills that pass through it:"</p>
            <ul class="filters">{states}</ul>
            {drills}
        </section>
    }
}
