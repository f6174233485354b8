//! The world the simulator steps: every object of the spec with its real place
//! (region, cell, host), small integer ids, fixed-size tables. A `World` is
//! `Copy`, so the checker clones it for the price of a memcpy.

use serde::Serialize;
use std::hash::{Hash, Hasher};

/// Regions, cells, hosts are fixed topology; their lifecycles are state.
pub const REGIONS: usize = 2;
pub const CELLS: usize = 3;
pub const HOSTS: usize = 4;
pub const POPS: usize = 2;
pub const ARTIFACTS: usize = 5;
pub const MAX_ALLOCS: usize = 6;
pub const MAX_SESSIONS: usize = 2;
pub const MAX_OPS: usize = 6;
pub const MAX_REQUESTS: usize = 3;
pub const MAX_MSGS: usize = 3;
pub const MAX_EVENTS: usize = 6;
pub const MAX_COMMITS: usize = 8;
/// Runner slots per host.
pub const HOST_SLOTS: u8 = 2;

pub const REGION_NAMES: [&str; REGIONS] = ["eu", "us"];
/// (name, region) of each cell.
pub const CELL_TABLE: [(&str, u8); CELLS] = [("eu-a", 0), ("eu-b", 0), ("us-a", 1)];
/// (name, cell) of each host.
pub const HOST_TABLE: [(&str, u8); HOSTS] = [("h1", 0), ("h2", 0), ("h3", 1), ("h4", 2)];
pub const POP_NAMES: [&str; POPS] = ["eu-1", "us-1"];
pub const ARTIFACT_NAMES: [&str; ARTIFACTS] = ["A", "B", "C", "D", "P"];
/// Database columns by bit.
pub const COLUMNS: [&str; 2] = ["legacy_name", "display_name"];
pub const OPERATORS: [&str; 2] = ["ana", "ben"];

/// The quantities of the spec, in ticks. Small on purpose: the checker explores them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Quantities {
    /// How long a safe request may be held while the app wakes.
    pub wake_budget: u8,
    /// Ticks an allocation spends in `starting` before it can report ready.
    pub readiness: u8,
    /// Ticks a draining allocation keeps its sessions.
    pub drain_deadline: u8,
    /// Ticks a detached session may still resume.
    pub resume_window: u8,
    /// Ticks an event stays in the stream.
    pub retention: u8,
    /// Ticks an operation may stay non-terminal before the control plane fails it.
    pub op_deadline: u8,
}

impl Default for Quantities {
    fn default() -> Self {
        Quantities {
            wake_budget: 3,
            readiness: 1,
            drain_deadline: 2,
            resume_window: 2,
            retention: 4,
            op_deadline: 12,
        }
    }
}

/// Where a thing is. `stamped` is the identity the platform recorded; `host`
/// is where it really runs (invariant 11 compares them).
pub fn host_cell(host: u8) -> u8 {
    HOST_TABLE[host as usize].1
}
pub fn cell_region(cell: u8) -> u8 {
    CELL_TABLE[cell as usize].1
}
pub fn host_region(host: u8) -> u8 {
    cell_region(host_cell(host))
}

/// A build: immutable digest, persisted-state schema, columns it reads, and
/// what its deploy does to the database.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Artifact {
    pub exists: bool,
    /// Digest (an id; immutable).
    pub digest: u16,
    /// Vango persisted-state schema version.
    pub schema: u8,
    /// Bitmask of `COLUMNS` it reads.
    pub reads: u8,
    /// Its deploy reached preview_ready (the only digests that may be promoted).
    pub validated: bool,
    /// Replicated to the second region (a gate of region enablement).
    pub replicated: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum AllocState {
    #[default]
    Planned,
    Pulling,
    Starting,
    Ready,
    Draining,
    Stopped,
    Failed,
}

impl AllocState {
    /// Holds a runner slot and runs code.
    pub fn running(self) -> bool {
        matches!(
            self,
            AllocState::Pulling | AllocState::Starting | AllocState::Ready | AllocState::Draining
        )
    }
    pub fn name(self) -> &'static str {
        match self {
            AllocState::Planned => "planned",
            AllocState::Pulling => "pulling",
            AllocState::Starting => "starting",
            AllocState::Ready => "ready",
            AllocState::Draining => "draining",
            AllocState::Stopped => "stopped",
            AllocState::Failed => "failed",
        }
    }
}

