//! The trace: the session's steps as swim lanes. One row per step, one lane
//! per actor and per kind of object (the operator, the control plane, the
//! workers, NATS, each POP of the world, the allocations, the clients, the
//! data, time and faults). Each row says which lane acted and places what the
//! step changed (`sim::diff`) in the lanes of the objects it touched; the
//! steps that broke an invariant say which. Sent only when the page asks
//! (`LabRequest::Trace`): a `LabView` does not carry it.

use serde::{Deserialize, Serialize};

use super::{first_breaks, without_actor, LabSession, Word};
use crate::sim::diff::{changes, request_kind, request_name, Object};
use crate::sim::world::POP_NAMES;
use crate::sim::{format_action, Action, Who, World};

/// A lane: its names and the actors whose moves it shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceLane {
    pub name: Word,
    /// The column's heading.
    pub short: Word,
    /// `Who` words of the actors acting in this lane.
    pub actors: Vec<Word>,
}

/// One change a step made, in the lane of the object it touched.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceEffect {
    pub lane: usize,
    pub text: String,
    /// The held or served request it is about (its number, `req#n`).
    pub request: Option<u8>,
}

/// An invariant a step broke (first broken there).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceBreak {
    pub id: u8,
    pub name: Word,
}

/// One step of the timeline.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceRow {
    /// 1-based: the world after it is step `step`.
    pub step: usize,
    /// The lane that acted.
    pub lane: usize,
    /// The actor's word (`operator`, `pop`, `fault`…).
    pub actor: Word,
    /// The action in the drill vocabulary.
    pub action: String,
    /// The same without the actor's word where its lane says who (a lane of
    /// one actor).
    pub label: String,
    pub refused: bool,
    /// At or before the cursor; a later step shows only its action.
    pub played: bool,
    pub broke: Vec<TraceBreak>,
    /// What changed from the step before (empty when nothing did, or not played).
    pub effects: Vec<TraceEffect>,
}

/// A request the trace mentions, for its legend.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceRequest {
    pub id: u8,
    pub name: String,
    pub kind: Word,
}

/// The whole trace at the cursor.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceView {
    pub lanes: Vec<TraceLane>,
    pub rows: Vec<TraceRow>,
    /// The cursor.
    pub step: usize,
    /// The first step that broke an invariant, among those played.
    pub breaking: Option<usize>,
    pub requests: Vec<TraceRequest>,
}

/// The lanes in order; POP lanes sit at `FIRST_POP..FIRST_POP + pops`.
const BEFORE_POPS: [(&str, &str, &[Who]); 4] = [
    ("Operator", "Operator", &[Who::Operator]),
    ("Control plane", "Control", &[Who::Control]),
    ("Workers", "Workers", &[Who::Worker]),
    ("NATS (route events)", "NATS", &[]),
];
const AFTER_POPS: [(&str, &str, &[Who]); 4] = [
    (
        "Allocations (runners, hosts, regions)",
        "Allocs",
        &[Who::Runner],
    ),
    (
        "Clients (requests, sessions, payments)",
        "Clients",
        &[Who::Client],
    ),
    ("Data (database, stores)", "Data", &[]),
    ("Time and faults", "Time, faults", &[Who::Time, Who::Fault]),
];
const FIRST_POP: usize = BEFORE_POPS.len();
const OPERATOR: usize = 0;
const CONTROL: usize = 1;
const WORKERS: usize = 2;
const NATS: usize = 3;

/// The lane after the POPs at `i` of `AFTER_POPS`.
fn after(pops: usize, i: usize) -> usize {
    FIRST_POP + pops + i
}

/// One lane per POP of the world, between NATS and the allocations.
pub fn lanes(w: &World) -> Vec<TraceLane> {
    let lane = |(name, short, who): (&'static str, &'static str, &[Who])| TraceLane {
        name: name.into(),
        short: short.into(),
        actors: who.iter().map(|w| w.word().into()).collect(),
    };
    let pops = (0..w.pops.len()).map(|i| TraceLane {
        name: format!("POP {}", POP_NAMES[i]).into(),
        short: POP_NAMES[i].into(),
        actors: vec![Who::Pop.word().into()],
    });
    BEFORE_POPS
        .into_iter()
        .map(lane)
        .chain(pops)
        .chain(AFTER_POPS.into_iter().map(lane))
        .collect()
}

