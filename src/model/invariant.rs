//! The eleven invariants, as pure checks over (before, action, after).

use super::policy::AntiPattern;
use serde::Serialize;

pub use super::verify::check;

/// One of the eleven invariants the correct model never violates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Invariant {
    EpochIncreases,
    CasOnly,
    ExactDigest,
    EdgeInOrder,
    OwnerTraffic,
    NoUnsafeReplay,
    WakeHonest,
    SessionsNeverMove,
    RollbackGates,
    StatusFromRecords,
    Topology,
}

impl Invariant {
    /// All eleven, in order.
    pub const ALL: [Invariant; 11] = [
        Invariant::EpochIncreases,
        Invariant::CasOnly,
        Invariant::ExactDigest,
        Invariant::EdgeInOrder,
        Invariant::OwnerTraffic,
        Invariant::NoUnsafeReplay,
        Invariant::WakeHonest,
        Invariant::SessionsNeverMove,
        Invariant::RollbackGates,
        Invariant::StatusFromRecords,
        Invariant::Topology,
    ];
    /// 1..=11 as in the spec.
    pub fn number(self) -> u8 {
        self as u8 + 1
    }
    /// By number 1..=11.
    pub fn from_number(n: u8) -> Option<Invariant> {
        Invariant::ALL.get((n as usize).checked_sub(1)?).copied()
    }
    /// Short title.
    pub fn title(self) -> &'static str {
        use Invariant::*;
        match self {
            EpochIncreases => "Route epochs only go up",
            CasOnly => "Promotions commit only by CAS",
            ExactDigest => "Only the validated digest is promoted",
            EdgeInOrder => "The edge applies in order, once",
            OwnerTraffic => "Production traffic reaches only the route owner",
            NoUnsafeReplay => "No unsafe replay, no double mutation",
            WakeHonest => "Never hot before readiness; one wake at a time",
            SessionsNeverMove => "Sessions never move",
            RollbackGates => "Rollback needs both gates",
            StatusFromRecords => "Status comes from operation records",
            Topology => "Everything carries region and cell",
        }
    }
    /// The invariant in one sentence.
    pub fn statement(self) -> &'static str {
        use Invariant::*;
        match self {
            EpochIncreases => "The route epoch per key strictly increases, rollback included.",
            CasOnly => "A promotion commits only by CAS on the expected predecessor epoch; stale or late writes are rejected and recorded.",
            ExactDigest => "Only the exact validated artifact digest is promoted.",
            EdgeInOrder => "The edge never applies across a sequence gap, nor an epoch at or below the applied one; a duplicate event never changes state twice.",
            OwnerTraffic => "Production traffic only reaches allocations of the route owner's artifact; a preview allocation never serves production.",
            NoUnsafeReplay => "An unsafe request is never replayed without an idempotency key and store; no mutation happens twice.",
            WakeHonest => "An app is never hot before readiness, with at most one wake operation per app.",
            SessionsNeverMove => "A session is never shown as moved: it drains, resumes (store + warm), or is fresh, and the user is told which.",
            RollbackGates => "Rollback needs both the state gate and the database gate; warm state never implies DB safety.",
            StatusFromRecords => "Status shown anywhere is derived from operation records, never from logs, so any two views agree.",
            Topology => "Every allocation, log line and binding carries region and cell.",
        }
    }
    /// Glossary slugs this invariant leans on.
    pub fn terms(self) -> &'static [&'static str] {
        use Invariant::*;
        match self {
            EpochIncreases => &["route-epoch", "route-owner"],
            CasOnly => &["compare-and-swap", "route-epoch"],
            ExactDigest => &["artifact"],
            EdgeInOrder => &["jetstream", "durable-consumer", "route-epoch"],
            OwnerTraffic => &["route-owner", "allocation"],
            NoUnsafeReplay => &["idempotency-key"],
            WakeHonest => &["allocation", "rto"],
            SessionsNeverMove => &["drain", "session-store", "warm-deploy"],
            RollbackGates => &["warm-deploy", "cold-deploy", "rpo"],
            StatusFromRecords => &["route-owner", "compare-and-swap"],
            Topology => &["cell", "allocation"],
        }
    }
    /// The anti-pattern card whose naive switch breaks it, if any.
    pub fn anti_pattern(self) -> Option<AntiPattern> {
        use Invariant::*;
        match self {
            EpochIncreases | OwnerTraffic => Some(AntiPattern::RoutingByHealthyBackend),
            CasOnly | StatusFromRecords => Some(AntiPattern::LogsAsTruth),
            EdgeInOrder => Some(AntiPattern::EventBusAsDatabase),
            NoUnsafeReplay => Some(AntiPattern::UnsafeWakeReplay),
            SessionsNeverMove => Some(AntiPattern::SessionsTeleport),
            RollbackGates => Some(AntiPattern::WarmDeployEqualsSafeRollback),
            Topology => Some(AntiPattern::MvpErasesTopology),
            ExactDigest | WakeHonest => None,
        }
    }
}

/// A broken invariant: what, which objects, and which warning signal it shows.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Violation {
    pub invariant: Invariant,
    pub objects: Vec<String>,
    /// (card, index into that card's warning signals).
    pub signal: Option<(AntiPattern, usize)>,
    pub detail: String,
}

impl Violation {
    /// The warning signal text, if any.
    pub fn signal_text(&self) -> Option<&'static str> {
        self.signal.and_then(|(ap, i)| ap.signals().get(i).copied())
    }
}
