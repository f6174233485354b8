#![cfg(not(target_arch = "wasm32"))]
//! The shipped content: complete, sound, cross-linked, and word for word the
//! user's own text (compared with the seed pages in tests/fixtures/seeds/).

use vango_study_lab::content::schema::{self, Category};
use vango_study_lab::content::{catalog, search::Index};

const GLOSSARY_SEED: &str = include_str!("fixtures/seeds/001_fec349260e4d4024.txt");
const CARDS_SEED: &str = include_str!("fixtures/seeds/000_8bd0e1aff5265517.txt");

/// The seed pages' paragraphs, after the page chrome ("Study Lab", "local appVango").
fn paragraphs(seed: &str) -> Vec<&str> {
    seed.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .skip(1)
        .collect()
}

#[test]
fn counts_match_the_product() {
    let c = catalog();
    assert_eq!(c.terms.len(), 16);
    assert_eq!(c.cards.len(), 7);
    assert!(c.cards.iter().all(|card| card.signals.len() == 3));
}

#[test]
fn glossary_is_the_seed_word_for_word() {
    let p = paragraphs(GLOSSARY_SEED);
    assert_eq!(p[0], "Glossary");
    assert_eq!(p[1], catalog().glossary_intro);
    let body = &p[2..];
    assert_eq!(
        body.len(),
        16 * 5,
        "each seed term is name, category, definition, 'Common trap', trap"
    );
    for chunk in body.chunks(5) {
        let term = catalog()
            .terms
            .iter()
            .find(|t| t.name == chunk[0])
            .unwrap_or_else(|| panic!("seed term {:?} is not shipped", chunk[0]));
        assert_eq!(term.category.label(), chunk[1], "{}", term.slug);
        assert_eq!(term.definition, chunk[2], "{}", term.slug);
        assert_eq!(chunk[3], "Common trap");
        assert_eq!(term.trap, chunk[4], "{}", term.slug);
    }
}

#[test]
fn cards_are_the_seed_word_for_word_in_order() {
    let p = paragraphs(CARDS_SEED);
    assert_eq!(p[0], "Anti-Patterns");
    assert_eq!(p[1], catalog().cards_intro);
    let body = &p[2..];
    assert_eq!(body.len(), 7 * 6);
    for (chunk, card) in body.chunks(6).zip(&catalog().cards) {
        assert_eq!(card.name, chunk[0]);
        assert_eq!(card.lie, chunk[1]);
        assert_eq!(chunk[2], "Better model");
        assert_eq!(card.better_model, chunk[3]);
        assert_eq!(chunk[4], "Warning signals");
        let signals: Vec<&str> = chunk[5].lines().map(str::trim).collect();
        assert_eq!(card.signals, signals, "{}", card.slug);
    }
}

#[test]
fn content_obeys_every_rule() {
    let c = catalog();
    let glossary = schema::GlossaryFile {
        intro: c.glossary_intro.clone(),
        term: c.terms.clone(),
    };
    let cards = schema::CardsFile {
        intro: c.cards_intro.clone(),
        card: c.cards.clone(),
    };
    assert_eq!(schema::problems(&glossary, &cards), Vec::<String>::new());
}

#[test]
fn rules_catch_what_an_author_gets_wrong() {
    let c = catalog();
    let mut glossary = schema::GlossaryFile {
        intro: c.glossary_intro.clone(),
        term: c.terms.clone(),
    };
    let mut cards = schema::CardsFile {
        intro: c.cards_intro.clone(),
        card: c.cards.clone(),
    };
    glossary.term[1].slug = glossary.term[0].slug.clone();
    glossary.term[2].trap = "  ".into();
    glossary.term[3].related.push("no-such-term".into());
    cards.card[0].signals.pop();
    cards.card[1].slug = "Bad Slug".into();
    let problems = schema::problems(&glossary, &cards);
    let text = problems.join("\n");
    assert!(text.contains("slug is used twice"), "{text}");
    assert!(text.contains("`trap` is empty"), "{text}");
    assert!(text.contains("`no-such-term` does not exist"), "{text}");
    assert!(text.contains("has 2 warning signals"), "{text}");
    assert!(text.contains("slug must be lowercase"), "{text}");
    glossary.term.pop();
    assert!(schema::problems(&glossary, &cards)
        .iter()
        .any(|p| p.contains("15 terms")));
}

