//! The simulator: scenarios played step by step, the regressions of issue 9,
//! determinism and "the correct policy never violates" as property tests.

use vango_study_lab::sim::world::*;
use vango_study_lab::sim::*;

/// Plays drill-vocabulary lines; panics on a refusal (with the narration so far).
fn play(start: &str, overrides: &[(&str, &str)], p: Policy, lines: &[&str]) -> World {
    let mut w = preset(start).expect("preset");
    for (k, v) in overrides {
        apply_override(&mut w, k, v).unwrap();
    }
    for line in lines {
        for a in parse_action(&w, line).unwrap_or_else(|e| panic!("{e}")) {
            match step(&w, &a, p) {
                Ok(s) => w = s.world,
                Err(r) => panic!("`{line}` refused: {r}"),
            }
        }
    }
    w
}

fn broken(w: &World) -> Vec<u8> {
    check_all(w)
        .into_iter()
        .filter(|r| !r.holds)
        .map(|r| r.id)
        .collect()
}

/// A failover to us, every POP applied, one worker step before its end.
const FAILOVER_TO_US: &[&str] = &[
    "operator failover us",
    "worker failover#1 next",
    "runner report alloc#2",
    "time tick",
    "runner report alloc#2",
    "worker failover#1 next",
    "worker failover#1 next",
    "worker failover#1 next",
    "worker failover#1 next",
    "pop eu-1 consume",
    "pop us-1 consume",
];

const PROMOTE_B: &[&str] = &[
    "operator promote B",
    "worker promotion#1 next", // starts capacity
    "runner report alloc#2",
    "time tick",
    "runner report alloc#2",
    "worker promotion#1 next", // policy_check
    "worker promotion#1 next", // logs ahead
    "worker promotion#1 next", // route_cas
    "worker promotion#1 next", // publishes
    "pop eu-1 consume",
    "pop us-1 consume",
    "worker promotion#1 next", // healthy
];

#[test]
fn a_promotion_moves_production_and_drains_the_old_allocation() {
    let w = play("steady", &[], Policy::correct(), PROMOTE_B);
    assert_eq!(w.owner.artifact, 1);
    assert_eq!(w.owner.epoch, 2);
    assert_eq!(w.allocs[0].state, AllocState::Draining);
    assert!(serving(&w));
    assert_eq!(broken(&w), Vec::<u8>::new());
    assert_eq!(promotion_status(&w, 0), "healthy");
}

fn promotion_status(w: &World, op: u8) -> &'static str {
    vango_study_lab::sim::promotion::cli_status(w, op)
}

/// Issue 9, first example: two promotions in a row, the second before the
/// edge applied the first. Production keeps serving, records stay honest.
#[test]
fn two_promotions_in_a_row_keep_production_serving() {
    let w = play(
        "steady",
        &[],
        Policy::correct(),
        &[
            "operator promote B",
            "operator ben promote C",
            "worker promotion#1 next",
            "worker promotion#2 next",
            "operator ack promotion#2", // C is cold: live session refreshes
            "worker promotion#2 next",
            "runner report alloc#2",
            "runner report alloc#3",
            "time tick",
            "runner report alloc#2",
            "runner report alloc#3",
            "worker promotion#1 next",
            "worker promotion#1 next",
            "worker promotion#1 next", // B commits epoch 2
            "worker promotion#1 next", // publishes seq 1
            "worker promotion#2 next", // C reads epoch 2
            "worker promotion#2 next",
            "worker promotion#2 next", // C commits epoch 3
            "worker promotion#2 next", // publishes seq 2
            "pop eu-1 consume",
            "worker promotion#1 next", // refused? no: pop-us still at 1
        ][..20],
    );
    assert_eq!(w.owner.epoch, 3);
    assert!(serving(&w));
    let w = {
        let mut w = w;
        for line in [
            "pop us-1 consume",
            "pop us-1 consume",
            "pop eu-1 consume",
            "worker promotion#1 next",
            "worker promotion#2 next",
        ] {
            for a in parse_action(&w, line).unwrap() {
                w = step(&w, &a, Policy::correct())
                    .unwrap_or_else(|r| panic!("{line}: {r}"))
                    .world;
            }
        }
        w
    };
    assert_eq!(promotion_status(&w, 0), "healthy");
    assert_eq!(promotion_status(&w, 1), "healthy");
    assert!(serving(&w), "production serves C");
    assert_eq!(w.owner.artifact, 2);
    assert_eq!(broken(&w), Vec::<u8>::new());
}

