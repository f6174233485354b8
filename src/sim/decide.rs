//! The platform's decisions as pure functions of their inputs: the seven
//! decision labs of the spec. The step code calls these same functions, so a
//! lesson can never disagree with the Lab.

use serde::Serialize;

/// Horizontal scale readiness: may the app run more than one allocation?
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ScaleDecision {
    Allowed,
    /// Live sessions would be stranded on one allocation (no session store).
    BlockedNoSessionStore,
    /// Broadcasts would reach only one allocation's clients.
    BlockedNoBroadcast,
    /// Unsafe actions could run twice across allocations.
    BlockedNoIdempotency,
}

pub fn scale_readiness(session_store: bool, broadcast: bool, idempotency: bool) -> ScaleDecision {
    if !session_store {
        ScaleDecision::BlockedNoSessionStore
    } else if !broadcast {
        ScaleDecision::BlockedNoBroadcast
    } else if !idempotency {
        ScaleDecision::BlockedNoIdempotency
    } else {
        ScaleDecision::Allowed
    }
}

/// Deploy impact gate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Impact {
    Warm,
    /// Live sessions will refresh: needs an explicit acknowledgement.
    ColdNeedsAck,
    /// A destructive migration while a running allocation reads the column.
    Blocked,
}

pub fn deploy_impact(state_changed: bool, drops_read_column: bool, live_sessions: bool) -> Impact {
    if drops_read_column {
        Impact::Blocked
    } else if state_changed && live_sessions {
        Impact::ColdNeedsAck
    } else {
        Impact::Warm
    }
}

/// What happens to a request that arrives while the app is not hot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum WakeAnswer {
    /// Hot: serve now.
    Serve,
    /// Safe request: hold within the wake budget.
    Hold,
    /// Unsafe with key and store: hold, then replay exactly once.
    HoldReplay,
    /// Controlled 503 + Retry-After: the provider's own retry is the only retry.
    Retry503,
}

pub fn wake_request(hot: bool, unsafe_req: bool, key: bool, idempotency_store: bool) -> WakeAnswer {
    match (hot, unsafe_req) {
        (true, _) => WakeAnswer::Serve,
        (false, false) => WakeAnswer::Hold,
        (false, true) if key && idempotency_store => WakeAnswer::HoldReplay,
        (false, true) => WakeAnswer::Retry503,
    }
}

/// A route event at a POP.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum EventDecision {
    Apply,
    /// Duplicate or stale: acknowledge, change nothing.
    Ignore,
    /// Sequence gap: refuse traffic for the key until a verified snapshot.
    FailClosed,
}

pub fn route_event(applied_epoch: u8, cursor: u8, epoch: u8, seq: u8) -> EventDecision {
    if seq > cursor.saturating_add(1) {
        EventDecision::FailClosed
    } else if seq <= cursor || epoch <= applied_epoch {
        EventDecision::Ignore
    } else {
        EventDecision::Apply
    }
}

/// Where a session goes when its allocation is gone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Continuity {
    /// The original allocation still serves it.
    Original,
    /// Resumed from the durable session store.
    Resume,
    /// Starts fresh; the user is told and the draft is gone.
    Fresh,
}

pub fn continuity(
    original_alive: bool,
    store_reachable: bool,
    schema_compatible: bool,
    within_window: bool,
) -> Continuity {
    if original_alive {
        Continuity::Original
    } else if store_reachable && schema_compatible && within_window {
        Continuity::Resume
    } else {
        Continuity::Fresh
    }
}

/// Region enablement gates, in the order they are checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum RegionGate {
    Eligible,
    BlockedResidency,
    BlockedSecrets,
    BlockedDataTopology,
    BlockedArtifacts,
}

impl RegionGate {
    /// The gate in words, for the narration.
    pub fn words(self) -> &'static str {
        match self {
            RegionGate::Eligible => "every gate is met",
            RegionGate::BlockedResidency => "residency rules do not allow the app's data here",
            RegionGate::BlockedSecrets => "the app's secrets are not present here",
            RegionGate::BlockedDataTopology => {
                "the database or session store is neither here nor replicated here"
            }
            RegionGate::BlockedArtifacts => "the artifacts are not replicated here",
        }
    }
}

pub fn region_gates(
    residency: bool,
    secrets: bool,
    data_ready: bool,
    artifacts: bool,
) -> RegionGate {
    if !residency {
        RegionGate::BlockedResidency
    } else if !secrets {
        RegionGate::BlockedSecrets
    } else if !data_ready {
        RegionGate::BlockedDataTopology
    } else if !artifacts {
        RegionGate::BlockedArtifacts
    } else {
        RegionGate::Eligible
    }
}

/// Host drain gate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum HostDrain {
    Safe,
    /// "Cordon is not enough": no room in the cell for replacements.
    BlockedNoHeadroom,
    /// Sessions are still attached: wait for the drain.
    BlockedSessions,
}

pub fn host_drain(headroom: bool, sessions_left: bool) -> HostDrain {
    if !headroom {
        HostDrain::BlockedNoHeadroom
    } else if sessions_left {
        HostDrain::BlockedSessions
    } else {
        HostDrain::Safe
    }
}
