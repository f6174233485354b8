//! The Lab's timeline: the actions taken, the step shown, and the futures a
//! fork left behind. Generic over the action type so it tests on its own.
//!
//! Stepping back and forward only moves the cursor. Acting at an earlier
//! step forks: the old future is kept as an alternative, never lost. Undo and
//! redo revert and reapply whole edits (an action taken, a future restored).

/// A future that a fork replaced, kept so the learner can go back to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fork<A> {
    /// The step the two futures part at.
    pub at: usize,
    pub future: Vec<A>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Snapshot<A> {
    actions: Vec<A>,
    cursor: usize,
    forks: Vec<Fork<A>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeline<A> {
    actions: Vec<A>,
    cursor: usize,
    forks: Vec<Fork<A>>,
    undo: Vec<Snapshot<A>>,
    redo: Vec<Snapshot<A>>,
}

/// Undo history beyond this is dropped: a lesson never needs more, and it
/// bounds memory in a long projector session.
const MAX_UNDO: usize = 200;

impl<A: Clone + PartialEq> Timeline<A> {
    /// A timeline holding `actions`, shown at `cursor` (clamped to the end).
    pub fn new(actions: Vec<A>, cursor: usize) -> Timeline<A> {
        let cursor = cursor.min(actions.len());
        Timeline {
            actions,
            cursor,
            forks: Vec::new(),
            undo: Vec::new(),
            redo: Vec::new(),
        }
    }

    pub fn actions(&self) -> &[A] {
        &self.actions
    }

    /// The step shown: 0 is the start, `len()` is after the last action.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn len(&self) -> usize {
        self.actions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    pub fn forks(&self) -> &[Fork<A>] {
        &self.forks
    }

    pub fn can_back(&self) -> bool {
        self.cursor > 0
    }

    pub fn can_forward(&self) -> bool {
        self.cursor < self.actions.len()
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// The next action the timeline would replay, if any.
    pub fn next_action(&self) -> Option<&A> {
        self.actions.get(self.cursor)
    }

    pub fn back(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn forward(&mut self) {
        self.cursor = (self.cursor + 1).min(self.actions.len());
    }

    pub fn jump(&mut self, step: usize) {
        self.cursor = step.min(self.actions.len());
    }

    /// Take `action` at the cursor. If it is what the timeline already holds
    /// next, this is just a step forward. Otherwise the rest of the old
    /// future is kept as a fork and the new action becomes the future.
    pub fn act(&mut self, action: A) {
        if self.next_action() == Some(&action) {
            self.forward();
            return;
        }
        self.remember();
        let old_future = self.actions.split_off(self.cursor);
        if !old_future.is_empty() {
            self.forks.push(Fork {
                at: self.cursor,
                future: old_future,
            });
        }
        self.actions.push(action);
        self.cursor += 1;
    }

    /// Replace everything (a counterexample found, a scenario loaded); undoable.
    pub fn replace(&mut self, actions: Vec<A>, cursor: usize) {
        self.remember();
        let old = std::mem::take(&mut self.actions);
        if !old.is_empty() {
            self.forks.push(Fork { at: 0, future: old });
        }
        self.cursor = cursor.min(actions.len());
        self.actions = actions;
    }

    /// Swap the current future from the fork's step with fork `i`'s future.
    pub fn restore_fork(&mut self, i: usize) {
        if i >= self.forks.len() {
            return;
        }
        self.remember();
        let fork = self.forks.remove(i);
        let at = fork.at.min(self.actions.len());
        let current_future = self.actions.split_off(at);
        if !current_future.is_empty() {
            self.forks.push(Fork {
                at,
                future: current_future,
            });
        }
        self.actions.extend(fork.future);
        self.cursor = (at + 1).min(self.actions.len());
    }

    pub fn undo(&mut self) {
        if let Some(prev) = self.undo.pop() {
            let now = self.snapshot();
            self.restore(prev);
            self.redo.push(now);
        }
    }

    pub fn redo(&mut self) {
        if let Some(next) = self.redo.pop() {
            let now = self.snapshot();
            self.restore(next);
            self.undo.push(now);
        }
    }

    fn snapshot(&self) -> Snapshot<A> {
        Snapshot {
            actions: self.actions.clone(),
            cursor: self.cursor,
            forks: self.forks.clone(),
        }
    }

    fn restore(&mut self, s: Snapshot<A>) {
        self.actions = s.actions;
        self.cursor = s.cursor;
        self.forks = s.forks;
    }

    fn remember(&mut self) {
        self.undo.push(self.snapshot());
        if self.undo.len() > MAX_UNDO {
            self.undo.remove(0);
        }
        self.redo.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn stepping_moves_only_the_cursor() {
        let mut t = Timeline::new(vec!['a', 'b', 'c'], 0);
        t.forward();
        t.forward();
        assert_eq!(t.cursor(), 2);
        t.back();
        assert_eq!(t.cursor(), 1);
        t.jump(99);
        assert_eq!(t.cursor(), 3);
        assert!(!t.can_undo(), "moving the cursor is not an edit");
    }

    #[test]
    fn acting_in_the_past_forks_and_keeps_the_old_future() {
        let mut t = Timeline::new(vec!['a', 'b', 'c'], 1);
        t.act('x');
        assert_eq!(t.actions(), &['a', 'x']);
        assert_eq!(
            t.forks(),
            &[Fork {
                at: 1,
                future: vec!['b', 'c']
            }]
        );
        t.restore_fork(0);
        assert_eq!(t.actions(), &['a', 'b', 'c']);
        assert_eq!(
            t.forks(),
            &[Fork {
                at: 1,
                future: vec!['x']
            }]
        );
    }

    #[test]
    fn acting_what_comes_next_is_a_step_forward() {
        let mut t = Timeline::new(vec!['a', 'b'], 0);
        t.act('a');
        assert_eq!((t.cursor(), t.len(), t.forks().len()), (1, 2, 0));
    }

    #[test]
    fn undo_and_redo_revert_whole_edits() {
        let mut t = Timeline::new(vec!['a', 'b'], 1);
        t.act('x');
        t.undo();
        assert_eq!((t.actions(), t.cursor()), (&['a', 'b'][..], 1));
        assert!(t.forks().is_empty());
        t.redo();
        assert_eq!(t.actions(), &['a', 'x']);
        assert_eq!(t.forks().len(), 1);
    }

    #[derive(Clone, Debug)]
    enum Op {
        Back,
        Forward,
        Jump(usize),
        Act(u8),
        Undo,
        Redo,
        Restore(usize),
        Replace(Vec<u8>),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            Just(Op::Back),
            Just(Op::Forward),
            (0usize..12).prop_map(Op::Jump),
            (0u8..4).prop_map(Op::Act),
            Just(Op::Undo),
            Just(Op::Redo),
            (0usize..4).prop_map(Op::Restore),
            proptest::collection::vec(0u8..4, 0..6).prop_map(Op::Replace),
        ]
    }

    proptest! {
        /// Whatever the learner does, the cursor stays in range, and nothing
        /// ever taken is lost: every action sequence once shown is still the
        /// current one, a fork, or reachable by undo.
        #[test]
        fn cursor_in_range_and_undo_returns_exactly(ops in proptest::collection::vec(op(), 0..40)) {
            let mut t = Timeline::new(vec![0u8, 1, 2], 0);
            for o in ops {
                let before = t.clone();
                match o.clone() {
                    Op::Back => t.back(),
                    Op::Forward => t.forward(),
                    Op::Jump(n) => t.jump(n),
                    Op::Act(a) => {
                        t.act(a);
                        if t.can_undo() && t.undo.len() > before.undo.len() {
                            let mut u = t.clone();
                            u.undo();
                            prop_assert_eq!(u.actions(), before.actions());
                            prop_assert_eq!(u.forks(), before.forks());
                        }
                    }
                    Op::Undo => t.undo(),
                    Op::Redo => t.redo(),
                    Op::Restore(i) => t.restore_fork(i),
                    Op::Replace(v) => t.replace(v, 0),
                }
                prop_assert!(t.cursor() <= t.len());
                let kept: usize = t.len() + t.forks().iter().map(|f| f.future.len()).sum::<usize>();
                let had: usize = before.len() + before.forks().iter().map(|f| f.future.len()).sum::<usize>();
                if !matches!(o, Op::Undo | Op::Redo) {
                    prop_assert!(kept >= had, "an edit lost actions");
                }
            }
        }
    }
}
