//! The in-memory progress model (schema version [`CURRENT_VERSION`]) and the
//! rules every value in it obeys.
//!
//! `Progress` is always kept in a *normal form*: slugs are valid, signal
//! indices are in range, cards with nothing recorded are absent and reviews are
//! sorted without duplicates. Every constructor and setter preserves that form,
//! which is what makes [`crate::progress::merge`] a proper join
//! (commutative, associative, idempotent).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// The localStorage key that holds the current progress blob.
pub const STORAGE_KEY: &str = "vango-study-lab/progress";
/// The schema version this build writes.
pub const CURRENT_VERSION: u32 = 3;
/// Largest blob we read or write (storage and import). Anything bigger is
/// treated as damaged / refused, never parsed.
// A year of daily review is about 15,000 answers (~60 bytes each).
pub const MAX_BLOB_BYTES: usize = 2 * 1024 * 1024;
/// Warning signals per anti-pattern card (indices `0..SIGNALS_PER_CARD`).
pub const SIGNALS_PER_CARD: u8 = 3;
/// Longest slug accepted.
pub const MAX_SLUG_LEN: usize = 64;
/// Longest route string accepted for `last_place`.
pub const MAX_PLACE_LEN: usize = 256;

/// `true` for non-empty slugs of at most 64 characters from `[a-z0-9-]`.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_SLUG_LEN
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `true` for a hash route such as `#/glossary/drain`: starts with `#`, at most
/// 256 bytes, no control characters.
pub fn is_valid_place(s: &str) -> bool {
    s.starts_with('#') && s.len() <= MAX_PLACE_LEN && !s.chars().any(char::is_control)
}

/// Colour theme preference.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Follow the operating system (`prefers-color-scheme`).
    #[default]
    System,
    Light,
    Dark,
}

/// Progress on one anti-pattern card.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardProgress {
    /// "I can spot this".
    #[serde(default)]
    pub spotted: bool,
    /// Ticked warning signals, indices `0..SIGNALS_PER_CARD`.
    #[serde(default)]
    pub ticked: BTreeSet<u8>,
}

impl CardProgress {
    /// A card with nothing recorded is not stored at all.
    pub fn is_empty(&self) -> bool {
        !self.spotted && self.ticked.is_empty()
    }
}

/// A completed scenario. Presence in [`Progress`] means "completed".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioResult {
    /// Fewest steps the learner needed to complete it.
    pub best_steps: u32,
}

impl ScenarioResult {
    /// The better of two results: fewer steps wins.
    pub fn better(self, other: ScenarioResult) -> ScenarioResult {
        if other.best_steps < self.best_steps {
            other
        } else {
            self
        }
    }
}

/// Outcome of one review in a version-2 blob's placeholder study mode (no
/// release wrote these; kept so a blob that has them loses nothing). The
/// review log of the scheduler is [`Answer`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewResult {
    /// Not recalled.
    Again,
    /// Recalled with effort.
    Hard,
    /// Recalled.
    Good,
    /// Recalled instantly.
    Easy,
}

/// One review-history entry. Reviews form a set: the same item reviewed with
/// the same result on the same day is recorded once.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// Slug of the term, card or scenario reviewed.
    pub item: String,
    pub result: ReviewResult,
    /// Day number (days since an epoch chosen by the study mode).
    pub day: u32,
}

/// One answered review question: the scheduler's log entry.
pub type Answer = crate::review::Review;

/// `definition/<slug>`, `trap/<slug>`, `signals/<slug>`, `explain/<lesson>`
/// or `prediction/<drill>/<step>`.
pub fn is_valid_item_key(key: &str) -> bool {
    key.split_once('/').is_some_and(|(kind, rest)| match kind {
        "definition" | "trap" | "signals" | "explain" => is_valid_slug(rest),
        // `prediction/<drill>/<step>`: a drill slug and a step number, written
        // one way only (no sign, no leading zero), so one step has one key.
        "prediction" => rest.split_once('/').is_some_and(|(drill, step)| {
            is_valid_slug(drill)
                && (1..=4).contains(&step.len())
                && step.bytes().all(|b| b.is_ascii_digit())
                && (step == "0" || !step.starts_with('0'))
        }),
        _ => false,
    })
}

