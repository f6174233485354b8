use leptos::prelude::*;

use crate::learn::lifecycles::{
    diagram, diagrams, drills_at, drills_at_object, object_diagram, object_diagrams, Diagram,
    ObjectDiagram, BLOCKED, FAILED,
};
use crate::route::Route;
use crate::ui::app::link;
use crate::ui::lab_catalog::{drill_link, drill_title};

/// Every operation's lifecycle, drawn from the model's own transition table:
/// a diagram and the same facts as a table. Choosing a state lists the drills
/// that pass through it.
#[component]
pub fn LifecyclesPage(focus: Option<String>) -> impl IntoView {
    let known = |k: &str| diagram(k).is_some() || object_diagram(k).is_some();
    let unknown = focus.as_deref().filter(|k| !known(k)).map(|k| {
        view! { <p class="notice" role="alert">{format!("There is no lifecycle called “{k}”. Here are all of them.")}</p> }
    });
    if let Some(k) = focus.as_deref().filter(|k| known(k)) {
        crate::ui::browser::reveal_after_render(format!("life-{k}"));
    }
    let all = diagrams()
        .into_iter()
        .map(|d| view! { <LifecycleCard diagram=d/> })
        .collect_view();
    let objects = object_diagrams()
        .into_iter()
        .map(|d| view! { <ObjectCard diagram=d/> })
        .collect_view();
    view! {
        <div class="page lifecycles">
            <h1>"Lifecycles"</h1>
            <p class="lede">"Every operation moves one stage at a time, run by a worker, through a gate. These diagrams are drawn from the simulator's own transition table; choose a stage to see the drills that pass through it."</p>
            {unknown}
            <h2>"Objects"</h2>
            <p>"An allocation and a session each have a lifecycle of their own. Arrows above the states go forward, arrows below go back; each arrow carries the numbers of its rows in the table."</p>
            <div class="life-list">{objects}</div>
            <h2>"Operations"</h2>
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
    let arrow = format!("url(#life-arrow-{})", diagram.slug());
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
            view! { <line class="life-edge" x1=x1 y1="32" x2=x2 y2="32" marker-end=arrow.clone()/> }
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
    let chooser = state_chooser(
        diagram.states(),
        |s| match s {
            BLOCKED => "blocked (waiting for an acknowledgement)".to_string(),
            FAILED => "failed".to_string(),
            other => other.replace('_', " "),
        },
        chosen,
        move |s| drills_at(kind, s),
    );
    let title = diagram.title();
    let slug = diagram.slug();
    view! {
        <section class="panel life" id=format!("life-{slug}") tabindex="-1" aria-labelledby=format!("life-{slug}-title")>
            <h3 id=format!("life-{slug}-title")><a class="anchor" href=link(&Route::Lifecycles { kind: Some(slug.to_string()) })>{title}</a></h3>
            <div class="life-scroll" tabindex="0" role="group" aria-label=format!("{title}: diagram")>
                <svg class="life-svg" viewBox=format!("0 0 {width} {height}") width=width role="img"
                     aria-label=format!("{title}: {}, with a failure exit from every unfinished stage.", diagram.path.join(" then "))>
                    <defs>
                        <marker id=format!("life-arrow-{slug}") viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
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
            <div class="table-scroll" tabindex="0" role="group" aria-label=format!("{title}: table")>
            <table>
                <caption>{format!("{title}: transitions and their gates")}</caption>
                <thead><tr><th scope="col">"From"</th><th scope="col">"To"</th><th scope="col">"Gate"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            </div>
            {chooser}
        </section>
    }
}

/// The chips that choose a state and the drills that pass through the chosen one.
fn state_chooser(
    states: Vec<&'static str>,
    label: fn(&'static str) -> String,
    chosen: RwSignal<Option<&'static str>>,
    found: impl Fn(&'static str) -> Vec<String> + Send + Sync + 'static,
) -> impl IntoView {
    let chips = states
        .into_iter()
        .map(|s| {
            view! {
                <li><button type="button" class="chip" aria-pressed=move || (chosen.get() == Some(s)).to_string()
                            on:click=move |_| chosen.set(Some(s))>{label(s)}</button></li>
            }
        })
        .collect_view();
    let drills = move || {
        chosen.get().map(|s| {
            let found = found(s);
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
    view! {
        <p class="hint">"Choose a state to list the drills that pass through it:"</p>
        <ul class="filters">{chips}</ul>
        {drills}
    }
}

const OBJ_W: i32 = 118;
const OBJ_GAP: i32 = 52;
const OBJ_TOP: i32 = 130;
const OBJ_H: i32 = 40;
/// How much higher (or lower) an arrow bends per state it spans.
const BEND: i32 = 26;

/// Where along an arrow a label may sit, tried in order.
const LABEL_STOPS: [f32; 9] = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.15, 0.85];

/// A cubic Bézier from `p0` to `p3`: every arrow of an object diagram.
struct Curve([(f32, f32); 4]);

impl Curve {
    fn at(&self, t: f32) -> (f32, f32) {
        let [p0, p1, p2, p3] = self.0;
        let u = 1.0 - t;
        let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
        (
            a * p0.0 + b * p1.0 + c * p2.0 + d * p3.0,
            a * p0.1 + b * p1.1 + c * p2.1 + d * p3.1,
        )
    }

    fn path(&self) -> String {
        let [p0, p1, p2, p3] = self.0;
        format!(
            "M {:.0} {:.0} C {:.0} {:.0}, {:.0} {:.0}, {:.0} {:.0}",
            p0.0, p0.1, p1.0, p1.1, p2.0, p2.1, p3.0, p3.1
        )
    }
}

/// The arrow between two state centres, `span` boxes apart (0: a loop over
/// the box). Forward arrows arc above the row, backward ones below, each a
/// little off centre so the two directions never share a line.
fn arc_curve(x1: i32, x2: i32, span: i32) -> Curve {
    let (x1, x2) = (x1 as f32, x2 as f32);
    if span == 0 {
        let y = OBJ_TOP as f32;
        return Curve([
            (x1 - 20.0, y),
            (x1 - 34.0, y - 58.0),
            (x1 + 34.0, y - 58.0),
            (x1 + 20.0, y),
        ]);
    }
    let (shift, y, bend) = if span > 0 {
        (-8.0, OBJ_TOP as f32, -(BEND * span.abs()) as f32)
    } else {
        (8.0, (OBJ_TOP + OBJ_H) as f32, (BEND * span.abs()) as f32)
    };
    // A quadratic with control point `c` raised to a cubic.
    let (a, b) = ((x1 + shift, y), (x2 + shift, y));
    let c = ((a.0 + b.0) / 2.0, y + bend);
    let lift = |p: (f32, f32)| (p.0 + 2.0 / 3.0 * (c.0 - p.0), p.1 + 2.0 / 3.0 * (c.1 - p.1));
    Curve([a, lift(a), lift(b), b])
}

/// The box a label (or a state) takes, for placing labels apart.
struct LabelBox {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
}

impl LabelBox {
    fn around(x: f32, y: f32, w: f32, h: f32) -> LabelBox {
        LabelBox {
            x0: x - w / 2.0,
            y0: y - h / 2.0,
            x1: x + w / 2.0,
            y1: y + h / 2.0,
        }
    }

    fn overlaps(&self, o: &LabelBox) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
}

/// An allocation's or a session's lifecycle: states in a row, every row of
/// the model's table as an arrow (forward above, back below), and the table.
#[component]
fn ObjectCard(diagram: ObjectDiagram) -> impl IntoView {
    let chosen = RwSignal::new(None::<&'static str>);
    let n = diagram.states.len() as i32;
    let width = n * OBJ_W + (n - 1) * OBJ_GAP + 20;
    let height = 2 * OBJ_TOP + OBJ_H;
    let center = |i: usize| 10 + i as i32 * (OBJ_W + OBJ_GAP) + OBJ_W / 2;
    let slug = diagram.slug;
    let marker = format!("obj-arrow-{slug}");
    let boxes = diagram
        .states
        .iter()
        .enumerate()
        .map(|(i, &state)| {
            let x = center(i) - OBJ_W / 2;
            view! {
                <g class="life-state" class:chosen=move || chosen.get() == Some(state)>
                    <rect x=x y=OBJ_TOP width=OBJ_W height=OBJ_H rx="8"/>
                    <text x=center(i) y=OBJ_TOP + 25 text-anchor="middle">{state}</text>
                </g>
            }
        })
        .collect_view();
    // Labels sit on their own arrow, at the first point along it (from the
    // apex outwards) where they overlap no other label and no state box.
    let mut placed: Vec<LabelBox> = (0..diagram.states.len())
        .map(|i| {
            LabelBox::around(
                center(i) as f32,
                (OBJ_TOP + OBJ_H / 2) as f32,
                OBJ_W as f32,
                OBJ_H as f32,
            )
        })
        .collect();
    let arcs = diagram
        .arcs()
        .into_iter()
        .map(|a| {
            let rows = a
                .rows
                .iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>()
                .join(",");
            let curve = arc_curve(center(a.from), center(a.to), a.to as i32 - a.from as i32);
            let label_w = 7.5 * rows.len() as f32 + 6.0;
            let (lx, ly) = LABEL_STOPS
                .iter()
                .map(|&t| curve.at(t))
                .find(|&(x, y)| {
                    let b = LabelBox::around(x, y, label_w, 15.0);
                    !placed.iter().any(|p| p.overlaps(&b))
                })
                .unwrap_or_else(|| curve.at(0.5));
            placed.push(LabelBox::around(lx, ly, label_w, 15.0));
            let marker_ref = format!("url(#obj-arrow-{slug})");
            view! {
                <path class="life-edge obj-edge" d=curve.path() marker-end=marker_ref/>
                <text class="obj-rows" x=format!("{lx:.0}") y=format!("{:.0}", ly + 4.0) text-anchor="middle">{rows}</text>
            }
        })
        .collect_view();
    let rows = diagram
        .moves
        .iter()
        .enumerate()
        .map(|(i, m)| view! { <tr><td>{i + 1}</td><td>{m.from}</td><td>{m.event}</td><td>{m.to}</td><td>{m.gate}</td></tr> })
        .collect_view();
    let title = diagram.title;
    let summary = format!(
        "{title} lifecycle: states {}; {} moves, listed in the table below.",
        diagram.states.join(", "),
        diagram.moves.len()
    );
    let chooser = state_chooser(
        diagram.states.clone(),
        |s| s.to_string(),
        chosen,
        move |s| drills_at_object(slug, s),
    );
    view! {
        <section class="panel life" id=format!("life-{slug}") tabindex="-1" aria-labelledby=format!("life-{slug}-title")>
            <h3 id=format!("life-{slug}-title")><a class="anchor" href=link(&Route::Lifecycles { kind: Some(slug.to_string()) })>{title}</a></h3>
            <div class="life-scroll" tabindex="0" role="group" aria-label=format!("{title}: diagram")>
                <svg class="life-svg" viewBox=format!("0 0 {width} {height}") width=width role="img" aria-label=summary>
                    <defs>
                        <marker id=marker viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M 0 0 L 10 5 L 0 10 z" class="life-arrowhead"/>
                        </marker>
                    </defs>
                    {arcs}
                    {boxes}
                </svg>
            </div>
            <div class="table-scroll" tabindex="0" role="group" aria-label=format!("{title}: table")>
            <table>
                <caption>{format!("{title}: every move the model makes")}</caption>
                <thead><tr><th scope="col">"#"</th><th scope="col">"From"</th><th scope="col">"On"</th><th scope="col">"To"</th><th scope="col">"When"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            </div>
            {chooser}
        </section>
    }
}
