//! What the learning pages and the Lab add to search: lessons, decision
//! labs, lifecycle states, traces and runbook steps, drills, the Lab's moves
//! and invariants — each with the link it opens. Built from data only (no
//! drill is played here), so the search box costs no simulation.

use super::decisions::LABS;
use super::lessons::lessons;
use super::lifecycles::{diagrams, object_diagrams};
use super::walkthroughs::{RUNBOOKS, TRACES};
use crate::content::search::{Entry, Field, Kind};
use crate::route::Route;
use crate::sim::drill::{drills, Drill};
use crate::sim::{ACTION_KINDS, INVARIANTS};

/// Does this drill line perform the move `who name` (`operator ana promote B`
/// is `operator promote`)?
fn line_moves(line: &str, who: &str, name: &str) -> bool {
    let mut words = line.split_whitespace();
    words.next() == Some(who) && words.take(2).any(|w| w == name)
}

/// The first drill line (in file order) that makes a move, as a Lab link
/// opened just before it.
fn first_use(all: &[Drill], who: &str, name: &str) -> Option<Route> {
    all.iter().find_map(|d| {
        d.steps
            .iter()
            .position(|l| line_moves(l, who, name))
            .map(|i| Route::lab_drill(&d.slug, Some(i)))
    })
}

pub fn entries() -> Vec<Entry> {
    let all = drills();
    let mut out = Vec::new();
    for l in lessons() {
        out.push(Entry {
            kind: Kind::Lesson,
            route: Route::Learn {
                lesson: Some(l.slug.clone()),
            },
            name: l.title.clone(),
            fields: vec![
                (Field::Summary, l.outcome.clone()),
                (Field::Text, l.reading.clone()),
            ],
        });
    }
    for lab in LABS {
        let mut fields = vec![(Field::Summary, lab.question.to_string())];
        fields.extend(
            lab.inputs
                .iter()
                .map(|i| (Field::Text, i.label.to_string())),
        );
        fields.extend(
            lab.outcomes
                .iter()
                .map(|o| (Field::Text, format!("{}: {}", o.label, o.why))),
        );
        out.push(Entry {
            kind: Kind::DecisionLab,
            route: Route::Decisions {
                lab: Some(lab.slug.to_string()),
            },
            name: lab.title.to_string(),
            fields,
        });
    }
    for d in diagrams() {
        let mut fields: Vec<(Field, String)> = d
            .states()
            .iter()
            .map(|s| (Field::State, s.replace('_', " ")))
            .collect();
        fields.extend(d.edges.iter().map(|e| (Field::Text, e.gate.to_string())));
        out.push(Entry {
            kind: Kind::Lifecycle,
            route: Route::Lifecycles {
                kind: Some(d.slug().to_string()),
            },
            name: format!("{} lifecycle", d.title()),
            fields,
        });
    }
    for d in object_diagrams() {
        let mut fields: Vec<(Field, String)> = d
            .states
            .iter()
            .map(|s| (Field::State, s.to_string()))
            .collect();
        fields.extend(d.moves.iter().map(|m| {
            (
                Field::Text,
                format!("{} → {} on {}: {}", m.from, m.to, m.event, m.gate),
            )
        }));
        out.push(Entry {
            kind: Kind::Lifecycle,
            route: Route::Lifecycles {
                kind: Some(d.slug.to_string()),
            },
            name: format!("{} lifecycle", d.title),
            fields,
        });
    }
    for w in TRACES.iter().chain(RUNBOOKS) {
        let (kind, route) = match w.kind {
            super::walkthroughs::WalkKind::Trace => (
                Kind::Trace,
                Route::Traces {
                    trace: Some(w.slug.to_string()),
                },
            ),
            super::walkthroughs::WalkKind::Runbook => (
                Kind::Runbook,
                Route::Runbooks {
                    runbook: Some(w.slug.to_string()),
                },
            ),
        };
        let mut fields = Vec::new();
        for d in all.iter().filter(|d| w.drills.contains(&d.slug.as_str())) {
            fields.push((Field::Summary, d.teaches.clone()));
            fields.extend(d.steps.iter().map(|s| (Field::Step, s.clone())));
        }
        out.push(Entry {
            kind,
            route,
            name: w.title.to_string(),
            fields,
        });
    }
    for d in &all {
        out.push(Entry {
            kind: Kind::Drill,
            route: Route::lab_drill(&d.slug, None),
            name: d.title.clone(),
            fields: vec![(Field::Summary, d.teaches.clone())],
        });
    }
    for k in ACTION_KINDS {
        let who = k.who.word();
        let Some(route) = first_use(&all, who, k.name) else {
            continue;
        };
        out.push(Entry {
            kind: Kind::Action,
            route,
            name: k.label.to_string(),
            fields: vec![
                (
                    Field::Step,
                    format!("{who} {} {}", k.name, k.args)
                        .trim_end()
                        .to_string(),
                ),
                (Field::Summary, k.help.to_string()),
            ],
        });
    }
    for i in &INVARIANTS {
        // Where it breaks: the anti-pattern drill that breaks it, with its switch on.
        let route = all
            .iter()
            .find(|d| d.breaks == Some(i.id))
            .map_or(Route::CheatSheet, |d| Route::lab_drill(&d.slug, None));
        out.push(Entry {
            kind: Kind::Invariant,
            route,
            name: format!("Invariant {}: {}", i.id, i.name),
            fields: Vec::new(),
        });
    }
    out
}
