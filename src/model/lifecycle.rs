//! Every lifecycle as an explicit state machine. A transition that the machine
//! does not allow is a refusal, never a silent overwrite.

use serde::{Deserialize, Serialize};

/// Why an action or transition was refused (static so the checker never allocates).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Why(pub &'static str);

/// Internal result type for refusable work.
pub type Res<T> = Result<T, Why>;

fn go<T>(to: T, ok: bool, why: &'static str) -> Res<T> {
    if ok {
        Ok(to)
    } else {
        Err(Why(why))
    }
}

/// Allocation lifecycle: planned → pulling → starting → ready → draining → stopped; failed from any.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AllocLife {
    #[default]
    Planned,
    Pulling,
    Starting,
    Ready,
    Draining,
    Stopped,
    Failed,
}

impl AllocLife {
    /// Whether the machine allows `self → to`.
    pub fn allows(self, to: AllocLife) -> bool {
        use AllocLife::*;
        match (self, to) {
            (Planned, Pulling) | (Pulling, Starting) | (Starting, Ready) => true,
            (Ready, Draining) | (Draining, Stopped) => true,
            (Stopped | Failed, Failed) => false,
            (_, Failed) => true,
            _ => false,
        }
    }
    /// Checked transition.
    pub fn go(self, to: AllocLife) -> Res<AllocLife> {
        go(
            to,
            self.allows(to),
            "That allocation cannot make this lifecycle move.",
        )
    }
    /// Still holds resources (not stopped or failed).
    pub fn is_running(self) -> bool {
        !matches!(self, AllocLife::Stopped | AllocLife::Failed)
    }
    /// Lower-case name as in the spec.
    pub fn name(self) -> &'static str {
        match self {
            AllocLife::Planned => "planned",
            AllocLife::Pulling => "pulling",
            AllocLife::Starting => "starting",
            AllocLife::Ready => "ready",
            AllocLife::Draining => "draining",
            AllocLife::Stopped => "stopped",
            AllocLife::Failed => "failed",
        }
    }
}

/// Deploy operation: queued → building → validating → preview_ready; exits blocked, failed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeployStage {
    #[default]
    Queued,
    Building,
    Validating,
    PreviewReady,
    Blocked,
    Failed,
}

impl DeployStage {
    /// Whether the machine allows `self → to`.
    pub fn allows(self, to: DeployStage) -> bool {
        use DeployStage::*;
        match (self, to) {
            (Queued, Building) | (Building, Validating) => true,
            (Validating, PreviewReady) | (Validating, Blocked) => true,
            // A blocked cold deploy continues once the learner acknowledges it.
            (Blocked, PreviewReady) => true,
            (Queued | Building | Validating | Blocked, Failed) => true,
            _ => false,
        }
    }
    /// Terminal or waiting stages.
    pub fn is_done(self) -> bool {
        matches!(self, DeployStage::PreviewReady | DeployStage::Failed)
    }
}

/// Promotion (and rollback, failover): requested → policy_check → route_cas →
/// edge_propagating → healthy; exits failed, rolled_back.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PromotionStage {
    #[default]
    Requested,
    PolicyCheck,
    RouteCas,
    EdgePropagating,
    Healthy,
    Failed,
    RolledBack,
}

impl PromotionStage {
    /// Whether the machine allows `self → to`.
    pub fn allows(self, to: PromotionStage) -> bool {
        use PromotionStage::*;
        matches!(
            (self, to),
            (Requested, PolicyCheck)
                | (PolicyCheck, RouteCas)
                | (RouteCas, EdgePropagating)
                | (EdgePropagating, Healthy)
                | (Requested | PolicyCheck | RouteCas | EdgePropagating, Failed)
                | (Healthy, RolledBack)
        )
    }
    /// No further stage will be written by a correct worker.
    pub fn is_done(self) -> bool {
        matches!(
            self,
            PromotionStage::Healthy | PromotionStage::Failed | PromotionStage::RolledBack
        )
    }
}

/// Wake (scale to zero): sleeping → wake_requested → starting → readiness_wait → hot;
/// failed; hot → sleeping when idle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WakeStage {
    #[default]
    Hot,
    Sleeping,
    WakeRequested,
    Starting,
    ReadinessWait,
    Failed,
}

