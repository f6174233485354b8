//! Faults around promotion: a racing CAS, a late report, a crashing worker, a region failover.

use super::lifecycle::{AllocLife, PromotionStage as P, Res, Stage, Why};
use super::narrate::{LogEntry, Say};
use super::policy::{AntiPattern, Policy};
use super::promote::commit;
use super::world::*;

/// Fault: a second promotion that read the same epoch tries its CAS, and loses.
pub fn race(w: &mut World, p: &Policy, say: &mut Say) -> Res<()> {
    let latest = *w
        .operations
        .iter()
        .rev()
        .find(|o| o.kind.is_promotion())
        .ok_or(Why("No promotion to race with."))?;
    let owner = *w.owner(Env::Production);
    if latest.committed_epoch() != Some(owner.epoch) {
        return Err(Why(
            "The latest promotion has not committed the current epoch.",
        ));
    }
    if w.operations
        .iter()
        .any(|o| o.note == OpNote::CasRejected && o.read_epoch == latest.read_epoch)
    {
        return Err(Why("That race was already run."));
    }
    let rival = (0..w.artifacts.len() as u8)
        .find(|&a| {
            a != owner.artifact
                && a != latest.artifact
                && w.validated(a)
                && !w.artifact(a).is_some_and(|x| x.was_owner)
        })
        .ok_or(Why("No other validated artifact could race."))?;
    let op = w.new_op(OpKind::Promote, rival, latest.read_epoch)?;
    w.record(p, op, Stage::Promotion(P::Requested))?;
    w.record(p, op, Stage::Promotion(P::PolicyCheck))?;
    w.record(p, op, Stage::Promotion(P::RouteCas))?;
    w.record(p, op, Stage::Promotion(P::Failed))?;
    if let Some(o) = w.op_mut(op) {
        o.note = OpNote::CasRejected;
    }
    let region = owner.place.region.unwrap_or(0);
    w.log(
        p,
        region,
        LogEntry::CasRejected {
            op,
            found: owner.epoch,
        },
    );
    say.add(format_args!(
        "Two promotions read epoch {}. op {} already committed epoch {}; op {op} (artifact {}) tried \"owner := {}, epoch := {} if epoch is still {}\" and the CAS rejected it, recorded on its operation.",
        latest.read_epoch, latest.id, owner.epoch, artifact_name(rival), artifact_name(rival), owner.epoch, latest.read_epoch
    ));
    Ok(())
}

/// Fault: the losing worker reports success late.
pub fn late_report(w: &mut World, p: &Policy, say: &mut Say) -> Res<()> {
    let loser = *w
        .operations
        .iter()
        .rev()
        .find(|o| {
            o.kind.is_promotion() && matches!(o.note, OpNote::CasRejected | OpNote::Superseded)
        })
        .ok_or(Why("No superseded operation is left to report late."))?;
    let region = w.owner(Env::Production).place.region.unwrap_or(0);
    if p.is_naive(AntiPattern::LogsAsTruth) {
        w.log(
            p,
            region,
            LogEntry::LateReport {
                op: loser.id,
                accepted: true,
            },
        );
        let digest = w.artifact(loser.artifact).map(|a| a.digest).unwrap_or(0);
        let owner = &mut w.route_owners[Env::Production.ix()];
        let epoch = loser.read_epoch.saturating_add(1);
        *owner = RouteOwner {
            artifact: loser.artifact,
            digest,
            place: owner.place,
            epoch,
        };
        if let Some(o) = w.op_mut(loser.id) {
            let _ = o.stages.push(Stage::Promotion(P::Healthy));
            o.note = OpNote::LateReportAccepted;
        }
        say.add(format_args!(
            "op {}'s worker logged \"promoted\" late and the log was believed: the route owner was overwritten to artifact {} at epoch {epoch}.",
            loser.id,
            artifact_name(loser.artifact)
        ));
    } else {
        w.log(
            p,
            region,
            LogEntry::LateReport {
                op: loser.id,
                accepted: false,
            },
        );
        if let Some(o) = w.op_mut(loser.id) {
            o.note = OpNote::LateReportRejected;
        }
        say.add(format_args!(
            "op {}'s worker reported success late; its CAS had lost, so the report was rejected and recorded on the operation. The route owner did not change.",
            loser.id
        ));
    }
    Ok(())
}

