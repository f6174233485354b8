//! The edge's durable consumer: apply in order, ignore stale or duplicate epochs,
//! fail closed on a sequence gap and resume from a verified snapshot.

use super::lifecycle::{AllocLife, PromotionStage as P, Res, Stage, WakeStage, Why};
use super::narrate::{LogEntry, Say};
use super::policy::{AntiPattern, Policy};
use super::world::*;

/// Applies an event to the edge's view of its key (no checks: callers decide).
fn apply_event(w: &mut World, e: Event) {
    let k = &mut w.edge.keys[e.key.ix()];
    k.last_applied_epoch = e.epoch;
    k.artifact = e.artifact;
    k.region = e.region;
    k.last_seq = e.seq;
    k.applies = k.applies.saturating_add(1);
}

/// After the edge switched production: drain replaced allocations, finish promotions.
fn after_production_switch(w: &mut World, p: &Policy, say: &mut Say) -> Res<()> {
    let edge = w.edge.keys[Env::Production.ix()];
    let old: Vec<u8> = w
        .allocations
        .iter()
        .filter(|a| {
            a.env == Env::Production && a.life == AllocLife::Ready && a.artifact != edge.artifact
        })
        .map(|a| a.id)
        .collect();
    for id in &old {
        w.alloc_go(*id, AllocLife::Draining)?;
        for s in w.sessions.iter_mut().filter(|s| s.allocation == *id) {
            s.notice = SessionNotice::DrainingInPlace;
        }
        say.add(format_args!(
            "alloc-{id} is replaced and draining: its sessions stay attached until they reconnect, close, or hit the drain deadline."
        ));
    }
    let pending: Vec<Operation> = w
        .operations
        .iter()
        .filter(|o| o.stage() == Some(Stage::Promotion(P::EdgePropagating)))
        .copied()
        .collect();
    for o in pending {
        let Some(epoch) = o.committed_epoch() else {
            continue;
        };
        if epoch > edge.last_applied_epoch {
            continue;
        }
        let crashed = w.wake == WakeStage::Hot
            && !w.allocations.iter().any(|a| {
                a.env == Env::Production && a.artifact == o.artifact && a.life == AllocLife::Ready
            });
        let (stage, note) = if epoch < edge.last_applied_epoch {
            (P::Failed, OpNote::Superseded)
        } else if crashed {
            (P::Failed, OpNote::AllocationCrashed)
        } else {
            (P::Healthy, o.note)
        };
        w.record(p, o.id, Stage::Promotion(stage))?;
        if let Some(x) = w.op_mut(o.id) {
            x.note = note;
        }
        say.add(format_args!(
            "op {} {}: {}.",
            o.id,
            o.kind.name(),
            Stage::Promotion(stage).name()
        ));
    }
    Ok(())
}

fn switched(before: &EdgeKey, after: &EdgeKey) -> bool {
    (
        before.last_applied_epoch,
        before.artifact,
        before.region,
        before.applies,
    ) != (
        after.last_applied_epoch,
        after.artifact,
        after.region,
        after.applies,
    )
}

