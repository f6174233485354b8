//! The Lab's session on the simulator (`crate::sim`): where it starts (a
//! drill or a preset), the policy (at most one anti-pattern switch), the
//! timeline of actions, and [`LabView`], everything the page shows at the
//! cursor. Pure: the page renders a `LabView` and sends back intents; it
//! decides nothing itself.

pub mod codes;
pub mod picture;
pub mod search;
pub mod service;
pub mod timeline;
pub mod trace;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::content::catalog;
use crate::share::{LabLink, LinkStart};
use crate::sim::action::{format_action, parse_action, Who, ACTION_KINDS};
use crate::sim::check::{candidates, Alphabet};
use crate::sim::drill::{drills, holds, start_world, switch_policy, Drill};
use crate::sim::step::Narration;
use crate::sim::world::{OutageCause, World};
use crate::sim::{apply, check_all, lit, preset, step, Action, Policy, Switch, PRESETS, SWITCHES};
use picture::{picture, Picture};
use timeline::Timeline;

/// A name or word the view carries: the model's own `&'static str` on the
/// side that computes the view, owned text on the side that receives it
/// (the view crosses from the worker to the page as JSON).
pub type Word = Cow<'static, str>;

/// The drill a fresh Lab opens on.
pub const DEFAULT_DRILL: &str = "promotion";

/// Where a session starts.
#[derive(Clone, Debug, PartialEq)]
pub enum Start {
    Drill(Box<Drill>),
    /// A preset name from `sim::PRESETS` (free play, no goal).
    Preset(&'static str),
}

#[derive(Clone, Debug, PartialEq)]
pub struct LabSession {
    pub start: Start,
    /// The start world.
    pub world: World,
    pub policy: Policy,
    pub timeline: Timeline<Action>,
    /// Opened from a share link: its goal, if met, is someone else's play
    /// and is not recorded as progress until the learner restarts.
    pub shared: bool,
    /// A drill line that could not be read (build.rs checks drills, so never expected).
    pub script_error: Option<String>,
}

/// The anti-pattern drill that demonstrates a card (the first in file order).
pub fn drill_for_card(card_slug: &str) -> Option<Drill> {
    drills()
        .into_iter()
        .find(|d| d.switch.as_deref() == Some(card_slug))
}

pub fn drill(slug: &str) -> Option<Drill> {
    drills().into_iter().find(|d| d.slug == slug)
}

/// The drill's script as actions, read line by line against the world it
/// plays in (operation names refer to operations that exist by then).
fn script(d: &Drill, start: &World, p: Policy) -> (Vec<Action>, Option<String>) {
    let (out, _, e) = script_lines(d, start, p);
    (out, e)
}

/// The script, and after each line how many actions it has given so far
/// (a `time tick 3` line gives three).
fn script_lines(d: &Drill, start: &World, p: Policy) -> (Vec<Action>, Vec<usize>, Option<String>) {
    let mut w = *start;
    let mut out = Vec::new();
    let mut ends = Vec::new();
    for line in &d.steps {
        match parse_action(&w, line) {
            Ok(actions) => {
                for a in actions {
                    if let Ok(s) = step(&w, &a, p) {
                        w = s.world;
                    }
                    out.push(a);
                }
                ends.push(out.len());
            }
            Err(e) => return (out, ends, Some(e)),
        }
    }
    (out, ends, None)
}

/// The switch's position in card order, 1-based (0: none), for links.
fn switch_number(p: Policy) -> u8 {
    SWITCHES
        .iter()
        .position(|s| p.naive(*s))
        .map_or(0, |i| i as u8 + 1)
}

impl LabSession {
    /// A drill at its start, with its own switch and its script ready to step through.
    pub fn open(d: Drill) -> LabSession {
        let (world, mut script_error) = match start_world(&d) {
            Ok(w) => (w, None),
            Err(e) => (empty_world(), Some(e)),
        };
        let policy = switch_policy(&d).unwrap_or_default();
        let (actions, e) = script(&d, &world, policy);
        script_error = script_error.or(e);
        LabSession {
            start: Start::Drill(Box::new(d)),
            world,
            policy,
            timeline: Timeline::new(actions, 0),
            shared: false,
            script_error,
        }
    }

