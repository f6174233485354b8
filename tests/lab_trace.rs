//! The Lab's trace: steps as swim lanes. The breaking step it marks is the
//! session's first break, each step acts in its actor's lane, the world gives
//! one lane per POP, what changed is empty exactly when the step changed
//! nothing, and the service answers `Trace` in JSON that reads back the same.

use proptest::prelude::*;
use vango_study_lab::lab::service::{request_json, LabReply, LabRequest, LabService};
use vango_study_lab::lab::trace::{trace, TraceView};
use vango_study_lab::lab::{offered, LabSession};
use vango_study_lab::sim::drill::drills;
use vango_study_lab::sim::world::POP_NAMES;
use vango_study_lab::sim::{Action, Who, PRESETS, SWITCHES};

/// Every drill, with its own switch (anti-pattern drills) and on the correct platform.
fn sessions() -> Vec<(String, LabSession)> {
    let mut out = Vec::new();
    for d in drills() {
        let own = LabSession::open(d.clone());
        let mut correct = own.clone();
        correct.set_switch(None);
        out.push((format!("{} (own switch)", d.slug), own));
        out.push((format!("{} (correct)", d.slug), correct));
    }
    out
}

fn at_end(mut s: LabSession) -> LabSession {
    s.timeline.jump(usize::MAX);
    s
}

#[test]
fn the_marked_breaking_step_is_the_first_step_an_invariant_broke() {
    let mut checked = 0;
    for d in drills().into_iter().filter(|d| d.switch.is_some()) {
        let s = at_end(LabSession::open(d.clone()));
        let (t, v) = (trace(&s), s.view());
        let first = v
            .invariants
            .iter()
            .filter_map(|i| i.broken_at)
            .min()
            .expect("an anti-pattern drill breaks an invariant under its switch");
        assert_eq!(t.breaking, Some(first), "{}", d.slug);
        let row = &t.rows[first - 1];
        assert!(!row.broke.is_empty(), "{}", d.slug);
        // The drill's own invariant is marked, by number and name, where it broke.
        let b = d.breaks.unwrap();
        let inv = &v.invariants[b as usize - 1];
        let at = &t.rows[inv.broken_at.unwrap() - 1];
        assert!(
            at.broke.iter().any(|x| x.id == b && x.name == inv.name),
            "{}: {:?}",
            d.slug,
            at.broke
        );
        // No row before it is marked; before it is played, nothing is.
        assert!(t.rows[..first - 1].iter().all(|r| r.broke.is_empty()));
        let mut before = s.clone();
        before.timeline.jump(first - 1);
        assert_eq!(trace(&before).breaking, None, "{}", d.slug);
        checked += 1;
    }
    assert!(checked >= SWITCHES.len(), "{checked}");
}

#[test]
fn the_correct_platform_marks_no_breaking_step() {
    for d in drills() {
        let mut s = LabSession::open(d.clone());
        s.set_switch(None);
        let t = trace(&at_end(s));
        assert_eq!(t.breaking, None, "{}", d.slug);
        assert!(t.rows.iter().all(|r| r.broke.is_empty()), "{}", d.slug);
    }
}

/// The lane a move must show in: its actor's; a POP's move in that POP's lane.
fn assert_acts_in_its_lane(t: &TraceView, actions: &[Action], what: &str) {
    assert_eq!(t.rows.len(), actions.len(), "{what}");
    for (row, a) in t.rows.iter().zip(actions) {
        let who = a.who().word();
        let lane = &t.lanes[row.lane];
        assert_eq!(row.actor, who, "{what} step {}", row.step);
        assert!(
            lane.actors.iter().any(|w| w == who),
            "{what} step {}: {} in lane {}",
            row.step,
            row.action,
            lane.name
        );
        assert!(row.action.starts_with(who), "{what}: {}", row.action);
        // A lane of one actor says who: its cell gives the rest of the vocabulary.
        match lane.actors.len() {
            1 => assert_eq!(format!("{who} {}", row.label), row.action, "{what}"),
            _ => assert_eq!(row.label, row.action, "{what}"),
        }
        if let Action::PopConsume { pop } | Action::PopSnapshot { pop } = a {
            assert_eq!(lane.name, format!("POP {}", POP_NAMES[*pop as usize]));
        }
    }
    // Each actor has exactly one lane (a POP one per POP).
    for who in [
        Who::Operator,
        Who::Worker,
        Who::Runner,
        Who::Control,
        Who::Client,
        Who::Time,
        Who::Fault,
    ] {
        let n = t
            .lanes
            .iter()
            .filter(|l| l.actors.iter().any(|w| w == who.word()))
            .count();
        assert_eq!(n, 1, "{what}: {who:?}");
    }
}

#[test]
fn every_step_acts_in_its_actors_lane() {
    for (what, s) in sessions() {
        let t = trace(&at_end(s.clone()));
        assert_acts_in_its_lane(&t, s.timeline.actions(), &what);
        assert!(t.rows.iter().all(|r| r.played), "{what}");
    }
}

