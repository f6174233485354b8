//! Scale to zero and wake: one wake operation per app (duplicates coalesce),
//! it starts the current owner's artifact, never hot before readiness; safe
//! requests are held within the wake budget, unsafe ones are never replayed
//! without an idempotency key and store.

use super::action::op_name;
use super::decide::{wake_request, WakeAnswer};
use super::lifecycle::is_terminal;
use super::policy::Switch;
use super::step::{looks_ready, new_op, record, say, start_alloc, Cx, Refusal};
use super::world::*;

/// The wake in flight, if any (one per app).
pub fn wake_op(w: &World) -> Option<u8> {
    (0..MAX_OPS as u8).find(|&i| {
        let o = &w.ops[i as usize];
        o.used && o.kind == OpKind::Wake && !is_terminal(o.kind, o.stage)
    })
}

/// A request arrived while not hot: start a wake unless one is in flight.
fn ensure_wake(cx: &mut Cx) -> Result<(), Refusal> {
    if let Some(op) = wake_op(cx.w) {
        say!(cx, "Coalesced into {}.", op_name(cx.w, op));
        return Ok(());
    }
    let owner = cx.w.owner.artifact;
    new_op(cx, OpKind::Wake, Actor::System, owner)?;
    cx.w.wake = WakeState::WakeRequested;
    Ok(())
}

fn add_request(cx: &mut Cx, r: Request) -> Result<u8, Refusal> {
    let slot =
        cx.w.requests
            .iter()
            .position(|q| !q.used)
            .ok_or("the request table is full (this model keeps three)")?;
    cx.w.requests[slot] = Request { used: true, ..r };
    Ok(slot as u8)
}

pub fn arrive_get(cx: &mut Cx) -> Result<(), Refusal> {
    let answer = wake_request(false, false, false, false);
    debug_assert_eq!(answer, WakeAnswer::Hold);
    let r = add_request(
        cx,
        Request {
            kind: ReqKind::Get,
            state: ReqState::Held,
            ..Request::default()
        },
    )?;
    say!(
        cx,
        "GET while {}: held (req#{}) within the wake budget.",
        cx.w.wake.name(),
        r + 1
    );
    ensure_wake(cx)
}

/// Charges a payment, through the idempotency store when the request has a key.
fn charge(cx: &mut Cx, payment: u8, key: bool, check_store: bool) {
    let bit = 1 << payment;
    if check_store && key && cx.w.idempotency_store.bound {
        if cx.w.idem_seen & bit != 0 {
            say!(
                cx,
                "pay-{}: already processed (idempotency key): not charged again.",
                payment + 1
            );
            return;
        }
        cx.w.idem_seen |= bit;
    }
    let c = &mut cx.w.charges[payment as usize];
    *c = c.saturating_add(1);
    say!(cx, "pay-{} charged (charge #{}).", payment + 1, *c);
}

pub fn webhook(cx: &mut Cx, payment: u8, key: bool, retry_of: Option<u8>) -> Result<(), Refusal> {
    let sent =
        cx.w.requests
            .iter()
            .any(|r| r.used && r.kind == ReqKind::Webhook && r.payment == payment);
    if retry_of.is_none() && sent {
        return Err("the provider sends each payment once; only its retry sends it again");
    }
    let hot = cx.w.wake == WakeState::Hot;
    let store = cx.w.idempotency_store.bound;
    let answer = if !hot && cx.naive(Switch::UnsafeWakeReplay) {
        WakeAnswer::HoldReplay // buffered, to be replayed on wake
    } else {
        wake_request(hot, true, key, store)
    };
    let base = Request {
        kind: ReqKind::Webhook,
        payment,
        key,
        ..Request::default()
    };
    match answer {
        WakeAnswer::Serve => {
            let r = add_request(
                cx,
                Request {
                    state: ReqState::Served,
                    ..base
                },
            )?;
            say!(cx, "Webhook pay-{} (req#{}) processed.", payment + 1, r + 1);
            charge(cx, payment, key, true);
        }
        WakeAnswer::HoldReplay | WakeAnswer::Hold => {
            let r = add_request(
                cx,
                Request {
                    state: ReqState::Held,
                    ..base
                },
            )?;
            say!(
                cx,
                "Webhook pay-{} (req#{}) held for replay after the wake.",
                payment + 1,
                r + 1
            );
            ensure_wake(cx)?;
        }
        WakeAnswer::Retry503 => {
            let r = add_request(
                cx,
                Request {
                    state: ReqState::Retry,
                    ..base
                },
            )?;
            say!(cx, "Webhook pay-{} (req#{}): 503 + Retry-After; the provider's own retry is the only retry.", payment + 1, r + 1);
            ensure_wake(cx)?;
        }
    }
    Ok(())
}