/// Everything the learner has done. Fields are private so the normal form
/// holds; read through the accessors, change through the setters.
///
/// The serialized form (`serde`) is the body of a version-2 blob without the
/// `"version"` field; use [`crate::progress::export_json`] /
/// [`crate::progress::import_json`] or [`crate::progress::ProgressStore`] for
/// versioned blobs. Deserializing drops invalid entries silently; the
/// versioned readers report them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "RawProgress")]
pub struct Progress {
    /// Logical clock: bumped by every change, max'ed by merges. Stamps the
    /// last-writer-wins fields (`last_place`, `theme`).
    updated: u64,
    learned_terms: BTreeSet<String>,
    cards: BTreeMap<String, CardProgress>,
    scenarios: BTreeMap<String, ScenarioResult>,
    reviews: Vec<Review>,
    last_place: Option<String>,
    last_place_at: u64,
    theme: Theme,
    theme_at: u64,
    /// The review log, sorted, no duplicates (a set: merging is a union).
    answers: Vec<Answer>,
    review_settings: crate::review::Settings,
    review_settings_at: u64,
    lessons_done: BTreeSet<String>,
    /// Decision labs the learner has tried (flipped an input). Left out of
    /// an export when empty, so a file without it reads as it always did.
    #[serde(skip_serializing_if = "BTreeSet::is_empty", default)]
    labs_tried: BTreeSet<String>,
}

/// The wire shape of a version-2 body, exactly as serialized. Unknown fields
/// are an error (a blob we did not write); missing fields default.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct RawProgress {
    pub updated: u64,
    pub learned_terms: Vec<String>,
    pub cards: BTreeMap<String, CardProgress>,
    pub scenarios: BTreeMap<String, ScenarioResult>,
    pub reviews: Vec<Review>,
    pub last_place: Option<String>,
    pub last_place_at: u64,
    pub theme: Theme,
    pub theme_at: u64,
    pub answers: Vec<Answer>,
    pub review_settings: crate::review::Settings,
    pub review_settings_at: u64,
    pub lessons_done: Vec<String>,
    pub labs_tried: Vec<String>,
}

impl From<RawProgress> for Progress {
    fn from(raw: RawProgress) -> Self {
        Progress::from_raw(raw).0
    }
}

impl Progress {
    /// Builds a normal-form `Progress`, returning a description of every
    /// entry that had to be dropped.
    pub(crate) fn from_raw(raw: RawProgress) -> (Progress, Vec<String>) {
        let mut skipped = Vec::new();
        let mut p = Progress {
            updated: raw.updated,
            theme: raw.theme,
            theme_at: raw.theme_at,
            last_place_at: raw.last_place_at,
            review_settings: raw.review_settings.clamped(),
            review_settings_at: raw.review_settings_at,
            ..Progress::default()
        };
        for slug in raw.learned_terms {
            if is_valid_slug(&slug) {
                p.learned_terms.insert(slug);
            } else {
                skipped.push(format!("term {slug:?} (invalid slug)"));
            }
        }
        for (slug, card) in raw.cards {
            if !is_valid_slug(&slug) {
                skipped.push(format!("card {slug:?} (invalid slug)"));
                continue;
            }
            let mut kept = CardProgress {
                spotted: card.spotted,
                ticked: BTreeSet::new(),
            };
            for idx in card.ticked {
                if idx < SIGNALS_PER_CARD {
                    kept.ticked.insert(idx);
                } else {
                    skipped.push(format!("signal {idx} of card {slug:?} (out of range)"));
                }
            }
            if !kept.is_empty() {
                p.cards.insert(slug, kept);
            }
        }
        for (slug, result) in raw.scenarios {
            if is_valid_slug(&slug) {
                p.scenarios.insert(slug, result);
            } else {
                skipped.push(format!("scenario {slug:?} (invalid slug)"));
            }
        }
        for review in raw.reviews {
            if is_valid_slug(&review.item) {
                p.reviews.push(review);
            } else {
                skipped.push(format!("review of {:?} (invalid slug)", review.item));
            }
        }
        p.reviews.sort();
        p.reviews.dedup();
        for a in raw.answers {
            if is_valid_item_key(&a.item) {
                p.answers.push(a);
            } else {
                skipped.push(format!(
                    "review answer for {:?} (not a review item)",
                    a.item
                ));
            }
        }
        p.answers.sort();
        p.answers.dedup();
        for slug in raw.lessons_done {
            if is_valid_slug(&slug) {
                p.lessons_done.insert(slug);
            } else {
                skipped.push(format!("lesson {slug:?} (invalid slug)"));
            }
        }
        for slug in raw.labs_tried {
            if is_valid_slug(&slug) {
                p.labs_tried.insert(slug);
            } else {
                skipped.push(format!("decision lab {slug:?} (invalid slug)"));
            }
        }
        match raw.last_place {
            Some(place) if is_valid_place(&place) => p.last_place = Some(place),
            Some(place) => skipped.push(format!("last place {place:?} (not a route)")),
            None => {}
        }
        // The clock never runs behind its own stamps.
        p.updated = p
            .updated
            .max(p.theme_at)
            .max(p.last_place_at)
            .max(p.review_settings_at);
        (p, skipped)
    }