/// Plays `lines` under `p`, skipping refused steps; returns the world and the
/// invariants broken at any step.
fn play_lenient(start: &str, p: Policy, lines: &[&str]) -> (World, Vec<u8>) {
    let mut w = preset(start).unwrap();
    let mut ever = Vec::new();
    for line in lines {
        let Ok(actions) = parse_action(&w, line) else {
            continue;
        };
        for a in actions {
            if let Ok(s) = step(&w, &a, p) {
                w = s.world;
                for id in broken(&w) {
                    if !ever.contains(&id) {
                        ever.push(id);
                    }
                }
            }
        }
    }
    (w, ever)
}

/// For every invariant: a naive path that breaks it, which the correct policy
/// plays (refusing what it must) without breaking anything.
#[test]
fn every_invariant_breaks_on_a_naive_path_and_never_on_the_correct_one() {
    let race: &[&str] = &[
        "operator promote B",
        "operator ben promote C",
        "worker promotion#1 next",
        "worker promotion#2 next",
        "operator ack promotion#2",
        "worker promotion#2 next",
        "worker promotion#1 next",
        "worker promotion#2 next",
        "worker promotion#1 next",
        "worker promotion#2 next",
        "control deliver report#2",
    ];
    let unvalidated: &[&str] = &[
        "operator deploy D",
        "worker deploy#1 next",
        "worker deploy#1 next",
        "runner report alloc#4",
        "time tick",
        "runner report alloc#4",
        "operator promote D",
        "worker promotion#2 next",
        "runner report alloc#5",
        "time tick",
        "runner report alloc#5",
        "worker promotion#2 next",
        "worker promotion#2 next",
        "worker promotion#2 next",
    ];
    let redelivered: &[&str] = &[
        "operator promote B",
        "worker promotion#1 next",
        "worker promotion#1 next",
        "worker promotion#1 next",
        "worker promotion#1 next",
        "pop eu-1 consume",
        "fault redeliver eu-1",
        "pop eu-1 consume",
    ];
    let preview: &[&str] = &[
        "operator deploy P",
        "worker deploy#1 next",
        "worker deploy#1 next",
        "runner report alloc#2",
        "time tick",
        "runner report alloc#2",
        "client get eu-1",
    ];
    let double_charge: &[&str] = &[
        "client webhook pay-1",
        "fault provider-retry req#1",
        "worker wake#1 next",
        "runner report alloc#1",
        "time tick",
        "runner report alloc#1",
        "worker wake#1 next",
        "worker wake#1 next",
    ];
    let hot_early: &[&str] = &[
        "client get eu-1",
        "worker wake#1 next",
        "runner report alloc#1",
        "worker wake#1 next",
        "worker wake#1 next",
    ];
    let teleport: &[&str] = &[
        "operator promote B",
        "worker promotion#1 next",
        "worker promotion#1 next",
        "worker promotion#1 next",
        "worker promotion#1 next",
        "pop eu-1 consume",
        "pop us-1 consume",
        "worker promotion#1 next",
    ];
    let warm_rollback: &[&str] = &[
        "operator rollback A",
        "worker rollback#1 next",
        "runner report alloc#2",
        "time tick",
        "runner report alloc#2",
        "worker rollback#1 next",
        "worker rollback#1 next",
        "worker rollback#1 next",
    ];
    let failover: &[&str] = &[FAILOVER_TO_US, &["worker failover#1 next"]].concat();
    let buffered: &[&str] = &["client webhook pay-1", "time tick 4"];
    use Switch::*;
    let table: [(u8, Switch, &str, &[&str]); 14] = [
        (1, LogsAsTruth, "standby", race),
        (2, LogsAsTruth, "standby", race),
        (3, RoutingByHealthyBackend, "standby", unvalidated),
        (4, EventBusAsDatabase, "standby", redelivered),
        (5, RoutingByHealthyBackend, "steady", preview),
        (6, UnsafeWakeReplay, "asleep", double_charge),
        (7, LogsAsTruth, "asleep", hot_early),
        (8, SessionsTeleport, "standby", teleport),
        (
            9,
            WarmDeployEqualsSafeRollback,
            "after-contract",
            warm_rollback,
        ),
        (10, LogsAsTruth, "standby", race),
        (11, MvpErasesTopology, "two-regions", failover),
        (
            12,
            WarmDeployEqualsSafeRollback,
            "after-contract",
            warm_rollback,
        ),
        (13, MvpErasesTopology, "two-regions", failover),
        (14, UnsafeWakeReplay, "asleep", buffered),
    ];
    for (id, switch, start, lines) in table {
        let (_, naive) = play_lenient(start, Policy::only(switch), lines);
        assert!(
            naive.contains(&id),
            "invariant {id} with {switch:?}: broke {naive:?}"
        );
        let (_, correct) = play_lenient(start, Policy::correct(), lines);
        assert!(
            correct.is_empty(),
            "invariant {id}: the correct policy broke {correct:?}"
        );
    }
}

