//! The Lab session on the simulator: every drill plays to its goal, every
//! anti-pattern drill breaks its invariant under its switch, links reproduce
//! the moment, and "Find a failure" finds what the switch breaks.

use proptest::prelude::*;
use vango_study_lab::lab::codes;
use vango_study_lab::lab::search::{Search, SearchStatus};
use vango_study_lab::lab::{drill_for_card, LabSession, DEFAULT_DRILL};
use vango_study_lab::share::{LabLink, LinkError};
use vango_study_lab::sim::drill::drills;
use vango_study_lab::sim::{Switch, PRESETS, SWITCHES};

#[test]
fn the_default_drill_and_every_preset_open() {
    assert!(LabSession::open_slug(DEFAULT_DRILL).is_some());
    for (name, _) in PRESETS {
        let s = LabSession::open_preset(name).expect(name);
        let v = s.view();
        assert_eq!(v.steps, 0);
        assert!(!v.goal_met, "a preset has no goal");
        assert!(v.invariants.iter().all(|i| i.broken_at.is_none()), "{name}");
    }
}

#[test]
fn every_drill_plays_to_its_goal_under_the_correct_policy() {
    let all = drills();
    assert!(all.len() >= 40, "{}", all.len());
    for d in all {
        let mut s = LabSession::open(d.clone());
        assert_eq!(s.script_error, None, "{}", d.slug);
        s.set_switch(None);
        s.timeline.jump(usize::MAX);
        let v = s.view();
        let unmet: Vec<_> = v.goal.iter().filter(|c| !c.holds).collect();
        assert!(v.goal_met, "{}: unmet {unmet:?}", d.slug);
        assert!(v.record.is_some(), "{}", d.slug);
        assert!(
            v.invariants.iter().all(|i| i.broken_at.is_none()),
            "{}",
            d.slug
        );
    }
}

#[test]
fn every_anti_pattern_drill_breaks_its_invariant_under_its_switch() {
    let mut cards = std::collections::BTreeSet::new();
    for d in drills().into_iter().filter(|d| d.switch.is_some()) {
        let mut s = LabSession::open(d.clone());
        assert_eq!(
            s.switch().map(Switch::card_slug),
            d.switch.as_deref(),
            "opens with its switch on"
        );
        s.timeline.jump(usize::MAX);
        let v = s.view();
        let b = d.breaks.expect("anti-pattern drills name their invariant");
        let inv = &v.invariants[b as usize - 1];
        assert!(inv.broken_at.is_some(), "{}: {b} holds", d.slug);
        assert!(!inv.objects.is_empty(), "{}: which objects", d.slug);
        assert!(!v.goal_met, "{}", d.slug);
        assert!(!v.signals.is_empty(), "{}: no warning signal", d.slug);
        assert!(v.signals.iter().all(|s| !s.text.is_empty()), "{}", d.slug);
        assert!(v.harm.iter().all(|c| c.holds), "{}: {:?}", d.slug, v.harm);
        // The step that broke it says so, with its signal, in the narration.
        let n = inv.broken_at.unwrap();
        s.timeline.jump(n);
        let now = s.view().now;
        assert!(
            now.contains(&format!("Invariant {b} broke")),
            "{}: {now}",
            d.slug
        );
        assert!(now.contains("Warning signal"), "{}: {now}", d.slug);
        cards.insert(d.switch.clone().unwrap());
    }
    assert_eq!(cards.len(), SWITCHES.len(), "every card has a drill");
    for sw in SWITCHES {
        assert!(drill_for_card(sw.card_slug()).is_some());
    }
}

#[test]
fn every_scripted_step_is_offered_as_a_control() {
    for d in drills() {
        let mut s = LabSession::open(d.clone());
        for n in 0..s.timeline.len() {
            s.timeline.jump(n);
            let v = s.view();
            let next = s.timeline.next_action().copied().unwrap();
            let code = codes::encode(&next);
            let found = v
                .actions
                .iter()
                .flat_map(|g| &g.actions)
                .find(|a| a.code == code);
            let found =
                found.unwrap_or_else(|| panic!("{} step {}: {code} not offered", d.slug, n + 1));
            assert_eq!(Some(&found.vocabulary), v.next.as_ref(), "{}", d.slug);
        }
    }
}