    pub(crate) fn into_raw(self) -> RawProgress {
        RawProgress {
            updated: self.updated,
            learned_terms: self.learned_terms.into_iter().collect(),
            cards: self.cards,
            scenarios: self.scenarios,
            reviews: self.reviews,
            last_place: self.last_place,
            last_place_at: self.last_place_at,
            theme: self.theme,
            theme_at: self.theme_at,
            answers: self.answers,
            review_settings: self.review_settings,
            review_settings_at: self.review_settings_at,
            lessons_done: self.lessons_done.into_iter().collect(),
            labs_tried: self.labs_tried.into_iter().collect(),
        }
    }

    fn tick(&mut self) -> u64 {
        self.updated = self.updated.saturating_add(1);
        self.updated
    }

    // ---- reading -------------------------------------------------------

    /// The logical clock (see the field docs).
    pub fn updated(&self) -> u64 {
        self.updated
    }
    pub fn is_learned(&self, slug: &str) -> bool {
        self.learned_terms.contains(slug)
    }
    pub fn learned_terms(&self) -> &BTreeSet<String> {
        &self.learned_terms
    }
    pub fn learned_count(&self) -> usize {
        self.learned_terms.len()
    }
    /// Progress on one card (`None` when nothing is recorded).
    pub fn card(&self, slug: &str) -> Option<&CardProgress> {
        self.cards.get(slug)
    }
    pub fn cards(&self) -> &BTreeMap<String, CardProgress> {
        &self.cards
    }
    pub fn is_spotted(&self, card: &str) -> bool {
        self.cards.get(card).is_some_and(|c| c.spotted)
    }
    pub fn is_ticked(&self, card: &str, idx: u8) -> bool {
        self.cards
            .get(card)
            .is_some_and(|c| c.ticked.contains(&idx))
    }
    pub fn spotted_count(&self) -> usize {
        self.cards.values().filter(|c| c.spotted).count()
    }
    pub fn ticked_count(&self, card: &str) -> usize {
        self.cards.get(card).map_or(0, |c| c.ticked.len())
    }
    pub fn scenario(&self, slug: &str) -> Option<ScenarioResult> {
        self.scenarios.get(slug).copied()
    }
    pub fn scenarios(&self) -> &BTreeMap<String, ScenarioResult> {
        &self.scenarios
    }
    pub fn is_completed(&self, scenario: &str) -> bool {
        self.scenarios.contains_key(scenario)
    }
    pub fn completed_count(&self) -> usize {
        self.scenarios.len()
    }
    /// Review history, sorted by (item, result, day), no duplicates.
    pub fn reviews(&self) -> &[Review] {
        &self.reviews
    }
    pub fn last_place(&self) -> Option<&str> {
        self.last_place.as_deref()
    }
    pub fn theme(&self) -> Theme {
        self.theme
    }
    /// The review log, in time order.
    pub fn answers(&self) -> &[Answer] {
        &self.answers
    }
    pub fn review_settings(&self) -> crate::review::Settings {
        self.review_settings
    }
    pub fn is_lesson_done(&self, slug: &str) -> bool {
        self.lessons_done.contains(slug)
    }
    pub fn lessons_done(&self) -> &BTreeSet<String> {
        &self.lessons_done
    }
    pub fn is_lab_tried(&self, slug: &str) -> bool {
        self.labs_tried.contains(slug)
    }
    pub fn labs_tried(&self) -> &BTreeSet<String> {
        &self.labs_tried
    }
    /// `true` when nothing at all is recorded except preferences
    /// (theme, last place).
    pub fn is_blank(&self) -> bool {
        self.learned_terms.is_empty()
            && self.cards.is_empty()
            && self.scenarios.is_empty()
            && self.reviews.is_empty()
            && self.answers.is_empty()
            && self.lessons_done.is_empty()
            && self.labs_tried.is_empty()
    }

