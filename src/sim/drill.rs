//! Drills as data: each plays its steps from a start world and checks its
//! goal — outcomes, "production kept serving", and no broken invariant.
//! Anti-pattern drills also play with their switch on and must show their
//! broken invariant, harm and signals. The files live in content/drills/;
//! build.rs validates them and compiles them in (`drills()`).

use super::action::{format_action, parse_action};
pub use super::drill_schema::Drill;
use super::invariant::{check_all, InvResult};
use super::lifecycle::stage_index;
use super::policy::{Policy, Switch};
use super::preset::{apply_override, preset};
use super::signal::SIGNALS;
use super::step::{serving, step};
use super::world::*;
use serde::Serialize;

mod compiled {
    use super::Drill;

    /// A drill as build.rs writes it: borrowed text in the binary's data.
    pub struct DrillData {
        pub slug: &'static str,
        pub title: &'static str,
        pub kind: &'static str,
        pub teaches: &'static str,
        pub start: &'static str,
        pub overrides: &'static [[&'static str; 2]],
        pub switch: Option<&'static str>,
        pub steps: &'static [&'static str],
        pub expect: &'static [&'static str],
        pub breaks: Option<u8>,
        pub harm: &'static [&'static str],
        pub signals: &'static [&'static str],
    }

    include!(concat!(env!("OUT_DIR"), "/drills.rs"));

    fn owned(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|x| x.to_string()).collect()
    }

    impl DrillData {
        pub fn drill(&self) -> Drill {
            Drill {
                slug: self.slug.into(),
                title: self.title.into(),
                kind: self.kind.into(),
                teaches: self.teaches.into(),
                start: self.start.into(),
                overrides: self
                    .overrides
                    .iter()
                    .map(|[k, v]| [k.to_string(), v.to_string()])
                    .collect(),
                switch: self.switch.map(str::to_string),
                steps: owned(self.steps),
                expect: owned(self.expect),
                breaks: self.breaks,
                harm: owned(self.harm),
                signals: owned(self.signals),
            }
        }
    }
}

/// Every drill in content/drills/, in file-name order.
pub fn drills() -> Vec<Drill> {
    compiled::DRILLS
        .iter()
        .map(compiled::DrillData::drill)
        .collect()
}

/// One played step.
#[derive(Clone, Debug, Serialize)]
pub struct PlayedStep {
    pub line: String,
    /// The action as the vocabulary writes it (a `time tick 3` line gives three).
    pub actions: Vec<String>,
    /// Why the platform refused it, if it did.
    pub refused: Option<String>,
    pub narration: Vec<String>,
    pub invariants: Vec<InvResult>,
    /// Lit signals, as `card-slug#index`.
    pub signals: Vec<String>,
    pub serving: bool,
}

/// A drill played under one policy.
#[derive(Clone, Debug, Serialize)]
pub struct Played {
    pub slug: String,
    pub policy: Vec<&'static str>,
    pub steps: Vec<PlayedStep>,
    pub end: World,
    /// Invariants broken at any step.
    pub broken: Vec<u8>,
    /// Production never stopped serving by the platform's own doing.
    pub kept_serving: bool,
    /// Predicates of the goal that did not hold (empty: met).
    pub unmet: Vec<String>,
}

impl Played {
    pub fn goal_met(&self) -> bool {
        self.unmet.is_empty()
    }
}

/// The drill's start world.
pub fn start_world(d: &Drill) -> Result<World, String> {
    let mut w = preset(&d.start).ok_or_else(|| format!("unknown start world `{}`", d.start))?;
    for [k, v] in &d.overrides {
        apply_override(&mut w, k, v)?;
    }
    Ok(w)
}

/// The policy of an anti-pattern drill (its switch on).
pub fn switch_policy(d: &Drill) -> Result<Policy, String> {
    match &d.switch {
        None => Ok(Policy::correct()),
        Some(slug) => Switch::from_slug(slug)
            .map(Policy::only)
            .ok_or_else(|| format!("unknown switch `{slug}`")),
    }
}

