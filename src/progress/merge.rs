//! Combining two progress records.
//!
//! [`merge`] is a join: commutative, associative and idempotent. It never
//! loses an addition from either side (union of learned terms, spotted cards,
//! ticked signals and reviews; the better scenario result; the most recent
//! `last_place` / `theme` by their logical-clock stamps). Use it for "import
//! and merge" and undo. Tabs are combined by `Ledger::join` instead, which
//! also carries removals (untick, unlearn, reset) that a union would undo.

use std::collections::BTreeSet;

use super::schema::{Answer, Progress, Review};

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
    let mut answers: BTreeSet<Answer> = std::mem::take(o.answers).into_iter().collect();
    answers.extend(std::mem::take(bp.answers));
    *o.answers = answers.into_iter().collect();
    o.lessons_done.append(bp.lessons_done);
    o.labs_tried.append(bp.labs_tried);
    let (at, settings) = lww(
        (*o.review_settings_at, &*o.review_settings),
        (*bp.review_settings_at, &*bp.review_settings),
    );
    *o.review_settings_at = at;
    *o.review_settings = settings;

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