/// The consumer takes the next event.
pub fn deliver(w: &mut World, p: &Policy, say: &mut Say) -> Res<()> {
    let cursor = w.edge.cursor;
    let next = *w
        .events
        .iter()
        .find(|e| e.seq > cursor)
        .ok_or(Why("The edge has consumed every event on the stream."))?;
    let before = w.edge.keys;
    let naive = p.is_naive(AntiPattern::EventBusAsDatabase);
    if next.seq != cursor.wrapping_add(1) && !naive {
        // Fail closed, then resume from a verified snapshot of the control database.
        let latest = w.next_seq.wrapping_sub(1);
        for key in [Env::Production, Env::Preview] {
            let o = *w.owner(key);
            let k = &mut w.edge.keys[key.ix()];
            if o.epoch > k.last_applied_epoch {
                *k = EdgeKey {
                    last_applied_epoch: o.epoch,
                    artifact: o.artifact,
                    region: o.place.region.unwrap_or(0),
                    last_seq: latest,
                    applies: k.applies.saturating_add(1),
                };
            } else {
                k.last_seq = latest;
            }
        }
        w.edge.cursor = latest;
        w.edge.snapshot_seq = latest;
        let region = w.owner(Env::Production).place.region.unwrap_or(0);
        w.log(p, region, LogEntry::EdgeSnapshot { seq: latest });
        say.add(format_args!(
            "The edge expected seq {} but the stream starts at {}: it stopped applying (fail closed), loaded a verified snapshot of the route owners at seq {latest}, and resumes at seq {}.",
            cursor.wrapping_add(1),
            next.seq,
            latest.wrapping_add(1)
        ));
    } else if naive || next.epoch > before[next.key.ix()].last_applied_epoch {
        apply_event(w, next);
        w.edge.cursor = next.seq;
        say.add(format_args!(
            "The edge applied event #{} for {}: artifact {} at epoch {}, then acknowledged it.",
            next.seq,
            next.key.name(),
            artifact_name(next.artifact),
            next.epoch
        ));
    } else {
        w.edge.cursor = next.seq;
        say.add(format_args!(
            "Event #{} carries epoch {}, not newer than the applied epoch {}: ignored as stale and acknowledged.",
            next.seq,
            next.epoch,
            before[next.key.ix()].last_applied_epoch
        ));
    }
    if switched(
        &before[Env::Production.ix()],
        &w.edge.keys[Env::Production.ix()],
    ) {
        after_production_switch(w, p, say)?;
    }
    Ok(())
}

/// Fault: the stream redelivers the last acknowledged event.
pub fn redeliver(w: &mut World, p: &Policy, say: &mut Say) -> Res<()> {
    let cursor = w.edge.cursor;
    let e = *w
        .events
        .iter()
        .find(|e| e.seq == cursor)
        .ok_or(Why("The last acknowledged event is no longer retained."))?;
    if p.is_naive(AntiPattern::EventBusAsDatabase) {
        let before = w.edge.keys[Env::Production.ix()];
        apply_event(w, e);
        say.add(format_args!(
            "Event #{} arrived again and the naive edge applied it a second time.",
            e.seq
        ));
        if switched(&before, &w.edge.keys[Env::Production.ix()]) {
            after_production_switch(w, p, say)?;
        }
    } else {
        say.add(format_args!(
            "Event #{} arrived again; its epoch {} is not newer than the applied one, so the edge ignored the duplicate.",
            e.seq, e.epoch
        ));
    }
    Ok(())
}

/// Fault: retention drops the unconsumed events but the newest, and the consumer restarts.
pub fn retention_drop(w: &mut World, p: &Policy, say: &mut Say) -> Res<()> {
    let cursor = w.edge.cursor;
    let unconsumed = w.events.iter().filter(|e| e.seq > cursor).count();
    if unconsumed < 2 {
        return Err(Why(
            "Retention can only open a gap when at least two events are unconsumed.",
        ));
    }
    let newest = w.events.last().map(|e| e.seq).unwrap_or(0);
    w.events.retain(|e| e.seq <= cursor || e.seq == newest);
    say.add(format_args!(
        "Retention dropped {} unconsumed event(s) before #{newest}, and the consumer restarted.",
        unconsumed - 1
    ));
    if p.is_naive(AntiPattern::EventBusAsDatabase) {
        // No durable cursor: it starts over from whatever is retained.
        let first = w.events.iter().next().map(|e| e.seq).unwrap_or(1);
        w.edge.cursor = first.saturating_sub(1);
        say.add(format_args!(
            "Without a durable cursor it starts again from event #{first}."
        ));
    } else {
        say.add(format_args!(
            "Its durable consumer remembers it acknowledged #{cursor}."
        ));
    }
    Ok(())
}
