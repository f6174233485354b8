//! The invariant checks: pure functions over (before, action, after).

use super::action::Action;
use super::invariant::{Invariant, Violation};
use super::lifecycle::{AllocLife, Stage, WakeStage};
use super::policy::AntiPattern;
use super::world::*;

type Out = Vec<Violation>;

fn v(
    out: &mut Out,
    inv: Invariant,
    objects: Vec<String>,
    signal: Option<(AntiPattern, usize)>,
    detail: String,
) {
    out.push(Violation {
        invariant: inv,
        objects,
        signal,
        detail,
    });
}

/// All violations caused by `before --action--> after`: transition checks plus
/// state checks that hold in `before` but not in `after`.
pub fn check(before: &World, action: &Action, after: &World) -> Vec<Violation> {
    let mut out = Vec::new();
    transition(before, action, after, &mut out);
    let mut now = Vec::new();
    state(after, action, &mut now);
    if !now.is_empty() {
        let mut was = Vec::new();
        state(before, action, &mut was);
        out.extend(now.into_iter().filter(|x| {
            !was.iter()
                .any(|y| y.invariant == x.invariant && y.objects == x.objects)
        }));
    }
    out.sort_by_key(|x| x.invariant);
    out
}

fn transition(b: &World, action: &Action, a: &World, out: &mut Out) {
    let by_late = matches!(action, Action::LateReport);
    let blame = |ix: usize| {
        if by_late {
            Some((AntiPattern::LogsAsTruth, 1))
        } else if matches!(action, Action::HealthFlap) {
            Some((AntiPattern::RoutingByHealthyBackend, ix))
        } else {
            None
        }
    };
    // 1. Epochs per key.
    for key in [Env::Production, Env::Preview] {
        let (o0, o1) = (b.owner(key), a.owner(key));
        let moved = (o0.artifact, o0.digest, o0.place) != (o1.artifact, o1.digest, o1.place);
        if o1.epoch < o0.epoch || (moved && o1.epoch <= o0.epoch) {
            v(
                out,
                Invariant::EpochIncreases,
                vec![format!("route:{}", key.name())],
                blame(0),
                format!(
                    "The {} route owner changed to artifact {} while its epoch went {} → {}.",
                    key.name(),
                    artifact_name(o1.artifact),
                    o0.epoch,
                    o1.epoch
                ),
            );
        }
    }
    // 2. Production owner changes only through a fresh, successful CAS.
    let (o0, o1) = (b.owner(Env::Production), a.owner(Env::Production));
    if o0 != o1 {
        let by_cas = a.operations.iter().any(|op| {
            op.kind.is_promotion()
                && b.op(op.id).is_none()
                && op.read_epoch == o0.epoch
                && op.committed_epoch() == Some(o1.epoch)
                && o1.epoch == o0.epoch.wrapping_add(1)
        });
        if !by_cas {
            v(out, Invariant::CasOnly, vec!["route:production".into()], blame(2), format!(
                "The production route owner was written without a CAS on epoch {} (now artifact {} at epoch {}).",
                o0.epoch, artifact_name(o1.artifact), o1.epoch
            ));
        }
    }
    // 9. A rollback that committed although the database gate was closed.
    if let Action::Rollback { artifact } = *action {
        let o0 = b.owner(Env::Production);
        let taken = o0.artifact != artifact && a.owner(Env::Production).artifact == artifact;
        let missing = b.missing_columns(artifact);
        if taken && missing != 0 {
            let col_ix = missing.trailing_zeros() as u8;
            let col = COLUMNS.get(col_ix as usize).copied().unwrap_or("?");
            let ap = AntiPattern::WarmDeployEqualsSafeRollback;
            let name = artifact_name(artifact);
            let op = a
                .operations
                .iter()
                .rev()
                .find(|x| x.kind == OpKind::Rollback && b.op(x.id).is_none())
                .map(|x| x.id)
                .unwrap_or(0);
            v(out, Invariant::RollbackGates, vec![format!("op-{op}"), "rollback-button".into()], Some((ap, 2)), format!(
                "Roll back to {name} ran as a plain button: the state gate said warm, and the database gate (does {name} still work on today's schema?) was never asked."
            ));
            let dropper = b.artifacts.iter().enumerate().find(|(_, x)| {
                x.migrated && x.migration == Migration::Destructive { column: col_ix }
            });
            let by = dropper
                .map(|(i, _)| format!("Artifact {}'s", artifact_name(i as u8)))
                .unwrap_or_else(|| "A".into());
            v(out, Invariant::RollbackGates, vec![format!("db:{col}")], Some((ap, 1)), format!(
                "{by} destructive migration dropped \"{col}\" and its data: rolling the code back to {name} does not bring the data back. Only a forward fix or a data restore can."
            ));
        }
    }
    // 4. Edge: in order, newer epochs only, once.
    for key in [Env::Production, Env::Preview] {
        let (k0, k1) = (b.edge.keys[key.ix()], a.edge.keys[key.ix()]);
        let changed = (k0.last_applied_epoch, k0.artifact, k0.region, k0.applies)
            != (k1.last_applied_epoch, k1.artifact, k1.region, k1.applies);
        if !changed {
            continue;
        }
        let obj = vec![
            format!("edge:{}", key.name()),
            format!("event-{}", k1.last_seq),
        ];
        let ap = AntiPattern::EventBusAsDatabase;
        if k1.last_applied_epoch == k0.last_applied_epoch && !matches!(action, Action::Redeliver) {
            v(out, Invariant::EdgeInOrder, obj.clone(), Some((ap, 2)), format!(
                "A restarted consumer without a durable cursor re-applied event #{} (epoch {}): the edge's truth changed on restart.",
                k1.last_seq, k1.last_applied_epoch
            ));
        } else if k1.last_applied_epoch == k0.last_applied_epoch {
            v(
                out,
                Invariant::EdgeInOrder,
                obj.clone(),
                Some((ap, 1)),
                format!(
                    "Event #{} was applied again at epoch {}: a duplicate changed the edge twice.",
                    k1.last_seq, k1.last_applied_epoch
                ),
            );
        } else if k1.last_applied_epoch < k0.last_applied_epoch {
            v(out, Invariant::EdgeInOrder, obj.clone(), Some((ap, 2)), format!(
                "The edge went back from epoch {} to {}: a restarted consumer re-applied old truth.",
                k0.last_applied_epoch, k1.last_applied_epoch
            ));
        }
        let in_order = a.edge.cursor == b.edge.cursor.wrapping_add(1);
        let snapshot = a.edge.snapshot_seq != b.edge.snapshot_seq;
        if !in_order && !snapshot && k1.last_applied_epoch > k0.last_applied_epoch {
            v(
                out,
                Invariant::EdgeInOrder,
                obj,
                Some((ap, 0)),
                format!(
                    "The edge jumped from seq {} to {} across a gap without loading a snapshot.",
                    b.edge.cursor, a.edge.cursor
                ),
            );
        }
    }
    // 5. Traffic and new sessions reach only the owner's production allocations.
    let owner_art = a.edge.keys[Env::Production.ix()].artifact;
    let mut check_target = |what: String, alloc: u8| {
        let Some(x) = a.allocation(alloc) else { return };
        if x.env == Env::Preview || x.artifact != owner_art {
            let sig = if x.env == Env::Preview { 1 } else { 0 };
            v(
                out,
                Invariant::OwnerTraffic,
                vec![what.clone(), format!("alloc-{alloc}")],
                Some((AntiPattern::RoutingByHealthyBackend, sig)),
                format!(
                "{what} reached {} alloc-{alloc} of artifact {}, but artifact {} owns production.",
                x.env.name(), artifact_name(x.artifact), artifact_name(owner_art)
            ),
            );
        }
    };
    for r in a.requests.iter() {
        let fresh = b
            .requests
            .iter()
            .find(|x| x.id == r.id)
            .is_none_or(|x| x.outcome != r.outcome);
        if let (true, Some(alloc)) = (fresh, r.allocation) {
            check_target(format!("req-{}", r.id), alloc);
        }
    }
    for s in a.sessions.iter() {
        if !b.sessions.iter().any(|x| x.id == s.id) {
            check_target(format!("session-{}", s.id), s.allocation);
        }
    }
    // 6. Replay only with key and store; never twice.
    for r in a.requests.iter() {
        let was_held = b
            .requests
            .iter()
            .any(|x| x.id == r.id && x.outcome == Outcome::Held);
        let ran = matches!(r.outcome, Outcome::AppliedOnce | Outcome::AppliedTwice);
        if was_held
            && ran
            && r.kind.is_unsafe()
            && !(r.idempotency_key && b.idempotency_store.is_some())
        {
            v(
                out,
                Invariant::NoUnsafeReplay,
                vec![format!("req-{}", r.id)],
                Some((AntiPattern::UnsafeWakeReplay, 1)),
                format!(
                    "The buffered {} req-{} was replayed after the wake without {}.",
                    r.kind.name(),
                    r.id,
                    if r.idempotency_key {
                        "a bound idempotency store"
                    } else {
                        "an idempotency key"
                    }
                ),
            );
        }
    }
    for (ix, kind) in [(0, RequestKind::Post), (1, RequestKind::Webhook)] {
        if a.db.applied[ix] > 1 && a.db.applied[ix] > b.db.applied[ix] {
            // A payment twice is a duplicate payment; a user's action twice ran
            // after its 503 told the user it failed.
            let sig = if kind == RequestKind::Webhook { 0 } else { 1 };
            v(
                out,
                Invariant::NoUnsafeReplay,
                vec![format!("db:{}", kind.name())],
                Some((AntiPattern::UnsafeWakeReplay, sig)),
                format!(
                    "The {} mutation has now run {} times.",
                    kind.name(),
                    a.db.applied[ix]
                ),
            );
        }
    }
    for r in a.requests.iter() {
        let newly_twice = r.outcome == Outcome::AppliedTwice
            && b.requests
                .iter()
                .find(|x| x.id == r.id)
                .is_none_or(|x| x.outcome != Outcome::AppliedTwice);
        if newly_twice && r.retry {
            v(
                out,
                Invariant::NoUnsafeReplay,
                vec![format!("req-{}", r.id)],
                Some((AntiPattern::UnsafeWakeReplay, 2)),
                format!(
                    "The provider's retry req-{} created another {} record instead of attaching to the first.",
                    r.id,
                    r.kind.name()
                ),
            );
        }
    }
    // 7. Hot only after readiness.
    if b.wake != WakeStage::Hot && a.wake == WakeStage::Hot {
        let owner = a.owner(Env::Production).artifact;
        let ready = a.allocations.iter().any(|x| {
            x.env == Env::Production
                && x.artifact == owner
                && x.life == AllocLife::Ready
                && x.healthy
        });
        if !ready {
            v(
                out,
                Invariant::WakeHonest,
                vec!["app".into()],
                None,
                "The app was marked hot before any allocation of the route owner passed readiness."
                    .into(),
            );
        }
    }
    // 8. A resume needs a bound store and a warm schema.
    for s in a.sessions.iter() {
        let newly = b
            .sessions
            .iter()
            .any(|x| x.id == s.id && x.notice != SessionNotice::Resumed);
        if newly && s.notice == SessionNotice::Resumed {
            let schema = a
                .allocation(s.allocation)
                .and_then(|x| a.artifact(x.artifact))
                .map(|x| x.state_schema);
            if b.session_store.is_none() || schema != Some(s.state_schema) {
                v(
                    out,
                    Invariant::SessionsNeverMove,
                    vec![format!("session-{}", s.id)],
                    Some((AntiPattern::SessionsTeleport, 1)),
                    format!(
                        "session-{} was shown as resumed without a session store and warm state.",
                        s.id
                    ),
                );
            }
        }
    }
}

