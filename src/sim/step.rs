//! One step: an action applied to a world under a policy. Preconditions first
//! (a refusal says why, in the domain's words), then the change, narrated.
//! Subsystems (promotion, edge, wake, sessions, data, topology) own their
//! actions; this file routes them and keeps the shared helpers.

use super::action::{alloc_name, Action};
use super::lifecycle::{is_terminal, FAILED};
use super::policy::{Policy, Switch};
use super::world::*;
use super::{data, edge, promotion, sessions, topology, wake};

/// Why an action cannot happen now.
pub type Refusal = &'static str;

/// Narration of a step; off in the checker (no formatting cost).
#[derive(Clone, Debug, Default)]
pub struct Narration {
    pub on: bool,
    pub lines: Vec<String>,
}

impl Narration {
    pub fn on() -> Narration {
        Narration {
            on: true,
            lines: Vec::new(),
        }
    }
    pub fn off() -> Narration {
        Narration::default()
    }
}

/// `say!(cx, "...", args)`: narrate only when narration is on.
macro_rules! say {
    ($cx:expr, $($t:tt)*) => {
        if $cx.n.on {
            $cx.n.lines.push(format!($($t)*));
        }
    };
}
pub(crate) use say;

/// What a subsystem's handler works with.
pub struct Cx<'a> {
    pub w: &'a mut World,
    pub p: Policy,
    pub n: &'a mut Narration,
}

impl Cx<'_> {
    pub fn naive(&self, s: Switch) -> bool {
        self.p.naive(s)
    }
}

/// The result of a step the UI shows.
#[derive(Clone, Debug)]
pub struct Stepped {
    pub world: World,
    pub narration: Vec<String>,
}

/// Applies `a` to a copy of `w`; narrated.
pub fn step(w: &World, a: &Action, p: Policy) -> Result<Stepped, Refusal> {
    let mut next = *w;
    let mut n = Narration::on();
    apply(&mut next, a, p, &mut n)?;
    Ok(Stepped {
        world: next,
        narration: n.lines,
    })
}

/// Applies `a` to `w` in place (the checker's fast path). On refusal `w` may
/// be partly changed: callers step a copy.
pub fn apply(w: &mut World, a: &Action, p: Policy, n: &mut Narration) -> Result<(), Refusal> {
    let was_serving = serving(w);
    {
        let mut cx = Cx { w, p, n };
        dispatch(&mut cx, a)?;
    }
    account_outage(w, a, was_serving, n);
    Ok(())
}

/// Makes `next`, a copy of `w`, the world after `a`, narration off: what
/// `apply` does, but a refused move costs only its precondition checks (the
/// checker tries every candidate move of every state, and most are refused).
/// On refusal `next` may be partly changed.
pub fn apply_to(w: &World, next: &mut World, a: &Action, p: Policy) -> Result<(), Refusal> {
    let mut n = Narration::off();
    dispatch(
        &mut Cx {
            w: next,
            p,
            n: &mut n,
        },
        a,
    )?;
    account_outage(next, a, serving(w), &mut n);
    Ok(())
}

/// Why `a` is refused at `w`, for the moves whose refusal the world tells
/// before anything changes (`Ok`: not refused by these checks; the move may
/// still refuse later). Each of these moves' handlers starts with the same
/// function, so this and the move never disagree. The checker asks it before
/// copying the world: most candidate moves are refused.
pub fn refused(w: &World, a: &Action) -> Result<(), Refusal> {
    use Action::*;
    match *a {
        WorkerNext { op } => worker_may_run(w, op),
        RunnerReport { alloc } => runner_may_report(w, alloc),
        CrashWorker { op } => worker_may_crash(w, op),
        RetryWorker { op } => worker_may_retry(w, op),
        CrashRunner { alloc } => runner_may_crash(w, alloc),
        PopConsume { pop } => edge::next_to_consume(w, pop).map(drop),
        PopSnapshot { pop } => edge::may_load_snapshot(w, pop),
        ClientType { session } => sessions::may_type(w, session),
        ClientReconnect { session } => sessions::may_reconnect(w, session),
        _ => Ok(()),
    }
}