/// One running instance of an artifact on a host.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Alloc {
    pub used: bool,
    pub artifact: u8,
    pub env: EnvOrd,
    pub host: u8,
    /// The region the platform recorded for it (identity).
    pub stamped_region: u8,
    pub state: AllocState,
    /// Ticks in the current state.
    pub age: u8,
    /// Extra ticks of readiness (the slow-readiness fault).
    pub slow: u8,
    /// The runner logged "listening" (evidence, not readiness).
    pub logged_listening: bool,
}

/// `Env` with an order, so allocations sort (symmetry reduction).
pub type EnvOrd = u8;
pub const PROD: EnvOrd = 0;
pub const PREVIEW: EnvOrd = 1;

impl Alloc {
    pub fn region(&self) -> u8 {
        host_region(self.host)
    }
    pub fn cell(&self) -> u8 {
        host_cell(self.host)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum SessionState {
    #[default]
    None,
    Connected,
    Detached,
    Resumed,
    Expired,
    Fresh,
    Closed,
}

impl SessionState {
    pub fn name(self) -> &'static str {
        match self {
            SessionState::None => "none",
            SessionState::Connected => "connected",
            SessionState::Detached => "detached",
            SessionState::Resumed => "resumed",
            SessionState::Expired => "expired",
            SessionState::Fresh => "fresh",
            SessionState::Closed => "closed",
        }
    }
    /// Attached to an allocation and live.
    pub fn live(self) -> bool {
        matches!(
            self,
            SessionState::Connected | SessionState::Resumed | SessionState::Fresh
        )
    }
}

/// A browser's live connection, attached to one allocation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Session {
    pub state: SessionState,
    /// The allocation it is attached to (index).
    pub alloc: u8,
    /// The allocation it attached to last, by its own handshake (ghost for "moved").
    pub handshake: u8,
    /// Persisted-state schema of the state it holds.
    pub schema: u8,
    /// Unsaved work in the page.
    pub draft: bool,
    /// The draft was saved to the session store (resumable).
    pub stored: bool,
    /// Ticks detached.
    pub detached_for: u8,
    /// Ghost: the draft was lost and the user was not told.
    pub lost_silently: bool,
    /// Ghost: the UI claimed the session moved to another allocation.
    pub shown_moved: bool,
}

/// An optional binding (session store, idempotency store, broadcast backend).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Binding {
    pub bound: bool,
    /// Region it really lives in.
    pub region: u8,
    /// The region the platform recorded for it.
    pub stamped_region: u8,
    pub replicated: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Database {
    /// Bitmask of present columns.
    pub columns: u8,
    /// Product writes committed.
    pub writes: u8,
    /// The backup: its columns and writes.
    pub backup_columns: u8,
    pub backup_writes: u8,
    /// Writes lost by restores (measured RPO).
    pub lost_writes: u8,
    /// Writers fenced (restore in progress).
    pub fenced: bool,
    /// Region the primary lives in; replicated to the other or not.
    pub region: u8,
    pub replicated: bool,
}

/// Committed binding of the production route key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RouteOwner {
    pub artifact: u8,
    pub region: u8,
    pub epoch: u8,
}

/// One committed write of the route owner (history, for invariants 1-3 and 5).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Commit {
    pub epoch: u8,
    pub artifact: u8,
    /// The epoch the writer expected (CAS predecessor).
    pub expected: u8,
    /// Operation that wrote it.
    pub op: u8,
    /// Facts at commit time: the artifact was validated, it works on the
    /// database's schema, and a cold change had its acknowledgement.
    pub validated: bool,
    pub db_compatible: bool,
    pub cold_unacked: bool,
    pub rollback: bool,
}

/// A route event in the stream (seq is its index + `first_seq` offset).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Event {
    pub seq: u8,
    pub epoch: u8,
    pub artifact: u8,
    /// Ticks since published (retention).
    pub age: u8,
}

