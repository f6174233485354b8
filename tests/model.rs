//! Tests of the pure simulator: lifecycles, invariants, anti-pattern switches,
//! scenarios, the checker, and properties over random action sequences.

use proptest::prelude::*;
use vango_study_lab::model::*;

fn run(w: &World, p: &Policy, codes: &str) -> Trace {
    replay(w, p, &script_from_code(codes).expect("valid script"))
}

fn ok(w: &World, p: &Policy, code: &str) -> Step {
    let a = Action::from_code(code).expect("valid code");
    match step(w, &a, p) {
        Ok(s) => s,
        Err(r) => panic!("{code} refused: {}", r.reason),
    }
}

fn stages(w: &World, op: u8) -> Vec<&'static str> {
    w.op(op).unwrap().stages.iter().map(|s| s.name()).collect()
}

/// Every action with parameters from the small domains the UI can produce (and a few beyond).
fn all_actions() -> Vec<Action> {
    let mut v = Vec::new();
    for n in 0..5u8 {
        v.extend([
            Action::Deploy { artifact: n },
            Action::Acknowledge { artifact: n },
            Action::Promote { artifact: n },
            Action::Rollback { artifact: n },
        ]);
    }
    for n in 0..12u8 {
        v.extend([
            Action::Drain { allocation: n },
            Action::Stop { allocation: n },
        ]);
    }
    v.extend(menu(&World::new(0)).into_iter().filter(|a| {
        !matches!(
            a,
            Action::Deploy { .. }
                | Action::Acknowledge { .. }
                | Action::Promote { .. }
                | Action::Rollback { .. }
                | Action::Drain { .. }
                | Action::Stop { .. }
        )
    }));
    v.push(Action::Send {
        kind: RequestKind::Get,
        idempotency_key: true,
    });
    v
}

// ---------- lifecycles ----------

#[test]
fn deploy_lifecycle_records_every_stage_and_cold_blocks_until_acknowledged() {
    let p = Policy::default();
    let w = World::new(1);
    let s = ok(&w, &p, "d1");
    let op = s.world.artifact(1).unwrap().deploy_op.unwrap();
    assert_eq!(
        stages(&s.world, op),
        ["queued", "building", "validating", "preview_ready"]
    );
    assert!(s.world.validated(1));
    let cold = ok(&w, &p, "d3");
    let op = cold.world.artifact(3).unwrap().deploy_op.unwrap();
    assert_eq!(stages(&cold.world, op).last(), Some(&"blocked"));
    assert!(
        step(&cold.world, &Action::Promote { artifact: 3 }, &p).is_err(),
        "blocked build cannot be promoted"
    );
    let acked = ok(&cold.world, &p, "k3");
    assert_eq!(stages(&acked.world, op).last(), Some(&"preview_ready"));
    assert!(
        step(&s.world, &Action::Deploy { artifact: 1 }, &p).is_err(),
        "artifacts are never rebuilt"
    );
}

#[test]
fn promotion_lifecycle_commits_by_cas_and_turns_healthy_when_the_edge_applies() {
    let p = Policy::default();
    let t = run(&World::new(1), &p, "d1.p1");
    let w = t.final_world();
    let op = w.operations.last().unwrap();
    assert_eq!(
        stages(w, op.id),
        ["requested", "policy_check", "route_cas", "edge_propagating"]
    );
    assert_eq!(w.owner(Env::Production).epoch, 2);
    assert_eq!(
        w.owner(Env::Production).digest,
        w.artifact(1).unwrap().digest
    );
    let done = run(w, &p, "e.e");
    let w2 = done.final_world();
    assert_eq!(w2.op(op.id).unwrap().stage().unwrap().name(), "healthy");
    assert_eq!(w2.edge.keys[Env::Production.ix()].last_applied_epoch, 2);
    // The old allocation drains in place; its sessions stay attached.
    assert_eq!(w2.allocation(0).unwrap().life, AllocLife::Draining);
    assert_eq!(w2.session_count(0), 2);
}

#[test]
fn rollback_bumps_the_epoch_and_marks_the_undone_promotion() {
    let p = Policy::default();
    let t = run(&World::new(1), &p, "d1.p1.e.e.r0.e");
    assert!(t.violations().is_empty());
    let w = t.final_world();
    assert_eq!(w.owner(Env::Production).artifact, 0);
    assert_eq!(w.owner(Env::Production).epoch, 3);
    assert!(w
        .operations
        .iter()
        .any(|o| o.stage().map(|s| s.name()) == Some("rolled_back")));
}

