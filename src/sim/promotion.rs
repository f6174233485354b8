//! Deploy, promotion, rollback (and failover's promotion path): stages run by
//! a worker, the route commit by compare-and-swap, reports that travel and
//! can arrive late, and the status views that read the records.

use super::action::{alloc_name, op_name};
use super::decide::{deploy_impact, Impact};
use super::lifecycle::{is_terminal, stage_name, FAILED};
use super::policy::Switch;
use super::step::{
    fail, new_op, reads_ok, record, retire, say, serves_owner, start_alloc, Cx, Reason, Refusal,
};
use super::world::*;

/// Stage indices of a promotion.
pub const REQUESTED: u8 = 0;
pub const POLICY_CHECK: u8 = 1;
pub const ROUTE_CAS: u8 = 2;
pub const EDGE_PROPAGATING: u8 = 3;
pub const HEALTHY: u8 = 4;

pub fn request_deploy(cx: &mut Cx, by: u8, artifact: u8) -> Result<(), Refusal> {
    let a = cx.w.artifacts[artifact as usize];
    if !a.exists {
        return Err("no such build");
    }
    if a.validated {
        return Err("already deployed and validated");
    }
    if cx.w.ops.iter().any(|o| {
        o.used && o.kind == OpKind::Deploy && o.target == artifact && !is_terminal(o.kind, o.stage)
    }) {
        return Err("a deploy of it is already running");
    }
    new_op(cx, OpKind::Deploy, Actor::Operator(by), artifact)?;
    Ok(())
}

/// Live sessions would refresh if production moved from the owner's schema to `artifact`'s.
pub fn is_cold(w: &World, artifact: u8) -> bool {
    let changed =
        w.artifacts[artifact as usize].schema != w.artifacts[w.owner.artifact as usize].schema;
    changed && w.sessions.iter().any(|s| s.state.live())
}

pub fn deploy_next(cx: &mut Cx, op: u8) -> Result<(), Refusal> {
    let o = cx.w.ops[op as usize];
    let art = o.target;
    match o.stage {
        0 => record(cx, op, 1),
        1 if !reads_ok(cx.w, art) => {
            // The build's database impact is classified before anything runs it.
            fail(cx, op, Reason::DbIncompatible);
        }
        1 => {
            // The preview allocation of the build (never production traffic).
            let region = cx.w.owner.region;
            start_alloc(cx, art, PREVIEW, region, None);
            record(cx, op, 2);
        }
        _ => {
            let impact = deploy_impact(
                is_cold(cx.w, art),
                !reads_ok(cx.w, art),
                cx.w.sessions.iter().any(|s| s.state.live()),
            );
            match impact {
                Impact::Blocked => fail(cx, op, Reason::DbIncompatible),
                Impact::ColdNeedsAck if !o.acked => {
                    cx.w.ops[op as usize].needs_ack = true;
                    say!(cx, "{}: cold (the state schema changed, live sessions will refresh): blocked until acknowledged.", op_name(cx.w, op));
                }
                _ => {
                    cx.w.artifacts[art as usize].validated = true;
                    record(cx, op, 3);
                    say!(
                        cx,
                        "Build {} validated: its digest may be promoted.",
                        ARTIFACT_NAMES[art as usize]
                    );
                }
            }
        }
    }
    Ok(())
}

pub fn request_promotion(cx: &mut Cx, by: u8, artifact: u8, rollback: bool) -> Result<(), Refusal> {
    if !cx.w.artifacts[artifact as usize].exists {
        return Err("no such build");
    }
    if rollback {
        if !cx
            .w
            .commits
            .iter()
            .any(|c| c.epoch > 0 && c.artifact == artifact)
            || artifact == cx.w.owner.artifact
        {
            return Err("a rollback goes to an earlier owner of the route");
        }
    } else if cx.w.frozen {
        return Err("promotions are frozen (runbook): only a rollback by operation may run");
    }
    let kind = if rollback {
        OpKind::Rollback
    } else {
        OpKind::Promote
    };
    new_op(cx, kind, Actor::Operator(by), artifact)?;
    Ok(())
}

