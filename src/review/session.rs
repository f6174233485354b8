//! One sitting of review, as a small state machine the page drives with the
//! learner's intents (choose, reveal, grade). The page renders [`Session`]'s
//! state and decides nothing.

use crate::content::Catalog;

use super::questions::{question, Item, Question};
use super::schedule::{Grade, Millis, Review};

/// Where the sitting is.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// A question is shown; nothing chosen yet.
    Asking,
    /// The answer is shown: after the learner chose `chosen`, or revealed it.
    Answered { chosen: Option<usize> },
    /// Every item was answered.
    Done,
}

/// A review sitting over a fixed list of items.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    items: Vec<Item>,
    at: usize,
    phase: Phase,
    question: Option<Question>,
    /// Practice leaves the schedule alone: grades are tallied, not logged.
    pub practice: bool,
    seed: u64,
    /// Grades given so far, in order.
    pub graded: Vec<(Item, Grade)>,
    /// Explain it back: which checklist points the learner's answer covered.
    ticked: Vec<bool>,
}

/// Explain it back, graded from the share of the checklist the answer
/// covered: under half is Again, under three quarters Hard, more is Good.
/// Easy is only ever the learner's own override.
pub fn explain_grade(ticked: usize, of: usize) -> Grade {
    if of == 0 || ticked * 2 < of {
        Grade::Again
    } else if ticked * 4 < of * 3 {
        Grade::Hard
    } else {
        Grade::Good
    }
}

impl Session {
    /// `seed` varies the questions between sittings (the caller passes the
    /// clock or a counter; the session never reads one).
    pub fn new(catalog: &Catalog, items: Vec<Item>, seed: u64, practice: bool) -> Session {
        let mut s = Session {
            items,
            at: 0,
            phase: Phase::Asking,
            question: None,
            practice,
            seed,
            graded: Vec::new(),
            ticked: Vec::new(),
        };
        s.load(catalog);
        s
    }

    fn load(&mut self, catalog: &Catalog) {
        // Items whose term or card left the content are skipped, not asked.
        while let Some(item) = self.items.get(self.at) {
            if let Some(q) = question(catalog, item, self.seed.wrapping_add(self.at as u64)) {
                self.ticked = vec![false; q.checklist.len()];
                self.question = Some(q);
                self.phase = Phase::Asking;
                return;
            }
            self.at += 1;
        }
        self.question = None;
        self.phase = Phase::Done;
    }

    pub fn phase(&self) -> &Phase {
        &self.phase
    }

    pub fn question(&self) -> Option<&Question> {
        self.question.as_ref()
    }

    /// (position, 1-based, of the current question; how many in the sitting).
    pub fn position(&self) -> (usize, usize) {
        ((self.at + 1).min(self.items.len()), self.items.len())
    }

    /// Pick option `i` (ignored unless asking, or out of range).
    pub fn choose(&mut self, i: usize) {
        let in_range = self.question.as_ref().is_some_and(|q| i < q.options.len());
        if self.phase == Phase::Asking && in_range {
            self.phase = Phase::Answered { chosen: Some(i) };
        }
    }

    /// Show the answer without choosing ("I don't know").
    pub fn reveal(&mut self) {
        if self.phase == Phase::Asking {
            self.phase = Phase::Answered { chosen: None };
        }
    }

    /// Explain it back, once the checklist shows: tick or untick point `i`.
    pub fn toggle(&mut self, i: usize) {
        if matches!(self.phase, Phase::Answered { .. }) {
            if let Some(t) = self.ticked.get_mut(i) {
                *t = !*t;
            }
        }
    }

    /// Which checklist points are ticked (empty for a multiple-choice question).
    pub fn ticked(&self) -> &[bool] {
        &self.ticked
    }

    /// Whether the chosen option was right (None until answered, or when revealed).
    pub fn correct(&self) -> Option<bool> {
        match (&self.phase, &self.question) {
            (Phase::Answered { chosen: Some(c) }, Some(q)) => Some(*c == q.answer),
            _ => None,
        }
    }

    /// The grade Enter gives: Good when right, Again when wrong or revealed;
    /// for explain it back, [`explain_grade`] of the ticked checklist.
    pub fn suggested_grade(&self) -> Option<Grade> {
        let open = self.question.as_ref().is_some_and(|q| q.is_open());
        match self.phase {
            Phase::Answered { .. } if open => Some(explain_grade(
                self.ticked.iter().filter(|t| **t).count(),
                self.ticked.len(),
            )),
            Phase::Answered { .. } => Some(if self.correct() == Some(true) {
                Grade::Good
            } else {
                Grade::Again
            }),
            _ => None,
        }
    }

    /// Grade the answered question and move on. Returns the review to log
    /// (None in practice, or when not answered yet). A wrong choice can be
    /// graded no better than Again: the learner did not recall it.
    pub fn grade(&mut self, catalog: &Catalog, grade: Grade, now: Millis) -> Option<Review> {
        if !matches!(self.phase, Phase::Answered { .. }) {
            return None;
        }
        let item = self.question.as_ref()?.item.clone();
        let grade = if self.correct() == Some(false) {
            Grade::Again
        } else {
            grade
        };
        self.graded.push((item.clone(), grade));
        self.at += 1;
        self.load(catalog);
        (!self.practice).then(|| Review {
            at: now,
            item: item.key(),
            grade,
        })
    }

    /// How many were recalled (graded above Again) so far.
    pub fn recalled(&self) -> usize {
        self.graded
            .iter()
            .filter(|(_, g)| *g != Grade::Again)
            .count()
    }
}
