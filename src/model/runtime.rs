//! Allocations and sessions: drain, stop, idle, reconnect, regions, health, bindings.

use super::action::Store;
use super::lifecycle::{AllocLife, Res, Stage, WakeStage, Why};
use super::narrate::{LogEntry, Say};
use super::policy::{AntiPattern, Policy};
use super::world::*;

/// Reattaches matching sessions to `target`: resumed (store bound + warm schema) or
/// fresh, each marked so the user is told which. Returns (resumed, fresh).
pub(crate) fn reattach(
    w: &mut World,
    pick: impl Fn(&Session) -> bool,
    target: u8,
) -> (usize, usize) {
    let schema = w
        .allocation(target)
        .and_then(|a| w.artifact(a.artifact))
        .map(|a| a.state_schema)
        .unwrap_or(0);
    let store = w.session_store.is_some();
    let (mut resumed, mut fresh) = (0, 0);
    for s in w.sessions.iter_mut().filter(|s| pick(s)) {
        s.allocation = target;
        if store && s.state_schema == schema {
            s.notice = SessionNotice::Resumed;
            resumed += 1;
        } else {
            s.notice = SessionNotice::Fresh;
            s.state_schema = schema;
            fresh += 1;
        }
    }
    (resumed, fresh)
}

/// Puts a ready allocation into drain: no new sessions, existing ones stay.
pub fn drain(w: &mut World, p: &Policy, id: u8, say: &mut Say) -> Res<()> {
    let a = *w
        .allocation(id)
        .ok_or(Why("There is no such allocation."))?;
    if a.life != AllocLife::Ready {
        return Err(Why("Only a ready allocation can start draining."));
    }
    let target = w.route_target(p);
    let spare = w.allocations.iter().any(|x| {
        x.id != id
            && x.env == Env::Production
            && x.artifact == a.artifact
            && x.life == AllocLife::Ready
            && x.healthy
    });
    if a.env == Env::Production && target == Some(id) && !spare {
        return Err(Why("No spare capacity: this is the only allocation serving the route. Start a replacement before draining it."));
    }
    w.alloc_go(id, AllocLife::Draining)?;
    let mut n = 0;
    for s in w.sessions.iter_mut().filter(|s| s.allocation == id) {
        s.notice = SessionNotice::DrainingInPlace;
        n += 1;
    }
    say.add(format_args!(
        "alloc-{id} is draining: it takes no new sessions, and its {n} live session(s) stay attached until they close or the drain deadline."
    ));
    Ok(())
}

/// Stops a draining allocation. Sessions still on it hit the drain deadline.
pub fn stop(w: &mut World, p: &Policy, id: u8, say: &mut Say) -> Res<()> {
    let a = *w
        .allocation(id)
        .ok_or(Why("There is no such allocation."))?;
    match a.life {
        AllocLife::Draining => {}
        AllocLife::Ready => {
            return Err(Why(
                "Drain it first: a ready allocation may still hold live sessions.",
            ))
        }
        _ => return Err(Why("That allocation is not running.")),
    }
    if w.session_count(id) > 0 {
        let target = w.route_target(p).filter(|t| *t != id).ok_or(Why(
            "Its sessions have nowhere to go yet: keep it draining until a replacement is ready.",
        ))?;
        let (resumed, fresh) = reattach(w, |s| s.allocation == id, target);
        say.add(format_args!(
            "Drain deadline for alloc-{id}: {resumed} session(s) resumed from the session store on alloc-{target}, {fresh} started fresh there, and each user was told which."
        ));
    }
    w.alloc_go(id, AllocLife::Stopped)?;
    if let Some(x) = w.alloc_mut(id) {
        x.healthy = false;
    }
    say.add(format_args!("alloc-{id} stopped."));
    Ok(())
}