#[test]
fn wake_lifecycle_is_never_hot_before_readiness() {
    let p = Policy::default();
    let mut w = World::sleeping(1);
    let mut seen = vec![];
    for code in ["qg", "t", "t", "t"] {
        w = ok(&w, &p, code).world;
        seen.push(w.wake);
    }
    assert_eq!(
        seen,
        [
            WakeStage::WakeRequested,
            WakeStage::Starting,
            WakeStage::ReadinessWait,
            WakeStage::Hot
        ]
    );
    let op = w.wake_op.unwrap();
    assert_eq!(
        stages(&w, op),
        ["wake_requested", "starting", "readiness_wait", "hot"]
    );
    assert_eq!(w.requests.last().unwrap().outcome, Outcome::Served);
    let idle = ok(&w, &p, "i").world;
    assert_eq!(idle.wake, WakeStage::Sleeping);
    assert_eq!(stages(&idle, op).last(), Some(&"sleeping"));
}

#[test]
fn duplicate_wakes_coalesce_and_readiness_timeout_fails_honestly() {
    let p = Policy::default();
    let t = run(&World::sleeping(1), &p, "qg.qp.t.t.xt");
    assert!(t.violations().is_empty());
    let w = t.final_world();
    assert_eq!(
        w.operations
            .iter()
            .filter(|o| o.kind == OpKind::Wake)
            .count(),
        1
    );
    assert_eq!(w.wake, WakeStage::Failed);
    assert!(w.requests.iter().all(|r| r.outcome == Outcome::RetryLater));
}

#[test]
fn allocation_lifecycle_via_actions_drain_then_stop() {
    let p = Policy::default();
    let w = World::new(1).with_stores(true, false);
    assert!(
        step(&w, &Action::Stop { allocation: 0 }, &p).is_err(),
        "ready allocations drain first"
    );
    assert!(
        step(&w, &Action::Drain { allocation: 0 }, &p).is_err(),
        "no spare capacity"
    );
    let t = run(&w, &p, "d1.p1.e.e.s0");
    let w = t.final_world();
    assert_eq!(w.allocation(0).unwrap().life, AllocLife::Stopped);
    assert!(w
        .sessions
        .iter()
        .all(|s| s.notice == SessionNotice::Resumed));
}

#[test]
fn sessions_go_fresh_without_a_store_and_resume_with_one() {
    let p = Policy::default();
    let fresh = run(&World::new(1), &p, "d1.p1.e.e.c");
    assert!(fresh
        .final_world()
        .sessions
        .iter()
        .all(|s| s.notice == SessionNotice::Fresh));
    let cold = run(
        &World::new(1).with_stores(true, false),
        &p,
        "d3.k3.p3.e.e.c",
    );
    assert!(cold.violations().is_empty());
    assert!(
        cold.final_world()
            .sessions
            .iter()
            .all(|s| s.notice == SessionNotice::Fresh),
        "cold state cannot resume"
    );
}

#[test]
fn edge_ignores_duplicates_and_loads_a_snapshot_after_a_gap() {
    let p = Policy::default();
    let t = run(&World::new(1), &p, "xr.d1.d2.p1.xd.e.xr");
    assert!(t.violations().is_empty());
    let w = t.final_world();
    assert_eq!(w.edge.snapshot_seq, w.next_seq - 1);
    assert_eq!(w.edge.keys[Env::Production.ix()].artifact, 1);
}

#[test]
fn unsafe_requests_are_never_replayed_without_key_and_store() {
    let p = Policy::default();
    let t = run(&World::sleeping(1), &p, "qw.xw.t.t.t.xw");
    assert!(t.violations().is_empty());
    assert_eq!(t.final_world().db.applied, [0, 1]);
    let keyed = run(
        &World::sleeping(1).with_stores(false, true),
        &p,
        "qW.xw.t.t.t",
    );
    assert!(keyed.violations().is_empty());
    assert_eq!(keyed.final_world().db.applied, [0, 1]);
    assert!(keyed
        .final_world()
        .requests
        .iter()
        .any(|r| r.outcome == Outcome::Attached));
}

#[test]
fn refusals_are_plain_english_and_change_nothing() {
    let w = World::new(3);
    let t = replay(
        &w,
        &Policy::default(),
        &[
            Action::Promote { artifact: 2 },
            Action::Stop { allocation: 9 },
        ],
    );
    for s in &t.steps {
        let r = s.outcome.as_ref().unwrap_err();
        assert!(
            r.reason.len() > 10 && r.reason.ends_with('.'),
            "{}",
            r.reason
        );
    }
    assert_eq!(t.final_world(), &w);
}

// ---------- invariants, one by one ----------

fn fired(before: &World, action: &Action, after: &World) -> Vec<u8> {
    check_transition(before, action, after)
        .iter()
        .map(|v| v.invariant.number())
        .collect()
}

