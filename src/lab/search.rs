//! "Find a failure": the domain-free `checker` over the simulator
//! (`sim::check::SimModel`, the 14 invariants as properties). The search starts at the cursor and
//! uses the moves of the timeline (its operator moves exactly, every other
//! kind over every object) plus the platform's own moves, so it explores
//! every interleaving of what the drill does — shortest first. With a switch
//! on it also tries the moves of the drills made for that switch, which are
//! the moves that show its harm; every operator move at once would be too
//! many to explore in a second or two.

use crate::checker::{Checker, Coverage, Status};
use crate::sim::check::{Alphabet, SimModel};
use crate::sim::drill::{self, Drill};
use crate::sim::world::WakeState;
use crate::sim::{Action, Policy, Switch, Who, World, INVARIANTS, PRESETS};

use super::{drill_for_card, LabSession};

/// Bounds: deep enough to replay a drill's whole script, small enough for a phone.
pub const MIN_DEPTH: usize = 8;
pub const MAX_DEPTH: usize = 30;
pub const MAX_STATES: usize = 150_000;

/// Where a search stands, as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchStatus {
    Running {
        states: usize,
        depth: usize,
    },
    /// A shortest sequence from the cursor that breaks invariant `invariant`.
    Found {
        invariant: u8,
        name: &'static str,
        actions: Vec<Action>,
        states: usize,
    },
    /// Nothing broke; `why` says how far the search went.
    Nothing {
        states: usize,
        depth: usize,
        why: String,
    },
}

pub struct Search {
    checker: Checker<SimModel>,
    pub max_depth: usize,
    policy: Policy,
    /// The cursor it started from (step 0: no earlier step to try).
    from_step: usize,
}

/// The alphabet of a session: the timeline's operator moves exactly, and
/// every other kind it uses, plus the platform's own moves; with a switch
/// on, the same of every drill made for that switch.
pub fn alphabet(s: &LabSession) -> Alphabet {
    let mut a = Alphabet::platform();
    add_moves(&mut a, s.timeline.actions());
    if let Some(switch) = s.policy.switches().next() {
        let asleep = |w: &World| w.wake == WakeState::Sleeping;
        let here = s.world_now();
        for d in drills_for(switch) {
            if let Ok(theirs) = drill::alphabet(&d) {
                a.kinds |= theirs.kinds;
                for act in theirs.exact {
                    if !a.exact.contains(&act) {
                        a.exact.push(act);
                    }
                }
            }
            // A drill that starts with the app asleep: from an awake world
            // the sessions may close and the app scale to zero, as it falls
            // asleep.
            if drill::start_world(&d).is_ok_and(|w| asleep(&w)) && !asleep(&here) {
                a = a.with_kinds(&["close", "scale-to-zero"]);
            }
        }
    }
    a
}

/// Operator moves and webhooks exactly (the sim does not enumerate them
/// per object); any other move by its kind, over every object.
fn add_moves(a: &mut Alphabet, moves: &[Action]) {
    for act in moves {
        if act.who() == Who::Operator || matches!(act, Action::ClientWebhook { .. }) {
            if !a.exact.contains(act) {
                a.exact.push(*act);
            }
        } else {
            a.kinds |= 1 << act.kind_index();
        }
    }
}

/// Every drill made for `switch`, in the catalogue's order.
fn drills_for(switch: Switch) -> Vec<Drill> {
    drill::drills()
        .into_iter()
        .filter(|d| d.switch.as_deref() == Some(switch.card_slug()))
        .collect()
}

impl Search {
    /// A search from the session's cursor under its policy.
    pub fn new(s: &LabSession) -> Search {
        let start = s.world_now();
        let remaining = s.timeline.len() - s.timeline.cursor();
        let max_depth = (remaining + 2).clamp(MIN_DEPTH, MAX_DEPTH);
        let model = SimModel::new(start, s.policy, alphabet(s));
        Search {
            checker: Checker::new(model, max_depth).max_states(MAX_STATES),
            max_depth,
            policy: s.policy,
            from_step: s.timeline.cursor(),
        }
    }

    /// Explores at most `budget` states, then says where it stands.
    pub fn run(&mut self, budget: usize) -> SearchStatus {
        let status = self.checker.run(budget);
        let progress = self.checker.progress();
        let states = progress.distinct_states;
        match status {
            Status::Running => SearchStatus::Running {
                states,
                depth: progress.depth,
            },
            Status::Violated(ce) => {
                let id = INVARIANTS
                    .iter()
                    .find(|i| i.name == ce.property)
                    .map_or(0, |i| i.id);
                SearchStatus::Found {
                    invariant: id,
                    name: ce.property,
                    actions: ce.path.actions,
                    states,
                }
            }
            Status::Done(coverage) => {
                let reach = match coverage {
                    Coverage::Complete => format!(
                        "every state these moves can reach was explored ({states} states)"
                    ),
                    Coverage::DepthBound => format!(
                        "every sequence of up to {} moves was explored ({states} states); longer ones were not",
                        self.max_depth
                    ),
                    Coverage::StateBound => format!(
                        "the search stopped at its bound of {MAX_STATES} states, at depth {}",
                        progress.depth
                    ),
                };
                // Asked only when nothing is found: which drill shows the switch.
                let switch = self.policy.switches().next();
                let try_ = if self.from_step > 0 {
                    "Try from an earlier step, or"
                } else {
                    "Try"
                };
                let advice = match switch.map(|sw| drill_for_card(sw.card_slug())) {
                    None => "The platform is built correctly here: switch on an anti-pattern to see what it breaks.".to_string(),
                    Some(Some(d)) => {
                        let start = PRESETS
                            .iter()
                            .find(|(name, _)| *name == d.start)
                            .map_or(".".to_string(), |(name, what)| format!(", from “{name}”: {what}"));
                        format!("With this switch on, neither this timeline's moves nor those of the drill “{}”, made for this switch, break an invariant that soon from this step. {try_} that drill: it starts a few moves from the harm{start}", d.title)
                    }
                    Some(None) => format!("With this switch on, the moves of this timeline do not break an invariant from this step. {try_} a drill made for this switch."),
                };
                SearchStatus::Nothing {
                    states,
                    depth: progress.depth,
                    why: format!("Nothing breaks: {reach}. {advice}"),
                }
            }
        }
    }

    /// Runs to the end (tests).
    pub fn run_to_end(&mut self) -> SearchStatus {
        loop {
            match self.run(4096) {
                SearchStatus::Running { .. } => continue,
                end => return end,
            }
        }
    }
}