fn state(w: &World, action: &Action, out: &mut Out) {
    // 3. The owner is exactly a validated digest.
    for key in [Env::Production, Env::Preview] {
        let o = w.owner(key);
        let exact = w.artifact(o.artifact).is_some_and(|x| x.digest == o.digest);
        if !exact || !w.validated(o.artifact) {
            v(out, Invariant::ExactDigest, vec![format!("route:{}", key.name())], None, format!(
                "The {} route owner points at digest {:08x}, which is not a validated build of artifact {}.",
                key.name(), o.digest, artifact_name(o.artifact)
            ));
        }
    }
    // 7. One wake at a time.
    let waking = w.operations.iter().filter(|o| {
        o.kind == OpKind::Wake && matches!(o.stage(), Some(Stage::Wake(s)) if s.is_waking())
    });
    if waking.count() > 1 {
        v(
            out,
            Invariant::WakeHonest,
            vec!["app".into()],
            None,
            "Two wake operations are running for one app.".into(),
        );
    }
    // 8. Nothing moved; no sockets on dead allocations.
    let failover = matches!(action, Action::RegionFailover);
    for s in w.sessions.iter() {
        let obj = vec![
            format!("session-{}", s.id),
            format!("alloc-{}", s.allocation),
        ];
        if s.notice == SessionNotice::Moved {
            let sig = if failover {
                2
            } else if w.session_store.is_none() {
                1
            } else {
                0
            };
            v(
                out,
                Invariant::SessionsNeverMove,
                obj,
                Some((AntiPattern::SessionsTeleport, sig)),
                format!(
                    "session-{} is shown as moved to alloc-{}; a live session cannot move.",
                    s.id, s.allocation
                ),
            );
        } else if !w
            .allocation(s.allocation)
            .is_some_and(|x| x.life.is_running())
        {
            v(
                out,
                Invariant::SessionsNeverMove,
                obj,
                Some((AntiPattern::SessionsTeleport, 0)),
                format!(
                    "session-{} still holds a socket on stopped alloc-{}.",
                    s.id, s.allocation
                ),
            );
        }
    }
    // 9. A promotion or rollback never leaves production on code whose columns are gone.
    let owner = w.owner(Env::Production).artifact;
    let gated = matches!(action, Action::Rollback { .. } | Action::Promote { .. });
    if let Some(art) = w.artifact(owner).filter(|_| gated) {
        let missing = art.reads & !w.db.columns;
        if missing != 0 {
            let col = COLUMNS
                .get(missing.trailing_zeros() as usize)
                .copied()
                .unwrap_or("?");
            v(out, Invariant::RollbackGates, vec!["route:production".into(), format!("artifact-{}", artifact_name(owner))],
                Some((AntiPattern::WarmDeployEqualsSafeRollback, 0)), format!(
                "Artifact {} owns production but expects column \"{col}\", which a destructive migration removed.",
                artifact_name(owner)
            ));
        }
    }
    // 10. Views agree and come from records.
    let record = w
        .operations
        .last()
        .and_then(|o| o.stage().map(|s| (o.id, s)));
    let cli = w.cli.map(|x| (x.op, x.stage));
    let console = w.console.map(|x| (x.op, x.stage));
    if cli != record || console != cli {
        let name = |x: Option<(u8, Stage)>| x.map(|(_, s)| s.name()).unwrap_or("none");
        let op = record.map(|r| r.0).unwrap_or(0);
        match (console, record) {
            // The view pins a status on another operation than the newest record.
            (Some((shown, stage)), Some((newest, _))) if shown != newest => v(
                out,
                Invariant::StatusFromRecords,
                vec![format!("op-{newest}"), format!("op-{shown}")],
                Some((AntiPattern::LogsAsTruth, 2)),
                format!(
                    "The console shows op {shown}: {} (the newest log line) while the newest operation record is op {newest}: {}. A log line is not an operation record, so nobody can say who did what.",
                    stage.name(),
                    name(record)
                ),
            ),
            _ => v(
                out,
                Invariant::StatusFromRecords,
                vec![format!("op-{op}")],
                Some((AntiPattern::LogsAsTruth, 0)),
                format!(
                    "The console shows {} while the CLI shows {} and the records say {}.",
                    name(console),
                    name(cli),
                    name(record)
                ),
            ),
        }
    }
    // 11. Topology identity everywhere.
    let ap = AntiPattern::MvpErasesTopology;
    for x in w.allocations.iter().filter(|x| !x.place.is_known()) {
        v(
            out,
            Invariant::Topology,
            vec![format!("alloc-{}", x.id)],
            Some((ap, 0)),
            format!(
                "alloc-{} has no region or cell: its identity cannot tell two regions apart.",
                x.id
            ),
        );
    }
    for (name, b) in [
        ("session-store", w.session_store),
        ("idempotency-store", w.idempotency_store),
        ("broadcast-backend", w.broadcast),
    ] {
        if b.is_some_and(|b| !b.place.is_known()) {
            v(
                out,
                Invariant::Topology,
                vec![name.into()],
                Some((ap, 1)),
                format!("The {name} binding lacks region and cell."),
            );
        }
    }
    if w.logs.iter().any(|l| !l.place.is_known()) {
        v(
            out,
            Invariant::Topology,
            vec!["logs".into()],
            Some((ap, 2)),
            "A log line cannot say in which region or cell the code ran.".into(),
        );
    }
}
