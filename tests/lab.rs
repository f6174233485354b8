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

#[test]
fn when_a_switch_breaks_nothing_from_here_the_search_names_the_drill_made_for_it() {
    // The default drill with Warm Deploy Equals Safe Rollback on: its harm
    // needs a dropped column, far more moves away than a search goes, so
    // nothing breaks, and the advice names the drill that shows it.
    let mut s = LabSession::open_slug(DEFAULT_DRILL).unwrap();
    s.set_switch(Some(
        Switch::from_slug("warm-deploy-equals-safe-rollback").unwrap(),
    ));
    let made_for_it = drill_for_card("warm-deploy-equals-safe-rollback").unwrap();
    match Search::new(&s).run_to_end() {
        SearchStatus::Nothing { why, .. } => {
            assert!(why.contains(&format!("“{}”", made_for_it.title)), "{why}");
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
    fn any_clicks_give_a_consistent_view(picks in proptest::collection::vec(0usize..400, 0..25), drill in 0usize..49) {
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

// ---- The service the Lab's Web Worker runs (src/lab/service.rs).

use vango_study_lab::lab::service::{reply_json, request_json, LabReply, LabRequest, LabService};
use vango_study_lab::lab::LabView;

fn the_view(replies: &[LabReply]) -> &LabView {
    match replies.last() {
        Some(LabReply::View { view }) => view,
        other => panic!("expected a view last, got {other:?}"),
    }
}

fn errors(replies: &[LabReply]) -> usize {
    replies
        .iter()
        .filter(|r| matches!(r, LabReply::Error { .. }))
        .count()
}

#[test]
fn the_service_answers_every_request_with_the_view_the_session_gives() {
    let mut svc = LabService::new();
    let opened = svc.handle(LabRequest::OpenLink {
        state: Some("drill=promotion".into()),
    });
    let v = the_view(&opened).clone();
    assert_eq!(v.opened, "d:promotion");
    assert_eq!((v.step, v.can_undo, v.can_redo), (0, false, false));
    assert!(v.can_forward() && v.steps > 2);
    // The same moves on a session by hand give the same views.
    let mut s = LabSession::open_slug("promotion").unwrap();
    assert_eq!(v, s.view());

    let v = the_view(&svc.handle(LabRequest::Forward)).clone();
    s.timeline.forward();
    assert_eq!(v, s.view());
    assert_eq!(v.step, 1);
    let v = the_view(&svc.handle(LabRequest::Jump { step: usize::MAX })).clone();
    assert_eq!(v.step, v.steps);
    assert!(!v.can_forward());
    let v = the_view(&svc.handle(LabRequest::Back)).clone();
    assert_eq!(v.step, v.steps - 1);
    let v = the_view(&svc.handle(LabRequest::Jump { step: 1 })).clone();
    // Acting at an earlier step forks: the old future is kept and undoable.
    let code = v
        .actions
        .iter()
        .flat_map(|g| &g.actions)
        .find(|a| a.refused.is_none())
        .unwrap()
        .code
        .clone();
    let v = the_view(&svc.handle(LabRequest::Act { code })).clone();
    assert_eq!(v.step, 2);
    assert_eq!(v.forks.len(), 1);
    assert!(v.can_undo);
    let v = the_view(&svc.handle(LabRequest::Undo)).clone();
    assert!(v.can_redo && v.forks.is_empty());
    let v = the_view(&svc.handle(LabRequest::Redo)).clone();
    assert_eq!(v.forks.len(), 1);
    let v = the_view(&svc.handle(LabRequest::RestoreFork { index: 0 })).clone();
    assert_eq!(v.forks.len(), 1, "the future left is kept in turn");
    let v = the_view(&svc.handle(LabRequest::SetSwitch {
        card: Some("sessions-teleport".into()),
    }))
    .clone();
    assert_eq!(v.switch.as_deref(), Some("sessions-teleport"));
    let v = the_view(&svc.handle(LabRequest::SetSwitch { card: None })).clone();
    assert_eq!(v.switch, None);
    let v = the_view(&svc.handle(LabRequest::Restart)).clone();
    assert_eq!((v.step, v.shared), (0, false));
    let v = the_view(&svc.handle(LabRequest::OpenStart {
        value: "p:steady".into(),
    }))
    .clone();
    assert_eq!((v.opened.as_str(), v.steps), ("p:steady", 0));
    // The link is the moment: opening it gives the same picture, as shared.
    let link = v.link.clone();
    let mut other = LabService::new();
    let w = the_view(&other.handle(LabRequest::OpenLink { state: Some(link) })).clone();
    assert_eq!(w.picture, v.picture);
    assert!(w.shared);
}

#[test]
fn bad_requests_are_answered_with_an_error_and_change_nothing() {
    let mut svc = LabService::new();
    let before = the_view(&[svc.view()]).clone();
    for bad in [
        LabRequest::Act { code: "zz9".into() },
        LabRequest::Act {
            code: String::new(),
        },
        LabRequest::OpenStart {
            value: "d:no-such-drill".into(),
        },
        LabRequest::OpenStart { value: "x".into() },
        LabRequest::RestoreFork { index: 7 },
        LabRequest::SetSwitch {
            card: Some("<script>".into()),
        },
    ] {
        let replies = svc.handle(bad.clone());
        assert_eq!(errors(&replies), 1, "{bad:?}: {replies:?}");
        assert_eq!(replies.len(), 1, "{bad:?}");
        assert_eq!(
            the_view(&[svc.view()]),
            &before,
            "{bad:?} changed the session"
        );
    }
    // An address naming nothing opens the default drill and says why.
    for state in [
        "ap=nope",
        "drill=nope",
        "scenario=nope",
        "preset=nope",
        "v2~garbage",
        "v1~x~1~0~~0",
        "",
    ] {
        let replies = svc.handle(LabRequest::OpenLink {
            state: Some(state.into()),
        });
        assert!(
            matches!(replies.first(), Some(LabReply::LinkError { .. })),
            "{state}: {replies:?}"
        );
        assert_eq!(the_view(&replies).opened, "d:promotion", "{state}");
    }
    // Text that is not a request: an error reply, never a panic.
    for text in [
        "",
        "null",
        "{}",
        "\"fly\"",
        "{\"jump\":{}}",
        "[1,2]",
        "{\"jump\":{\"step\":-1}}",
        "{\"act\":{\"code\":7}}",
    ] {
        let out = svc.handle_json(text);
        assert_eq!(out.len(), 1, "{text}");
        let reply: LabReply = serde_json::from_str(&out[0]).unwrap();
        assert!(matches!(reply, LabReply::Error { .. }), "{text}: {reply:?}");
    }
}

#[test]
fn requests_and_replies_cross_as_json_unchanged() {
    let mut svc = LabService::new();
    for r in [
        LabRequest::OpenLink { state: None },
        LabRequest::Resume {
            link: "v2~d.promotion~0~~0".into(),
        },
        LabRequest::Jump { step: 3 },
        LabRequest::SetSwitch {
            card: Some("logs-as-truth".into()),
        },
        LabRequest::SearchCancel,
    ] {
        let text = request_json(&r);
        assert_eq!(serde_json::from_str::<LabRequest>(&text).unwrap(), r);
        for reply_text in svc.handle_json(&text) {
            let reply: LabReply = serde_json::from_str(&reply_text).unwrap();
            assert_eq!(reply_json(&reply), reply_text, "round trip");
        }
    }
}

#[test]
fn find_a_failure_runs_in_slices_can_be_cancelled_and_loads_what_it_found() {
    let mut svc = LabService::new();
    svc.handle(LabRequest::OpenLink {
        state: Some("ap=sessions-teleport".into()),
    });
    let start = svc.handle(LabRequest::SearchStart);
    assert!(
        matches!(start[..], [LabReply::SearchProgress { states: 0, max_depth, .. }] if max_depth >= 8)
    );
    assert!(svc.searching());
    // Small slices: progress first, then (within bounds) the failure and a view.
    let mut progress = 0;
    let mut found = None;
    for _ in 0..100_000 {
        let replies = svc.search_slice(64);
        match replies.first() {
            Some(LabReply::SearchProgress { .. }) => progress += 1,
            Some(LabReply::SearchFound { steps, .. }) => {
                found = Some((*steps, the_view(&replies).clone()));
                break;
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(progress > 0, "sliced");
    let (steps, v) = found.expect("found");
    assert!(!svc.searching());
    assert_eq!(v.step, steps, "loaded into the timeline, at its end");
    assert!(v.invariants.iter().any(|i| i.broken_now));

    // Cancel between slices; any change to the session also stops a search.
    svc.handle(LabRequest::SearchStart);
    assert_eq!(
        svc.handle(LabRequest::SearchCancel),
        vec![LabReply::SearchCancelled]
    );
    assert!(!svc.searching());
    assert!(svc.search_slice(64).is_empty());
    assert!(
        svc.handle(LabRequest::SearchCancel).is_empty(),
        "nothing to cancel"
    );
    svc.handle(LabRequest::SearchStart);
    let replies = svc.handle(LabRequest::Back);
    assert_eq!(replies.first(), Some(&LabReply::SearchCancelled));
    assert!(!svc.searching());

    // The correct platform: nothing found, and the reply says why.
    let mut svc = LabService::new();
    svc.handle(LabRequest::SetSwitch { card: None });
    svc.handle(LabRequest::SearchStart);
    let end = loop {
        let r = svc.search_slice(4096);
        if !matches!(r.first(), Some(LabReply::SearchProgress { .. })) {
            break r;
        }
    };
    assert!(
        matches!(&end[..], [LabReply::SearchNothing { why }] if why.contains("anti-pattern")),
        "{end:?}"
    );
}

/// "Continue where you left off": the learner's own saved moment reopens at
/// the same step, switch and timeline, and (unlike a share link) counts.
#[test]
fn resuming_the_saved_moment_restores_it_as_the_learners_own() {
    let mut svc = LabService::new();
    svc.handle(LabRequest::OpenLink {
        state: Some("ap=unsafe-wake-replay".into()),
    });
    svc.handle(LabRequest::SetSwitch { card: None });
    svc.handle(LabRequest::Forward);
    svc.handle(LabRequest::Forward);
    let played = the_view(&svc.handle(LabRequest::Forward)).clone();
    assert_eq!(played.step, 3);
    assert!(!played.shared);

    let mut other = LabService::new();
    let resumed = the_view(&other.handle(LabRequest::Resume {
        link: played.link.clone(),
    }))
    .clone();
    assert_eq!(resumed, played, "the same moment, and the learner's own");
    let end = the_view(&other.handle(LabRequest::Jump { step: usize::MAX })).clone();
    assert!(
        end.goal_met && end.record.is_some(),
        "a goal met after resuming counts"
    );

    // The same text as a share link is someone else's play.
    let shared = the_view(&other.handle(LabRequest::OpenLink {
        state: Some(played.link.clone()),
    }))
    .clone();
    assert!(shared.shared);
    // A bad saved moment opens the default drill and says why; nothing panics.
    let bad = other.handle(LabRequest::Resume {
        link: "v2~d.no-such-drill~0~~3".into(),
    });
    assert!(bad.iter().any(|r| matches!(r, LabReply::LinkError { .. })));
    assert!(!the_view(&bad).shared);
}
