//! Spaced repetition: the FSRS-6 memory model, written out here.
//!
//! Why not the `fsrs` crate: it brings `burn` (with its optimiser, ndarray and
//! rayon) for training weights, which the app never does; on two cores that
//! doubles the build, and the wasm would carry it. Scheduling needs only the
//! published formulas and default weights below, which fit in one file that
//! the host tests drive over simulated weeks.
//!
//! The schedule is never stored. It is a fold over the review log in time
//! order ([`replay`]), so two tabs that each add reviews merge by taking the
//! union of their logs, and changing the desired retention re-plans every item.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A millisecond timestamp (the caller's clock; the model never reads one).
pub type Millis = u64;

const MS_PER_DAY: f64 = 86_400_000.0;
/// A lapse comes back within the same sitting.
const RELEARN_MS: Millis = 10 * 60 * 1000;
/// Longest interval ever planned (about ten years).
const MAX_INTERVAL_DAYS: f64 = 3650.0;
/// "Missed again and again": this many lapses flags a leech.
pub const LEECH_LAPSES: u32 = 4;

/// FSRS-6's default weights (the optimiser's published starting point);
/// `w[20]` is the forgetting curve's decay.
pub const DEFAULT_WEIGHTS: [f64; 21] = [
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835,
    0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
];
const S_MIN: f64 = 0.001;
const S_MAX: f64 = 36500.0;

/// How the learner graded their own recall.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Grade {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Grade {
    pub const ALL: [Grade; 4] = [Grade::Again, Grade::Hard, Grade::Good, Grade::Easy];

    /// The grade for keys 1–4.
    pub fn from_number(n: u8) -> Option<Grade> {
        Grade::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }

    pub fn label(self) -> &'static str {
        match self {
            Grade::Again => "Again",
            Grade::Hard => "Hard",
            Grade::Good => "Good",
            Grade::Easy => "Easy",
        }
    }

    fn g(self) -> f64 {
        self as u8 as f64
    }
}

/// One answered review: the only thing saved about reviewing.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Review {
    pub at: Millis,
    /// The item's key (see `questions::Item::key`).
    pub item: String,
    pub grade: Grade,
}

/// What the model knows about one item's memory.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ItemState {
    /// Days until recall probability falls to 90%.
    pub stability: f64,
    /// 1 (easy) to 10 (hard).
    pub difficulty: f64,
    pub due: Millis,
    pub last_review: Millis,
    pub reviews: u32,
    pub lapses: u32,
    /// The last answer was Again.
    pub last_failed: bool,
}

/// How well an item is known, from its stability.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mastery {
    /// Never reviewed.
    New,
    /// Reviewed, but not yet remembered for a week.
    Learning,
    /// Remembered for a week or more.
    Known,
    /// Remembered for a month or more.
    Mastered,
}

impl Mastery {
    pub const ALL: [Mastery; 4] = [
        Mastery::New,
        Mastery::Learning,
        Mastery::Known,
        Mastery::Mastered,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Mastery::New => "new",
            Mastery::Learning => "learning",
            Mastery::Known => "known",
            Mastery::Mastered => "mastered",
        }
    }
}

impl ItemState {
    pub fn mastery(&self) -> Mastery {
        if self.last_failed || self.stability < 7.0 {
            Mastery::Learning
        } else if self.stability < 30.0 {
            Mastery::Known
        } else {
            Mastery::Mastered
        }
    }

    pub fn is_leech(&self) -> bool {
        self.lapses >= LEECH_LAPSES
    }

    pub fn is_due(&self, now: Millis) -> bool {
        self.due <= now
    }
}

/// The mastery of an item that may never have been reviewed.
pub fn mastery_of(state: Option<&ItemState>) -> Mastery {
    state.map_or(Mastery::New, ItemState::mastery)
}

/// The scheduler: weights and the retention the learner aims for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scheduler {
    /// Probability of recall at the planned review, 0.70–0.97.
    pub desired_retention: f64,
    pub weights: [f64; 21],
}

impl Default for Scheduler {
    fn default() -> Self {
        Scheduler::with_retention(0.9)
    }
}

impl Scheduler {
    pub const MIN_RETENTION: f64 = 0.70;
    pub const MAX_RETENTION: f64 = 0.97;