    pub fn open_slug(slug: &str) -> Option<LabSession> {
        drill(slug).map(LabSession::open)
    }

    /// A drill after its first `lines` script lines have been played (the
    /// steps a trace, a runbook or a decision lab points at); past the end
    /// stops at the end.
    pub fn open_at(d: Drill, lines: usize) -> LabSession {
        let mut s = LabSession::open(d);
        if let Start::Drill(d) = &s.start {
            let (actions, ends, _) = script_lines(d, &s.world, s.policy);
            let cursor = match lines {
                0 => 0,
                n => ends.get(n - 1).or(ends.last()).copied().unwrap_or(0),
            };
            s.timeline = Timeline::new(actions, cursor);
            // Steps a page played are not the learner's: a goal met there
            // is not progress until the learner restarts and plays it.
            s.shared = cursor > 0;
        }
        s
    }

    /// What a Lab link says after `drill=`: a slug, optionally followed by
    /// `&step=N` (after the drill's first N lines). A bad step is ignored.
    pub fn open_query(query: &str) -> Option<LabSession> {
        let mut parts = query.split('&');
        let d = drill(parts.next()?)?;
        let lines = parts
            .filter_map(|p| p.strip_prefix("step="))
            .find_map(|n| n.parse::<usize>().ok());
        Some(match lines {
            Some(n) => LabSession::open_at(d, n),
            None => LabSession::open(d),
        })
    }

    /// A preset world with an empty timeline: free play.
    pub fn open_preset(name: &str) -> Option<LabSession> {
        let (name, _) = PRESETS.iter().find(|(n, _)| *n == name)?;
        Some(LabSession {
            start: Start::Preset(name),
            world: preset(name)?,
            policy: Policy::correct(),
            timeline: Timeline::new(Vec::new(), 0),
            shared: false,
            script_error: None,
        })
    }

    pub fn default_session() -> LabSession {
        LabSession::open_slug(DEFAULT_DRILL)
            .or_else(|| drills().into_iter().next().map(LabSession::open))
            .or_else(|| LabSession::open_preset("steady"))
            .unwrap_or_else(|| LabSession {
                start: Start::Preset("steady"),
                world: empty_world(),
                policy: Policy::correct(),
                timeline: Timeline::new(Vec::new(), 0),
                shared: false,
                script_error: None,
            })
    }

    /// The drill's script (or nothing, for a preset) from step 0, with its
    /// own switch; undoable. What was played is kept as a fork.
    pub fn restart(&mut self) {
        let fresh = match &self.start {
            Start::Drill(d) => LabSession::open((**d).clone()),
            Start::Preset(p) => LabSession::open_preset(p).unwrap_or_else(|| self.clone()),
        };
        self.timeline.replace(fresh.timeline.actions().to_vec(), 0);
        self.policy = fresh.policy;
        self.shared = false;
    }

    /// Turn on exactly one anti-pattern (or none): one lie at a time.
    pub fn set_switch(&mut self, s: Option<Switch>) {
        self.policy = s.map_or(Policy::correct(), Policy::only);
    }

    pub fn switch(&self) -> Option<Switch> {
        self.policy.switches().next()
    }

    /// Take an action given by its link code (what the page sends back).
    pub fn act_code(&mut self, code: &str) -> bool {
        match codes::decode(code) {
            Some(a) => {
                self.timeline.act(a);
                true
            }
            None => false,
        }
    }

    pub fn title(&self) -> String {
        match &self.start {
            Start::Drill(d) => d.title.clone(),
            Start::Preset(p) => format!("Free play: {p}"),
        }
    }

