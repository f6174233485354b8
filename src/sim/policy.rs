//! The seven anti-pattern switches. Each replaces exactly one correct code path
//! with its naive one; `Policy::default()` is the correct platform.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Switch {
    /// Promotion kills old allocations and shows sessions as moved.
    SessionsTeleport,
    /// Status is read from logs and worker reports instead of stage records.
    LogsAsTruth,
    /// A POP applies whatever event comes next, without seq/epoch checks.
    EventBusAsDatabase,
    /// Health decides eligibility: any healthy allocation is routable and promotable.
    RoutingByHealthyBackend,
    /// Unsafe requests are buffered during a wake and replayed.
    UnsafeWakeReplay,
    /// Identity is stamped with the launch region.
    MvpErasesTopology,
    /// Rollback checks only the Vango state gate.
    WarmDeployEqualsSafeRollback,
}

/// Every switch, in card order.
pub const SWITCHES: [Switch; 7] = [
    Switch::SessionsTeleport,
    Switch::LogsAsTruth,
    Switch::EventBusAsDatabase,
    Switch::RoutingByHealthyBackend,
    Switch::UnsafeWakeReplay,
    Switch::MvpErasesTopology,
    Switch::WarmDeployEqualsSafeRollback,
];

impl Switch {
    /// The anti-pattern card it belongs to (content/anti_patterns.toml).
    pub fn card_slug(self) -> &'static str {
        match self {
            Switch::SessionsTeleport => "sessions-teleport",
            Switch::LogsAsTruth => "logs-as-truth",
            Switch::EventBusAsDatabase => "event-bus-as-database",
            Switch::RoutingByHealthyBackend => "routing-by-healthy-backend",
            Switch::UnsafeWakeReplay => "unsafe-wake-replay",
            Switch::MvpErasesTopology => "mvp-erases-topology",
            Switch::WarmDeployEqualsSafeRollback => "warm-deploy-equals-safe-rollback",
        }
    }
    pub fn from_slug(slug: &str) -> Option<Switch> {
        SWITCHES.into_iter().find(|s| s.card_slug() == slug)
    }
    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// Which switches are on (naive). Empty = the correct platform.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Policy(u8);

impl Policy {
    pub fn correct() -> Policy {
        Policy(0)
    }
    pub fn with(self, s: Switch) -> Policy {
        Policy(self.0 | s.bit())
    }
    pub fn only(s: Switch) -> Policy {
        Policy::correct().with(s)
    }
    pub fn naive(self, s: Switch) -> bool {
        self.0 & s.bit() != 0
    }
    pub fn is_correct(self) -> bool {
        self.0 == 0
    }
    pub fn switches(self) -> impl Iterator<Item = Switch> {
        SWITCHES.into_iter().filter(move |s| self.naive(*s))
    }
}
