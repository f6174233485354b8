//! Review questions, generated from the content: what can be asked, and one
//! multiple-choice question for an item, with distractors that are plausible
//! (same category first) and never the answer in disguise.

use crate::checker::splitmix64;
use crate::content::{Catalog, Category};

/// How many options a question offers when the content has enough.
pub const OPTIONS: usize = 4;

/// One fact the learner should remember; the unit the scheduler plans.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Item {
    /// A term and its definition, asked both ways.
    Definition(String),
    /// The common trap of a term.
    Trap(String),
    /// An anti-pattern and its warning signals, asked both ways.
    Signals(String),
}

impl Item {
    /// The stable key saved in the review log, e.g. `definition/drain`.
    pub fn key(&self) -> String {
        match self {
            Item::Definition(s) => format!("definition/{s}"),
            Item::Trap(s) => format!("trap/{s}"),
            Item::Signals(s) => format!("signals/{s}"),
        }
    }

    /// The item a key names, if the content still has it.
    pub fn from_key(catalog: &Catalog, key: &str) -> Option<Item> {
        let (kind, slug) = key.split_once('/')?;
        let item = match kind {
            "definition" => Item::Definition(catalog.term(slug)?.slug.clone()),
            "trap" => Item::Trap(catalog.term(slug)?.slug.clone()),
            "signals" => Item::Signals(catalog.card(slug)?.slug.clone()),
            _ => return None,
        };
        Some(item)
    }

    /// The glossary term or card this item is about.
    pub fn subject(&self) -> Subject {
        match self {
            Item::Definition(s) | Item::Trap(s) => Subject::Term(s.clone()),
            Item::Signals(s) => Subject::Card(s.clone()),
        }
    }
}

/// What an answer links back to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Subject {
    Term(String),
    Card(String),
}

/// Every item the content can ask about, in teaching order: definitions, then
/// traps (a trap makes sense once the term does), then the cards' signals.
pub fn all_items(catalog: &Catalog) -> Vec<Item> {
    let terms = || catalog.terms.iter().map(|t| t.slug.clone());
    terms()
        .map(Item::Definition)
        .chain(terms().map(Item::Trap))
        .chain(catalog.cards.iter().map(|c| Item::Signals(c.slug.clone())))
        .collect()
}

/// The ways an item can be asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Form {
    TermToDefinition,
    DefinitionToTerm,
    TermToTrap,
    CardToSignal,
    SignalToCard,
}

/// One multiple-choice question.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    pub item: Item,
    pub form: Form,
    /// The question, e.g. "Which definition belongs to Drain?".
    pub prompt: String,
    /// The text the question is about (a term name, a definition, a signal).
    pub cue: String,
    pub options: Vec<String>,
    /// Index of the right option.
    pub answer: usize,
    /// Why: the seed text the answer comes from.
    pub explanation: String,
    pub subject: Subject,
}

