//! Lifecycle diagrams: each operation kind's state machine, drawn from the
//! simulator's own transition table (`sim::lifecycle`), and for each state the
//! drills that pass through it (found by playing them, not by listing them).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use super::walk::{lab_policy, walk};
use crate::sim::drill::drills;
use crate::sim::lifecycle::{
    stage_name, stages, transitions, Move3, Transition, ALLOCATION, SESSION,
};
use crate::sim::world::{OpKind, SessionState, World};

/// The side state of an operation waiting at a gate for an acknowledgement.
pub const BLOCKED: &str = "blocked";
/// The failure exit every unfinished stage has.
pub const FAILED: &str = "failed";

/// One lifecycle as a diagram shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagram {
    pub kind: OpKind,
    /// The happy path, in order.
    pub path: &'static [&'static str],
    /// Happy-path transitions with their gates, as the model's table has them.
    pub edges: Vec<Transition>,
    /// Stages an operator's acknowledgement can hold up (cold changes).
    pub can_block: bool,
}

impl Diagram {
    pub fn title(&self) -> &'static str {
        match self.kind {
            OpKind::Deploy => "Deploy",
            OpKind::Promote => "Promotion",
            OpKind::Rollback => "Rollback",
            OpKind::Migrate => "Migration (expand / contract)",
            OpKind::Restore => "Database restore",
            OpKind::Wake => "Wake (scale to zero)",
            OpKind::HostDrain => "Host drain / OS upgrade",
            OpKind::RegionEnable => "Region enablement",
            OpKind::Failover => "Failover",
        }
    }

    /// A stable slug for links: the model's operation word.
    pub fn slug(&self) -> &'static str {
        self.kind.word()
    }

    /// Every state: the path, then the side exits.
    pub fn states(&self) -> Vec<&'static str> {
        let mut s: Vec<&'static str> = self.path.to_vec();
        if self.can_block {
            s.push(BLOCKED);
        }
        s.push(FAILED);
        s
    }
}

/// Every lifecycle of the model, in the order a learner meets them.
pub fn diagrams() -> Vec<Diagram> {
    OpKind::ALL
        .iter()
        .map(|&kind| Diagram {
            kind,
            path: stages(kind),
            edges: transitions(kind),
            can_block: matches!(kind, OpKind::Deploy | OpKind::Promote | OpKind::Rollback),
        })
        .collect()
}

pub fn diagram(slug: &str) -> Option<Diagram> {
    diagrams().into_iter().find(|d| d.slug() == slug)
}

/// The states an operation shows in a world.
fn states_in(w: &World) -> impl Iterator<Item = (OpKind, &'static str)> + '_ {
    w.ops.iter().filter(|o| o.used).map(|o| {
        let name = if o.needs_ack && !o.acked {
            BLOCKED
        } else {
            stage_name(o.kind, o.stage)
        };
        (o.kind, name)
    })
}

/// For each (kind, state), the drills that pass through it under the policy
/// each drill is written for (anti-pattern drills with their switch on).
pub fn drills_through() -> &'static BTreeMap<(OpKind, &'static str), BTreeSet<String>> {
    static INDEX: OnceLock<BTreeMap<(OpKind, &'static str), BTreeSet<String>>> = OnceLock::new();
    INDEX.get_or_init(|| index_states(|w| states_in(w).collect()))
}

/// Plays every drill and notes, for each key `seen` reports in a world it
/// passes through (the start and after each action), the drill's slug.
fn index_states<K: Ord>(seen: impl Fn(&World) -> Vec<K>) -> BTreeMap<K, BTreeSet<String>> {
    let mut index: BTreeMap<K, BTreeSet<String>> = BTreeMap::new();
    for d in drills() {
        let mut note = |w: &World| {
            for key in seen(w) {
                index.entry(key).or_default().insert(d.slug.clone());
            }
        };
        let start = walk(&d, lab_policy(&d), |m| {
            if let Some(w) = m.after {
                note(w);
            }
        });
        if let Some(w) = start {
            note(&w);
        }
    }
    index
}

/// The drills that pass through `state` of `kind`, by slug.
pub fn drills_at(kind: OpKind, state: &str) -> Vec<String> {
    drills_through()
        .iter()
        .filter(|((k, s), _)| *k == kind && *s == state)
        .flat_map(|(_, d)| d.iter().cloned())
        .collect()
}

/// An object's lifecycle (an allocation, a session): states and the moves
/// between them, drawn from the model's own table (`sim::lifecycle`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectDiagram {
    pub slug: &'static str,
    pub title: &'static str,
    /// Every state, in the order the table first names it.
    pub states: Vec<&'static str>,
    /// The model's transition table, row by row.
    pub moves: &'static [Move3],
}

/// One drawn arrow: every row of the table from one state to another
/// (1-based row numbers, as the text table numbers them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arc {
    pub from: usize,
    pub to: usize,
    pub rows: Vec<usize>,
}

impl ObjectDiagram {
    fn new(slug: &'static str, title: &'static str, moves: &'static [Move3]) -> ObjectDiagram {
        let mut states: Vec<&'static str> = Vec::new();
        for m in moves {
            for s in [m.from, m.to] {
                if !states.contains(&s) {
                    states.push(s);
                }
            }
        }
        ObjectDiagram {
            slug,
            title,
            states,
            moves,
        }
    }

    fn state_index(&self, s: &str) -> usize {
        self.states.iter().position(|x| *x == s).unwrap_or(0)
    }

    /// The arrows: rows with the same two ends share one.
    pub fn arcs(&self) -> Vec<Arc> {
        let mut arcs: Vec<Arc> = Vec::new();
        for (i, m) in self.moves.iter().enumerate() {
            let (from, to) = (self.state_index(m.from), self.state_index(m.to));
            match arcs.iter_mut().find(|a| a.from == from && a.to == to) {
                Some(a) => a.rows.push(i + 1),
                None => arcs.push(Arc {
                    from,
                    to,
                    rows: vec![i + 1],
                }),
            }
        }
        arcs
    }
}

/// The allocation and session lifecycles.
pub fn object_diagrams() -> Vec<ObjectDiagram> {
    vec![
        ObjectDiagram::new("allocation", "Allocation", ALLOCATION),
        ObjectDiagram::new("session", "Session", SESSION),
    ]
}

pub fn object_diagram(slug: &str) -> Option<ObjectDiagram> {
    object_diagrams().into_iter().find(|d| d.slug == slug)
}

/// The object states a world shows: every allocation in use and every session.
fn objects_in(w: &World) -> Vec<(&'static str, &'static str)> {
    let allocs = w
        .allocs
        .iter()
        .filter(|a| a.used)
        .map(|a| ("allocation", a.state.name()));
    let sessions = w
        .sessions
        .iter()
        .filter(|s| s.state != SessionState::None)
        .map(|s| ("session", s.state.name()));
    allocs.chain(sessions).collect()
}

/// The drills that pass through `state` of the object lifecycle `slug`.
pub fn drills_at_object(slug: &str, state: &str) -> Vec<String> {
    static INDEX: OnceLock<BTreeMap<(&'static str, &'static str), BTreeSet<String>>> =
        OnceLock::new();
    INDEX
        .get_or_init(|| index_states(objects_in))
        .iter()
        .filter(|((o, s), _)| *o == slug && *s == state)
        .flat_map(|(_, d)| d.iter().cloned())
        .collect()
}
