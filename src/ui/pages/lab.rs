use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;

use crate::content::catalog;
use crate::lab::{scenario_for_card, LabSession, LabView, DEFAULT_SCENARIO};
use crate::model::{artifact_name, scenarios, AntiPattern, CheckStatus, Env, Explorer, Stage};
use crate::route::Route;
use crate::share::LabLink;
use crate::ui::app::{link, use_app};
use crate::ui::browser;
use crate::ui::components::topology::{region_list, Topology};

/// Work out which session the address asks for. A bad link never replaces
/// the Lab: it gives the default scenario and a message saying why.
fn initial_session(state: Option<&str>) -> (LabSession, Option<String>) {
    let default = || LabSession::open_slug(DEFAULT_SCENARIO).expect("the default scenario exists");
    let Some(state) = state else {
        return (default(), None);
    };
    if let Some(card) = state.strip_prefix("ap=") {
        return match scenario_for_card(card) {
            Some(s) => (LabSession::open(s), None),
            None => (
                default(),
                Some(format!(
                    "There is no Lab scenario for an anti-pattern called “{}”.",
                    clip(card)
                )),
            ),
        };
    }
    if let Some(slug) = state.strip_prefix("scenario=") {
        return match LabSession::open_slug(slug) {
            Some(s) => (s, None),
            None => (
                default(),
                Some(format!("There is no Lab scenario called “{}”.", clip(slug))),
            ),
        };
    }
    match LabLink::decode(state)
        .map_err(|e| e.to_string())
        .and_then(|l| LabSession::from_link(&l))
    {
        Ok(s) => (s, None),
        Err(e) => (default(), Some(e)),
    }
}

/// At most 60 characters of untrusted text, for messages.
fn clip(s: &str) -> String {
    s.chars().take(60).collect()
}

#[derive(Clone, Debug, PartialEq)]
enum CheckerUi {
    Idle,
    Running {
        explored: usize,
        depth: usize,
    },
    // `ms` in whole milliseconds: printing an f64 would pull float formatting into the wasm.
    Found {
        steps: usize,
        explored: usize,
        invariant: String,
        ms: u64,
    },
    Nothing {
        explored: usize,
        depth: usize,
        ms: u64,
    },
    Cancelled,
}