    /// Rebuild the exact moment a share link describes.
    pub fn from_link(link: &LabLink) -> Result<LabSession, String> {
        let mut s = match &link.start {
            LinkStart::Drill(slug) => LabSession::open_slug(slug).ok_or_else(|| {
                format!(
                    "This link names a drill (“{}”) this version of the Lab does not have.",
                    clip(slug)
                )
            })?,
            LinkStart::Preset(name) => LabSession::open_preset(name).ok_or_else(|| {
                format!(
                    "This link names a start world (“{}”) this version of the Lab does not have.",
                    clip(name)
                )
            })?,
        };
        let actions: Option<Vec<Action>> = link.actions.iter().map(|c| codes::decode(c)).collect();
        let actions =
            actions.ok_or("This link holds an action this version of the Lab does not know.")?;
        let switch = match link.switch {
            0 => None,
            n => Some(
                *SWITCHES
                    .get(n as usize - 1)
                    .ok_or("This link names an anti-pattern switch the Lab does not have.")?,
            ),
        };
        s.set_switch(switch);
        s.timeline = Timeline::new(actions, link.step);
        s.shared = true;
        Ok(s)
    }

    pub fn to_link(&self) -> LabLink {
        LabLink {
            start: match &self.start {
                Start::Drill(d) => LinkStart::Drill(d.slug.clone()),
                Start::Preset(p) => LinkStart::Preset(p.to_string()),
            },
            switch: switch_number(self.policy),
            actions: self.timeline.actions().iter().map(codes::encode).collect(),
            step: self.timeline.cursor(),
        }
    }

    /// Every world of the timeline: `[0]` the start, `[n]` after n actions,
    /// with each step's narration or refusal.
    pub fn replay(&self) -> (Vec<World>, Vec<Result<Vec<String>, String>>) {
        let mut worlds = Vec::with_capacity(self.timeline.len() + 1);
        let mut outcomes = Vec::with_capacity(self.timeline.len());
        let mut w = self.world;
        worlds.push(w);
        for a in self.timeline.actions() {
            match step(&w, a, self.policy) {
                Ok(s) => {
                    w = s.world;
                    outcomes.push(Ok(s.narration));
                }
                Err(r) => outcomes.push(Err(r.to_string())),
            }
            worlds.push(w);
        }
        (worlds, outcomes)
    }

    /// The world at the cursor.
    pub fn world_now(&self) -> World {
        let (worlds, _) = self.replay();
        worlds[self.timeline.cursor().min(worlds.len() - 1)]
    }

    pub fn view(&self) -> LabView {
        view(self)
    }
}

fn empty_world() -> World {
    // PRESETS is compiled in and "steady" is tested to exist (tests/lab.rs).
    preset("steady").expect("the steady preset exists")
}

/// At most 60 characters of untrusted text, for messages.
pub fn clip(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Each invariant's first break along `worlds` (`[0]` the start, `[n]` after
/// step n), and for each step the invariants it broke first (`[n - 1]`).
pub(crate) fn first_breaks(worlds: &[World]) -> (Vec<InvariantStatus>, Vec<Vec<u8>>) {
    let mut invariants: Vec<InvariantStatus> = check_all(&worlds[0])
        .into_iter()
        .map(|r| InvariantStatus {
            id: r.id,
            name: r.name.into(),
            broken_at: (!r.holds).then_some(0),
            objects: r.objects,
            broken_now: false,
        })
        .collect();
    let mut broke_at_step: Vec<Vec<u8>> = vec![Vec::new(); worlds.len() - 1];
    for (n, w) in worlds.iter().enumerate().skip(1) {
        for (inv, r) in invariants.iter_mut().zip(check_all(w)) {
            if !r.holds && inv.broken_at.is_none() {
                inv.broken_at = Some(n);
                inv.objects = r.objects;
                broke_at_step[n - 1].push(inv.id);
            }
        }
    }
    (invariants, broke_at_step)
}

/// One invariant: holding, or broken since a step, with the objects concerned.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvariantStatus {
    pub id: u8,
    pub name: Word,
    /// The first step (1-based) at or before the cursor that broke it.
    pub broken_at: Option<usize>,
    /// The objects that broke it at that step.
    pub objects: Vec<String>,
    /// Still broken at the cursor.
    pub broken_now: bool,
}

/// A lit warning signal: its card's own words, and what in the world lit it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignalView {
    pub card: Word,
    pub card_name: String,
    pub index: u8,
    /// The card's text for this signal (content/anti_patterns.toml).
    pub text: String,
    pub because: Word,
}

