//! Guided drills as data: a start world, a policy, a script and a goal.

use super::action::Action;
use super::lifecycle::{AllocLife, PromotionStage, Stage};
use super::policy::{AntiPattern, Policy};
use super::world::*;
use serde::Serialize;

/// What "done" means for a scenario, checked against a world.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Goal {
    /// The artifact owns production, the edge applied that epoch, and its promotion is healthy.
    PromotionHealthy { artifact: u8 },
    /// The artifact owns production.
    OwnerIs { artifact: u8 },
    /// Every session is live, resumed or fresh on a ready allocation; none moved or draining.
    SessionsSettled,
    /// No production allocation of the artifact is still running.
    AllocationsStopped { artifact: u8 },
    /// The newest request of this kind ended like this.
    RequestOutcome { kind: RequestKind, outcome: Outcome },
    /// The mutation behind this kind of request ran exactly once.
    AppliedOnce { kind: RequestKind },
    /// The edge applied exactly what the control database says, for every key.
    EdgeCaughtUp,
    /// Console and CLI agree with the operation records.
    StatusAgrees,
    /// A losing CAS or late report was rejected and recorded.
    StaleWriteRecorded,
    /// The production route epoch reached at least this value.
    EpochAtLeast { epoch: u16 },
    /// The production route is owned in this region.
    RouteInRegion { region: u8 },
    /// Two regions, and every allocation, log line and binding knows its place.
    TopologyComplete,
    /// This allocation is no longer running.
    AllocationStopped { allocation: u8 },
    /// The latest global state update reached at least two allocations, sessions
    /// live on at least two, and none of them missed it.
    FanOutReachedAll,
    /// All of these.
    All(Vec<Goal>),
}

impl Goal {
    /// Is the goal met in this world?
    pub fn goal_met(&self, w: &World) -> bool {
        let owner = w.owner(Env::Production);
        let edge = w.edge.keys[Env::Production.ix()];
        match self {
            Goal::PromotionHealthy { artifact } => {
                owner.artifact == *artifact
                    && edge.artifact == *artifact
                    && edge.last_applied_epoch == owner.epoch
                    && w.operations
                        .iter()
                        .rev()
                        .find(|o| {
                            o.kind.is_promotion()
                                && o.artifact == *artifact
                                && o.committed_epoch().is_some()
                        })
                        .is_some_and(|o| {
                            o.stage() == Some(Stage::Promotion(PromotionStage::Healthy))
                        })
            }
            Goal::OwnerIs { artifact } => owner.artifact == *artifact,
            Goal::SessionsSettled => w.sessions.iter().all(|s| {
                matches!(
                    s.notice,
                    SessionNotice::Live | SessionNotice::Resumed | SessionNotice::Fresh
                ) && w
                    .allocation(s.allocation)
                    .is_some_and(|a| a.life == AllocLife::Ready)
            }),
            Goal::AllocationsStopped { artifact } => !w.allocations.iter().any(|a| {
                a.env == Env::Production && a.artifact == *artifact && a.life.is_running()
            }),
            Goal::RequestOutcome { kind, outcome } => w
                .requests
                .iter()
                .rev()
                .find(|r| r.kind == *kind)
                .is_some_and(|r| r.outcome == *outcome),
            Goal::AppliedOnce { kind } => kind.mutation_ix().is_some_and(|i| w.db.applied[i] == 1),
            Goal::EdgeCaughtUp => [Env::Production, Env::Preview].iter().all(|k| {
                let (o, e) = (w.owner(*k), w.edge.keys[k.ix()]);
                o.epoch == e.last_applied_epoch && o.artifact == e.artifact
            }),
            Goal::StatusAgrees => {
                let record = w
                    .operations
                    .last()
                    .and_then(|o| o.stage().map(|s| (o.id, s)));
                w.cli.map(|x| (x.op, x.stage)) == record && w.console == w.cli
            }
            Goal::StaleWriteRecorded => w
                .operations
                .iter()
                .any(|o| matches!(o.note, OpNote::CasRejected | OpNote::LateReportRejected)),
            Goal::EpochAtLeast { epoch } => owner.epoch >= *epoch,
            Goal::RouteInRegion { region } => owner.place.region == Some(*region),
            Goal::TopologyComplete => {
                w.regions.len() == 2
                    && w.allocations.iter().all(|a| a.place.is_known())
                    && w.logs.iter().all(|l| l.place.is_known())
                    && [w.session_store, w.idempotency_store, w.broadcast]
                        .iter()
                        .flatten()
                        .all(|b| b.place.is_known())
            }
            Goal::AllocationStopped { allocation } => w
                .allocation(*allocation)
                .is_none_or(|a| !a.life.is_running()),
            Goal::FanOutReachedAll => {
                let mut on: Vec<u8> = w.sessions.iter().map(|s| s.allocation).collect();
                on.sort_unstable();
                on.dedup();
                w.fanout >= 2 && on.len() >= 2 && w.sessions.iter().all(|s| !s.stale)
            }
            Goal::All(goals) => goals.iter().all(|g| g.goal_met(w)),
        }
    }
}