/// The Lab: step through the model, break it on purpose, share the moment.
#[component]
pub fn LabPage(state: Option<String>) -> impl IntoView {
    let app = use_app();
    let (initial, error) = initial_session(state.as_deref());
    let had_error = error.is_some();
    let session = RwSignal::new(initial);
    let link_error = RwSignal::new(error);
    let view = Memo::new(move |_| session.with(LabSession::view));
    let presenter = RwSignal::new(false);
    let predict = RwSignal::new(false);
    let revealing = RwSignal::new(false);
    let checker = RwSignal::new(CheckerUi::Idle);
    let cancel = RwSignal::new(false);

    // Keep the address equal to the moment on screen, so reload and share
    // reproduce it. A bad link stays in the address until the learner acts.
    Effect::new(move |first: Option<()>| {
        let link = session.with(|s| s.to_link().encode());
        if first.is_some() || !had_error {
            browser::replace_fragment(&Route::Lab { state: Some(link) }.href());
        }
    });

    // Reaching a scenario's goal is progress.
    Effect::new(move |_| {
        let (slug, at) = (
            session.with(|s| s.scenario.slug),
            view.with(|v| v.goal_met_at),
        );
        if let Some(n) = at {
            app.progress.update(|p| {
                p.complete_scenario(slug, n as u32);
            });
        }
    });

    let next = move || {
        if !session.with(|s| s.timeline.can_forward()) {
            return;
        }
        if predict.get_untracked() && !revealing.get_untracked() {
            revealing.set(true);
        } else {
            revealing.set(false);
            session.update(|s| s.timeline.forward());
        }
    };
    let back = move || {
        revealing.set(false);
        session.update(|s| s.timeline.back());
    };

    // Presenter keys: Space/Right/PageDown/"." next, Left/PageUp back, Escape leaves.
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if !presenter.get_untracked() {
            return;
        }
        match ev.key().as_str() {
            " " | "ArrowRight" | "PageDown" | "." => {
                ev.prevent_default();
                next();
            }
            "ArrowLeft" | "PageUp" => {
                ev.prevent_default();
                back();
            }
            "Escape" => presenter.set(false),
            _ => {}
        }
    });
    on_cleanup(move || keys.remove());

    let find_failure = move || {
        let (start, policy, depth) = session.with(|s| {
            let trace = s.trace();
            (
                s.world_at(&trace, s.timeline.cursor()),
                s.policy,
                s.scenario.check_depth.max(4),
            )
        });
        let prefix: Vec<_> = session.with(|s| s.timeline.actions()[..s.timeline.cursor()].to_vec());
        cancel.set(false);
        checker.set(CheckerUi::Running {
            explored: 0,
            depth: 0,
        });
        let explorer = Rc::new(RefCell::new(Explorer::new(start, policy, depth)));
        run_checker(
            explorer,
            cancel,
            checker,
            session,
            prefix,
            browser::now_ms(),
            512,
        );
    };

    let all_scenarios = scenarios();
    let scenario_options = all_scenarios.iter().map(|s| {
        let slug = s.slug;
        view! { <option value=slug selected=move || session.with(|x| x.scenario.slug == slug)>{s.title}</option> }
    }).collect_view();

    let summary = Signal::derive(move || view.with(summary_sentence));
    let world = Signal::derive(move || view.with(|v| v.world));
    let target = Signal::derive(move || view.with(|v| v.route_target));
    let changed = Signal::derive(move || view.with(|v| v.changed.clone()));

    view! {
        <div class="page lab" class:presenter=presenter>
            <div class="lab-head">
                <h1>"The Lab"</h1>
                <div class="row lab-modes">
                    <button type="button" on:click=move |_| presenter.update(|p| *p = !*p) aria-pressed=move || presenter.get().to_string()>
                        {move || if presenter.get() { "Leave presenter mode (Esc)" } else { "Presenter mode" }}
                    </button>
                    <label class="inline-check"><input type="checkbox" prop:checked=move || predict.get()
                        on:change=move |ev| { predict.set(event_target_checked(&ev)); revealing.set(false); }/>
                        "Pause to predict"</label>
                </div>
            </div>
            {move || link_error.get().map(|e| view! {
                <div class="notice error" role="alert"><p>{e}" The Lab opened on its first scenario instead."</p>
                    <button type="button" on:click=move |_| link_error.set(None)>"Dismiss"</button></div>
            })}
            <div class="lab-grid">
                <section class="lab-scenario panel" aria-labelledby="scenario-title">
                    <h2 id="scenario-title">"Scenario"</h2>
                    <label for="scenario-select" class="visually-hidden">"Choose a scenario"</label>
                    <select id="scenario-select" on:change=move |ev| {
                        if let Some(s) = LabSession::open_slug(&event_target_value(&ev)) {
                            revealing.set(false);
                            checker.set(CheckerUi::Idle);
                            session.set(s);
                        }
                    }>{scenario_options}</select>
                    <p class="goal"><strong>"Goal: "</strong>{move || session.with(|s| s.scenario.goal_text)}</p>
                    <details><summary>"Hint"</summary><p>{move || session.with(|s| s.scenario.hint)}</p></details>
                    <p class="goal-status" class:met=move || view.with(|v| v.goal_met) role="status">
                        {move || if view.with(|v| v.goal_met) { "✓ Goal met at this step" } else { "Goal not met yet" }}
                    </p>
                    <button type="button" on:click=move |_| session.update(|s| {
                        let fresh = LabSession::open(s.scenario.clone());
                        s.timeline.replace(fresh.timeline.actions().to_vec(), 0);
                        s.policy = fresh.policy;
                    })>"Restart scenario"</button>
                </section>

                <section class="lab-stage" aria-label="Picture, timeline and narration">
                    <Topology changed=changed world=world route_target=target summary=summary/>
                    <Timeline session=session next=Callback::new(move |_| next()) back=Callback::new(move |_| back()) revealing=revealing/>
                    <Narration view=view session=session/>
                </section>

                // Its own panel, so a phone shows it after the picture and a projector can hide it.
                <div class="lab-switches panel">
                    <fieldset class="switches">
                        <legend>"Naive behaviour (one anti-pattern at a time)"</legend>
                        <label><input type="radio" name="naive" prop:checked=move || session.with(|s| s.policy.is_correct())
                            on:change=move |_| session.update(|s| s.set_only(None))/>"None: the correct platform"</label>
                        {AntiPattern::ALL.into_iter().map(|ap| view! {
                            <label><input type="radio" name="naive" prop:checked=move || session.with(|s| s.policy.is_naive(ap))
                                on:change=move |_| session.update(|s| s.set_only(Some(ap)))/>{ap.title()}</label>
                        }).collect_view()}
                    </fieldset>
                </div>

                <section class="lab-invariants panel" aria-labelledby="inv-title">
                    <h2 id="inv-title">"Invariants"</h2>
                    <Invariants view=view/>
                    <div class="checker">
                        <h3>"Find a failure"</h3>
                        <p class="hint">"Searches every sequence of actions from this step, shortest first, for one that breaks an invariant under the current switches."</p>
                        <div class="row">
                            <button type="button" class="primary" disabled=move || matches!(checker.get(), CheckerUi::Running { .. })
                                on:click=move |_| find_failure()>"Find a failure"</button>
                            <Show when=move || matches!(checker.get(), CheckerUi::Running { .. })>
                                <button type="button" on:click=move |_| cancel.set(true)>"Cancel"</button>
                            </Show>
                        </div>
                        <p class="checker-status" role="status">{move || checker_text(&checker.get())}</p>
                    </div>
                </section>
            </div>

            <TruthAndEvidence view=view/>
            <Controls view=view session=session revealing=revealing/>
            <ShareBox session=session/>
            <StateTable view=view/>
        </div>
    }
}