fn dispatch(cx: &mut Cx, a: &Action) -> Result<(), Refusal> {
    use Action::*;
    match *a {
        Deploy { by, artifact } => promotion::request_deploy(cx, by, artifact),
        Promote { by, artifact } => promotion::request_promotion(cx, by, artifact, false),
        Rollback { by, artifact } => promotion::request_promotion(cx, by, artifact, true),
        Failover { by, region } => topology::request_failover(cx, by, region),
        Ack { op, .. } => promotion::ack(cx, op),
        Freeze { .. } => promotion::freeze(cx),
        Migrate {
            by,
            column,
            destructive,
        } => data::request_migration(cx, by, column, destructive),
        Restore { by } => data::request_restore(cx, by),
        EnableRegion { by, region } => topology::request_enablement(cx, by, region),
        DrainHost { by, host } => topology::request_host_drain(cx, by, host),
        WorkerNext { op } => worker_next(cx, op),
        RunnerReport { alloc } => runner_report(cx, alloc),
        ScaleToZero => wake::scale_to_zero(cx),
        PopConsume { pop } => edge::consume(cx, pop),
        PopSnapshot { pop } => edge::snapshot(cx, pop),
        Deliver { report } => promotion::deliver(cx, report),
        ClientGet { pop } => edge::get(cx, pop),
        ClientWebhook { payment, key } => wake::webhook(cx, payment, key, None),
        ClientType { session } => sessions::type_draft(cx, session),
        ClientReconnect { session } => sessions::reconnect(cx, session),
        ClientClose { session } => sessions::close(cx, session),
        ClientWrite => data::write(cx),
        Tick => tick(cx),
        CrashWorker { op } => crash_worker(cx, op),
        RetryWorker { op } => retry_worker(cx, op),
        CrashRunner { alloc } => crash_runner(cx, alloc),
        LoseReport { report } => promotion::lose(cx, report),
        DuplicateReport { report } => promotion::duplicate(cx, report),
        DelayReport { report } => promotion::delay(cx, report),
        PopRedeliver { pop } => edge::redeliver(cx, pop),
        PopRestart { pop } => edge::restart(cx, pop),
        RetentionDrop => edge::retention_drop(cx),
        RegionOutage { region } => topology::outage(cx, region),
        SlowReadiness { alloc } => slow_readiness(cx, alloc),
        ProviderRetry { request } => wake::provider_retry(cx, request),
    }
}

/// Production serves: a ready production allocation of the route owner's
/// artifact, in a region that is up, whose columns all exist.
pub fn serving(w: &World) -> bool {
    w.allocs.iter().any(|a| serves_owner(w, a))
}

pub fn serves_owner(w: &World, a: &Alloc) -> bool {
    a.used
        && a.state == AllocState::Ready
        && a.env == PROD
        && a.artifact == w.owner.artifact
        && w.regions[a.region() as usize].up
        && reads_ok(w, a.artifact)
}

/// Every column the artifact reads exists.
pub fn reads_ok(w: &World, artifact: u8) -> bool {
    w.artifacts[artifact as usize].reads & !w.db.columns == 0
}

/// RTO bookkeeping, and who to blame when production stops serving.
fn account_outage(w: &mut World, a: &Action, was: bool, n: &mut Narration) {
    let now = serving(w);
    if was && !now {
        w.outage_start = Some(w.clock);
        w.outage_cause = if a.is_fault() {
            OutageCause::Fault
        } else if *a == Action::ScaleToZero {
            OutageCause::Sleep
        } else {
            OutageCause::Platform
        };
        if n.on {
            n.lines.push("Production stopped serving.".into());
        }
    } else if !was && now {
        let lasted = w.clock.saturating_sub(w.outage_start.unwrap_or(w.clock));
        if w.outage_cause != OutageCause::Sleep {
            w.rto = w.rto.max(lasted);
        }
        w.outage_start = None;
        w.outage_cause = OutageCause::None;
        if n.on {
            n.lines
                .push(format!("Production serves again after {lasted} tick(s)."));
        }
    }
}

