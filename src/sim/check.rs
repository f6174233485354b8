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
use super::step::{apply, apply_to, refused, Narration};
use super::world::*;
use crate::checker::{Model, Property};
use std::cell::Cell;

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
    // A crashed worker whose operation ended meanwhile (timed out) can still
    // be redelivered; the unfinished ones' were offered above, once.
    for i in 0..MAX_OPS as u8 {
        let o = &w.ops[i as usize];
        if o.used
            && o.worker == WorkerState::Crashed
            && super::lifecycle::is_terminal(o.kind, o.stage)
        {
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
    /// The last fingerprinted world's rarely moved records and their share
    /// of its fingerprint (a memo: see `canonical_fingerprint_with`).
    settled: Cell<Option<(Settled, u64)>>,
}

impl SimModel {
    pub fn new(start: World, policy: Policy, alphabet: Alphabet) -> SimModel {
        SimModel {
            start,
            policy,
            alphabet,
            abstract_states: true,
            settled: Cell::new(None),
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
        let mut next = *w;
        self.next_state_into(w, a, &mut next).then_some(next)
    }
    fn next_state_into(&self, w: &World, a: &Action, next: &mut World) -> bool {
        // A move refused by the world as it is costs no copy; any other,
        // one copy of the world into the explorer's buffer.
        if refused(w, a).is_err() {
            return false;
        }
        *next = *w;
        apply_to(w, next, a, self.policy).is_ok() && !same_world(next, w)
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
    fn fingerprint(&self, w: &World) -> u64 {
        if self.abstract_states {
            canonical_fingerprint_with(w, &self.settled)
        } else {
            crate::checker::fingerprint(w)
        }
    }
}

/// `a == b`, with the parts a move most often changes compared first, so
/// that two different worlds are told apart early.
#[inline]
fn same_world(a: &World, b: &World) -> bool {
    a.clock == b.clock
        && a.ops == b.ops
        && a.pops == b.pops
        && a.sessions == b.sessions
        && a.allocs == b.allocs
        && a == b
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

/// A fingerprint of `canonical(w)` without building it: equal canonical
/// worlds, equal fingerprints; different ones differ but for a 1 in 2^64
/// chance per pair. Taken once per transition, it is the explorer's hottest
/// path, so it is a sum of one mixed number per record: each record's bytes
/// read as one or two words (no byte buffer to store and read back), mixed
/// with keys for its place. The collections `canonical` sorts (sessions,
/// events, reports, requests) share one key per collection, so their sum is
/// the same in any order and nothing is sorted but the allocations' ranks.
/// `tests/sim_check.rs` checks it against `canonical` on every state of
/// explorations from every start world.
pub fn canonical_fingerprint(w: &World) -> u64 {
    canonical_fingerprint_with(w, &Cell::new(None))
}

/// The records moves rarely change (configuration, places, stores, the
/// route owner and its commit history), as they are in a world.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Settled {
    q: Quantities,
    regions: [Region; REGIONS],
    hosts: [Host; HOSTS],
    artifacts: [Artifact; ARTIFACTS],
    stores: [Binding; 3],
    db: Database,
    owner: RouteOwner,
    commits: [Commit; MAX_COMMITS],
}

/// How many places the settled records take (`Places` numbers them first).
const SETTLED_PLACES: usize = 1 + REGIONS + HOSTS + ARTIFACTS + 3 + 1 + 1 + MAX_COMMITS;

/// `canonical_fingerprint`, reusing the settled records' share from `memo`
/// when they equal the last world's: successive fingerprints are of
/// successors of one state, which mostly share them.
fn canonical_fingerprint_with(w: &World, memo: &Cell<Option<(Settled, u64)>>) -> u64 {
    let World {
        clock,
        q,
        regions,
        hosts,
        artifacts,
        allocs,
        sessions,
        session_store,
        idempotency_store,
        broadcast,
        db,
        owner,
        commits,
        events,
        next_seq,
        pops,
        ops,
        reports,
        requests,
        wake,
        frozen,
        charges,
        idem_seen,
        late_replay,
        hot_before_ready,
        rejected_reports: _,
        outage_start,
        outage_cause,
        rto: _,
        failed_requests: _,
    } = w;
    let settled = Settled {
        q: *q,
        regions: *regions,
        hosts: *hosts,
        artifacts: *artifacts,
        stores: [*session_store, *idempotency_store, *broadcast],
        db: *db,
        owner: *owner,
        commits: *commits,
    };
    let mut places = Places { next: 0, sum: 0 };
    match memo.get() {
        Some((last, sum)) if last == settled => places.sum = sum,
        _ => {
            places.record(&q.bytes());
            regions.iter().for_each(|r| places.record(&r.bytes()));
            hosts.iter().for_each(|h| places.record(&h.bytes()));
            artifacts.iter().for_each(|a| places.record(&a.bytes()));
            settled
                .stores
                .iter()
                .for_each(|b| places.record(&b.bytes()));
            places.record(&db.bytes());
            places.record(&owner.bytes());
            commits.iter().for_each(|c| places.record(&c.bytes()));
            debug_assert_eq!(places.next, SETTLED_PLACES);
            memo.set(Some((settled, places.sum)));
        }
    }
    places.next = SETTLED_PLACES;
    // Allocations in `canonical`'s order: by their bytes, then old index.
    let alloc_bytes = allocs.map(|a| a.bytes());
    let mut order: [(u64, u8, u8); MAX_ALLOCS] = core::array::from_fn(|i| {
        let b = &alloc_bytes[i];
        (words(b).0.swap_bytes(), b[8], i as u8)
    });
    order.sort_unstable();
    let mut rename = [0u8; MAX_ALLOCS];
    for (new, &(_, _, old)) in order.iter().enumerate() {
        rename[old as usize] = new as u8;
        places.record(&alloc_bytes[old as usize]);
    }
    let bag = places.bag();
    for s in sessions {
        let renamed = Session {
            alloc: rename[s.alloc as usize],
            handshake: rename[s.handshake as usize],
            ..*s
        };
        places.add(bag, &renamed.bytes());
    }
    let bag = places.bag();
    for e in events {
        places.add_unless_zero(bag, *e == Event::default(), || e.bytes());
    }
    pops.iter().for_each(|p| places.record(&p.bytes()));
    for o in ops {
        // Two places: an operation is 15 bytes once who asked is dropped
        // (`canonical` makes it the system). Most slots are empty.
        let (head, tail) = (places.bag(), places.bag());
        let empty = *o == Operation::default();
        let [used, kind, stage, _, _, rest @ ..] = Operation {
            alloc: if o.alloc > 0 {
                rename[o.alloc as usize - 1] + 1
            } else {
                0
            },
            ..*o
        }
        .bytes();
        places.add_unless_zero(head, empty, || [used, kind, stage]);
        places.add_unless_zero(tail, empty, || rest);
    }
    let bag = places.bag();
    for r in reports {
        places.add_unless_zero(bag, *r == Report::default(), || r.bytes());
    }
    let bag = places.bag();
    for r in requests {
        places.add_unless_zero(bag, *r == Request::default(), || r.bytes());
    }
    // The clock, RTO and counters are dropped; the outage's age is kept.
    let outage = outage_start.map(|s| clock.saturating_sub(s).min(15));
    places.record(&[
        charges[0],
        charges[1],
        *next_seq,
        *wake as u8,
        *frozen as u8,
        *idem_seen,
        *late_replay as u8,
        *hot_before_ready as u8,
        outage.is_some() as u8,
        outage.unwrap_or_default(),
        *outage_cause as u8,
    ]);
    let x = places.sum;
    mum(x, MIX_KEYS[0]) ^ x
}

/// Keys for the places of a world's records: splitmix64 of a fixed seed.
const MIX_KEYS: [u64; 2 * 96] = {
    let mut keys = [0; 2 * 96];
    let mut state: u64 = 0x5d58_8b65_6c07_8965;
    let mut i = 0;
    while i < keys.len() {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        keys[i] = z ^ (z >> 31);
        i += 1;
    }
    keys
};

/// What a record of zero bytes adds at each place.
const ZERO_SHARES: [u64; MIX_KEYS.len() / 2] = {
    let mut shares = [0; MIX_KEYS.len() / 2];
    let mut i = 0;
    while i < shares.len() {
        shares[i] = mum(MIX_KEYS[2 * i], MIX_KEYS[2 * i + 1]);
        i += 1;
    }
    shares
};

/// The sum of mixed records, each at the next place (or in a bag: one place
/// for a whole collection, whose order does not count).
struct Places {
    next: usize,
    sum: u64,
}

impl Places {
    /// A record (at most 16 bytes) at the next place.
    #[inline(always)]
    fn record(&mut self, bytes: &[u8]) {
        let place = self.next;
        self.next += 1;
        self.add(place, bytes);
    }
    /// The next place, for a bag of records (or a record added later).
    #[inline(always)]
    fn bag(&mut self) -> usize {
        self.next += 1;
        self.next - 1
    }
    /// A record at `place` whose bytes are all zero when `zero` (a default
    /// record, told by a cheap comparison): then its share is known.
    #[inline(always)]
    fn add_unless_zero<const N: usize>(
        &mut self,
        place: usize,
        zero: bool,
        bytes: impl FnOnce() -> [u8; N],
    ) {
        if zero {
            self.sum = self.sum.wrapping_add(ZERO_SHARES[place]);
        } else {
            self.add(place, &bytes());
        }
    }
    #[inline(always)]
    fn add(&mut self, place: usize, bytes: &[u8]) {
        let (lo, hi) = words(bytes);
        let m = mum(lo ^ MIX_KEYS[2 * place], hi ^ MIX_KEYS[2 * place + 1]);
        self.sum = self.sum.wrapping_add(m);
    }
}

/// Up to 16 bytes as two little-endian words (the bytes past the end zero).
#[inline(always)]
fn words(bytes: &[u8]) -> (u64, u64) {
    let le = |b: &[u8]| b.iter().rev().fold(0, |k, &x| k << 8 | u64::from(x));
    let (lo, hi) = bytes.split_at(bytes.len().min(8));
    (le(lo), le(hi))
}

/// The high and low halves of a 128-bit product, folded (as in wyhash).
#[inline(always)]
const fn mum(a: u64, b: u64) -> u64 {
    let p = a as u128 * b as u128;
    (p as u64) ^ ((p >> 64) as u64)
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