pub fn provider_retry(cx: &mut Cx, request: u8) -> Result<(), Refusal> {
    let r = cx.w.requests[request as usize];
    if !r.used || r.kind != ReqKind::Webhook || r.retried || r.state == ReqState::Served {
        return Err("the provider retries only a webhook it got no answer for, or a 503");
    }
    cx.w.requests[request as usize].retried = true;
    say!(cx, "The provider retries pay-{}.", r.payment + 1);
    webhook(cx, r.payment, r.key, Some(request))
}

pub fn wake_next(cx: &mut Cx, op: u8) -> Result<(), Refusal> {
    let o = cx.w.ops[op as usize];
    match o.stage {
        0 => {
            // A wake starts the artifact of the *current* route owner.
            let (art, region) = (cx.w.owner.artifact, cx.w.owner.region);
            let a = start_alloc(cx, art, PROD, region, None)
                .ok_or("no free runner slot to wake into")?;
            cx.w.ops[op as usize].alloc = a + 1;
            cx.w.ops[op as usize].target = art;
            cx.w.wake = WakeState::Starting;
            record(cx, op, 1);
        }
        1 => {
            let a = cx.w.allocs[o.alloc as usize - 1];
            if a.state == AllocState::Planned {
                return Err("waiting for the runner to pull and start it");
            }
            cx.w.wake = WakeState::ReadinessWait;
            record(cx, op, 2);
        }
        _ => {
            let alloc = o.alloc - 1;
            if !looks_ready(cx, alloc) {
                return Err("waiting for readiness");
            }
            cx.w.hot_before_ready |= cx.w.allocs[alloc as usize].state != AllocState::Ready;
            cx.w.wake = WakeState::Hot;
            record(cx, op, 3);
            say!(cx, "The app is hot.");
            release_held(cx);
        }
    }
    Ok(())
}

/// Hot: held safe requests are served; held unsafe ones are replayed.
fn release_held(cx: &mut Cx) {
    let budget = cx.w.q.wake_budget;
    for i in 0..MAX_REQUESTS {
        let r = cx.w.requests[i];
        if !r.used || r.state != ReqState::Held {
            continue;
        }
        cx.w.requests[i].state = ReqState::Served;
        match r.kind {
            ReqKind::Get => say!(
                cx,
                "Held GET req#{} served after {} tick(s).",
                i + 1,
                r.waited
            ),
            ReqKind::Webhook => {
                cx.w.late_replay |= r.waited > budget;
                say!(cx, "Held webhook req#{} replayed.", i + 1);
                let naive = cx.naive(Switch::UnsafeWakeReplay);
                charge(cx, r.payment, r.key, !naive);
            }
        }
    }
}

pub fn scale_to_zero(cx: &mut Cx) -> Result<(), Refusal> {
    let w = &*cx.w;
    if w.wake != WakeState::Hot {
        return Err("the app is not hot");
    }
    if w.ops
        .iter()
        .any(|o| o.used && !is_terminal(o.kind, o.stage))
    {
        return Err("not idle: an operation is running");
    }
    if w.sessions.iter().any(|s| s.state.live()) {
        return Err("not idle: live sessions");
    }
    for a in
        cx.w.allocs
            .iter_mut()
            .filter(|a| a.used && a.env == PROD && a.state.running())
    {
        a.state = AllocState::Stopped;
        a.age = 0;
    }
    cx.w.wake = WakeState::Sleeping;
    say!(
        cx,
        "Idle: production allocations stopped; the app sleeps (a declared cold wake)."
    );
    Ok(())
}

pub fn tick(cx: &mut Cx) {
    let budget = cx.w.q.wake_budget;
    let naive = cx.naive(Switch::UnsafeWakeReplay);
    for i in 0..MAX_REQUESTS {
        let r = &mut cx.w.requests[i];
        if !r.used || r.state != ReqState::Held {
            continue;
        }
        r.waited = (r.waited + 1).min(15);
        // Naive: an unsafe body stays buffered until the wake replays it.
        let buffered = naive && r.kind == ReqKind::Webhook;
        if r.waited > budget && !buffered {
            r.state = ReqState::Retry;
            say!(cx, "req#{} past the wake budget: 503 + Retry-After.", i + 1);
        }
    }
}
