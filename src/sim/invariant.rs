//! Invariants 1-14 of the spec, one function each. A check returns the
//! objects that break it (empty: it holds). Each reads the world only — never
//! the policy — so a switch can break it only through what happens.

use super::action::{alloc_name, op_name, session_name};
use super::lifecycle::is_terminal;
use super::promotion::cli_status;
use super::world::*;
use serde::Serialize;

/// A commit made by the platform's bootstrap, not by an operation.
pub const BOOTSTRAP_OP: u8 = 255;

pub struct Invariant {
    pub id: u8,
    pub name: &'static str,
    pub check: fn(&World) -> Vec<String>,
}

/// One invariant's result at a state, with the objects it concerns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InvResult {
    pub id: u8,
    pub name: &'static str,
    pub holds: bool,
    pub objects: Vec<String>,
}

pub const INVARIANTS: [Invariant; 14] = [
    Invariant {
        id: 1,
        name: "The route epoch strictly increases, rollback included",
        check: epoch_increases,
    },
    Invariant {
        id: 2,
        name: "Commits only by CAS on the expected predecessor epoch",
        check: cas_only,
    },
    Invariant {
        id: 3,
        name: "Only a validated digest is promoted",
        check: validated_digest,
    },
    Invariant {
        id: 4,
        name: "No POP applies across a gap, at or below its epoch, or twice",
        check: pop_discipline,
    },
    Invariant {
        id: 5,
        name: "Production traffic reaches only the committed owner's allocations",
        check: traffic_to_owner,
    },
    Invariant {
        id: 6,
        name: "No unsafe request replayed without key and store; no mutation twice",
        check: no_double_mutation,
    },
    Invariant {
        id: 7,
        name: "Never hot before readiness; one wake per app; wake starts the owner",
        check: wake_discipline,
    },
    Invariant {
        id: 8,
        name: "A session is never shown as moved",
        check: sessions_never_move,
    },
    Invariant {
        id: 9,
        name: "Rollback needs both gates",
        check: rollback_gates,
    },
    Invariant {
        id: 10,
        name: "Status comes from operation records; views agree; every write has its operation",
        check: status_from_records,
    },
    Invariant {
        id: 11,
        name: "Every allocation and binding carries the region it is really in",
        check: identity,
    },
    Invariant {
        id: 12,
        name: "No running allocation reads a column the database no longer has",
        check: no_dropped_reads,
    },
    Invariant {
        id: 13,
        name: "Production keeps serving (apart from a declared cold wake or a fault's outage)",
        check: keeps_serving,
    },
    Invariant {
        id: 14,
        name: "Operations end, held requests are answered, drains stop, within their bounds",
        check: bounded_liveness,
    },
];

/// Every invariant's result.
pub fn check_all(w: &World) -> Vec<InvResult> {
    INVARIANTS
        .iter()
        .map(|i| {
            let objects = (i.check)(w);
            InvResult {
                id: i.id,
                name: i.name,
                holds: objects.is_empty(),
                objects,
            }
        })
        .collect()
}

/// The first broken invariant's id (the checker's fast path).
pub fn first_broken(w: &World) -> Option<u8> {
    INVARIANTS
        .iter()
        .find(|i| !(i.check)(w).is_empty())
        .map(|i| i.id)
}

fn commits(w: &World) -> impl Iterator<Item = &Commit> {
    w.commits.iter().filter(|c| c.epoch > 0)
}

fn epoch_increases(w: &World) -> Vec<String> {
    let mut last = 0;
    let mut bad = Vec::new();
    for c in commits(w) {
        if c.epoch <= last {
            bad.push(format!("epoch {} written after epoch {last}", c.epoch));
        }
        last = last.max(c.epoch);
    }
    if w.owner.epoch < last {
        bad.push(format!(
            "route owner at epoch {} below committed {last}",
            w.owner.epoch
        ));
    }
    bad
}

fn cas_only(w: &World) -> Vec<String> {
    let mut prev: Option<u8> = None;
    let mut bad = Vec::new();
    for c in commits(w) {
        if let Some(p) = prev {
            if c.expected != p || c.epoch != p + 1 {
                bad.push(format!(
                    "epoch {} written expecting {} while the route was at {p}",
                    c.epoch, c.expected
                ));
            }
        }
        prev = Some(c.epoch);
    }
    bad
}

fn validated_digest(w: &World) -> Vec<String> {
    commits(w)
        .filter(|c| !c.validated)
        .map(|c| {
            format!(
                "artifact {} committed at epoch {} without validation",
                ARTIFACT_NAMES[c.artifact as usize], c.epoch
            )
        })
        .collect()
}

fn pop_discipline(w: &World) -> Vec<String> {
    let mut bad = Vec::new();
    for (i, p) in w.pops.iter().enumerate() {
        let name = POP_NAMES[i];
        if p.skipped_gap {
            bad.push(format!("{name} applied across a sequence gap"));
        }
        if p.double_applied {
            bad.push(format!("{name} applied an event twice"));
        }
        if p.rewound {
            bad.push(format!("{name} went back to an older epoch"));
        }
    }
    bad
}

/// The artifact committed at `epoch`, if that commit is in the history.
pub fn committed_at(w: &World, epoch: u8) -> Option<u8> {
    commits(w)
        .filter(|c| c.epoch == epoch)
        .last()
        .map(|c| c.artifact)
}

