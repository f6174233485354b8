//! The glossary and the anti-pattern cards: typed, validated data.
//!
//! The text lives in `content/*.toml`; `build.rs` validates it and embeds a
//! JSON copy that [`catalog`] parses once. Everything the pages show about a
//! term or a card (its links, what mentions it) is derived here, not in views.

pub mod schema;
pub mod search;

pub use schema::{Card, Category, Term};

use std::sync::OnceLock;

const GLOSSARY_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/glossary.json"));
const CARDS_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/anti_patterns.json"));

/// All content, with the cross-links worked out.
#[derive(Debug)]
pub struct Catalog {
    pub glossary_intro: String,
    pub cards_intro: String,
    /// Alphabetical by name.
    pub terms: Vec<Term>,
    /// In teaching order.
    pub cards: Vec<Card>,
    /// For each card (same index), the slugs of the terms it rests on.
    card_terms: Vec<Vec<String>>,
}

/// The content, parsed on first use. The build already validated it, so a
/// parse failure here would be a build bug, not bad input.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let glossary: schema::GlossaryFile =
            serde_json::from_str(GLOSSARY_JSON).expect("build.rs wrote valid glossary JSON");
        let cards: schema::CardsFile =
            serde_json::from_str(CARDS_JSON).expect("build.rs wrote valid cards JSON");
        Catalog::new(glossary, cards)
    })
}

impl Catalog {
    pub fn new(glossary: schema::GlossaryFile, cards: schema::CardsFile) -> Catalog {
        let mut terms = glossary.term;
        terms.sort_by_key(|t| t.name.to_lowercase());
        let card_terms = cards
            .card
            .iter()
            .map(|c| {
                let text = [c.lie.as_str(), c.better_model.as_str()]
                    .into_iter()
                    .chain(c.signals.iter().map(String::as_str));
                let mut found: Vec<String> = Vec::new();
                for t in &terms {
                    let mentioned = text.clone().any(|s| mentions(s, t));
                    if mentioned || c.extra_terms.contains(&t.slug) {
                        found.push(t.slug.clone());
                    }
                }
                found
            })
            .collect();
        Catalog {
            glossary_intro: glossary.intro,
            cards_intro: cards.intro,
            terms,
            cards: cards.card,
            card_terms,
        }
    }

    pub fn term(&self, slug: &str) -> Option<&Term> {
        self.terms.iter().find(|t| t.slug == slug)
    }

    pub fn card(&self, slug: &str) -> Option<&Card> {
        self.cards.iter().find(|c| c.slug == slug)
    }

    /// The glossary terms a card rests on, alphabetical.
    pub fn terms_of_card(&self, card_slug: &str) -> Vec<&Term> {
        let Some(i) = self.cards.iter().position(|c| c.slug == card_slug) else {
            return Vec::new();
        };
        self.card_terms[i]
            .iter()
            .filter_map(|s| self.term(s))
            .collect()
    }

    /// The cards that rest on a term, in teaching order.
    pub fn cards_mentioning(&self, term_slug: &str) -> Vec<&Card> {
        self.cards
            .iter()
            .zip(&self.card_terms)
            .filter(|(_, ts)| ts.iter().any(|s| s == term_slug))
            .map(|(c, _)| c)
            .collect()
    }

    /// Terms in one category (or all), alphabetical.
    pub fn terms_in(&self, category: Option<Category>) -> Vec<&Term> {
        self.terms
            .iter()
            .filter(|t| category.is_none_or(|c| t.category == c))
            .collect()
    }

    pub fn term_slugs(&self) -> Vec<&str> {
        self.terms.iter().map(|t| t.slug.as_str()).collect()
    }

    pub fn card_slugs(&self) -> Vec<&str> {
        self.cards.iter().map(|c| c.slug.as_str()).collect()
    }
}

/// Does `text` mention the term by one of its aliases, as whole words?
/// Case matters only for all-caps aliases (so "CAS" is not "cas" in a word).
pub fn mentions(text: &str, term: &Term) -> bool {
    let words = words(text);
    term.aliases.iter().any(|alias| {
        let caps = alias.chars().any(|c| c.is_ascii_alphabetic())
            && !alias.chars().any(|c| c.is_ascii_lowercase());
        let needle = words_cased(alias, !caps);
        let hay: Vec<String> = if caps {
            words_cased(text, false)
        } else {
            words.clone()
        };
        !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle.as_slice())
    })
}

/// Lowercased words: letters and digits, split on everything else.
pub fn words(text: &str) -> Vec<String> {
    words_cased(text, true)
}

fn words_cased(text: &str, lower: bool) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            if lower {
                w.to_lowercase()
            } else {
                w.to_string()
            }
        })
        .collect()
}