/// Plays every step under `p`. Refused steps are recorded and skipped.
/// `predicates` are checked at the end (plus "no broken invariant" when `clean`).
pub fn play(d: &Drill, p: Policy, predicates: &[String], clean: bool) -> Result<Played, String> {
    let mut w = start_world(d)?;
    let mut steps = Vec::new();
    let mut broken: Vec<u8> = Vec::new();
    let mut kept_serving = true;
    for line in &d.steps {
        let actions = parse_action(&w, line)?;
        let mut played = PlayedStep {
            line: line.clone(),
            actions: Vec::new(),
            refused: None,
            narration: Vec::new(),
            invariants: Vec::new(),
            signals: Vec::new(),
            serving: true,
        };
        for a in actions {
            played.actions.push(format_action(&w, &a));
            match step(&w, &a, p) {
                Ok(s) => {
                    w = s.world;
                    played.narration.extend(s.narration);
                }
                Err(r) => {
                    played.refused = Some(r.to_string());
                    break;
                }
            }
        }
        played.invariants = check_all(&w);
        for r in played.invariants.iter().filter(|r| !r.holds) {
            if !broken.contains(&r.id) {
                broken.push(r.id);
            }
        }
        kept_serving &= w.outage_cause != OutageCause::Platform;
        played.signals = lit_names(&w, p);
        played.serving = serving(&w);
        steps.push(played);
    }
    let mut unmet: Vec<String> = predicates
        .iter()
        .filter(|q| !holds(&w, p, q, kept_serving).unwrap_or(false))
        .cloned()
        .collect();
    if clean && !broken.is_empty() {
        unmet.push(format!("no broken invariant (broke {broken:?})"));
    }
    Ok(Played {
        slug: d.slug.clone(),
        policy: p.switches().map(|s| s.card_slug()).collect(),
        steps,
        end: w,
        broken,
        kept_serving,
        unmet,
    })
}

/// Correct policy: the goal (`expect`) with no broken invariant.
pub fn play_correct(d: &Drill) -> Result<Played, String> {
    play(d, Policy::correct(), &d.expect, true)
}

/// Switch on: the harm, the signals, and the named invariant broken.
pub fn play_naive(d: &Drill) -> Result<Played, String> {
    let p = switch_policy(d)?;
    let mut want = d.harm.clone();
    want.extend(d.signals.iter().map(|s| format!("signal {s}")));
    let mut played = play(d, p, &want, false)?;
    if let Some(b) = d.breaks {
        if !played.broken.contains(&b) {
            played
                .unmet
                .push(format!("invariant {b} breaks (broke {:?})", played.broken));
        }
    }
    Ok(played)
}

/// Lit signals as `card-slug#index`.
pub fn lit_names(w: &World, p: Policy) -> Vec<String> {
    SIGNALS
        .iter()
        .filter(|s| (s.lit)(w, p))
        .map(|s| format!("{}#{}", s.card, s.index))
        .collect()
}

fn index_of(names: &[&str], word: &str) -> Result<usize, String> {
    names
        .iter()
        .position(|n| *n == word)
        .ok_or_else(|| format!("unknown name `{word}`"))
}

fn num(s: &str) -> Result<u8, String> {
    s.parse().map_err(|_| format!("`{s}` is not a number"))
}

