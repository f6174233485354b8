//! Which lessons and drills use a glossary term or an anti-pattern card,
//! derived from data: a lesson's `terms` and `cards`, a drill's switch (the
//! card it breaks) and its title and `teaches` text (terms it mentions).

use super::lessons::{lessons, Lesson};
use crate::content::{catalog, mentions};
use crate::sim::drill::drills;

/// The lessons and drills that use one term or card.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Uses {
    pub lessons: Vec<&'static Lesson>,
    /// (slug, title) in file order.
    pub drills: Vec<(String, String)>,
}

impl Uses {
    pub fn is_empty(&self) -> bool {
        self.lessons.is_empty() && self.drills.is_empty()
    }
}

pub fn term_uses(term_slug: &str) -> Uses {
    let Some(term) = catalog().term(term_slug) else {
        return Uses::default();
    };
    Uses {
        lessons: lessons()
            .iter()
            .filter(|l| l.terms.iter().any(|t| t == term_slug))
            .collect(),
        drills: drills()
            .into_iter()
            .filter(|d| mentions(&d.title, term) || mentions(&d.teaches, term))
            .map(|d| (d.slug, d.title))
            .collect(),
    }
}

pub fn card_uses(card_slug: &str) -> Uses {
    Uses {
        lessons: lessons()
            .iter()
            .filter(|l| l.cards.iter().any(|c| c == card_slug))
            .collect(),
        drills: drills()
            .into_iter()
            .filter(|d| d.switch.as_deref() == Some(card_slug))
            .map(|d| (d.slug, d.title))
            .collect(),
    }
}