pub fn ack(cx: &mut Cx, op: u8) -> Result<(), Refusal> {
    let o = &mut cx.w.ops[op as usize];
    if !o.used || !o.needs_ack || o.acked || is_terminal(o.kind, o.stage) {
        return Err("nothing waits for an acknowledgement there");
    }
    o.acked = true;
    say!(
        cx,
        "{} acknowledged: live sessions will refresh.",
        op_name(cx.w, op)
    );
    Ok(())
}

pub fn freeze(cx: &mut Cx) -> Result<(), Refusal> {
    if cx.w.frozen {
        return Err("already frozen");
    }
    cx.w.frozen = true;
    say!(cx, "Promotions frozen.");
    Ok(())
}

/// The gate a promotion's policy_check applies. Correct: a validated digest.
/// Naive (routing by healthy backend): health stands in for authority.
fn eligible_digest(cx: &Cx, art: u8) -> bool {
    let validated = cx.w.artifacts[art as usize].validated;
    if cx.naive(Switch::RoutingByHealthyBackend) {
        validated
            || cx
                .w
                .allocs
                .iter()
                .any(|a| a.used && a.artifact == art && a.state == AllocState::Ready)
    } else {
        validated
    }
}

/// Rollback's database gate. Correct: the old artifact must work on today's
/// schema. Naive (warm deploy equals safe rollback): only the state gate counts.
fn rollback_db_gate(cx: &Cx, art: u8) -> bool {
    cx.naive(Switch::WarmDeployEqualsSafeRollback) || reads_ok(cx.w, art)
}

/// A ready production allocation of `art` in `region`.
fn capacity(w: &World, art: u8, region: u8) -> Option<u8> {
    (0..MAX_ALLOCS as u8).find(|&i| {
        let a = &w.allocs[i as usize];
        a.used
            && a.env == PROD
            && a.artifact == art
            && a.state == AllocState::Ready
            && a.region() == region
            && w.regions[region as usize].up
    })
}

fn starting_capacity(w: &World, art: u8, region: u8) -> bool {
    w.allocs.iter().any(|a| {
        a.used
            && a.env == PROD
            && a.artifact == art
            && a.region() == region
            && matches!(
                a.state,
                AllocState::Planned | AllocState::Pulling | AllocState::Starting
            )
    })
}