/// Evaluates one goal predicate at the end world. The vocabulary:
/// `serving`, `not-serving`, `kept-serving`, `owner B`, `epoch 3`,
/// `op promotion#1 healthy|blocked|acked|STAGE`, `alloc#2 ready`, `session s1 fresh`,
/// `session s1 draft|no-draft`, `charges pay-1 1`, `rpo 2`, `rto-at-most 3`,
/// `pop eu-1 epoch 2`, `pop eu-1 routes B`, `pop eu-1 fail-closed|open`,
/// `region us eligible`, `host h1 cordoned|uncordoned|upgraded`,
/// `column legacy_name present|absent`, `wake hot`, `req#1 served|retry|held`,
/// `rejected-reports 1`, `failed-requests-at-least 1`, `signal card#i`, `no-signal card#i`.
pub fn holds(w: &World, p: Policy, q: &str, kept_serving: bool) -> Result<bool, String> {
    let words: Vec<&str> = q.split_whitespace().collect();
    let arg = |i: usize| {
        words
            .get(i)
            .copied()
            .ok_or_else(|| format!("`{q}`: missing argument"))
    };
    let first = arg(0)?;
    if let Some(n) = first.strip_prefix("alloc#") {
        let i = num(n)?
            .checked_sub(1)
            .filter(|i| (*i as usize) < MAX_ALLOCS)
            .ok_or("no such allocation")?;
        return Ok(w.allocs[i as usize].used && w.allocs[i as usize].state.name() == arg(1)?);
    }
    if let Some(n) = first.strip_prefix("req#") {
        let i = num(n)?
            .checked_sub(1)
            .filter(|i| (*i as usize) < MAX_REQUESTS)
            .ok_or("no such request")?;
        let r = w.requests[i as usize];
        let state = match r.state {
            ReqState::Held => "held",
            ReqState::Served => "served",
            ReqState::Retry => "retry",
        };
        return Ok(r.used && state == arg(1)?);
    }
    Ok(match first {
        "serving" => serving(w),
        "not-serving" => !serving(w),
        "kept-serving" => kept_serving,
        "owner" => w.owner.artifact as usize == index_of(&ARTIFACT_NAMES, arg(1)?)?,
        "epoch" => w.owner.epoch == num(arg(1)?)?,
        "op" => {
            let (kind, n) = arg(1)?
                .split_once('#')
                .ok_or_else(|| format!("`{q}`: operation like promotion#1"))?;
            let i = num(n)?
                .checked_sub(1)
                .filter(|i| (*i as usize) < MAX_OPS)
                .ok_or("no such operation")? as usize;
            let o = w.ops[i];
            if !o.used || o.kind.word() != kind {
                return Ok(false);
            }
            let want = arg(2)?;
            if want == "blocked" {
                o.needs_ack && !o.acked
            } else if want == "acked" {
                // It waited at its gate and an operator accepted the cold change.
                o.needs_ack && o.acked
            } else {
                let s = stage_index(o.kind, want)
                    .ok_or_else(|| format!("`{q}`: no stage `{want}` for a {kind}"))?;
                o.stage == s
            }
        }
        "session" => {
            let i = arg(1)?
                .strip_prefix('s')
                .map(num)
                .transpose()?
                .and_then(|n| n.checked_sub(1))
                .filter(|i| (*i as usize) < MAX_SESSIONS)
                .ok_or("no such session")?;
            let s = w.sessions[i as usize];
            match arg(2)? {
                "draft" => s.draft,
                "no-draft" => !s.draft,
                state => s.state.name() == state,
            }
        }
        "charges" => {
            let p = arg(1)?
                .strip_prefix("pay-")
                .map(num)
                .transpose()?
                .and_then(|n| n.checked_sub(1))
                .filter(|p| *p < 2)
                .ok_or("no such payment")?;
            w.charges[p as usize] == num(arg(2)?)?
        }
        "rpo" => w.db.lost_writes == num(arg(1)?)?,
        "rto-at-most" => w.rto <= num(arg(1)?)?,
        "pop" => {
            let p = w.pops[index_of(&POP_NAMES, arg(1)?)?];
            match arg(2)? {
                "epoch" => p.applied_epoch == num(arg(3)?)?,
                "routes" => p.artifact as usize == index_of(&ARTIFACT_NAMES, arg(3)?)?,
                "fail-closed" => p.fail_closed,
                "open" => !p.fail_closed,
                other => return Err(format!("`{q}`: pop {other}?")),
            }
        }
        "region" => {
            let r = w.regions[index_of(&REGION_NAMES, arg(1)?)?];
            let stage = r.stage.name();
            match arg(2)? {
                "down" => !r.up,
                "up" => r.up,
                want => stage == want.replace('_', " "),
            }
        }
        "host" => {
            let h = w.hosts[HOST_TABLE
                .iter()
                .position(|(n, _)| *n == arg(1).unwrap_or(""))
                .ok_or("no such host")?];
            match arg(2)? {
                "cordoned" => h.cordoned,
                "uncordoned" => !h.cordoned,
                "upgraded" => h.upgraded,
                other => return Err(format!("`{q}`: host {other}?")),
            }
        }
        "column" => {
            let c = index_of(&COLUMNS, arg(1)?)?;
            let present = w.db.columns & (1 << c) != 0;
            match arg(2)? {
                "present" => present,
                "absent" => !present,
                other => return Err(format!("`{q}`: column {other}?")),
            }
        }
        "wake" => w.wake.name() == arg(1)?,
        "rejected-reports" => w.rejected_reports == num(arg(1)?)?,
        "failed-requests-at-least" => w.failed_requests >= num(arg(1)?)?,
        "signal" | "no-signal" => {
            let (card, i) = arg(1)?.split_once('#').ok_or("signal card-slug#index")?;
            let i = num(i)?;
            let s = SIGNALS
                .iter()
                .find(|s| s.card == card && s.index == i)
                .ok_or_else(|| format!("`{q}`: no such signal"))?;
            (first == "signal") == (s.lit)(w, p)
        }
        _ => return Err(format!("`{q}`: unknown predicate")),
    })
}

/// Reads a drill file a user wrote (host only: the wasm has no TOML parser).
#[cfg(not(target_arch = "wasm32"))]
pub fn from_toml(name: &str, text: &str) -> Result<Drill, String> {
    let d: Drill =
        toml::from_str(text).map_err(|e| format!("{name} is not a valid drill:\n{e}"))?;
    let problems = super::drill_schema::problems(&[(name.to_string(), d.clone())]);
    if problems.is_empty() {
        Ok(d)
    } else {
        Err(problems.join("\n"))
    }
}

/// The moves a checker explores from a drill's start: the drill's own
/// operator and client moves and faults, plus every platform move.
pub fn alphabet(d: &Drill) -> Result<super::check::Alphabet, String> {
    use super::action::Who;
    let mut a = super::check::Alphabet::platform();
    let mut w = start_world(d)?;
    let p = switch_policy(d)?;
    for line in &d.steps {
        for act in parse_action(&w, line)? {
            match act.who() {
                Who::Fault => a.kinds |= 1 << act.kind_index(),
                Who::Operator | Who::Client if !a.exact.contains(&act) => a.exact.push(act),
                _ => {}
            }
            if let Ok(s) = step(&w, &act, p) {
                w = s.world;
            }
        }
    }
    Ok(a)
}
