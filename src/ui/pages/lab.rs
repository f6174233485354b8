use leptos::prelude::*;

use crate::lab::service::{LabReply, LabRequest};
use crate::lab::trace::TraceView;
use crate::lab::LabView;
use crate::route::Route;
use crate::sim::drill::drills;
use crate::sim::drill_schema::KINDS;
use crate::sim::{Switch, PRESETS, SWITCHES};
use crate::ui::app::{link, use_app};
use crate::ui::components::topology::Topology;
use crate::ui::components::trace::Trace;
use crate::ui::{browser, lab_client};

#[derive(Clone, Debug, PartialEq)]
enum CheckerUi {
    Idle,
    Running {
        states: usize,
        depth: usize,
        max_depth: usize,
    },
    // `ms` in whole milliseconds: printing an f64 would pull float formatting into the wasm.
    Found {
        steps: usize,
        states: usize,
        invariant: String,
        ms: u64,
    },
    Nothing {
        why: String,
        ms: u64,
    },
    Cancelled,
}

/// The prefix of a "continue where you left off" address: the moment saved as
/// the learner's last place (`#/lab?resume=<share link>`).
const RESUME: &str = "resume=";

/// What to ask the worker for on opening: the saved moment is resumed as the
/// learner's own only when it is the one this browser saved; any other
/// `resume=` address opens like a share link.
fn opening_request(
    state: Option<String>,
    progress: RwSignal<crate::progress::Progress>,
) -> LabRequest {
    match state {
        Some(s) if s.starts_with(RESUME) => {
            let saved = Route::Lab {
                state: Some(s.clone()),
            }
            .href();
            let own = progress.with_untracked(|p| p.last_place() == Some(saved.as_str()));
            let link = s[RESUME.len()..].to_string();
            if own {
                LabRequest::Resume { link }
            } else {
                LabRequest::OpenLink { state: Some(link) }
            }
        }
        state => LabRequest::OpenLink { state },
    }
}

/// Save the moment on screen as the last place, when it is the learner's own
/// play (a share link's moment is someone else's). A moment too long for a
/// saved place falls back to its drill.
fn remember_moment(view: &LabView, progress: RwSignal<crate::progress::Progress>) {
    if view.shared {
        return;
    }
    let moment = Route::Lab {
        state: Some(format!("{RESUME}{}", view.link)),
    }
    .href();
    let place = if crate::progress::is_valid_place(&moment) {
        moment
    } else if !view.drill.is_empty() {
        Route::Lab {
            state: Some(format!("drill={}", view.drill)),
        }
        .href()
    } else {
        Route::Lab { state: None }.href()
    };
    // Most steps are saved; re-saving the same place would only churn storage.
    if progress.with_untracked(|p| p.last_place() != Some(place.as_str())) {
        progress.update(|p| {
            p.set_last_place(Some(&place));
        });
    }
}

/// Ask the Lab's worker for something; its reply updates the page.
fn send(request: LabRequest) {
    lab_client::send(&request);
}

