//! Search over terms and cards, and whatever else the app adds as [`Entry`]s
//! (lessons, decision labs, lifecycles, traces, runbooks, the Lab's drills
//! and vocabulary): tolerant of case, punctuation and small typos.
//!
//! Every query word must match some word of an item (exactly, as a prefix, or
//! within a small edit distance). Items are ranked by how well they match and
//! where (a name beats a warning signal). The content is small, so a linear
//! scan over a prebuilt word index is far below a frame per keystroke.

use super::Catalog;
use crate::route::Route;

/// What kind of item a hit is; results are grouped by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Term,
    Card,
    Lesson,
    DecisionLab,
    Lifecycle,
    Trace,
    Runbook,
    Drill,
    Action,
    Invariant,
}

impl Kind {
    /// What a result says it is.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Term => "Term",
            Kind::Card => "Anti-pattern",
            Kind::Lesson => "Lesson",
            Kind::DecisionLab => "Decision lab",
            Kind::Lifecycle => "Lifecycle",
            Kind::Trace => "Request trace",
            Kind::Runbook => "Runbook",
            Kind::Drill => "Drill",
            Kind::Action => "Lab move",
            Kind::Invariant => "Invariant",
        }
    }

    /// Learning pages or the Lab's own words.
    fn in_lab(self) -> bool {
        matches!(self, Kind::Drill | Kind::Action | Kind::Invariant)
    }
}

/// An item from outside the glossary and the cards, with where it leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub kind: Kind,
    pub route: Route,
    pub name: String,
    pub fields: Vec<(Field, String)>,
}

/// Which part of an item matched, for the snippet a result shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Name,
    Definition,
    Trap,
    Lie,
    BetterModel,
    Signal,
    /// What a lesson, lab or drill is about.
    Summary,
    /// A state or stage of a lifecycle.
    State,
    /// A step of a trace or runbook, or a move in the Lab's vocabulary.
    Step,
    Text,
}

impl Field {
    /// How much a match here counts: names first, then the main text.
    fn weight(self) -> u32 {
        match self {
            Field::Name => 8,
            Field::Definition | Field::Lie => 3,
            Field::Trap | Field::BetterModel => 2,
            Field::Signal => 2,
            Field::Summary | Field::State | Field::Step => 3,
            Field::Text => 1,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "Name",
            Field::Definition => "Definition",
            Field::Trap => "Common trap",
            Field::Lie => "The lie",
            Field::BetterModel => "Better model",
            Field::Signal => "Warning signal",
            Field::Summary => "About",
            Field::State => "State",
            Field::Step => "Step",
            Field::Text => "Text",
        }
    }
}

/// A piece of text, either plain or a highlighted match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub matched: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub kind: Kind,
    pub slug: String,
    /// Where choosing it leads.
    pub route: Route,
    pub name: Vec<Segment>,
    /// The best-matching text other than the name, if any.
    pub snippet: Option<(Field, Vec<Segment>)>,
    pub score: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Results {
    pub terms: Vec<Hit>,
    pub cards: Vec<Hit>,
    /// Lessons, decision labs, lifecycles, traces and runbooks.
    pub learn: Vec<Hit>,
    /// The Lab's drills, moves and invariants.
    pub lab: Vec<Hit>,
    /// When nothing matched: close term names to try instead.
    pub suggestions: Vec<String>,
}

impl Results {
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
            && self.cards.is_empty()
            && self.learn.is_empty()
            && self.lab.is_empty()
    }

    /// Hits in display order: terms, cards, learning pages, the Lab.
    pub fn all(&self) -> impl Iterator<Item = &Hit> {
        self.terms
            .iter()
            .chain(&self.cards)
            .chain(&self.learn)
            .chain(&self.lab)
    }

    pub fn len(&self) -> usize {
        self.all().count()
    }
}

struct Doc {
    kind: Kind,
    slug: String,
    route: Route,
    fields: Vec<(Field, IndexedText)>,
}

/// A text with its words lowercased and their byte ranges, for highlighting.
struct IndexedText {
    text: String,
    words: Vec<(String, usize, usize)>,
}

impl IndexedText {
    fn new(text: &str) -> IndexedText {
        let mut words = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
            match (c.is_alphanumeric(), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    words.push((text[s..i].to_lowercase(), s, i));
                    start = None;
                }
                _ => {}
            }
        }
        IndexedText {
            text: text.to_string(),
            words,
        }
    }
}

