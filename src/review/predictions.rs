//! Prediction questions from the model: a drill paused before one of its
//! steps, "what does the platform do next?". The answer is what the
//! simulator does when it plays that step (its narration, or its refusal);
//! the other options are what the same kind of move did elsewhere in the
//! drills, then what other moves would do at this very moment. Nothing here
//! is written by hand: which steps are asked is a rule over the played drill
//! ([`turning_weight`], [`prediction_steps`]).

use std::sync::OnceLock;

use crate::lab::codes;
use crate::share::{LabLink, LinkStart};
use crate::sim::check::{moves, Alphabet};
use crate::sim::drill::{alphabet, drills, lit_names, start_world};
use crate::sim::lifecycle::is_terminal;
use crate::sim::world::{ReqState, SessionState, WakeState};
use crate::sim::{check_all, parse_action, serving, step, Action, Policy, World};

/// A step of a drill as the correct platform plays it.
#[derive(Clone, Debug)]
pub struct PlayedLine {
    /// The drill line, e.g. `worker promotion#1 next`.
    pub line: String,
    /// What the move does, in words (the action kind's help).
    pub help: &'static str,
    /// The world just before the line.
    pub before: World,
    /// Its first action (the move the question is about).
    pub action: Action,
    /// Actions of the drill before this line (the Lab's cursor there).
    pub actions_before: usize,
    /// What the platform did: its narration, or why it refused.
    pub outcome: String,
    /// How much the step turns ([`turning_weight`]; 0: not a turning point).
    pub weight: u8,
}

/// A drill played once under the correct policy, every line kept.
#[derive(Clone, Debug)]
pub struct PlayedDrill {
    pub slug: String,
    pub title: String,
    pub lines: Vec<PlayedLine>,
    /// The whole script as actions (for the Lab link).
    pub actions: Vec<Action>,
    /// The moves the drill's player may make (for the other outcomes).
    alphabet: Alphabet,
}

/// What a learner watches change in the Lab: who owns the route and at which
/// epoch, whether production serves, which invariants are broken, which
/// signals are lit, which operations have ended or wait for an operator,
/// what became of each session and request, the wake, the charges. A new
/// operation being requested is not on the list: its request always succeeds.
#[derive(PartialEq, Eq)]
struct Watched {
    owner: (u8, u8),
    serving: bool,
    broken: Vec<u8>,
    signals: Vec<String>,
    settled_ops: Vec<(usize, bool, bool)>,
    sessions: Vec<(SessionState, bool)>,
    requests: Vec<(usize, ReqState)>,
    wake: WakeState,
    charges: [u8; 2],
}

fn watched(w: &World, p: Policy) -> Watched {
    Watched {
        owner: (w.owner.artifact, w.owner.epoch),
        serving: serving(w),
        broken: check_all(w)
            .iter()
            .filter(|r| !r.holds)
            .map(|r| r.id)
            .collect(),
        signals: lit_names(w, p),
        settled_ops: w
            .ops
            .iter()
            .enumerate()
            .filter(|(_, o)| o.used)
            .map(|(i, o)| (i, is_terminal(o.kind, o.stage), o.needs_ack && !o.acked))
            .filter(|&(_, ended, waiting)| ended || waiting)
            .collect(),
        sessions: w.sessions.iter().map(|s| (s.state, s.draft)).collect(),
        requests: w
            .requests
            .iter()
            .enumerate()
            .filter(|(_, r)| r.used)
            .map(|(i, r)| (i, r.state))
            .collect(),
        wake: w.wake,
        charges: w.charges,
    }
}

/// The rule for which steps make a question: the platform refuses the move,
/// or the move changes something the learner watches ([`Watched`]). Steps
/// that only advance bookkeeping (a report arrives, a stage record is
/// written, an operation is requested) are not asked. The weight says how
/// much turns: 3 for a refusal or a change of route owner or serving, 2 for
/// an invariant or a signal, 1 for the rest; 0 is not a turning point.
pub fn turning_weight(refused: bool, before: &World, after: &World, p: Policy) -> u8 {
    let (a, b) = (watched(before, p), watched(after, p));
    if refused || a.owner != b.owner || a.serving != b.serving {
        3
    } else if a.broken != b.broken || a.signals != b.signals {
        2
    } else {
        u8::from(a != b)
    }
}

/// At most this many predictions per drill: its heaviest turning points.
pub const PER_DRILL: usize = 3;

/// The narration of a step as one text, or its refusal.
fn outcome_text(narration: &[String], refused: Option<&str>) -> String {
    let mut parts: Vec<String> = narration.to_vec();
    if let Some(r) = refused {
        parts.push(format!("The platform refuses: {r}."));
    }
    parts.join(" ")
}

/// Plays every line of a drill under the correct policy, keeping the world
/// before each line and what happened. None if the drill cannot start.
fn play_lines(d: &crate::sim::drill::Drill) -> Option<PlayedDrill> {
    let p = Policy::correct();
    let mut w = start_world(d).ok()?;
    let mut lines = Vec::new();
    let mut script = Vec::new();
    for line in &d.steps {
        let actions = parse_action(&w, line).ok()?;
        let before = w;
        let mut narration = Vec::new();
        let mut refused = None;
        for a in &actions {
            match step(&w, a, p) {
                Ok(s) => {
                    w = s.world;
                    narration.extend(s.narration);
                }
                Err(r) => {
                    refused = Some(r);
                    break;
                }
            }
        }
        let Some(&action) = actions.first() else {
            continue;
        };
        let outcome = outcome_text(&narration, refused);
        lines.push(PlayedLine {
            line: line.clone(),
            help: action.kind().help,
            before,
            action,
            actions_before: script.len(),
            weight: if outcome.is_empty() {
                0
            } else {
                turning_weight(refused.is_some(), &before, &w, p)
            },
            outcome,
        });
        script.extend(actions);
    }
    Some(PlayedDrill {
        slug: d.slug.clone(),
        title: d.title.clone(),
        lines,
        actions: script,
        alphabet: alphabet(d).unwrap_or_else(|_| Alphabet::platform()),
    })
}

