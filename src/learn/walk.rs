//! Plays a drill one action at a time and shows each moment to a visitor:
//! the drills are the evidence the learning pages point at (a decision lab's
//! situation, the states a lifecycle passes through, a trace's steps).

use crate::sim::drill::{start_world, switch_policy, Drill};
use crate::sim::{parse_action, step, Action, Policy, World};

/// One action of a drill as the Lab plays it.
pub struct Moment<'a> {
    /// Index of the drill line this action belongs to: the Lab link
    /// `step=line` opens the drill just before it.
    pub line: usize,
    pub before: &'a World,
    pub action: &'a Action,
    /// The world after it, or `None` when the platform refused it.
    pub after: Option<&'a World>,
}

/// The policy the Lab opens a drill with (an anti-pattern drill has its switch on).
pub fn lab_policy(d: &Drill) -> Policy {
    switch_policy(d).unwrap_or_else(|_| Policy::correct())
}

/// Plays `d` under `policy` from its start world, calling `visit` for every
/// action; returns the start world (or `None` if the drill cannot start).
pub fn walk(d: &Drill, policy: Policy, mut visit: impl FnMut(Moment<'_>)) -> Option<World> {
    let start = start_world(d).ok()?;
    let mut w = start;
    for (line, text) in d.steps.iter().enumerate() {
        let Ok(actions) = parse_action(&w, text) else {
            break;
        };
        for a in &actions {
            match step(&w, a, policy) {
                Ok(next) => {
                    visit(Moment {
                        line,
                        before: &w,
                        action: a,
                        after: Some(&next.world),
                    });
                    w = next.world;
                }
                Err(_) => visit(Moment {
                    line,
                    before: &w,
                    action: a,
                    after: None,
                }),
            }
        }
    }
    Some(start)
}