#[test]
fn invariant_metadata_is_complete() {
    for (i, inv) in Invariant::ALL.iter().enumerate() {
        assert_eq!(inv.number() as usize, i + 1);
        assert_eq!(Invariant::from_number(inv.number()), Some(*inv));
        assert!(!inv.title().is_empty() && inv.statement().ends_with('.'));
        assert!(!inv.terms().is_empty());
        for t in inv.terms() {
            assert!(
                vango_study_lab::content::catalog().term(t).is_some(),
                "unknown glossary slug {t}"
            );
        }
    }
    for ap in AntiPattern::ALL {
        assert!(
            Invariant::ALL.iter().any(|i| i.anti_pattern() == Some(ap)),
            "{ap:?} breaks no invariant"
        );
    }
}

#[test]
fn inv1_epoch_must_increase() {
    let b = World::new(1);
    let mut a = b;
    a.route_owners[0].artifact = 1;
    a.route_owners[0].digest = a.artifact(1).unwrap().digest;
    assert!(fired(&b, &Action::HealthFlap, &a).contains(&1));
    let mut down = b;
    down.route_owners[1].epoch = 0;
    assert!(fired(&b, &Action::Advance, &down).contains(&1));
}

#[test]
fn inv2_owner_changes_only_by_cas() {
    let b = World::new(1);
    let mut a = b;
    a.route_owners[0].epoch = 2;
    assert!(fired(&b, &Action::LateReport, &a).contains(&2));
}

#[test]
fn inv3_only_validated_digests() {
    let b = World::new(1);
    let mut a = b;
    a.route_owners[0].digest ^= 1;
    assert!(fired(&b, &Action::Advance, &a).contains(&3));
}

#[test]
fn inv4_edge_in_order_once() {
    let b = World::new(1);
    let mut dup = b;
    dup.edge.keys[0].applies += 1;
    assert!(fired(&b, &Action::Redeliver, &dup).contains(&4));
    let mut gap = b;
    gap.edge.keys[0].last_applied_epoch = 5;
    gap.edge.cursor = 9;
    assert!(fired(&b, &Action::Deliver, &gap).contains(&4));
}

#[test]
fn inv5_preview_never_serves_production() {
    let p = Policy::default();
    let b = *run(&World::new(1), &p, "d1.xp").final_world();
    let a = ok(&b, &p, "qg").world;
    assert!(check_transition(
        &b,
        &Action::Send {
            kind: RequestKind::Get,
            idempotency_key: false
        },
        &a
    )
    .is_empty());
    let mut bad = a;
    bad.requests.last_mut().unwrap().allocation = Some(1);
    assert!(fired(
        &b,
        &Action::Send {
            kind: RequestKind::Get,
            idempotency_key: false
        },
        &bad
    )
    .contains(&5));
}

#[test]
fn inv6_no_double_mutation() {
    let b = World::new(1);
    let mut a = b;
    a.db.applied = [0, 2];
    assert!(fired(&b, &Action::ProviderRetry, &a).contains(&6));
}

#[test]
fn inv7_never_hot_before_readiness() {
    let b = World::sleeping(1);
    let mut a = b;
    a.wake = WakeStage::Hot;
    assert!(fired(&b, &Action::Advance, &a).contains(&7));
}

#[test]
fn inv8_sessions_never_move() {
    let b = World::new(1);
    let mut a = b;
    a.sessions.as_mut_slice()[0].notice = SessionNotice::Moved;
    assert!(fired(&b, &Action::Promote { artifact: 1 }, &a).contains(&8));
    let mut dead = b;
    dead.allocations.as_mut_slice()[0].life = AllocLife::Stopped;
    assert!(fired(&b, &Action::Advance, &dead).contains(&8));
}

#[test]
fn inv9_rollback_needs_the_db_gate() {
    let b = World::new(1);
    let mut a = b;
    a.db.columns &= !(1 << 2);
    assert!(fired(&b, &Action::Rollback { artifact: 0 }, &a).contains(&9));
}

#[test]
fn inv10_views_agree_with_records() {
    let b = World::new(1);
    let mut a = b;
    a.console = None;
    assert!(fired(&b, &Action::WorkerCrash, &a).contains(&10));
}

#[test]
fn inv11_everything_is_placed() {
    let b = World::new(1);
    let mut a = b;
    a.allocations.as_mut_slice()[0].place = Place::default();
    assert!(fired(&b, &Action::Advance, &a).contains(&11));
}

// ---------- anti-patterns and scenarios ----------

