//! Lifecycles as declarative tables: each operation kind's stages in order,
//! with the gate a worker must pass to enter each one. The step code advances
//! operations through these tables; a diagram can be drawn from them.

use super::world::OpKind;

/// Stage index of a failed operation (any kind).
pub const FAILED: u8 = 100;

/// One transition: the worker's next step moves `from` to `to` when `gate` holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transition {
    pub from: &'static str,
    pub to: &'static str,
    pub gate: &'static str,
}

/// The happy path of each operation kind.
pub fn stages(kind: OpKind) -> &'static [&'static str] {
    match kind {
        OpKind::Deploy => &["queued", "building", "validating", "preview_ready"],
        OpKind::Promote | OpKind::Rollback | OpKind::Failover => &[
            "requested",
            "policy_check",
            "route_cas",
            "edge_propagating",
            "healthy",
        ],
        OpKind::Migrate => &["requested", "checking", "applying", "done"],
        OpKind::Restore => &["requested", "fencing", "restoring", "done"],
        OpKind::Wake => &["wake_requested", "starting", "readiness_wait", "hot"],
        OpKind::HostDrain => &[
            "cordoned",
            "evacuating",
            "replacement_ready",
            "upgrading",
            "postcheck",
            "uncordoned",
        ],
        OpKind::RegionEnable => &[
            "requested",
            "provisioning",
            "binding_services",
            "replicating_artifacts",
            "eligible",
        ],
    }
}

/// The gate guarding entry into each stage after the first (same order as `stages`).
pub fn gates(kind: OpKind) -> &'static [&'static str] {
    match kind {
        OpKind::Deploy => &[
            "build starts",
            "build succeeded",
            "impact classified (cold needs acknowledgement)",
        ],
        OpKind::Promote | OpKind::Rollback | OpKind::Failover => &[
            "validated digest with ready capacity; both rollback gates",
            "worker logged its intent",
            "epoch still the one read (compare-and-swap)",
            "every POP applied the epoch",
        ],
        OpKind::Migrate => &[
            "expand: always; contract: no running allocation reads the column",
            "gate still holds",
            "column changed",
        ],
        OpKind::Restore => &[
            "owner artifact works on the backup's schema",
            "writers fenced",
            "backup loaded (lost writes recorded)",
        ],
        OpKind::Wake => &[
            "allocation of the current owner started",
            "runner started it",
            "allocation ready (readiness passed)",
        ],
        OpKind::HostDrain => &[
            "headroom in the cell",
            "replacements ready",
            "no sessions on the host",
            "upgrade done",
            "postcheck passed",
        ],
        OpKind::RegionEnable => &[
            "residency allowed",
            "secrets present",
            "data topology ready (database and session store reachable)",
            "artifacts replicated",
        ],
    }
}

/// The transition table of a kind (for diagrams and tests).
pub fn transitions(kind: OpKind) -> Vec<Transition> {
    let s = stages(kind);
    let g = gates(kind);
    (0..s.len() - 1)
        .map(|i| Transition {
            from: s[i],
            to: s[i + 1],
            gate: g[i],
        })
        .collect()
}

/// Last stage of the happy path.
pub fn done_stage(kind: OpKind) -> u8 {
    stages(kind).len() as u8 - 1
}

/// The operation can make no further progress.
pub fn is_terminal(kind: OpKind, stage: u8) -> bool {
    stage == FAILED || stage == done_stage(kind)
}

/// Name of a stage index.
pub fn stage_name(kind: OpKind, stage: u8) -> &'static str {
    if stage == FAILED {
        "failed"
    } else {
        stages(kind).get(stage as usize).copied().unwrap_or("?")
    }
}

/// Index of a named stage.
pub fn stage_index(kind: OpKind, name: &str) -> Option<u8> {
    if name == "failed" {
        return Some(FAILED);
    }
    stages(kind)
        .iter()
        .position(|s| *s == name)
        .map(|i| i as u8)
}

