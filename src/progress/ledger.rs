//! What a tab writes to storage (format version [`LEDGER_VERSION`]): every
//! mark the learner ever set or cleared, each with a stamp, so that any number
//! of tabs can be combined by a join.
//!
//! Why not one shared blob: `localStorage` has no transaction across tabs.
//! Two renderer processes that read-modify-write one key at the same instant
//! both read the old value and the second write erases the first. So each tab
//! writes only its own key ([`tab_key`]), and every reader folds all tab keys
//! with [`Ledger::join`]. The join is commutative, associative and idempotent
//! (a per-entry maximum over a total order), so the order in which tabs and
//! writes are seen never matters, and reading a key twice changes nothing.
//!
//! A mark is on or off with a stamp `(at, on, tab)`: `at` is a Lamport clock
//! (one more than the largest stamp this tab has seen), so a learner's click
//! always beats everything that tab had already seen, and an untick or a reset
//! is a tombstone that beats the older tick instead of being undone by a
//! union. Two tabs changing the *same* mark at the same clock value is the only
//! real conflict; then "on" wins (nothing ticked is lost), then the tab id.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::migrate::DecodeError;
use super::schema::{
    is_valid_item_key, is_valid_place, is_valid_slug, Answer, Progress, RawProgress, Review,
    ReviewResult, ScenarioResult, Theme, MAX_BLOB_BYTES, SIGNALS_PER_CARD,
};
use crate::review::Settings;

/// The format version of a tab's ledger blob.
pub const LEDGER_VERSION: u32 = 3;
/// Prefix of every tab's own key: `vango-study-lab/progress/tab/<tab id>`.
pub const TAB_KEY_PREFIX: &str = "vango-study-lab/progress/tab/";
/// Longest tab id accepted.
pub const MAX_TAB_ID_LEN: usize = 32;

/// `true` for `[a-z0-9]{1,32}`.
pub fn is_valid_tab_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_TAB_ID_LEN
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// The key only tab `tab` writes.
pub fn tab_key(tab: &str) -> String {
    format!("{TAB_KEY_PREFIX}{tab}")
}

/// One thing the learner can mark. Each maps to one fact of [`Progress`],
/// except `Completed`, where the scenario's result is the fewest steps among
/// the completions that are on.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mark {
    Learned(String),
    Spotted(String),
    Ticked(String, u8),
    Completed(String, u32),
    Reviewed(Review),
    /// One answer of the review log (`answered/definition/drain/<at>/<grade>`).
    Answered(Answer),
    LessonDone(String),
    LabTried(String),
}

fn result_name(r: ReviewResult) -> &'static str {
    match r {
        ReviewResult::Again => "again",
        ReviewResult::Hard => "hard",
        ReviewResult::Good => "good",
        ReviewResult::Easy => "easy",
    }
}

impl Mark {
    /// The stored name: `learned/drain`, `ticked/logs-as-truth/2`,
    /// `completed/drain-a-cell/7`, `reviewed/drain/good/3`.
    pub fn key(&self) -> String {
        match self {
            Mark::Learned(s) => format!("learned/{s}"),
            Mark::Spotted(s) => format!("spotted/{s}"),
            Mark::Ticked(s, i) => format!("ticked/{s}/{i}"),
            Mark::Completed(s, n) => format!("completed/{s}/{n}"),
            Mark::Reviewed(r) => format!("reviewed/{}/{}/{}", r.item, result_name(r.result), r.day),
            Mark::Answered(a) => format!("answered/{}/{}/{}", a.item, a.at, a.grade as u8),
            Mark::LessonDone(s) => format!("lesson/{s}"),
            Mark::LabTried(s) => format!("lab/{s}"),
        }
    }