#[test]
fn world_stays_small() {
    // The checker clones and hashes millions of worlds.
    assert!(
        std::mem::size_of::<World>() <= 512,
        "{}",
        std::mem::size_of::<World>()
    );
}

#[test]
fn the_ui_gets_every_move_with_its_refusal_reason() {
    use vango_study_lab::sim::check::{moves, Alphabet};
    let w = preset("steady").unwrap();
    let alphabet = Alphabet::platform()
        .with(Action::Promote { by: 0, artifact: 1 })
        .with(Action::Rollback { by: 0, artifact: 1 });
    let m = moves(&w, Policy::correct(), &alphabet);
    let promote = m.iter().find(|m| m.line == "operator promote B").unwrap();
    assert_eq!(promote.refusal, None);
    assert_eq!(promote.label, "Promote");
    let rollback = m.iter().find(|m| m.line == "operator rollback B").unwrap();
    assert_eq!(
        rollback.refusal,
        Some("a rollback goes to an earlier owner of the route")
    );
    let tick = m.iter().find(|m| m.line == "time tick").unwrap();
    assert!(tick.refusal.is_none());
}

/// Issue 9's list, one regression each (the drills named play the full story).
mod issue_9 {
    use super::*;
    use vango_study_lab::sim::drill::{drills, play_correct, play_naive};
    use vango_study_lab::sim::promotion::cli_status;
    use vango_study_lab::sim::step::Reason;

    fn drill(slug: &str) -> vango_study_lab::sim::drill::Drill {
        drills().into_iter().find(|d| d.slug == slug).unwrap()
    }

    #[test]
    fn a_destructive_migration_waits_for_the_old_artifact_to_stop() {
        let w = play(
            "steady",
            &[],
            Policy::correct(),
            &[
                "operator migrate contract legacy_name",
                "worker migration#1 next",
            ],
        );
        assert_eq!(cli_status(&w, 0), "failed");
        assert_eq!(Reason::from_u8(w.ops[0].reason), Reason::ColumnStillRead);
        assert!(w.db.columns & 1 != 0, "legacy_name is still there");
        // With the switch on, an allocation that reads the dropped column fails its requests.
        let naive = play_naive(&drill("ap-warm-rollback")).unwrap();
        assert!(naive.end.failed_requests >= 1);
        assert!(!naive.end.db.columns & 1 != 0);
    }

    #[test]
    fn the_compare_and_swap_can_lose_and_the_late_report_is_rejected() {
        let p = play_correct(&drill("race-two-promotions")).unwrap();
        assert_eq!(Reason::from_u8(p.end.ops[1].reason), Reason::LostCas);
        assert_eq!(p.end.rejected_reports, 1);
        assert_eq!(p.end.owner.epoch, 2);
        // Nothing scripted the loss: both operations read epoch 1, the first commit won.
        assert_eq!(p.end.ops[0].read_epoch, 1);
        assert_eq!(p.end.ops[1].read_epoch, 1);
    }