/// An edge point of presence: a durable consumer of route events.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Pop {
    pub applied_epoch: u8,
    /// Last acknowledged sequence (the cursor).
    pub cursor: u8,
    /// Artifact it routes the key to.
    pub artifact: u8,
    /// A gap was seen: refusing traffic until a verified snapshot.
    pub fail_closed: bool,
    /// Ghost: bitmask of sequences applied.
    pub applied_seqs: u16,
    /// Ghost: highest epoch it ever applied.
    pub max_epoch: u8,
    /// Ghost: it applied across a sequence gap.
    pub skipped_gap: bool,
    /// Ghost: it applied one event twice.
    pub double_applied: bool,
    /// Ghost: its applied epoch went down.
    pub rewound: bool,
    /// Ghost: the last production request it routed: (artifact, epoch it routed by).
    pub last_served: Option<(u8, u8)>,
    /// Ghost: a preview allocation answered a production request.
    pub served_preview: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum OpKind {
    #[default]
    Deploy,
    Promote,
    Rollback,
    Migrate,
    Restore,
    Wake,
    HostDrain,
    RegionEnable,
    Failover,
}

/// Who asked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Actor {
    #[default]
    System,
    Operator(u8),
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum WorkerState {
    #[default]
    Running,
    Crashed,
}

/// One mutation with durably recorded stages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Operation {
    pub used: bool,
    pub kind: OpKind,
    /// Index into the kind's stage table (`lifecycle::stages`).
    pub stage: u8,
    pub actor: Actor,
    pub worker: WorkerState,
    /// Target: artifact (deploy/promote/rollback/failover/wake), column
    /// (migrate), host (host drain), region (enablement).
    pub target: u8,
    /// Region the route should be bound to (promote/rollback/failover).
    pub region: u8,
    /// Migrate: true for contract (drop), false for expand (add).
    pub destructive: bool,
    /// The epoch read at policy_check (what the CAS expects).
    pub read_epoch: u8,
    /// The epoch it committed, 0 if none.
    pub won_epoch: u8,
    /// Blocked at a gate until an operator acknowledges (cold).
    pub needs_ack: bool,
    pub acked: bool,
    /// The allocation it started, if any (index + 1; 0 none).
    pub alloc: u8,
    /// Ticks since it was requested.
    pub age: u8,
    /// The worker logged the next stage before recording it (evidence).
    pub logged_ahead: bool,
    /// Why it failed or blocked (a `Reason` code).
    pub reason: u8,
}

/// A worker's report to the control plane; travels, can be late, lost, duplicated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Report {
    pub used: bool,
    pub op: u8,
    /// The operation claims it promoted `artifact` at epoch `epoch`.
    pub artifact: u8,
    pub epoch: u8,
    /// Held back one tick (the delay fault).
    pub delayed: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum ReqKind {
    #[default]
    Get,
    /// A payment webhook (unsafe), with its payment id.
    Webhook,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum ReqState {
    #[default]
    Held,
    Served,
    /// 503 + Retry-After.
    Retry,
}

/// A request that arrived while the app was not hot.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Request {
    pub used: bool,
    pub kind: ReqKind,
    pub state: ReqState,
    pub payment: u8,
    /// Carries an idempotency key.
    pub key: bool,
    pub waited: u8,
    /// The provider already retried this one.
    pub retried: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub enum WakeState {
    #[default]
    Hot,
    Sleeping,
    WakeRequested,
    Starting,
    ReadinessWait,
    Failed,
}

impl WakeState {
    pub fn name(self) -> &'static str {
        match self {
            WakeState::Hot => "hot",
            WakeState::Sleeping => "sleeping",
            WakeState::WakeRequested => "wake_requested",
            WakeState::Starting => "starting",
            WakeState::ReadinessWait => "readiness_wait",
            WakeState::Failed => "failed",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub enum RegionStage {
    #[default]
    Disabled,
    Requested,
    Provisioning,
    BindingServices,
    ReplicatingArtifacts,
    Eligible,
}

impl RegionStage {
    pub fn name(self) -> &'static str {
        match self {
            RegionStage::Disabled => "disabled",
            RegionStage::Requested => "requested",
            RegionStage::Provisioning => "provisioning",
            RegionStage::BindingServices => "binding services",
            RegionStage::ReplicatingArtifacts => "replicating artifacts",
            RegionStage::Eligible => "eligible",
        }
    }
}

/// Static facts of a region that gate its enablement.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Region {
    pub stage: RegionStage,
    pub up: bool,
    pub secrets: bool,
    pub residency_allowed: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Host {
    pub cordoned: bool,
    pub upgraded: bool,
}

/// Why production stopped serving (for invariant 13 and RTO).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub enum OutageCause {
    #[default]
    None,
    /// The app scaled to zero: a declared cold wake.
    Sleep,
    /// An environment fault removed capacity.
    Fault,
    /// The platform's own action removed the last serving allocation.
    Platform,
}

/// Everything the simulator knows. `Copy`: the checker clones millions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct World {
    pub clock: u8,
    pub q: Quantities,
    pub regions: [Region; REGIONS],
    pub hosts: [Host; HOSTS],
    pub artifacts: [Artifact; ARTIFACTS],
    pub allocs: [Alloc; MAX_ALLOCS],
    pub sessions: [Session; MAX_SESSIONS],
    pub session_store: Binding,
    pub idempotency_store: Binding,
    pub broadcast: Binding,
    pub db: Database,
    pub owner: RouteOwner,
    pub commits: [Commit; MAX_COMMITS],
    pub events: [Event; MAX_EVENTS],
    /// Next sequence to publish; sequences start at 1.
    pub next_seq: u8,
    pub pops: [Pop; POPS],
    pub ops: [Operation; MAX_OPS],
    pub reports: [Report; MAX_MSGS],
    pub requests: [Request; MAX_REQUESTS],
    pub wake: WakeState,
    /// Promotions frozen by an operator (bad-deploy runbook).
    pub frozen: bool,
    /// Charges per payment id (ghost for invariant 6).
    pub charges: [u8; 2],
    /// Payment ids (bits) the idempotency store has recorded.
    pub idem_seen: u8,
    /// Ghost: a buffered unsafe request was replayed after its budget ran out.
    pub late_replay: bool,
    /// Ghost: the wake marked the app hot while its allocation was not ready.
    pub hot_before_ready: bool,
    /// Late or duplicate reports the control plane rejected and recorded.
    pub rejected_reports: u8,
    /// When production stopped serving, and why.
    pub outage_start: Option<u8>,
    pub outage_cause: OutageCause,
    /// Longest outage so far (measured RTO, ticks).
    pub rto: u8,
    /// Requests answered 500 by an allocation reading a dropped column.
    pub failed_requests: u8,
}