pub fn promotion_next(cx: &mut Cx, op: u8) -> Result<(), Refusal> {
    let o = cx.w.ops[op as usize];
    let art = o.target;
    let region = o.region;
    match o.stage {
        REQUESTED => {
            if !eligible_digest(cx, art) {
                fail(cx, op, Reason::NotValidated);
                return Ok(());
            }
            let db_ok = if o.kind == OpKind::Rollback {
                rollback_db_gate(cx, art)
            } else {
                reads_ok(cx.w, art)
            };
            if !db_ok {
                fail(cx, op, Reason::DbIncompatible);
                return Ok(());
            }
            if is_cold(cx.w, art) && !o.acked {
                cx.w.ops[op as usize].needs_ack = true;
                say!(
                    cx,
                    "{}: cold (live sessions will refresh): blocked until acknowledged.",
                    op_name(cx.w, op)
                );
                return Ok(());
            }
            if capacity(cx.w, art, region).is_none() {
                if starting_capacity(cx.w, art, region) {
                    return Err("waiting for capacity of the artifact to pass readiness");
                }
                match start_alloc(cx, art, PROD, region, None) {
                    Some(a) => {
                        cx.w.ops[op as usize].alloc = a + 1;
                        say!(
                            cx,
                            "{} starts capacity for {} before it reads the epoch.",
                            op_name(cx.w, op),
                            ARTIFACT_NAMES[art as usize]
                        );
                    }
                    None => fail(cx, op, Reason::NoCapacity),
                }
                return Ok(());
            }
            cx.w.ops[op as usize].read_epoch = cx.w.owner.epoch;
            say!(
                cx,
                "{} read route epoch {}.",
                op_name(cx.w, op),
                cx.w.owner.epoch
            );
            record(cx, op, POLICY_CHECK);
        }
        POLICY_CHECK if !o.logged_ahead => {
            // Evidence first: the worker logs success and reports it before the commit.
            cx.w.ops[op as usize].logged_ahead = true;
            let epoch = o.read_epoch.saturating_add(1);
            if let Some(slot) = cx.w.reports.iter().position(|r| !r.used) {
                cx.w.reports[slot] = Report {
                    used: true,
                    op,
                    artifact: art,
                    epoch,
                    delayed: false,
                };
            }
            say!(
                cx,
                "{}'s worker logs \"promoted {} at epoch {epoch}\" and sends its report.",
                op_name(cx.w, op),
                ARTIFACT_NAMES[art as usize]
            );
        }
        POLICY_CHECK => {
            // A wake in flight starts the owner's artifact: the owner does not
            // change under it (it would go hot on a replaced artifact).
            if let Some(wake) = super::wake::wake_op(cx.w) {
                if cx.w.ops[wake as usize].alloc > 0 {
                    return Err("waiting: a wake is starting the current owner's artifact");
                }
            }
            let fresh = cx.w.owner.epoch == o.read_epoch;
            if !fresh {
                fail(cx, op, Reason::LostCas);
                return Ok(());
            }
            if capacity(cx.w, art, region).is_none() {
                fail(cx, op, Reason::NoCapacity);
                return Ok(());
            }
            let epoch = o.read_epoch + 1;
            commit(cx, op, art, region, epoch, o.read_epoch);
            cx.w.ops[op as usize].won_epoch = epoch;
            record(cx, op, ROUTE_CAS);
        }
        ROUTE_CAS => {
            let seq = super::edge::publish(cx, o.won_epoch, art);
            say!(
                cx,
                "Route event seq {seq} (epoch {}) published after the commit.",
                o.won_epoch
            );
            record(cx, op, EDGE_PROPAGATING);
        }
        _ => {
            if cx.w.pops.iter().any(|p| p.applied_epoch < o.won_epoch) {
                return Err("waiting: not every POP has applied the epoch");
            }
            // Retiring what it replaces needs its own capacity serving: a
            // failover whose region went down meanwhile keeps the old one.
            let own = |a: &Alloc| serves_owner(cx.w, a) && a.region() == region;
            if o.kind == OpKind::Failover && !cx.w.allocs.iter().any(own) {
                fail(cx, op, Reason::NoCapacity);
                return Ok(());
            }
            record(cx, op, HEALTHY);
            retire_replaced(cx, o.kind == OpKind::Failover);
        }
    }
    Ok(())
}

/// Writes the route owner: the only place the control plane commits it.
pub fn commit(cx: &mut Cx, op: u8, art: u8, region: u8, epoch: u8, expected: u8) {
    let w = &mut *cx.w;
    let o = w.ops[op as usize];
    let c = Commit {
        epoch,
        artifact: art,
        expected,
        op,
        validated: w.artifacts[art as usize].validated,
        db_compatible: w.artifacts[art as usize].reads & !w.db.columns == 0,
        cold_unacked: is_cold(w, art) && !o.acked,
        rollback: o.kind == OpKind::Rollback,
    };
    if let Some(slot) = w.commits.iter().position(|c| c.epoch == 0) {
        w.commits[slot] = c;
    } else {
        w.commits.rotate_left(1);
        w.commits[MAX_COMMITS - 1] = c;
    }
    w.owner = RouteOwner {
        artifact: art,
        region,
        epoch,
    };
    say!(
        cx,
        "Route owner := {} in {}, epoch {epoch} (expected {expected}).",
        ARTIFACT_NAMES[art as usize],
        REGION_NAMES[region as usize]
    );
}

/// After a promotion is healthy: allocations no one routes to any more leave.
fn retire_replaced(cx: &mut Cx, failover: bool) {
    let owner = cx.w.owner;
    let to = super::step::owner_target(cx.w);
    for i in 0..MAX_ALLOCS as u8 {
        let a = cx.w.allocs[i as usize];
        if !a.used || a.env != PROD || !a.state.running() {
            continue;
        }
        // Where the platform believes it runs (its recorded identity).
        let elsewhere = failover && a.stamped_region != owner.region;
        let routed = cx.w.pops.iter().any(|p| p.artifact == a.artifact);
        if elsewhere || (a.artifact != owner.artifact && !routed) {
            retire(cx, i, to);
        }
    }
}

