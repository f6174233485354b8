//! A breadth-first model checker that knows nothing of the domain, shaped like
//! Stateright's: a [`Model`] says which states a system starts in, which actions
//! each state enables and what each action leads to; named [`Property`]s say
//! what must hold in every state ([`Expectation::Always`]) or in some state
//! ([`Expectation::Sometimes`]). The [`Checker`] explores every reachable state
//! level by level, so the first broken property it reports comes with a
//! shortest [`Path`] of actions from an initial state.
//!
//! What it knows: states, actions, a hashable abstraction of each state (what
//! two states must share to count as one), and the bounds it was given. What it
//! does not: anything about routes, epochs, drains or wakes; those live in the
//! model that implements [`Model`]. It is pure std Rust with no clock and no
//! randomness, so the same model is explored in the same order every time, and
//! it runs in slices ([`Checker::run`]) so a page or a worker can stop it
//! between two of them.
//!
//! ```
//! use vango_study_lab::checker::{Checker, Model, Property, Status};
//!
//! /// A counter that may only be incremented up to 3.
//! struct Upto3;
//! impl Model for Upto3 {
//!     type State = u8;
//!     type Action = &'static str;
//!     type Abstract = u8;
//!     fn init_states(&self) -> Vec<u8> { vec![0] }
//!     fn actions(&self, _: &u8, actions: &mut Vec<&'static str>) { actions.push("inc") }
//!     fn next_state(&self, s: &u8, _: &&'static str) -> Option<u8> { (*s < 3).then(|| s + 1) }
//!     fn properties(&self) -> Vec<Property<Self>> {
//!         vec![Property::always("below 2", |_, s| *s < 2)]
//!     }
//!     fn abstraction(&self, s: &u8) -> u8 { *s }
//! }
//!
//! let mut checker = Checker::new(Upto3, 10);
//! let Status::Violated(cex) = checker.run(1_000) else { panic!("2 is reachable") };
//! assert_eq!(cex.property, "below 2");
//! assert_eq!(cex.path.actions, ["inc", "inc"]);
//! assert_eq!(cex.path.replay(checker.model()), Some(vec![0, 1, 2]));
//! ```

mod explore;
mod fingerprint;
mod seen;

pub use explore::{Checker, Counterexample, Coverage, Outcome, Path, Progress, Status, Verdict};
pub use fingerprint::{fingerprint, splitmix64, Fingerprinter};

/// A system to check: its states, the actions between them, and what must hold.
pub trait Model {
    type State: Clone;
    type Action: Clone + std::fmt::Debug;
    /// What the explorer deduplicates on. The model drops logs, ids and view caches and
    /// sorts interchangeable objects here (symmetry reduction).
    type Abstract: std::hash::Hash + Eq;
    fn init_states(&self) -> Vec<Self::State>;
    /// Every action enabled in `state`, appended to `actions`.
    fn actions(&self, state: &Self::State, actions: &mut Vec<Self::Action>);
    /// The state after `action`, or None if the action is refused / changes nothing.
    fn next_state(&self, state: &Self::State, action: &Self::Action) -> Option<Self::State>;
    /// `next_state` written into `out` (true), or false with `out` left in
    /// any state: the explorer builds successors in two buffers it reuses,
    /// so a model with big states can skip the copies of an `Option`.
    fn next_state_into(
        &self,
        state: &Self::State,
        action: &Self::Action,
        out: &mut Self::State,
    ) -> bool {
        match self.next_state(state, action) {
            Some(next) => {
                *out = next;
                true
            }
            None => false,
        }
    }
    fn properties(&self) -> Vec<Property<Self>>
    where
        Self: Sized;
    fn abstraction(&self, state: &Self::State) -> Self::Abstract;
    /// A 64-bit digest of `abstraction(state)`, which the explorer
    /// deduplicates on; by default its [`fingerprint`]. A model may compute
    /// one without building the abstraction (it is taken for every
    /// transition): equal abstractions must give equal digests, and
    /// different ones should differ as surely as with the default.
    fn fingerprint(&self, state: &Self::State) -> u64 {
        fingerprint::fingerprint(&self.abstraction(state))
    }
}

/// Whether a property must hold in every reachable state or in at least one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Expectation {
    /// An invariant: one reachable state where it is false is a counterexample.
    Always,
    /// A reachability goal: one reachable state where it is true is a witness.
    Sometimes,
}

/// A named condition on one state.
///
/// The checker evaluates it once per distinct abstraction, so a condition must
/// give the same answer for any two states with equal [`Model::abstraction`].
/// Inside `vec![…]` the compiler may ask for the closure's parameter types:
/// `|m: &Self, s: &MyState| …`.
pub struct Property<M: Model> {
    pub expectation: Expectation,
    pub name: &'static str,
    pub condition: fn(&M, &M::State) -> bool,
}

impl<M: Model> Property<M> {
    /// `condition` must hold in every reachable state.
    pub fn always(name: &'static str, condition: fn(&M, &M::State) -> bool) -> Self {
        Property {
            expectation: Expectation::Always,
            name,
            condition,
        }
    }

    /// `condition` must hold in at least one reachable state.
    pub fn sometimes(name: &'static str, condition: fn(&M, &M::State) -> bool) -> Self {
        Property {
            expectation: Expectation::Sometimes,
            name,
            condition,
        }
    }
}

// Written by hand: a derive would demand `M: Clone`, and a property is only a
// name and a function pointer.
impl<M: Model> Clone for Property<M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M: Model> Copy for Property<M> {}

impl<M: Model> std::fmt::Debug for Property<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Property")
            .field("expectation", &self.expectation)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}