    // ---- changing ------------------------------------------------------
    // Setters return `true` when the value was accepted (valid input);
    // invalid slugs / indices are ignored and return `false`.

    pub fn set_learned(&mut self, slug: &str, learned: bool) -> bool {
        if !is_valid_slug(slug) {
            return false;
        }
        let changed = if learned {
            self.learned_terms.insert(slug.to_owned())
        } else {
            self.learned_terms.remove(slug)
        };
        if changed {
            self.tick();
        }
        true
    }

    fn edit_card(&mut self, card: &str, f: impl FnOnce(&mut CardProgress)) {
        let entry = self.cards.entry(card.to_owned()).or_default();
        let before = entry.clone();
        f(entry);
        let changed = *entry != before;
        if entry.is_empty() {
            self.cards.remove(card);
        }
        if changed {
            self.tick();
        }
    }

    pub fn set_spotted(&mut self, card: &str, spotted: bool) -> bool {
        if !is_valid_slug(card) {
            return false;
        }
        self.edit_card(card, |c| c.spotted = spotted);
        true
    }

    pub fn tick_signal(&mut self, card: &str, idx: u8, ticked: bool) -> bool {
        if !is_valid_slug(card) || idx >= SIGNALS_PER_CARD {
            return false;
        }
        self.edit_card(card, |c| {
            if ticked {
                c.ticked.insert(idx);
            } else {
                c.ticked.remove(&idx);
            }
        });
        true
    }

    /// Records a completion; keeps the better (fewer steps) result.
    pub fn complete_scenario(&mut self, slug: &str, steps: u32) -> bool {
        if !is_valid_slug(slug) {
            return false;
        }
        let new = ScenarioResult { best_steps: steps };
        let best = self.scenarios.get(slug).map_or(new, |old| old.better(new));
        if self.scenarios.insert(slug.to_owned(), best) != Some(best) {
            self.tick();
        }
        true
    }

    /// Forgets a scenario completion (e.g. "try again from scratch").
    pub fn clear_scenario(&mut self, slug: &str) -> bool {
        if self.scenarios.remove(slug).is_some() {
            self.tick();
        }
        true
    }

    pub fn add_review(&mut self, item: &str, result: ReviewResult, day: u32) -> bool {
        if !is_valid_slug(item) {
            return false;
        }
        let review = Review {
            item: item.to_owned(),
            result,
            day,
        };
        if let Err(pos) = self.reviews.binary_search(&review) {
            self.reviews.insert(pos, review);
            self.tick();
        }
        true
    }

    /// Logs one answered review question (an invalid item is refused).
    pub fn record_answer(&mut self, answer: Answer) -> bool {
        if !is_valid_item_key(&answer.item) {
            return false;
        }
        if let Err(pos) = self.answers.binary_search(&answer) {
            self.answers.insert(pos, answer);
            self.tick();
        }
        true
    }