    /// Reads a stored name; `None` for anything this version cannot use.
    pub fn parse(key: &str) -> Option<Mark> {
        let parts: Vec<&str> = key.split('/').collect();
        let slug = |s: &str| is_valid_slug(s).then(|| s.to_owned());
        match parts.as_slice() {
            ["learned", s] => slug(s).map(Mark::Learned),
            ["spotted", s] => slug(s).map(Mark::Spotted),
            ["ticked", s, i] => {
                let i: u8 = i.parse().ok().filter(|i| *i < SIGNALS_PER_CARD)?;
                slug(s).map(|s| Mark::Ticked(s, i))
            }
            ["completed", s, n] => {
                let n: u32 = n.parse().ok()?;
                slug(s).map(|s| Mark::Completed(s, n))
            }
            ["reviewed", s, r, d] => {
                let result = match *r {
                    "again" => ReviewResult::Again,
                    "hard" => ReviewResult::Hard,
                    "good" => ReviewResult::Good,
                    "easy" => ReviewResult::Easy,
                    _ => return None,
                };
                let day: u32 = d.parse().ok()?;
                slug(s).map(|item| Mark::Reviewed(Review { item, result, day }))
            }
            // An item key has one slash or, for a prediction, two (`prediction/<drill>/<step>`).
            ["answered", kind, item @ .., at, g] if !item.is_empty() => {
                let item = format!("{kind}/{}", item.join("/"));
                let at: u64 = at.parse().ok()?;
                let grade = g.parse().ok().and_then(crate::review::Grade::from_number)?;
                is_valid_item_key(&item).then_some(Mark::Answered(Answer { at, item, grade }))
            }
            ["lesson", s] => slug(s).map(Mark::LessonDone),
            ["lab", s] => slug(s).map(Mark::LabTried),
            _ => None,
        }
    }
}

/// When and by whom a mark was last set or cleared. Ordered by `at`, then
/// `on` (so "on" wins a tie), then `tab`: a total order, so the maximum is a
/// join.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Stamp {
    pub at: u64,
    pub on: bool,
    pub tab: String,
}

/// A last-writer-wins value (place, theme), ordered by `(at, tab, value)`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Register<T> {
    pub at: u64,
    pub tab: String,
    pub value: T,
}

/// Every mark with its latest stamp, plus the two preferences. See the module
/// docs for why this shape.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    /// Lamport clock: never below any stamp in the ledger.
    clock: u64,
    marks: BTreeMap<Mark, Stamp>,
    place: Option<Register<Option<String>>>,
    theme: Option<Register<Theme>>,
    review: Option<Register<Settings>>,
}

fn join_opt<T: Ord + Clone>(a: &mut Option<T>, b: &Option<T>) {
    if let Some(b) = b {
        if a.as_ref().is_none_or(|a| b > a) {
            *a = Some(b.clone());
        }
    }
}

/// The marks a progress record shows (scenarios as their best result).
fn marks_of(p: &Progress) -> Vec<Mark> {
    let mut out: Vec<Mark> = p
        .learned_terms()
        .iter()
        .cloned()
        .map(Mark::Learned)
        .collect();
    for (slug, card) in p.cards() {
        if card.spotted {
            out.push(Mark::Spotted(slug.clone()));
        }
        out.extend(card.ticked.iter().map(|i| Mark::Ticked(slug.clone(), *i)));
    }
    for (slug, r) in p.scenarios() {
        out.push(Mark::Completed(slug.clone(), r.best_steps));
    }
    out.extend(p.reviews().iter().cloned().map(Mark::Reviewed));
    out.extend(p.answers().iter().cloned().map(Mark::Answered));
    out.extend(p.lessons_done().iter().cloned().map(Mark::LessonDone));
    out.extend(p.labs_tried().iter().cloned().map(Mark::LabTried));
    out
}

