//! The 21 warning signals of the anti-pattern cards, each lit by a condition
//! in the world (and, for the two views, what the views show) — never by which
//! action ran. A signal names its card by slug and its line by index; the text
//! stays in content/anti_patterns.toml.

use super::invariant::committed_at;
use super::lifecycle::FAILED;

use super::policy::Policy;
use super::promotion::{cli_status, console_status, POLICY_CHECK};
use super::world::*;
use serde::Serialize;

#[derive(Clone, Copy, Debug, Serialize)]
pub struct Signal {
    /// Card slug in content/anti_patterns.toml.
    pub card: &'static str,
    /// Index into that card's `signals`.
    pub index: u8,
    #[serde(skip)]
    pub lit: fn(&World, Policy) -> bool,
    /// What in the world lights it (shown beside the card's text).
    pub because: &'static str,
}

macro_rules! signals {
    ($($card:literal $index:literal $because:literal $f:expr;)*) => {
        pub const SIGNALS: [Signal; 21] = [$(Signal { card: $card, index: $index, lit: $f, because: $because },)*];
    };
}

signals! {
    "sessions-teleport" 0 "a session shows as connected while the allocation its socket opened on is stopped" old_alloc_has_sockets;
    "sessions-teleport" 1 "a session shows as continuing elsewhere with no reachable store holding its state" resume_without_store;
    "sessions-teleport" 2 "a session shows as connected in another region than it connected to" failover_hides_fresh;
    "logs-as-truth" 0 "the console and the CLI show different stages for one operation" |w, p| console_differs(w, p);
    "logs-as-truth" 1 "the route owner went back to an older epoch after a report arrived" |w, _| owner_regressed(w);
    "logs-as-truth" 2 "a route write has no operation record that committed it" |w, _| unattributed_write(w);
    "event-bus-as-database" 0 "a POP applied past a dropped event" |w, _| w.pops.iter().any(|p| p.skipped_gap);
    "event-bus-as-database" 1 "a POP applied the same event twice" |w, _| w.pops.iter().any(|p| p.double_applied);
    "event-bus-as-database" 2 "a POP routes by an older epoch than it had applied" |w, _| w.pops.iter().any(|p| p.rewound);
    "routing-by-healthy-backend" 0 "a POP served an artifact the committed owner is not" |w, _| served_not_owner(w);
    "routing-by-healthy-backend" 1 "a preview allocation answered production traffic" |w, _| w.pops.iter().any(|p| p.served_preview);
    "routing-by-healthy-backend" 2 "a POP sent traffic to an earlier owner instead of the owner of its epoch" |w, _| stale_owner_at_edge(w);
    "unsafe-wake-replay" 0 "one payment charged more than once" |w, _| w.charges.iter().any(|c| *c > 1);
    "unsafe-wake-replay" 1 "a buffered action ran after the wake budget had passed" |w, _| w.late_replay;
    "unsafe-wake-replay" 2 "a provider retry and its original were both processed" |w, _| retry_processed_twice(w);
    "mvp-erases-topology" 0 "an allocation's recorded region is not where it runs" |w, _| w.allocs.iter().any(|a| a.used && a.stamped_region != a.region());
    "mvp-erases-topology" 1 "a binding's recorded region is not where it lives" |w, _| binding_misplaced(w);
    "mvp-erases-topology" 2 "an allocation was stopped as if it ran in another region" |w, _| stopped_by_wrong_place(w);
    "warm-deploy-equals-safe-rollback" 0 "a running allocation reads a column the database dropped" |w, _| reads_dropped(w);
    "warm-deploy-equals-safe-rollback" 1 "the route owner needs a column a migration removed" |w, _| w.artifacts[w.owner.artifact as usize].reads & !w.db.columns != 0;
    "warm-deploy-equals-safe-rollback" 2 "a rollback passed its policy check for an artifact the schema cannot serve" |w, _| rollback_past_db(w);
}

