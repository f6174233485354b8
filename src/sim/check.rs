//! The simulator as a model for a checker: a start world, a policy, and an
//! alphabet (which moves the explorer may choose). The abstraction drops the
//! clock, measurements, counters and who asked for each operation, and sorts
//! interchangeable objects (allocations, sessions, requests, reports, events),
//! so states that differ only by ids or bookkeeping count once. Hosts, cells,
//! POPs and regions are not interchangeable: each has its own place, capacity
//! or name in the moves (a new allocation takes the first free host).

use super::action::Action;
use super::invariant::INVARIANTS;
use super::policy::Policy;
use super::step::{apply, apply_to, Narration};
use super::world::*;
use crate::checker::{Model, Property};

/// Which moves the explorer may choose: exact operator/client moves, plus
/// whole kinds (by `ACTION_KINDS` index) enumerated over every object.
#[derive(Clone, Debug, Default)]
pub struct Alphabet {
    pub exact: Vec<Action>,
    pub kinds: u64,
}

impl Alphabet {
    /// Kinds by vocabulary name (`"next"`, `"report"`, `"tick"`, `"crash-worker"`…).
    pub fn with_kinds(mut self, names: &[&str]) -> Alphabet {
        for n in names {
            if let Some(i) = super::action::ACTION_KINDS
                .iter()
                .position(|k| k.name == *n)
            {
                self.kinds |= 1 << i;
            }
        }
        self
    }
    pub fn with(mut self, a: Action) -> Alphabet {
        self.exact.push(a);
        self
    }
    /// The platform's own moves: workers, runners, POPs, reports, time.
    pub fn platform() -> Alphabet {
        Alphabet::default()
            .with_kinds(&["next", "report", "consume", "snapshot", "deliver", "tick"])
    }
    fn has(&self, kind: usize) -> bool {
        self.kinds & (1 << kind) != 0
    }
}

/// Every candidate move at `w` under `alphabet` (some may be refused).
pub fn candidates(w: &World, alphabet: &Alphabet, out: &mut Vec<Action>) {
    use Action::*;
    // An exact operator move is offered until an operation for it exists: the
    // explorer studies one promotion of B, not six.
    out.extend(alphabet.exact.iter().copied().filter(|a| !requested(w, a)));
    let ops = (0..MAX_OPS as u8).filter(|&i| {
        w.ops[i as usize].used
            && !super::lifecycle::is_terminal(w.ops[i as usize].kind, w.ops[i as usize].stage)
    });
    let allocs = (0..MAX_ALLOCS as u8).filter(|&i| w.allocs[i as usize].used);
    let reports = (0..MAX_MSGS as u8).filter(|&i| w.reports[i as usize].used);
    let requests = (0..MAX_REQUESTS as u8).filter(|&i| w.requests[i as usize].used);
    let k = |a: &Action| a.kind_index();
    let mut push = |a: Action| {
        if alphabet.has(k(&a)) {
            out.push(a);
        }
    };
    for op in ops {
        push(WorkerNext { op });
        push(CrashWorker { op });
        push(RetryWorker { op });
    }
    for i in 0..MAX_OPS as u8 {
        if w.ops[i as usize].used && w.ops[i as usize].worker == WorkerState::Crashed {
            push(RetryWorker { op: i });
        }
    }
    for alloc in allocs {
        push(RunnerReport { alloc });
        push(CrashRunner { alloc });
        push(SlowReadiness { alloc });
    }
    for pop in 0..POPS as u8 {
        push(PopConsume { pop });
        push(PopSnapshot { pop });
        push(PopRedeliver { pop });
        push(PopRestart { pop });
        push(ClientGet { pop });
    }
    for report in reports {
        push(Deliver { report });
        push(LoseReport { report });
        push(DuplicateReport { report });
        push(DelayReport { report });
    }
    for request in requests {
        push(ProviderRetry { request });
    }
    for session in 0..MAX_SESSIONS as u8 {
        if w.sessions[session as usize].state != SessionState::None {
            push(ClientType { session });
            push(ClientReconnect { session });
            push(ClientClose { session });
        }
    }
    for region in 0..REGIONS as u8 {
        push(RegionOutage { region });
    }
    push(Tick);
    push(RetentionDrop);
    push(ScaleToZero);
    push(ClientWrite);
}

fn requested(w: &World, a: &Action) -> bool {
    use Action::*;
    let has = |kind: OpKind, target: u8| {
        w.ops
            .iter()
            .any(|o| o.used && o.kind == kind && o.target == target)
    };
    match *a {
        Deploy { artifact, .. } => has(OpKind::Deploy, artifact),
        Promote { artifact, .. } => has(OpKind::Promote, artifact),
        Rollback { artifact, .. } => has(OpKind::Rollback, artifact),
        Migrate { column, .. } => has(OpKind::Migrate, column),
        Restore { .. } => w.ops.iter().any(|o| o.used && o.kind == OpKind::Restore),
        EnableRegion { region, .. } => has(OpKind::RegionEnable, region),
        Failover { .. } => w.ops.iter().any(|o| o.used && o.kind == OpKind::Failover),
        DrainHost { host, .. } => has(OpKind::HostDrain, host),
        _ => false,
    }
}

