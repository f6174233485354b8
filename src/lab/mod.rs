//! The Lab's session: which scenario, which switches, the timeline of actions,
//! and everything the page shows, derived from the model. Pure: the Lab page
//! renders a [`LabView`] and sends back intents; it decides nothing itself.

pub mod timeline;

use crate::model::{
    menu, replay, scenario, scenarios, step, Action, AntiPattern, Invariant, Policy, Scenario,
    Trace, Violation, World,
};
use crate::share::LabLink;
use timeline::Timeline;

/// The scenario a fresh Lab opens on.
pub const DEFAULT_SCENARIO: &str = "happy-promotion";

/// The scenario that demonstrates an anti-pattern card.
pub fn scenario_for_card(card_slug: &str) -> Option<Scenario> {
    let ap = AntiPattern::from_slug(card_slug)?;
    scenarios().into_iter().find(|s| s.anti_pattern == Some(ap))
}

#[derive(Clone, Debug, PartialEq)]
pub struct LabSession {
    pub scenario: Scenario,
    pub policy: Policy,
    pub timeline: Timeline<Action>,
}

/// One invariant as the panel shows it: holding, or broken since a step.
#[derive(Clone, Debug, PartialEq)]
pub struct InvariantStatus {
    pub invariant: Invariant,
    /// The first step (1-based) at or before the cursor that broke it.
    pub broken: Option<(usize, Violation)>,
}

/// One line of the narration: what step `n` did, or why it was refused.
#[derive(Clone, Debug, PartialEq)]
pub struct NarrationLine {
    pub step: usize,
    pub action: String,
    pub text: String,
    pub refused: bool,
    pub broke: Vec<Invariant>,
}

/// A control for one action: allowed, or disabled with the model's reason.
#[derive(Clone, Debug, PartialEq)]
pub struct Control {
    pub action: Action,
    pub label: String,
    pub explain: &'static str,
    pub is_fault: bool,
    pub allowed: Result<(), String>,
}

/// Everything the page shows at the cursor.
#[derive(Clone, Debug, PartialEq)]
pub struct LabView {
    pub world: World,
    pub step: usize,
    pub steps: usize,
    pub narration: Vec<NarrationLine>,
    pub invariants: Vec<InvariantStatus>,
    pub goal_met: bool,
    /// Actions taken to reach the goal, the first time it is met (for progress).
    pub goal_met_at: Option<usize>,
    pub controls: Vec<Control>,
    /// Where the evidence (logs, console, CLI) disagrees with the truth.
    pub disagreements: Vec<String>,
    /// The allocation production traffic goes to now, under this policy.
    pub route_target: Option<u8>,
    /// What the last step changed, so the picture can point at it.
    pub changed: Changed,
}

/// The parts of the picture the step into the cursor changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changed {
    pub allocations: Vec<u8>,
    pub owner: bool,
    pub edge: bool,
    pub stores: bool,
    pub db: bool,
}

impl Changed {
    pub fn between(before: &World, after: &World) -> Changed {
        let allocations = after
            .allocations
            .iter()
            .filter(|a| {
                let sessions =
                    |w: &World| w.sessions.iter().filter(|s| s.allocation == a.id).count();
                before.allocation(a.id) != Some(*a) || sessions(before) != sessions(after)
            })
            .map(|a| a.id)
            .collect();
        Changed {
            allocations,
            owner: before.route_owners != after.route_owners,
            edge: before.edge != after.edge || before.wake != after.wake,
            stores: (
                before.session_store,
                before.idempotency_store,
                before.broadcast,
            ) != (
                after.session_store,
                after.idempotency_store,
                after.broadcast,
            ),
            db: before.db != after.db,
        }
    }
}

impl LabSession {
    /// A scenario at its start, with its own switches and its script ready to step through.
    pub fn open(scenario: Scenario) -> LabSession {
        let timeline = Timeline::new(scenario.script.clone(), 0);
        LabSession {
            policy: scenario.policy,
            scenario,
            timeline,
        }
    }

    pub fn open_slug(slug: &str) -> Option<LabSession> {
        scenario(slug).map(LabSession::open)
    }