/// A free host for a new allocation in `region` (not cordoned, slots left).
pub fn free_host(w: &World, region: u8, avoid: Option<u8>) -> Option<u8> {
    (0..HOSTS as u8).find(|&h| {
        Some(h) != avoid
            && host_region(h) == region
            && !w.hosts[h as usize].cordoned
            && running_on(w, h) < HOST_SLOTS
    })
}

pub fn running_on(w: &World, host: u8) -> u8 {
    w.allocs
        .iter()
        .filter(|a| {
            a.used && a.host == host && (a.state.running() || a.state == AllocState::Planned)
        })
        .count() as u8
}

/// The region the platform records for something that really is in `region`.
pub fn stamp(cx: &Cx, region: u8) -> u8 {
    if cx.naive(Switch::MvpErasesTopology) {
        0 // the launch region, hardcoded
    } else {
        region
    }
}

/// Plans a new allocation of `artifact` on a free host in `region`.
pub fn start_alloc(
    cx: &mut Cx,
    artifact: u8,
    env: EnvOrd,
    region: u8,
    avoid_host: Option<u8>,
) -> Option<u8> {
    let host = free_host(cx.w, region, avoid_host)?;
    let w = &*cx.w;
    let referenced = |i: usize| {
        w.sessions.iter().any(|s| {
            s.state != SessionState::None && (s.alloc as usize == i || s.handshake as usize == i)
        }) || w.ops.iter().any(|o| o.used && o.alloc as usize == i + 1)
    };
    let slot = (0..MAX_ALLOCS).find(|&i| {
        let a = &w.allocs[i];
        !a.used || (matches!(a.state, AllocState::Stopped | AllocState::Failed) && !referenced(i))
    })?;
    let stamped_region = stamp(cx, region);
    cx.w.allocs[slot] = Alloc {
        used: true,
        artifact,
        env,
        host,
        stamped_region,
        state: AllocState::Planned,
        age: 0,
        slow: 0,
        logged_listening: false,
    };
    say!(
        cx,
        "{} planned: {} {} on {} ({}).",
        alloc_name(slot as u8),
        if env == PROD { "production" } else { "preview" },
        ARTIFACT_NAMES[artifact as usize],
        HOST_TABLE[host as usize].0,
        CELL_TABLE[host_cell(host) as usize].0
    );
    Some(slot as u8)
}

/// Retires an allocation that is being replaced. Correct: it drains in place
/// (no new sessions; existing ones stay until they close or the deadline).
/// Naive (sessions teleport): it is killed and its sessions are shown as moved
/// to `to`, their drafts gone.
pub fn retire(cx: &mut Cx, alloc: u8, to: Option<u8>) {
    let i = alloc as usize;
    if !cx.w.allocs[i].state.running() || cx.w.allocs[i].state == AllocState::Draining {
        return;
    }
    if cx.naive(Switch::SessionsTeleport) {
        cx.w.allocs[i].state = AllocState::Stopped;
        cx.w.allocs[i].age = 0;
        say!(cx, "{} stopped at once.", alloc_name(alloc));
        for s in cx.w.sessions.iter_mut() {
            if s.state.live() && s.alloc == alloc {
                if let Some(t) = to {
                    s.alloc = t;
                    s.draft = false;
                    s.stored = false;
                }
            }
        }
        if to.is_some() {
            say!(cx, "Sessions shown as moved to the new allocation.");
        }
    } else {
        cx.w.allocs[i].state = AllocState::Draining;
        cx.w.allocs[i].age = 0;
        say!(
            cx,
            "{} draining: no new sessions; live ones stay until they close or the deadline.",
            alloc_name(alloc)
        );
    }
}