/// The Lab: step through the simulator, break it on purpose, share the moment.
/// The simulator runs in a Web Worker: this page sends intents and renders
/// the `LabView` it gets back.
#[component]
pub fn LabPage(state: Option<String>) -> impl IntoView {
    let app = use_app();
    let latest = RwSignal::new(None::<LabView>);
    let link_error = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let checker = RwSignal::new(CheckerUi::Idle);
    let search_started = StoredValue::new(0.0f64);
    // A bad link stays in the address until the learner acts.
    let keep_address = StoredValue::new(false);
    // The trace is asked for only while its panel is open, after each view.
    let trace = RwSignal::new(None::<TraceView>);
    let trace_open = StoredValue::new(false);

    let connection = lab_client::connect(move |reply| {
        let ms = || {
            (browser::now_ms() - search_started.get_value())
                .max(0.0)
                .round() as u64
        };
        match reply {
            LabReply::Ready => {}
            LabReply::View { view } => {
                // A view can arrive just after the learner left for another
                // page (its `hashchange` not yet handled): the address is then
                // theirs, and writing the Lab's link over it would pull them back.
                let still_here = matches!(
                    Route::parse(&browser::current_fragment()),
                    Route::Lab { .. }
                );
                if !keep_address.get_value() && still_here {
                    browser::replace_fragment(
                        &Route::Lab {
                            state: Some(view.link.clone()),
                        }
                        .href(),
                    );
                }
                keep_address.set_value(false);
                if still_here {
                    remember_moment(&view, app.progress);
                }
                latest.set(Some(*view));
                if trace_open.get_value() {
                    send(LabRequest::Trace);
                }
            }
            LabReply::Trace { trace: t } => trace.set(Some(*t)),
            LabReply::LinkError { message } => {
                keep_address.set_value(true);
                link_error.set(Some(message));
            }
            LabReply::Error { message } => problem.set(Some(message)),
            LabReply::SearchProgress {
                states,
                depth,
                max_depth,
            } => {
                checker.set(CheckerUi::Running {
                    states,
                    depth,
                    max_depth,
                });
            }
            LabReply::SearchFound {
                steps,
                states,
                invariant,
            } => {
                checker.set(CheckerUi::Found {
                    steps,
                    states,
                    invariant,
                    ms: ms(),
                });
            }
            LabReply::SearchNothing { why } => checker.set(CheckerUi::Nothing { why, ms: ms() }),
            LabReply::SearchCancelled => {
                if matches!(checker.get_untracked(), CheckerUi::Running { .. }) {
                    checker.set(CheckerUi::Cancelled);
                }
            }
        }
    });
    on_cleanup(move || lab_client::disconnect(connection));
    send(opening_request(state, app.progress));

    view! {
        <div class="page lab-page">
            {move || latest.with(Option::is_none).then(|| view! {
                <div class="lab-head"><h1>"The Lab"</h1></div>
                <p class="lab-loading" role="status">"Starting the simulator…"</p>
            })}
            {move || problem.get().map(|e| view! {
                <div class="notice error" role="alert"><p>{e}</p>
                    <button type="button" on:click=move |_| problem.set(None)>"Dismiss"</button></div>
            })}
            <Show when=move || latest.with(Option::is_some)>
                <LabBody latest=latest link_error=link_error checker=checker search_started=search_started
                    trace=trace trace_open=trace_open/>
            </Show>
        </div>
    }
}