    #[test]
    fn a_crash_between_stages_resumes_from_the_record() {
        let p = play_correct(&drill("race-crash-between-stages")).unwrap();
        assert!(p.goal_met(), "{:?}", p.unmet);
        assert_eq!(cli_status(&p.end, 0), "healthy");
    }

    #[test]
    fn a_cold_rollback_needs_its_acknowledgement() {
        let p = play_correct(&drill("cold-rollback-needs-ack")).unwrap();
        assert!(p.end.ops[1].needs_ack && !p.end.ops[1].acked);
        assert_eq!(p.end.owner.artifact, 2, "C still owns the route");
    }

    #[test]
    fn failover_resumes_only_from_a_reachable_store() {
        let lost = play_correct(&drill("recovery-failover-store-in-failed-region")).unwrap();
        assert_eq!(lost.end.sessions[0].state, SessionState::Fresh);
        let kept = play_correct(&drill("recovery-failover")).unwrap();
        assert_eq!(kept.end.sessions[0].state, SessionState::Resumed);
        assert!(kept.end.sessions[0].draft);
    }

    #[test]
    fn cells_are_more_than_one_and_replacements_stay_in_the_cell() {
        assert!(CELL_TABLE.len() >= 2);
        let p = play_correct(&drill("host-drain")).unwrap();
        let replacement = p.end.allocs[1];
        assert_eq!(replacement.cell(), p.end.allocs[0].cell());
        assert_ne!(replacement.host, p.end.allocs[0].host);
    }

    #[test]
    fn time_is_quantities_not_fault_buttons() {
        // Past the wake budget a held GET gets 503 + Retry-After, by ticks alone.
        let w = play(
            "asleep",
            &[("wake_budget", "2")],
            Policy::correct(),
            &["client get eu-1", "time tick 2"],
        );
        assert_eq!(w.requests[0].state, ReqState::Held);
        let w = play(
            "asleep",
            &[("wake_budget", "2")],
            Policy::correct(),
            &["client get eu-1", "time tick 3"],
        );
        assert_eq!(w.requests[0].state, ReqState::Retry);
        // RTO is measured: a region outage, then a failover.
        let p = play_correct(&drill("recovery-failover")).unwrap();
        assert_eq!(p.end.rto, 1);
    }

    #[test]
    fn topology_identity_breaks_only_when_a_second_place_is_used() {
        // One region: the naive identity is right by accident, nothing breaks.
        let (_, broke) = play_lenient("steady", Policy::only(Switch::MvpErasesTopology), PROMOTE_B);
        assert!(broke.is_empty(), "{broke:?}");
        // After a failover it stops the allocation it misplaces: an outage.
        let p = play_naive(&drill("ap-topology-failover")).unwrap();
        assert!(p.broken.contains(&11) && p.broken.contains(&13));
    }
}

#[test]
fn logs_are_evidence_with_the_recorded_place() {
    use vango_study_lab::sim::logs::logs;
    let lines = [
        "operator failover us",
        "worker failover#1 next",
        "runner report alloc#2",
    ];
    let w = play("two-regions", &[], Policy::correct(), &lines);
    let l = logs(&w);
    assert!(
        l.iter()
            .any(|l| l.source == "alloc#2" && l.region == "us" && l.cell == "us-a"),
        "{l:?}"
    );
    // With the launch region hardcoded, the log says eu for code running in us.
    let w = play(
        "two-regions",
        &[],
        Policy::only(Switch::MvpErasesTopology),
        &lines,
    );
    let l = logs(&w);
    assert!(
        l.iter()
            .any(|l| l.source == "alloc#2" && l.region == "eu" && l.cell == "?"),
        "{l:?}"
    );
    // A worker's "promoted" line exists before its record says so.
    let w = play(
        "standby",
        &[],
        Policy::correct(),
        &[
            "operator promote B",
            "worker promotion#1 next",
            "worker promotion#1 next",
        ],
    );
    assert!(logs(&w).iter().any(|l| l.text == "promoted B at epoch 2"));
    assert_eq!(w.owner.artifact, 0, "the log is not the truth");
}