    fn set_review_settings(&mut self, settings: crate::review::Settings) {
        let settings = settings.clamped();
        if self.review_settings != settings {
            self.review_settings = settings;
            self.review_settings_at = self.tick();
        }
    }

    /// Desired retention in percent (clamped to 70–97).
    pub fn set_review_retention(&mut self, percent: u8) -> bool {
        let s = self.review_settings;
        self.set_review_settings(crate::review::Settings {
            retention_percent: percent,
            ..s
        });
        true
    }

    /// New review items per day (at most 50).
    pub fn set_new_per_day(&mut self, n: u8) -> bool {
        let s = self.review_settings;
        self.set_review_settings(crate::review::Settings {
            new_per_day: n,
            ..s
        });
        true
    }

    pub fn set_lesson_done(&mut self, slug: &str, done: bool) -> bool {
        if !is_valid_slug(slug) {
            return false;
        }
        let changed = if done {
            self.lessons_done.insert(slug.to_owned())
        } else {
            self.lessons_done.remove(slug)
        };
        if changed {
            self.tick();
        }
        true
    }

    /// A decision lab counts as tried once the learner flips one of its inputs.
    pub fn set_lab_tried(&mut self, slug: &str) -> bool {
        if !is_valid_slug(slug) {
            return false;
        }
        if self.labs_tried.insert(slug.to_owned()) {
            self.tick();
        }
        true
    }

    pub fn set_last_place(&mut self, place: Option<&str>) -> bool {
        if place.is_some_and(|p| !is_valid_place(p)) {
            return false;
        }
        if self.last_place.as_deref() != place {
            self.last_place = place.map(str::to_owned);
            self.last_place_at = self.tick();
        }
        true
    }

    pub fn set_theme(&mut self, theme: Theme) -> bool {
        if self.theme != theme {
            self.theme = theme;
            self.theme_at = self.tick();
        }
        true
    }

    /// What "reset my progress" leaves: no learning recorded, but the theme
    /// and clock are kept (the clock must never run backwards). Keep the old
    /// value for undo and hand it back to `ProgressStore::replace`.
    pub fn reset_learning(&self) -> Progress {
        let mut fresh = Progress {
            updated: self.updated,
            theme: self.theme,
            theme_at: self.theme_at,
            review_settings: self.review_settings,
            review_settings_at: self.review_settings_at,
            ..Progress::default()
        };
        fresh.tick();
        fresh
    }

    // ---- crate-internal field access for merge / import -----------------

    pub(crate) fn parts_mut(&mut self) -> PartsMut<'_> {
        PartsMut {
            updated: &mut self.updated,
            learned_terms: &mut self.learned_terms,
            cards: &mut self.cards,
            scenarios: &mut self.scenarios,
            reviews: &mut self.reviews,
            last_place: &mut self.last_place,
            last_place_at: &mut self.last_place_at,
            theme: &mut self.theme,
            theme_at: &mut self.theme_at,
            answers: &mut self.answers,
            review_settings: &mut self.review_settings,
            review_settings_at: &mut self.review_settings_at,
            lessons_done: &mut self.lessons_done,
            labs_tried: &mut self.labs_tried,
        }
    }
}

pub(crate) struct PartsMut<'a> {
    pub updated: &'a mut u64,
    pub learned_terms: &'a mut BTreeSet<String>,
    pub cards: &'a mut BTreeMap<String, CardProgress>,
    pub scenarios: &'a mut BTreeMap<String, ScenarioResult>,
    pub reviews: &'a mut Vec<Review>,
    pub last_place: &'a mut Option<String>,
    pub last_place_at: &'a mut u64,
    pub theme: &'a mut Theme,
    pub theme_at: &'a mut u64,
    pub answers: &'a mut Vec<Answer>,
    pub review_settings: &'a mut crate::review::Settings,
    pub review_settings_at: &'a mut u64,
    pub lessons_done: &'a mut BTreeSet<String>,
    pub labs_tried: &'a mut BTreeSet<String>,
}
