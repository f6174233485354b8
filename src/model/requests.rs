//! Requests and wake (scale to zero): safe requests are held, unsafe ones are
//! replayed only with an idempotency key and a bound idempotency store.

use super::lifecycle::{AllocLife, Res, Stage, WakeStage, Why};
use super::narrate::{LogEntry, Say};
use super::policy::{AntiPattern, Policy};
use super::world::*;

/// Runs a mutation through the idempotency store.
fn apply_mutation(w: &mut World, kind: RequestKind, key: bool) -> Outcome {
    let Some(ix) = kind.mutation_ix() else {
        return Outcome::Served;
    };
    let bit = 1u8 << ix;
    let store = w.idempotency_store.is_some();
    if key && store && w.idempotency_keys & bit != 0 {
        return Outcome::Attached;
    }
    w.db.applied[ix] = w.db.applied[ix].saturating_add(1);
    if key && store {
        w.idempotency_keys |= bit;
    }
    if w.db.applied[ix] == 1 {
        Outcome::AppliedOnce
    } else {
        Outcome::AppliedTwice
    }
}

fn push_request(w: &mut World, r: Request) -> Res<()> {
    if w.requests.is_full() {
        let i = w
            .requests
            .iter()
            .position(|r| r.outcome != Outcome::Held)
            .ok_or(Why("Too many requests are held."))?;
        w.requests.remove(i);
    }
    w.requests.push(r);
    Ok(())
}

/// Starts a wake if none is under way; otherwise the request joins the current one.
fn ensure_wake(w: &mut World, p: &Policy, say: &mut Say) -> Res<()> {
    if w.wake.is_waking() {
        say.add(format_args!(
            "It joins the wake already in progress: one wake operation per app, duplicates coalesce."
        ));
        return Ok(());
    }
    let owner = *w.owner(Env::Production);
    let region = w.owner_region();
    let next = w.wake.go(WakeStage::WakeRequested)?;
    let op = w.new_op(OpKind::Wake, owner.artifact, owner.epoch)?;
    w.record(p, op, Stage::Wake(WakeStage::WakeRequested))?;
    let alloc = w.new_allocation(p, owner.artifact, Env::Production, region)?;
    w.alloc_go(alloc, AllocLife::Pulling)?;
    w.wake = next;
    w.wake_op = Some(op);
    w.wake_allocation = Some(alloc);
    say.add(format_args!(
        "The app was asleep, so wake op {op} started alloc-{alloc} of the current route owner's artifact {}.",
        artifact_name(owner.artifact)
    ));
    Ok(())
}

/// A request arrives (or, with `retry`, the provider's retry of the last webhook).
pub fn send(
    w: &mut World,
    p: &Policy,
    kind: RequestKind,
    key: bool,
    retry: bool,
    say: &mut Say,
) -> Res<()> {
    if !retry {
        if kind.mutation_ix().is_some_and(|ix| w.db.applied[ix] > 0) {
            return Err(Why(
                "That mutation already ran once; sending it again would be a different mutation.",
            ));
        }
        if w.requests
            .iter()
            .any(|r| r.kind == kind && r.outcome == Outcome::Held)
        {
            return Err(Why(
                "A request of that kind is already held; wait for its answer.",
            ));
        }
    }
    let mut id = w.next_request;
    while w.requests.iter().any(|r| r.id == id) {
        id = id.wrapping_add(1);
    }
    w.next_request = id.wrapping_add(1);
    let mut req = Request {
        id,
        kind,
        idempotency_key: key,
        retry,
        outcome: Outcome::Held,
        allocation: None,
    };
    let what = if retry {
        "The provider's retry of the payment webhook".to_string()
    } else {
        format!("A {}", kind.name())
    };
    if w.wake == WakeStage::Hot {
        match w.route_target(p) {
            Some(t) => {
                req.allocation = Some(t);
                req.outcome = if kind.is_unsafe() {
                    apply_mutation(w, kind, key)
                } else {
                    Outcome::Served
                };
                let region = w.allocation(t).and_then(|a| a.place.region).unwrap_or(0);
                w.log(
                    p,
                    region,
                    LogEntry::Served {
                        request: id,
                        allocation: t,
                    },
                );
                say.add(format_args!(
                    "{what} (req-{id}) was handled by alloc-{t}: {}.",
                    outcome_text(req.outcome)
                ));
            }
            None => {
                req.outcome = Outcome::RetryLater;
                say.add(format_args!(
                    "{what} (req-{id}) found no eligible allocation and got a clear 503 with Retry-After."
                ));
            }
        }
        return push_request(w, req);
    }
    say.add(format_args!(
        "{what} (req-{id}) arrived while the app was not hot."
    ));
    ensure_wake(w, p, say)?;
    let store = w.idempotency_store.is_some();
    req.outcome = if !kind.is_unsafe() {
        say.add(format_args!(
            "A safe GET is held within the wake budget and will be served once the app is hot."
        ));
        Outcome::Held
    } else if retry
        && key
        && store
        && w.requests
            .iter()
            .any(|r| r.kind == kind && r.idempotency_key && r.outcome == Outcome::Held)
    {
        say.add(format_args!(
            "Its idempotency key matches the held webhook, so the retry attaches to it."
        ));
        Outcome::Attached
    } else if p.is_naive(AntiPattern::UnsafeWakeReplay) {
        say.add(format_args!(
            "The naive wake buffered the unsafe body to replay it later, key or not."
        ));
        Outcome::Held
    } else if key && store {
        say.add(format_args!(
            "It carries an idempotency key and the idempotency store is bound, so it is held and will run exactly once."
        ));
        Outcome::Held
    } else {
        say.add(format_args!(
            "An unsafe request without {} is never buffered: it got a controlled 503 with Retry-After, so the sender's own retry is the only retry.",
            if key { "a bound idempotency store" } else { "an idempotency key" }
        ));
        Outcome::RetryLater
    };
    push_request(w, req)
}

