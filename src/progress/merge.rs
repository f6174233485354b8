//! Combining two progress records.
//!
//! * [`merge`] is a join: commutative, associative and idempotent. It never
//!   loses an addition from either side (union of learned terms, spotted cards,
//!   ticked signals and reviews; the better scenario result; the most recent
//!   `last_place` / `theme` by their logical-clock stamps). Use it for
//!   "import and merge" and wherever two records must be combined blindly.
//! * [`rebase`] is a three-way merge used by the store when another tab has
//!   written since we last read: it applies *our* changes since `base` on top
//!   of *theirs*. Additions from both sides survive; deliberate removals
//!   (untick, unlearn, reset) also survive, which a plain union would undo.

use std::collections::{BTreeMap, BTreeSet};

use super::schema::{CardProgress, Progress, Review, ScenarioResult};

/// Last-writer-wins choice: the pair with the larger (stamp, value) wins, so
/// ties are broken deterministically.
fn lww<T: Ord + Clone>(a: (u64, &T), b: (u64, &T)) -> (u64, T) {
    if (a.0, a.1) >= (b.0, b.1) {
        (a.0, a.1.clone())
    } else {
        (b.0, b.1.clone())
    }
}

/// Join of two progress records (see module docs).
pub fn merge(a: &Progress, b: &Progress) -> Progress {
    let mut out = a.clone();
    let mut b = b.clone();
    let o = out.parts_mut();
    let bp = b.parts_mut();

    *o.updated = (*o.updated).max(*bp.updated);
    o.learned_terms.append(bp.learned_terms);
    for (slug, card) in std::mem::take(bp.cards) {
        let mine = o.cards.entry(slug).or_default();
        mine.spotted |= card.spotted;
        mine.ticked.extend(card.ticked);
    }
    for (slug, res) in std::mem::take(bp.scenarios) {
        o.scenarios
            .entry(slug)
            .and_modify(|r| *r = r.better(res))
            .or_insert(res);
    }
    let mut reviews: BTreeSet<Review> = std::mem::take(o.reviews).into_iter().collect();
    reviews.extend(std::mem::take(bp.reviews));
    *o.reviews = reviews.into_iter().collect();

    let (at, place) = lww(
        (*o.last_place_at, &*o.last_place),
        (*bp.last_place_at, &*bp.last_place),
    );
    *o.last_place_at = at;
    *o.last_place = place;
    let (at, theme) = lww((*o.theme_at, &*o.theme), (*bp.theme_at, &*bp.theme));
    *o.theme_at = at;
    *o.theme = theme;
    out
}

/// `theirs ∪ (ours ∖ base) ∖ (base ∖ ours)`.
fn rebase_set<T: Ord + Clone>(
    base: &BTreeSet<T>,
    ours: &BTreeSet<T>,
    theirs: &BTreeSet<T>,
) -> BTreeSet<T> {
    let mut out = theirs.clone();
    out.extend(ours.difference(base).cloned());
    for removed in base.difference(ours) {
        out.remove(removed);
    }
    out
}

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum CardAtom {
    Spotted(String),
    Ticked(String, u8),
}

fn card_atoms(cards: &BTreeMap<String, CardProgress>) -> BTreeSet<CardAtom> {
    let mut out = BTreeSet::new();
    for (slug, c) in cards {
        if c.spotted {
            out.insert(CardAtom::Spotted(slug.clone()));
        }
        for &i in &c.ticked {
            out.insert(CardAtom::Ticked(slug.clone(), i));
        }
    }
    out
}

fn cards_from_atoms(atoms: BTreeSet<CardAtom>) -> BTreeMap<String, CardProgress> {
    let mut out: BTreeMap<String, CardProgress> = BTreeMap::new();
    for a in atoms {
        match a {
            CardAtom::Spotted(s) => out.entry(s).or_default().spotted = true,
            CardAtom::Ticked(s, i) => {
                out.entry(s).or_default().ticked.insert(i);
            }
        }
    }
    out
}

fn rebase_register<T: Ord + Clone>(
    base: (u64, &T),
    ours: (u64, &T),
    theirs: (u64, &T),
) -> (u64, T) {
    if ours == base {
        (theirs.0, theirs.1.clone())
    } else if theirs == base {
        (ours.0, ours.1.clone())
    } else {
        lww(ours, theirs)
    }
}

/// Three-way merge: our changes since `base` applied on top of `theirs`
/// (see module docs). `rebase(b, b, t) == t` and `rebase(b, o, b) == o`
/// (up to the logical clock, which is the maximum of the three).
pub fn rebase(base: &Progress, ours: &Progress, theirs: &Progress) -> Progress {
    let mut b = base.clone();
    let mut o = ours.clone();
    let mut t = theirs.clone();
    let (b, o, t) = (b.parts_mut(), o.parts_mut(), t.parts_mut());

    let mut out = Progress::default();
    let r = out.parts_mut();
    *r.updated = (*b.updated).max(*o.updated).max(*t.updated);
    *r.learned_terms = rebase_set(b.learned_terms, o.learned_terms, t.learned_terms);
    *r.cards = cards_from_atoms(rebase_set(
        &card_atoms(b.cards),
        &card_atoms(o.cards),
        &card_atoms(t.cards),
    ));

    let mut scenarios: BTreeMap<String, ScenarioResult> = BTreeMap::new();
    let keys: BTreeSet<&String> = b
        .scenarios
        .keys()
        .chain(o.scenarios.keys())
        .chain(t.scenarios.keys())
        .collect();
    for k in keys {
        let (bv, ov, tv) = (b.scenarios.get(k), o.scenarios.get(k), t.scenarios.get(k));
        let chosen = if ov == bv {
            tv.copied()
        } else if tv == bv {
            ov.copied()
        } else {
            match (ov, tv) {
                (None, _) => None, // we cleared it
                (Some(o), None) => Some(*o),
                (Some(o), Some(t)) => Some(o.better(*t)),
            }
        };
        if let Some(c) = chosen {
            scenarios.insert(k.clone(), c);
        }
    }
    *r.scenarios = scenarios;

    let set = |v: &Vec<Review>| v.iter().cloned().collect::<BTreeSet<_>>();
    *r.reviews = rebase_set(&set(b.reviews), &set(o.reviews), &set(t.reviews))
        .into_iter()
        .collect();

    let (at, place) = rebase_register(
        (*b.last_place_at, &*b.last_place),
        (*o.last_place_at, &*o.last_place),
        (*t.last_place_at, &*t.last_place),
    );
    *r.last_place_at = at;
    *r.last_place = place;
    let (at, theme) = rebase_register(
        (*b.theme_at, &*b.theme),
        (*o.theme_at, &*o.theme),
        (*t.theme_at, &*t.theme),
    );
    *r.theme_at = at;
    *r.theme = theme;
    out
}