/// Everyone leaves and the app scales to zero.
pub fn idle(w: &mut World, p: &Policy, say: &mut Say) -> Res<()> {
    if w.wake != WakeStage::Hot {
        return Err(Why("The app is not hot, so it cannot go idle."));
    }
    if w.requests.iter().any(|r| r.outcome == Outcome::Held) {
        return Err(Why("Requests are still held; the app is not idle."));
    }
    if w.allocations.iter().any(|a| {
        matches!(
            a.life,
            AllocLife::Planned | AllocLife::Pulling | AllocLife::Starting
        )
    }) {
        return Err(Why("Allocations are still starting; the app is not idle."));
    }
    let closed = w.sessions.len();
    w.sessions = Default::default();
    let prod: Vec<(u8, AllocLife)> = w
        .allocations
        .iter()
        .filter(|a| a.env == Env::Production && a.life.is_running())
        .map(|a| (a.id, a.life))
        .collect();
    for (id, life) in prod {
        if life == AllocLife::Ready {
            w.alloc_go(id, AllocLife::Draining)?;
        }
        w.alloc_go(id, AllocLife::Stopped)?;
        if let Some(x) = w.alloc_mut(id) {
            x.healthy = false;
        }
    }
    w.wake = w.wake.go(WakeStage::Sleeping)?;
    if let Some(op) = w.wake_op {
        if w.op(op).and_then(|o| o.stage()) == Some(Stage::Wake(WakeStage::Hot)) {
            w.record(p, op, Stage::Wake(WakeStage::Sleeping))?;
        }
    }
    w.wake_allocation = None;
    say.add(format_args!(
        "{closed} user(s) closed their tabs; the app went idle and scaled to zero. The next request must wake it."
    ));
    Ok(())
}

/// Sessions on draining allocations reconnect and resume or start fresh.
pub fn reconnect(w: &mut World, p: &Policy, say: &mut Say) -> Res<()> {
    let draining: Vec<u8> = w
        .allocations
        .iter()
        .filter(|a| a.life == AllocLife::Draining)
        .map(|a| a.id)
        .collect();
    if !w.sessions.iter().any(|s| draining.contains(&s.allocation)) {
        return Err(Why("No session is waiting on a draining allocation."));
    }
    let target = w
        .route_target(p)
        .filter(|t| !draining.contains(t))
        .ok_or(Why(
            "No ready allocation of the route owner to reconnect to yet.",
        ))?;
    let (resumed, fresh) = reattach(w, |s| draining.contains(&s.allocation), target);
    say.add(format_args!(
        "Browsers reconnected to alloc-{target}: {resumed} resumed from the session store (warm state), {fresh} started fresh and were told so. Nothing \"moved\"."
    ));
    if fresh > 0 && w.session_store.is_none() {
        say.add(format_args!(
            "With no session store bound, resuming was never an option."
        ));
    }
    Ok(())
}

/// A new browser connects.
pub fn open_session(w: &mut World, p: &Policy, say: &mut Say) -> Res<()> {
    if w.wake != WakeStage::Hot {
        return Err(Why("The app is asleep; a page load would wake it first."));
    }
    if w.sessions.is_full() {
        return Err(Why("This model keeps at most four live sessions."));
    }
    let target = w
        .route_target(p)
        .ok_or(Why("No eligible allocation can take a new session."))?;
    let schema = w
        .allocation(target)
        .and_then(|a| w.artifact(a.artifact))
        .map(|a| a.state_schema)
        .unwrap_or(0);
    let mut id = w.next_session;
    while w.sessions.iter().any(|s| s.id == id) {
        id = id.wrapping_add(1);
    }
    w.next_session = id.wrapping_add(1);
    w.sessions.push(Session {
        id,
        allocation: target,
        state_schema: schema,
        notice: SessionNotice::Live,
    });
    say.add(format_args!(
        "A browser opened a live session on alloc-{target}; its UI state lives on that allocation."
    ));
    Ok(())
}

/// Adds the second region, with a production allocation there if the app is hot.
pub fn enable_region(w: &mut World, p: &Policy, say: &mut Say) -> Res<()> {
    if w.regions.len() >= 2 {
        return Err(Why("The second region is already enabled."));
    }
    w.regions.push(Region {
        id: 1,
        cells: 1,
        failed: false,
    });
    say.add(format_args!(
        "Region {} with cell {} is enabled.",
        region_name(1),
        cell_name(0)
    ));
    if w.wake == WakeStage::Hot {
        let owner = w.owner(Env::Production).artifact;
        let id = w.new_allocation(p, owner, Env::Production, 1)?;
        say.add(format_args!(
            "alloc-{id} of artifact {} is planned there; let time pass for it to become ready.",
            artifact_name(owner)
        ));
    }
    Ok(())
}