#[test]
fn anti_pattern_slugs_titles_and_signals_match_the_cards() {
    // The model names cards and signals by slug and index; they must be the
    // shipped cards, in teaching order, word for word.
    let cards = &vango_study_lab::content::catalog().cards;
    let slugs: Vec<&str> = cards.iter().map(|c| c.slug.as_str()).collect();
    assert_eq!(AntiPattern::ALL.map(|a| a.slug()).to_vec(), slugs);
    for (ap, card) in AntiPattern::ALL.into_iter().zip(cards) {
        assert_eq!(ap.signals().to_vec(), card.signals);
    }
    for ap in AntiPattern::ALL {
        assert_eq!(AntiPattern::from_slug(ap.slug()), Some(ap));
        assert!(!ap.title().is_empty());
        assert_eq!(ap.signals().len(), 3);
        let p = Policy::with(ap);
        assert!(p.is_naive(ap));
        assert_eq!(p.naive_switches(), vec![ap]);
        let mut q = p;
        q.set(ap, false);
        assert!(q.is_correct());
    }
    assert_eq!(
        AntiPattern::SessionsTeleport.signals()[0],
        "old allocation still has sockets"
    );
    assert_eq!(
        AntiPattern::WarmDeployEqualsSafeRollback.signals()[2],
        "rollback button ignores DB contract"
    );
}

#[test]
fn scenarios_are_complete_and_unique() {
    let all = scenarios();
    let mut slugs: Vec<_> = all.iter().map(|s| s.slug).collect();
    slugs.sort();
    slugs.dedup();
    assert_eq!(slugs.len(), all.len());
    for required in [
        "happy-promotion",
        "drain-live-sessions",
        "wake-on-get",
        "wake-post-with-key",
        "wake-post-without-key",
        "rollback-warm-safe",
        "rollback-after-destructive",
        "promotions-race",
    ] {
        assert!(scenario(required).is_some(), "{required}");
    }
    for ap in AntiPattern::ALL {
        let s = scenario(&format!("ap-{}", ap.slug())).expect("one drill per card");
        assert_eq!(s.anti_pattern, Some(ap));
        assert_eq!(s.policy, Policy::with(ap));
    }
    assert!(scenario("nope").is_none());
}

#[test]
fn every_scenario_script_meets_its_goal_under_the_correct_policy() {
    for s in scenarios() {
        let t = replay(&s.start, &Policy::default(), &s.script);
        assert!(
            t.violations().is_empty(),
            "{}: {:?}",
            s.slug,
            t.violations()
        );
        assert!(s.goal.goal_met(t.final_world()), "{} goal not met", s.slug);
        assert!(
            !s.goal.goal_met(&s.start),
            "{} goal met before any action",
            s.slug
        );
    }
}

#[test]
fn every_anti_pattern_drill_fails_with_its_switch_on_and_passes_with_it_off() {
    for ap in AntiPattern::ALL {
        let s = scenario(&format!("ap-{}", ap.slug())).unwrap();
        let on = replay(&s.start, &Policy::with(ap), &s.script);
        let vs = on.violations();
        assert!(!vs.is_empty(), "{}: switch on but nothing broke", s.slug);
        assert!(
            vs.iter().all(|(_, v)| v.signal.map(|x| x.0) == Some(ap)),
            "{}: {:?}",
            s.slug,
            vs
        );
        assert!(
            vs.iter()
                .any(|(_, v)| v.invariant.anti_pattern() == Some(ap)),
            "{}",
            s.slug
        );
        assert!(
            !s.goal.goal_met(on.final_world()),
            "{}: goal met despite the failure",
            s.slug
        );
        let off = replay(&s.start, &Policy::default(), &s.script);
        assert!(
            off.violations().is_empty() && s.goal.goal_met(off.final_world()),
            "{}",
            s.slug
        );
    }
}

#[test]
fn narration_uses_glossary_words() {
    let s = scenario("drain-live-sessions").unwrap();
    let t = replay(&s.start, &s.policy, &s.script);
    let text: String = t
        .steps
        .iter()
        .filter_map(|x| x.outcome.as_ref().ok())
        .map(|x| x.narration.clone())
        .collect();
    for word in ["route owner", "epoch", "alloc", "drain", "session store"] {
        assert!(text.contains(word), "narration lacks {word}: {text}");
    }
    assert!(t
        .steps
        .iter()
        .all(|x| x.outcome.as_ref().is_ok_and(|s| !s.narration.is_empty())));
}

