//! The event stream and the edge POPs: durable consumers with their own
//! cursors, the route-event decision, fail closed on a gap, snapshots, and
//! routing a production request.

use super::action::alloc_name;
use super::decide::{route_event, EventDecision};
use super::policy::Switch;
use super::step::{reads_ok, say, Cx, Refusal};
use super::world::*;

/// Publishes a committed change; returns its sequence.
pub fn publish(cx: &mut Cx, epoch: u8, artifact: u8) -> u8 {
    let seq = cx.w.next_seq;
    cx.w.next_seq = seq.saturating_add(1);
    let slot =
        cx.w.events
            .iter()
            .position(|e| e.seq == 0)
            .unwrap_or_else(|| {
                // Full: the oldest event leaves (retention).
                (0..MAX_EVENTS)
                    .min_by_key(|&i| cx.w.events[i].seq)
                    .unwrap_or(0)
            });
    cx.w.events[slot] = Event {
        seq,
        epoch,
        artifact,
        age: 0,
    };
    seq
}

/// The retained event with sequence `seq`.
pub fn event(w: &World, seq: u8) -> Option<Event> {
    w.events.iter().copied().find(|e| e.seq == seq && seq != 0)
}

/// The first retained event after `cursor`.
fn next_available(w: &World, cursor: u8) -> Option<Event> {
    w.events
        .iter()
        .copied()
        .filter(|e| e.seq > cursor)
        .min_by_key(|e| e.seq)
}

/// The event `pop` would consume next, or why it cannot.
pub fn next_to_consume(w: &World, pop: u8) -> Result<Event, Refusal> {
    let p = &w.pops[pop as usize];
    if p.fail_closed {
        return Err("fail closed: it needs a verified snapshot first");
    }
    next_available(w, p.cursor).ok_or("no event to consume")
}

pub fn consume(cx: &mut Cx, pop: u8) -> Result<(), Refusal> {
    let ev = next_to_consume(cx.w, pop)?;
    let p = cx.w.pops[pop as usize];
    let name = POP_NAMES[pop as usize];
    let decision = if cx.naive(Switch::EventBusAsDatabase) {
        EventDecision::Apply // whatever the bus delivers is the truth
    } else {
        route_event(p.applied_epoch, p.cursor, ev.epoch, ev.seq)
    };
    let pp = &mut cx.w.pops[pop as usize];
    match decision {
        EventDecision::Apply => {
            let bit = 1u16 << (ev.seq.min(15));
            pp.skipped_gap |= ev.seq > pp.cursor + 1;
            pp.double_applied |= pp.applied_seqs & bit != 0;
            pp.rewound |= ev.epoch < pp.max_epoch;
            pp.applied_seqs |= bit;
            pp.max_epoch = pp.max_epoch.max(ev.epoch);
            pp.applied_epoch = ev.epoch;
            pp.artifact = ev.artifact;
            pp.cursor = ev.seq;
            say!(
                cx,
                "{name} applied seq {} (epoch {}): routes to {}; acked.",
                ev.seq,
                ev.epoch,
                ARTIFACT_NAMES[ev.artifact as usize]
            );
        }
        EventDecision::Ignore => {
            pp.cursor = pp.cursor.max(ev.seq);
            say!(
                cx,
                "{name} ignored seq {} (epoch {} is not newer than {}); acked.",
                ev.seq,
                ev.epoch,
                p.applied_epoch
            );
        }
        EventDecision::FailClosed => {
            pp.fail_closed = true;
            say!(
                cx,
                "{name} sees a gap (next is seq {}, got seq {}): fails closed for this key.",
                p.cursor + 1,
                ev.seq
            );
        }
    }
    Ok(())
}

pub fn may_load_snapshot(w: &World, pop: u8) -> Result<(), Refusal> {
    if !w.pops[pop as usize].fail_closed {
        return Err("only a fail-closed POP loads a snapshot");
    }
    Ok(())
}

pub fn snapshot(cx: &mut Cx, pop: u8) -> Result<(), Refusal> {
    may_load_snapshot(cx.w, pop)?;
    let owner = cx.w.owner;
    let seq = cx.w.next_seq - 1;
    let p = &mut cx.w.pops[pop as usize];
    p.fail_closed = false;
    p.rewound |= owner.epoch < p.max_epoch;
    p.max_epoch = p.max_epoch.max(owner.epoch);
    p.applied_epoch = owner.epoch;
    p.artifact = owner.artifact;
    p.cursor = seq;
    say!(
        cx,
        "{} loaded a verified snapshot (epoch {}, seq {seq}); resumes at seq {}.",
        POP_NAMES[pop as usize],
        owner.epoch,
        seq + 1
    );
    Ok(())
}