impl WakeStage {
    /// Whether the machine allows `self → to`.
    pub fn allows(self, to: WakeStage) -> bool {
        use WakeStage::*;
        match (self, to) {
            (Sleeping, WakeRequested) | (WakeRequested, Starting) => true,
            (Starting, ReadinessWait) | (ReadinessWait, Hot) | (Hot, Sleeping) => true,
            (WakeRequested | Starting | ReadinessWait, Failed) => true,
            // After a failed wake the next request may try again.
            (Failed, WakeRequested) => true,
            _ => false,
        }
    }
    /// Checked transition.
    pub fn go(self, to: WakeStage) -> Res<WakeStage> {
        go(
            to,
            self.allows(to),
            "The app cannot make this wake move now.",
        )
    }
    /// A wake is under way (not hot, sleeping or failed).
    pub fn is_waking(self) -> bool {
        matches!(
            self,
            WakeStage::WakeRequested | WakeStage::Starting | WakeStage::ReadinessWait
        )
    }
}

/// One recorded stage of any operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stage {
    Deploy(DeployStage),
    Promotion(PromotionStage),
    Wake(WakeStage),
}

impl Default for Stage {
    fn default() -> Self {
        Stage::Deploy(DeployStage::Queued)
    }
}

impl Stage {
    /// Whether `self → to` is a legal move of the same machine.
    pub fn allows(self, to: Stage) -> bool {
        match (self, to) {
            (Stage::Deploy(a), Stage::Deploy(b)) => a.allows(b),
            (Stage::Promotion(a), Stage::Promotion(b)) => a.allows(b),
            (Stage::Wake(a), Stage::Wake(b)) => a.allows(b),
            _ => false,
        }
    }
    /// snake_case stage name as in the spec.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Deploy(s) => match s {
                DeployStage::Queued => "queued",
                DeployStage::Building => "building",
                DeployStage::Validating => "validating",
                DeployStage::PreviewReady => "preview_ready",
                DeployStage::Blocked => "blocked",
                DeployStage::Failed => "failed",
            },
            Stage::Promotion(s) => match s {
                PromotionStage::Requested => "requested",
                PromotionStage::PolicyCheck => "policy_check",
                PromotionStage::RouteCas => "route_cas",
                PromotionStage::EdgePropagating => "edge_propagating",
                PromotionStage::Healthy => "healthy",
                PromotionStage::Failed => "failed",
                PromotionStage::RolledBack => "rolled_back",
            },
            Stage::Wake(s) => match s {
                WakeStage::Hot => "hot",
                WakeStage::Sleeping => "sleeping",
                WakeStage::WakeRequested => "wake_requested",
                WakeStage::Starting => "starting",
                WakeStage::ReadinessWait => "readiness_wait",
                WakeStage::Failed => "failed",
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocation_lifecycle_is_a_chain_with_failed_from_any() {
        use AllocLife::*;
        let mut l = Planned;
        for to in [Pulling, Starting, Ready, Draining, Stopped] {
            l = l.go(to).unwrap();
        }
        assert_eq!(l, Stopped);
        assert!(Stopped.go(Failed).is_err());
        assert!(Ready.go(Stopped).is_err(), "must drain before stop");
        for from in [Planned, Pulling, Starting, Ready, Draining] {
            assert!(from.allows(Failed));
        }
        assert!(Ready.go(Planned).is_err());
    }

    #[test]
    fn deploy_promotion_and_wake_machines() {
        assert!(DeployStage::Validating.allows(DeployStage::Blocked));
        assert!(DeployStage::Blocked.allows(DeployStage::PreviewReady));
        assert!(!DeployStage::Queued.allows(DeployStage::PreviewReady));
        assert!(!DeployStage::PreviewReady.allows(DeployStage::Failed));
        assert!(PromotionStage::RouteCas.allows(PromotionStage::EdgePropagating));
        assert!(!PromotionStage::Requested.allows(PromotionStage::RouteCas));
        assert!(!PromotionStage::Failed.allows(PromotionStage::Healthy));
        assert!(PromotionStage::Healthy.allows(PromotionStage::RolledBack));
        assert!(
            WakeStage::Sleeping.go(WakeStage::Hot).is_err(),
            "never hot before readiness"
        );
        assert!(WakeStage::ReadinessWait.go(WakeStage::Hot).is_ok());
        assert!(WakeStage::Hot.go(WakeStage::Sleeping).is_ok());
        assert!(!Stage::Wake(WakeStage::Hot).allows(Stage::Deploy(DeployStage::Queued)));
    }
}