// `Hash` by hand, for the checker's fingerprints: a derived `Hash` feeds the
// hasher field by field, and the world has ~420 fields. Here every field
// becomes one byte (two for a `u16`, a tag and its value for an `Option` or an
// `Actor`), laid end to end in one buffer, and the whole world goes to the
// hasher in one `write`. Each record's pattern names every field without
// `..`, so a new field does not compile until it is packed too (and one left
// out of the bytes is an unused variable).

/// A world's bytes, for hashing.
struct Packed {
    buf: [u8; PACKED_CAPACITY],
    len: usize,
}

/// Above the 421 bytes a world packs to today (a larger world fails every
/// checker test at its first state, on the bounds check in `put`).
const PACKED_CAPACITY: usize = 480;

impl Packed {
    #[inline]
    fn put<const N: usize>(&mut self, bytes: [u8; N]) {
        self.buf[self.len..self.len + N].copy_from_slice(&bytes);
        self.len += N;
    }
}

macro_rules! hash_record {
    ($ty:ident [$n:literal] { $($f:ident),* $(,)? } => $bytes:expr) => {
        impl $ty {
            /// Every field as bytes, in declaration order (`hash_record!`).
            #[inline]
            pub fn bytes(&self) -> [u8; $n] {
                let $ty { $($f),* } = *self;
                $bytes
            }
            #[inline]
            fn pack(&self, out: &mut Packed) {
                out.put(self.bytes());
            }
        }
    };
}

fn actor_bytes(a: Actor) -> [u8; 2] {
    match a {
        Actor::System => [0, 0],
        Actor::Operator(i) => [1, i],
    }
}

hash_record!(Quantities[6] { wake_budget, readiness, drain_deadline, resume_window, retention, op_deadline }
    => [wake_budget, readiness, drain_deadline, resume_window, retention, op_deadline]);
hash_record!(Artifact[7] { exists, digest, schema, reads, validated, replicated }
    => { let d = digest.to_le_bytes(); [exists as u8, d[0], d[1], schema, reads, validated as u8, replicated as u8] });
hash_record!(Alloc[9] { used, artifact, env, host, stamped_region, state, age, slow, logged_listening }
    => [used as u8, artifact, env, host, stamped_region, state as u8, age, slow, logged_listening as u8]);