#[test]
fn one_lane_per_pop_of_the_world() {
    let mut worlds: Vec<LabSession> = sessions().into_iter().map(|(_, s)| s).collect();
    worlds.extend(
        PRESETS
            .iter()
            .map(|(n, _)| LabSession::open_preset(n).unwrap()),
    );
    for s in worlds {
        let t = trace(&at_end(s.clone()));
        let pops: Vec<&str> = t
            .lanes
            .iter()
            .filter(|l| l.actors.iter().any(|w| w == "pop"))
            .map(|l| l.short.as_ref())
            .collect();
        assert_eq!(pops, POP_NAMES[..s.world.pops.len()].to_vec());
        // What a step did to a POP shows in that POP's lane.
        for e in t.rows.iter().flat_map(|r| &r.effects) {
            if let Some(name) = e.text.strip_prefix("POP ") {
                let lane = &t.lanes[e.lane];
                assert!(
                    name.starts_with(lane.short.as_ref()),
                    "{} in {}",
                    e.text,
                    lane.name
                );
            }
        }
    }
}

/// Effects are empty exactly when the world did not change, for every played step.
fn assert_changes_match(s: &LabSession, what: &str) {
    let t = trace(s);
    let (worlds, _) = s.replay();
    for row in t.rows.iter().filter(|r| r.played) {
        let (before, after) = (&worlds[row.step - 1], &worlds[row.step]);
        assert_eq!(
            row.effects.is_empty(),
            before == after,
            "{what} step {} ({}): {:?}",
            row.step,
            row.action,
            row.effects
        );
        if row.refused {
            assert!(row.effects.is_empty(), "{what}: a refusal changes nothing");
        }
        for e in &row.effects {
            assert!(e.lane < t.lanes.len());
            // A request's change is labelled with its name, not only coloured.
            if let Some(id) = e.request {
                assert!(e.text.starts_with(&format!("req#{id} ")), "{}", e.text);
            }
        }
    }
}

#[test]
fn what_changed_is_empty_exactly_when_the_step_changed_nothing() {
    let mut quiet = 0;
    for (what, s) in sessions() {
        let s = at_end(s);
        assert_changes_match(&s, &what);
        quiet += trace(&s)
            .rows
            .iter()
            .filter(|r| r.effects.is_empty())
            .count();
    }
    assert!(quiet > 0, "some step changes nothing (a refusal)");
}

#[test]
fn a_step_not_played_yet_shows_only_its_action() {
    let mut s = LabSession::open(drills().into_iter().find(|d| d.switch.is_some()).unwrap());
    s.timeline.jump(2);
    let t = trace(&s);
    assert_eq!(t.step, 2);
    for row in &t.rows[2..] {
        assert!(!row.played && row.effects.is_empty() && row.broke.is_empty());
        assert!(!row.action.is_empty());
    }
    assert!(t.rows[..2].iter().all(|r| r.played));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
    /// Any moves the Lab offers, from any start world, under any switch.
    #[test]
    fn what_changed_is_exact_for_any_moves(
        preset in 0..PRESETS.len(),
        switch in 0..=SWITCHES.len(),
        picks in prop::collection::vec(any::<u16>(), 0..40),
    ) {
        let mut s = LabSession::open_preset(PRESETS[preset].0).unwrap();
        s.set_switch(SWITCHES.get(switch).copied());
        for p in picks {
            let moves = offered(&s.world_now());
            s.timeline.act(moves[p as usize % moves.len()]);
        }
        let what = format!("{} under {:?}", PRESETS[preset].0, s.switch());
        assert_changes_match(&s, &what);
        let t = trace(&s);
        assert_acts_in_its_lane(&t, s.timeline.actions(), &what);
    }
}

#[test]
fn the_service_answers_trace_with_json_that_round_trips() {
    let mut svc = LabService::new();
    svc.handle(LabRequest::OpenLink {
        state: Some("ap=event-bus-as-database".into()),
    });
    svc.handle(LabRequest::Jump { step: usize::MAX });
    let text = request_json(&LabRequest::Trace);
    assert_eq!(text, r#""trace""#);
    let replies = svc.handle_json(&text);
    assert_eq!(replies.len(), 1, "{replies:?}");
    let read: LabReply = serde_json::from_str(&replies[0]).unwrap();
    let LabReply::Trace { trace: got } = &read else {
        panic!("expected a trace, got {read:?}");
    };
    let mut s = LabSession::open_slug("ap-eventbus-gap").unwrap();
    s.timeline.jump(usize::MAX);
    assert_eq!(**got, trace(&s));
    assert!(got.breaking.is_some());
    assert_eq!(serde_json::to_string(&read).unwrap(), replies[0]);
}

#[test]
fn asking_for_the_trace_changes_nothing_and_keeps_a_search_running() {
    let mut svc = LabService::new();
    let before = svc.view();
    svc.handle(LabRequest::SearchStart);
    assert!(svc.searching());
    let replies = svc.handle(LabRequest::Trace);
    assert!(
        matches!(replies.as_slice(), [LabReply::Trace { .. }]),
        "{replies:?}"
    );
    assert!(
        svc.searching(),
        "reading the trace does not cancel the search"
    );
    svc.handle(LabRequest::SearchCancel);
    assert_eq!(svc.view(), before);
}