impl Ledger {
    /// Everything in `p`, stamped at time 0 by no tab: what an older, single
    /// blob format becomes. Any later change (stamped from 1) beats it.
    pub fn from_progress(p: &Progress) -> Ledger {
        let mut l = Ledger::default();
        let stamp = Stamp {
            at: 0,
            on: true,
            tab: String::new(),
        };
        for m in marks_of(p) {
            l.marks.insert(m, stamp.clone());
        }
        if p.last_place().is_some() {
            l.place = Some(Register {
                at: 0,
                tab: String::new(),
                value: p.last_place().map(str::to_owned),
            });
        }
        if p.theme() != Theme::System {
            l.theme = Some(Register {
                at: 0,
                tab: String::new(),
                value: p.theme(),
            });
        }
        if p.review_settings() != Settings::default() {
            l.review = Some(Register {
                at: 0,
                tab: String::new(),
                value: p.review_settings(),
            });
        }
        l
    }

    /// The Lamport clock.
    pub fn clock(&self) -> u64 {
        self.clock
    }

    /// Every mark and its stamp.
    pub fn marks(&self) -> &BTreeMap<Mark, Stamp> {
        &self.marks
    }

    /// Combines two ledgers: per entry, the larger stamp. Commutative,
    /// associative and idempotent.
    pub fn join(&mut self, other: &Ledger) {
        self.clock = self.clock.max(other.clock);
        for (m, s) in &other.marks {
            match self.marks.get_mut(m) {
                Some(mine) if *mine >= *s => {}
                Some(mine) => *mine = s.clone(),
                None => {
                    self.marks.insert(m.clone(), s.clone());
                }
            }
        }
        join_opt(&mut self.place, &other.place);
        join_opt(&mut self.theme, &other.theme);
        join_opt(&mut self.review, &other.review);
    }

    /// `join` as a value.
    pub fn joined(mut self, other: &Ledger) -> Ledger {
        self.join(other);
        self
    }

    fn set(&mut self, m: Mark, at: u64, on: bool, tab: &str) {
        self.marks.insert(
            m,
            Stamp {
                at,
                on,
                tab: tab.to_owned(),
            },
        );
    }

    /// Records, as tab `tab`, the learner's changes from `before` (a view this
    /// ledger produced) to `after`. Every change gets a stamp newer than
    /// anything this ledger has seen, so it shows in [`Ledger::view`] at once.
    /// Returns `true` when something was recorded.
    pub fn record(&mut self, tab: &str, before: &Progress, after: &Progress) -> bool {
        let at = self.clock.saturating_add(1);
        let mut changed = false;
        let was: std::collections::BTreeSet<Mark> = marks_of(before).into_iter().collect();
        let now: std::collections::BTreeSet<Mark> = marks_of(after).into_iter().collect();
        for m in now.difference(&was) {
            if let Mark::Completed(slug, n) = m {
                // A better (or, after a replace, a different) result: results
                // better than it that are still on must go for it to show.
                let better: Vec<Mark> = self
                    .marks
                    .iter()
                    .filter(|(k, s)| {
                        s.on && matches!(k, Mark::Completed(s2, n2) if s2 == slug && n2 < n)
                    })
                    .map(|(k, _)| k.clone())
                    .collect();
                for b in better {
                    self.set(b, at, false, tab);
                }
            }
            self.set(m.clone(), at, true, tab);
            changed = true;
        }
        for m in was.difference(&now) {
            match m {
                Mark::Completed(slug, _) if after.scenario(slug).is_some() => {
                    // Replaced by another result, handled above; the old one
                    // no longer shows, so it need not be cleared.
                }
                Mark::Completed(slug, _) => {
                    let all: Vec<Mark> = self
                        .marks
                        .iter()
                        .filter(|(k, s)| s.on && matches!(k, Mark::Completed(s2, _) if s2 == slug))
                        .map(|(k, _)| k.clone())
                        .collect();
                    for k in all {
                        self.set(k, at, false, tab);
                    }
                    changed = true;
                }
                other => {
                    self.set(other.clone(), at, false, tab);
                    changed = true;
                }
            }
        }
        if before.last_place() != after.last_place() {
            self.place = Some(Register {
                at,
                tab: tab.to_owned(),
                value: after.last_place().map(str::to_owned),
            });
            changed = true;
        }
        if before.theme() != after.theme() {
            self.theme = Some(Register {
                at,
                tab: tab.to_owned(),
                value: after.theme(),
            });
            changed = true;
        }
        if before.review_settings() != after.review_settings() {
            self.review = Some(Register {
                at,
                tab: tab.to_owned(),
                value: after.review_settings(),
            });
            changed = true;
        }
        if changed {
            self.clock = at;
        }
        changed
    }