/// Fault: a promotion worker logs "healthy" and dies before its stage record.
pub fn worker_crash(w: &mut World, p: &Policy, say: &mut Say) -> Res<()> {
    let op = *w
        .operations
        .iter()
        .rev()
        .find(|o| o.stage() == Some(Stage::Promotion(P::EdgePropagating)) && o.note == OpNote::None)
        .ok_or(Why(
            "No promotion worker is between its log line and its stage record.",
        ))?;
    let region = w.owner(Env::Production).place.region.unwrap_or(0);
    w.log(
        p,
        region,
        LogEntry::Stage {
            op: op.id,
            stage: Stage::Promotion(P::Healthy),
        },
    );
    w.log(p, region, LogEntry::WorkerCrashed { op: op.id });
    if let Some(o) = w.op_mut(op.id) {
        o.note = OpNote::WorkerCrashed;
    }
    say.add(format_args!(
        "op {}'s worker logged \"healthy\" and crashed before writing that stage record; the record still says edge_propagating, and a reconciler will finish it.",
        op.id
    ));
    Ok(())
}

/// Fault: the primary region fails; the route moves to the other region by CAS.
pub fn failover(w: &mut World, p: &Policy, say: &mut Say) -> Res<()> {
    let owner = *w.owner(Env::Production);
    let from = owner.place.region.unwrap_or(0);
    let to = w
        .regions
        .iter()
        .find(|r| r.id != from && !r.failed)
        .map(|r| r.id)
        .ok_or(Why("There is no second healthy region to fail over to."))?;
    if w.wake != super::lifecycle::WakeStage::Hot {
        return Err(Why("The app is not hot; nothing is serving to fail over."));
    }
    let target = w
        .allocations
        .iter()
        .find(|x| {
            x.env == Env::Production
                && x.artifact == owner.artifact
                && x.life == AllocLife::Ready
                && x.healthy
                && x.place.region != Some(from)
        })
        .map(|x| x.id)
        .ok_or(Why(
            "The other region has no ready allocation of the route owner's artifact yet.",
        ))?;
    if let Some(r) = w.regions.iter_mut().find(|r| r.id == from) {
        r.failed = true;
    }
    w.log(p, to, LogEntry::RegionFailed { region: from });
    let lost: Vec<u8> = w
        .allocations
        .iter()
        .filter(|x| x.life.is_running() && x.place.region != Some(to) && x.id != target)
        .map(|x| x.id)
        .collect();
    for id in &lost {
        w.alloc_go(*id, AllocLife::Failed)?;
    }
    let op = w.new_op(OpKind::Failover, owner.artifact, owner.epoch)?;
    w.record(p, op, Stage::Promotion(P::Requested))?;
    w.record(p, op, Stage::Promotion(P::PolicyCheck))?;
    w.record(p, op, Stage::Promotion(P::RouteCas))?;
    commit(
        w,
        Env::Production,
        owner.artifact,
        Place::at(to),
        owner.epoch,
    )?;
    w.record(p, op, Stage::Promotion(P::EdgePropagating))?;
    say.add(format_args!(
        "Region {} failed. The route owner moved to {} by CAS (epoch {} → {}).",
        region_name(from),
        region_name(to),
        owner.epoch,
        owner.epoch.saturating_add(1)
    ));
    if p.is_naive(AntiPattern::SessionsTeleport) {
        let mut moved = 0;
        for s in w
            .sessions
            .iter_mut()
            .filter(|s| lost.contains(&s.allocation))
        {
            s.allocation = target;
            s.notice = SessionNotice::Moved;
            moved += 1;
        }
        say.add(format_args!(
            "{moved} session(s) were shown as \"moved\" to the other region."
        ));
    } else {
        let (resumed, fresh) =
            super::runtime::reattach(w, |s| lost.contains(&s.allocation), target);
        say.add(format_args!(
            "Their live sessions could not move: {resumed} resumed from the session store and {fresh} started fresh, and each user was told which."
        ));
    }
    Ok(())
}