fn checker_text(c: &CheckerUi) -> String {
    match c {
        CheckerUi::Idle => String::new(),
        CheckerUi::Running { explored, depth } => format!("Searching… {explored} states explored, depth {depth}."),
        CheckerUi::Found { steps, explored, invariant, ms } => format!(
            "Found: {steps} more step(s) break “{invariant}” ({explored} states in {ms} ms). Loaded into the timeline."
        ),
        CheckerUi::Nothing { explored, depth, ms } => format!(
            "No invariant breaks within {depth} steps from here ({explored} states in {ms} ms). Try switching on an anti-pattern."
        ),
        CheckerUi::Cancelled => "Search cancelled.".into(),
    }
}

/// Run the checker in slices of a few milliseconds so the page stays responsive.
fn run_checker(
    explorer: Rc<RefCell<Explorer>>,
    cancel: RwSignal<bool>,
    checker: RwSignal<CheckerUi>,
    session: RwSignal<LabSession>,
    prefix: Vec<crate::model::Action>,
    started: f64,
    budget: usize,
) {
    if cancel.get_untracked() {
        checker.set(CheckerUi::Cancelled);
        return;
    }
    let slice_start = browser::now_ms();
    let status = explorer.borrow_mut().run_slice(budget);
    let took = (browser::now_ms() - slice_start).max(0.1);
    // Aim each slice at about 6 ms of work.
    let budget = ((budget as f64) * (6.0 / took)).clamp(64.0, 200_000.0) as usize;
    match status {
        CheckStatus::Running { explored, depth } => {
            checker.set(CheckerUi::Running { explored, depth });
            set_timeout(
                move || run_checker(explorer, cancel, checker, session, prefix, started, budget),
                Duration::from_millis(0),
            );
        }
        CheckStatus::Found(ce) => {
            let steps = ce.actions.len();
            checker.set(CheckerUi::Found {
                steps,
                explored: ce.explored,
                invariant: ce.violation.invariant.title().to_string(),
                ms: (browser::now_ms() - started).round() as u64,
            });
            let mut actions = prefix;
            actions.extend(ce.actions);
            let end = actions.len();
            session.update(|s| s.timeline.replace(actions, end));
        }
        CheckStatus::Exhausted { explored, depth } => {
            checker.set(CheckerUi::Nothing {
                explored,
                depth,
                ms: (browser::now_ms() - started).round() as u64,
            });
        }
    }
}

