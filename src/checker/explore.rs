//! The breadth-first explorer. Level by level, so the first state found to
//! break a property is one of the nearest to an initial state; parent links,
//! so any state's path of actions can be rebuilt; a budget per call, so a page
//! can run it a few milliseconds at a time.

use super::seen::Seen;
use super::{Expectation, Model, Property};
use std::mem;

/// How a state was reached: from an initial state, by actions.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Path<A> {
    /// Index into [`Model::init_states`].
    pub init: usize,
    /// The actions taken from that initial state, in order.
    pub actions: Vec<A>,
}

impl<A> Path<A> {
    /// Number of actions.
    pub fn depth(&self) -> usize {
        self.actions.len()
    }

    /// Every state along the path, the initial one first; `None` if the model
    /// has no such initial state or refuses one of the actions.
    pub fn replay<M: Model<Action = A>>(&self, model: &M) -> Option<Vec<M::State>> {
        let mut state = model.init_states().into_iter().nth(self.init)?;
        let mut states = Vec::with_capacity(self.actions.len() + 1);
        for action in &self.actions {
            let after = model.next_state(&state, action)?;
            states.push(mem::replace(&mut state, after));
        }
        states.push(state);
        Some(states)
    }
}

/// An `Always` property broken at the end of `path`, a shortest such path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counterexample<A> {
    pub property: &'static str,
    pub path: Path<A>,
}

/// How far a finished search reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Coverage {
    /// Every reachable state was explored: the verdicts hold for the whole system.
    Complete,
    /// Every state within `max_depth` actions was explored; states at that
    /// depth were not expanded, so deeper ones may exist.
    DepthBound,
    /// Stopped at `max_states` distinct states. Every level before the last
    /// one was explored in full.
    StateBound,
}

/// What [`Checker::run`] returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status<A> {
    /// The budget is spent and work is left: call `run` again.
    Running,
    /// An `Always` property broke; the search stopped there for good.
    Violated(Counterexample<A>),
    /// Nothing is left to explore within the bounds; no `Always` property broke.
    Done(Coverage),
}

/// One property's result so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome<A> {
    /// `Always`: false at the end of this (shortest) path.
    Counterexample(Path<A>),
    /// `Sometimes`: true at the end of this (shortest) path.
    Witness(Path<A>),
    /// `Always`: true in every state explored so far.
    NotBroken,
    /// `Sometimes`: false in every state explored so far (once the search is
    /// done, within its [`Coverage`]).
    NeverSeen,
}

/// A property and its [`Outcome`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict<A> {
    pub name: &'static str,
    pub expectation: Expectation,
    pub outcome: Outcome<A>,
}

/// Figures for a progress line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Distinct abstract states seen (initial ones included).
    pub distinct_states: usize,
    /// `states_per_depth[d]`: distinct states first reached after `d` actions.
    pub states_per_depth: Vec<usize>,
    /// The deepest level with a state seen so far.
    pub depth: usize,
    /// States seen but not yet expanded.
    pub frontier: usize,
    /// Actions taken that led somewhere (`next_state` gave `Some`), into new
    /// or already seen states.
    pub transitions: u64,
}

/// How a stored state was reached: enough to rebuild its [`Path`].
enum Link<A> {
    Init(usize),
    /// Parent's index in `Checker::links`, and the action from it.
    Step(usize, A),
}

/// A resumable breadth-first search of a [`Model`]'s states.
///
/// States are deduplicated by the 64-bit [`fingerprint`](super::fingerprint)
/// of their [`Model::abstraction`]; two distinct abstractions sharing one
/// fingerprint would be merged, which for a million states has a chance of
/// about 1 in 30 million.
pub struct Checker<M: Model> {
    model: M,
    properties: Vec<Property<M>>,
    max_depth: usize,
    max_states: usize,
    started: bool,
    /// States at `depth`, each with its index in `links`; those from
    /// `cursor` on are still to expand.
    frontier: Vec<(M::State, usize)>,
    cursor: usize,
    /// States at `depth + 1`, expanded after `frontier`.
    next: Vec<(M::State, usize)>,
    depth: usize,
    /// Only states that will be expanded are linked: the path to any other
    /// is its parent's path and one action, built when it is needed.
    links: Vec<Link<M::Action>>,
    seen: Seen,
    per_depth: Vec<usize>,
    transitions: u64,
    /// A state at `max_depth` was seen, so the search stops short of the end.
    cut_by_depth: bool,
    /// Per property: its counterexample or witness.
    found: Vec<Option<Path<M::Action>>>,
    end: Option<Status<M::Action>>,
    /// Reused for each state's enabled actions.
    scratch: Vec<M::Action>,
}