#[test]
fn every_warning_signal_fires_from_a_short_sequence_with_its_switch_on() {
    use AntiPattern as AP;
    let new = World::new(7);
    let sleeping = World::sleeping(7);
    // (card, signal index, start, script): each of the 21 signals, shown by the
    // failure the card describes.
    let table: [(AP, usize, &World, &str); 22] = [
        (AP::SessionsTeleport, 0, &new, "d1.bs.p1"),
        (AP::SessionsTeleport, 1, &new, "d1.p1"),
        (AP::SessionsTeleport, 2, &new, "g.t.t.t.t.xf"),
        (AP::LogsAsTruth, 0, &new, "d1.p1.xc"),
        (AP::LogsAsTruth, 1, &new, "d1.xx.xl"),
        (AP::LogsAsTruth, 2, &new, "d1.p1.d2.xc"),
        (AP::EventBusAsDatabase, 0, &new, "d1.d2.p1.xd.e.e.e"),
        (AP::EventBusAsDatabase, 1, &new, "xr"),
        (AP::EventBusAsDatabase, 2, &new, "d1.d2.xd.e"),
        (AP::RoutingByHealthyBackend, 0, &new, "d1.xp.xh"),
        (AP::RoutingByHealthyBackend, 1, &new, "d1.xp.qg"),
        (AP::RoutingByHealthyBackend, 2, &new, "d1.xp.xh"),
        (AP::UnsafeWakeReplay, 0, &sleeping, "qw.xw.t.t.t"),
        (AP::UnsafeWakeReplay, 1, &sleeping, "qp.t.t.t"),
        (AP::UnsafeWakeReplay, 2, &sleeping, "qw.xw.t.t.t"),
        (AP::MvpErasesTopology, 0, &new, "d1"),
        (AP::MvpErasesTopology, 1, &new, "bs"),
        (AP::MvpErasesTopology, 1, &new, "bb"),
        (AP::MvpErasesTopology, 2, &new, "d1"),
        (AP::WarmDeployEqualsSafeRollback, 0, &new, "d2.p2.r0"),
        (AP::WarmDeployEqualsSafeRollback, 1, &new, "d2.p2.r0"),
        (AP::WarmDeployEqualsSafeRollback, 2, &new, "d2.p2.r0"),
    ];
    let mut covered = std::collections::BTreeSet::new();
    for (ap, ix, start, script) in table {
        let t = run(start, &Policy::with(ap), script);
        assert!(
            t.steps.iter().all(|s| s.outcome.is_ok()),
            "{ap:?} {ix}: {script} has a refused step"
        );
        let hit = t
            .violations()
            .into_iter()
            .find(|(_, v)| v.signal == Some((ap, ix)))
            .map(|(_, v)| v.clone());
        let Some(v) = hit else {
            panic!(
                "{ap:?} signal {ix} not shown by {script}: {:?}",
                t.violations()
            )
        };
        assert_eq!(v.signal_text(), Some(ap.signals()[ix]));
        assert!(v.detail.ends_with('.') && !v.objects.is_empty(), "{v:?}");
        // Every signal belongs to the card whose switch is on.
        assert!(t
            .violations()
            .iter()
            .all(|(_, v)| v.signal.map(|x| x.0) == Some(ap)));
        // The same actions on the correct platform break nothing.
        let off = run(start, &Policy::default(), script);
        assert!(
            off.violations().is_empty(),
            "{script}: {:?}",
            off.violations()
        );
        covered.insert((ap, ix));
    }
    assert_eq!(covered.len(), 21, "every signal of every card is covered");
}

#[test]
fn naive_logs_pin_status_on_the_wrong_operation() {
    let p = Policy::with(AntiPattern::LogsAsTruth);
    let t = run(&World::new(1), &p, "d1.p1.d2.xc");
    let (i, v) = t
        .violations()
        .into_iter()
        .find(|(_, v)| v.signal == Some((AntiPattern::LogsAsTruth, 2)))
        .unwrap();
    assert_eq!(i, 3, "the crash after logging is the step that breaks it");
    assert_eq!(v.invariant, Invariant::StatusFromRecords);
    let w = t.final_world();
    let (console, cli) = (w.console.unwrap(), w.cli.unwrap());
    assert_ne!(console.op, cli.op);
    assert_eq!(console.kind, OpKind::Promote);
    assert_eq!(cli.kind, OpKind::Deploy);
    assert!(v.detail.contains("who did what"), "{}", v.detail);
}