/// Regression (found by "Find a failure" with a wider alphabet): a promotion
/// that committed while a wake was starting the old owner's artifact left the
/// wake going hot on a replaced artifact (invariant 7 under the correct
/// policy). The commit now waits until the wake is hot, then goes ahead.
#[test]
fn a_promotion_does_not_commit_under_a_starting_wake() {
    let race = [
        "client close s1",
        "runner scale-to-zero",
        "operator promote B",
        "client webhook pay-1",
        "worker promotion#1 next", // starts capacity for B
        "worker wake#2 next",      // the wake starts A, the owner
        "runner report alloc#2",
        "time tick",
        "runner report alloc#2",
        "worker promotion#1 next", // reads the epoch
        "worker promotion#1 next", // logs ahead
    ];
    let mut w = play("steady", &[], Policy::correct(), &race);
    let cas = parse_action(&w, "worker promotion#1 next").unwrap()[0];
    let refusal = step(&w, &cas, Policy::correct()).map(|_| ()).unwrap_err();
    assert!(refusal.to_string().contains("wake"), "{refusal}");
    let wake = parse_action(&w, "worker wake#2 next").unwrap()[0];
    // The wake's own steps: its runner reports, time passes, it goes hot.
    let alloc = w
        .ops
        .iter()
        .find(|o| o.used && o.kind == OpKind::Wake)
        .unwrap()
        .alloc;
    let report = format!("runner report alloc#{alloc}");
    for line in [
        report.as_str(),
        "time tick",
        report.as_str(),
        "worker wake#2 next",
    ] {
        for a in parse_action(&w, line).unwrap() {
            if let Ok(s) = step(&w, &a, Policy::correct()) {
                w = s.world;
            }
        }
        if let Ok(s) = step(&w, &wake, Policy::correct()) {
            w = s.world;
        }
    }
    assert_eq!(w.wake, WakeState::Hot, "the wake went hot");
    w = step(&w, &cas, Policy::correct())
        .expect("the commit goes ahead")
        .world;
    assert_eq!(w.owner.artifact, 1, "B owns the route");
    assert!(broken(&w).is_empty(), "{:?}", broken(&w));
}

/// Regressions found by "Find a failure" from the recovery drills' starts,
/// under the correct policy: each path broke an invariant before its fix.
#[test]
fn a_failover_whose_region_goes_down_keeps_the_old_capacity() {
    // Failing over to us while eu still serves; us goes down before the end.
    // Retiring eu's allocations then stopped production (invariant 13).
    let path = [
        FAILOVER_TO_US,
        &["fault region-outage us", "worker failover#1 next"],
    ]
    .concat();
    let w = play("two-regions", &[], Policy::correct(), &path);
    assert!(broken(&w).is_empty(), "{:?}", broken(&w));
    assert!(vango_study_lab::sim::step::serving(&w), "eu still serves");
    let failover = w.ops.iter().find(|o| o.kind == OpKind::Failover).unwrap();
    assert_eq!(failover.stage, vango_study_lab::sim::lifecycle::FAILED);
}

#[test]
fn a_restore_counts_allocations_about_to_start() {
    // B's capacity was planned (not yet running) when the restore checked
    // the backup; it started afterwards on a schema without display_name,
    // which B reads (invariant 12).
    let path = [
        "operator migrate expand display_name",
        "operator promote B",
        "operator restore",
        "worker migration#1 next",
        "worker migration#1 next",
        "worker migration#1 next",
        "worker promotion#2 next",
        "worker restore#3 next",
        "worker restore#3 next",
        "runner report alloc#2",
    ];
    let (w, ever) = play_lenient("expand-contract", Policy::correct(), &path);
    assert!(ever.is_empty(), "{ever:?}");
    let restore = w.ops.iter().find(|o| o.kind == OpKind::Restore).unwrap();
    assert_eq!(restore.stage, vango_study_lab::sim::lifecycle::FAILED);
}