/// A (start world, policy, alphabet) to explore.
#[derive(Clone, Debug)]
pub struct SimModel {
    pub start: World,
    pub policy: Policy,
    pub alphabet: Alphabet,
    /// Deduplicate on `canonical` (true) or on the raw world (for comparison).
    pub abstract_states: bool,
}

impl SimModel {
    pub fn new(start: World, policy: Policy, alphabet: Alphabet) -> SimModel {
        SimModel {
            start,
            policy,
            alphabet,
            abstract_states: true,
        }
    }
}

impl Model for SimModel {
    type State = World;
    type Action = Action;
    type Abstract = World;
    fn init_states(&self) -> Vec<World> {
        vec![self.start]
    }
    fn actions(&self, w: &World, out: &mut Vec<Action>) {
        candidates(w, &self.alphabet, out);
    }
    fn next_state(&self, w: &World, a: &Action) -> Option<World> {
        // Built in the returned value itself: one copy of the world per move.
        let mut out = Some(*w);
        let next = out.as_mut()?;
        if apply_to(w, next, a, self.policy).is_err() || next == w {
            return None;
        }
        out
    }
    fn properties(&self) -> Vec<Property<Self>> {
        (0..INVARIANTS.len())
            .map(|i| Property::always(INVARIANTS[i].name, PROPS[i]))
            .collect()
    }
    fn abstraction(&self, w: &World) -> World {
        if self.abstract_states {
            canonical(w)
        } else {
            *w
        }
    }
}

/// The abstraction: bookkeeping dropped, interchangeable objects sorted.
pub fn canonical(w: &World) -> World {
    let mut c = *w;
    c.outage_start = w.outage_start.map(|s| w.clock.saturating_sub(s).min(15));
    c.clock = 0;
    c.rto = 0;
    c.rejected_reports = 0;
    c.failed_requests = 0;
    // Allocations: sort, then rename every reference. Sorted by a key: the
    // fields' bytes in declaration order, most significant first (so keys
    // compare as the derived `Ord` does), then the old index, so that equal
    // allocations keep their order, as a stable sort would.
    let key = |i: usize| {
        let bytes = w.allocs[i]
            .bytes()
            .iter()
            .fold(0, |k, &b| k << 8 | u128::from(b));
        bytes << 8 | i as u128
    };
    let mut keys: [u128; MAX_ALLOCS] = core::array::from_fn(key);
    keys.sort_unstable();
    let mut rename = [0u8; MAX_ALLOCS];
    for (new, key) in keys.iter().enumerate() {
        let old = *key as u8 as usize;
        rename[old] = new as u8;
        c.allocs[new] = w.allocs[old];
    }
    for s in c.sessions.iter_mut() {
        s.alloc = rename[s.alloc as usize];
        s.handshake = rename[s.handshake as usize];
    }
    for o in c.ops.iter_mut() {
        if o.alloc > 0 {
            o.alloc = rename[o.alloc as usize - 1] + 1;
        }
    }
    // Who asked for an operation is shown, never read by a move or an
    // invariant: the two operators are interchangeable.
    for o in c.ops.iter_mut() {
        o.actor = Actor::System;
    }
    c.sessions.sort();
    c.requests.sort();
    c.reports.sort();
    c.events
        .sort_by_key(|e| (e.seq, e.epoch, e.artifact, e.age));
    c
}

macro_rules! invariant_fns {
    ($($f:ident $i:literal),*) => {
        $(fn $f(_: &SimModel, w: &World) -> bool { (INVARIANTS[$i].check)(w).is_empty() })*
        /// Each invariant as a checker property condition, in order 1..=14.
        const PROPS: [fn(&SimModel, &World) -> bool; 14] = [$($f),*];
    };
}
invariant_fns!(i1 0, i2 1, i3 2, i4 3, i5 4, i6 5, i7 6, i8 7, i9 8, i10 9, i11 10, i12 11, i13 12, i14 13);

/// One move the UI can offer at a state: what it is, who makes it, and why
/// the platform would refuse it now (None: it is enabled).
#[derive(Clone, Debug, serde::Serialize)]
pub struct Move {
    pub action: Action,
    /// In the drill vocabulary (`operator promote B`).
    pub line: String,
    pub label: &'static str,
    pub who: super::action::Who,
    pub help: &'static str,
    pub refusal: Option<&'static str>,
}

/// Every move of `alphabet` at `w`, enabled or not, with its refusal reason.
pub fn moves(w: &World, p: Policy, alphabet: &Alphabet) -> Vec<Move> {
    let mut all = Vec::new();
    candidates(w, alphabet, &mut all);
    all.into_iter()
        .map(|a| {
            let mut next = *w;
            let refusal = apply(&mut next, &a, p, &mut Narration::off()).err();
            let k = a.kind();
            Move {
                action: a,
                line: super::action::format_action(w, &a),
                label: k.label,
                who: k.who,
                help: k.help,
                refusal,
            }
        })
        .collect()
}