#[test]
fn naive_rollback_after_a_destructive_migration_shows_all_three_db_signals() {
    let ap = AntiPattern::WarmDeployEqualsSafeRollback;
    let t = run(&World::new(1), &Policy::with(ap), "d2.p2.e.e.r0");
    let last = t.steps.last().unwrap().outcome.as_ref().unwrap();
    let mut sigs: Vec<usize> = last
        .violations
        .iter()
        .filter(|v| v.invariant == Invariant::RollbackGates)
        .filter_map(|v| v.signal.map(|s| s.1))
        .collect();
    sigs.sort();
    assert_eq!(sigs, [0, 1, 2]);
    let text: String = last.violations.iter().map(|v| v.detail.clone()).collect();
    assert!(
        text.contains("legacy_note") && text.contains("Artifact C's destructive migration"),
        "{text}"
    );
    assert!(text.contains("plain button"), "{text}");
    // The correct platform refuses the button and says what to do instead.
    let off = run(&World::new(1), &Policy::default(), "d2.p2.e.e.r0");
    let r = off.steps.last().unwrap().outcome.as_ref().unwrap_err();
    assert!(
        r.reason.contains("forward fix or a data restore"),
        "{}",
        r.reason
    );
}

#[test]
fn a_global_update_reaches_other_allocations_only_through_a_broadcast_backend() {
    let p = Policy::default();
    let s = scenario("horizontal-scale-broadcast").unwrap();
    assert_eq!(s.anti_pattern, None);
    assert!(s.check_depth >= 4);
    // Without the backend: nothing is broken, but one session shows old state, and the narration says so.
    let t = run(&s.start, &p, "ho.o.gu");
    assert!(t.violations().is_empty());
    let w = t.final_world();
    assert_eq!(w.fanout, 1);
    let stale: Vec<_> = w.sessions.iter().filter(|x| x.stale).collect();
    assert_eq!(stale.len(), 1);
    assert_ne!(
        stale[0].allocation, 0,
        "the new session landed on the scaled-out allocation"
    );
    let said = &t.steps[2].outcome.as_ref().unwrap().narration;
    assert!(
        said.contains("no broadcast backend") || said.contains("With no broadcast backend"),
        "{said}"
    );
    assert!(said.contains("old state"), "{said}");
    assert!(!s.goal.goal_met(w));
    // With it: every session shows the update.
    let good = run(&s.start, &p, "bb.ho.o.gu");
    let w = good.final_world();
    assert_eq!(w.fanout, 2);
    assert!(w.sessions.iter().all(|x| !x.stale));
    assert!(s.goal.goal_met(w));
    // An update sent before the scale-out cannot satisfy the goal.
    assert!(!s.goal.goal_met(run(&s.start, &p, "gu.ho.o").final_world()));
    // Reconnecting re-renders from today's state.
    let healed = run(
        &World::new(1).with_stores(true, false),
        &p,
        "ho.o.gu.d1.p1.e.e.c",
    );
    assert!(healed.final_world().sessions.iter().all(|x| !x.stale));
    // Scale-out limits are plain refusals.
    let twice = run(&s.start, &p, "ho.ho");
    assert!(twice.steps[1]
        .outcome
        .as_ref()
        .unwrap_err()
        .reason
        .ends_with('.'));
    let asleep = step(&World::sleeping(1), &Action::ScaleOut, &p).unwrap_err();
    assert!(asleep.reason.contains("not hot"), "{}", asleep.reason);
    let unbound = step(
        &World::new(1),
        &Action::Unbind {
            store: Store::Broadcast,
        },
        &p,
    );
    assert!(unbound.is_err());
}

#[test]
fn host_drain_with_no_spare_capacity_is_refused_honestly() {
    let p = Policy::default();
    let s = scenario("host-drain-no-spare").unwrap();
    let w = s.start;
    assert_eq!(w.running_in(0), 2);
    assert!(!w.has_room(0));
    // The only serving allocation in a full cell cannot drain, and nothing new can start.
    let r = step(&w, &Action::Drain { allocation: 0 }, &p).unwrap_err();
    assert!(
        r.reason.contains("no room for a replacement"),
        "{}",
        r.reason
    );
    for a in [
        Action::ScaleOut,
        Action::Promote { artifact: 1 },
        Action::Deploy { artifact: 2 },
    ] {
        let r = step(&w, &a, &p).unwrap_err();
        assert!(
            r.reason.starts_with("No spare capacity"),
            "{a:?}: {}",
            r.reason
        );
    }
    // Freeing a slot and scaling out first makes the drain honest: sessions resume.
    let t = replay(&w, &p, &s.script);
    assert!(t.steps.iter().all(|x| x.outcome.is_ok()));
    let end = t.final_world();
    assert!(s.goal.goal_met(end));
    assert!(end
        .sessions
        .iter()
        .all(|x| x.notice == SessionNotice::Resumed));
    // Without a session store the drain says up front that sessions will start fresh.
    let mut bare = World::full_cell(7);
    bare.session_store = None;
    let d = run(&bare, &p, "n1.s1.ho.n0");
    let said = &d.steps[3].outcome.as_ref().unwrap().narration;
    assert!(said.contains("start fresh"), "{said}");
    let end = run(d.final_world(), &p, "s0");
    assert!(end
        .final_world()
        .sessions
        .iter()
        .all(|x| x.notice == SessionNotice::Fresh));
}