/// A prebuilt index; build once, query on every keystroke.
pub struct Index {
    docs: Vec<Doc>,
    term_names: Vec<(String, String)>,
}

/// Queries longer than this are cut: nobody types more, and it bounds work.
const MAX_QUERY_CHARS: usize = 100;
const MAX_QUERY_WORDS: usize = 8;

impl Index {
    pub fn new(catalog: &Catalog) -> Index {
        let mut docs = Vec::new();
        for t in &catalog.terms {
            docs.push(Doc {
                kind: Kind::Term,
                slug: t.slug.clone(),
                route: Route::Glossary {
                    category: None,
                    term: Some(t.slug.clone()),
                },
                fields: vec![
                    (Field::Name, IndexedText::new(&t.name)),
                    (Field::Definition, IndexedText::new(&t.definition)),
                    (Field::Trap, IndexedText::new(&t.trap)),
                ],
            });
        }
        for c in &catalog.cards {
            let mut fields = vec![
                (Field::Name, IndexedText::new(&c.name)),
                (Field::Lie, IndexedText::new(&c.lie)),
                (Field::BetterModel, IndexedText::new(&c.better_model)),
            ];
            fields.extend(
                c.signals
                    .iter()
                    .map(|s| (Field::Signal, IndexedText::new(s))),
            );
            docs.push(Doc {
                kind: Kind::Card,
                slug: c.slug.clone(),
                route: Route::AntiPatterns {
                    card: Some(c.slug.clone()),
                },
                fields,
            });
        }
        let term_names = catalog
            .terms
            .iter()
            .map(|t| (t.name.clone(), t.name.to_lowercase()))
            .collect();
        Index { docs, term_names }
    }

    /// The index with more entries (the learning pages, the Lab's words).
    pub fn with_entries(mut self, entries: Vec<Entry>) -> Index {
        for e in entries {
            let mut fields = vec![(Field::Name, IndexedText::new(&e.name))];
            fields.extend(e.fields.iter().map(|(f, t)| (*f, IndexedText::new(t))));
            self.docs.push(Doc {
                kind: e.kind,
                slug: e.route.href(),
                route: e.route,
                fields,
            });
        }
        self
    }

    pub fn search(&self, query: &str) -> Results {
        let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
        let q: Vec<String> = super::words(&query)
            .into_iter()
            .take(MAX_QUERY_WORDS)
            .collect();
        if q.is_empty() {
            return Results::default();
        }
        let mut results = Results::default();
        for doc in &self.docs {
            if let Some(hit) = match_doc(doc, &q) {
                match doc.kind {
                    Kind::Term => results.terms.push(hit),
                    Kind::Card => results.cards.push(hit),
                    k if k.in_lab() => results.lab.push(hit),
                    _ => results.learn.push(hit),
                }
            }
        }
        for group in [
            &mut results.terms,
            &mut results.cards,
            &mut results.learn,
            &mut results.lab,
        ] {
            group.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.slug.cmp(&b.slug)));
        }
        if results.is_empty() {
            results.suggestions = self.suggest(&q);
        }
        results
    }

    /// Term names closest to the query, for "did you mean".
    fn suggest(&self, q: &[String]) -> Vec<String> {
        let joined = q.join(" ");
        let mut scored: Vec<(usize, &String)> = self
            .term_names
            .iter()
            .map(|(name, lower)| {
                let whole = edit_distance(&joined, lower);
                let by_word = lower
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .flat_map(|w| q.iter().map(move |qw| edit_distance(qw, w)))
                    .min()
                    .unwrap_or(usize::MAX);
                (whole.min(by_word), name)
            })
            .filter(|(d, _)| *d <= 3)
            .collect();
        scored.sort();
        scored.into_iter().take(3).map(|(_, n)| n.clone()).collect()
    }
}

/// How well one query word matches one indexed word: 3 exact, 2 prefix, 1 typo.
fn word_score(q: &str, w: &str) -> u32 {
    if q == w {
        3
    } else if q.len() >= 2 && w.starts_with(q) {
        2
    } else if q.chars().count() >= 4 && edit_distance(q, w) <= allowed_typos(q) {
        1
    } else {
        0
    }
}

