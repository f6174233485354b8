//! "Find a failure": the domain-free `checker` over the simulator
//! (`sim::check::SimModel`, the 14 invariants as properties). The search starts at the cursor and
//! uses the moves of the timeline (its operator moves exactly, every other
//! kind over every object) plus the platform's own moves, so it explores
//! every interleaving of what the drill does — shortest first.

use crate::checker::{Checker, Coverage, Status};
use crate::sim::check::{Alphabet, SimModel};
use crate::sim::{Action, Policy, Who, INVARIANTS};

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
}

/// The alphabet of a session: the timeline's operator moves exactly, and
/// every other kind it uses, plus the platform's own moves.
pub fn alphabet(s: &LabSession) -> Alphabet {
    let mut a = Alphabet::platform();
    for act in s.timeline.actions() {
        // Operator moves and webhooks are not enumerated per object by the sim.
        if act.who() == Who::Operator || matches!(act, Action::ClientWebhook { .. }) {
            if !a.exact.contains(act) {
                a.exact.push(*act);
            }
        } else {
            a.kinds |= 1 << act.kind_index();
        }
    }
    a
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
                let advice = match switch.map(|sw| drill_for_card(sw.card_slug())) {
                    None => "The platform is built correctly here: switch on an anti-pattern to see what it breaks.".to_string(),
                    Some(Some(d)) => format!("With this switch on, the moves of this timeline do not break an invariant from this step: try from an earlier step, or the drill “{}”, made for this switch.", d.title),
                    Some(None) => "With this switch on, the moves of this timeline do not break an invariant from this step: try from an earlier step, or a drill made for this switch.".to_string(),
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