/// Fault: the runner flips the production allocation's health.
pub fn health_flap(w: &mut World, p: &Policy, say: &mut Say) -> Res<()> {
    let owner = *w.owner(Env::Production);
    let id = w
        .allocations
        .iter()
        .find(|a| {
            a.env == Env::Production && a.artifact == owner.artifact && a.life == AllocLife::Ready
        })
        .map(|a| a.id)
        .ok_or(Why(
            "No ready production allocation of the route owner to flap.",
        ))?;
    let healthy = match w.alloc_mut(id) {
        Some(a) => {
            a.healthy = !a.healthy;
            a.healthy
        }
        None => return Err(Why("There is no such allocation.")),
    };
    say.add(format_args!(
        "The health check of alloc-{id} flapped to {}. Health only chooses among eligible allocations; it never decides who owns the route.",
        if healthy { "healthy" } else { "unhealthy" }
    ));
    if !healthy && p.is_naive(AntiPattern::RoutingByHealthyBackend) {
        let other = w
            .allocations
            .iter()
            .rev()
            .find(|a| a.life == AllocLife::Ready && a.healthy && a.artifact != owner.artifact)
            .copied();
        if let Some(o) = other {
            let digest = w.artifact(o.artifact).map(|a| a.digest).unwrap_or(0);
            let r = &mut w.route_owners[Env::Production.ix()];
            r.artifact = o.artifact;
            r.digest = digest;
            say.add(format_args!(
                "Naive discovery made healthy alloc-{} the owner: artifact {} now owns production at the same epoch {}.",
                o.id,
                artifact_name(o.artifact),
                owner.epoch
            ));
        }
    }
    Ok(())
}

/// Fault: a preview allocation passes its health check.
pub fn preview_healthy(w: &mut World, say: &mut Say) -> Res<()> {
    let a = w
        .allocations
        .iter_mut()
        .find(|a| a.env == Env::Preview && a.life == AllocLife::Ready && !a.healthy)
        .ok_or(Why("No preview allocation is waiting on its health check."))?;
    a.healthy = true;
    let id = a.id;
    say.add(format_args!(
        "Preview alloc-{id} is healthy. It is still preview: the route owner, not health, decides production."
    ));
    Ok(())
}

/// Creates a store binding in the live region and cell.
pub fn bind(w: &mut World, p: &Policy, store: Store, say: &mut Say) -> Res<()> {
    let region = w.live_region();
    let binding = Binding {
        place: w.place(p, region),
    };
    let slot = match store {
        Store::Session => &mut w.session_store,
        Store::Idempotency => &mut w.idempotency_store,
    };
    if slot.is_some() {
        return Err(Why("That store is already bound."));
    }
    *slot = Some(binding);
    w.log(
        p,
        region,
        LogEntry::Bound {
            idempotency: store == Store::Idempotency,
        },
    );
    say.add(format_args!(
        "The {} is bound in {}.",
        match store {
            Store::Session => "session store",
            Store::Idempotency => "idempotency store",
        },
        binding.place.label()
    ));
    Ok(())
}

/// Removes a store binding.
pub fn unbind(w: &mut World, store: Store, say: &mut Say) -> Res<()> {
    match store {
        Store::Session => {
            if w.session_store.take().is_none() {
                return Err(Why("The session store is not bound."));
            }
            say.add(format_args!(
                "The session store is unbound: from now on, reconnecting sessions start fresh."
            ));
        }
        Store::Idempotency => {
            if w.idempotency_store.is_none() {
                return Err(Why("The idempotency store is not bound."));
            }
            if w.requests
                .iter()
                .any(|r| r.outcome == Outcome::Held && r.kind.is_unsafe())
            {
                return Err(Why(
                    "Held requests rely on their idempotency keys; wait until they are answered.",
                ));
            }
            w.idempotency_store = None;
            w.idempotency_keys = 0;
            say.add(format_args!("The idempotency store is unbound: unsafe requests can no longer be held for replay."));
        }
    }
    Ok(())
}