    /// What the learner sees: the marks that are on.
    pub fn view(&self) -> Progress {
        let mut raw = RawProgress {
            updated: self.clock,
            ..RawProgress::default()
        };
        for (m, s) in &self.marks {
            if !s.on {
                continue;
            }
            match m {
                Mark::Learned(t) => raw.learned_terms.push(t.clone()),
                Mark::Spotted(c) => raw.cards.entry(c.clone()).or_default().spotted = true,
                Mark::Ticked(c, i) => {
                    raw.cards.entry(c.clone()).or_default().ticked.insert(*i);
                }
                Mark::Completed(sl, n) => {
                    let r = ScenarioResult { best_steps: *n };
                    raw.scenarios
                        .entry(sl.clone())
                        .and_modify(|old| *old = old.better(r))
                        .or_insert(r);
                }
                Mark::Reviewed(r) => raw.reviews.push(r.clone()),
                Mark::Answered(a) => raw.answers.push(a.clone()),
                Mark::LessonDone(l) => raw.lessons_done.push(l.clone()),
                Mark::LabTried(l) => raw.labs_tried.push(l.clone()),
            }
        }
        if let Some(p) = &self.place {
            raw.last_place = p.value.clone();
            raw.last_place_at = p.at;
        }
        if let Some(t) = &self.theme {
            raw.theme = t.value;
            raw.theme_at = t.at;
        }
        if let Some(r) = &self.review {
            raw.review_settings = r.value;
            raw.review_settings_at = r.at;
        }
        Progress::from_raw(raw).0
    }

    /// `true` when every on-mark is also on in `other` view-wise and nothing
    /// here is newer than there: folding `self` into `other` adds nothing.
    pub fn is_covered_by(&self, other: &Ledger) -> bool {
        other.clone().joined(self) == *other
    }
}

/// A tab's blob as stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TabBlob {
    pub ledger: Ledger,
    /// The tab has gone (page hidden for good); it never writes this key
    /// again, so another tab may fold it into its own and remove it.
    pub closed: bool,
    /// When the tab opened (ms since the Unix epoch, the browser's clock);
    /// a key left by a crashed tab is folded away once it is old.
    pub opened_ms: u64,
}

#[derive(Serialize, Deserialize)]
struct WireStamp(u64, String, bool);

#[derive(Serialize, Deserialize)]
struct WireRegister<T>(u64, String, T);

/// Serializes a tab's blob.
pub fn encode_tab(blob: &TabBlob) -> String {
    let l = &blob.ledger;
    let mut marks = Map::new();
    for (m, s) in &l.marks {
        let v = serde_json::to_value(WireStamp(s.at, s.tab.clone(), s.on)).unwrap_or(Value::Null);
        marks.insert(m.key(), v);
    }
    let reg = |r: Option<Value>| r.unwrap_or(Value::Null);
    let v = serde_json::json!({
        "version": LEDGER_VERSION,
        "closed": blob.closed,
        "opened_ms": blob.opened_ms,
        "clock": l.clock,
        "marks": marks,
        "place": reg(l.place.as_ref().and_then(|r| serde_json::to_value(WireRegister(r.at, r.tab.clone(), r.value.clone())).ok())),
        "theme": reg(l.theme.as_ref().and_then(|r| serde_json::to_value(WireRegister(r.at, r.tab.clone(), r.value)).ok())),
        "review": reg(l.review.as_ref().and_then(|r| serde_json::to_value(WireRegister(r.at, r.tab.clone(), r.value)).ok())),
    });
    serde_json::to_string(&v).unwrap_or_default()
}

