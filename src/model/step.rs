//! `step`: one action applied to one world under one policy, checked and narrated.

use super::action::Action;
use super::invariant::{check, Violation};
use super::lifecycle::Why;
use super::narrate::Say;
use super::policy::Policy;
use super::world::World;
use super::{edge, faults, promote, requests, runtime};
use serde::Serialize;

/// An action the current state does not allow, in plain English.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Refusal {
    pub reason: String,
}

impl From<Why> for Refusal {
    fn from(w: Why) -> Self {
        Refusal {
            reason: w.0.to_string(),
        }
    }
}

/// A successful step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    pub world: World,
    pub narration: String,
    /// Invariants broken by this transition or newly broken in the resulting state.
    pub violations: Vec<Violation>,
}

/// Applies `action` to `world` under `policy`. Never panics; refusals leave nothing changed.
pub fn step(world: &World, action: &Action, policy: &Policy) -> Result<Step, Refusal> {
    let mut say = Say::on();
    let after = apply(world, action, policy, &mut say)?;
    let violations = check(world, action, &after);
    Ok(Step {
        world: after,
        narration: say.text,
        violations,
    })
}

/// The transition itself, narration optional (the checker runs it silent).
pub(crate) fn apply(
    world: &World,
    action: &Action,
    p: &Policy,
    say: &mut Say,
) -> Result<World, Why> {
    use Action::*;
    let mut w = *world;
    match *action {
        Deploy { artifact } => promote::deploy(&mut w, p, artifact, say)?,
        Acknowledge { artifact } => promote::acknowledge(&mut w, p, artifact, say)?,
        Promote { artifact } => promote::promote(&mut w, p, artifact, false, say)?,
        Rollback { artifact } => promote::promote(&mut w, p, artifact, true, say)?,
        RacePromotion => faults::race(&mut w, p, say)?,
        LateReport => faults::late_report(&mut w, p, say)?,
        WorkerCrash => faults::worker_crash(&mut w, p, say)?,
        RegionFailover => faults::failover(&mut w, p, say)?,
        Drain { allocation } => runtime::drain(&mut w, p, allocation, say)?,
        Stop { allocation } => runtime::stop(&mut w, p, allocation, say)?,
        Idle => runtime::idle(&mut w, p, say)?,
        Reconnect => runtime::reconnect(&mut w, p, say)?,
        OpenSession => runtime::open_session(&mut w, p, say)?,
        EnableRegion => runtime::enable_region(&mut w, p, say)?,
        ScaleOut => runtime::scale_out(&mut w, p, say)?,
        GlobalUpdate => runtime::global_update(&mut w, p, say)?,
        HealthFlap => runtime::health_flap(&mut w, p, say)?,
        PreviewHealthy => runtime::preview_healthy(&mut w, say)?,
        Bind { store } => runtime::bind(&mut w, p, store, say)?,
        Unbind { store } => runtime::unbind(&mut w, store, say)?,
        Advance => requests::advance(&mut w, p, say)?,
        Send {
            kind,
            idempotency_key,
        } => requests::send(&mut w, p, kind, idempotency_key, false, say)?,
        ProviderRetry => requests::provider_retry(&mut w, p, say)?,
        ReadinessTimeout => requests::readiness_timeout(&mut w, p, say)?,
        Deliver => edge::deliver(&mut w, p, say)?,
        Redeliver => edge::redeliver(&mut w, p, say)?,
        RetentionDrop => edge::retention_drop(&mut w, p, say)?,
    }
    w.refresh_views(p);
    Ok(w)
}

/// One action of a replay and what came of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TraceStep {
    pub action: Action,
    pub outcome: Result<Step, Refusal>,
}

/// A replayed script: refused actions leave the world unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Trace {
    pub start: World,
    pub steps: Vec<TraceStep>,
}

impl Trace {
    /// The world after the last step.
    pub fn final_world(&self) -> &World {
        self.steps
            .iter()
            .rev()
            .find_map(|s| s.outcome.as_ref().ok().map(|st| &st.world))
            .unwrap_or(&self.start)
    }
    /// Every violation seen, with the index of the step that caused it.
    pub fn violations(&self) -> Vec<(usize, &Violation)> {
        self.steps
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.outcome.as_ref().ok().map(|st| (i, st)))
            .flat_map(|(i, st)| st.violations.iter().map(move |v| (i, v)))
            .collect()
    }
}

/// Replays `actions` from `start`.
pub fn replay(start: &World, policy: &Policy, actions: &[Action]) -> Trace {
    let mut world = *start;
    let mut steps = Vec::with_capacity(actions.len());
    for a in actions {
        let outcome = step(&world, a, policy);
        if let Ok(s) = &outcome {
            world = s.world;
        }
        steps.push(TraceStep {
            action: *a,
            outcome,
        });
    }
    Trace {
        start: *start,
        steps,
    }
}