fn traffic_to_owner(w: &World) -> Vec<String> {
    let mut bad = Vec::new();
    for (i, p) in w.pops.iter().enumerate() {
        if p.served_preview {
            bad.push(format!(
                "{}: a preview allocation answered production traffic",
                POP_NAMES[i]
            ));
        }
        if let Some((art, epoch)) = p.last_served {
            if committed_at(w, epoch).is_some_and(|owner| owner != art) {
                bad.push(format!(
                    "{}: served {} while epoch {epoch} belongs to another artifact",
                    POP_NAMES[i], ARTIFACT_NAMES[art as usize]
                ));
            }
        }
    }
    bad
}

fn no_double_mutation(w: &World) -> Vec<String> {
    w.charges
        .iter()
        .enumerate()
        .filter(|(_, c)| **c > 1)
        .map(|(p, c)| format!("pay-{} charged {c} times", p + 1))
        .collect()
}

fn wake_discipline(w: &World) -> Vec<String> {
    let mut bad = Vec::new();
    if w.hot_before_ready {
        bad.push("the app was marked hot before its allocation passed readiness".into());
    }
    let live: Vec<u8> = (0..MAX_OPS as u8)
        .filter(|&i| {
            let o = &w.ops[i as usize];
            o.used && o.kind == OpKind::Wake && !is_terminal(o.kind, o.stage)
        })
        .collect();
    if live.len() > 1 {
        bad.push(format!("{} wake operations at once", live.len()));
    }
    for &i in &live {
        let o = &w.ops[i as usize];
        if o.alloc > 0 && w.allocs[o.alloc as usize - 1].artifact != w.owner.artifact {
            bad.push(format!("{} starts a non-owner artifact", op_name(w, i)));
        }
    }
    bad
}

fn sessions_never_move(w: &World) -> Vec<String> {
    w.sessions
        .iter()
        .enumerate()
        .filter(|(_, s)| s.state.live() && s.alloc != s.handshake)
        .map(|(i, s)| {
            format!(
                "{} shown on {} it never connected to",
                session_name(i as u8),
                alloc_name(s.alloc)
            )
        })
        .collect()
}

fn rollback_gates(w: &World) -> Vec<String> {
    commits(w)
        .filter(|c| c.rollback && (!c.db_compatible || c.cold_unacked))
        .map(|c| {
            let gate = if c.db_compatible {
                "state (cold, no acknowledgement)"
            } else {
                "database (reads a dropped column)"
            };
            format!(
                "rollback to {} at epoch {} passed without its {gate} gate",
                ARTIFACT_NAMES[c.artifact as usize], c.epoch
            )
        })
        .collect()
}

fn status_from_records(w: &World) -> Vec<String> {
    let mut bad = Vec::new();
    for c in commits(w) {
        if c.op == BOOTSTRAP_OP {
            continue;
        }
        let o = &w.ops[c.op as usize];
        if !o.used || o.won_epoch != c.epoch {
            bad.push(format!(
                "epoch {} was written, but {}'s record ({}) did not commit it",
                c.epoch,
                op_name(w, c.op),
                cli_status(w, c.op)
            ));
        }
    }
    bad
}

fn identity(w: &World) -> Vec<String> {
    let mut bad: Vec<String> = w
        .allocs
        .iter()
        .enumerate()
        .filter(|(_, a)| a.used && a.stamped_region != a.region())
        .map(|(i, a)| {
            format!(
                "{} recorded in {}, runs in {}",
                alloc_name(i as u8),
                REGION_NAMES[a.stamped_region as usize],
                REGION_NAMES[a.region() as usize]
            )
        })
        .collect();
    for (name, b) in [
        ("session store", &w.session_store),
        ("idempotency store", &w.idempotency_store),
        ("broadcast backend", &w.broadcast),
    ] {
        if b.bound && b.stamped_region != b.region {
            bad.push(format!(
                "{name} recorded in {}, lives in {}",
                REGION_NAMES[b.stamped_region as usize], REGION_NAMES[b.region as usize]
            ));
        }
    }
    bad
}

fn no_dropped_reads(w: &World) -> Vec<String> {
    w.allocs
        .iter()
        .enumerate()
        .filter(|(_, a)| {
            a.used
                && a.state.running()
                && w.artifacts[a.artifact as usize].reads & !w.db.columns != 0
        })
        .map(|(i, a)| {
            format!(
                "{} ({}) reads a dropped column",
                alloc_name(i as u8),
                ARTIFACT_NAMES[a.artifact as usize]
            )
        })
        .collect()
}

fn keeps_serving(w: &World) -> Vec<String> {
    if w.outage_cause == OutageCause::Platform {
        vec![format!(
            "no ready allocation of {} serves production since tick {}",
            ARTIFACT_NAMES[w.owner.artifact as usize],
            w.outage_start.unwrap_or(0)
        )]
    } else {
        Vec::new()
    }
}

fn bounded_liveness(w: &World) -> Vec<String> {
    let q = w.q;
    let mut bad = Vec::new();
    for (i, o) in w.ops.iter().enumerate() {
        if o.used && !is_terminal(o.kind, o.stage) && o.age > q.op_deadline {
            bad.push(format!("{} past its deadline", op_name(w, i as u8)));
        }
    }
    for (i, r) in w.requests.iter().enumerate() {
        if r.used && r.state == ReqState::Held && r.waited > q.wake_budget {
            bad.push(format!("req#{} held past the wake budget", i + 1));
        }
    }
    for (i, a) in w.allocs.iter().enumerate() {
        if a.used && a.state == AllocState::Draining && a.age > q.drain_deadline {
            bad.push(format!(
                "{} draining past its deadline",
                alloc_name(i as u8)
            ));
        }
    }
    bad
}
