//! The learner's actions and the faults, as one small serde enum.

use super::world::{artifact_name, RequestKind, World};
use serde::{Deserialize, Serialize};

/// Which provider binding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Store {
    /// Durable storage for resumable Vango session state.
    Session,
    /// Remembers idempotency keys so retries attach to the first mutation.
    Idempotency,
    /// Pub/sub between allocations, so a global state update reaches every one.
    Broadcast,
}

impl Store {
    /// Lower-case name, e.g. "session store".
    pub fn name(self) -> &'static str {
        match self {
            Store::Session => "session store",
            Store::Idempotency => "idempotency store",
            Store::Broadcast => "broadcast backend",
        }
    }
}

/// Everything the learner can do, and every fault the world can throw.
/// Parameters come from tiny finite domains so the checker can search exhaustively.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// Build an artifact and deploy it to preview.
    Deploy { artifact: u8 },
    /// Acknowledge a cold deploy blocked at its gate.
    Acknowledge { artifact: u8 },
    /// Promote a validated artifact to production.
    Promote { artifact: u8 },
    /// Promote an earlier production artifact again.
    Rollback { artifact: u8 },
    /// Put an allocation into drain.
    Drain { allocation: u8 },
    /// Stop a draining allocation (the drain deadline for any remaining sessions).
    Stop { allocation: u8 },
    /// Users leave; the app scales to zero.
    Idle,
    /// Send a request.
    Send {
        kind: RequestKind,
        idempotency_key: bool,
    },
    /// Bind a store.
    Bind { store: Store },
    /// Unbind a store.
    Unbind { store: Store },
    /// Sessions on draining allocations reconnect.
    Reconnect,
    /// A user opens the app.
    OpenSession,
    /// Enable a second region.
    EnableRegion,
    /// Let a moment pass: allocations progress, health checks run, wakes advance.
    Advance,
    /// The edge's consumer takes the next event from the stream.
    Deliver,
    /// Start one more production allocation of the route owner's artifact in its cell.
    ScaleOut,
    /// Publish a global state update every live session must show.
    GlobalUpdate,
    // Faults.
    /// A promotion worker logs success, then crashes before writing its stage record.
    WorkerCrash,
    /// A superseded operation's worker reports success late.
    LateReport,
    /// The stream redelivers the last acknowledged event.
    Redeliver,
    /// Retention drops a range of unconsumed events and the consumer restarts.
    RetentionDrop,
    /// The production allocation's health check flaps.
    HealthFlap,
    /// A preview allocation passes its health check.
    PreviewHealthy,
    /// The payment provider retries its webhook.
    ProviderRetry,
    /// A second promotion that read the same epoch tries to commit.
    RacePromotion,
    /// The waking allocation never passes readiness.
    ReadinessTimeout,
    /// The primary region fails.
    RegionFailover,
}

impl Action {
    /// Button text, e.g. "Promote artifact B".
    pub fn label(&self) -> String {
        use Action::*;
        match *self {
            Deploy { artifact } => format!("Deploy artifact {}", artifact_name(artifact)),
            Acknowledge { artifact } => {
                format!("Acknowledge cold deploy of {}", artifact_name(artifact))
            }
            Promote { artifact } => format!("Promote artifact {}", artifact_name(artifact)),
            Rollback { artifact } => format!("Roll back to artifact {}", artifact_name(artifact)),
            Drain { allocation } => format!("Drain alloc-{allocation}"),
            Stop { allocation } => format!("Stop alloc-{allocation}"),
            Idle => "Let the app go idle".into(),
            Send {
                kind,
                idempotency_key,
            } => format!(
                "Send {}{}",
                kind.name(),
                if idempotency_key {
                    " with idempotency key"
                } else {
                    ""
                }
            ),
            Bind {
                store: Store::Session,
            } => "Bind session store".into(),
            Bind {
                store: Store::Idempotency,
            } => "Bind idempotency store".into(),
            Bind {
                store: Store::Broadcast,
            } => "Bind broadcast backend".into(),
            Unbind {
                store: Store::Session,
            } => "Unbind session store".into(),
            Unbind {
                store: Store::Idempotency,
            } => "Unbind idempotency store".into(),
            Unbind {
                store: Store::Broadcast,
            } => "Unbind broadcast backend".into(),
            Reconnect => "Reconnect sessions".into(),
            OpenSession => "Open a session".into(),
            EnableRegion => "Enable second region".into(),
            Advance => "Let time pass".into(),
            Deliver => "Deliver next event".into(),
            ScaleOut => "Scale out to another allocation".into(),
            GlobalUpdate => "Publish a global state update".into(),
            WorkerCrash => "Worker crashes after logging".into(),
            LateReport => "Superseded worker reports late".into(),
            Redeliver => "Redeliver last event".into(),
            RetentionDrop => "Retention drops events".into(),
            HealthFlap => "Health check flaps".into(),
            PreviewHealthy => "Preview turns healthy".into(),
            ProviderRetry => "Provider retries webhook".into(),
            RacePromotion => "A second promotion races".into(),
            ReadinessTimeout => "Readiness times out".into(),
            RegionFailover => "Region fails over".into(),
        }
    }

