//! Deploy, promotion, rollback and failover: every route change is a CAS on the epoch.

use super::lifecycle::{AllocLife, DeployStage as D, PromotionStage as P, Res, Stage, Why};
use super::narrate::{artifact_label, LogEntry, Say};
use super::policy::{AntiPattern, Policy};
use super::world::*;

impl World {
    /// The artifact's deploy waits at the cold gate.
    pub fn deploy_blocked(&self, a: u8) -> bool {
        self.artifact(a)
            .and_then(|x| x.deploy_op)
            .and_then(|op| self.op(op))
            .is_some_and(|o| o.stage() == Some(Stage::Deploy(D::Blocked)))
    }

    /// Vango state gate: live sessions of the current owner can resume on `a`.
    pub fn is_warm(&self, a: u8) -> bool {
        let owner = self.owner(Env::Production).artifact;
        match (self.artifact(a), self.artifact(owner)) {
            (Some(x), Some(o)) => x.state_schema == o.state_schema,
            _ => false,
        }
    }

    /// Database gate: columns `a` reads that today's schema (after `a`'s own migration) lacks.
    pub fn missing_columns(&self, a: u8) -> u8 {
        let Some(art) = self.artifact(a) else {
            return 0;
        };
        let mut cols = self.db.columns;
        if !art.migrated {
            match art.migration {
                Migration::Additive { column } => cols |= 1 << column,
                Migration::Destructive { column } => cols &= !(1 << column),
                Migration::None => {}
            }
        }
        art.reads & !cols
    }
}

fn first_bit(mask: u8) -> u8 {
    mask.trailing_zeros().min(7) as u8
}

/// Build + validate + preview. Cold builds stop at the gate until acknowledged.
pub fn deploy(w: &mut World, p: &Policy, a: u8, say: &mut Say) -> Res<()> {
    let art = *w.artifact(a).ok_or(Why("There is no such artifact."))?;
    if art.deploy_op.is_some() {
        return Err(Why(
            "That artifact is already built: artifacts are immutable, so it is never rebuilt.",
        ));
    }
    let op = w.new_op(OpKind::Deploy, a, 0)?;
    for s in [D::Queued, D::Building, D::Validating] {
        w.record(p, op, Stage::Deploy(s))?;
    }
    if let Some(x) = w.artifacts.as_mut_slice().get_mut(a as usize) {
        x.deploy_op = Some(op);
    }
    let warm = w.is_warm(a);
    let destructive = matches!(art.migration, Migration::Destructive { .. });
    say.add(format_args!(
        "Built {} once and validated it: its Vango state impact is {} and its migration is {}.",
        artifact_label(w, a),
        if warm { "warm" } else { "cold" },
        match art.migration {
            Migration::None => "none",
            Migration::Additive { .. } => "additive",
            Migration::Destructive { .. } => "destructive",
        }
    ));
    if destructive {
        say.add(format_args!(
            "A destructive migration drops a column: remember it before any rollback."
        ));
    }
    if !warm {
        w.record(p, op, Stage::Deploy(D::Blocked))?;
        say.add(format_args!(
            "The deploy is blocked at the cold gate: live sessions could not resume on it, so someone must acknowledge that first."
        ));
        return Ok(());
    }
    finish_preview(w, p, a, op, say)
}

fn finish_preview(w: &mut World, p: &Policy, a: u8, op: u8, say: &mut Say) -> Res<()> {
    let region = w.live_region();
    let alloc = w.start_allocation(p, a, Env::Preview, region)?;
    w.record(p, op, Stage::Deploy(D::PreviewReady))?;
    let owner = &mut w.route_owners[Env::Preview.ix()];
    if owner.epoch == u16::MAX {
        return Err(Why(
            "The route epoch cannot grow any further in this model.",
        ));
    }
    owner.artifact = a;
    owner.digest = w.artifacts.as_slice()[a as usize].digest;
    owner.place = Place::at(region);
    owner.epoch = owner.epoch.saturating_add(1);
    w.publish(Env::Preview);
    say.add(format_args!(
        "Preview is ready on alloc-{alloc}; its health check has not passed yet, and a preview allocation never serves production."
    ));
    Ok(())
}

/// Accepts the cold gate of a blocked deploy.
pub fn acknowledge(w: &mut World, p: &Policy, a: u8, say: &mut Say) -> Res<()> {
    if !w.deploy_blocked(a) {
        return Err(Why(
            "No deploy of that artifact is waiting at the cold gate.",
        ));
    }
    let op = w
        .artifact(a)
        .and_then(|x| x.deploy_op)
        .ok_or(Why("No deploy record."))?;
    say.add(format_args!(
        "You acknowledged a cold deploy of artifact {}: sessions will start fresh on it, and the product will say so.",
        artifact_name(a)
    ));
    finish_preview(w, p, a, op, say)
}

