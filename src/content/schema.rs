//! The shape of the content files in `content/` and the rules they must obey.
//!
//! This file is compiled twice: by `build.rs` (so a broken content file fails
//! the build with a readable list of problems) and by the library (so tests and
//! the app use the same types). It must therefore depend on nothing but serde.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A glossary category. The order here is the order of the filter buttons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Category {
    Runtime,
    Deploy,
    Topology,
    Routing,
    #[serde(rename = "NATS")]
    Nats,
    #[serde(rename = "API")]
    Api,
    Recovery,
    #[serde(rename = "Distributed systems")]
    DistributedSystems,
    #[serde(rename = "Runtime services")]
    RuntimeServices,
}

impl Category {
    pub const ALL: [Category; 9] = [
        Category::Runtime,
        Category::Deploy,
        Category::Topology,
        Category::Routing,
        Category::Nats,
        Category::Api,
        Category::Recovery,
        Category::DistributedSystems,
        Category::RuntimeServices,
    ];

    /// The name as the learner reads it (and as the content file spells it).
    pub fn label(self) -> &'static str {
        match self {
            Category::Runtime => "Runtime",
            Category::Deploy => "Deploy",
            Category::Topology => "Topology",
            Category::Routing => "Routing",
            Category::Nats => "NATS",
            Category::Api => "API",
            Category::Recovery => "Recovery",
            Category::DistributedSystems => "Distributed systems",
            Category::RuntimeServices => "Runtime services",
        }
    }

    /// The URL form, e.g. `distributed-systems`.
    pub fn slug(self) -> &'static str {
        match self {
            Category::Runtime => "runtime",
            Category::Deploy => "deploy",
            Category::Topology => "topology",
            Category::Routing => "routing",
            Category::Nats => "nats",
            Category::Api => "api",
            Category::Recovery => "recovery",
            Category::DistributedSystems => "distributed-systems",
            Category::RuntimeServices => "runtime-services",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.slug() == slug)
    }
}

/// One glossary term, as written in `content/glossary.toml`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub slug: String,
    pub name: String,
    pub category: Category,
    pub definition: String,
    pub trap: String,
    /// Words that mean this term in other text; they turn mentions into links.
    pub aliases: Vec<String>,
    /// Slugs of other terms worth reading next.
    pub related: Vec<String>,
}

/// One anti-pattern card, as written in `content/anti_patterns.toml`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Card {
    pub slug: String,
    pub name: String,
    pub lie: String,
    pub better_model: String,
    pub signals: Vec<String>,
    /// Terms the card rests on that its text only implies.
    pub extra_terms: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryFile {
    pub intro: String,
    pub term: Vec<Term>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardsFile {
    pub intro: String,
    pub card: Vec<Card>,
}

pub const EXPECTED_TERMS: usize = 16;
pub const EXPECTED_CARDS: usize = 7;
pub const SIGNALS_PER_CARD: usize = 3;

/// A slug is what goes in URLs and saved progress: short, lowercase, hyphens.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 64
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Every rule the content must obey, as a list of problems an author can fix.
/// Empty means the content is sound.
pub fn problems(glossary: &GlossaryFile, cards: &CardsFile) -> Vec<String> {
    let mut out = Vec::new();
    if glossary.term.len() != EXPECTED_TERMS {
        out.push(format!(
            "glossary has {} terms; the product promises {EXPECTED_TERMS}",
            glossary.term.len()
        ));
    }
    if cards.card.len() != EXPECTED_CARDS {
        out.push(format!(
            "there are {} anti-pattern cards; the product promises {EXPECTED_CARDS}",
            cards.card.len()
        ));
    }
    if glossary.intro.trim().is_empty() || cards.intro.trim().is_empty() {
        out.push("a page intro is empty".to_string());
    }

    let mut slugs = BTreeSet::new();
    let term_slugs: BTreeSet<&str> = glossary.term.iter().map(|t| t.slug.as_str()).collect();
    for t in &glossary.term {
        let at = format!("term `{}`", t.slug);
        check_slug(&t.slug, &at, &mut slugs, &mut out);
        for (field, value) in [
            ("name", &t.name),
            ("definition", &t.definition),
            ("trap", &t.trap),
        ] {
            if value.trim().is_empty() {
                out.push(format!("{at}: `{field}` is empty"));
            }
        }
        if t.aliases.iter().all(|a| a.trim().is_empty()) {
            out.push(format!(
                "{at}: needs at least one alias so mentions can link to it"
            ));
        }
        for r in &t.related {
            if r == &t.slug {
                out.push(format!("{at}: lists itself as related"));
            } else if !term_slugs.contains(r.as_str()) {
                out.push(format!("{at}: related term `{r}` does not exist"));
            }
        }
    }
    for c in &cards.card {
        let at = format!("card `{}`", c.slug);
        check_slug(&c.slug, &at, &mut slugs, &mut out);
        for (field, value) in [
            ("name", &c.name),
            ("lie", &c.lie),
            ("better_model", &c.better_model),
        ] {
            if value.trim().is_empty() {
                out.push(format!("{at}: `{field}` is empty"));
            }
        }
        if c.signals.len() != SIGNALS_PER_CARD {
            out.push(format!(
                "{at}: has {} warning signals; each card has {SIGNALS_PER_CARD}",
                c.signals.len()
            ));
        }
        if c.signals.iter().any(|s| s.trim().is_empty()) {
            out.push(format!("{at}: a warning signal is empty"));
        }
        for r in &c.extra_terms {
            if !term_slugs.contains(r.as_str()) {
                out.push(format!("{at}: extra term `{r}` does not exist"));
            }
        }
    }
    out
}

fn check_slug(slug: &str, at: &str, seen: &mut BTreeSet<String>, out: &mut Vec<String>) {
    if !is_valid_slug(slug) {
        out.push(format!(
            "{at}: slug must be lowercase letters, digits and hyphens (at most 64)"
        ));
    }
    if !seen.insert(slug.to_string()) {
        out.push(format!(
            "{at}: slug is used twice (terms and cards share one namespace)"
        ));
    }
}
