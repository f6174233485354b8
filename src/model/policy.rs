//! The seven anti-patterns and the `Policy` that switches each one on.
//!
//! Every switch changes only the behaviour its card describes; with all switches
//! off the model is the correct platform.

use serde::{Deserialize, Serialize};

/// One anti-pattern card, in the cards' own order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AntiPattern {
    SessionsTeleport,
    LogsAsTruth,
    EventBusAsDatabase,
    RoutingByHealthyBackend,
    UnsafeWakeReplay,
    MvpErasesTopology,
    WarmDeployEqualsSafeRollback,
}

impl AntiPattern {
    /// All seven, in card order.
    pub const ALL: [AntiPattern; 7] = [
        AntiPattern::SessionsTeleport,
        AntiPattern::LogsAsTruth,
        AntiPattern::EventBusAsDatabase,
        AntiPattern::RoutingByHealthyBackend,
        AntiPattern::UnsafeWakeReplay,
        AntiPattern::MvpErasesTopology,
        AntiPattern::WarmDeployEqualsSafeRollback,
    ];

    /// The card slug the UI links to.
    pub fn slug(self) -> &'static str {
        match self {
            AntiPattern::SessionsTeleport => "sessions-teleport",
            AntiPattern::LogsAsTruth => "logs-as-truth",
            AntiPattern::EventBusAsDatabase => "event-bus-as-database",
            AntiPattern::RoutingByHealthyBackend => "routing-by-healthy-backend",
            AntiPattern::UnsafeWakeReplay => "unsafe-wake-replay",
            AntiPattern::MvpErasesTopology => "mvp-erases-topology",
            AntiPattern::WarmDeployEqualsSafeRollback => "warm-deploy-equals-safe-rollback",
        }
    }

    /// Looks a card up by slug.
    pub fn from_slug(slug: &str) -> Option<AntiPattern> {
        AntiPattern::ALL.into_iter().find(|a| a.slug() == slug)
    }

    /// The card title.
    pub fn title(self) -> &'static str {
        match self {
            AntiPattern::SessionsTeleport => "Pretending Sessions Teleport",
            AntiPattern::LogsAsTruth => "Using Logs As Truth",
            AntiPattern::EventBusAsDatabase => "Event Bus As Database",
            AntiPattern::RoutingByHealthyBackend => "Routing By Healthy Backend",
            AntiPattern::UnsafeWakeReplay => "Unsafe Wake Replay",
            AntiPattern::MvpErasesTopology => "MVP Erases Topology",
            AntiPattern::WarmDeployEqualsSafeRollback => "Warm Deploy Equals Safe Rollback",
        }
    }

    /// 1..=7 in card order.
    pub fn number(self) -> u8 {
        self as u8 + 1
    }

    /// The card's three warning signals, exactly as written on the card.
    pub fn signals(self) -> [&'static str; 3] {
        match self {
            AntiPattern::SessionsTeleport => [
                "old allocation still has sockets",
                "resume promised without session store",
                "region failover UX hides fresh session",
            ],
            AntiPattern::LogsAsTruth => [
                "console status differs from CLI",
                "late worker report overwrites newer state",
                "support cannot answer who did what",
            ],
            AntiPattern::EventBusAsDatabase => [
                "snapshot gap ignored",
                "duplicate event mutates state twice",
                "consumer restart changes product truth",
            ],
            AntiPattern::RoutingByHealthyBackend => [
                "rollback races health check",
                "preview allocation gets prod traffic",
                "edge accepts stale owner",
            ],
            AntiPattern::UnsafeWakeReplay => [
                "duplicate payments",
                "action runs after user thinks it failed",
                "provider retries create multiple records",
            ],
            AntiPattern::MvpErasesTopology => [
                "hardcoded region in app id",
                "provider binding lacks region",
                "logs cannot answer where code ran",
            ],
            AntiPattern::WarmDeployEqualsSafeRollback => [
                "old artifact expects removed column",
                "migration changed data irreversibly",
                "rollback button ignores DB contract",
            ],
        }
    }

    /// What the naive switch does, in one sentence.
    pub fn naive_behaviour(self) -> &'static str {
        match self {
            AntiPattern::SessionsTeleport => {
                "On promotion or failover the old allocation is killed and its sessions are shown as moved."
            }
            AntiPattern::LogsAsTruth => {
                "The console reads status from logs, and a late worker report is believed."
            }
            AntiPattern::EventBusAsDatabase => {
                "The edge applies whatever event arrives next: across gaps, twice, or after a cursor-less restart."
            }
            AntiPattern::RoutingByHealthyBackend => {
                "Any healthy allocation gets production traffic, and health decides who owns the route."
            }
            AntiPattern::UnsafeWakeReplay => {
                "During a wake, every POST and webhook is buffered and replayed, keys or not."
            }
            AntiPattern::MvpErasesTopology => {
                "New allocations, log lines and bindings carry no region or cell."
            }
            AntiPattern::WarmDeployEqualsSafeRollback => {
                "Rollback checks only the Vango state gate, never the database contract."
            }
        }
    }
}

/// Which anti-patterns are switched on. `Policy::default()` is the correct platform.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Policy {
    pub sessions_teleport: bool,
    pub logs_as_truth: bool,
    pub event_bus_as_database: bool,
    pub routing_by_healthy_backend: bool,
    pub unsafe_wake_replay: bool,
    pub mvp_erases_topology: bool,
    pub warm_deploy_equals_safe_rollback: bool,
}

impl Policy {
    /// The correct platform with exactly one naive switch on.
    pub fn with(ap: AntiPattern) -> Policy {
        let mut p = Policy::default();
        p.set(ap, true);
        p
    }

    fn slot(&mut self, ap: AntiPattern) -> &mut bool {
        match ap {
            AntiPattern::SessionsTeleport => &mut self.sessions_teleport,
            AntiPattern::LogsAsTruth => &mut self.logs_as_truth,
            AntiPattern::EventBusAsDatabase => &mut self.event_bus_as_database,
            AntiPattern::RoutingByHealthyBackend => &mut self.routing_by_healthy_backend,
            AntiPattern::UnsafeWakeReplay => &mut self.unsafe_wake_replay,
            AntiPattern::MvpErasesTopology => &mut self.mvp_erases_topology,
            AntiPattern::WarmDeployEqualsSafeRollback => &mut self.warm_deploy_equals_safe_rollback,
        }
    }

    /// Is this anti-pattern's naive behaviour on?
    pub fn is_naive(&self, ap: AntiPattern) -> bool {
        let mut copy = *self;
        *copy.slot(ap)
    }

    /// Switches one anti-pattern on (`true`) or off.
    pub fn set(&mut self, ap: AntiPattern, naive: bool) {
        *self.slot(ap) = naive;
    }

    /// The switches that are on, in card order.
    pub fn naive_switches(&self) -> Vec<AntiPattern> {
        AntiPattern::ALL
            .into_iter()
            .filter(|a| self.is_naive(*a))
            .collect()
    }

    /// True when every switch is off.
    pub fn is_correct(&self) -> bool {
        *self == Policy::default()
    }
}