/// One step of the timeline in words.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NarrationLine {
    pub step: usize,
    /// The action in the drill vocabulary.
    pub action: String,
    pub text: String,
    pub refused: bool,
    /// Invariants this step broke (newly).
    pub broke: Vec<u8>,
    pub played: bool,
}

/// A move someone can make now, or cannot and why.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionView {
    /// The link code the page sends back.
    pub code: String,
    /// In the drill vocabulary: `operator promote B`.
    pub vocabulary: String,
    /// The vocabulary without the actor's word (the group says who).
    pub label: String,
    pub help: Word,
    pub refused: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionGroup {
    pub who: Word,
    pub actions: Vec<ActionView>,
}

/// One predicate of a drill's goal (or harm) and whether it holds now.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub predicate: String,
    pub holds: bool,
}

/// Everything the page shows at the cursor.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabView {
    pub title: String,
    pub teaches: String,
    /// The drill's slug (empty for a preset).
    pub drill: String,
    pub start: String,
    pub switch: Option<Word>,
    /// The drill's own switch, if it is an anti-pattern drill.
    pub drill_switch: Option<String>,
    pub step: usize,
    pub steps: usize,
    pub picture: Picture,
    pub narration: Vec<NarrationLine>,
    /// What the page announces for the step on screen.
    pub now: String,
    pub invariants: Vec<InvariantStatus>,
    pub signals: Vec<SignalView>,
    pub goal: Vec<Check>,
    /// With the drill's switch on: the harm it shows.
    pub harm: Vec<Check>,
    pub goal_met: bool,
    /// First step at which the goal was met, counted only for steps played
    /// here (a shared link's play is not the learner's progress).
    pub record: Option<usize>,
    pub shared: bool,
    pub actions: Vec<ActionGroup>,
    /// The next scripted step, in the vocabulary.
    pub next: Option<String>,
    pub script_error: Option<String>,
    /// What the drill chooser shows as chosen: `d:<slug>` or `p:<preset>`.
    pub opened: String,
    /// The share-link payload of this exact moment (`v2~…`).
    pub link: String,
    pub can_undo: bool,
    pub can_redo: bool,
    /// The futures a fork kept: from which step, how many actions.
    pub forks: Vec<ForkView>,
}

/// A future kept when the learner acted at an earlier step.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForkView {
    pub at: usize,
    pub actions: usize,
}

impl LabView {
    pub fn can_forward(&self) -> bool {
        self.step < self.steps
    }
}

/// The seven groups, by who acts.
const GROUPS: [(&str, &[Who]); 7] = [
    ("Operator", &[Who::Operator]),
    ("Workers and control plane", &[Who::Worker, Who::Control]),
    ("Runners", &[Who::Runner]),
    ("Edge (POPs)", &[Who::Pop]),
    ("Clients", &[Who::Client]),
    ("Time", &[Who::Time]),
    ("Faults", &[Who::Fault]),
];

/// Kinds the checker's enumeration (`sim::check::candidates`) does not
/// spell out object by object: operator moves and webhooks.
fn exact_kind(a: &Action) -> bool {
    a.who() == Who::Operator || matches!(a, Action::ClientWebhook { .. })
}

