//! The world: every object the platform knows, with identity (region, cell) from day one.
//!
//! All collections are inline (`Few`) so a `World` is `Copy`: the checker clones and
//! hashes millions of them. Ids are small integers; text is rendered on demand.

use super::few::Few;
use super::lifecycle::{AllocLife, Stage, WakeStage};
use serde::Serialize;

/// Artifact names by index: A is live at start, B..D are builds the learner can deploy.
pub const ARTIFACT_NAMES: [&str; 4] = ["A", "B", "C", "D"];
/// Database columns by bit index.
pub const COLUMNS: [&str; 4] = ["id", "email", "legacy_note", "plan"];
/// Region names by id.
pub const REGION_NAMES: [&str; 2] = ["eu-west", "us-east"];
/// Cell names by id (one cell per region in this model).
pub const CELL_NAMES: [&str; 1] = ["c1"];
/// Running allocations a cell has room for, unless a drill says otherwise.
pub const DEFAULT_SLOTS: u8 = 8;

/// An environment of the app; also the route key (app + environment).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub enum Env {
    #[default]
    Production,
    Preview,
}

impl Env {
    /// Index into per-key arrays.
    pub fn ix(self) -> usize {
        self as usize
    }
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Env::Production => "production",
            Env::Preview => "preview",
        }
    }
}

/// Where something runs or is bound. `None` only under the MVP-erases-topology switch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Place {
    pub region: Option<u8>,
    pub cell: Option<u8>,
}

impl Place {
    /// Region `r`, its only cell.
    pub fn at(region: u8) -> Place {
        Place {
            region: Some(region),
            cell: Some(0),
        }
    }
    /// Carries both region and cell.
    pub fn is_known(&self) -> bool {
        self.region.is_some() && self.cell.is_some()
    }
    /// "eu-west/c1", or "unknown place".
    pub fn label(&self) -> String {
        match (self.region, self.cell) {
            (Some(r), Some(c)) => format!("{}/{}", region_name(r), cell_name(c)),
            _ => "unknown place".to_string(),
        }
    }
}

/// Name of region `r`.
pub fn region_name(r: u8) -> &'static str {
    REGION_NAMES.get(r as usize).copied().unwrap_or("region-?")
}
/// Name of cell `c`.
pub fn cell_name(c: u8) -> &'static str {
    CELL_NAMES.get(c as usize).copied().unwrap_or("cell-?")
}
/// Letter of artifact `a`.
pub fn artifact_name(a: u8) -> &'static str {
    ARTIFACT_NAMES.get(a as usize).copied().unwrap_or("?")
}

/// A region; `failed` after a region failover.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Region {
    pub id: u8,
    pub cells: u8,
    pub failed: bool,
    /// Running allocations its cell has room for (capacity for replacements).
    pub slots: u8,
}

/// What a build's migration does to the database.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub enum Migration {
    #[default]
    None,
    /// Adds a column: older artifacts keep working.
    Additive { column: u8 },
    /// Drops a column: artifacts that read it crash afterwards.
    Destructive { column: u8 },
}

/// An immutable build: digest, persisted Vango state schema, DB migration, columns it reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Artifact {
    pub digest: u32,
    pub state_schema: u8,
    pub migration: Migration,
    /// Bitmask over `COLUMNS` this artifact's code reads.
    pub reads: u8,
    /// The deploy operation that built and validated it.
    pub deploy_op: Option<u8>,
    /// Its migration has run against the database.
    pub migrated: bool,
    /// It has owned the production route (so a later promotion of it is a rollback).
    pub was_owner: bool,
}

/// One running instance of an artifact in a region/cell.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Allocation {
    pub id: u8,
    pub artifact: u8,
    pub env: Env,
    pub place: Place,
    pub life: AllocLife,
    /// Written by the runner's health check; chooses among eligible allocations only.
    pub healthy: bool,
}

/// Control-plane record binding a route key to artifact/region/cell, with its epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct RouteOwner {
    pub artifact: u8,
    pub digest: u32,
    pub place: Place,
    pub epoch: u16,
}

/// What a session's user has been told about its continuity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub enum SessionNotice {
    #[default]
    Live,
    /// Its allocation is draining; it stays put until it closes or the deadline.
    DrainingInPlace,
    /// Reattached and resumed from the session store (store bound, schema warm).
    Resumed,
    /// Reattached with fresh state, and told so.
    Fresh,
    /// The lie: shown as moved to another allocation.
    Moved,
}

/// A live browser connection attached to one allocation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Session {
    pub id: u8,
    pub allocation: u8,
    pub state_schema: u8,
    pub notice: SessionNotice,
    /// Missed the latest global state update: its allocation was not reached by the fan-out.
    pub stale: bool,
}

/// A provider binding (session store, idempotency store, broadcast backend), placed like everything else.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Binding {
    pub place: Place,
}

/// Kind of operation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub enum OpKind {
    #[default]
    Deploy,
    Promote,
    Rollback,
    Failover,
    Wake,
}

impl OpKind {
    /// Moves the production route through the CAS.
    pub fn is_promotion(self) -> bool {
        matches!(self, OpKind::Promote | OpKind::Rollback | OpKind::Failover)
    }
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            OpKind::Deploy => "deploy",
            OpKind::Promote => "promotion",
            OpKind::Rollback => "rollback",
            OpKind::Failover => "failover",
            OpKind::Wake => "wake",
        }
    }
}