/// A ready production allocation of the owner to attach sessions to.
pub fn owner_target(w: &World) -> Option<u8> {
    let serving = |i: &u8| serves_owner(w, &w.allocs[*i as usize]);
    // In the region the route is bound to first.
    (0..MAX_ALLOCS as u8)
        .filter(serving)
        .find(|&i| w.allocs[i as usize].region() == w.owner.region)
        .or_else(|| (0..MAX_ALLOCS as u8).find(serving))
}

/// Is the allocation ready, as the platform reads it? Correct: the runner's
/// readiness record. Naive (logs as truth): the "listening" log line.
pub fn looks_ready(cx: &Cx, alloc: u8) -> bool {
    let a = &cx.w.allocs[alloc as usize];
    if cx.naive(Switch::LogsAsTruth) {
        a.logged_listening && a.state.running()
    } else {
        a.state == AllocState::Ready
    }
}

fn worker_may_run(w: &World, op: u8) -> Result<(), Refusal> {
    let o = w.ops[op as usize];
    if !o.used {
        return Err("no such operation");
    }
    if is_terminal(o.kind, o.stage) {
        return Err("the operation is finished");
    }
    if o.worker == WorkerState::Crashed {
        return Err("its worker crashed: waiting for the job to be redelivered");
    }
    if o.needs_ack && !o.acked {
        return Err("blocked: a cold change waits for an operator's acknowledgement");
    }
    Ok(())
}

fn worker_next(cx: &mut Cx, op: u8) -> Result<(), Refusal> {
    worker_may_run(cx.w, op)?;
    match cx.w.ops[op as usize].kind {
        OpKind::Deploy => promotion::deploy_next(cx, op),
        OpKind::Promote | OpKind::Rollback | OpKind::Failover => promotion::promotion_next(cx, op),
        OpKind::Migrate => data::migration_next(cx, op),
        OpKind::Restore => data::restore_next(cx, op),
        OpKind::Wake => wake::wake_next(cx, op),
        OpKind::HostDrain => topology::host_drain_next(cx, op),
        OpKind::RegionEnable => topology::enablement_next(cx, op),
    }
}

/// Records a stage (the durable record; status is read from here).
pub fn record(cx: &mut Cx, op: u8, stage: u8) {
    let o = &mut cx.w.ops[op as usize];
    o.stage = stage;
    let kind = o.kind;
    say!(
        cx,
        "{} recorded stage {}.",
        super::action::op_name(cx.w, op),
        super::lifecycle::stage_name(kind, stage)
    );
}

pub fn fail(cx: &mut Cx, op: u8, reason: Reason) {
    cx.w.ops[op as usize].stage = FAILED;
    cx.w.ops[op as usize].reason = reason as u8;
    if cx.w.ops[op as usize].kind == OpKind::Wake {
        cx.w.wake = WakeState::Failed;
    }
    say!(
        cx,
        "{} failed: {}.",
        super::action::op_name(cx.w, op),
        reason.text()
    );
}

/// Why an operation failed or waits, recorded with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Reason {
    None = 0,
    LostCas,
    NotValidated,
    DbIncompatible,
    NoCapacity,
    TimedOut,
    ColumnStillRead,
    BackupIncompatible,
    RegionGate,
    NoHeadroom,
    ColumnAbsent,
    RegionNotEligible,
}