/// The Lab once the worker has sent its first view.
#[component]
fn LabBody(
    latest: RwSignal<Option<LabView>>,
    link_error: RwSignal<Option<String>>,
    checker: RwSignal<CheckerUi>,
    search_started: StoredValue<f64>,
    trace: RwSignal<Option<TraceView>>,
    trace_open: StoredValue<bool>,
) -> impl IntoView {
    let app = use_app();
    let view = Memo::new(move |_| latest.get().unwrap_or_default());
    let presenter = RwSignal::new(false);
    let predict = RwSignal::new(false);
    let revealing = RwSignal::new(false);
    let key_help = RwSignal::new(false);

    // Reaching a drill's goal, in steps played here, is progress.
    let record = Memo::new(move |_| view.with(|v| (v.drill.clone(), v.record)));
    Effect::new(move |_| {
        let (slug, at) = record.get();
        if let (false, Some(n)) = (slug.is_empty(), at) {
            app.progress.update(|p| {
                p.complete_scenario(&slug, n as u32);
            });
        }
    });

    let next = move || {
        if !view.with_untracked(LabView::can_forward) {
            return;
        }
        if predict.get_untracked() && !revealing.get_untracked() {
            revealing.set(true);
        } else {
            revealing.set(false);
            send(LabRequest::Forward);
        }
    };
    let back = move || {
        revealing.set(false);
        send(LabRequest::Back);
    };

    // Presenter keys: Space/Right/PageDown/"." next, Left/PageUp back, "?" the
    // key help, Escape closes the topmost layer (the help, then presenter
    // mode). A key aimed at a field, a control or a dialog is theirs.
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if !presenter.get_untracked() || ev.default_prevented() {
            return;
        }
        let key = ev.key();
        if key == "Escape" {
            // The topmost layer only: the key help, another dialog (it closes
            // itself), then presenter mode.
            if key_help.get_untracked() {
                key_help.set(false);
                browser::focus_id("lab-main");
            } else if !browser::in_dialog(&ev) {
                presenter.set(false);
            }
            return;
        }
        if browser::typing_in_field(&ev) || browser::on_control(&ev) || browser::in_dialog(&ev) {
            return;
        }
        match key.as_str() {
            " " | "ArrowRight" | "PageDown" | "." => {
                ev.prevent_default();
                next();
            }
            "ArrowLeft" | "PageUp" => {
                ev.prevent_default();
                back();
            }
            "?" => {
                ev.prevent_default();
                key_help.set(true);
            }
            _ => {}
        }
    });
    on_cleanup(move || keys.remove());
    // Entering presenter mode hands the keys to the Lab (not the button).
    Effect::new(move |was: Option<bool>| {
        let on = presenter.get();
        if on && was == Some(false) {
            browser::focus_id("lab-main");
        }
        on
    });

    let find_failure = move || {
        search_started.set_value(browser::now_ms());
        checker.set(CheckerUi::Running {
            states: 0,
            depth: 0,
            max_depth: 0,
        });
        send(LabRequest::SearchStart);
    };
    let open = move |request: LabRequest| {
        revealing.set(false);
        checker.set(CheckerUi::Idle);
        send(request);
    };

    // Narrow memos: a closure that reads only them runs (and touches the
    // DOM) only when its part changed, not on every step.
    let opened = Memo::new(move |_| view.with(|v| v.opened.clone()));
    let all_drills = drills();
    let chooser = KINDS
        .iter()
        .map(|kind| {
            let options = all_drills
                .iter()
                .filter(|d| d.kind == *kind)
                .map(|d| {
                    let value = format!("d:{}", d.slug);
                    let v2 = value.clone();
                    view! { <option value=value selected=move || opened.with(|o| *o == v2)>{d.title.clone()}</option> }
                })
                .collect_view();
            view! { <optgroup label=format!("{kind} drills")>{options}</optgroup> }
        })
        .collect_view();
    let presets = PRESETS
        .iter()
        .map(|(name, _)| {
            let value = format!("p:{name}");
            let v2 = value.clone();
            view! { <option value=value selected=move || opened.with(|o| *o == v2)>{format!("Free play: {name}")}</option> }
        })
        .collect_view();

    let picture = Signal::from(Memo::new(move |_| view.with(|v| v.picture.clone())));
    let teaches = Memo::new(move |_| view.with(|v| v.teaches.clone()));

    view! {
        <div class="lab" class:presenter=presenter id="lab-main" tabindex="-1">
            <div class="lab-head">
                <h1>"The Lab"</h1>
                <div class="row lab-modes">
                    <button type="button" on:click=move |_| presenter.update(|p| *p = !*p) aria-pressed=move || presenter.get().to_string()>
                        {move || if presenter.get() { "Leave presenter mode (Esc)" } else { "Presenter mode" }}
                    </button>
                    <Show when=move || presenter.get()>
                        <button type="button" on:click=move |_| key_help.set(true) aria-haspopup="dialog">"Keys (?)"</button>
                    </Show>
                    <label class="inline-check"><input type="checkbox" prop:checked=move || predict.get()
                        on:change=move |ev| { predict.set(event_target_checked(&ev)); revealing.set(false); }/>
                        "Pause to predict"</label>
                </div>
            </div>
            <Show when=move || key_help.get()>
                <KeyHelp close=Callback::new(move |_| { key_help.set(false); browser::focus_id("lab-main"); })/>
            </Show>
            {move || link_error.get().map(|e| view! {
                <div class="notice error" role="alert"><p>{e}" The Lab opened on its first drill instead."</p>
                    <button type="button" on:click=move |_| link_error.set(None)>"Dismiss"</button></div>
            })}
            // The failure moment on one screen: the picture, what happened
            // (invariants, narration) and the moves, side by side.
            <div class="lab-grid">
                <section class="lab-stage" aria-label="Picture and timeline">
                    <Topology picture=picture/>
                    <Timeline view=view next=Callback::new(move |_| next()) back=Callback::new(move |_| back()) revealing=revealing/>
                </section>

                <section class="lab-story" aria-label="What happened">
                    <InvariantStrip view=view/>
                    <BrokenNow view=view/>
                    <Narration view=view/>
                </section>

                <details class="lab-trace panel" on:toggle=move |ev| {
                    let open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
                    trace_open.set_value(open);
                    if open {
                        send(LabRequest::Trace);
                    }
                }>
                    <summary>"Trace: the steps as swim lanes"</summary>
                    <Trace trace=trace jump=Callback::new(move |n| {
                        revealing.set(false);
                        send(LabRequest::Jump { step: n });
                    })/>
                </details>

                <Controls view=view revealing=revealing/>

                <section class="lab-scenario panel" aria-labelledby="scenario-title">
                    <h2 id="scenario-title">"Drill"</h2>
                    <label for="scenario-select" class="visually-hidden">"Choose a drill"</label>
                    <select id="scenario-select" on:change=move |ev| {
                        open(LabRequest::OpenStart { value: event_target_value(&ev) });
                    }>{chooser}<optgroup label="Start worlds (no goal)">{presets}</optgroup></select>
                    <p class="teaches">{move || teaches.get()}</p>
                    <Goal view=view/>
                    <button type="button" on:click=move |_| send(LabRequest::Restart)>"Restart drill"</button>
                </section>

                <div class="lab-switches panel">
                    <Switches view=view/>
                </div>

                <section class="lab-invariants panel" aria-labelledby="inv-title">
                    <h2 id="inv-title">"Invariants"</h2>
                    <Invariants view=view/>
                    <div class="checker">
                        <h3>"Find a failure"</h3>
                        <p class="hint">"Searches every ordering of this timeline's moves, with the platform's own moves, from this step, shortest first, for one that breaks an invariant under the current switch. It runs beside the page: everything stays usable meanwhile."</p>
                        <div class="row">
                            <button type="button" class="primary" disabled=move || matches!(checker.get(), CheckerUi::Running { .. })
                                on:click=move |_| find_failure()>"Find a failure"</button>
                            <Show when=move || matches!(checker.get(), CheckerUi::Running { .. })>
                                <button type="button" on:click=move |_| send(LabRequest::SearchCancel)>"Cancel"</button>
                            </Show>
                        </div>
                        <Show when=move || matches!(checker.get(), CheckerUi::Running { .. })>
                            <progress class="checker-progress" aria-label="Search depth"
                                max=move || match checker.get() { CheckerUi::Running { max_depth, .. } => max_depth.max(1).to_string(), _ => "1".into() }
                                value=move || match checker.get() { CheckerUi::Running { depth, .. } => depth.to_string(), _ => "0".into() }></progress>
                        </Show>
                        <p class="checker-status" role="status">{move || checker_text(&checker.get())}</p>
                    </div>
                </section>
            </div>

            <Records view=view/>
            <ShareBox view=view/>
        </div>
    }
}

