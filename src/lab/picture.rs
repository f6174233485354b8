//! The world as plain values the Lab draws: regions → cells → hosts →
//! allocations, sessions, POPs, the route owner, operations, the event
//! stream, stores, the database, the clock. Names, never indices; no rule is
//! left for the page to work out. Serialisable, so a worker can send it.

use serde::{Deserialize, Serialize};

use super::Word;

use crate::sim::action::{alloc_name, op_name, session_name};
use crate::sim::lifecycle::{is_terminal, stage_name, FAILED};
use crate::sim::promotion::{cli_status, console_status};
use crate::sim::step::{serves_owner, Cx, Narration};
use crate::sim::world::*;
use crate::sim::{edge, serving, Policy};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocView {
    pub name: String,
    pub artifact: Word,
    /// "production" or "preview".
    pub env: Word,
    pub stage: Word,
    pub ready: bool,
    /// Columns it reads; `reads_missing` when one of them is gone.
    pub reads: Vec<Word>,
    pub reads_missing: bool,
    /// The region the platform recorded, when it is not where it runs.
    pub misrecorded_as: Option<Word>,
    /// Serves the committed route owner's production traffic.
    pub serves_owner: bool,
    /// POPs whose production requests go here now.
    pub routed_from: Vec<Word>,
    /// Sessions attached, by name.
    pub sessions: Vec<String>,
    pub changed: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostView {
    pub name: Word,
    pub cordoned: bool,
    pub upgraded: bool,
    pub allocs: Vec<AllocView>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellView {
    pub name: Word,
    pub hosts: Vec<HostView>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionView {
    pub name: Word,
    /// Enablement stage ("eligible", "disabled", …).
    pub stage: Word,
    pub up: bool,
    pub cells: Vec<CellView>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub name: String,
    pub state: Word,
    pub alloc: String,
    /// Unsaved work in the page; `stored` when the session store has it.
    pub draft: bool,
    pub stored: bool,
    pub detached_for: u8,
    /// The draft was lost and nobody said so.
    pub lost_silently: bool,
    /// The UI claimed the session moved to another allocation.
    pub shown_moved: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PopView {
    pub name: Word,
    pub applied_epoch: u8,
    /// Last acknowledged sequence.
    pub seq: u8,
    pub routes: Word,
    pub fail_closed: bool,
    /// The allocation its next production request would reach.
    pub target: Option<String>,
    pub changed: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerView {
    pub artifact: Word,
    pub digest: String,
    pub region: Word,
    pub epoch: u8,
    pub changed: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpView {
    pub name: String,
    pub kind: Word,
    /// What it acts on (artifact, column, host, region).
    pub target: String,
    /// The stage record (the truth).
    pub stage: Word,
    /// What the CLI and the console show (evidence; they may disagree).
    pub cli: Word,
    pub console: Word,
    pub actor: Word,
    pub worker: Word,
    pub waiting_for_ack: bool,
    pub failed: bool,
    pub done: bool,
    pub age: u8,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub seq: u8,
    pub epoch: u8,
    pub artifact: Word,
    pub age: u8,
    /// POPs whose cursor has passed it.
    pub consumed_by: Vec<Word>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreView {
    pub name: Word,
    pub bound: bool,
    pub region: Word,
    pub misrecorded_as: Option<Word>,
    pub replicated: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DbView {
    /// Every column, present or not.
    pub columns: Vec<(Word, bool)>,
    pub writes: u8,
    pub backup_writes: u8,
    pub fenced: bool,
    pub region: Word,
    pub replicated: bool,
    pub changed: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestView {
    pub name: String,
    pub kind: Word,
    pub state: Word,
    pub key: bool,
    pub waited: u8,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    pub name: String,
    pub op: String,
    pub claims: String,
    pub delayed: bool,
}

/// Time and the measures of harm.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockView {
    pub tick: u8,
    pub serving: bool,
    /// (since tick, why) while production is not serving.
    pub outage: Option<(u8, Word)>,
    /// Longest outage so far, in ticks.
    pub rto: u8,
    /// Writes lost by restores.
    pub rpo: u8,
    pub wake: Word,
    pub frozen: bool,
    pub failed_requests: u8,
    pub rejected_reports: u8,
    /// Charges per payment.
    pub charges: [u8; 2],
}

/// Everything drawn, at one moment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Picture {
    pub regions: Vec<RegionView>,
    pub sessions: Vec<SessionView>,
    pub pops: Vec<PopView>,
    pub owner: OwnerView,
    pub operations: Vec<OpView>,
    pub events: Vec<EventView>,
    pub stores: Vec<StoreView>,
    pub database: DbView,
    pub requests: Vec<RequestView>,
    pub reports: Vec<ReportView>,
    pub clock: ClockView,
    /// One sentence for screen readers: what the picture shows.
    pub summary: String,
}

fn column_names(mask: u8) -> Vec<Word> {
    COLUMNS
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, c)| Word::from(*c))
        .collect()
}

fn misrecorded(real: u8, stamped: u8) -> Option<Word> {
    (real != stamped).then(|| REGION_NAMES[stamped as usize].into())
}

/// The allocation each POP's next production request would reach.
pub fn route_targets(w: &World, p: Policy) -> [Option<u8>; POPS] {
    let mut copy = *w;
    let mut n = Narration::off();
    let cx = Cx {
        w: &mut copy,
        p,
        n: &mut n,
    };
    core::array::from_fn(|i| {
        let pop = &cx.w.pops[i];
        let hot = cx.w.wake == WakeState::Hot && !pop.fail_closed;
        hot.then(|| edge::route(&cx, i as u8)).flatten()
    })
}

/// The picture of `w` under `p`; `before` (the world one step earlier) marks what changed.
pub fn picture(w: &World, p: Policy, before: Option<&World>) -> Picture {
    let targets = route_targets(w, p);
    let changed = |f: &dyn Fn(&World) -> bool| before.is_some_and(f);
    let alloc_view = |i: usize| {
        let a = &w.allocs[i];
        let sessions = (0..MAX_SESSIONS)
            .filter(|&s| {
                let s_ = &w.sessions[s];
                s_.state != SessionState::None
                    && s_.state != SessionState::Closed
                    && s_.alloc as usize == i
            })
            .map(|s| session_name(s as u8))
            .collect();
        AllocView {
            name: alloc_name(i as u8),
            artifact: ARTIFACT_NAMES[a.artifact as usize].into(),
            env: if a.env == PREVIEW {
                "preview"
            } else {
                "production"
            }
            .into(),
            stage: a.state.name().into(),
            ready: a.state == AllocState::Ready,
            reads: column_names(w.artifacts[a.artifact as usize].reads),
            reads_missing: w.artifacts[a.artifact as usize].reads & !w.db.columns != 0,
            misrecorded_as: misrecorded(a.region(), a.stamped_region),
            serves_owner: serves_owner(w, a),
            routed_from: (0..POPS)
                .filter(|&p| targets[p] == Some(i as u8))
                .map(|p| POP_NAMES[p].into())
                .collect(),
            sessions,
            changed: changed(&|b: &World| {
                b.allocs[i] != w.allocs[i]
                    || b.sessions.iter().filter(|s| s.alloc as usize == i).count()
                        != w.sessions.iter().filter(|s| s.alloc as usize == i).count()
            }),
        }
    };
    let regions = (0..REGIONS)
        .map(|r| RegionView {
            name: REGION_NAMES[r].into(),
            stage: w.regions[r].stage.name().into(),
            up: w.regions[r].up,
            cells: (0..CELLS)
                .filter(|&c| cell_region(c as u8) as usize == r)
                .map(|c| CellView {
                    name: CELL_TABLE[c].0.into(),
                    hosts: (0..HOSTS)
                        .filter(|&h| host_cell(h as u8) as usize == c)
                        .map(|h| HostView {
                            name: HOST_TABLE[h].0.into(),
                            cordoned: w.hosts[h].cordoned,
                            upgraded: w.hosts[h].upgraded,
                            allocs: (0..MAX_ALLOCS)
                                .filter(|&i| w.allocs[i].used && w.allocs[i].host as usize == h)
                                .map(alloc_view)
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let sessions = w
        .sessions
        .iter()
        .enumerate()
        .filter(|(_, s)| s.state != SessionState::None)
        .map(|(i, s)| SessionView {
            name: session_name(i as u8),
            state: s.state.name().into(),
            alloc: alloc_name(s.alloc),
            draft: s.draft,
            stored: s.stored,
            detached_for: s.detached_for,
            lost_silently: s.lost_silently,
            shown_moved: s.shown_moved,
        })
        .collect();
    let pops = (0..POPS)
        .map(|i| {
            let p = &w.pops[i];
            PopView {
                name: POP_NAMES[i].into(),
                applied_epoch: p.applied_epoch,
                seq: p.cursor,
                routes: ARTIFACT_NAMES[p.artifact as usize].into(),
                fail_closed: p.fail_closed,
                target: targets[i].map(alloc_name),
                changed: changed(&|b: &World| b.pops[i] != w.pops[i]),
            }
        })
        .collect();
    let owner = OwnerView {
        artifact: ARTIFACT_NAMES[w.owner.artifact as usize].into(),
        digest: format!("sha:{:04x}", w.artifacts[w.owner.artifact as usize].digest),
        region: REGION_NAMES[w.owner.region as usize].into(),
        epoch: w.owner.epoch,
        changed: changed(&|b: &World| b.owner != w.owner),
    };
    let operations = (0..MAX_OPS)
        .filter(|&i| w.ops[i].used)
        .map(|i| op_view(w, p, i as u8))
        .collect();
    let events = w
        .events
        .iter()
        .filter(|e| e.seq > 0)
        .map(|e| EventView {
            seq: e.seq,
            epoch: e.epoch,
            artifact: ARTIFACT_NAMES[e.artifact as usize].into(),
            age: e.age,
            consumed_by: (0..POPS)
                .filter(|&p| w.pops[p].cursor >= e.seq)
                .map(|p| POP_NAMES[p].into())
                .collect(),
        })
        .collect();
    let store = |name: &'static str, b: &Binding| StoreView {
        name: name.into(),
        bound: b.bound,
        region: REGION_NAMES[b.region as usize].into(),
        misrecorded_as: if b.bound {
            misrecorded(b.region, b.stamped_region)
        } else {
            None
        },
        replicated: b.replicated,
    };
    let stores = vec![
        store("Session store", &w.session_store),
        store("Idempotency store", &w.idempotency_store),
        store("Broadcast backend", &w.broadcast),
    ];
    let database = DbView {
        columns: COLUMNS
            .iter()
            .enumerate()
            .map(|(i, c)| (Word::from(*c), w.db.columns & (1 << i) != 0))
            .collect(),
        writes: w.db.writes,
        backup_writes: w.db.backup_writes,
        fenced: w.db.fenced,
        region: REGION_NAMES[w.db.region as usize].into(),
        replicated: w.db.replicated,
        changed: changed(&|b: &World| b.db != w.db),
    };
    let requests = w
        .requests
        .iter()
        .enumerate()
        .filter(|(_, r)| r.used)
        .map(|(i, r)| RequestView {
            name: format!("req#{}", i + 1),
            kind: match r.kind {
                ReqKind::Get => "GET",
                ReqKind::Webhook => {
                    if r.payment == 0 {
                        "webhook pay-1"
                    } else {
                        "webhook pay-2"
                    }
                }
            }
            .into(),
            state: match r.state {
                ReqState::Held => "held",
                ReqState::Served => "served",
                ReqState::Retry => "503 retry-after",
            }
            .into(),
            key: r.key,
            waited: r.waited,
        })
        .collect();
    let reports = w
        .reports
        .iter()
        .enumerate()
        .filter(|(_, r)| r.used)
        .map(|(i, r)| ReportView {
            name: format!("report#{}", i + 1),
            op: if w.ops[r.op as usize].used {
                op_name(w, r.op)
            } else {
                format!("op#{}", r.op + 1)
            },
            claims: format!(
                "promoted {} at epoch {}",
                ARTIFACT_NAMES[r.artifact as usize], r.epoch
            ),
            delayed: r.delayed,
        })
        .collect();
    let clock = ClockView {
        tick: w.clock,
        serving: serving(w),
        outage: w.outage_start.map(|s| {
            (
                s,
                match w.outage_cause {
                    OutageCause::None => "unknown",
                    OutageCause::Sleep => "declared cold wake",
                    OutageCause::Fault => "a fault removed capacity",
                    OutageCause::Platform => "the platform's own action",
                }
                .into(),
            )
        }),
        rto: w.rto,
        rpo: w.db.lost_writes,
        wake: w.wake.name().into(),
        frozen: w.frozen,
        failed_requests: w.failed_requests,
        rejected_reports: w.rejected_reports,
        charges: w.charges,
    };
    let running = w
        .allocs
        .iter()
        .filter(|a| a.used && a.state.running())
        .count();
    let summary = format!(
        "Topology at tick {}: {} running allocation(s) on {} host(s) in regions eu and us; route owner {} at epoch {} in {}; POPs {}; production {}.",
        w.clock,
        running,
        HOSTS,
        owner.artifact,
        owner.epoch,
        owner.region,
        (0..POPS)
            .map(|i| format!(
                "{} at epoch {}{}",
                POP_NAMES[i],
                w.pops[i].applied_epoch,
                if w.pops[i].fail_closed { " (fail-closed)" } else { "" }
            ))
            .collect::<Vec<_>>()
            .join(", "),
        if clock.serving { "serving" } else { "not serving" }
    );
    Picture {
        regions,
        sessions,
        pops,
        owner,
        operations,
        events,
        stores,
        database,
        requests,
        reports,
        clock,
        summary,
    }
}

fn op_view(w: &World, p: Policy, i: u8) -> OpView {
    let o = &w.ops[i as usize];
    let target = match o.kind {
        OpKind::Migrate => format!(
            "{} {}",
            if o.destructive { "contract" } else { "expand" },
            COLUMNS[o.target as usize % COLUMNS.len()]
        ),
        OpKind::Restore => "backup".into(),
        OpKind::HostDrain => HOST_TABLE[o.target as usize % HOSTS].0.into(),
        OpKind::RegionEnable => REGION_NAMES[o.target as usize % REGIONS].into(),
        OpKind::Failover => format!(
            "{} to {}",
            ARTIFACT_NAMES[o.target as usize % ARTIFACTS],
            REGION_NAMES[o.region as usize % REGIONS]
        ),
        _ => ARTIFACT_NAMES[o.target as usize % ARTIFACTS].into(),
    };
    OpView {
        name: op_name(w, i),
        kind: o.kind.word().into(),
        target,
        stage: stage_name(o.kind, o.stage).into(),
        cli: cli_status(w, i).into(),
        console: console_status(w, p, i).into(),
        actor: match o.actor {
            Actor::System => "system",
            Actor::Operator(by) => OPERATORS[by as usize % OPERATORS.len()],
        }
        .into(),
        worker: match o.worker {
            WorkerState::Running => "running",
            WorkerState::Crashed => "crashed",
        }
        .into(),
        waiting_for_ack: o.needs_ack && !o.acked && !is_terminal(o.kind, o.stage),
        failed: o.stage == FAILED,
        done: is_terminal(o.kind, o.stage) && o.stage != FAILED,
        age: o.age,
    }
}
