//! Request traces and runbooks (docs/domain.md): each a page whose steps are
//! drills played through the model, line by line, with the platform's
//! narration and what changed in the world. The drills' own title and
//! `teaches` text say what each shows; this table only groups them under
//! the spec's four traces and four runbooks.

use crate::sim::diff::changes;
use crate::sim::drill::{drills, holds, start_world, Drill};
use crate::sim::world::*;
use crate::sim::{check_all, format_action, parse_action, step, Policy};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WalkKind {
    Trace,
    Runbook,
}

impl WalkKind {
    /// The drill kind (`content/drills/*.toml`) its drills have.
    pub fn drill_kind(self) -> &'static str {
        match self {
            WalkKind::Trace => "trace",
            WalkKind::Runbook => "runbook",
        }
    }
}

/// One request trace or runbook of the spec, and the drills that play it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Walkthrough {
    pub kind: WalkKind,
    pub slug: &'static str,
    pub title: &'static str,
    /// Drill slugs, the usual path first, then its variants.
    pub drills: &'static [&'static str],
}

const fn w(
    kind: WalkKind,
    slug: &'static str,
    title: &'static str,
    drills: &'static [&'static str],
) -> Walkthrough {
    Walkthrough {
        kind,
        slug,
        title,
        drills,
    }
}

/// The four request traces of the spec.
pub static TRACES: &[Walkthrough] = &[
    w(
        WalkKind::Trace,
        "get-while-hot",
        "GET while hot",
        &["trace-get-hot"],
    ),
    w(
        WalkKind::Trace,
        "get-while-sleeping",
        "GET while sleeping",
        &["trace-get-sleeping", "trace-get-past-budget"],
    ),
    w(
        WalkKind::Trace,
        "websocket-reconnect",
        "WebSocket reconnect",
        &["trace-websocket-reconnect"],
    ),
    w(
        WalkKind::Trace,
        "post-while-cold",
        "POST while cold",
        &["trace-post-while-cold", "trace-post-idempotent"],
    ),
];

/// The four runbooks of the spec.
pub static RUNBOOKS: &[Walkthrough] = &[
    w(
        WalkKind::Runbook,
        "bad-deploy",
        "Bad deploy",
        &["runbook-bad-deploy"],
    ),
    w(
        WalkKind::Runbook,
        "stuck-wake",
        "Stuck wake",
        &["runbook-stuck-wake"],
    ),
    w(
        WalkKind::Runbook,
        "replay-gap",
        "Route event replay gap",
        &["runbook-replay-gap"],
    ),
    w(
        WalkKind::Runbook,
        "restore",
        "Database restore",
        &["runbook-restore"],
    ),
];

pub fn trace(slug: &str) -> Option<&'static Walkthrough> {
    TRACES.iter().find(|t| t.slug == slug)
}

pub fn runbook(slug: &str) -> Option<&'static Walkthrough> {
    RUNBOOKS.iter().find(|r| r.slug == slug)
}

/// One line of a drill, played.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkStep {
    /// 1-based; the Lab link `step=n` shows the world after it.
    pub n: usize,
    /// The line as the drill writes it.
    pub line: String,
    /// The actions it gave, in the vocabulary.
    pub actions: Vec<String>,
    /// Why the platform refused it, if it did (the rest of the line is skipped).
    pub refused: Option<String>,
    pub narration: Vec<String>,
    /// What changed in the world, in words.
    pub changes: Vec<String>,
    /// Invariants broken after it, by number and name (none, when the
    /// platform is right).
    pub broken: Vec<(u8, &'static str)>,
}

/// A drill played for a trace or runbook page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Walked {
    pub drill: Drill,
    pub steps: Vec<WalkStep>,
    /// The drill's goal, each predicate with whether it held at the end.
    pub goal: Vec<(String, bool)>,
}

/// Plays a drill under the correct policy, one line at a time.
pub fn walk_drill(slug: &str) -> Result<Walked, String> {
    let d = drills()
        .into_iter()
        .find(|d| d.slug == slug)
        .ok_or_else(|| format!("unknown drill `{slug}`"))?;
    let p = Policy::correct();
    let mut w = start_world(&d)?;
    let mut kept_serving = true;
    let mut steps = Vec::new();
    for (i, line) in d.steps.iter().enumerate() {
        let before = w;
        let mut s = WalkStep {
            n: i + 1,
            line: line.clone(),
            actions: Vec::new(),
            refused: None,
            narration: Vec::new(),
            changes: Vec::new(),
            broken: Vec::new(),
        };
        for a in parse_action(&w, line)? {
            s.actions.push(format_action(&w, &a));
            match step(&w, &a, p) {
                Ok(next) => {
                    w = next.world;
                    s.narration.extend(next.narration);
                }
                Err(r) => {
                    s.refused = Some(r.to_string());
                    break;
                }
            }
        }
        kept_serving &= w.outage_cause != OutageCause::Platform;
        s.changes = changes(&before, &w).into_iter().map(|c| c.text).collect();
        s.broken = check_all(&w)
            .into_iter()
            .filter(|r| !r.holds)
            .map(|r| (r.id, r.name))
            .collect();
        steps.push(s);
    }
    let goal = d
        .expect
        .iter()
        .map(|q| (q.clone(), holds(&w, p, q, kept_serving).unwrap_or(false)))
        .collect();
    Ok(Walked {
        drill: d,
        steps,
        goal,
    })
}
