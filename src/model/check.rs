//! Breadth-first model checker: the shortest action sequence that breaks an
//! invariant, or proof that none exists up to a depth. Resumable in slices so the
//! browser can run it a few milliseconds at a time; it never reads a clock.

use super::action::{menu, Action};
use super::hash::{fingerprint, FingerprintBuild};
use super::invariant::{check, Violation};
use super::narrate::Say;
use super::policy::Policy;
use super::step::apply;
use super::world::World;
use serde::Serialize;
use std::collections::{HashSet, VecDeque};

/// A shortest failing run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Counterexample {
    pub actions: Vec<Action>,
    pub violation: Violation,
    pub explored: usize,
    pub depth: usize,
}

/// Where a search stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum CheckStatus {
    /// Call `run_slice` again.
    Running { explored: usize, depth: usize },
    /// An invariant broke; `actions` replays through `step` to `violation`.
    Found(Counterexample),
    /// Every state up to `depth` actions was explored; nothing broke.
    Exhausted { explored: usize, depth: usize },
}

const ROOT: u32 = u32::MAX;

/// The search. Distinct states are deduplicated by a 64-bit fingerprint.
pub struct Explorer {
    policy: Policy,
    max_depth: usize,
    /// States at `depth` still to expand, with their node in the path tree.
    frontier: VecDeque<(World, u32)>,
    /// States at `depth + 1`.
    next: Vec<(World, u32)>,
    depth: usize,
    /// Path tree: (parent node, action that led here).
    nodes: Vec<(u32, Action)>,
    seen: HashSet<u64, FingerprintBuild>,
    explored: usize,
    transitions: usize,
    done: Option<CheckStatus>,
}

impl Explorer {
    /// Searches from `start` under `policy`, up to `max_depth` actions.
    pub fn new(start: World, policy: Policy, max_depth: usize) -> Explorer {
        let mut seen = HashSet::with_hasher(FingerprintBuild::default());
        seen.insert(fingerprint(&start));
        let mut frontier = VecDeque::new();
        frontier.push_back((start, ROOT));
        Explorer {
            policy,
            max_depth,
            frontier,
            next: Vec::new(),
            depth: 0,
            nodes: Vec::new(),
            seen,
            explored: 1,
            transitions: 0,
            done: None,
        }
    }

    /// Distinct states seen so far.
    pub fn explored(&self) -> usize {
        self.explored
    }

    /// Successful transitions tried so far (including ones into known states).
    pub fn transitions(&self) -> usize {
        self.transitions
    }

    fn path(&self, mut node: u32) -> Vec<Action> {
        let mut out = Vec::new();
        while node != ROOT {
            let (parent, a) = self.nodes[node as usize];
            out.push(a);
            node = parent;
        }
        out.reverse();
        out
    }

    /// Explores about `max_states` new states (at least one expansion), then reports.
    pub fn run_slice(&mut self, max_states: usize) -> CheckStatus {
        if let Some(done) = &self.done {
            return done.clone();
        }
        let budget_end = self.explored.saturating_add(max_states.max(1));
        let mut say = Say::off();
        while self.explored < budget_end {
            let Some((world, node)) = self.frontier.pop_front() else {
                if self.next.is_empty() {
                    // Every successor of the last level was checked.
                    let depth = (self.depth + 1).min(self.max_depth);
                    let status = CheckStatus::Exhausted {
                        explored: self.explored,
                        depth,
                    };
                    self.done = Some(status.clone());
                    return status;
                }
                self.frontier = std::mem::take(&mut self.next).into();
                self.depth += 1;
                continue;
            };
            if self.depth >= self.max_depth {
                continue;
            }
            for action in menu(&world) {
                let Ok(after) = apply(&world, &action, &self.policy, &mut say) else {
                    continue;
                };
                self.transitions += 1;
                let violations = check(&world, &action, &after);
                if let Some(violation) = violations.into_iter().next() {
                    let mut actions = self.path(node);
                    actions.push(action);
                    let found = Counterexample {
                        depth: actions.len(),
                        actions,
                        violation,
                        explored: self.explored,
                    };
                    let status = CheckStatus::Found(found);
                    self.done = Some(status.clone());
                    return status;
                }
                if !self.seen.insert(fingerprint(&after)) {
                    continue;
                }
                self.explored += 1;
                if self.depth + 1 < self.max_depth {
                    let id = self.nodes.len() as u32;
                    self.nodes.push((node, action));
                    self.next.push((after, id));
                }
            }
        }
        CheckStatus::Running {
            explored: self.explored,
            depth: self.depth,
        }
    }

    /// Runs to the end (for tests and benches).
    pub fn run(&mut self) -> CheckStatus {
        loop {
            match self.run_slice(4096) {
                CheckStatus::Running { .. } => continue,
                done => return done,
            }
        }
    }
}