/// Extra facts recorded on an operation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub enum OpNote {
    #[default]
    None,
    /// Its CAS found a newer epoch; the write was rejected and recorded.
    CasRejected,
    /// A newer epoch reached the edge before this one.
    Superseded,
    /// Its late "success" report was rejected and recorded.
    LateReportRejected,
    /// Its late report was believed (naive).
    LateReportAccepted,
    /// The worker logged success and crashed before writing the stage record.
    WorkerCrashed,
    /// Its new allocation crashed (e.g. a missing column).
    AllocationCrashed,
}

/// A durable operation record: status is read from `stages`, never from logs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Operation {
    pub id: u8,
    pub kind: OpKind,
    pub artifact: u8,
    /// For promotions: the epoch read before the CAS (the expected predecessor).
    pub read_epoch: u16,
    pub stages: Few<Stage, 8>,
    pub note: OpNote,
}

impl Operation {
    /// Current stage (last record).
    pub fn stage(&self) -> Option<Stage> {
        self.stages.last().copied()
    }
    /// The epoch this promotion committed, if its CAS succeeded.
    pub fn committed_epoch(&self) -> Option<u16> {
        let committed = self
            .stages
            .iter()
            .any(|s| *s == Stage::Promotion(super::lifecycle::PromotionStage::EdgePropagating));
        (self.kind.is_promotion() && committed).then_some(self.read_epoch.wrapping_add(1))
    }
}

/// A route event on the stream (JetStream): committed truth, propagated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Event {
    pub seq: u16,
    pub key: Env,
    pub epoch: u16,
    pub artifact: u8,
    pub region: u8,
}

/// The edge's applied view of one route key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct EdgeKey {
    pub last_applied_epoch: u16,
    pub artifact: u8,
    pub region: u8,
    pub last_seq: u16,
    /// How many times this key's route was switched (a duplicate apply shows here).
    pub applies: u8,
}

/// The edge router and its durable consumer cursor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Edge {
    pub keys: [EdgeKey; 2],
    /// Last sequence acknowledged by the consumer.
    pub cursor: u16,
    /// Sequence of the last verified snapshot loaded after a gap (0 = never).
    pub snapshot_seq: u16,
}

/// Kind of incoming request.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
pub enum RequestKind {
    /// Safe: a page load.
    #[default]
    Get,
    /// Unsafe: a user's form action.
    Post,
    /// Unsafe: a payment provider's webhook.
    Webhook,
}

impl RequestKind {
    /// Mutating requests must never run twice.
    pub fn is_unsafe(self) -> bool {
        !matches!(self, RequestKind::Get)
    }
    /// Index of its logical mutation in `Db::applied`.
    pub fn mutation_ix(self) -> Option<usize> {
        match self {
            RequestKind::Get => None,
            RequestKind::Post => Some(0),
            RequestKind::Webhook => Some(1),
        }
    }
    /// Short name.
    pub fn name(self) -> &'static str {
        match self {
            RequestKind::Get => "GET page",
            RequestKind::Post => "POST action",
            RequestKind::Webhook => "payment webhook",
        }
    }
}

/// What happened to a request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub enum Outcome {
    /// Held while the app wakes.
    #[default]
    Held,
    /// Served by an allocation.
    Served,
    /// Controlled 503 with Retry-After.
    RetryLater,
    /// The mutation ran once.
    AppliedOnce,
    /// The mutation ran a second time.
    AppliedTwice,
    /// A retry attached to the first mutation through its idempotency key.
    Attached,
}

/// A request in flight or answered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Request {
    pub id: u8,
    pub kind: RequestKind,
    pub idempotency_key: bool,
    /// Sent by the provider's own retry.
    pub retry: bool,
    pub outcome: Outcome,
    pub allocation: Option<u8>,
}

/// Product database: its columns and how often each logical mutation ran.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Db {
    /// Bitmask over `COLUMNS`.
    pub columns: u8,
    /// [POST action records, payment records].
    pub applied: [u8; 2],
}

impl Db {
    /// Names of present columns.
    pub fn column_names(&self) -> Vec<&'static str> {
        (0..COLUMNS.len())
            .filter(|i| self.columns & (1 << i) != 0)
            .map(|i| COLUMNS[i])
            .collect()
    }
}

/// Everything the platform knows at one instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct World {
    pub seed: u64,
    pub regions: Few<Region, 2>,
    pub artifacts: Few<Artifact, 4>,
    pub allocations: Few<Allocation, 10>,
    /// Indexed by `Env::ix()`.
    pub route_owners: [RouteOwner; 2],
    pub sessions: Few<Session, 4>,
    pub session_store: Option<Binding>,
    pub idempotency_store: Option<Binding>,
    /// Broadcast backend (pub/sub between allocations) for global state fan-out.
    pub broadcast: Option<Binding>,
    /// Allocations the latest global state update reached (0 = none sent yet).
    pub fanout: u8,
    /// Idempotency keys remembered, bit per logical mutation.
    pub idempotency_keys: u8,
    pub operations: Few<Operation, 12>,
    /// Retained events (retention window of 6).
    pub events: Few<Event, 6>,
    pub next_seq: u16,
    pub edge: Edge,
    pub logs: Few<super::narrate::LogLine, 8>,
    pub db: Db,
    pub requests: Few<Request, 6>,
    pub wake: WakeStage,
    pub wake_op: Option<u8>,
    pub wake_allocation: Option<u8>,
    /// What the console shows (derived per policy at every step).
    pub console: Option<StatusView>,
    /// What the CLI shows (always from operation records).
    pub cli: Option<StatusView>,
    pub next_allocation: u8,
    pub next_op: u8,
    pub next_session: u8,
    pub next_request: u8,
}

/// A status line as a view shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct StatusView {
    pub op: u8,
    pub kind: OpKind,
    pub stage: Stage,
}