impl Reason {
    pub fn text(self) -> &'static str {
        match self {
            Reason::None => "none",
            Reason::LostCas => {
                "lost the compare-and-swap: the route epoch moved since policy_check"
            }
            Reason::NotValidated => "the digest is not a validated artifact",
            Reason::DbIncompatible => {
                "the artifact reads a column the database no longer has: forward fix or restore"
            }
            Reason::NoCapacity => "no ready capacity of the artifact",
            Reason::TimedOut => "timed out: the control plane failed it at its deadline",
            Reason::ColumnStillRead => {
                "a running allocation still reads the column: ship code that stops reading it first"
            }
            Reason::BackupIncompatible => {
                "the route owner's artifact does not work on the backup's schema"
            }
            Reason::RegionGate => "a region gate is not met",
            Reason::NoHeadroom => "no headroom in the cell for replacements (cordon is not enough)",
            Reason::ColumnAbsent => "the column is not there / already there",
            Reason::RegionNotEligible => "the region is not eligible",
        }
    }
    pub fn from_u8(v: u8) -> Reason {
        const ALL: [Reason; 12] = [
            Reason::None,
            Reason::LostCas,
            Reason::NotValidated,
            Reason::DbIncompatible,
            Reason::NoCapacity,
            Reason::TimedOut,
            Reason::ColumnStillRead,
            Reason::BackupIncompatible,
            Reason::RegionGate,
            Reason::NoHeadroom,
            Reason::ColumnAbsent,
            Reason::RegionNotEligible,
        ];
        ALL.get(v as usize).copied().unwrap_or(Reason::None)
    }
}

/// A new operation record (actor, worker) in the first free slot.
pub fn new_op(cx: &mut Cx, kind: OpKind, actor: Actor, target: u8) -> Result<u8, Refusal> {
    let slot =
        cx.w.ops
            .iter()
            .position(|o| !o.used)
            .ok_or("the operation table is full (this model keeps six)")?;
    cx.w.ops[slot] = Operation {
        used: true,
        kind,
        actor,
        target,
        region: cx.w.owner.region,
        ..Operation::default()
    };
    let who = match actor {
        Actor::Operator(i) => OPERATORS[i as usize],
        Actor::System => "the platform",
    };
    say!(
        cx,
        "{} requested by {who}.",
        super::action::op_name(cx.w, slot as u8)
    );
    Ok(slot as u8)
}

fn runner_may_report(w: &World, alloc: u8) -> Result<(), Refusal> {
    let a = w.allocs[alloc as usize];
    if !a.used {
        return Err("no such allocation");
    }
    if !w.regions[a.region() as usize].up {
        return Err("its region is down: the runner cannot report");
    }
    match a.state {
        AllocState::Planned | AllocState::Pulling => Ok(()),
        AllocState::Starting if a.age < w.q.readiness + a.slow => {
            Err("readiness has not passed yet: time must pass")
        }
        AllocState::Starting => Ok(()),
        AllocState::Draining if sessions::attached(w, alloc) > 0 => {
            Err("sessions are still attached: it stops when they close or at the deadline")
        }
        AllocState::Draining => Ok(()),
        _ => Err("nothing to report"),
    }
}

fn runner_report(cx: &mut Cx, alloc: u8) -> Result<(), Refusal> {
    runner_may_report(cx.w, alloc)?;
    let i = alloc as usize;
    // Only narration names it: no string is built on the checker's path.
    let name = || alloc_name(alloc);
    match cx.w.allocs[i].state {
        AllocState::Planned => {
            cx.w.allocs[i].state = AllocState::Starting;
            cx.w.allocs[i].age = 0;
            cx.w.allocs[i].logged_listening = true;
            say!(cx, "{} pulled and starting; its log says \"listening on :8080\" (readiness not yet passed).", name());
        }
        AllocState::Pulling => {
            cx.w.allocs[i].state = AllocState::Starting;
            cx.w.allocs[i].age = 0;
        }
        AllocState::Starting => {
            cx.w.allocs[i].state = AllocState::Ready;
            cx.w.allocs[i].age = 0;
            say!(cx, "{} passed readiness: ready.", name());
        }
        AllocState::Draining => {
            cx.w.allocs[i].state = AllocState::Stopped;
            cx.w.allocs[i].age = 0;
            say!(cx, "{} drained: no sessions left, stopped.", name());
        }
        // `runner_may_report` refuses every other state.
        _ => {}
    }
    Ok(())
}

fn worker_may_crash(w: &World, op: u8) -> Result<(), Refusal> {
    let o = &w.ops[op as usize];
    if !o.used || is_terminal(o.kind, o.stage) || o.worker == WorkerState::Crashed {
        return Err("no live worker to crash");
    }
    Ok(())
}