/// A guided drill.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Scenario {
    pub slug: &'static str,
    pub title: &'static str,
    /// The goal in words.
    pub goal_text: &'static str,
    pub hint: &'static str,
    /// The card this drill demonstrates, if any (its switch is on in `policy`).
    pub anti_pattern: Option<AntiPattern>,
    pub policy: Policy,
    pub start: World,
    /// A known solution under the correct policy; with the switch on it shows the failure.
    pub script: Vec<Action>,
    pub goal: Goal,
    /// A depth at which the checker finds this drill's failure (or proves none).
    pub check_depth: usize,
}

fn codes(s: &str) -> Vec<Action> {
    super::action::script_from_code(s).unwrap_or_default()
}

#[allow(clippy::too_many_arguments)]
fn drill(
    slug: &'static str,
    title: &'static str,
    goal_text: &'static str,
    hint: &'static str,
    anti_pattern: Option<AntiPattern>,
    start: World,
    script: &str,
    goal: Goal,
) -> Scenario {
    let script = codes(script);
    // Drills with a switch: deep enough for the script's failure. Correct drills:
    // a depth the checker exhausts in well under a second.
    let check_depth = if anti_pattern.is_some() {
        script.len().max(1)
    } else {
        script.len().clamp(1, 4)
    };
    Scenario {
        slug,
        title,
        goal_text,
        hint,
        anti_pattern,
        policy: anti_pattern.map(Policy::with).unwrap_or_default(),
        start,
        script,
        goal,
        check_depth,
    }
}