/// One sentence for screen readers: what the picture shows.
fn summary_sentence(v: &LabView) -> String {
    let w = &v.world;
    let owner = w.owner(Env::Production);
    let running = w.allocations.iter().filter(|a| a.life.is_running()).count();
    format!(
        "Topology: {} region(s) ({}); {} running allocation(s); route owner artifact {} at epoch {}; edge applied epoch {}; {} live session(s).",
        w.regions.len(),
        region_list(w),
        running,
        artifact_name(owner.artifact),
        owner.epoch,
        w.edge.keys[Env::Production.ix()].last_applied_epoch,
        w.sessions.len()
    )
}

/// Step back and forward, jump, undo and redo, and the futures a fork kept.
#[component]
fn Timeline(
    session: RwSignal<LabSession>,
    next: Callback<()>,
    back: Callback<()>,
    revealing: RwSignal<bool>,
) -> impl IntoView {
    let cursor = move || session.with(|s| s.timeline.cursor());
    let len = move || session.with(|s| s.timeline.len());
    view! {
        <div class="timeline">
            <div class="row timeline-buttons">
                <button type="button" on:click=move |_| session.update(|s| s.timeline.jump(0)) disabled=move || cursor() == 0 aria-label="Go to the start">"Start"</button>
                <button type="button" on:click=move |_| back.run(()) disabled=move || cursor() == 0>"◀ Back"</button>
                <button type="button" class="primary next" on:click=move |_| next.run(()) disabled=move || { cursor() >= len() }>
                    {move || if revealing.get() { "Reveal ▶" } else { "Next ▶" }}</button>
                <button type="button" on:click=move |_| session.update(|s| s.timeline.jump(usize::MAX)) disabled=move || { cursor() >= len() } aria-label="Go to the end">"End"</button>
                <span class="step-count" aria-live="off">{move || format!("Step {} of {}", cursor(), len())}</span>
                <button type="button" on:click=move |_| session.update(|s| s.timeline.undo()) disabled=move || !session.with(|s| s.timeline.can_undo())>"Undo"</button>
                <button type="button" on:click=move |_| session.update(|s| s.timeline.redo()) disabled=move || !session.with(|s| s.timeline.can_redo())>"Redo"</button>
            </div>
            <input type="range" class="scrubber" min="0" max=move || len().to_string() prop:value=move || cursor().to_string()
                aria-label="Jump to step" on:input=move |ev| {
                    if let Ok(n) = event_target_value(&ev).parse::<usize>() { session.update(|s| s.timeline.jump(n)); }
                }/>
            <Show when=move || revealing.get()>
                <div class="predict" role="status">
                    <p class="predict-q">"What happens next?"</p>
                    <p>{move || session.with(|s| s.timeline.next_action().map(|a| a.label()).unwrap_or_default())}</p>
                    <p class="hint">"Discuss, then press Reveal (or Space)."</p>
                </div>
            </Show>
            {move || {
                let forks = session.with(|s| s.timeline.forks().to_vec());
                (!forks.is_empty()).then(|| view! {
                    <div class="forks">
                        <p>"Other futures kept:"</p>
                        <ul>{forks.into_iter().enumerate().map(|(i, f)| view! {
                            <li>{format!("from step {}: {} action(s) ", f.at, f.future.len())}
                                <button type="button" on:click=move |_| session.update(|s| s.timeline.restore_fork(i))>"Switch to it"</button></li>
                        }).collect_view()}</ul>
                    </div>
                })
            }}
        </div>
    }
}