pub fn redeliver(cx: &mut Cx, pop: u8) -> Result<(), Refusal> {
    let p = cx.w.pops[pop as usize];
    if p.cursor == 0 || event(cx.w, p.cursor).is_none() {
        return Err("no acknowledged event to redeliver");
    }
    cx.w.pops[pop as usize].cursor -= 1;
    say!(
        cx,
        "{}'s ack of seq {} was lost: the stream will redeliver it.",
        POP_NAMES[pop as usize],
        p.cursor
    );
    Ok(())
}

/// A consumer restart. Correct: the durable consumer keeps its cursor and
/// applied epoch. Naive (event bus as database): it replays the stream from
/// the oldest retained event, as if the stream were the truth.
pub fn restart(cx: &mut Cx, pop: u8) -> Result<(), Refusal> {
    let name = POP_NAMES[pop as usize];
    if cx.naive(Switch::EventBusAsDatabase) {
        let first =
            cx.w.events
                .iter()
                .filter(|e| e.seq > 0)
                .map(|e| e.seq)
                .min()
                .ok_or("nothing retained to replay")?;
        if cx.w.pops[pop as usize].cursor < first {
            return Err("nothing retained to replay");
        }
        cx.w.pops[pop as usize].cursor = first - 1;
        say!(
            cx,
            "{name} restarted and replays the stream from seq {first}."
        );
    } else {
        let p = cx.w.pops[pop as usize];
        if p.cursor == 0 {
            return Err("nothing to restart from");
        }
        say!(
            cx,
            "{name} restarted; its durable cursor is still seq {}.",
            p.cursor
        );
    }
    Ok(())
}

pub fn retention_drop(cx: &mut Cx) -> Result<(), Refusal> {
    let i = (0..MAX_EVENTS)
        .filter(|&i| cx.w.events[i].seq > 0)
        .min_by_key(|&i| cx.w.events[i].seq)
        .ok_or("the stream is empty")?;
    let seq = cx.w.events[i].seq;
    cx.w.events[i] = Event::default();
    say!(cx, "The stream dropped seq {seq} (retention).");
    Ok(())
}

pub fn tick(cx: &mut Cx) {
    let retention = cx.w.q.retention;
    for e in cx.w.events.iter_mut().filter(|e| e.seq > 0) {
        e.age = (e.age + 1).min(15);
        if e.age > retention {
            *e = Event::default();
        }
    }
}

/// The allocation a POP routes a production request to. Correct: a ready
/// production allocation of the artifact the POP applied (its own region
/// first). Naive (routing by healthy backend): the newest healthy allocation.
pub fn route(cx: &Cx, pop: u8) -> Option<u8> {
    let w = &*cx.w;
    let p = &w.pops[pop as usize];
    let up =
        |a: &Alloc| a.used && a.state == AllocState::Ready && w.regions[a.region() as usize].up;
    if cx.naive(Switch::RoutingByHealthyBackend) {
        // Service discovery's pick: the newest healthy instance, whatever it runs.
        return (0..MAX_ALLOCS as u8)
            .rev()
            .filter(|&i| up(&w.allocs[i as usize]))
            .min_by_key(|&i| w.allocs[i as usize].age);
    }
    let ok = |i: &u8| {
        let a = &w.allocs[*i as usize];
        up(a) && a.env == PROD && a.artifact == p.artifact
    };
    let near = (0..MAX_ALLOCS as u8)
        .filter(ok)
        .find(|&i| w.allocs[i as usize].region() == pop);
    near.or_else(|| (0..MAX_ALLOCS as u8).find(ok))
}

pub fn get(cx: &mut Cx, pop: u8) -> Result<(), Refusal> {
    if cx.w.wake != WakeState::Hot {
        return super::wake::arrive_get(cx);
    }
    let name = POP_NAMES[pop as usize];
    if cx.w.pops[pop as usize].fail_closed {
        say!(
            cx,
            "{name}: 503, the route is fail-closed until a snapshot."
        );
        return Ok(());
    }
    let Some(i) = route(cx, pop) else {
        say!(cx, "{name}: 503, no ready allocation for the route.");
        return Ok(());
    };
    let a = cx.w.allocs[i as usize];
    let epoch = cx.w.pops[pop as usize].applied_epoch;
    let p = &mut cx.w.pops[pop as usize];
    p.last_served = Some((a.artifact, epoch));
    p.served_preview |= a.env == PREVIEW;
    if reads_ok(cx.w, a.artifact) {
        say!(
            cx,
            "GET via {name} served by {} ({}).",
            alloc_name(i),
            ARTIFACT_NAMES[a.artifact as usize]
        );
    } else {
        cx.w.failed_requests = cx.w.failed_requests.saturating_add(1);
        say!(
            cx,
            "GET via {name}: 500 from {}: it reads a column the database no longer has.",
            alloc_name(i)
        );
    }
    Ok(())
}