#[test]
fn correct_scenarios_hold_up_to_their_check_depth() {
    for s in scenarios().into_iter().filter(|s| s.anti_pattern.is_none()) {
        let mut e = Explorer::new(s.start, Policy::default(), s.check_depth);
        assert!(
            matches!(e.run(), CheckStatus::Exhausted { .. }),
            "{}",
            s.slug
        );
    }
}

// ---------- the checker ----------

#[test]
fn checker_finds_nothing_with_all_switches_off() {
    for start in [
        World::new(1),
        World::sleeping(1),
        World::new(1).with_stores(true, true),
    ] {
        let mut e = Explorer::new(start, Policy::default(), 4);
        match e.run() {
            CheckStatus::Exhausted { depth, explored } => {
                assert_eq!(depth, 4);
                assert!(explored > 1000);
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn checker_finds_a_replayable_counterexample_for_each_switch() {
    for ap in AntiPattern::ALL {
        let s = scenario(&format!("ap-{}", ap.slug())).unwrap();
        let mut e = Explorer::new(s.start, Policy::with(ap), s.check_depth);
        let CheckStatus::Found(c) = e.run() else {
            panic!("{ap:?}: nothing found")
        };
        assert_eq!(
            c.violation.signal.map(|x| x.0),
            Some(ap),
            "{ap:?}: {:?}",
            c.violation
        );
        assert!(c.actions.len() <= s.script.len());
        let t = replay(&s.start, &Policy::with(ap), &c.actions);
        let last = t
            .steps
            .last()
            .unwrap()
            .outcome
            .as_ref()
            .expect("last step applies");
        assert!(t.steps[..t.steps.len() - 1]
            .iter()
            .all(|x| x.outcome.as_ref().is_ok_and(|s| s.violations.is_empty())));
        assert_eq!(last.violations.first(), Some(&c.violation));
    }
}

#[test]
fn checker_runs_in_resumable_slices() {
    let mut e = Explorer::new(World::new(1), Policy::default(), 3);
    let mut slices = 0;
    loop {
        slices += 1;
        match e.run_slice(50) {
            CheckStatus::Running { .. } => continue,
            CheckStatus::Exhausted { .. } => break,
            f => panic!("{f:?}"),
        }
    }
    assert!(slices > 3);
    let mut whole = Explorer::new(World::new(1), Policy::default(), 3);
    assert_eq!(whole.run(), e.run_slice(10));
}

// ---------- codes and properties ----------

#[test]
fn codes_are_short_url_safe_and_round_trip() {
    for a in all_actions() {
        let c = a.to_code();
        assert!(
            c.len() <= 4
                && c.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "{c}"
        );
        assert_eq!(Action::from_code(&c), Some(a));
        assert!(!a.label().is_empty() && !a.explain().is_empty());
    }
    assert!(Action::Advance.to_code() != Action::Deliver.to_code());
    assert!(Action::RegionFailover.is_fault() && !Action::Advance.is_fault());
    for bad in ["", "d", "d01", "d256", "x", "qq", "p-1", "\u{0}", "dé"] {
        assert_eq!(Action::from_code(bad), None, "{bad:?}");
    }
    let json = serde_json::to_string(&Action::Promote { artifact: 1 }).unwrap();
    assert_eq!(
        serde_json::from_str::<Action>(&json).unwrap(),
        Action::Promote { artifact: 1 }
    );
}

#[test]
fn menu_is_stable() {
    let w = World::new(5);
    let copy = w;
    assert_eq!(menu(&w), menu(&copy));
    assert!(menu(&w).contains(&Action::Promote { artifact: 1 }));
}

#[test]
fn shipped_codes_never_change_meaning() {
    // Codes live in share links: each one must keep meaning the same action forever.
    let shipped = "d1.k3.p2.r0.n4.s12.qg.qG.qp.qP.qw.qW.i.bs.bi.us.ui.c.o.g.t.e.xc.xl.xr.xd.xh.xp.xw.xx.xt.xf";
    let actions = script_from_code(shipped).unwrap();
    assert_eq!(script_to_code(&actions), shipped);
    assert_eq!(
        format!("{:?}", &actions[..6]),
        "[Deploy { artifact: 1 }, Acknowledge { artifact: 3 }, Promote { artifact: 2 }, Rollback { artifact: 0 }, Drain { allocation: 4 }, Stop { allocation: 12 }]"
    );
    assert_eq!(
        actions[13],
        Action::Bind {
            store: Store::Session
        }
    );
    assert_eq!(
        actions[16],
        Action::Unbind {
            store: Store::Idempotency
        }
    );
    assert_eq!(actions[31], Action::RegionFailover);
    // The new controls got new codes.
    for (code, a) in [
        (
            "bb",
            Action::Bind {
                store: Store::Broadcast,
            },
        ),
        (
            "ub",
            Action::Unbind {
                store: Store::Broadcast,
            },
        ),
        ("ho", Action::ScaleOut),
        ("gu", Action::GlobalUpdate),
    ] {
        assert_eq!(a.to_code(), code);
        assert_eq!(Action::from_code(code), Some(a));
        assert!(!shipped.split('.').any(|c| c == code));
        assert!(!a.is_fault(), "{a:?} is a learner choice");
        assert!(a.label().len() > 5 && a.explain().ends_with('.'));
    }
    let codes: Vec<String> = all_actions().iter().map(|a| a.to_code()).collect();
    let mut unique = codes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), codes.len(), "no two actions share a code");
}

#[test]
fn menu_order_is_fixed_and_new_controls_come_after_their_neighbours() {
    let w = World::new(5);
    let codes = script_to_code(&menu(&w));
    assert_eq!(
        codes,
        "d1.d2.d3.p0.p1.p2.p3.r0.r1.r2.r3.n0.s0.i.qg.qp.qP.qw.qW.bs.us.bi.ui.bb.ub.c.o.g.t.e.ho.gu.xc.xl.xr.xd.xh.xp.xw.xx.xt.xf"
    );
    let faults: Vec<bool> = menu(&w).iter().map(|a| a.is_fault()).collect();
    let first_fault = faults.iter().position(|f| *f).unwrap();
    assert!(faults[first_fault..].iter().all(|f| *f), "faults come last");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn correct_policy_never_violates(
        start in 0usize..4,
        seed in any::<u64>(),
        picks in prop::collection::vec(prop::sample::select(all_actions()), 0..40),
    ) {
        let w = match start {
            0 => World::new(seed),
            1 => World::sleeping(seed),
            2 => World::new(seed).with_stores(true, true),
            _ => World::sleeping(seed).with_stores(false, true),
        };
        let t = replay(&w, &Policy::default(), &picks);
        prop_assert!(t.violations().is_empty(), "{:?} -> {:?}", script_to_code(&picks), t.violations());
    }

    #[test]
    fn correct_policy_never_violates_on_menu_walks(
        start in 0usize..4,
        picks in prop::collection::vec(any::<u16>(), 0..60),
    ) {
        let mut w = match start {
            0 => World::new(3),
            1 => World::sleeping(3),
            2 => World::new(3).with_stores(true, true),
            _ => World::new(3).with_stores(true, false),
        };
        let p = Policy::default();
        for pick in picks {
            // Walk only through allowed controls, so long runs go deep.
            let allowed: Vec<Step> = menu(&w).iter().filter_map(|a| step(&w, a, &p).ok()).collect();
            let Some(s) = allowed.get(pick as usize % allowed.len().max(1)) else { break };
            prop_assert!(s.violations.is_empty(), "{:?}", s.violations);
            w = s.world;
        }
    }

    #[test]
    fn any_policy_never_panics(
        bits in any::<u8>(),
        picks in prop::collection::vec(prop::sample::select(all_actions()), 0..40),
    ) {
        let mut p = Policy::default();
        for (i, ap) in AntiPattern::ALL.iter().enumerate() {
            p.set(*ap, bits & (1 << i) != 0);
        }
        let _ = replay(&World::new(1), &p, &picks);
    }

    #[test]
    fn same_seed_and_actions_give_identical_traces(
        seed in any::<u64>(),
        picks in prop::collection::vec(prop::sample::select(all_actions()), 0..30),
    ) {
        let a = replay(&World::new(seed), &Policy::default(), &picks);
        let b = replay(&World::new(seed), &Policy::default(), &picks);
        prop_assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
        prop_assert_eq!(a, b);
    }

    #[test]
    fn codes_round_trip(a in prop::sample::select(all_actions()), n in any::<u8>()) {
        prop_assert_eq!(Action::from_code(&a.to_code()), Some(a));
        let d = Action::Drain { allocation: n };
        prop_assert_eq!(Action::from_code(&d.to_code()), Some(d));
    }

    #[test]
    fn from_code_never_panics(s in "\\PC{0,8}", t in "[a-zA-Z0-9]{0,5}") {
        let _ = Action::from_code(&s);
        if let Some(a) = Action::from_code(&t) {
            prop_assert_eq!(a.to_code(), t);
        }
    }
}