fn outcome_text(o: Outcome) -> &'static str {
    match o {
        Outcome::Held => "held",
        Outcome::Served => "served",
        Outcome::RetryLater => "503, retry later",
        Outcome::AppliedOnce => "the mutation ran once",
        Outcome::AppliedTwice => "the mutation ran a SECOND time",
        Outcome::Attached => "its idempotency key attached it to the first mutation",
    }
}

/// Fault: the payment provider retries the last webhook it did not get a 2xx for.
pub fn provider_retry(w: &mut World, p: &Policy, say: &mut Say) -> Res<()> {
    let last = *w
        .requests
        .iter()
        .rev()
        .find(|r| r.kind == RequestKind::Webhook)
        .ok_or(Why("The provider has sent no webhook yet."))?;
    if !matches!(last.outcome, Outcome::Held | Outcome::RetryLater) {
        return Err(Why(
            "The provider already got an answer for its webhook; it does not retry.",
        ));
    }
    send(w, p, RequestKind::Webhook, last.idempotency_key, true, say)
}

/// Held requests are answered once the app is hot (or failed).
fn release_held(w: &mut World, p: &Policy, say: &mut Say) {
    let target = if w.wake == WakeStage::Hot {
        w.route_target(p)
    } else {
        None
    };
    let held: Vec<usize> = (0..w.requests.len())
        .filter(|&i| w.requests.as_slice()[i].outcome == Outcome::Held)
        .collect();
    for i in held {
        let r = w.requests.as_slice()[i];
        let outcome = match target {
            None => Outcome::RetryLater,
            Some(_) if r.kind.is_unsafe() => apply_mutation(w, r.kind, r.idempotency_key),
            Some(_) => Outcome::Served,
        };
        if let Some(x) = w.requests.as_mut_slice().get_mut(i) {
            x.outcome = outcome;
            x.allocation = target.filter(|_| outcome != Outcome::RetryLater);
        }
        say.add(format_args!(
            "Held req-{} ({}): {}.",
            r.id,
            r.kind.name(),
            outcome_text(outcome)
        ));
    }
}

/// Time passes: allocations progress one lifecycle stage, health checks pass, the wake advances.
pub fn advance(w: &mut World, p: &Policy, say: &mut Say) -> Res<()> {
    let mut moved = 0;
    for a in w.allocations.iter_mut() {
        let next = match a.life {
            AllocLife::Planned => Some(AllocLife::Pulling),
            AllocLife::Pulling => Some(AllocLife::Starting),
            AllocLife::Starting => Some(AllocLife::Ready),
            _ => None,
        };
        if let Some(to) = next {
            a.life = a.life.go(to)?;
            moved += 1;
        } else if a.life == AllocLife::Ready && !a.healthy {
            a.healthy = true;
            moved += 1;
        }
    }
    if moved == 0 {
        return Err(Why("Nothing is waiting on time right now."));
    }
    say.add(format_args!(
        "Time passed: {moved} allocation(s) moved on in their lifecycle or passed a health check."
    ));
    if !w.wake.is_waking() {
        return Ok(());
    }
    let alloc = w.wake_allocation.and_then(|id| w.allocation(id)).copied();
    let target = match alloc {
        Some(a) if a.life == AllocLife::Ready && a.healthy => WakeStage::Hot,
        Some(a) if a.life == AllocLife::Ready => WakeStage::ReadinessWait,
        Some(a) if a.life.is_running() => WakeStage::Starting,
        _ => return Ok(()),
    };
    let next = match w.wake {
        WakeStage::WakeRequested => WakeStage::Starting,
        WakeStage::Starting => WakeStage::ReadinessWait,
        WakeStage::ReadinessWait => WakeStage::Hot,
        other => other,
    };
    let step_to = if rank(next) <= rank(target) {
        next
    } else {
        return Ok(());
    };
    w.wake = w.wake.go(step_to)?;
    if let Some(op) = w.wake_op {
        w.record(p, op, Stage::Wake(step_to))?;
    }
    match step_to {
        WakeStage::Hot => {
            say.add(format_args!(
                "Readiness passed, and only now is the app hot."
            ));
            release_held(w, p, say);
        }
        WakeStage::ReadinessWait => say.add(format_args!(
            "The wake waits for readiness; the app is not hot yet."
        )),
        _ => say.add(format_args!("The wake is starting the allocation.")),
    }
    Ok(())
}

fn rank(s: WakeStage) -> u8 {
    match s {
        WakeStage::WakeRequested => 1,
        WakeStage::Starting => 2,
        WakeStage::ReadinessWait => 3,
        WakeStage::Hot => 4,
        _ => 0,
    }
}

/// Fault: the waking allocation never passes readiness.
pub fn readiness_timeout(w: &mut World, p: &Policy, say: &mut Say) -> Res<()> {
    if w.wake != WakeStage::ReadinessWait {
        return Err(Why("No wake is waiting on readiness."));
    }
    if let Some(id) = w.wake_allocation {
        w.alloc_go(id, AllocLife::Failed)?;
    }
    w.wake = w.wake.go(WakeStage::Failed)?;
    if let Some(op) = w.wake_op {
        w.record(p, op, Stage::Wake(WakeStage::Failed))?;
    }
    w.wake_allocation = None;
    say.add(format_args!(
        "Readiness timed out: the wake failed and the app was never marked hot."
    ));
    release_held(w, p, say);
    say.add(format_args!(
        "Past the wake budget, held requests got a clear 503 with Retry-After."
    ));
    Ok(())
}
