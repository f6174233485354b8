//! The Lab's trace: one row per step (time runs down), one column per lane.
//! Draws a `TraceView` as it comes from the worker; a row's button jumps the
//! timeline there, and the current step shows what it changed under it.

use leptos::prelude::*;

use crate::lab::trace::{TraceEffect, TraceLane, TraceRow, TraceView};

/// A change in its lane; a request's change carries its request's colour
/// as well as its name.
fn effect(e: &TraceEffect) -> impl IntoView {
    let class = e.request.map_or_else(
        || "trace-fx".to_string(),
        |r| format!("trace-fx req req-{r}"),
    );
    view! { <span class=class>{e.text.clone()}</span> }
}

#[component]
pub fn Trace(trace: RwSignal<Option<TraceView>>, jump: Callback<usize>) -> impl IntoView {
    let cursor = Memo::new(move |_| trace.with(|t| t.as_ref().map_or(0, |t| t.step)));
    let rows =
        Memo::new(move |_| trace.with(|t| t.as_ref().map(|t| t.rows.clone()).unwrap_or_default()));
    let lanes =
        Memo::new(move |_| trace.with(|t| t.as_ref().map(|t| t.lanes.clone()).unwrap_or_default()));
    let breaking = Memo::new(move |_| trace.with(|t| t.as_ref().and_then(|t| t.breaking)));
    let legend = move || {
        trace.with(|t| {
            let requests = t.as_ref().map(|t| t.requests.clone()).unwrap_or_default();
            (!requests.is_empty()).then(|| view! {
                <p class="trace-legend">"Requests: "
                    {requests.into_iter().map(|r| view! {
                        <span class=format!("trace-fx req req-{}", r.id)>{format!("{} ({})", r.name, r.kind)}</span>" "
                    }).collect_view()}
                </p>
            })
        })
    };
    let caption = move || match breaking.get() {
        Some(n) => format!("Trace: step {n} broke an invariant first (✗)."),
        None => "Trace: no invariant broken in the steps played.".to_string(),
    };
    view! {
        <div class="trace">
            {move || trace.with(Option::is_none).then(|| view! { <p role="status">"Reading the trace…"</p> })}
            <p class="hint">"Time runs down: each step in the lane of who acted (bold), and what it changed in the lane of each object it touched. Press a step to go there; under the current step, what changed."</p>
            {legend}
            <div class="trace-scroll" tabindex="0" role="group" aria-label="Trace table (scrolls sideways)">
                <table class="trace-table">
                    <caption>{caption}</caption>
                    <thead><tr>
                        <th scope="col" class="trace-step">"Step"</th>
                        {move || lanes.with(|ls| ls.iter().map(|l| view! {
                            <th scope="col" title=l.name.to_string()>
                                <span aria-hidden="true">{l.short.to_string()}</span>
                                <span class="visually-hidden">{l.name.to_string()}</span>
                            </th>
                        }).collect_view())}
                    </tr></thead>
                    <tbody>
                        // Keyed by step and action: a jump updates the rows in
                        // place, so a focused row button keeps the focus.
                        <For each=move || rows.with(|rs| rs.iter().map(|r| (r.step, r.action.clone())).collect::<Vec<_>>())
                            key=|k| k.clone() children=move |(n, _)| row(n, rows, lanes, cursor, breaking, jump)/>
                    </tbody>
                </table>
            </div>
        </div>
    }
}

/// One step's row; the row and its button stay while the step is the same
/// action, and only what it shows follows the trace (so focus stays on it).
fn row(
    n: usize,
    rows: Memo<Vec<TraceRow>>,
    lanes: Memo<Vec<TraceLane>>,
    cursor: Memo<usize>,
    breaking: Memo<Option<usize>>,
    jump: Callback<usize>,
) -> impl IntoView {
    let data = Memo::new(move |_| rows.with(|rs| rs.get(n - 1).cloned().unwrap_or_default()));
    let played = move || data.with(|r| r.played);
    let cells = move || {
        data.with(|r| {
            (0..lanes.with(Vec::len))
                .map(|lane| {
                    let acts = (r.lane == lane).then(|| {
                        let refused = r.refused.then_some(" (refused)");
                        view! { <strong class="trace-act">{r.label.clone()}{refused}</strong> }
                    });
                    let fx = r
                        .effects
                        .iter()
                        .filter(|e| e.lane == lane)
                        .map(effect)
                        .collect_view();
                    view! { <td class:acts=r.lane == lane>{acts}{fx}</td> }
                })
                .collect_view()
        })
    };
    let marks = move || {
        data.with(|r| {
            r.broke
                .iter()
                .map(|b| view! { <span class="trace-broke">{format!("✗ {}. {}", b.id, b.name)}</span> })
                .collect_view()
        })
    };
    let changed = move || {
        (cursor.get() == n && played()).then(|| {
            let list: Vec<(String, String)> = data.with(|r| {
                r.effects
                    .iter()
                    .map(|e| {
                        let lane = lanes.with(|ls| ls.get(e.lane).map(|l| l.short.to_string()));
                        (lane.unwrap_or_default(), e.text.clone())
                    })
                    .collect()
            });
            let list = if list.is_empty() {
                view! { <p>"Nothing in the world changed."</p> }.into_any()
            } else {
                view! {
                    <ul>{list.into_iter().map(|(lane, text)| view! {
                        <li><span class="trace-lane">{format!("{lane}: ")}</span>{text}</li>
                    }).collect_view()}</ul>
                }
                .into_any()
            };
            view! {
                <tr class="trace-changed">
                    <td colspan=move || (lanes.with(Vec::len) + 1).to_string()>
                        <p class="trace-changed-title">{format!("What changed at step {n}")}</p>
                        {list}
                    </td>
                </tr>
            }
        })
    };
    view! {
        <tr class="trace-row" class:now=move || cursor.get() == n class:future=move || !played()
            class:broke=move || data.with(|r| !r.broke.is_empty())
            class:first-break=move || breaking.get() == Some(n)
            on:click=move |_| jump.run(n)>
            <th scope="row" class="trace-step">
                <button type="button" class="link-button" aria-label=move || data.with(|r| format!("Go to step {n}: {}", r.action))
                    aria-current=move || (cursor.get() == n).then_some("step")>{n}</button>
                {marks}
                {move || (!played()).then_some(view! { <span class="visually-hidden">" (not played yet)"</span> })}
            </th>
            {cells}
        </tr>
        {changed}
    }
}