pub fn deliver(cx: &mut Cx, report: u8) -> Result<(), Refusal> {
    let r = cx.w.reports[report as usize];
    if !r.used {
        return Err("no such report in flight");
    }
    if r.delayed {
        return Err("delayed: it arrives after the next tick");
    }
    cx.w.reports[report as usize] = Report::default();
    let o = cx.w.ops[r.op as usize];
    let believed =
        o.won_epoch == r.epoch && cx.w.owner.epoch == r.epoch && cx.w.owner.artifact == r.artifact;
    if believed {
        say!(
            cx,
            "Report from {} matches the records.",
            op_name(cx.w, r.op)
        );
        return Ok(());
    }
    if cx.naive(Switch::LogsAsTruth) {
        // The report is believed: it overwrites the route owner without a CAS.
        say!(
            cx,
            "Report from {} believed: \"promoted {} at epoch {}\".",
            op_name(cx.w, r.op),
            ARTIFACT_NAMES[r.artifact as usize],
            r.epoch
        );
        let region = o.region;
        commit(
            cx,
            r.op,
            r.artifact,
            region,
            r.epoch,
            r.epoch.saturating_sub(1),
        );
    } else {
        cx.w.rejected_reports = cx.w.rejected_reports.saturating_add(1);
        say!(
            cx,
            "Late report from {} rejected and recorded: its record says {}, the route is at epoch {}.",
            op_name(cx.w, r.op),
            stage_name(o.kind, o.stage),
            cx.w.owner.epoch
        );
    }
    Ok(())
}

fn in_flight(cx: &Cx, report: u8) -> Result<Report, Refusal> {
    let r = cx.w.reports[report as usize];
    if r.used {
        Ok(r)
    } else {
        Err("no such report in flight")
    }
}

pub fn lose(cx: &mut Cx, report: u8) -> Result<(), Refusal> {
    in_flight(cx, report)?;
    cx.w.reports[report as usize] = Report::default();
    say!(cx, "report#{} lost.", report + 1);
    Ok(())
}

pub fn duplicate(cx: &mut Cx, report: u8) -> Result<(), Refusal> {
    let r = in_flight(cx, report)?;
    let slot =
        cx.w.reports
            .iter()
            .position(|r| !r.used)
            .ok_or("no room for another report")?;
    cx.w.reports[slot] = r;
    say!(cx, "report#{} will arrive twice.", report + 1);
    Ok(())
}

pub fn delay(cx: &mut Cx, report: u8) -> Result<(), Refusal> {
    let r = in_flight(cx, report)?;
    if r.delayed {
        return Err("already delayed");
    }
    cx.w.reports[report as usize].delayed = true;
    say!(cx, "report#{} delayed.", report + 1);
    Ok(())
}

/// Status as the CLI shows it: from the operation's stage record.
pub fn cli_status(w: &World, op: u8) -> &'static str {
    let o = &w.ops[op as usize];
    if o.needs_ack && !o.acked && !is_terminal(o.kind, o.stage) {
        "blocked"
    } else {
        stage_name(o.kind, o.stage)
    }
}

/// Status as the console shows it. Correct: the same records as the CLI.
/// Naive (logs as truth): parsed from the worker's last log line.
pub fn console_status(w: &World, p: super::policy::Policy, op: u8) -> &'static str {
    let o = &w.ops[op as usize];
    if p.naive(Switch::LogsAsTruth) {
        let promotion = matches!(
            o.kind,
            OpKind::Promote | OpKind::Rollback | OpKind::Failover
        );
        if promotion && o.logged_ahead && o.stage != FAILED {
            return "healthy";
        }
        if o.kind == OpKind::Wake && o.alloc > 0 && w.allocs[o.alloc as usize - 1].logged_listening
        {
            return "hot";
        }
    }
    cli_status(w, op)
}

/// The allocation a promotion started, for the UI.
pub fn started_alloc(w: &World, op: u8) -> Option<String> {
    let a = w.ops[op as usize].alloc;
    (a > 0).then(|| alloc_name(a - 1))
}