    /// Default weights; the retention is clamped to a sane range.
    pub fn with_retention(desired_retention: f64) -> Scheduler {
        let r = if desired_retention.is_finite() {
            desired_retention.clamp(Self::MIN_RETENTION, Self::MAX_RETENTION)
        } else {
            0.9
        };
        Scheduler {
            desired_retention: r,
            weights: DEFAULT_WEIGHTS,
        }
    }

    /// The forgetting curve's exponent and the factor that makes recall 0.9
    /// when the elapsed time equals the stability.
    fn curve(&self) -> (f64, f64) {
        let decay = -self.weights[20];
        (decay, 0.9f64.powf(1.0 / decay) - 1.0)
    }

    /// Probability of recall `elapsed_days` after a review, for this stability.
    pub fn retrievability(&self, elapsed_days: f64, stability: f64) -> f64 {
        let (decay, factor) = self.curve();
        (1.0 + factor * elapsed_days.max(0.0) / stability).powf(decay)
    }

    /// Days until recall probability falls to the desired retention, whole
    /// days from one to ten years.
    pub fn interval_days(&self, stability: f64) -> f64 {
        let (decay, factor) = self.curve();
        let days = stability / factor * (self.desired_retention.powf(1.0 / decay) - 1.0);
        days.round().clamp(1.0, MAX_INTERVAL_DAYS)
    }

    /// Unclamped: mean reversion pulls towards this raw value for Easy.
    fn initial_difficulty(&self, grade: Grade) -> f64 {
        let w = &self.weights;
        w[4] - (w[5] * (grade.g() - 1.0)).exp() + 1.0
    }

    /// The difficulty after `grade`: damped, pulled back towards the mean, clamped to 1–10.
    pub fn next_difficulty(&self, d: f64, grade: Grade) -> f64 {
        let w = &self.weights;
        let delta = -w[6] * (grade.g() - 3.0);
        // Linear damping: harder items move less.
        let damped = d + delta * (10.0 - d) / 9.0;
        // Mean reversion towards the difficulty of an item first answered Easy.
        (w[7] * self.initial_difficulty(Grade::Easy) + (1.0 - w[7]) * damped).clamp(1.0, 10.0)
    }

    fn stability_after_recall(&self, d: f64, s: f64, r: f64, grade: Grade) -> f64 {
        let w = &self.weights;
        let hard = if grade == Grade::Hard { w[15] } else { 1.0 };
        let easy = if grade == Grade::Easy { w[16] } else { 1.0 };
        s * (1.0
            + w[8].exp()
                * (11.0 - d)
                * s.powf(-w[9])
                * ((w[10] * (1.0 - r)).exp() - 1.0)
                * hard
                * easy)
    }

    fn stability_after_lapse(&self, d: f64, s: f64, r: f64) -> f64 {
        let w = &self.weights;
        let forgot =
            w[11] * d.powf(-w[12]) * ((s + 1.0).powf(w[13]) - 1.0) * (w[14] * (1.0 - r)).exp();
        forgot.min(s / (w[17] * w[18]).exp())
    }

    fn stability_same_day(&self, s: f64, grade: Grade) -> f64 {
        let w = &self.weights;
        let inc = (w[17] * (grade.g() - 3.0 + w[18])).exp() * s.powf(-w[19]);
        // A pass on the same day never lowers stability.
        s * if grade >= Grade::Good {
            inc.max(1.0)
        } else {
            inc
        }
    }