fn crash_worker(cx: &mut Cx, op: u8) -> Result<(), Refusal> {
    worker_may_crash(cx.w, op)?;
    cx.w.ops[op as usize].worker = WorkerState::Crashed;
    say!(
        cx,
        "{}'s worker crashed between stages.",
        super::action::op_name(cx.w, op)
    );
    Ok(())
}

fn worker_may_retry(w: &World, op: u8) -> Result<(), Refusal> {
    let o = &w.ops[op as usize];
    if !o.used || o.worker != WorkerState::Crashed {
        return Err("its worker is not crashed");
    }
    Ok(())
}

fn retry_worker(cx: &mut Cx, op: u8) -> Result<(), Refusal> {
    worker_may_retry(cx.w, op)?;
    let o = &mut cx.w.ops[op as usize];
    o.worker = WorkerState::Running;
    let (kind, stage) = (o.kind, o.stage);
    say!(
        cx,
        "The job of {} is redelivered; the worker resumes from the recorded stage {}.",
        super::action::op_name(cx.w, op),
        super::lifecycle::stage_name(kind, stage)
    );
    Ok(())
}

fn runner_may_crash(w: &World, alloc: u8) -> Result<(), Refusal> {
    let a = &w.allocs[alloc as usize];
    if !a.used || !a.state.running() {
        return Err("the allocation is not running");
    }
    Ok(())
}

fn crash_runner(cx: &mut Cx, alloc: u8) -> Result<(), Refusal> {
    runner_may_crash(cx.w, alloc)?;
    cx.w.allocs[alloc as usize].state = AllocState::Failed;
    say!(cx, "{}'s runner crashed: failed.", alloc_name(alloc));
    sessions::detach_all(cx, alloc);
    Ok(())
}

fn slow_readiness(cx: &mut Cx, alloc: u8) -> Result<(), Refusal> {
    let a = &mut cx.w.allocs[alloc as usize];
    if !a.used || !matches!(a.state, AllocState::Planned | AllocState::Starting) || a.slow > 0 {
        return Err("only a starting allocation can be slow, once");
    }
    a.slow = 2;
    say!(
        cx,
        "{} will need two more ticks to pass readiness.",
        alloc_name(alloc)
    );
    Ok(())
}

const AGE_CAP: u8 = 15;

fn tick(cx: &mut Cx) -> Result<(), Refusal> {
    if cx.w.clock >= 200 {
        return Err("the clock is at its end");
    }
    cx.w.clock += 1;
    say!(cx, "Tick {}.", cx.w.clock);
    let q = cx.w.q;
    for a in cx.w.allocs.iter_mut().filter(|a| a.used) {
        a.age = (a.age + 1).min(AGE_CAP);
    }
    // Drain deadlines: the remaining sessions resume elsewhere or start fresh, visibly.
    for i in 0..MAX_ALLOCS as u8 {
        let a = cx.w.allocs[i as usize];
        if a.used && a.state == AllocState::Draining && a.age >= q.drain_deadline {
            cx.w.allocs[i as usize].state = AllocState::Stopped;
            cx.w.allocs[i as usize].age = 0;
            say!(cx, "{}: drain deadline reached, stopped.", alloc_name(i));
            sessions::at_drain_deadline(cx, i);
        }
    }
    sessions::tick(cx);
    wake::tick(cx);
    edge::tick(cx);
    for r in cx.w.reports.iter_mut() {
        r.delayed = false;
    }
    for op in 0..MAX_OPS as u8 {
        let o = cx.w.ops[op as usize];
        if o.used && !is_terminal(o.kind, o.stage) {
            let age = (o.age + 1).min(AGE_CAP);
            cx.w.ops[op as usize].age = age;
            if age > q.op_deadline {
                fail(cx, op, Reason::TimedOut);
            }
        }
    }
    Ok(())
}