    /// One line explaining the control.
    pub fn explain(&self) -> &'static str {
        use Action::*;
        match self {
            Deploy { .. } => "Builds the artifact once, classifies its state and DB impact, and runs it in preview.",
            Acknowledge { .. } => "A cold deploy waits at its gate until someone accepts that live sessions will start fresh.",
            Promote { .. } => "Moves exactly this validated digest to production by compare-and-swap on the route epoch.",
            Rollback { .. } => "Promotes an earlier artifact through the same CAS; needs both the state gate and the DB gate.",
            Drain { .. } => "The allocation takes no new sessions; existing ones stay until they close or the deadline.",
            Stop { .. } => "Stops a draining allocation; sessions still on it resume from the store or start fresh, visibly.",
            Idle => "Everyone leaves; the app scales to zero and will need a wake.",
            Send { .. } => "A request reaches the edge; unsafe ones never run twice.",
            Bind { .. } => "Creates a provider binding in a region and cell.",
            Unbind { .. } => "Removes the binding; later resumes or replays cannot rely on it.",
            Reconnect => "Browsers on draining allocations reconnect: they resume (store + warm) or start fresh.",
            OpenSession => "A new browser connects to an eligible production allocation.",
            EnableRegion => "Adds a second region with its own cell and a production allocation.",
            Advance => "Time passes: allocations start, health checks pass, a wake moves one stage.",
            Deliver => "The edge's durable consumer applies the next route event in order, or loads a snapshot after a gap.",
            ScaleOut => "Starts one more allocation of the route owner's artifact in its cell, if the cell has room; new sessions spread across them.",
            GlobalUpdate => "A change every open page must show; it reaches other allocations only through a bound broadcast backend.",
            WorkerCrash => "The worker writes \"promoted\" to its log and dies before its stage record.",
            LateReport => "A worker whose promotion lost its CAS reports success after all.",
            Redeliver => "JetStream delivers an already acknowledged event again.",
            RetentionDrop => "Stream retention discards unconsumed events; the consumer restarts.",
            HealthFlap => "The runner marks the production allocation unhealthy, or healthy again.",
            PreviewHealthy => "The preview allocation passes its health check.",
            ProviderRetry => "The payment provider did not get a 2xx and sends the webhook again.",
            RacePromotion => "Another promotion read the same epoch and now tries its CAS.",
            ReadinessTimeout => "The waking allocation never becomes ready within the wake budget.",
            RegionFailover => "The primary region goes down; the route moves by CAS to the other region.",
        }
    }

    /// Faults are things the world does to you, not learner choices.
    pub fn is_fault(&self) -> bool {
        use Action::*;
        matches!(
            self,
            WorkerCrash
                | LateReport
                | Redeliver
                | RetentionDrop
                | HealthFlap
                | PreviewHealthy
                | ProviderRetry
                | RacePromotion
                | ReadinessTimeout
                | RegionFailover
        )
    }

    /// Compact, stable, URL-safe code (at most 4 characters of `[A-Za-z0-9]`).
    pub fn to_code(&self) -> String {
        use Action::*;
        let fixed = match *self {
            Deploy { artifact } => return format!("d{artifact}"),
            Acknowledge { artifact } => return format!("k{artifact}"),
            Promote { artifact } => return format!("p{artifact}"),
            Rollback { artifact } => return format!("r{artifact}"),
            Drain { allocation } => return format!("n{allocation}"),
            Stop { allocation } => return format!("s{allocation}"),
            Send {
                kind,
                idempotency_key,
            } => match (kind, idempotency_key) {
                (RequestKind::Get, false) => "qg",
                (RequestKind::Get, true) => "qG",
                (RequestKind::Post, false) => "qp",
                (RequestKind::Post, true) => "qP",
                (RequestKind::Webhook, false) => "qw",
                (RequestKind::Webhook, true) => "qW",
            },
            Idle => "i",
            Bind {
                store: Store::Session,
            } => "bs",
            Bind {
                store: Store::Idempotency,
            } => "bi",
            Unbind {
                store: Store::Session,
            } => "us",
            Unbind {
                store: Store::Idempotency,
            } => "ui",
            Bind {
                store: Store::Broadcast,
            } => "bb",
            Unbind {
                store: Store::Broadcast,
            } => "ub",
            Reconnect => "c",
            OpenSession => "o",
            EnableRegion => "g",
            Advance => "t",
            Deliver => "e",
            ScaleOut => "ho",
            GlobalUpdate => "gu",
            WorkerCrash => "xc",
            LateReport => "xl",
            Redeliver => "xr",
            RetentionDrop => "xd",
            HealthFlap => "xh",
            PreviewHealthy => "xp",
            ProviderRetry => "xw",
            RacePromotion => "xx",
            ReadinessTimeout => "xt",
            RegionFailover => "xf",
        };
        fixed.to_string()
    }

    /// Parses a code from `to_code`; `None` for anything else. Never panics.
    pub fn from_code(s: &str) -> Option<Action> {
        use Action::*;
        let fixed = match s {
            "qg" => Some(Send {
                kind: RequestKind::Get,
                idempotency_key: false,
            }),
            "qG" => Some(Send {
                kind: RequestKind::Get,
                idempotency_key: true,
            }),
            "qp" => Some(Send {
                kind: RequestKind::Post,
                idempotency_key: false,
            }),
            "qP" => Some(Send {
                kind: RequestKind::Post,
                idempotency_key: true,
            }),
            "qw" => Some(Send {
                kind: RequestKind::Webhook,
                idempotency_key: false,
            }),
            "qW" => Some(Send {
                kind: RequestKind::Webhook,
                idempotency_key: true,
            }),
            "i" => Some(Idle),
            "bs" => Some(Bind {
                store: Store::Session,
            }),
            "bi" => Some(Bind {
                store: Store::Idempotency,
            }),
            "us" => Some(Unbind {
                store: Store::Session,
            }),
            "ui" => Some(Unbind {
                store: Store::Idempotency,
            }),
            "c" => Some(Reconnect),
            "o" => Some(OpenSession),
            "g" => Some(EnableRegion),
            "t" => Some(Advance),
            "e" => Some(Deliver),
            "bb" => Some(Bind {
                store: Store::Broadcast,
            }),
            "ub" => Some(Unbind {
                store: Store::Broadcast,
            }),
            "ho" => Some(ScaleOut),
            "gu" => Some(GlobalUpdate),
            "xc" => Some(WorkerCrash),
            "xl" => Some(LateReport),
            "xr" => Some(Redeliver),
            "xd" => Some(RetentionDrop),
            "xh" => Some(HealthFlap),
            "xp" => Some(PreviewHealthy),
            "xw" => Some(ProviderRetry),
            "xx" => Some(RacePromotion),
            "xt" => Some(ReadinessTimeout),
            "xf" => Some(RegionFailover),
            _ => None,
        };
        if fixed.is_some() {
            return fixed;
        }
        let mut chars = s.chars();
        let head = chars.next()?;
        let n = parse_u8(chars.as_str())?;
        match head {
            'd' => Some(Deploy { artifact: n }),
            'k' => Some(Acknowledge { artifact: n }),
            'p' => Some(Promote { artifact: n }),
            'r' => Some(Rollback { artifact: n }),
            'n' => Some(Drain { allocation: n }),
            's' => Some(Stop { allocation: n }),
            _ => None,
        }
    }
}