impl<M: Model> Checker<M> {
    /// A search of `model` that expands states reached in fewer than
    /// `max_depth` actions (so paths have at most `max_depth` actions).
    pub fn new(model: M, max_depth: usize) -> Self {
        let properties = model.properties();
        Checker {
            found: vec![None; properties.len()],
            properties,
            model,
            max_depth,
            max_states: usize::MAX,
            started: false,
            frontier: Vec::new(),
            cursor: 0,
            next: Vec::new(),
            depth: 0,
            links: Vec::new(),
            seen: Seen::default(),
            per_depth: Vec::new(),
            transitions: 0,
            cut_by_depth: false,
            end: None,
            scratch: Vec::new(),
        }
    }

    /// Stops once `max_states` distinct states have been seen.
    pub fn max_states(mut self, max_states: usize) -> Self {
        self.max_states = max_states;
        self
    }

    pub fn model(&self) -> &M {
        &self.model
    }

    pub fn properties(&self) -> &[Property<M>] {
        &self.properties
    }

    /// Explores at most `budget` states (each: its enabled actions, their
    /// successors, the properties on every new one), then says where it stands.
    /// Once it has returned `Violated` or `Done`, it returns the same again.
    pub fn run(&mut self, budget: usize) -> Status<M::Action> {
        if !self.started {
            self.started = true;
            self.seed();
        }
        let mut expanded = 0;
        while self.end.is_none() && expanded < budget {
            if self.cursor == self.frontier.len() {
                if self.next.is_empty() {
                    let coverage = if self.cut_by_depth {
                        Coverage::DepthBound
                    } else {
                        Coverage::Complete
                    };
                    self.end = Some(Status::Done(coverage));
                } else {
                    // The next level becomes the frontier; the old one's memory is reused.
                    mem::swap(&mut self.frontier, &mut self.next);
                    self.next.clear();
                    self.cursor = 0;
                    self.depth += 1;
                }
                continue;
            }
            // Out of `self` while its states are expanded in place (expanding
            // adds to `next` only).
            let frontier = mem::take(&mut self.frontier);
            while self.end.is_none() && expanded < budget && self.cursor < frontier.len() {
                let (state, node) = &frontier[self.cursor];
                self.cursor += 1;
                expanded += 1;
                self.expand(state, *node);
            }
            self.frontier = frontier;
        }
        self.status()
    }

    /// Runs until `Violated` or `Done` (for tests, benches and small models).
    pub fn run_to_end(&mut self) -> Status<M::Action> {
        loop {
            match self.run(4096) {
                Status::Running => continue,
                end => return end,
            }
        }
    }

    /// Where the search stands, without exploring.
    pub fn status(&self) -> Status<M::Action> {
        self.end.clone().unwrap_or(Status::Running)
    }

    pub fn progress(&self) -> Progress {
        Progress {
            distinct_states: self.seen.len(),
            states_per_depth: self.per_depth.clone(),
            depth: self.per_depth.len().saturating_sub(1),
            frontier: self.frontier.len() - self.cursor + self.next.len(),
            transitions: self.transitions,
        }
    }