/// Every scenario, in teaching order.
pub fn scenarios() -> Vec<Scenario> {
    use AntiPattern as AP;
    use Goal::*;
    let seed = 7;
    let w = World::new(seed);
    let sleeping = World::sleeping(seed);
    let full = World::full_cell(seed);
    vec![
        drill("happy-promotion", "A happy promotion",
            "Promote artifact B and see the edge apply its epoch.",
            "Deploy B, promote it, then deliver events until the edge has caught up.",
            None, w, "d1.p1.e.e", PromotionHealthy { artifact: 1 }),
        drill("drain-live-sessions", "Drain with live sessions",
            "Replace A with B and stop A's allocation without moving a single session.",
            "After the edge switches, A drains in place; reconnect the sessions, then stop A.",
            None, w.with_stores(true, false), "d1.p1.e.e.c.s0",
            All(vec![PromotionHealthy { artifact: 1 }, SessionsSettled, AllocationsStopped { artifact: 0 }])),
        drill("wake-on-get", "Wake on a GET",
            "Serve a page load that arrives while the app sleeps.",
            "A GET is safe to hold within the wake budget; let time pass until readiness.",
            None, sleeping, "qg.t.t.t", RequestOutcome { kind: RequestKind::Get, outcome: Outcome::Served }),
        drill("wake-post-with-key", "Wake on a POST with an idempotency key",
            "Run the user's POST exactly once across a wake.",
            "With a key and a bound idempotency store, the POST is held and replayed once.",
            None, sleeping.with_stores(false, true), "qP.t.t.t",
            All(vec![RequestOutcome { kind: RequestKind::Post, outcome: Outcome::AppliedOnce }, AppliedOnce { kind: RequestKind::Post }])),
        drill("wake-post-without-key", "Wake on a POST without a key",
            "Run the user's POST exactly once, although it arrived while the app slept.",
            "Without a key it gets a 503 with Retry-After; the user's own retry runs it once the app is hot.",
            None, sleeping, "qp.t.t.t.qp", AppliedOnce { kind: RequestKind::Post }),
        drill("rollback-warm-safe", "Rollback, warm and safe",
            "Promote B, then roll back to A through the same CAS.",
            "B is warm and its migration only adds a column, so both gates pass; the epoch still goes up.",
            None, w, "d1.p1.e.e.r0.e", All(vec![PromotionHealthy { artifact: 0 }, EpochAtLeast { epoch: 3 }])),
        drill("rollback-after-destructive", "Rollback after a destructive migration",
            "Promote C and keep production healthy: notice why rollback to A is refused.",
            "C is warm, but its migration dropped legacy_note, which A reads. Warm is not DB-safe.",
            None, w, "d2.p2.e.e.r0", PromotionHealthy { artifact: 2 }),
        drill("promotions-race", "Two promotions race",
            "Promote B while a rival promotion of C read the same epoch; keep B.",
            "Only one CAS can win; the loser's late success report is rejected and recorded.",
            None, w, "d1.d2.p1.xx.xl.e.e.e",
            All(vec![PromotionHealthy { artifact: 1 }, StaleWriteRecorded])),
        drill("region-failover", "Region failover",
            "Fail over to us-east without pretending a session moved.",
            "Enable the second region, wait until its allocation is ready and healthy, then fail over.",
            None, w.with_stores(true, false), "g.t.t.t.t.xf.e",
            All(vec![RouteInRegion { region: 1 }, SessionsSettled, EdgeCaughtUp])),
        drill("horizontal-scale-broadcast", "Horizontal scale and global state",
            "Scale out to a second allocation and make one global update reach every live session.",
            "Sessions live on one allocation each; without a broadcast backend an update stays where it was published.",
            None, w, "bb.ho.o.gu", FanOutReachedAll),
        drill("host-drain-no-spare", "Host drain with no spare capacity",
            "Drain and stop A's allocation in a full cell without losing track of a single session.",
            "The cell has two slots and B's preview holds one: free it, scale out a replacement, then drain.",
            None, full, "n1.s1.ho.n0.c.s0",
            All(vec![AllocationStopped { allocation: 0 }, SessionsSettled, OwnerIs { artifact: 0 }])),
        drill("ap-sessions-teleport", "Pretending sessions teleport",
            "Replace A with B; every user must learn whether they resumed or started fresh.",
            "With the switch on, the old allocation is killed and sessions are shown as moved.",
            Some(AP::SessionsTeleport), w, "d1.p1.e.e.c.s0",
            All(vec![PromotionHealthy { artifact: 1 }, SessionsSettled])),
        drill("ap-logs-as-truth", "Using logs as truth",
            "Promote B through a crashing worker and a losing rival; every view must agree with the records.",
            "With the switch on, the console parses logs and the late report is believed.",
            Some(AP::LogsAsTruth), w, "d1.d2.p1.xc.xx.xl.e.e.e",
            All(vec![PromotionHealthy { artifact: 1 }, StatusAgrees, StaleWriteRecorded])),
        drill("ap-event-bus-as-database", "Event bus as database",
            "Promote B while retention drops events and a duplicate arrives; the edge must end on B.",
            "With the switch on, the consumer has no durable cursor and applies whatever comes.",
            Some(AP::EventBusAsDatabase), w, "d1.d2.p1.xd.e.xr",
            All(vec![PromotionHealthy { artifact: 1 }, EdgeCaughtUp])),
        drill("ap-routing-by-healthy-backend", "Routing by healthy backend",
            "Serve production from A while B's preview turns healthy and A's health flaps.",
            "With the switch on, any healthy allocation gets production traffic and health picks the owner.",
            Some(AP::RoutingByHealthyBackend), w, "d1.xp.qg.xh",
            All(vec![RequestOutcome { kind: RequestKind::Get, outcome: Outcome::Served }, OwnerIs { artifact: 0 }])),
        drill("ap-unsafe-wake-replay", "Unsafe wake replay",
            "Charge the payment exactly once though the webhook arrives during a wake and the provider retries.",
            "With the switch on, the wake buffers the webhook and replays it next to the provider's retry.",
            Some(AP::UnsafeWakeReplay), sleeping, "qw.xw.t.t.t.xw", AppliedOnce { kind: RequestKind::Webhook }),
        drill("ap-mvp-erases-topology", "MVP erases topology",
            "Bind the session store, deploy B and add a second region; everything must say where it runs.",
            "With the switch on, new allocations, log lines and bindings carry no region or cell.",
            Some(AP::MvpErasesTopology), w, "bs.d1.g.t.t.t.t", TopologyComplete),
        drill("ap-warm-deploy-equals-safe-rollback", "Warm deploy equals safe rollback",
            "Promote C, then try to roll back to A; production must stay healthy.",
            "With the switch on, rollback checks only the state gate and A crashes on the dropped column.",
            Some(AP::WarmDeployEqualsSafeRollback), w, "d2.p2.e.e.r0", PromotionHealthy { artifact: 2 }),
    ]
}

/// One scenario by slug.
pub fn scenario(slug: &str) -> Option<Scenario> {
    scenarios().into_iter().find(|s| s.slug == slug)
}
