//! Review questions, generated from the content and the model: what can be
//! asked, and one question for an item — multiple choice with distractors that
//! are plausible (same category first) and never the answer in disguise, or a
//! lesson's "explain it back" prompt with its strong-answer checklist.

use crate::checker::splitmix64;
use crate::content::{Catalog, Category};
use crate::learn::lessons::{lesson, lessons, Lesson};

use super::predictions::{lab_link, played_drill, pool, prediction_steps};

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
    /// A drill paused before a step (line index): what does the platform do next?
    Prediction(String, usize),
    /// A lesson's "explain it back" prompt, graded against its checklist.
    Explain(String),
}

impl Item {
    /// The stable key saved in the review log, e.g. `definition/drain`.
    pub fn key(&self) -> String {
        match self {
            Item::Definition(s) => format!("definition/{s}"),
            Item::Trap(s) => format!("trap/{s}"),
            Item::Signals(s) => format!("signals/{s}"),
            Item::Prediction(d, step) => format!("prediction/{d}/{step}"),
            Item::Explain(l) => format!("explain/{l}"),
        }
    }

    /// The item a key names, if the content still has it (a prediction only
    /// while its drill still makes that step a question).
    pub fn from_key(catalog: &Catalog, key: &str) -> Option<Item> {
        let (kind, slug) = key.split_once('/')?;
        let item = match kind {
            "definition" => Item::Definition(catalog.term(slug)?.slug.clone()),
            "trap" => Item::Trap(catalog.term(slug)?.slug.clone()),
            "signals" => Item::Signals(catalog.card(slug)?.slug.clone()),
            "prediction" => {
                let (drill, step) = slug.split_once('/')?;
                let step: usize = step.parse().ok()?;
                if !prediction_steps(drill).contains(&step) {
                    return None;
                }
                Item::Prediction(played_drill(drill)?.slug.clone(), step)
            }
            "explain" => Item::Explain(lesson(slug)?.slug.clone()),
            _ => return None,
        };
        Some(item)
    }

    /// The glossary term or card this item is about.
    pub fn subject(&self) -> Subject {
        match self {
            Item::Definition(s) | Item::Trap(s) => Subject::Term(s.clone()),
            Item::Signals(s) => Subject::Card(s.clone()),
            Item::Prediction(d, _) => Subject::Drill(d.clone()),
            Item::Explain(l) => Subject::Lesson(l.clone()),
        }
    }
}

/// What an answer links back to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Subject {
    Term(String),
    Card(String),
    Drill(String),
    Lesson(String),
}

/// The items of one lesson, in the order it teaches them: its terms'
/// definitions, its cards' signals, its terms' traps (a trap makes sense once
/// the term does), the predictions of the drills it plays, then explaining
/// it back.
pub fn lesson_items(l: &Lesson) -> Vec<Item> {
    let mut drills: Vec<&str> = Vec::new();
    let named = [
        l.predict.drill.as_deref(),
        Some(l.see.drill.as_str()),
        l.apply.drill.as_deref(),
    ];
    for d in named.into_iter().flatten() {
        if !drills.contains(&d) {
            drills.push(d);
        }
    }
    l.terms
        .iter()
        .map(|t| Item::Definition(t.clone()))
        .chain(l.cards.iter().map(|c| Item::Signals(c.clone())))
        .chain(l.terms.iter().map(|t| Item::Trap(t.clone())))
        .chain(drills.into_iter().flat_map(|d| {
            prediction_steps(d)
                .iter()
                .map(move |&s| Item::Prediction(d.to_string(), s))
        }))
        .chain([Item::Explain(l.slug.clone())])
        .collect()
}