    /// Rebuild the exact moment a share link describes.
    pub fn from_link(link: &LabLink) -> Result<LabSession, String> {
        let scenario = scenario(&link.scenario).ok_or_else(|| {
            format!(
                "This link names a scenario (“{}”) this version of the Lab does not have.",
                link.scenario
            )
        })?;
        if link.seed != scenario.start.seed {
            return Err(format!(
                "This link was made with seed {}, but this scenario runs on seed {}; it would not show the same moment.",
                link.seed, scenario.start.seed
            ));
        }
        let actions: Option<Vec<Action>> =
            link.actions.iter().map(|c| Action::from_code(c)).collect();
        let actions =
            actions.ok_or("This link holds an action this version of the Lab does not know.")?;
        let mut policy = Policy::default();
        for (i, ap) in AntiPattern::ALL.into_iter().enumerate() {
            policy.set(ap, link.switches & (1 << i) != 0);
        }
        Ok(LabSession {
            scenario,
            policy,
            timeline: Timeline::new(actions, link.step),
        })
    }

    pub fn to_link(&self) -> LabLink {
        let switches = AntiPattern::ALL
            .into_iter()
            .enumerate()
            .filter(|(_, ap)| self.policy.is_naive(*ap))
            .fold(0u8, |m, (i, _)| m | 1 << i);
        LabLink {
            scenario: self.scenario.slug.to_string(),
            seed: self.scenario.start.seed,
            switches,
            actions: self
                .timeline
                .actions()
                .iter()
                .map(Action::to_code)
                .collect(),
            step: self.timeline.cursor(),
        }
    }

    /// Turn on exactly one anti-pattern (or none): instructors show one lie at a time.
    pub fn set_only(&mut self, ap: Option<AntiPattern>) {
        let mut p = Policy::default();
        if let Some(ap) = ap {
            p.set(ap, true);
        }
        self.policy = p;
    }

    pub fn trace(&self) -> Trace {
        replay(&self.scenario.start, &self.policy, self.timeline.actions())
    }

    /// The world after `n` actions of the timeline.
    pub fn world_at(&self, trace: &Trace, n: usize) -> World {
        trace.steps[..n.min(trace.steps.len())]
            .iter()
            .rev()
            .find_map(|s| s.outcome.as_ref().ok().map(|st| st.world))
            .unwrap_or(trace.start)
    }

    pub fn view(&self) -> LabView {
        let trace = self.trace();
        let cursor = self.timeline.cursor();
        let world = self.world_at(&trace, cursor);

        let mut narration = Vec::with_capacity(trace.steps.len());
        let mut broken: Vec<Option<(usize, Violation)>> = vec![None; Invariant::ALL.len()];
        let mut goal_met_at = None;
        let mut w = trace.start;
        for (i, s) in trace.steps.iter().enumerate() {
            let n = i + 1;
            let (text, refused, broke) = match &s.outcome {
                Ok(st) => {
                    w = st.world;
                    if n <= cursor {
                        for v in &st.violations {
                            let slot = &mut broken[v.invariant.number() as usize - 1];
                            if slot.is_none() {
                                *slot = Some((n, v.clone()));
                            }
                        }
                    }
                    // Violations come sorted by invariant; one mention each.
                    let mut broke: Vec<Invariant> =
                        st.violations.iter().map(|v| v.invariant).collect();
                    broke.dedup();
                    (st.narration.clone(), false, broke)
                }
                Err(r) => (format!("Refused: {}", r.reason), true, Vec::new()),
            };
            if goal_met_at.is_none() && n <= cursor && self.scenario.goal.goal_met(&w) {
                goal_met_at = Some(n);
            }
            narration.push(NarrationLine {
                step: n,
                action: s.action.label(),
                text,
                refused,
                broke,
            });
        }
        if cursor == 0 && self.scenario.goal.goal_met(&trace.start) {
            goal_met_at = Some(0);
        }

        let controls = menu(&world)
            .into_iter()
            .map(|action| Control {
                label: action.label(),
                explain: action.explain(),
                is_fault: action.is_fault(),
                allowed: step(&world, &action, &self.policy)
                    .map(|_| ())
                    .map_err(|r| r.reason),
                action,
            })
            .collect();

        LabView {
            goal_met: self.scenario.goal.goal_met(&world),
            goal_met_at,
            disagreements: disagreements(&world),
            route_target: world.route_target(&self.policy),
            changed: match cursor {
                0 => Changed::default(),
                n => Changed::between(&self.world_at(&trace, n - 1), &world),
            },
            invariants: Invariant::ALL
                .into_iter()
                .zip(broken)
                .map(|(invariant, broken)| InvariantStatus { invariant, broken })
                .collect(),
            narration,
            step: cursor,
            steps: self.timeline.len(),
            controls,
            world,
        }
    }
}

