//! The shape of a drill file (content/drills/*.toml), shared with build.rs,
//! which validates every drill file and compiles it into the library.

use serde::Deserialize;

/// One drill: a start world, steps in the action vocabulary, and its goal.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Drill {
    pub slug: String,
    pub title: String,
    /// lifecycle | trace | runbook | anti-pattern | race | recovery
    pub kind: String,
    pub teaches: String,
    /// A preset name (`sim::preset::PRESETS`).
    pub start: String,
    #[serde(default)]
    pub overrides: Vec<[String; 2]>,
    /// Anti-pattern drills: the card slug whose switch is turned on.
    #[serde(default)]
    pub switch: Option<String>,
    pub steps: Vec<String>,
    /// Outcomes under the correct policy (predicates, see `sim::drill`).
    pub expect: Vec<String>,
    /// Anti-pattern drills: the invariant the switch breaks.
    #[serde(default)]
    pub breaks: Option<u8>,
    /// Anti-pattern drills: the observable harm with the switch on.
    #[serde(default)]
    pub harm: Vec<String>,
    /// Anti-pattern drills: signals lit with the switch on (`card-slug#index`).
    #[serde(default)]
    pub signals: Vec<String>,
}

pub const KINDS: [&str; 6] = [
    "lifecycle",
    "trace",
    "runbook",
    "anti-pattern",
    "race",
    "recovery",
];

/// Structural problems of a set of drills (the build refuses any).
pub fn problems(drills: &[(String, Drill)]) -> Vec<String> {
    let mut out = Vec::new();
    let mut slugs = std::collections::BTreeSet::new();
    for (file, d) in drills {
        let mut bad = |m: String| out.push(format!("{file}: {m}"));
        if !slugs.insert(d.slug.clone()) {
            bad(format!("slug `{}` is used twice", d.slug));
        }
        if d.slug.is_empty()
            || !d
                .slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            bad(format!(
                "slug `{}` must be lower-case words joined by -",
                d.slug
            ));
        }
        if !KINDS.contains(&d.kind.as_str()) {
            bad(format!("kind `{}` is not one of {KINDS:?}", d.kind));
        }
        if d.steps.is_empty() {
            bad("a drill needs steps".into());
        }
        if d.expect.is_empty() {
            bad("a drill needs an expected outcome".into());
        }
        let anti = d.kind == "anti-pattern";
        if anti != d.switch.is_some() || anti != d.breaks.is_some() {
            bad(
                "anti-pattern drills (and only they) name a switch and the invariant it breaks"
                    .into(),
            );
        }
        if anti && (d.harm.is_empty() || d.signals.is_empty()) {
            bad("an anti-pattern drill shows its harm and its signals".into());
        }
        if d.breaks.is_some_and(|b| !(1..=14).contains(&b)) {
            bad("breaks is an invariant number 1..14".into());
        }
    }
    out
}