#[test]
fn acting_by_code_is_what_the_script_does() {
    let d = drills()
        .into_iter()
        .find(|d| d.slug == "promotion")
        .unwrap();
    let scripted = LabSession::open(d.clone());
    let mut clicked = LabSession::open(d);
    clicked.timeline = vango_study_lab::lab::timeline::Timeline::new(Vec::new(), 0);
    for a in scripted.timeline.actions() {
        assert!(clicked.act_code(&codes::encode(a)));
    }
    let mut end = scripted.clone();
    end.timeline.jump(usize::MAX);
    assert_eq!(clicked.view().goal_met, end.view().goal_met);
    assert!(clicked.view().goal_met);
    assert!(!clicked.act_code("zz9"));
}

#[test]
fn a_share_link_reproduces_the_moment_and_does_not_count_as_progress() {
    let mut s = LabSession::open(drill_for_card("unsafe-wake-replay").unwrap());
    s.set_switch(None);
    s.timeline.jump(usize::MAX);
    assert!(s.view().record.is_some());
    let text = s.to_link().encode();
    assert!(text.starts_with("v2~d."), "{text}");
    let again = LabSession::from_link(&LabLink::decode(&text).unwrap()).unwrap();
    let (a, b) = (again.view(), s.view());
    assert_eq!(a.picture, b.picture);
    assert_eq!(a.invariants, b.invariants);
    assert_eq!(a.goal_met, b.goal_met);
    assert!(a.shared);
    assert_eq!(a.record, None, "someone else's play is not progress");
    assert_eq!(again.to_link(), s.to_link());
    let mut restarted = again.clone();
    restarted.restart();
    assert!(!restarted.shared);
}

#[test]
fn links_to_unknown_or_old_things_are_refused_with_a_reason() {
    let base = LabSession::default_session().to_link().encode();
    let unknown = base.replace("d.promotion", "d.no-such-drill");
    let e = LabSession::from_link(&LabLink::decode(&unknown).unwrap()).unwrap_err();
    assert!(e.contains("does not have"), "{e}");
    let bad_action = "v2~d.promotion~0~pr01.zz1~1";
    let e = LabLink::decode(bad_action)
        .map_err(|e| e.to_string())
        .and_then(|l| LabSession::from_link(&l));
    assert!(e.is_err());
    assert_eq!(
        LabLink::decode("v1~happy-promotion~7~0~Bw.P1~2"),
        Err(LinkError::OlderVersion(1))
    );
}

#[test]
fn find_a_failure_finds_each_anti_pattern_drills_break_and_nothing_when_correct() {
    // One drill per card keeps this quick; each must be found from step 0.
    for sw in SWITCHES {
        let d = drill_for_card(sw.card_slug()).unwrap();
        let s = LabSession::open(d.clone());
        match Search::new(&s).run_to_end() {
            SearchStatus::Found {
                invariant, actions, ..
            } => {
                assert!(invariant >= 1, "{}", d.slug);
                // Replaying what it found breaks that invariant.
                let mut t = s.clone();
                t.timeline =
                    vango_study_lab::lab::timeline::Timeline::new(actions.clone(), actions.len());
                let v = t.view();
                assert!(
                    v.invariants[invariant as usize - 1].broken_now,
                    "{}",
                    d.slug
                );
            }
            other => panic!("{}: {other:?}", d.slug),
        }
    }
    let mut s = LabSession::open_slug("promotion").unwrap();
    s.set_switch(None);
    match Search::new(&s).run_to_end() {
        SearchStatus::Nothing { why, states, .. } => {
            assert!(states > 1);
            assert!(why.contains("switch on an anti-pattern"), "{why}");
        }
        other => panic!("{other:?}"),
    }
}

proptest! {
    // Each case computes a view per click; a few dozen cases cover it.
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Whatever the learner clicks, in any order, the view is computed and
    /// its cursor, link and narration agree.
    #[test]
    fn any_clicks_give_a_consistent_view(picks in proptest::collection::vec(0usize..400, 0..25), drill in 0usize..45) {
        let all = drills();
        let mut s = LabSession::open(all[drill % all.len()].clone());
        for p in picks {
            let v = s.view();
            let moves: Vec<_> = v.actions.iter().flat_map(|g| &g.actions).filter(|a| a.refused.is_none()).collect();
            if moves.is_empty() { break; }
            let code = moves[p % moves.len()].code.clone();
            prop_assert!(s.act_code(&code));
        }
        let v = s.view();
        prop_assert_eq!(v.step, s.timeline.cursor());
        prop_assert_eq!(v.narration.len(), v.steps);
        let again = LabSession::from_link(&LabLink::decode(&s.to_link().encode()).unwrap()).unwrap();
        prop_assert_eq!(again.view().picture, v.picture);
    }
}