/// Where the evidence says something the truth does not: the lesson of
/// "Using logs as truth". Truth is the operation stage records.
pub fn disagreements(w: &World) -> Vec<String> {
    let mut out = Vec::new();
    let record = |op: u8| w.op(op).and_then(|o| o.stage());
    for (name, view) in [("Console", w.console), ("CLI", w.cli)] {
        if let Some(v) = view {
            match record(v.op) {
                Some(stage) if stage != v.stage => out.push(format!(
                    "{name} shows op {} {} as “{}”, but its stage record says “{}”.",
                    v.op,
                    v.kind.name(),
                    v.stage.name(),
                    stage.name()
                )),
                None => out.push(format!(
                    "{name} shows op {} but no stage record exists for it.",
                    v.op
                )),
                _ => {}
            }
        }
    }
    if let (Some(a), Some(b)) = (w.console, w.cli) {
        if a != b {
            out.push(format!(
                "Console says op {} is “{}” while the CLI says op {} is “{}”.",
                a.op,
                a.stage.name(),
                b.op,
                b.stage.name()
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scenario_opens_and_its_script_reaches_its_goal_under_the_correct_policy() {
        for s in scenarios() {
            let mut lab = LabSession::open(s.clone());
            lab.set_only(None);
            lab.timeline.jump(usize::MAX);
            let view = lab.view();
            assert!(view.goal_met, "{}: goal not met by its script", s.slug);
            assert!(
                view.invariants.iter().all(|i| i.broken.is_none()),
                "{}",
                s.slug
            );
        }
    }

    #[test]
    fn each_card_opens_a_scenario_that_breaks_with_its_switch_on() {
        for ap in AntiPattern::ALL {
            let s = scenario_for_card(ap.slug()).expect("every card has a scenario");
            let mut lab = LabSession::open(s);
            assert!(lab.policy.is_naive(ap));
            lab.timeline.jump(usize::MAX);
            let view = lab.view();
            let red: Vec<_> = view
                .invariants
                .iter()
                .filter(|i| i.broken.is_some())
                .collect();
            assert!(!red.is_empty(), "{}: nothing broke", ap.slug());
        }
    }

    #[test]
    fn a_share_link_reproduces_the_same_moment() {
        let mut lab = LabSession::open(scenario_for_card("unsafe-wake-replay").unwrap());
        lab.timeline.jump(3);
        let link = lab.to_link();
        let again = LabSession::from_link(&LabLink::decode(&link.encode()).unwrap()).unwrap();
        assert_eq!(again.view(), lab.view());
        assert_eq!(again.to_link(), link);
    }

    #[test]
    fn links_to_unknown_things_are_refused_with_a_reason() {
        let mut link = LabSession::open_slug(DEFAULT_SCENARIO).unwrap().to_link();
        link.scenario = "no-such-drill".into();
        assert!(LabSession::from_link(&link)
            .unwrap_err()
            .contains("does not have"));
        let mut link = LabSession::open_slug(DEFAULT_SCENARIO).unwrap().to_link();
        link.actions.push("zz".into());
        assert!(LabSession::from_link(&link).is_err());
    }

    #[test]
    fn the_view_says_what_the_last_step_changed() {
        let mut lab = LabSession::open_slug("happy-promotion").unwrap();
        assert_eq!(lab.view().changed, Changed::default());
        lab.timeline.jump(2); // deploy B, promote B
        let changed = lab.view().changed;
        assert!(changed.owner, "promotion moves the route owner");
        assert!(changed.db, "B's additive migration runs as it is promoted");
    }

    #[test]
    fn stepping_back_clears_what_was_broken_later() {
        let mut lab = LabSession::open(scenario_for_card("unsafe-wake-replay").unwrap());
        lab.timeline.jump(usize::MAX);
        assert!(lab.view().invariants.iter().any(|i| i.broken.is_some()));
        lab.timeline.jump(0);
        assert!(lab.view().invariants.iter().all(|i| i.broken.is_none()));
    }
}