/// The signals lit at `w`.
pub fn lit(w: &World, p: Policy) -> Vec<&'static Signal> {
    SIGNALS.iter().filter(|s| (s.lit)(w, p)).collect()
}

fn old_alloc_has_sockets(w: &World, _: Policy) -> bool {
    w.sessions.iter().any(|s| {
        s.state == SessionState::Connected
            && matches!(
                w.allocs[s.handshake as usize].state,
                AllocState::Stopped | AllocState::Failed
            )
    })
}

fn resume_without_store(w: &World, _: Policy) -> bool {
    let reachable = super::sessions::store_reachable(w);
    w.sessions
        .iter()
        .any(|s| s.state.live() && s.alloc != s.handshake && !(reachable && s.stored))
}

fn failover_hides_fresh(w: &World, _: Policy) -> bool {
    w.sessions.iter().any(|s| {
        s.state == SessionState::Connected
            && w.allocs[s.alloc as usize].region() != w.allocs[s.handshake as usize].region()
    })
}

fn console_differs(w: &World, p: Policy) -> bool {
    (0..MAX_OPS as u8)
        .any(|i| w.ops[i as usize].used && console_status(w, p, i) != cli_status(w, i))
}

fn owner_regressed(w: &World) -> bool {
    // A later write carries an epoch at or below an earlier one.
    let c: Vec<u8> = w
        .commits
        .iter()
        .filter(|c| c.epoch > 0)
        .map(|c| c.epoch)
        .collect();
    (1..c.len()).any(|j| c[..j].iter().any(|&e| c[j] <= e))
}

fn unattributed_write(w: &World) -> bool {
    w.commits.iter().any(|c| {
        c.epoch > 0 && c.op != super::invariant::BOOTSTRAP_OP && {
            let o = &w.ops[c.op as usize];
            o.won_epoch != c.epoch
        }
    })
}

fn served_not_owner(w: &World) -> bool {
    w.pops.iter().any(|p| matches!(p.last_served, Some((art, epoch)) if committed_at(w, epoch).is_some_and(|o| o != art)))
}

fn stale_owner_at_edge(w: &World) -> bool {
    // Traffic at a POP went to an earlier owner, not the one of the epoch it routes by.
    w.pops.iter().any(|p| {
        matches!(p.last_served, Some((art, epoch)) if committed_at(w, epoch) != Some(art)
            && w.commits.iter().any(|c| c.epoch > 0 && c.epoch < epoch && c.artifact == art))
    })
}

fn retry_processed_twice(w: &World) -> bool {
    (0..2u8).any(|pay| {
        w.requests
            .iter()
            .filter(|r| {
                r.used
                    && r.kind == ReqKind::Webhook
                    && r.payment == pay
                    && r.state == ReqState::Served
            })
            .count()
            > 1
            && w.charges[pay as usize] > 1
    })
}

fn binding_misplaced(w: &World) -> bool {
    [&w.session_store, &w.idempotency_store, &w.broadcast]
        .iter()
        .any(|b| b.bound && b.stamped_region != b.region)
}

fn stopped_by_wrong_place(w: &World) -> bool {
    w.allocs.iter().any(|a| {
        a.used && a.state == AllocState::Stopped && a.stamped_region != a.region() && a.env == PROD
    })
}

fn reads_dropped(w: &World) -> bool {
    w.allocs.iter().any(|a| {
        a.used && a.state.running() && w.artifacts[a.artifact as usize].reads & !w.db.columns != 0
    })
}

fn rollback_past_db(w: &World) -> bool {
    w.ops.iter().any(|o| {
        o.used
            && o.kind == OpKind::Rollback
            && o.stage >= POLICY_CHECK
            && o.stage != FAILED
            && w.artifacts[o.target as usize].reads & !w.db.columns != 0
    })
}

/// For the UI: the stage names of an operation as each view shows them.
pub fn views(w: &World, p: Policy, op: u8) -> (&'static str, &'static str) {
    (console_status(w, p, op), cli_status(w, op))
}