/// The presenter's keys, on `?`.
#[component]
fn KeyHelp(close: Callback<()>) -> impl IntoView {
    // Escape is the Lab's key handler's (it knows which layer is on top).
    Effect::new(move |_| browser::focus_id("key-help-close"));
    view! {
        <div class="key-help panel" role="dialog" aria-modal="false" aria-labelledby="key-help-title">
            <h2 id="key-help-title">"Presenter keys"</h2>
            <dl class="key-list">
                <dt><kbd>"Space"</kbd>" "<kbd>"→"</kbd>" "<kbd>"PageDown"</kbd>" "<kbd>"."</kbd></dt><dd>"next step (or reveal, when pausing to predict)"</dd>
                <dt><kbd>"←"</kbd>" "<kbd>"PageUp"</kbd></dt><dd>"step back"</dd>
                <dt><kbd>"?"</kbd></dt><dd>"this help"</dd>
                <dt><kbd>"Esc"</kbd></dt><dd>"close this help; again to leave presenter mode"</dd>
            </dl>
            <p class="hint">"Keys are ignored while a field, button, slider or dialog has focus: click the picture to give them back to the Lab."</p>
            <button type="button" id="key-help-close" on:click=move |_| close.run(())>"Close"</button>
        </div>
    }
}

/// The fourteen invariants as one compact row: holds (✓) or broken (✗).
#[component]
fn InvariantStrip(view: Memo<LabView>) -> impl IntoView {
    let states = Memo::new(move |_| {
        view.with(|v| {
            v.invariants
                .iter()
                .map(|i| (i.id, i.name.clone(), i.broken_at.is_some()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <ol class="inv-strip" aria-label="Invariants at this step">
            {move || states.with(|list| list.iter().map(|(id, name, broken)| {
                let state = if *broken { "broken" } else { "holds" };
                view! {
                    <li class="inv-chip" class:bad=*broken title=format!("{id}. {name}: {state}")>
                        <span aria-hidden="true">{if *broken { "✗" } else { "✓" }}{id.to_string()}</span>
                        <span class="visually-hidden">{format!("{id}. {name}: {state}")}</span>
                    </li>
                }
            }).collect_view())}
        </ol>
    }
}

fn checker_text(c: &CheckerUi) -> String {
    match c {
        CheckerUi::Idle => String::new(),
        CheckerUi::Running { max_depth: 0, .. } => "Searching…".into(),
        CheckerUi::Running { states, depth, max_depth } => {
            format!("Searching… {states} states, depth {depth} of {max_depth}.")
        }
        CheckerUi::Found { steps, states, invariant, ms } => format!(
            "Found: {steps} more step(s) break “{invariant}” ({states} states in {ms} ms). Loaded into the timeline."
        ),
        CheckerUi::Nothing { why, ms } => format!("{why} ({ms} ms)"),
        CheckerUi::Cancelled => "Search cancelled.".into(),
    }
}

/// The drill's goal as a checklist; with its switch on, the harm it shows.
#[component]
fn Goal(view: Memo<LabView>) -> impl IntoView {
    let goal =
        Memo::new(move |_| view.with(|v| (v.goal.clone(), v.harm.clone(), v.goal_met, v.shared)));
    let checks = |list: &[crate::lab::Check]| {
        list.iter()
            .map(|c| {
                view! { <li class:holds=c.holds>{if c.holds { "✓ " } else { "○ " }}<code>{c.predicate.clone()}</code></li> }
            })
            .collect_view()
    };
    view! {
        {move || goal.with(|(list, _, _, _)| (!list.is_empty()).then(|| view! {
            <p class="goal"><strong>"Goal"</strong>" (with no broken invariant):"</p>
            <ul class="goal-list">{checks(list)}</ul>
        }))}
        {move || goal.with(|(_, harm, _, _)| (!harm.is_empty()).then(|| view! {
            <p class="goal"><strong>"With the switch on, watch for:"</strong></p>
            <ul class="goal-list harm">{checks(harm)}</ul>
        }))}
        <p class="goal-status" class:met=move || goal.with(|g| g.2) role="status">
            {move || goal.with(|(list, _, met, _)| if list.is_empty() {
                "Free play: no goal"
            } else if *met {
                "✓ Goal met at this step"
            } else {
                "Goal not met yet"
            })}
        </p>
        {move || goal.with(|(_, _, met, shared)| (*shared && *met).then(|| view! {
            <p class="hint">"Opened from a shared link: restart the drill and play it yourself to record it."</p>
        }))}
    }
}

/// Broken invariants and lit warning signals, right under the picture.
#[component]
fn BrokenNow(view: Memo<LabView>) -> impl IntoView {
    let broken = Memo::new(move |_| {
        view.with(|v| {
            (
                v.invariants
                    .iter()
                    .filter(|i| i.broken_at.is_some())
                    .cloned()
                    .collect::<Vec<_>>(),
                v.signals.clone(),
            )
        })
    });
    move || {
        broken.with(|(invs, signals)| {
            (!invs.is_empty() || !signals.is_empty()).then(|| {
                view! {
                    <div class="broken-now" aria-label="Broken invariants and warning signals" role="group" tabindex="0">
                        <ul>
                            {invs.iter().map(|i| view! {
                                <li><strong>{format!("✗ Invariant {} broken at step {}: ", i.id, i.broken_at.unwrap_or(0))}</strong>
                                    {i.name.clone()}{(!i.objects.is_empty()).then(|| format!(" — {}", i.objects.join("; ")))}</li>
                            }).collect_view()}
                            {signals.iter().map(|s| view! {
                                <li class="signal-line"><strong>{format!("Warning signal ({}): ", s.card_name)}</strong>"“"{s.text.clone()}"”"
                                    <span class="because">{format!(" — {}", s.because)}</span></li>
                            }).collect_view()}
                        </ul>
                    </div>
                }
            })
        })
    }
}

/// The one anti-pattern switch (or none).
#[component]
fn Switches(view: Memo<LabView>) -> impl IntoView {
    let on = Memo::new(move |_| view.with(|v| v.switch.clone()));
    let c = crate::content::catalog();
    let radios = SWITCHES
        .into_iter()
        .map(|sw: Switch| {
            let name = c
                .card(sw.card_slug())
                .map_or_else(|| sw.card_slug().to_string(), |k| k.name.clone());
            view! {
                <label><input type="radio" name="naive" prop:checked=move || on.with(|s| s.as_deref() == Some(sw.card_slug()))
                    on:change=move |_| send(LabRequest::SetSwitch { card: Some(sw.card_slug().to_string()) })/>{name}</label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="switches">
            <legend>"Naive behaviour (one anti-pattern at a time)"</legend>
            <label><input type="radio" name="naive" prop:checked=move || on.with(Option::is_none)
                on:change=move |_| send(LabRequest::SetSwitch { card: None })/>"None: the correct platform"</label>
            {radios}
        </fieldset>
    }
}

/// Step back and forward, jump, undo and redo, and the futures a fork kept.
#[component]
fn Timeline(
    view: Memo<LabView>,
    next: Callback<()>,
    back: Callback<()>,
    revealing: RwSignal<bool>,
) -> impl IntoView {
    let cursor = Memo::new(move |_| view.with(|v| v.step));
    let len = Memo::new(move |_| view.with(|v| v.steps));
    let cursor = move || cursor.get();
    let len = move || len.get();
    let undo_redo = Memo::new(move |_| view.with(|v| (v.can_undo, v.can_redo)));
    let next_move = Memo::new(move |_| view.with(|v| v.next.clone().unwrap_or_default()));
    let forks = Memo::new(move |_| view.with(|v| v.forks.clone()));
    view! {
        <div class="timeline">
            <div class="row timeline-buttons">
                <button type="button" on:click=move |_| send(LabRequest::Jump { step: 0 }) disabled=move || cursor() == 0 aria-label="Go to the start">"Start"</button>
                <button type="button" on:click=move |_| back.run(()) disabled=move || cursor() == 0>"◀ Back"</button>
                <button type="button" class="primary next" on:click=move |_| next.run(()) disabled=move || { cursor() >= len() }>
                    {move || if revealing.get() { "Reveal ▶" } else { "Next ▶" }}</button>
                <button type="button" on:click=move |_| send(LabRequest::Jump { step: usize::MAX }) disabled=move || { cursor() >= len() } aria-label="Go to the end">"End"</button>
                <span class="step-count" aria-live="off">{move || format!("Step {} of {}", cursor(), len())}</span>
                <button type="button" on:click=move |_| send(LabRequest::Undo) disabled=move || !undo_redo.get().0>"Undo"</button>
                <button type="button" on:click=move |_| send(LabRequest::Redo) disabled=move || !undo_redo.get().1>"Redo"</button>
            </div>
            <input type="range" class="scrubber" min="0" max=move || len().to_string() prop:value=move || cursor().to_string()
                aria-label="Jump to step" on:input=move |ev| {
                    if let Ok(n) = event_target_value(&ev).parse::<usize>() { send(LabRequest::Jump { step: n }); }
                }/>
            <Show when=move || revealing.get()>
                <div class="predict" role="status">
                    <p class="predict-q">"What happens next?"</p>
                    <p><code>{move || next_move.get()}</code></p>
                    <p class="hint">"Discuss, then press Reveal (or Space)."</p>
                </div>
            </Show>
            {move || {
                let forks = forks.get();
                (!forks.is_empty()).then(|| view! {
                    <div class="forks">
                        <p>"Other futures kept:"</p>
                        <ul>{forks.into_iter().enumerate().map(|(i, f)| view! {
                            <li>{format!("from step {}: {} action(s) ", f.at, f.actions)}
                                <button type="button" on:click=move |_| send(LabRequest::RestoreFork { index: i })>"Switch to it"</button></li>
                        }).collect_view()}</ul>
                    </div>
                })
            }}
        </div>
    }
}

/// Every step in words; the current one is announced to screen readers.
#[component]
fn Narration(view: Memo<LabView>) -> impl IntoView {
    let cursor = Memo::new(move |_| view.with(|v| v.step));
    let lines = Memo::new(move |_| view.with(|v| v.narration.clone()));
    let now = Memo::new(move |_| view.with(|v| v.now.clone()));
    view! {
        <div class="narration">
            <p class="narration-now" aria-live="polite" tabindex="0">{move || now.get()}</p>
            <ol class="steps-list">
                // Keyed, so a step re-renders only the lines whose text or played state changed.
                <For each=move || lines.get() key=|l| (l.step, l.action.clone(), l.text.clone(), l.refused, l.played, l.broke.clone())
                    children=move |l| {
                        let n = l.step;
                        let broke = (l.played && !l.broke.is_empty()).then(|| format!(" — breaks invariant {}",
                            l.broke.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")));
                        view! {
                            <li class="step-line" class:now=move || cursor.get() == n class:future=!l.played
                                class:refused=l.refused class:broke=!l.broke.is_empty()>
                                <button type="button" class="link-button" on:click=move |_| send(LabRequest::Jump { step: n })
                                    aria-current=move || (cursor.get() == n).then_some("step")>
                                    <span class="step-n">{n}</span>" "<strong>{l.action.clone()}</strong>
                                </button>
                                <span class="step-text">{if l.played { l.text.clone() } else { "(not played yet)".to_string() }}{broke}</span>
                            </li>
                        }
                    }/>
            </ol>
        </div>
    }
}

/// The fourteen invariants: holding, or broken from a step, with the objects.
#[component]
fn Invariants(view: Memo<LabView>) -> impl IntoView {
    // Most steps change no invariant: re-render only when one does.
    let invariants = Memo::new(move |_| view.with(|v| v.invariants.clone()));
    let card_links = Memo::new(move |_| view.with(|v| v.drill_switch.clone()));
    view! {
        <ol class="invariants">
            {move || invariants.with(|list| list.iter().map(|i| {
                let ok = i.broken_at.is_none();
                let detail = i.broken_at.map(|n| view! {
                    <div class="broken-detail">
                        <p><strong>{format!("Broken at step {n}: ")}</strong>{i.objects.join("; ")}</p>
                    </div>
                });
                view! {
                    <li class="invariant" class:ok=ok class:bad=!ok>
                        <span class="inv-state">{if ok { "✓ holds" } else { "✗ broken" }}</span>
                        <span class="inv-title">{format!("{}. {}", i.id, i.name)}</span>
                        {detail}
                    </li>
                }
            }).collect_view())}
        </ol>
        {move || card_links.get().and_then(|slug| {
            let card = crate::content::catalog().card(&slug)?;
            Some(view! { <p class="links">"This drill's card: "<a href=link(&Route::AntiPatterns { card: Some(card.slug.clone()) })>{card.name.clone()}</a></p> })
        })}
    }
}

/// Every move by who makes it: the possible ones as buttons, the others with why not.
#[component]
fn Controls(view: Memo<LabView>, revealing: RwSignal<bool>) -> impl IntoView {
    let groups = Memo::new(move |_| view.with(|v| v.actions.clone()));
    view! {
        <section class="controls lab-actions" aria-labelledby="controls-title">
            <h2 id="controls-title">"Act on the world"</h2>
            <p class="hint">"Acting at an earlier step forks the timeline; the old future is kept above. Each button is a line of the drill vocabulary."</p>
            <div class="controls-grid">
                {move || groups.with(|gs| gs.iter().filter(|g| !g.actions.is_empty()).map(|g| {
                    let (now, not_now): (Vec<_>, Vec<_>) = g.actions.iter().cloned().partition(|a| a.refused.is_none());
                    let buttons = now.into_iter().map(|a| {
                        let code = a.code.clone();
                        view! {
                            <li><button type="button" class="move" title=a.help aria-label=a.vocabulary.clone()
                                on:click=move |_| { revealing.set(false); send(LabRequest::Act { code: code.clone() }); }>{a.label.clone()}</button></li>
                        }
                    }).collect_view();
                    let refused = (!not_now.is_empty()).then(|| {
                        let n = not_now.len();
                        view! {
                            <details class="not-now"><summary>{format!("Not possible now ({n})")}</summary>
                                <ul>{not_now.into_iter().map(|a| view! {
                                    <li><code>{a.label}</code>": "{a.refused.unwrap_or_default()}</li>
                                }).collect_view()}</ul>
                            </details>
                        }
                    });
                    view! {
                        <div class="move-group" role="group" aria-label=g.who.clone()>
                            <h3>{g.who.clone()}</h3>
                            <ul class="move-list">{buttons}</ul>
                            {refused}
                        </div>
                    }
                }).collect_view())}
            </div>
        </section>
    }
}

/// Operation records (the truth) beside the CLI and console (evidence), and
/// the rest of the state as tables, for people who cannot use the picture.
#[component]
fn Records(view: Memo<LabView>) -> impl IntoView {
    // Only the parts of the picture the tables show.
    let shown = Memo::new(move |_| {
        view.with(|v| {
            let p = &v.picture;
            (
                p.operations.clone(),
                p.sessions.clone(),
                p.requests.clone(),
                p.reports.clone(),
                p.clock.clone(),
            )
        })
    });
    view! {
        <section class="records-panel panel" aria-labelledby="records-title">
            <h2 id="records-title">"Operations, sessions, requests"</h2>
            {move || shown.with(|(operations, sessions, requests, reports, c)| {
                let ops = operations.iter().map(|o| {
                    let disagree = o.console != o.stage || o.cli != o.stage && o.cli != "blocked";
                    view! {
                        <tr class:disagree=disagree><td>{o.name.clone()}</td><td>{o.target.clone()}</td><td>{o.actor.clone()}</td>
                            <td><strong>{o.stage.clone()}</strong>{o.waiting_for_ack.then_some(" (waiting for an acknowledgement)")}</td>
                            <td>{o.cli.clone()}</td><td>{o.console.clone()}</td><td>{o.worker.clone()}</td></tr>
                    }
                }).collect_view();
                let sessions = sessions.iter().map(|s| view! {
                    <tr><td>{s.name.clone()}</td><td>{s.state.clone()}</td><td>{s.alloc.clone()}</td>
                        <td>{match (s.draft, s.stored, s.lost_silently) { (_, _, true) => "lost, user not told", (true, true, _) => "unsaved draft, in the store", (true, false, _) => "unsaved draft", _ => "none" }}</td>
                        <td>{if s.shown_moved { "yes" } else { "no" }}</td></tr>
                }).collect_view();
                let requests = requests.iter().map(|r| view! {
                    <tr><td>{r.name.clone()}</td><td>{r.kind.clone()}</td><td>{r.state.clone()}</td><td>{if r.key { "yes" } else { "no" }}</td><td>{r.waited}</td></tr>
                }).collect_view();
                let report_items = reports.iter().map(|r| view! {
                    <li>{format!("{} from {}: {}{}", r.name, r.op, r.claims, if r.delayed { " (delayed)" } else { "" })}</li>
                }).collect_view();
                view! {
                    <div class="table-scroll" tabindex="0" role="group" aria-label="Operations table"><table><caption>"Operations: stage record (truth), CLI and console (evidence)"</caption>
                        <thead><tr><th scope="col">"Operation"</th><th scope="col">"Target"</th><th scope="col">"Actor"</th><th scope="col">"Stage record"</th><th scope="col">"CLI"</th><th scope="col">"Console"</th><th scope="col">"Worker"</th></tr></thead>
                        <tbody>{ops}</tbody></table></div>
                    <div class="table-scroll" tabindex="0" role="group" aria-label="Sessions table"><table><caption>"Sessions"</caption>
                        <thead><tr><th scope="col">"Session"</th><th scope="col">"State"</th><th scope="col">"Allocation"</th><th scope="col">"Draft"</th><th scope="col">"Shown as moved"</th></tr></thead>
                        <tbody>{sessions}</tbody></table></div>
                    <div class="table-scroll" tabindex="0" role="group" aria-label="Held requests table"><table><caption>"Held requests"</caption>
                        <thead><tr><th scope="col">"Request"</th><th scope="col">"Kind"</th><th scope="col">"State"</th><th scope="col">"Idempotency key"</th><th scope="col">"Ticks waited"</th></tr></thead>
                        <tbody>{requests}</tbody></table></div>
                    <p>"Reports in flight: "{if reports.is_empty() { "none." } else { "" }}</p>
                    <ul>{report_items}</ul>
                    <p>{format!("Charges: pay-1 ×{}, pay-2 ×{}. Requests answered 500: {}. Late or duplicate reports rejected: {}.",
                        c.charges[0], c.charges[1], c.failed_requests, c.rejected_reports)}</p>
                }
            })}
        </section>
    }
}

/// The link to this exact moment.
#[component]
fn ShareBox(view: Memo<LabView>) -> impl IntoView {
    let copied = RwSignal::new(false);
    let url = move || {
        let fragment = Route::Lab {
            state: Some(view.with(|v| v.link.clone())),
        }
        .href();
        let base = browser::window()
            .and_then(|w| w.location().href().ok())
            .map(|h| h.split('#').next().unwrap_or_default().to_string())
            .unwrap_or_default();
        format!("{base}{fragment}")
    };
    view! {
        <section class="panel share" aria-labelledby="share-title">
            <h2 id="share-title">"Share this moment"</h2>
            <p class="hint">"The link holds the drill, the switch, the actions and the step. Opening it shows the same picture at the same step, offline; nothing is sent anywhere. A goal met in a shared link is not recorded as progress."</p>
            <div class="row">
                <input id="share-link" class="share-input" readonly prop:value=url aria-label="Link to this moment"
                    on:focus=move |ev| { event_target::<web_sys::HtmlInputElement>(&ev).select(); }/>
                <button type="button" on:click=move |_| {
                    let ok = browser::copy_text(&url());
                    copied.set(ok);
                }>"Copy link"</button>
                <span role="status">{move || if copied.get() { "Copied." } else { "" }}</span>
            </div>
        </section>
    }
}