/// Every step in words; the current one is announced to screen readers.
#[component]
fn Narration(view: Memo<LabView>, session: RwSignal<LabSession>) -> impl IntoView {
    let cursor = Memo::new(move |_| view.with(|v| v.step));
    let lines = Memo::new(move |_| {
        view.with(|v| {
            v.narration
                .iter()
                .map(|l| (l.clone(), l.step <= v.step))
                .collect::<Vec<_>>()
        })
    });
    let current = move || {
        view.with(|v| match v.step {
            0 => "At the start. Press Next to play the first step.".to_string(),
            n => v
                .narration
                .get(n - 1)
                .map(|l| format!("Step {n}: {} — {}", l.action, l.text))
                .unwrap_or_default(),
        })
    };
    view! {
        <div class="narration">
            <p class="narration-now" aria-live="polite">{current}</p>
            <ol class="steps-list">
                // Keyed, so a step re-renders only the lines whose text or played state changed.
                <For each=move || lines.get() key=|(l, played)| (l.step, l.text.clone(), l.refused, *played)
                    children=move |(l, played)| {
                        let n = l.step;
                        let broke = (played && !l.broke.is_empty()).then(|| format!(" — breaks invariant {}",
                            l.broke.iter().map(|i| i.number().to_string()).collect::<Vec<_>>().join(", ")));
                        view! {
                            <li class="step-line" class:now=move || cursor.get() == n class:future=!played
                                class:refused=l.refused class:broke=!l.broke.is_empty()>
                                <button type="button" class="link-button" on:click=move |_| session.update(|s| s.timeline.jump(n))
                                    aria-current=move || (cursor.get() == n).then_some("step")>
                                    <span class="step-n">{n}</span>" "<strong>{l.action.clone()}</strong>
                                </button>
                                <span class="step-text">{if played { l.text.clone() } else { "(not played yet)".to_string() }}{broke}</span>
                            </li>
                        }
                    }/>
            </ol>
        </div>
    }
}

/// The eleven invariants: green, or red from the step that broke them.
#[component]
fn Invariants(view: Memo<LabView>) -> impl IntoView {
    let c = catalog();
    // Most steps change no invariant: re-render only when one does.
    let invariants = Memo::new(move |_| view.with(|v| v.invariants.clone()));
    view! {
        <ol class="invariants">
            {move || invariants.with(|list| list.iter().map(|s| {
                let inv = s.invariant;
                let terms = inv.terms().iter().filter_map(|t| c.term(t)).map(|t| view! {
                    <a href=link(&Route::Glossary { category: None, term: Some(t.slug.clone()) })>{t.name.clone()}</a>
                }).collect_view();
                let card = inv.anti_pattern().and_then(|ap| c.card(ap.slug())).map(|k| view! {
                    <a href=link(&Route::AntiPatterns { card: Some(k.slug.clone()) })>{k.name.clone()}</a>
                });
                let broken = s.broken.clone().map(|(n, v)| view! {
                    <div class="broken-detail">
                        <p><strong>{format!("Broken at step {n}: ")}</strong>{v.detail.clone()}</p>
                        {v.signal_text().map(|t| view! { <p class="signal">"Warning signal: “"{t}"”"</p> })}
                    </div>
                });
                let ok = s.broken.is_none();
                view! {
                    <li class="invariant" class:ok=ok class:bad=!ok>
                        <span class="inv-state">{if ok { "✓ holds" } else { "✗ broken" }}</span>
                        <span class="inv-title">{format!("{}. {}", inv.number(), inv.title())}</span>
                        <details>
                            <summary>"Why it matters"</summary>
                            <p>{inv.statement()}</p>
                            <p class="links">{terms}{card}</p>
                        </details>
                        {broken}
                    </li>
                }
            }).collect_view())}
        </ol>
    }
}

