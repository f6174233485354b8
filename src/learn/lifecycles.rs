//! Lifecycle diagrams: each operation kind's state machine, drawn from the
//! simulator's own transition table (`sim::lifecycle`), and for each state the
//! drills that pass through it (found by playing them, not by listing them).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use crate::sim::drill::{drills, start_world};
use crate::sim::lifecycle::{stage_name, stages, transitions, Transition};
use crate::sim::world::{OpKind, World};
use crate::sim::{parse_action, step, Policy};

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
    INDEX.get_or_init(|| {
        let mut index: BTreeMap<(OpKind, &'static str), BTreeSet<String>> = BTreeMap::new();
        for d in drills() {
            let Ok(mut w) = start_world(&d) else { continue };
            let policy = crate::sim::drill::switch_policy(&d).unwrap_or_else(|_| Policy::correct());
            let mut note = |w: &World| {
                for key in states_in(w) {
                    index.entry(key).or_default().insert(d.slug.clone());
                }
            };
            note(&w);
            for line in &d.steps {
                let Ok(actions) = parse_action(&w, line) else {
                    break;
                };
                for a in actions {
                    if let Ok(next) = step(&w, &a, policy) {
                        w = next.world;
                        note(&w);
                    }
                }
            }
        }
        index
    })
}

/// The drills that pass through `state` of `kind`, by slug.
pub fn drills_at(kind: OpKind, state: &str) -> Vec<String> {
    drills_through()
        .iter()
        .filter(|((k, s), _)| *k == kind && *s == state)
        .flat_map(|(_, d)| d.iter().cloned())
        .collect()
}
