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
        // Reattaching renders the page again from today's global state.
        s.stale = false;
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
        let region = a.place.region.unwrap_or(0);
        return Err(Why(if w.has_room(region) {
            "No spare capacity: this is the only allocation serving the route. Scale out to a replacement before draining it."
        } else {
            "No spare capacity: this is the only allocation serving the route and the cell has no room for a replacement. Free a slot and scale out first; draining now would leave its sessions nowhere to go."
        }));
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
    if n > 0 && w.session_store.is_some() {
        say.add(format_args!(
            "At the deadline they resume from the session store if their state is warm, or start fresh, and each user is told which."
        ));
    } else if n > 0 {
        say.add(format_args!(
            "No session store is bound: at the deadline they will start fresh, and each user is told so."
        ));
    }
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
    let first = w
        .route_target(p)
        .ok_or(Why("No eligible allocation can take a new session."))?;
    let target = least_loaded(w, p, first);
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
        stale: false,
    });
    say.add(format_args!(
        "A browser opened a live session on alloc-{target}; its UI state lives on that allocation."
    ));
    Ok(())
}

/// The eligible allocation with the fewest sessions in the same place as `first`
/// (the router's pick), so a scaled-out cell shares new sessions. The naive
/// router keeps its own pick.
fn least_loaded(w: &World, p: &Policy, first: u8) -> u8 {
    if p.is_naive(AntiPattern::RoutingByHealthyBackend) {
        return first;
    }
    let Some(pick) = w.allocation(first).copied() else {
        return first;
    };
    let mut best = (w.session_count(first), first);
    for a in w.allocations.iter() {
        let eligible = a.env == Env::Production
            && a.artifact == pick.artifact
            && a.place == pick.place
            && a.life == AllocLife::Ready
            && a.healthy;
        let n = w.session_count(a.id);
        if eligible && n < best.0 {
            best = (n, a.id);
        }
    }
    best.1
}

/// Starts one more production allocation of the route owner's artifact in its cell.
pub fn scale_out(w: &mut World, p: &Policy, say: &mut Say) -> Res<()> {
    if w.wake != WakeStage::Hot {
        return Err(Why(
            "The app is not hot: nothing is serving, so there is nothing to scale out.",
        ));
    }
    let owner = *w.owner(Env::Production);
    let region = w.owner_region();
    let serving = w
        .allocations
        .iter()
        .filter(|a| {
            a.env == Env::Production
                && a.artifact == owner.artifact
                && a.life.is_running()
                && a.place.region.is_none_or(|r| r == region)
        })
        .count();
    if serving >= 2 {
        return Err(Why(
            "The route owner already runs on two allocations in this cell; this model scales out no further.",
        ));
    }
    if w.missing_columns(owner.artifact) != 0 {
        return Err(Why(
            "The route owner's artifact reads a column today's schema no longer has; another allocation of it would crash.",
        ));
    }
    let id = w.start_allocation(p, owner.artifact, Env::Production, region)?;
    if let Some(a) = w.alloc_mut(id) {
        a.healthy = true;
    }
    say.add(format_args!(
        "alloc-{id} of artifact {} started in {}: the route owner now runs on one more allocation there, and new sessions spread across them.",
        artifact_name(owner.artifact),
        w.place(p, region).label()
    ));
    if w.broadcast.is_none() {
        say.add(format_args!(
            "No broadcast backend is bound: a global state update published on one allocation will not reach sessions on the other."
        ));
    }
    Ok(())
}

/// A global state update (e.g. a price every open page shows) is published on the
/// allocation the router picks, and fanned out to the others only through a
/// bound broadcast backend.
pub fn global_update(w: &mut World, p: &Policy, say: &mut Say) -> Res<()> {
    if w.wake != WakeStage::Hot {
        return Err(Why(
            "The app is asleep: no live session would see a global update.",
        ));
    }
    let origin = w
        .route_target(p)
        .ok_or(Why("No allocation can take the update right now."))?;
    let broadcast = w.broadcast.is_some();
    let live: Vec<u8> = w
        .allocations
        .iter()
        .filter(|a| {
            a.env == Env::Production && matches!(a.life, AllocLife::Ready | AllocLife::Draining)
        })
        .map(|a| a.id)
        .collect();
    let reached = |id: u8| id == origin || (broadcast && live.contains(&id));
    let (mut saw, mut missed) = (0u8, 0u8);
    let mut missed_on = None;
    for s in w.sessions.iter_mut() {
        s.stale = !reached(s.allocation);
        if s.stale {
            missed = missed.saturating_add(1);
            missed_on = missed_on.or(Some(s.allocation));
        } else {
            saw = saw.saturating_add(1);
        }
    }
    let count = if broadcast {
        live.iter().filter(|id| reached(**id)).count().max(1)
    } else {
        1
    };
    w.fanout = u8::try_from(count).unwrap_or(u8::MAX);
    if broadcast {
        say.add(format_args!(
            "A global state update was published on alloc-{origin} and the broadcast backend fanned it out to {count} allocation(s): all {saw} live session(s) show it."
        ));
    } else {
        say.add(format_args!(
            "A global state update was published on alloc-{origin}. With no broadcast backend it stays there: {saw} session(s) show it"
        ));
        match missed_on {
            Some(other) => say.add(format_args!(
                "and {missed} session(s) on other allocations (e.g. alloc-{other}) still show the old state, with nothing to tell them."
            )),
            None => say.add(format_args!(
                "and no session lives elsewhere yet, so nobody noticed the missing fan-out."
            )),
        }
    }
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
        slots: DEFAULT_SLOTS,
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
        Store::Broadcast => &mut w.broadcast,
    };
    if slot.is_some() {
        return Err(Why("That store is already bound."));
    }
    *slot = Some(binding);
    w.log(p, region, LogEntry::Bound { store });
    say.add(format_args!(
        "The {} is bound in {}.",
        store.name(),
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
        Store::Broadcast => {
            if w.broadcast.take().is_none() {
                return Err(Why("The broadcast backend is not bound."));
            }
            say.add(format_args!(
                "The broadcast backend is unbound: from now on a global update reaches only the allocation that published it."
            ));
        }
    }
    Ok(())
}
