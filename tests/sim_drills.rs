//! Every drill in content/drills/ plays to its goal under the correct policy
//! with no broken invariant; every anti-pattern drill, with its switch on,
//! breaks its invariant and shows its harm and signals.

use vango_study_lab::sim::drill::{drills, play_correct, play_naive, Played};
use vango_study_lab::sim::drill_schema::KINDS;
use vango_study_lab::sim::signal::SIGNALS;

#[test]
fn there_are_enough_drills_of_every_kind() {
    let all = drills();
    assert!(all.len() >= 34, "{} drills", all.len());
    for kind in KINDS {
        assert!(all.iter().any(|d| d.kind == kind), "no {kind} drill");
    }
    for card in vango_study_lab::sim::SWITCHES.map(|s| s.card_slug()) {
        assert!(
            all.iter().any(|d| d.switch.as_deref() == Some(card)),
            "no drill for {card}"
        );
    }
}

/// Why a played drill missed its goal, step by step.
fn explain(p: &Played) -> String {
    let trace: Vec<String> = p
        .steps
        .iter()
        .map(|s| {
            let broke: Vec<u8> = s
                .invariants
                .iter()
                .filter(|r| !r.holds)
                .map(|r| r.id)
                .collect();
            format!(
                "{} refused={:?} {:?} broke {broke:?}",
                s.line, s.refused, s.narration
            )
        })
        .collect();
    format!(
        "{}: unmet {:?}\n    {}",
        p.slug,
        p.unmet,
        trace.join("\n    ")
    )
}

#[test]
fn every_drill_meets_its_goal_under_the_correct_policy() {
    let failures: Vec<String> = drills()
        .iter()
        .map(|d| play_correct(d).unwrap_or_else(|e| panic!("{}: {e}", d.slug)))
        .filter(|p| !p.goal_met())
        .map(|p| explain(&p))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_anti_pattern_drill_fails_with_its_switch_on() {
    let failures: Vec<String> = drills()
        .iter()
        .filter(|d| d.switch.is_some())
        .map(|d| play_naive(d).unwrap_or_else(|e| panic!("{}: {e}", d.slug)))
        .filter(|p| !p.goal_met())
        .map(|p| explain(&p))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Each of the 21 signals is lit by some anti-pattern drill with its switch
/// on, and not at the end of the same drill under the correct policy: the
/// same actions ran both times, so the world — not the action — lights it.
#[test]
fn every_signal_is_lit_by_the_world_not_by_the_action() {
    let all = drills();
    for s in SIGNALS.iter() {
        let name = format!("{}#{}", s.card, s.index);
        let d = all
            .iter()
            .find(|d| d.signals.contains(&name))
            .unwrap_or_else(|| panic!("no drill shows signal {name}"));
        let naive = play_naive(d).unwrap();
        assert!(
            naive.steps.last().unwrap().signals.contains(&name),
            "{name} not lit in {}",
            d.slug
        );
        let correct = play_correct(d).unwrap();
        assert!(
            correct.steps.iter().all(|st| !st.signals.contains(&name)),
            "{name} lit under the correct policy in {}",
            d.slug
        );
    }
}