hash_record!(Session[9] { state, alloc, handshake, schema, draft, stored, detached_for, lost_silently, shown_moved }
    => [state as u8, alloc, handshake, schema, draft as u8, stored as u8, detached_for, lost_silently as u8, shown_moved as u8]);
hash_record!(Binding[4] { bound, region, stamped_region, replicated }
    => [bound as u8, region, stamped_region, replicated as u8]);
hash_record!(Database[8] { columns, writes, backup_columns, backup_writes, lost_writes, fenced, region, replicated }
    => [columns, writes, backup_columns, backup_writes, lost_writes, fenced as u8, region, replicated as u8]);
hash_record!(RouteOwner[3] { artifact, region, epoch } => [artifact, region, epoch]);
hash_record!(Commit[8] { epoch, artifact, expected, op, validated, db_compatible, cold_unacked, rollback }
    => [epoch, artifact, expected, op, validated as u8, db_compatible as u8, cold_unacked as u8, rollback as u8]);
hash_record!(Event[4] { seq, epoch, artifact, age } => [seq, epoch, artifact, age]);
hash_record!(Pop[14] { applied_epoch, cursor, artifact, fail_closed, applied_seqs, max_epoch, skipped_gap, double_applied, rewound, last_served, served_preview }
=> {
    let seqs = applied_seqs.to_le_bytes();
    let (served, (art, epoch)) = (last_served.is_some() as u8, last_served.unwrap_or_default());
    [applied_epoch, cursor, artifact, fail_closed as u8, seqs[0], seqs[1], max_epoch, skipped_gap as u8,
     double_applied as u8, rewound as u8, served, art, epoch, served_preview as u8]
});
hash_record!(Operation[17] { used, kind, stage, actor, worker, target, region, destructive, read_epoch, won_epoch, needs_ack, acked, alloc, age, logged_ahead, reason }
=> {
    let [who, by] = actor_bytes(actor);
    [used as u8, kind as u8, stage, who, by, worker as u8, target, region, destructive as u8, read_epoch,
     won_epoch, needs_ack as u8, acked as u8, alloc, age, logged_ahead as u8, reason]
});
hash_record!(Report[5] { used, op, artifact, epoch, delayed } => [used as u8, op, artifact, epoch, delayed as u8]);
hash_record!(Request[7] { used, kind, state, payment, key, waited, retried }
    => [used as u8, kind as u8, state as u8, payment, key as u8, waited, retried as u8]);
hash_record!(Region[4] { stage, up, secrets, residency_allowed } => [stage as u8, up as u8, secrets as u8, residency_allowed as u8]);
hash_record!(Host[2] { cordoned, upgraded } => [cordoned as u8, upgraded as u8]);

impl Hash for World {
    fn hash<H: Hasher>(&self, state: &mut H) {
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
            rejected_reports,
            outage_start,
            outage_cause,
            rto,
            failed_requests,
        } = self;
        let mut out = Packed {
            buf: [0; PACKED_CAPACITY],
            len: 0,
        };
        // The tables have fixed lengths: no length prefixes.
        q.pack(&mut out);
        regions.iter().for_each(|r| r.pack(&mut out));
        hosts.iter().for_each(|r| r.pack(&mut out));
        artifacts.iter().for_each(|r| r.pack(&mut out));
        allocs.iter().for_each(|r| r.pack(&mut out));
        sessions.iter().for_each(|r| r.pack(&mut out));
        session_store.pack(&mut out);
        idempotency_store.pack(&mut out);
        broadcast.pack(&mut out);
        db.pack(&mut out);
        owner.pack(&mut out);
        commits.iter().for_each(|r| r.pack(&mut out));
        events.iter().for_each(|r| r.pack(&mut out));
        pops.iter().for_each(|r| r.pack(&mut out));
        ops.iter().for_each(|r| r.pack(&mut out));
        reports.iter().for_each(|r| r.pack(&mut out));
        requests.iter().for_each(|r| r.pack(&mut out));
        out.put(*charges);
        out.put([
            *clock,
            *next_seq,
            *wake as u8,
            *frozen as u8,
            *idem_seen,
            *late_replay as u8,
            *hot_before_ready as u8,
            *rejected_reports,
            outage_start.is_some() as u8,
            outage_start.unwrap_or_default(),
            *outage_cause as u8,
            *rto,
            *failed_requests,
        ]);
        state.write(&out.buf[..out.len]);
    }
}
