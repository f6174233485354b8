//! The guided path: lessons from `content/lessons.toml` (checked and compiled
//! in by build.rs), and each lesson's prediction, answered by the model.

use std::sync::OnceLock;

use super::decisions::lab;
pub use super::lesson_schema::{Apply, Explain, Lesson, LessonsFile, Predict, See, Statement};
use crate::sim::drill::{drills, holds, play_correct};

/// Every lesson, in teaching order.
pub fn lessons() -> &'static [Lesson] {
    static LESSONS: OnceLock<Vec<Lesson>> = OnceLock::new();
    LESSONS.get_or_init(|| {
        // build.rs wrote this JSON from a file it already checked.
        serde_json::from_str::<LessonsFile>(include_str!(concat!(env!("OUT_DIR"), "/lessons.json")))
            .map(|f| f.lesson)
            .unwrap_or_default()
    })
}

pub fn lesson(slug: &str) -> Option<&'static Lesson> {
    lessons().iter().find(|l| l.slug == slug)
}

/// The lesson after `slug` on the path.
pub fn next_lesson(slug: &str) -> Option<&'static Lesson> {
    let all = lessons();
    all.iter()
        .position(|l| l.slug == slug)
        .and_then(|i| all.get(i + 1))
}

/// Every drill slug in the order the path meets it (each lesson's drill to
/// watch, then the one to complete), then the drills no lesson names, in
/// file order: what "play next" suggests, so a beginner is not sent to a late
/// anti-pattern drill first.
pub fn drills_in_path_order() -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    let path = lessons()
        .iter()
        .flat_map(|l| [Some(&l.see.drill), l.apply.drill.as_ref()])
        .flatten()
        .cloned();
    for slug in path.chain(drills().into_iter().map(|d| d.slug)) {
        if !order.contains(&slug) {
            order.push(slug);
        }
    }
    order
}

/// A prediction as the learner sees it, with the model's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prediction {
    pub question: String,
    pub options: Vec<String>,
    /// Index into `options`: computed by the simulator, never stored.
    pub answer: usize,
    pub why: String,
}

/// Asks the model: the decision lab's own decision, or which statement holds
/// at the end of the drill played under the correct policy.
pub fn prediction(p: &Predict) -> Result<Prediction, String> {
    let (options, answer) = match (&p.lab, &p.drill) {
        (Some(slug), None) => {
            let lab = lab(slug).ok_or_else(|| format!("unknown decision lab `{slug}`"))?;
            if p.inputs.len() != lab.inputs.len() {
                return Err(format!(
                    "`{slug}` takes {} inputs, the lesson gives {}",
                    lab.inputs.len(),
                    p.inputs.len()
                ));
            }
            let decided = lab.decide(&p.inputs).key;
            let options = lab.outcomes.iter().map(|o| o.label.to_string()).collect();
            let answer = lab.outcomes.iter().position(|o| o.key == decided);
            (
                options,
                answer.ok_or("the lab decided an unlisted outcome")?,
            )
        }
        (None, Some(slug)) => {
            let drill = drills()
                .into_iter()
                .find(|d| &d.slug == slug)
                .ok_or_else(|| format!("unknown drill `{slug}`"))?;
            let played = play_correct(&drill)?;
            let mut true_ones = Vec::new();
            for (i, s) in p.options.iter().enumerate() {
                let policy = crate::sim::Policy::correct();
                if holds(&played.end, policy, &s.holds, played.kept_serving)? {
                    true_ones.push(i);
                }
            }
            match true_ones.as_slice() {
                [one] => (p.options.iter().map(|s| s.text.clone()).collect(), *one),
                _ => {
                    return Err(format!(
                        "`{slug}`: {} statements hold at the end, exactly one must",
                        true_ones.len()
                    ))
                }
            }
        }
        _ => return Err("a prediction names a lab or a drill".into()),
    };
    Ok(Prediction {
        question: p.question.clone(),
        options,
        answer,
        why: p.why.clone(),
    })
}