/// Truth (operation records, route owner) beside evidence (logs, events).
#[component]
fn TruthAndEvidence(view: Memo<LabView>) -> impl IntoView {
    view! {
        <section class="truth-evidence" aria-labelledby="te-title">
            <h2 id="te-title">"Truth and evidence"</h2>
            {move || view.with(|v| (!v.disagreements.is_empty()).then(|| view! {
                <div class="disagree" role="status">
                    <p><strong>"Evidence disagrees with the truth:"</strong></p>
                    <ul>{v.disagreements.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view()}</ul>
                </div>
            }))}
            <div class="te-grid">
                <div class="panel truth">
                    <h3>"Truth: operation records and route owner"</h3>
                    {move || view.with(|v| {
                        let w = &v.world;
                        let owner = w.owner(Env::Production);
                        let ops = w.operations.iter().rev().map(|o| {
                            let stages = o.stages.iter().map(|s| s.name()).collect::<Vec<_>>().join(" → ");
                            let note = format!("{:?}", o.note);
                            view! { <li><strong>{format!("op {} {} {}", o.id, o.kind.name(), artifact_name(o.artifact))}</strong>
                                ": "{stages}{(note != "None").then(|| format!(" ({})", humanize(&note)))}</li> }
                        }).collect_view();
                        view! {
                            <p>{format!("Production route owner: artifact {} (sha {:08x}) at epoch {}, {}.", artifact_name(owner.artifact), owner.digest, owner.epoch, owner.place.label())}</p>
                            <ul class="records">{ops}</ul>
                        }
                    })}
                </div>
                <div class="panel evidence">
                    <h3>"Evidence: logs, events, status views"</h3>
                    {move || view.with(|v| {
                        let w = &v.world;
                        let logs = w.logs.iter().map(|l| view! { <li><code>{l.text(w)}</code></li> }).collect_view();
                        let status = |name: &str, s: Option<crate::model::StatusView>| match s {
                            Some(s) => format!("{name}: op {} {} — {}", s.op, s.kind.name(), s.stage.name()),
                            None => format!("{name}: nothing yet"),
                        };
                        view! {
                            <p>{status("Console", w.console)}<br/>{status("CLI", w.cli)}</p>
                            <ul class="logs">{logs}</ul>
                        }
                    })}
                </div>
            </div>
        </section>
    }
}

/// "LateReportRejected" → "late report rejected".
fn humanize(name: &str) -> String {
    let mut out = String::new();
    for (i, ch) in name.chars().enumerate() {
        if ch.is_uppercase() && i > 0 {
            out.push(' ');
        }
        out.extend(ch.to_lowercase());
    }
    out
}

/// Every action and fault as a button; the ones not allowed now say why.
#[component]
fn Controls(
    view: Memo<LabView>,
    session: RwSignal<LabSession>,
    revealing: RwSignal<bool>,
) -> impl IntoView {
    let controls = Memo::new(move |_| view.with(|v| v.controls.clone()));
    // Keyed by action and state, so a step only re-renders controls whose state changed.
    let group = move |faults: bool| {
        view! {
            <For each=move || controls.with(|cs| cs.iter().filter(|c| c.is_fault == faults).cloned().collect::<Vec<_>>())
                key=|c| (c.action.to_code(), c.allowed.clone().err())
                children=move |c| {
                    let action = c.action;
                    let reason_id = format!("why-{}", action.to_code());
                    let (disabled, text) = match &c.allowed {
                        Ok(()) => (false, c.explain.to_string()),
                        Err(r) => (true, format!("Not now: {r}")),
                    };
                    view! {
                        <li class="control" class:disabled=disabled>
                            <button type="button" disabled=disabled aria-describedby=reason_id.clone()
                                on:click=move |_| { revealing.set(false); session.update(|s| s.timeline.act(action)); }>{c.label.clone()}</button>
                            <span class="explain" id=reason_id>{text}</span>
                        </li>
                    }
                }/>
        }
    };
    view! {
        <section class="controls" aria-labelledby="controls-title">
            <h2 id="controls-title">"Act on the world"</h2>
            <p class="hint">"Acting at an earlier step forks the timeline; the old future is kept above."</p>
            <div class="controls-grid">
                <div><h3>"Actions"</h3><ul class="control-list">{group(false)}</ul></div>
                <div><h3>"Faults"</h3><ul class="control-list">{group(true)}</ul></div>
            </div>
        </section>
    }
}