#[test]
fn every_category_is_used_and_terms_are_alphabetical() {
    let c = catalog();
    for cat in Category::ALL {
        assert!(
            !c.terms_in(Some(cat)).is_empty(),
            "{} has no terms",
            cat.label()
        );
        assert_eq!(Category::from_slug(cat.slug()), Some(cat));
    }
    let names: Vec<String> = c.terms.iter().map(|t| t.name.to_lowercase()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[test]
fn cards_link_the_terms_their_text_names() {
    let c = catalog();
    let slugs = |card: &str| -> Vec<String> {
        c.terms_of_card(card)
            .iter()
            .map(|t| t.slug.clone())
            .collect()
    };
    let routing = slugs("routing-by-healthy-backend");
    for t in ["route-owner", "route-epoch", "allocation"] {
        assert!(routing.contains(&t.to_string()), "{routing:?}");
    }
    assert!(slugs("sessions-teleport").contains(&"session-store".to_string()));
    assert!(slugs("sessions-teleport").contains(&"drain".to_string()));
    assert!(slugs("event-bus-as-database").contains(&"jetstream".to_string()));
    assert!(slugs("event-bus-as-database").contains(&"durable-consumer".to_string()));
    assert!(slugs("unsafe-wake-replay").contains(&"idempotency-key".to_string()));
    // Every card rests on at least one term, and every link resolves both ways.
    for card in &c.cards {
        let terms = c.terms_of_card(&card.slug);
        assert!(!terms.is_empty(), "{} links no term", card.slug);
        for t in terms {
            assert!(c
                .cards_mentioning(&t.slug)
                .iter()
                .any(|m| m.slug == card.slug));
        }
    }
}

#[test]
fn search_finds_by_name_trap_and_typo() {
    let index = Index::new(catalog());
    let first = |q: &str| index.search(q).all().next().map(|h| h.slug.clone());
    assert_eq!(first("drain").as_deref(), Some("drain"));
    assert_eq!(first("IDEMPOTENCY").as_deref(), Some("idempotency-key"));
    assert_eq!(first("idempotncy").as_deref(), Some("idempotency-key"));
    assert_eq!(first("confusing it with downtime").as_deref(), Some("rpo"));
    assert_eq!(
        first("compare and swap!").as_deref(),
        Some("compare-and-swap")
    );
    let signals = index.search("duplicate payments");
    assert_eq!(
        signals.cards.first().map(|h| h.slug.as_str()),
        Some("unsafe-wake-replay")
    );
    let none = index.search("kubernetes");
    assert!(none.is_empty());
    let typo = index.search("jetstraem zzzz");
    assert!(typo.is_empty());
    assert!(
        typo.suggestions.contains(&"JetStream".to_string()),
        "{:?}",
        typo.suggestions
    );
}

#[test]
fn search_highlights_the_matched_words() {
    let index = Index::new(catalog());
    let r = index.search("route epoch");
    let hit = r
        .terms
        .iter()
        .find(|h| h.slug == "route-epoch")
        .expect("found");
    let marked: Vec<&str> = hit
        .name
        .iter()
        .filter(|s| s.matched)
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(marked, ["Route", "epoch"]);
    let rebuilt: String = hit.name.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(rebuilt, "Route epoch");
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn search_never_panics_and_segments_rebuild_the_text(q in ".{0,300}") {
            let index = Index::new(catalog());
            let r = index.search(&q);
            for hit in r.all() {
                let name: String = hit.name.iter().map(|s| s.text.as_str()).collect();
                let source = catalog().term(&hit.slug).map(|t| t.name.clone())
                    .or_else(|| catalog().card(&hit.slug).map(|c| c.name.clone()));
                prop_assert_eq!(Some(name), source);
            }
        }
    }
}