impl OpKind {
    /// The word used in operation names (`promotion#2`).
    pub fn word(self) -> &'static str {
        match self {
            OpKind::Deploy => "deploy",
            OpKind::Promote => "promotion",
            OpKind::Rollback => "rollback",
            OpKind::Migrate => "migration",
            OpKind::Restore => "restore",
            OpKind::Wake => "wake",
            OpKind::HostDrain => "hostdrain",
            OpKind::RegionEnable => "enablement",
            OpKind::Failover => "failover",
        }
    }
    pub const ALL: [OpKind; 9] = [
        OpKind::Deploy,
        OpKind::Promote,
        OpKind::Rollback,
        OpKind::Migrate,
        OpKind::Restore,
        OpKind::Wake,
        OpKind::HostDrain,
        OpKind::RegionEnable,
        OpKind::Failover,
    ];
}

/// A transition of an object lifecycle: `from` → `to` on `event`, when `gate` holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Move3 {
    pub from: &'static str,
    pub event: &'static str,
    pub to: &'static str,
    pub gate: &'static str,
}

const fn mv(
    from: &'static str,
    event: &'static str,
    to: &'static str,
    gate: &'static str,
) -> Move3 {
    Move3 {
        from,
        event,
        to,
        gate,
    }
}

/// The allocation lifecycle under the correct policy (tests check every
/// change the step code makes against it).
pub const ALLOCATION: &[Move3] = &[
    mv(
        "planned",
        "runner report",
        "starting",
        "image pulled, process started (logs \"listening\")",
    ),
    mv(
        "starting",
        "runner report",
        "ready",
        "readiness time passed",
    ),
    mv(
        "ready",
        "replaced (promotion healthy, host evacuated, failover)",
        "draining",
        "another allocation serves the route",
    ),
    mv(
        "starting",
        "replaced before it was ready",
        "draining",
        "another allocation serves the route",
    ),
    mv("draining", "runner report", "stopped", "no session left"),
    mv("draining", "time tick", "stopped", "drain deadline"),
    mv(
        "ready",
        "idle",
        "stopped",
        "scale to zero: no session, no operation",
    ),
    mv("draining", "idle", "stopped", "scale to zero"),
    mv("starting", "idle", "stopped", "scale to zero"),
    mv("planned", "fault crash-runner", "failed", ""),
    mv("starting", "fault crash-runner", "failed", ""),
    mv("ready", "fault crash-runner", "failed", ""),
    mv("draining", "fault crash-runner", "failed", ""),
];

/// The session lifecycle: connected → detached → resumed | expired → fresh.
pub const SESSION: &[Move3] = &[
    mv(
        "connected",
        "allocation gone (crash, outage)",
        "detached",
        "",
    ),
    mv("resumed", "allocation gone (crash, outage)", "detached", ""),
    mv("fresh", "allocation gone (crash, outage)", "detached", ""),
    mv(
        "connected",
        "drain deadline",
        "resumed",
        "store reachable, schema compatible",
    ),
    mv(
        "connected",
        "drain deadline",
        "fresh",
        "otherwise; the user is told",
    ),
    mv(
        "resumed",
        "drain deadline",
        "resumed",
        "store reachable, schema compatible",
    ),
    mv(
        "resumed",
        "drain deadline",
        "fresh",
        "otherwise; the user is told",
    ),
    mv(
        "fresh",
        "drain deadline",
        "resumed",
        "store reachable, schema compatible",
    ),
    mv(
        "fresh",
        "drain deadline",
        "fresh",
        "otherwise; the user is told",
    ),
    mv(
        "connected",
        "drain deadline",
        "detached",
        "no allocation to land on",
    ),
    mv(
        "resumed",
        "drain deadline",
        "detached",
        "no allocation to land on",
    ),
    mv(
        "fresh",
        "drain deadline",
        "detached",
        "no allocation to land on",
    ),
    mv(
        "detached",
        "client reconnect",
        "connected",
        "the original allocation is alive",
    ),
    mv(
        "detached",
        "client reconnect",
        "resumed",
        "store reachable, schema compatible, within the window",
    ),
    mv(
        "detached",
        "client reconnect",
        "fresh",
        "otherwise; the user is told",
    ),
    mv("detached", "time tick", "expired", "past the resume window"),
    mv(
        "expired",
        "client reconnect",
        "fresh",
        "the user is told; the draft is gone",
    ),
    mv("connected", "client close", "closed", ""),
    mv("resumed", "client close", "closed", ""),
    mv("fresh", "client close", "closed", ""),
];