/// A question for `item`; `variant` (any number: the caller's seed, a counter)
/// picks the form, the distractors and the answer's position, deterministically.
/// None only if the item's term or card is not in the catalog.
pub fn question(catalog: &Catalog, item: &Item, variant: u64) -> Option<Question> {
    let mut rng = variant ^ 0x5eed_0f7e_550a_11ed;
    let mut next = move || splitmix64(&mut rng);
    let ask = match item {
        Item::Definition(slug) | Item::Trap(slug) => {
            let term = catalog.term(slug)?;
            let others = by_closeness(catalog, term.category, slug);
            match item {
                Item::Trap(_) => Ask {
                    form: Form::TermToTrap,
                    prompt: format!("Which trap belongs to “{}”?", term.name),
                    cue: term.name.clone(),
                    answer: &term.trap,
                    pool: others.iter().map(|t| t.trap.as_str()).collect(),
                    explanation: format!(
                        "{}: {} The trap: {}",
                        term.name, term.definition, term.trap
                    ),
                },
                _ if next() % 2 == 0 => Ask {
                    form: Form::TermToDefinition,
                    prompt: format!("Which definition belongs to “{}”?", term.name),
                    cue: term.name.clone(),
                    answer: &term.definition,
                    pool: others.iter().map(|t| t.definition.as_str()).collect(),
                    explanation: format!("{}: {}", term.name, term.definition),
                },
                _ => Ask {
                    form: Form::DefinitionToTerm,
                    prompt: "Which term does this define?".to_string(),
                    cue: term.definition.clone(),
                    answer: &term.name,
                    pool: others.iter().map(|t| t.name.as_str()).collect(),
                    explanation: format!("{}: {}", term.name, term.definition),
                },
            }
        }
        Item::Signals(slug) => {
            let card = catalog.card(slug)?;
            let signal = card
                .signals
                .get((next() % card.signals.len().max(1) as u64) as usize)?;
            let others: Vec<_> = catalog.cards.iter().filter(|c| c.slug != *slug).collect();
            let explanation = format!(
                "{}: {} Warning signals: {}.",
                card.name,
                card.lie,
                card.signals.join("; ")
            );
            if next() % 2 == 0 {
                Ask {
                    form: Form::CardToSignal,
                    prompt: format!("Which warning signal points to “{}”?", card.name),
                    cue: card.name.clone(),
                    answer: signal,
                    pool: others
                        .iter()
                        .flat_map(|c| c.signals.iter().map(String::as_str))
                        .collect(),
                    explanation,
                }
            } else {
                Ask {
                    form: Form::SignalToCard,
                    prompt: "Which anti-pattern does this warning signal point to?".to_string(),
                    cue: signal.clone(),
                    answer: &card.name,
                    pool: others.iter().map(|c| c.name.as_str()).collect(),
                    explanation,
                }
            }
        }
    };
    let (options, answer) = choose(ask.answer, &ask.pool, &mut next);
    Some(Question {
        item: item.clone(),
        form: ask.form,
        prompt: ask.prompt,
        cue: ask.cue,
        options,
        answer,
        explanation: ask.explanation,
        subject: item.subject(),
    })
}

/// A question before its options are drawn: the answer and where distractors come from.
struct Ask<'a> {
    form: Form,
    prompt: String,
    cue: String,
    answer: &'a str,
    /// Candidate distractors, closest first.
    pool: Vec<&'a str>,
    explanation: String,
}

/// The other terms, same category first, then the rest (each group alphabetical).
fn by_closeness<'a>(
    catalog: &'a Catalog,
    category: Category,
    slug: &str,
) -> Vec<&'a crate::content::Term> {
    let mut others: Vec<_> = catalog.terms.iter().filter(|t| t.slug != slug).collect();
    // Stable sort keeps the catalog's alphabetical order inside each group.
    others.sort_by_key(|t| t.category != category);
    others
}

/// The options: the answer and up to `OPTIONS - 1` distractors. Distractors
/// come from the front of `pool` (the closest ones), shuffled; none repeats
/// the answer's text or another option's.
fn choose(answer: &str, pool: &[&str], next: &mut impl FnMut() -> u64) -> (Vec<String>, usize) {
    let mut distinct: Vec<&str> = Vec::new();
    for &p in pool {
        if !same_text(p, answer) && !distinct.iter().any(|d| same_text(d, p)) {
            distinct.push(p);
        }
    }
    // Plausible first: keep the closest candidates, then shuffle among them.
    let keep = distinct.len().min((OPTIONS - 1) * 2);
    let mut near: Vec<&str> = distinct[..keep].to_vec();
    shuffle(&mut near, next);
    near.truncate(OPTIONS - 1);
    let at = (next() % (near.len() as u64 + 1)) as usize;
    let mut options: Vec<String> = near.into_iter().map(str::to_string).collect();
    options.insert(at, answer.to_string());
    (options, at)
}

/// Texts a learner would read as the same option.
fn same_text(a: &str, b: &str) -> bool {
    crate::content::words(a) == crate::content::words(b)
}

fn shuffle<T>(items: &mut [T], next: &mut impl FnMut() -> u64) {
    for i in (1..items.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}