/// The lane of the action's actor (a POP's move in that POP's lane).
pub fn acting_lane(w: &World, a: &Action) -> usize {
    let pops = w.pops.len();
    match (a.who(), a) {
        (Who::Operator, _) => OPERATOR,
        (Who::Control, _) => CONTROL,
        (Who::Worker, _) => WORKERS,
        (Who::Pop, Action::PopConsume { pop } | Action::PopSnapshot { pop }) => {
            FIRST_POP + *pop as usize
        }
        (Who::Pop, _) => FIRST_POP,
        (Who::Runner, _) => after(pops, 0),
        (Who::Client, _) => after(pops, 1),
        (Who::Time | Who::Fault, _) => after(pops, 3),
    }
}

/// The lane where a change to `object` shows.
fn object_lane(w: &World, object: Object) -> usize {
    let pops = w.pops.len();
    match object {
        Object::RouteOwner
        | Object::Operation(_)
        | Object::Report(_)
        | Object::Artifact(_)
        | Object::Control => CONTROL,
        Object::Stage(_) => WORKERS,
        Object::Stream => NATS,
        Object::Pop(i) => FIRST_POP + i as usize,
        Object::Region(_) | Object::Host(_) | Object::Alloc(_) | Object::App => after(pops, 0),
        Object::Session(_) | Object::Request(_) | Object::Payment(_) => after(pops, 1),
        Object::Database | Object::Store => after(pops, 2),
        Object::Serving | Object::Clock => after(pops, 3),
    }
}

/// What changed from `before` to `after`, placed in lanes.
pub fn effects(before: &World, after: &World) -> Vec<TraceEffect> {
    changes(before, after)
        .into_iter()
        .map(|c| TraceEffect {
            lane: object_lane(after, c.object),
            request: match c.object {
                Object::Request(r) => Some(r + 1),
                _ => None,
            },
            text: c.text,
        })
        .collect()
}

pub fn trace(s: &LabSession) -> TraceView {
    let (worlds, outcomes) = s.replay();
    let cursor = s.timeline.cursor().min(outcomes.len());
    let (invariants, broke_at_step) = first_breaks(&worlds[..=cursor]);
    let lanes = lanes(&s.world);
    let rows: Vec<TraceRow> = s
        .timeline
        .actions()
        .iter()
        .zip(&outcomes)
        .enumerate()
        .map(|(i, (a, outcome))| {
            let played = i < cursor;
            let action = format_action(&worlds[i], a);
            let lane = acting_lane(&worlds[i], a);
            TraceRow {
                step: i + 1,
                lane,
                actor: a.who().word().into(),
                label: match lanes[lane].actors.len() {
                    1 => without_actor(&action, a.who()),
                    _ => action.clone(),
                },
                action,
                refused: outcome.is_err(),
                played,
                broke: broke_at_step
                    .get(i)
                    .into_iter()
                    .flatten()
                    .map(|id| TraceBreak {
                        id: *id,
                        name: invariants[*id as usize - 1].name.clone(),
                    })
                    .collect(),
                effects: if played {
                    effects(&worlds[i], &worlds[i + 1])
                } else {
                    Vec::new()
                },
            }
        })
        .collect();
    let now = &worlds[cursor];
    TraceView {
        lanes,
        breaking: rows.iter().find(|r| !r.broke.is_empty()).map(|r| r.step),
        requests: now
            .requests
            .iter()
            .enumerate()
            .filter(|(_, r)| r.used)
            .map(|(i, r)| TraceRequest {
                id: i as u8 + 1,
                name: request_name(i as u8),
                kind: request_kind(r).into(),
            })
            .collect(),
        rows,
        step: cursor,
    }
}
