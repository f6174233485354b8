//! Where the Lab makes each decision of a decision lab: found by playing the
//! drills and watching what the platform did at each action (its effect on
//! the world), not by a hand-written map. A decision lab links its current
//! decision to the first drill step where the Lab makes that same decision.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::decisions::LABS;
use super::walk::{lab_policy, walk, Moment};
use crate::sim::decide::{scale_readiness, RegionGate, ScaleDecision};
use crate::sim::drill::drills;
use crate::sim::lifecycle::FAILED;
use crate::sim::topology;
use crate::sim::world::{OpKind, RegionStage, ReqKind, ReqState, SessionState, World};
use crate::sim::Action;

/// A drill and the line before which the Lab is about to decide.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Situation {
    pub drill: String,
    /// Lines of the drill already played: `#/lab?drill=…&step=line`.
    pub line: usize,
}

fn op_of(w: &World, a: &Action, kind: OpKind) -> Option<u8> {
    match *a {
        Action::WorkerNext { op } if w.ops[op as usize].used && w.ops[op as usize].kind == kind => {
            Some(op)
        }
        _ => None,
    }
}

/// The decision of lab `slug` this action shows, read from what it did:
/// the outcome key of the lab, or `None` if the lab's decision was not made here.
pub fn decided_here(slug: &str, m: &Moment<'_>) -> Option<&'static str> {
    let (w, a) = (m.before, m.action);
    match slug {
        "deploy-impact" => {
            let op = op_of(w, a, OpKind::Deploy)?;
            let (o, after) = (w.ops[op as usize], m.after?.ops[op as usize]);
            if o.stage == 0 || o.stage >= 3 {
                None
            } else if after.stage == FAILED {
                Some("blocked")
            } else if o.stage == 2 && after.needs_ack {
                Some("cold-needs-ack")
            } else if o.stage == 2 && after.stage == 3 {
                Some("warm")
            } else {
                None
            }
        }
        "route-event" => {
            let Action::PopConsume { pop } = *a else {
                return None;
            };
            let (p, q) = (w.pops[pop as usize], m.after?.pops[pop as usize]);
            if q.fail_closed && !p.fail_closed {
                Some("fail-closed")
            } else if q.applied_epoch != p.applied_epoch {
                Some("apply")
            } else {
                Some("ignore")
            }
        }
        "resume-or-fresh" => {
            let after = m.after?;
            w.sessions
                .iter()
                .zip(after.sessions.iter())
                .find_map(|(s, t)| {
                    let was = matches!(
                        s.state,
                        SessionState::Connected
                            | SessionState::Detached
                            | SessionState::Resumed
                            | SessionState::Fresh
                            | SessionState::Expired
                    );
                    match (was, s.state, t.state) {
                        (true, SessionState::Detached, SessionState::Connected) => Some("original"),
                        (true, from, SessionState::Resumed) if from != SessionState::Resumed => {
                            Some("resume")
                        }
                        (true, from, SessionState::Fresh) if from != SessionState::Fresh => {
                            Some("fresh")
                        }
                        _ => None,
                    }
                })
        }
        "wake-request" => {
            let after = m.after?;
            let n = w
                .requests
                .iter()
                .zip(after.requests.iter())
                .find(|(r, n)| !r.used && n.used)
                .map(|(_, n)| n)?;
            Some(match (n.state, n.kind) {
                (ReqState::Served, _) => "serve",
                (ReqState::Retry, _) => "retry-503",
                (ReqState::Held, ReqKind::Webhook) => "hold-replay",
                (ReqState::Held, _) => "hold",
            })
        }
        "scale-readiness" => {
            // Not a step of its own: the readiness of the world the drill starts in.
            (m.line == 0).then(|| {
                match scale_readiness(
                    w.session_store.bound,
                    w.broadcast.bound,
                    w.idempotency_store.bound,
                ) {
                    ScaleDecision::Allowed => "allowed",
                    ScaleDecision::BlockedNoSessionStore => "blocked-no-session-store",
                    ScaleDecision::BlockedNoBroadcast => "blocked-no-broadcast",
                    ScaleDecision::BlockedNoIdempotency => "blocked-no-idempotency",
                }
            })
        }
        "region-enablement" => {
            let op = op_of(w, a, OpKind::RegionEnable)?;
            let region = w.ops[op as usize].target;
            let after = m.after?;
            if after.ops[op as usize].stage == FAILED && w.ops[op as usize].stage != FAILED {
                Some(match topology::gates(w, region) {
                    RegionGate::BlockedResidency => "blocked-residency",
                    RegionGate::BlockedSecrets => "blocked-secrets",
                    RegionGate::BlockedDataTopology => "blocked-data-topology",
                    RegionGate::BlockedArtifacts => "blocked-artifacts",
                    RegionGate::Eligible => return None,
                })
            } else if after.regions[region as usize].stage == RegionStage::Eligible
                && w.regions[region as usize].stage != RegionStage::Eligible
            {
                Some("eligible")
            } else {
                None
            }
        }
        "host-drain" => {
            let op = op_of(w, a, OpKind::HostDrain)?;
            match (w.ops[op as usize].stage, m.after) {
                (0, None) => Some("blocked-no-headroom"),
                (2, None) => Some("blocked-sessions"),
                (2, Some(_)) => Some("safe"),
                _ => None,
            }
        }
        _ => None,
    }
}

/// For each (lab, outcome), the first drill step (in file order) where the
/// Lab makes that decision. Anti-pattern drills are left out: their switch
/// replaces the decision with the naive one.
pub fn situations() -> &'static BTreeMap<(&'static str, &'static str), Situation> {
    static INDEX: OnceLock<BTreeMap<(&'static str, &'static str), Situation>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = BTreeMap::new();
        for d in drills().iter().filter(|d| d.switch.is_none()) {
            walk(d, lab_policy(d), |m| {
                for lab in LABS {
                    if let Some(key) = decided_here(lab.slug, &m) {
                        index.entry((lab.slug, key)).or_insert_with(|| Situation {
                            drill: d.slug.clone(),
                            line: m.line,
                        });
                    }
                }
            });
        }
        index
    })
}

/// Where the Lab makes this decision, if any drill shows it.
pub fn situation(lab: &str, outcome: &str) -> Option<&'static Situation> {
    situations()
        .iter()
        .find(|((l, o), _)| *l == lab && *o == outcome)
        .map(|(_, s)| s)
}