/// Every drill played once (cached: the drills are compiled in).
pub fn played_drills() -> &'static [PlayedDrill] {
    static PLAYED: OnceLock<Vec<PlayedDrill>> = OnceLock::new();
    PLAYED.get_or_init(|| drills().iter().filter_map(play_lines).collect())
}

pub fn played_drill(slug: &str) -> Option<&'static PlayedDrill> {
    played_drills().iter().find(|d| d.slug == slug)
}

/// The steps of a drill that are asked (line indexes, in drill order), read
/// from [`ASKED`]: the page needs them at start-up (the review plan counts
/// what is due), and working them out plays every drill and every other move
/// at each turning point, far too long for the first screen.
pub fn prediction_steps(slug: &str) -> &'static [usize] {
    ASKED
        .iter()
        .find(|(s, _)| *s == slug)
        .map_or(&[][..], |(_, steps)| steps)
}

/// The drills that give predictions, in the order they are played.
pub fn predicted_drills() -> impl Iterator<Item = &'static str> {
    ASKED.iter().map(|(slug, _)| *slug)
}

/// Which steps of each played drill are asked, worked out by the model: of
/// its turning points with enough distinct options (see [`pool`]), the
/// [`PER_DRILL`] heaviest, the earlier first among equals. Drills with none
/// are left out. [`ASKED`] is this, written at build time; a host test
/// (`tests/review_asked.rs`) checks the two are equal.
pub fn compute_prediction_steps() -> Vec<(String, Vec<usize>)> {
    played_drills()
        .iter()
        .map(|d| {
            let mut steps: Vec<usize> = (0..d.lines.len())
                .filter(|&i| d.lines[i].weight > 0 && distinct_pool(d, i) >= MIN_DISTRACTORS)
                .collect();
            steps.sort_by_key(|&i| (std::cmp::Reverse(d.lines[i].weight), i));
            steps.truncate(PER_DRILL);
            steps.sort_unstable();
            (d.slug.clone(), steps)
        })
        .filter(|(_, steps)| !steps.is_empty())
        .collect()
}

/// The text of `asked.rs` for `table` (what `compute_prediction_steps` gives).
pub fn asked_source(table: &[(String, Vec<usize>)]) -> String {
    let mut out = String::from(
        "// Generated from the model by `UPDATE_ASKED=1 cargo test --test review_asked`;\n\
         // that test fails while this differs from `compute_prediction_steps()`.\n\n\
         /// Which steps of each drill are asked as predictions (drill order).\n\
         pub const ASKED: &[(&str, &[usize])] = &[\n",
    );
    for (slug, steps) in table {
        let steps: Vec<String> = steps.iter().map(usize::to_string).collect();
        out.push_str(&format!("    ({slug:?}, &[{}]),\n", steps.join(", ")));
    }
    out.push_str("];\n");
    out
}

include!("asked.rs");

/// A prediction with fewer distractors than this is not asked.
const MIN_DISTRACTORS: usize = 2;

fn distinct_pool(d: &PlayedDrill, at: usize) -> usize {
    let pool = pool(d, at);
    super::questions::first_distinct(
        &d.lines[at].outcome,
        pool.iter().map(String::as_str),
        MIN_DISTRACTORS,
    )
    .len()
}

/// Candidate wrong outcomes for line `at` of `d`, closest first: what the
/// same kind of move did at other steps of this drill, what the same actor's
/// other moves would do at this very moment, then what the same kind of move
/// did in the other drills.
pub fn pool(d: &PlayedDrill, at: usize) -> Vec<String> {
    let here = &d.lines[at];
    let kind = here.action.kind_index();
    let same_kind = |l: &&PlayedLine| l.action.kind_index() == kind && !l.outcome.is_empty();
    let mut out: Vec<String> = d
        .lines
        .iter()
        .enumerate()
        .filter(|(i, l)| *i != at && same_kind(l))
        .map(|(_, l)| l.outcome.clone())
        .collect();
    out.extend(other_moves(d, here));
    out.extend(
        played_drills()
            .iter()
            .filter(|o| o.slug != d.slug)
            .flat_map(|o| o.lines.iter().filter(same_kind))
            .map(|l| l.outcome.clone()),
    );
    out
}

/// What the same actor's other enabled moves would do at this moment (the
/// worker of another operation, another allocation's runner, another POP).
fn other_moves(d: &PlayedDrill, here: &PlayedLine) -> Vec<String> {
    let p = Policy::correct();
    let who = here.action.who();
    moves(&here.before, p, &d.alphabet)
        .into_iter()
        .filter(|m| m.action != here.action && m.who == who && m.refusal.is_none())
        .filter_map(|m| step(&here.before, &m.action, p).ok())
        .map(|s| outcome_text(&s.narration, None))
        .filter(|t| !t.is_empty())
        .collect()
}

/// The Lab at this moment: the drill's script on the correct platform, the
/// cursor just before the step (press Next to play it).
pub fn lab_link(d: &PlayedDrill, at: usize) -> LabLink {
    LabLink {
        start: LinkStart::Drill(d.slug.clone()),
        switch: 0,
        actions: d.actions.iter().map(codes::encode).collect(),
        step: d.lines.get(at).map_or(0, |l| l.actions_before),
    }
}