fn allowed_typos(q: &str) -> usize {
    if q.chars().count() >= 8 {
        2
    } else {
        1
    }
}

/// For one field: its index, its score, and the byte ranges of matched words.
type FieldHit = (usize, u32, Vec<(usize, usize)>);

fn match_doc(doc: &Doc, q: &[String]) -> Option<Hit> {
    let mut total = 0;
    let mut field_hits: Vec<FieldHit> = Vec::new();
    for qw in q {
        let mut best = 0;
        for (fi, (field, text)) in doc.fields.iter().enumerate() {
            for (w, s, e) in &text.words {
                let score = word_score(qw, w);
                if score == 0 {
                    continue;
                }
                best = best.max(score * field.weight());
                match field_hits.iter_mut().find(|(i, _, _)| *i == fi) {
                    Some((_, fs, ranges)) => {
                        *fs += score * field.weight();
                        ranges.push((*s, *e));
                    }
                    None => field_hits.push((fi, score * field.weight(), vec![(*s, *e)])),
                }
            }
        }
        if best == 0 {
            return None;
        }
        total += best;
    }
    let ranges_of = |fi: usize| {
        field_hits
            .iter()
            .find(|(i, _, _)| *i == fi)
            .map(|(_, _, r)| r.clone())
            .unwrap_or_default()
    };
    let name = segments(&doc.fields[0].1.text, &ranges_of(0));
    let snippet = field_hits
        .iter()
        .filter(|(fi, _, _)| *fi != 0)
        .max_by_key(|(fi, score, _)| (*score, std::cmp::Reverse(*fi)))
        .map(|(fi, _, r)| {
            let (text, r) = window(&doc.fields[*fi].1.text, r);
            (doc.fields[*fi].0, segments(&text, &r))
        });
    Some(Hit {
        kind: doc.kind,
        slug: doc.slug.clone(),
        route: doc.route.clone(),
        name,
        snippet,
        score: total,
    })
}

/// Longest snippet shown; a longer text (a lesson's reading) is cut around
/// its first match.
const SNIPPET_CHARS: usize = 160;

/// `text` cut to about `SNIPPET_CHARS` around the first range (with `…`
/// where it was cut), and the ranges moved to match.
fn window(text: &str, ranges: &[(usize, usize)]) -> (String, Vec<(usize, usize)>) {
    if text.len() <= SNIPPET_CHARS {
        return (text.to_string(), ranges.to_vec());
    }
    let boundary = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let first = ranges.iter().map(|r| r.0).min().unwrap_or(0);
    let begin = boundary(first.saturating_sub(SNIPPET_CHARS / 3));
    // Start at a word: skip to the first space after a cut.
    let begin = match (begin > 0, text[begin..].find(' ')) {
        (true, Some(sp)) if begin + sp < first => begin + sp + 1,
        _ => begin,
    };
    let end = boundary(begin + SNIPPET_CHARS);
    let lead = if begin > 0 { "…" } else { "" };
    let mut out = format!("{lead}{}", &text[begin..end]);
    if end < text.len() {
        out.push('…');
    }
    let moved = ranges
        .iter()
        .filter(|(s, e)| *s >= begin && *e <= end)
        .map(|(s, e)| (s - begin + lead.len(), e - begin + lead.len()))
        .collect();
    (out, moved)
}

/// Split `text` into plain and matched segments. Ranges are word boundaries
/// from the index, so they always fall on char boundaries.
fn segments(text: &str, ranges: &[(usize, usize)]) -> Vec<Segment> {
    let mut ranges = ranges.to_vec();
    ranges.sort_unstable();
    ranges.dedup();
    let mut out = Vec::new();
    let mut at = 0;
    for (s, e) in ranges {
        if s < at {
            continue;
        }
        if s > at {
            out.push(Segment {
                text: text[at..s].to_string(),
                matched: false,
            });
        }
        out.push(Segment {
            text: text[s..e].to_string(),
            matched: true,
        });
        at = e;
    }
    if at < text.len() {
        out.push(Segment {
            text: text[at..].to_string(),
            matched: false,
        });
    }
    out
}

/// Levenshtein distance over chars, with a rolling row.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diag + usize::from(ca != *cb));
            diag = above;
        }
    }
    row[b.len()]
}