/// Promotion or rollback of `a`: policy check, migration, CAS on the epoch, publish.
pub fn promote(w: &mut World, p: &Policy, a: u8, rollback: bool, say: &mut Say) -> Res<()> {
    let art = *w.artifact(a).ok_or(Why("There is no such artifact."))?;
    if !w.validated(a) {
        return Err(Why(
            "That artifact has no validated build in preview yet: deploy it first.",
        ));
    }
    let from = *w.owner(Env::Production);
    if from.artifact == a {
        return Err(Why("That artifact already owns the production route."));
    }
    if w.wake.is_waking() {
        return Err(Why(
            "A wake is in progress: wait until the app is hot or the wake fails.",
        ));
    }
    if rollback && !art.was_owner {
        return Err(Why(
            "Roll back only goes to an artifact that owned production before; promote it instead.",
        ));
    }
    if !rollback && art.was_owner {
        return Err(Why("That artifact owned production before: use Roll back, which checks both rollback gates."));
    }
    let missing = w.missing_columns(a);
    let naive_gate = rollback && p.is_naive(AntiPattern::WarmDeployEqualsSafeRollback);
    if missing != 0 && !naive_gate {
        return Err(Why(if rollback {
            "Rollback is unsafe: the old artifact reads a column a destructive migration dropped. Offer a forward fix or a data restore instead."
        } else {
            "That artifact reads a column today's schema no longer has; it would crash."
        }));
    }
    let warm = w.is_warm(a);
    let kind = if rollback {
        OpKind::Rollback
    } else {
        OpKind::Promote
    };
    let op = w.new_op(kind, a, from.epoch)?;
    w.record(p, op, Stage::Promotion(P::Requested))?;
    w.record(p, op, Stage::Promotion(P::PolicyCheck))?;
    if !art.migrated {
        match art.migration {
            Migration::Additive { column } => w.db.columns |= 1 << column,
            Migration::Destructive { column } => w.db.columns &= !(1 << column),
            Migration::None => {}
        }
        if let Some(x) = w.artifacts.as_mut_slice().get_mut(a as usize) {
            x.migrated = true;
        }
    }
    w.record(p, op, Stage::Promotion(P::RouteCas))?;
    commit(w, Env::Production, a, from.place, from.epoch)?;
    w.record(p, op, Stage::Promotion(P::EdgePropagating))?;
    if rollback {
        // The promotion being undone gets its exit recorded.
        if let Some(prev) = w.operations.iter_mut().rev().find(|o| {
            o.kind.is_promotion()
                && o.artifact == from.artifact
                && o.stage() == Some(Stage::Promotion(P::Healthy))
        }) {
            let _ = prev.stages.push(Stage::Promotion(P::RolledBack));
        }
    }
    say.add(format_args!(
        "{} {}: the route owner CAS expected epoch {} and committed epoch {}; the edge learns it from the event stream.",
        if rollback { "Rolled back to" } else { "Promoted" },
        artifact_label(w, a),
        from.epoch,
        from.epoch.saturating_add(1)
    ));
    if rollback {
        say.add(format_args!(
            "State gate: {}. Database gate: {}.",
            if warm {
                "warm, sessions can resume"
            } else {
                "cold, sessions will start fresh"
            },
            if missing == 0 {
                "today's schema still has every column it reads"
            } else {
                "IGNORED, a column it reads was dropped"
            }
        ));
    }
    let new_alloc = start_production(w, p, a, say)?;
    if p.is_naive(AntiPattern::SessionsTeleport) {
        teleport(w, from.artifact, new_alloc, say);
    }
    Ok(())
}

/// The CAS itself: succeeds only if the epoch is still `expected`.
pub(crate) fn commit(w: &mut World, key: Env, a: u8, place: Place, expected: u16) -> Res<()> {
    let digest = w
        .artifact(a)
        .ok_or(Why("There is no such artifact."))?
        .digest;
    let owner = &mut w.route_owners[key.ix()];
    if expected == u16::MAX {
        return Err(Why(
            "The route epoch cannot grow any further in this model.",
        ));
    }
    if owner.epoch != expected {
        return Err(Why("The route epoch moved on; the CAS was rejected."));
    }
    *owner = RouteOwner {
        artifact: a,
        digest,
        place,
        epoch: expected.saturating_add(1),
    };
    if key == Env::Production {
        if let Some(x) = w.artifacts.as_mut_slice().get_mut(a as usize) {
            x.was_owner = true;
        }
    }
    w.publish(key);
    Ok(())
}

/// Starts production allocations of `a` in every live region (if the app is awake).
fn start_production(w: &mut World, p: &Policy, a: u8, say: &mut Say) -> Res<Option<u8>> {
    if w.wake != super::lifecycle::WakeStage::Hot {
        say.add(format_args!(
            "The app is asleep, so no allocation starts now; the next wake starts this artifact."
        ));
        return Ok(None);
    }
    let missing = w.missing_columns(a);
    let mut first = None;
    let regions: Vec<u8> = w
        .regions
        .iter()
        .filter(|r| !r.failed)
        .map(|r| r.id)
        .collect();
    for region in regions {
        let id = w.start_allocation(p, a, Env::Production, region)?;
        if missing != 0 {
            w.alloc_go(id, AllocLife::Failed)?;
            w.log(
                p,
                region,
                LogEntry::AllocationCrashed {
                    allocation: id,
                    column: first_bit(missing),
                },
            );
            say.add(format_args!(
                "alloc-{id} crashed at start: the old artifact expects a column the migration removed."
            ));
        } else {
            if let Some(x) = w.alloc_mut(id) {
                x.healthy = true;
            }
            first = first.or(Some(id));
        }
    }
    Ok(first)
}

/// Naive: kill the old allocations and show their sessions as moved.
fn teleport(w: &mut World, old_artifact: u8, to: Option<u8>, say: &mut Say) {
    let Some(to) = to else { return };
    let old: Vec<u8> = w
        .allocations
        .iter()
        .filter(|x| x.env == Env::Production && x.artifact == old_artifact && x.life.is_running())
        .map(|x| x.id)
        .collect();
    let mut moved = 0;
    for id in old {
        if let Some(x) = w.alloc_mut(id) {
            x.life = AllocLife::Stopped;
            x.healthy = false;
        }
        for s in w.sessions.iter_mut().filter(|s| s.allocation == id) {
            s.allocation = to;
            s.notice = SessionNotice::Moved;
            moved += 1;
        }
    }
    say.add(format_args!(
        "The old allocation was killed and {moved} session(s) were shown as \"moved\" to alloc-{to}."
    ));
}