/// The link to this exact moment.
#[component]
fn ShareBox(session: RwSignal<LabSession>) -> impl IntoView {
    let copied = RwSignal::new(false);
    let url = move || {
        let fragment = Route::Lab {
            state: Some(session.with(|s| s.to_link().encode())),
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
            <p class="hint">"The link holds the scenario, switches, actions and step. Opening it shows the same picture at the same step, offline; nothing is sent anywhere."</p>
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

/// The state as tables, for people who cannot use the picture.
#[component]
fn StateTable(view: Memo<LabView>) -> impl IntoView {
    // Closed by default: build the tables only while someone reads them.
    let open = RwSignal::new(false);
    view! {
        <details class="state-table panel" on:toggle=move |ev| {
            open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open());
        }>
            <summary>"The state as tables"</summary>
            {move || open.get().then(|| view.with(|v| {
                let w = &v.world;
                let allocs = w.allocations.iter().map(|a| view! {
                    <tr><td>{format!("alloc-{}", a.id)}</td><td>{artifact_name(a.artifact)}</td><td>{a.env.name()}</td>
                        <td>{a.place.label()}</td><td>{a.life.name()}</td><td>{if a.healthy { "yes" } else { "no" }}</td>
                        <td>{w.session_count(a.id)}</td></tr>
                }).collect_view();
                let sessions = w.sessions.iter().map(|s| view! {
                    <tr><td>{format!("session-{}", s.id)}</td><td>{format!("alloc-{}", s.allocation)}</td><td>{humanize(&format!("{:?}", s.notice))}</td></tr>
                }).collect_view();
                let requests = w.requests.iter().map(|r| view! {
                    <tr><td>{format!("req-{}", r.id)}</td><td>{r.kind.name()}</td><td>{if r.idempotency_key { "yes" } else { "no" }}</td>
                        <td>{if r.retry { "provider retry" } else { "first" }}</td><td>{humanize(&format!("{:?}", r.outcome))}</td></tr>
                }).collect_view();
                view! {
                    <table><caption>"Allocations"</caption>
                        <thead><tr><th scope="col">"Allocation"</th><th scope="col">"Artifact"</th><th scope="col">"Env"</th><th scope="col">"Region/cell"</th><th scope="col">"Lifecycle"</th><th scope="col">"Healthy"</th><th scope="col">"Sessions"</th></tr></thead>
                        <tbody>{allocs}</tbody></table>
                    <table><caption>"Sessions"</caption>
                        <thead><tr><th scope="col">"Session"</th><th scope="col">"Attached to"</th><th scope="col">"Told"</th></tr></thead>
                        <tbody>{sessions}</tbody></table>
                    <table><caption>"Requests"</caption>
                        <thead><tr><th scope="col">"Request"</th><th scope="col">"Kind"</th><th scope="col">"Idempotency key"</th><th scope="col">"Sent as"</th><th scope="col">"Outcome"</th></tr></thead>
                        <tbody>{requests}</tbody></table>
                    <p>{format!("Database columns: {}. POST actions applied {} time(s); payments applied {} time(s). Wake: {}.",
                        w.db.column_names().join(", "), w.db.applied[0], w.db.applied[1], Stage::Wake(w.wake).name())}</p>
                }
            }))}
        </details>
    }
}