    /// The item's state after a review at `now` (the first review when `before` is None).
    pub fn review(&self, before: Option<&ItemState>, grade: Grade, now: Millis) -> ItemState {
        let (stability, difficulty, reviews, lapses) = match before {
            None => (
                self.weights[grade as usize - 1],
                self.initial_difficulty(grade).clamp(1.0, 10.0),
                0,
                0,
            ),
            Some(b) => {
                // Whole days, as FSRS counts them.
                let elapsed = (now.saturating_sub(b.last_review) as f64 / MS_PER_DAY).floor();
                let s = if elapsed < 1.0 {
                    self.stability_same_day(b.stability, grade)
                } else {
                    let r = self.retrievability(elapsed, b.stability);
                    if grade == Grade::Again {
                        self.stability_after_lapse(b.difficulty, b.stability, r)
                    } else {
                        self.stability_after_recall(b.difficulty, b.stability, r, grade)
                    }
                };
                let lapse = u32::from(grade == Grade::Again && !b.last_failed);
                (
                    s,
                    self.next_difficulty(b.difficulty, grade),
                    b.reviews,
                    b.lapses + lapse,
                )
            }
        };
        // Weights keep these finite for any history; guard the stored numbers anyway.
        let stability = if stability.is_finite() {
            stability.clamp(S_MIN, S_MAX)
        } else {
            S_MIN
        };
        let due = if grade == Grade::Again {
            now.saturating_add(RELEARN_MS)
        } else {
            now.saturating_add((self.interval_days(stability) * MS_PER_DAY) as Millis)
        };
        ItemState {
            stability,
            difficulty,
            due,
            last_review: now,
            reviews: reviews + 1,
            lapses,
            last_failed: grade == Grade::Again,
        }
    }
}

/// Every item's state: the review log folded in time order. Ties are broken
/// by the item and grade, so the result does not depend on the log's order.
pub fn replay(scheduler: &Scheduler, log: &[Review]) -> BTreeMap<String, ItemState> {
    let mut sorted: Vec<&Review> = log.iter().collect();
    sorted.sort();
    sorted.dedup();
    let mut states: BTreeMap<String, ItemState> = BTreeMap::new();
    for r in sorted {
        let next = scheduler.review(states.get(&r.item), r.grade, r.at);
        states.insert(r.item.clone(), next);
    }
    states
}

/// A calendar day in the learner's time zone: days since 1970-01-01 local.
pub fn day_of(at: Millis, utc_offset_minutes: i32) -> i64 {
    let local = at as i64 + i64::from(utc_offset_minutes) * 60_000;
    local.div_euclid(86_400_000)
}

/// What a review session offers now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Queue {
    /// Items already seen and due, most overdue first.
    pub due: Vec<String>,
    /// New items offered today, in the order given, within the daily limit.
    pub new: Vec<String>,
    /// New items introduced earlier today (they count against the limit).
    pub new_seen_today: usize,
}

impl Queue {
    pub fn len(&self) -> usize {
        self.due.len() + self.new.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Due items first (a lapse is most urgent), then new ones.
    pub fn items(&self) -> impl Iterator<Item = &str> {
        self.due.iter().chain(&self.new).map(String::as_str)
    }
}

/// The review queue at `now` over `items` (every askable item, in teaching order).
pub fn queue(
    items: &[String],
    states: &BTreeMap<String, ItemState>,
    log: &[Review],
    now: Millis,
    utc_offset_minutes: i32,
    new_per_day: usize,
) -> Queue {
    let today = day_of(now, utc_offset_minutes);
    let mut first_seen: BTreeMap<&str, Millis> = BTreeMap::new();
    for r in log {
        let e = first_seen.entry(r.item.as_str()).or_insert(r.at);
        *e = (*e).min(r.at);
    }
    let new_seen_today = first_seen
        .values()
        .filter(|&&at| day_of(at, utc_offset_minutes) == today)
        .count();
    let mut due: Vec<(&String, Millis)> = items
        .iter()
        .filter_map(|i| states.get(i).filter(|s| s.is_due(now)).map(|s| (i, s.due)))
        .collect();
    due.sort_by_key(|&(i, d)| (d, i.clone()));
    let new = items
        .iter()
        .filter(|i| !states.contains_key(*i))
        .take(new_per_day.saturating_sub(new_seen_today))
        .cloned()
        .collect();
    Queue {
        due: due.into_iter().map(|(i, _)| i.clone()).collect(),
        new,
        new_seen_today,
    }
}

/// Reviews answered on each of the last `days` days, oldest first (for the chart).
pub fn history(log: &[Review], now: Millis, utc_offset_minutes: i32, days: usize) -> Vec<usize> {
    let today = day_of(now, utc_offset_minutes);
    let mut counts = vec![0; days];
    for r in log {
        let back = today - day_of(r.at, utc_offset_minutes);
        if (0..days as i64).contains(&back) {
            counts[days - 1 - back as usize] += 1;
        }
    }
    counts
}
