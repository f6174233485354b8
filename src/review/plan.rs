//! Everything the pages show about reviewing, derived from the log at one
//! moment: each item's state and mastery, today's queue, what to practise.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::content::Catalog;

use crate::learn::lessons::Lesson;

use super::questions::{all_items, lesson_items, Item, Subject};
use super::schedule::{
    mastery_of, queue, replay, ItemState, Mastery, Millis, Queue, Review, Scheduler,
};

/// The learner's review settings (saved with their progress).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Desired retention in percent, 70–97.
    pub retention_percent: u8,
    /// New items introduced per day, 0–50.
    pub new_per_day: u8,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            retention_percent: 90,
            new_per_day: 10,
        }
    }
}

impl Settings {
    pub const MAX_NEW_PER_DAY: u8 = 50;

    /// The same settings, each brought into its range.
    pub fn clamped(self) -> Settings {
        Settings {
            retention_percent: self.retention_percent.clamp(70, 97),
            new_per_day: self.new_per_day.min(Self::MAX_NEW_PER_DAY),
        }
    }

    pub fn scheduler(self) -> Scheduler {
        Scheduler::with_retention(f64::from(self.clamped().retention_percent) / 100.0)
    }
}

/// The review picture at `now`.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub items: Vec<Item>,
    pub states: BTreeMap<String, ItemState>,
    pub queue: Queue,
    pub new_per_day: usize,
    pub now: Millis,
}

impl Plan {
    pub fn new(
        catalog: &Catalog,
        log: &[Review],
        settings: Settings,
        now: Millis,
        utc_offset_minutes: i32,
    ) -> Plan {
        let items = all_items(catalog);
        let keys: Vec<String> = items.iter().map(Item::key).collect();
        let states = replay(&settings.scheduler(), log);
        let new_per_day = usize::from(settings.clamped().new_per_day);
        let queue = queue(&keys, &states, log, now, utc_offset_minutes, new_per_day);
        Plan {
            items,
            states,
            queue,
            new_per_day,
            now,
        }
    }

    fn item(&self, key: &str) -> Option<Item> {
        self.items.iter().find(|i| i.key() == key).cloned()
    }

    /// Today's queue as items: due first, then new.
    pub fn queue_items(&self) -> Vec<Item> {
        self.queue.items().filter_map(|k| self.item(k)).collect()
    }

    pub fn state(&self, item: &Item) -> Option<&ItemState> {
        self.states.get(&item.key())
    }

    pub fn mastery(&self, item: &Item) -> Mastery {
        mastery_of(self.state(item))
    }

    /// The `n` items most worth practising: flagged ones, then the least
    /// stable seen ones, then unseen ones in teaching order.
    pub fn weakest(&self, n: usize) -> Vec<Item> {
        let mut ranked: Vec<(u8, f64, usize, &Item)> = self
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| match self.state(item) {
                Some(s) if s.is_leech() => (0, s.stability, i, item),
                Some(s) => (1, s.stability, i, item),
                None => (2, 0.0, i, item),
            })
            .collect();
        ranked.sort_by(|a, b| {
            (a.0, a.1, a.2)
                .partial_cmp(&(b.0, b.1, b.2))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        ranked
            .into_iter()
            .take(n)
            .map(|(.., item)| item.clone())
            .collect()
    }

    /// How many items are at each mastery level (in `Mastery::ALL` order).
    pub fn mastery_counts(&self) -> [usize; 4] {
        let mut counts = [0; 4];
        for item in &self.items {
            counts[self.mastery(item) as usize] += 1;
        }
        counts
    }

    /// Items missed again and again.
    pub fn flagged(&self) -> Vec<Item> {
        self.items
            .iter()
            .filter(|i| self.state(i).is_some_and(ItemState::is_leech))
            .cloned()
            .collect()
    }

    /// The weakest mastery among the items about one term or card.
    pub fn mastery_of_subject(&self, subject: &Subject) -> Mastery {
        self.items
            .iter()
            .filter(|i| &i.subject() == subject)
            .map(|i| self.mastery(i))
            .min()
            .unwrap_or(Mastery::New)
    }

    /// A lesson's mastery: the weakest of its items (its terms' definitions
    /// and traps, its cards' signals, its drills' predictions, explaining it
    /// back), so a lesson is mastered only when all of it is.
    pub fn lesson_mastery(&self, lesson: &Lesson) -> LessonMastery {
        let items: Vec<Item> = lesson_items(lesson)
            .into_iter()
            .filter(|i| self.items.contains(i))
            .collect();
        LessonMastery {
            level: items
                .iter()
                .map(|i| self.mastery(i))
                .min()
                .unwrap_or(Mastery::New),
            reviewed: items.iter().filter(|i| self.state(i).is_some()).count(),
            items: items.len(),
        }
    }

    /// When the next review falls due, if nothing is due now.
    pub fn next_due(&self) -> Option<Millis> {
        self.states
            .values()
            .map(|s| s.due)
            .filter(|&d| d > self.now)
            .min()
    }
}

/// How far a lesson is remembered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LessonMastery {
    /// The weakest mastery among its items.
    pub level: Mastery,
    /// How many of its items were reviewed at least once.
    pub reviewed: usize,
    pub items: usize,
}