/// Canonical decimal u8: digits only, no leading zero (so codes round-trip exactly).
fn parse_u8(s: &str) -> Option<u8> {
    if s.is_empty() || s.len() > 3 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if s.len() > 1 && s.starts_with('0') {
        return None;
    }
    s.parse().ok()
}

/// Codes of a whole script, joined by '.', for URLs.
pub fn script_to_code(actions: &[Action]) -> String {
    actions
        .iter()
        .map(|a| a.to_code())
        .collect::<Vec<_>>()
        .join(".")
}

/// Parses a '.'-joined script; `None` if any code is unknown.
pub fn script_from_code(s: &str) -> Option<Vec<Action>> {
    if s.is_empty() {
        return Some(Vec::new());
    }
    s.split('.').map(Action::from_code).collect()
}

/// Every control the UI offers in this world, allowed or not, in a stable order.
/// The checker explores exactly this set.
pub fn menu(world: &World) -> Vec<Action> {
    use Action::*;
    let mut m = Vec::with_capacity(40);
    let arts = world.artifacts.len() as u8;
    for artifact in 1..arts {
        m.push(Deploy { artifact });
    }
    for artifact in 0..arts {
        if world.deploy_blocked(artifact) {
            m.push(Acknowledge { artifact });
        }
    }
    for artifact in 0..arts {
        m.push(Promote { artifact });
    }
    for artifact in 0..arts {
        m.push(Rollback { artifact });
    }
    for a in world.allocations.iter() {
        if a.life.is_running() {
            m.push(Drain { allocation: a.id });
            m.push(Stop { allocation: a.id });
        }
    }
    m.push(Idle);
    for (kind, key) in [
        (RequestKind::Get, false),
        (RequestKind::Post, false),
        (RequestKind::Post, true),
        (RequestKind::Webhook, false),
        (RequestKind::Webhook, true),
    ] {
        m.push(Send {
            kind,
            idempotency_key: key,
        });
    }
    // New controls are appended after the ones they sit next to, so the order of
    // every older control never changes.
    for store in [Store::Session, Store::Idempotency, Store::Broadcast] {
        m.push(Bind { store });
        m.push(Unbind { store });
    }
    m.extend([
        Reconnect,
        OpenSession,
        EnableRegion,
        Advance,
        Deliver,
        ScaleOut,
        GlobalUpdate,
        WorkerCrash,
        LateReport,
        Redeliver,
        RetentionDrop,
        HealthFlap,
        PreviewHealthy,
        ProviderRetry,
        RacePromotion,
        ReadinessTimeout,
        RegionFailover,
    ]);
    m
}
