//! The shape of `content/lessons.toml`, shared with build.rs (which checks it
//! and compiles it in as JSON). Depends on nothing but serde.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonsFile {
    pub lesson: Vec<Lesson>,
}

/// One lesson of the guided path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub slug: String,
    pub title: String,
    /// What the learner will be able to predict.
    pub outcome: String,
    /// Paragraphs separated by a blank line.
    pub reading: String,
    pub terms: Vec<String>,
    pub cards: Vec<String>,
    pub predict: Predict,
    pub see: See,
    pub apply: Apply,
    pub explain: Explain,
}

/// A question the model answers: a decision lab at given inputs, or a drill
/// and statements about where it ends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Predict {
    pub question: String,
    #[serde(default)]
    pub lab: Option<String>,
    #[serde(default)]
    pub inputs: Vec<u8>,
    #[serde(default)]
    pub drill: Option<String>,
    #[serde(default)]
    pub options: Vec<Statement>,
    /// Shown after answering.
    pub why: String,
}

/// An option of a drill prediction: its text and the drill predicate that
/// makes it true.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    pub text: String,
    pub holds: String,
}

/// A drill to watch in the Lab.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct See {
    pub drill: String,
}

/// What the learner does: a decision lab to explore or a drill to complete.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Apply {
    #[serde(default)]
    pub lab: Option<String>,
    #[serde(default)]
    pub drill: Option<String>,
}

/// "Explain it back": an open prompt and what a strong answer mentions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Explain {
    pub prompt: String,
    pub checklist: Vec<String>,
}

/// The fewest lessons the guided path may have.
pub const MIN_LESSONS: usize = 9;

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Structural problems (what build.rs can see without the simulator); the
/// host tests check the rest: labs, drills and that each answer is computed.
pub fn problems(file: &LessonsFile, terms: &[&str], cards: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    if file.lesson.len() < MIN_LESSONS {
        out.push(format!(
            "{} lessons; the guided path needs at least {MIN_LESSONS}",
            file.lesson.len()
        ));
    }
    let mut seen = BTreeSet::new();
    for l in &file.lesson {
        let at = &l.slug;
        if !is_slug(at) {
            out.push(format!("`{at}` is not a slug (a-z, 0-9, -)"));
        }
        if !seen.insert(at.clone()) {
            out.push(format!("`{at}` is used twice"));
        }
        for (field, text) in [
            ("title", &l.title),
            ("outcome", &l.outcome),
            ("reading", &l.reading),
            ("predict.question", &l.predict.question),
            ("predict.why", &l.predict.why),
            ("explain.prompt", &l.explain.prompt),
        ] {
            if text.trim().is_empty() {
                out.push(format!("{at}: {field} is empty"));
            }
        }
        for t in l.terms.iter().filter(|t| !terms.contains(&t.as_str())) {
            out.push(format!("{at}: unknown term `{t}`"));
        }
        for c in l.cards.iter().filter(|c| !cards.contains(&c.as_str())) {
            out.push(format!("{at}: unknown card `{c}`"));
        }
        if l.terms.is_empty() {
            out.push(format!("{at}: rests on no glossary term"));
        }
        match (&l.predict.lab, &l.predict.drill) {
            (Some(_), None) if l.predict.options.is_empty() && !l.predict.inputs.is_empty() => {}
            (None, Some(_)) if l.predict.options.len() >= 2 && l.predict.inputs.is_empty() => {}
            _ => out.push(format!(
                "{at}: predict needs either `lab` with `inputs`, or `drill` with two or more `options`"
            )),
        }
        if l.apply.lab.is_some() == l.apply.drill.is_some() {
            out.push(format!("{at}: apply names exactly one of `lab` or `drill`"));
        }
        if l.explain.checklist.len() < 3 {
            out.push(format!(
                "{at}: explain needs at least three checklist points"
            ));
        }
    }
    out
}