/// Every item the content and the model can ask about, in teaching order:
/// the guided path lesson by lesson ([`lesson_items`]), then what no lesson
/// covers: definitions, traps, the cards' signals, the other drills'
/// predictions.
pub fn all_items(catalog: &Catalog) -> Vec<Item> {
    let terms = || catalog.terms.iter().map(|t| t.slug.clone());
    let rest = terms()
        .map(Item::Definition)
        .chain(terms().map(Item::Trap))
        .chain(catalog.cards.iter().map(|c| Item::Signals(c.slug.clone())))
        .chain(super::predictions::predicted_drills().flat_map(|d| {
            prediction_steps(d)
                .iter()
                .map(move |&s| Item::Prediction(d.to_string(), s))
        }));
    let mut out: Vec<Item> = Vec::new();
    for item in lessons().iter().flat_map(lesson_items).chain(rest) {
        // Only what the catalog still has (a lesson may name a term the build checked).
        let known = match &item {
            Item::Definition(t) | Item::Trap(t) => catalog.term(t).is_some(),
            Item::Signals(c) => catalog.card(c).is_some(),
            _ => true,
        };
        if known && !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// The ways an item can be asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Form {
    TermToDefinition,
    DefinitionToTerm,
    TermToTrap,
    CardToSignal,
    SignalToCard,
    /// A drill paused before a step: what the platform does next.
    Prediction,
    /// An open prompt; the learner ticks what their answer covered.
    ExplainBack,
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
    /// The choices (empty for an explain-it-back prompt).
    pub options: Vec<String>,
    /// Index of the right option.
    pub answer: usize,
    /// Why: the seed text the answer comes from, or the model's narration.
    pub explanation: String,
    pub subject: Subject,
    /// Explain it back: what a strong answer mentions (empty otherwise).
    pub checklist: Vec<String>,
    /// A prediction: the Lab's link payload for the drill paused at the step.
    pub lab_state: Option<String>,
}

impl Question {
    /// An open prompt graded against a checklist, not a choice.
    pub fn is_open(&self) -> bool {
        self.form == Form::ExplainBack
    }
}

/// A question for `item`; `variant` (any number: the caller's seed, a counter)
/// picks the form, the distractors and the answer's position, deterministically.
/// None only if the item's term or card is not in the catalog.
pub fn question(catalog: &Catalog, item: &Item, variant: u64) -> Option<Question> {
    let mut rng = variant ^ 0x5eed_0f7e_550a_11ed;
    let mut next = move || splitmix64(&mut rng);
    let mut lab_state = None;
    let outcomes: Vec<String>;
    let ask = match item {
        Item::Explain(slug) => return explain_question(item, lesson(slug)?),
        Item::Prediction(slug, at) => {
            let d = played_drill(slug)?;
            if !prediction_steps(slug).contains(at) {
                return None;
            }
            let here = d.lines.get(*at)?;
            let before = match at.checked_sub(1).and_then(|i| d.lines.get(i)) {
                Some(prev) if !prev.outcome.is_empty() => format!("Just before: {}", prev.outcome),
                Some(_) => "Just before: nothing visible changed.".to_string(),
                None => "The drill has just started.".to_string(),
            };
            lab_state = Some(lab_link(d, *at).encode());
            outcomes = pool(d, *at);
            Ask {
                form: Form::Prediction,
                prompt: format!("“{}”, paused at step {} of {}. The next move: {} — {} What does the platform do?", d.title, at + 1, d.lines.len(), here.line, here.help),
                cue: before,
                answer: &here.outcome,
                pool: outcomes.iter().map(String::as_str).collect(),
                explanation: format!("The model plays “{}”: {}", here.line, here.outcome),
            }
        }
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
        checklist: Vec::new(),
        lab_state,
    })
}

/// A lesson's open prompt: nothing to choose; the checklist is the answer.
fn explain_question(item: &Item, l: &Lesson) -> Option<Question> {
    Some(Question {
        item: item.clone(),
        form: Form::ExplainBack,
        prompt: l.explain.prompt.clone(),
        cue: l.title.clone(),
        options: Vec::new(),
        answer: 0,
        explanation: format!(
            "A strong answer mentions: {}.",
            l.explain.checklist.join("; ")
        ),
        subject: item.subject(),
        checklist: l.explain.checklist.clone(),
        lab_state: None,
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
    // Plausible first: keep the closest candidates, then shuffle among them.
    let mut near = first_distinct(answer, pool.iter().copied(), (OPTIONS - 1) * 2);
    shuffle(&mut near, next);
    near.truncate(OPTIONS - 1);
    let at = (next() % (near.len() as u64 + 1)) as usize;
    let mut options: Vec<String> = near.into_iter().map(str::to_string).collect();
    options.insert(at, answer.to_string());
    (options, at)
}

/// Up to `n` candidates from `pool`, in order, none reading as the answer or
/// as an earlier one.
pub(super) fn first_distinct<'a>(
    answer: &str,
    pool: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<&'a str> {
    let answer = crate::content::words(answer);
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for p in pool {
        if out.len() == n {
            break;
        }
        let w = crate::content::words(p);
        if w != answer && !seen.contains(&w) {
            seen.push(w);
            out.push(p);
        }
    }
    out
}

fn shuffle<T>(items: &mut [T], next: &mut impl FnMut() -> u64) {
    for i in (1..items.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}