/// The moves worth offering at `w`: every operator move (by ana, and a
/// second operator's promotion for races), every webhook, and every other
/// move on objects that exist.
pub fn offered(w: &World) -> Vec<Action> {
    let mut out: Vec<Action> = codes::every_action()
        .iter()
        .copied()
        .filter(exact_kind)
        .filter(|a| match *a {
            Action::Promote { .. } | Action::ClientWebhook { .. } => true,
            Action::Ack { by, op } => by == 0 && w.ops[op as usize].used,
            Action::Deploy { by, .. }
            | Action::Rollback { by, .. }
            | Action::Migrate { by, .. }
            | Action::Restore { by }
            | Action::EnableRegion { by, .. }
            | Action::Failover { by, .. }
            | Action::DrainHost { by, .. }
            | Action::Freeze { by } => by == 0,
            _ => false,
        })
        .collect();
    let all = Alphabet {
        kinds: (1u64 << ACTION_KINDS.len()) - 1,
        ..Alphabet::default()
    };
    let mut others = Vec::new();
    candidates(w, &all, &mut others);
    // An ended operation's worker is offered too, so the page can say why it stops.
    others.extend(
        (0..w.ops.len() as u8)
            .filter(|&op| w.ops[op as usize].used)
            .map(|op| Action::WorkerNext { op }),
    );
    for a in others {
        if !exact_kind(&a) && !out.contains(&a) {
            out.push(a);
        }
    }
    out
}

/// An action's vocabulary without the actor's word, where a group or lane already says who.
pub(crate) fn without_actor(vocabulary: &str, who: Who) -> String {
    vocabulary
        .strip_prefix(who.word())
        .map(str::trim)
        .unwrap_or(vocabulary)
        .to_string()
}

fn action_groups(w: &World, p: Policy) -> Vec<ActionGroup> {
    let moves: Vec<(Who, ActionView)> = offered(w)
        .into_iter()
        .map(|a| {
            let vocabulary = format_action(w, &a);
            let label = without_actor(&vocabulary, a.who());
            let view = ActionView {
                code: codes::encode(&a),
                label,
                vocabulary,
                help: a.kind().help.into(),
                // Refusal only: a copy, narration off (this runs for every move, every view).
                refused: apply(&mut w.clone(), &a, p, &mut Narration::off())
                    .err()
                    .map(str::to_string),
            };
            (a.who(), view)
        })
        .collect();
    GROUPS
        .iter()
        .map(|(name, whos)| ActionGroup {
            who: (*name).into(),
            actions: moves
                .iter()
                .filter(|(who, _)| whos.contains(who))
                .map(|(_, v)| v.clone())
                .collect(),
        })
        .collect()
}

fn signal_views(w: &World, p: Policy) -> Vec<SignalView> {
    let c = catalog();
    lit(w, p)
        .into_iter()
        .map(|s| {
            let card = c.card(s.card);
            SignalView {
                card: s.card.into(),
                card_name: card.map(|k| k.name.clone()).unwrap_or_default(),
                index: s.index,
                text: card
                    .and_then(|k| k.signals.get(s.index as usize).cloned())
                    .unwrap_or_default(),
                because: s.because.into(),
            }
        })
        .collect()
}

