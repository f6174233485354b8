//! Sessions: attached to one allocation, never moved. They drain in place,
//! resume from a reachable store with a compatible schema within the resume
//! window, or start fresh — and the user is told which.

use super::action::{alloc_name, session_name};
use super::decide::{continuity, Continuity};
use super::step::{owner_target, say, Cx, Refusal};
use super::world::*;

/// Live sessions attached to `alloc`.
pub fn attached(w: &World, alloc: u8) -> usize {
    w.sessions
        .iter()
        .filter(|s| s.state.live() && s.alloc == alloc)
        .count()
}

/// The session store holds state that can be read now.
pub fn store_reachable(w: &World) -> bool {
    let s = &w.session_store;
    s.bound && (s.replicated || w.regions[s.region as usize].up)
}

pub fn may_type(w: &World, s: u8) -> Result<(), Refusal> {
    let sess = &w.sessions[s as usize];
    if !sess.state.live() {
        return Err("the session is not live");
    }
    if sess.draft {
        return Err("it already has a draft");
    }
    Ok(())
}

pub fn type_draft(cx: &mut Cx, s: u8) -> Result<(), Refusal> {
    may_type(cx.w, s)?;
    let reachable = store_reachable(cx.w);
    let sess = &mut cx.w.sessions[s as usize];
    sess.draft = true;
    sess.stored = reachable;
    say!(
        cx,
        "{} types a draft{}.",
        session_name(s),
        if reachable {
            " (saved to the session store)"
        } else {
            " (only in the allocation's memory)"
        }
    );
    Ok(())
}

pub fn close(cx: &mut Cx, s: u8) -> Result<(), Refusal> {
    let sess = &mut cx.w.sessions[s as usize];
    if !sess.state.live() {
        return Err("the session is not live");
    }
    sess.state = SessionState::Closed;
    sess.draft = false;
    say!(cx, "{} closed by the user.", session_name(s));
    Ok(())
}

/// Moves a session onto `target` by the continuity decision (never "moved").
fn land(cx: &mut Cx, s: u8, decision: Continuity, target: u8) {
    let schema = cx.w.artifacts[cx.w.allocs[target as usize].artifact as usize].schema;
    let sess = &mut cx.w.sessions[s as usize];
    sess.alloc = target;
    sess.handshake = target;
    sess.detached_for = 0;
    match decision {
        Continuity::Resume => {
            sess.state = SessionState::Resumed;
            say!(
                cx,
                "{} resumed on {} from the session store; the user sees \"reconnected\".",
                session_name(s),
                alloc_name(target)
            );
        }
        _ => {
            sess.state = SessionState::Fresh;
            let had = sess.draft;
            sess.draft = false;
            sess.stored = false;
            sess.schema = schema;
            say!(
                cx,
                "{} starts fresh on {}; the user is told{}.",
                session_name(s),
                alloc_name(target),
                if had { " and the draft is gone" } else { "" }
            );
        }
    }
}

/// The continuity decision for a session whose allocation is gone.
fn decide(w: &World, s: &Session, target: u8, original_alive: bool) -> Continuity {
    let schema = w.artifacts[w.allocs[target as usize].artifact as usize].schema;
    continuity(
        original_alive,
        store_reachable(w) && s.stored == s.draft,
        s.schema == schema,
        s.detached_for <= w.q.resume_window && s.state != SessionState::Expired,
    )
}

pub fn may_reconnect(w: &World, s: u8) -> Result<(), Refusal> {
    if !matches!(
        w.sessions[s as usize].state,
        SessionState::Detached | SessionState::Expired
    ) {
        return Err("only a detached or expired session reconnects");
    }
    Ok(())
}

pub fn reconnect(cx: &mut Cx, s: u8) -> Result<(), Refusal> {
    may_reconnect(cx.w, s)?;
    let sess = cx.w.sessions[s as usize];
    let orig = cx.w.allocs[sess.alloc as usize];
    let alive = orig.used
        && matches!(orig.state, AllocState::Ready | AllocState::Draining)
        && cx.w.regions[orig.region() as usize].up;
    if alive {
        cx.w.sessions[s as usize].state = SessionState::Connected;
        cx.w.sessions[s as usize].detached_for = 0;
        say!(
            cx,
            "{} reconnected to its original {}.",
            session_name(s),
            alloc_name(sess.alloc)
        );
        return Ok(());
    }
    let target = owner_target(cx.w).ok_or("no ready allocation to reconnect to")?;
    let d = decide(cx.w, &sess, target, false);
    land(cx, s, d, target);
    Ok(())
}

/// The allocation is gone (crash, outage): its sessions detach.
pub fn detach_all(cx: &mut Cx, alloc: u8) {
    for i in 0..MAX_SESSIONS {
        let s = &mut cx.w.sessions[i];
        if s.state.live() && s.alloc == alloc {
            s.state = SessionState::Detached;
            s.detached_for = 0;
            say!(
                cx,
                "{} detached: its allocation is gone.",
                session_name(i as u8)
            );
        }
    }
}

/// At a drain deadline the remaining sessions resume elsewhere or start fresh, visibly.
pub fn at_drain_deadline(cx: &mut Cx, alloc: u8) {
    for i in 0..MAX_SESSIONS as u8 {
        let s = cx.w.sessions[i as usize];
        if !(s.state.live() && s.alloc == alloc) {
            continue;
        }
        match owner_target(cx.w) {
            Some(t) => {
                let d = decide(cx.w, &s, t, false);
                land(cx, i, d, t);
            }
            None => {
                cx.w.sessions[i as usize].state = SessionState::Detached;
                cx.w.sessions[i as usize].detached_for = 0;
            }
        }
    }
}

pub fn tick(cx: &mut Cx) {
    let window = cx.w.q.resume_window;
    for i in 0..MAX_SESSIONS {
        let s = &mut cx.w.sessions[i];
        if s.state == SessionState::Detached {
            s.detached_for = (s.detached_for + 1).min(15);
            if s.detached_for > window {
                s.state = SessionState::Expired;
                say!(
                    cx,
                    "{} expired: past the resume window.",
                    session_name(i as u8)
                );
            }
        }
    }
}