    /// Every property, in the model's order, with what was found so far.
    pub fn verdicts(&self) -> Vec<Verdict<M::Action>> {
        self.properties
            .iter()
            .zip(&self.found)
            .map(|(p, found)| Verdict {
                name: p.name,
                expectation: p.expectation,
                outcome: match (p.expectation, found.clone()) {
                    (Expectation::Always, Some(path)) => Outcome::Counterexample(path),
                    (Expectation::Sometimes, Some(path)) => Outcome::Witness(path),
                    (Expectation::Always, None) => Outcome::NotBroken,
                    (Expectation::Sometimes, None) => Outcome::NeverSeen,
                },
            })
            .collect()
    }

    fn seed(&mut self) {
        for (i, state) in self.model.init_states().into_iter().enumerate() {
            if self.end.is_some() {
                return;
            }
            let link = Link::Init(i);
            let fp = self.model.fingerprint(&state);
            if self.discover(&state, fp, link, 0) {
                self.frontier.append(&mut self.next);
            }
        }
    }

    fn expand(&mut self, state: &M::State, node: usize) {
        let mut actions = mem::take(&mut self.scratch);
        actions.clear();
        self.model.actions(state, &mut actions);
        // One successor waits while the next one is built (in the other of
        // two buffers), its seen-set slot fetched meanwhile: the look-up then
        // rarely waits for memory. They are discovered (and counted) in the
        // order they were built.
        let mut built = [state.clone(), state.clone()];
        let mut at = 0;
        let mut waiting: Option<(u64, M::Action)> = None;
        for action in actions.drain(..) {
            if !self.model.next_state_into(state, &action, &mut built[at]) {
                continue;
            }
            let fp = self.model.fingerprint(&built[at]);
            self.seen.prefetch(fp);
            at ^= 1;
            if let Some((fp, action)) = waiting.replace((fp, action)) {
                self.transitions += 1;
                self.discover(&built[at], fp, Link::Step(node, action), self.depth + 1);
                if self.end.is_some() {
                    break;
                }
            }
        }
        if let (Some((fp, action)), None) = (waiting, &self.end) {
            self.transitions += 1;
            self.discover(&built[at ^ 1], fp, Link::Step(node, action), self.depth + 1);
        }
        self.scratch = actions;
    }

    /// Records `state` (whose abstraction has fingerprint `fp`) if it is new:
    /// checks the properties on it and queues it in `next` if it is to be
    /// expanded. Returns whether queued.
    fn discover(&mut self, state: &M::State, fp: u64, link: Link<M::Action>, depth: usize) -> bool {
        if !self.seen.insert(fp) {
            return false;
        }
        if self.per_depth.len() <= depth {
            self.per_depth.resize(depth + 1, 0);
        }
        self.per_depth[depth] += 1;
        self.check(state, &link);
        if self.end.is_none() && self.seen.len() >= self.max_states {
            self.end = Some(Status::Done(Coverage::StateBound));
        }
        if self.end.is_some() {
            return false;
        }
        if depth >= self.max_depth {
            self.cut_by_depth = true;
            return false;
        }
        self.next.push((state.clone(), self.links.len()));
        self.links.push(link);
        true
    }

    /// Evaluates every unsettled property on a new state; the first broken
    /// `Always` ends the search.
    fn check(&mut self, state: &M::State, link: &Link<M::Action>) {
        for i in 0..self.properties.len() {
            if self.found[i].is_some() {
                continue;
            }
            let p = self.properties[i];
            let holds = (p.condition)(&self.model, state);
            match p.expectation {
                Expectation::Always if !holds => {
                    let path = self.path(link);
                    self.found[i] = Some(path.clone());
                    self.end = Some(Status::Violated(Counterexample {
                        property: p.name,
                        path,
                    }));
                    return;
                }
                Expectation::Sometimes if holds => self.found[i] = Some(self.path(link)),
                _ => {}
            }
        }
    }

    fn path<'a>(&'a self, mut link: &'a Link<M::Action>) -> Path<M::Action> {
        let mut actions = Vec::new();
        loop {
            match link {
                Link::Init(init) => {
                    actions.reverse();
                    return Path {
                        init: *init,
                        actions,
                    };
                }
                Link::Step(parent, action) => {
                    actions.push(action.clone());
                    link = &self.links[*parent];
                }
            }
        }
    }
}