fn view(s: &LabSession) -> LabView {
    let (worlds, outcomes) = s.replay();
    let cursor = s.timeline.cursor().min(outcomes.len());
    let p = s.policy;
    let w = worlds[cursor];
    let drill = match &s.start {
        Start::Drill(d) => Some(&**d),
        Start::Preset(_) => None,
    };

    // Invariants along the way: the first break of each, up to the cursor.
    let (mut invariants, mut broke_at_step) = first_breaks(&worlds[..=cursor]);
    broke_at_step.resize(outcomes.len(), Vec::new());
    let clean_at = |n: usize| {
        invariants
            .iter()
            .all(|i| i.broken_at.is_none_or(|at| at > n))
    };
    let mut kept_serving = worlds[0].outage_cause != OutageCause::Platform;
    let mut record = None;
    let predicates: &[String] = drill.map_or(&[], |d| &d.expect);
    let met = |w: &World, kept: bool, clean: bool| {
        drill.is_some()
            && clean
            && predicates
                .iter()
                .all(|q| holds(w, p, q, kept).unwrap_or(false))
    };
    if met(&worlds[0], kept_serving, clean_at(0)) {
        record = Some(0);
    }
    for (n, wn) in worlds.iter().enumerate().take(cursor + 1).skip(1) {
        kept_serving &= wn.outage_cause != OutageCause::Platform;
        if record.is_none() && met(wn, kept_serving, clean_at(n)) {
            record = Some(n);
        }
    }
    for (inv, r) in invariants.iter_mut().zip(check_all(&w)) {
        inv.broken_now = !r.holds;
    }
    let clean = invariants.iter().all(|i| i.broken_at.is_none());

    let narration: Vec<NarrationLine> = s
        .timeline
        .actions()
        .iter()
        .zip(&outcomes)
        .enumerate()
        .map(|(i, (a, o))| {
            let (text, refused) = match o {
                Ok(lines) => (lines.join(" "), false),
                Err(r) => (format!("Refused: {r}."), true),
            };
            NarrationLine {
                step: i + 1,
                action: format_action(&worlds[i], a),
                text,
                refused,
                broke: broke_at_step[i].clone(),
                played: i < cursor,
            }
        })
        .collect();

    let signals = signal_views(&w, p);
    let now = match cursor {
        0 => "At the start. Press Next to play the first step.".to_string(),
        n => {
            let l = &narration[n - 1];
            let mut out = format!("Step {n}: {} — {}", l.action, l.text);
            for id in &l.broke {
                let inv = &invariants[*id as usize - 1];
                out.push_str(&format!(
                    " Invariant {id} broke: {} ({}).",
                    inv.name,
                    inv.objects.join("; ")
                ));
            }
            if !l.broke.is_empty() {
                for sig in &signals {
                    out.push_str(&format!(
                        " Warning signal of {}: “{}”",
                        sig.card_name, sig.text
                    ));
                }
            }
            out
        }
    };

    let goal: Vec<Check> = predicates
        .iter()
        .map(|q| Check {
            predicate: q.clone(),
            holds: holds(&w, p, q, kept_serving).unwrap_or(false),
        })
        .collect();
    let drill_switch = drill.and_then(|d| d.switch.clone());
    let harm = match drill {
        Some(d)
            if d.switch
                .as_deref()
                .is_some_and(|sw| s.switch().map(Switch::card_slug) == Some(sw)) =>
        {
            d.harm
                .iter()
                .map(|q| Check {
                    predicate: q.clone(),
                    holds: holds(&w, p, q, kept_serving).unwrap_or(false),
                })
                .collect()
        }
        _ => Vec::new(),
    };
    let goal_met = drill.is_some() && clean && goal.iter().all(|c| c.holds);
    LabView {
        title: s.title(),
        teaches: drill.map_or_else(
            || {
                PRESETS
                    .iter()
                    .find(|(n, _)| Start::Preset(n) == s.start)
                    .map_or(String::new(), |(_, d)| d.to_string())
            },
            |d| d.teaches.clone(),
        ),
        drill: drill.map_or(String::new(), |d| d.slug.clone()),
        start: match &s.start {
            Start::Drill(d) => d.start.clone(),
            Start::Preset(p) => p.to_string(),
        },
        switch: s.switch().map(|sw| sw.card_slug().into()),
        drill_switch,
        step: cursor,
        steps: s.timeline.len(),
        picture: picture(&w, p, cursor.checked_sub(1).map(|i| &worlds[i])),
        narration,
        now,
        invariants,
        signals,
        goal,
        harm,
        goal_met,
        record: if s.shared { None } else { record },
        shared: s.shared,
        actions: action_groups(&w, p),
        next: s
            .timeline
            .next_action()
            .map(|a| format_action(&worlds[cursor], a)),
        script_error: s.script_error.clone(),
        opened: match &s.start {
            Start::Drill(d) => format!("d:{}", d.slug),
            Start::Preset(p) => format!("p:{p}"),
        },
        link: s.to_link().encode(),
        can_undo: s.timeline.can_undo(),
        can_redo: s.timeline.can_redo(),
        forks: s
            .timeline
            .forks()
            .iter()
            .map(|f| ForkView {
                at: f.at,
                actions: f.future.len(),
            })
            .collect(),
    }
}