/// A tab's blob as read: what could be used, and what had to be skipped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedTab {
    pub blob: TabBlob,
    pub skipped: Vec<String>,
}

fn valid_tab_or_empty(t: &str) -> bool {
    t.is_empty() || is_valid_tab_id(t)
}

/// Reads a tab's blob. Never panics. Entries this version cannot use
/// (unknown mark names, bad stamps) are skipped and listed; a blob that is not
/// a version-3 object at all is an error. Use `read_version` first to tell a
/// newer format apart.
pub fn decode_tab(text: &str) -> Result<DecodedTab, DecodeError> {
    if text.len() > MAX_BLOB_BYTES {
        return Err(DecodeError::TooLarge { bytes: text.len() });
    }
    let value: Value =
        serde_json::from_str(text).map_err(|e| DecodeError::NotJson(e.to_string()))?;
    let version = super::migrate::read_version(&value)?;
    let obj = value.as_object().ok_or(DecodeError::NotAnObject)?;
    let shape = |detail: String| DecodeError::Shape { version, detail };
    if version != LEDGER_VERSION {
        return Err(shape("not a tab's progress".into()));
    }
    let mut skipped = Vec::new();
    let mut blob = TabBlob {
        closed: obj.get("closed").and_then(Value::as_bool).unwrap_or(false),
        opened_ms: obj.get("opened_ms").and_then(Value::as_u64).unwrap_or(0),
        ..TabBlob::default()
    };
    let l = &mut blob.ledger;
    l.clock = obj
        .get("clock")
        .and_then(Value::as_u64)
        .ok_or_else(|| shape("no clock".into()))?;
    let marks = obj
        .get("marks")
        .and_then(Value::as_object)
        .ok_or_else(|| shape("no marks".into()))?;
    for (k, v) in marks {
        let stamp = serde_json::from_value::<WireStamp>(v.clone())
            .ok()
            .filter(|s| valid_tab_or_empty(&s.1));
        match (Mark::parse(k), stamp) {
            (Some(m), Some(WireStamp(at, tab, on))) => {
                l.clock = l.clock.max(at);
                l.marks.insert(m, Stamp { at, on, tab });
            }
            _ => skipped.push(format!("mark {k:?} (unreadable)")),
        }
    }
    match obj.get("place") {
        None | Some(Value::Null) => {}
        Some(v) => match serde_json::from_value::<WireRegister<Option<String>>>(v.clone()) {
            Ok(WireRegister(at, tab, value))
                if valid_tab_or_empty(&tab) && value.as_deref().is_none_or(is_valid_place) =>
            {
                l.clock = l.clock.max(at);
                l.place = Some(Register { at, tab, value });
            }
            _ => skipped.push("last place (unreadable)".into()),
        },
    }
    match obj.get("theme") {
        None | Some(Value::Null) => {}
        Some(v) => match serde_json::from_value::<WireRegister<Theme>>(v.clone()) {
            Ok(WireRegister(at, tab, value)) if valid_tab_or_empty(&tab) => {
                l.clock = l.clock.max(at);
                l.theme = Some(Register { at, tab, value });
            }
            _ => skipped.push("theme (unreadable)".into()),
        },
    }
    match obj.get("review") {
        None | Some(Value::Null) => {}
        Some(v) => match serde_json::from_value::<WireRegister<Settings>>(v.clone()) {
            Ok(WireRegister(at, tab, value)) if valid_tab_or_empty(&tab) => {
                l.clock = l.clock.max(at);
                l.review = Some(Register {
                    at,
                    tab,
                    value: value.clamped(),
                });
            }
            _ => skipped.push("review settings (unreadable)".into()),
        },
    }
    Ok(DecodedTab { blob, skipped })
}
