//! The decision labs against the simulator's decision code, exhaustively.

use std::collections::BTreeSet;

use vango_study_lab::content::catalog;
use vango_study_lab::learn::{lab, Tone, LABS};
use vango_study_lab::sim::decide;

#[test]
fn there_are_the_seven_labs_of_the_spec_with_unique_slugs() {
    let slugs: BTreeSet<&str> = LABS.iter().map(|l| l.slug).collect();
    assert_eq!(slugs.len(), 7);
    for slug in [
        "deploy-impact",
        "route-event",
        "resume-or-fresh",
        "wake-request",
        "scale-readiness",
        "region-enablement",
        "host-drain",
    ] {
        assert!(lab(slug).is_some(), "{slug}");
    }
    assert!(lab("nope").is_none());
}

#[test]
fn every_outcome_is_reachable_and_every_decision_is_listed() {
    for l in LABS {
        let reached: BTreeSet<&str> = l.all_inputs().iter().map(|v| l.decide(v).key).collect();
        let listed: BTreeSet<&str> = l.outcomes.iter().map(|o| o.key).collect();
        assert_eq!(
            reached, listed,
            "{}: an outcome nobody can reach, or a decision not in the table",
            l.slug
        );
        assert!(l
            .outcomes
            .iter()
            .all(|o| !o.why.is_empty() && !o.label.is_empty()));
        assert!(l.inputs.iter().all(|i| i.default <= i.max));
    }
}

#[test]
fn every_lab_names_terms_and_cards_that_exist() {
    let c = catalog();
    for l in LABS {
        assert!(!l.terms.is_empty(), "{}", l.slug);
        for t in l.terms {
            assert!(c.term(t).is_some(), "{}: unknown term {t}", l.slug);
        }
        for k in l.cards {
            assert!(c.card(k).is_some(), "{}: unknown card {k}", l.slug);
        }
    }
}

/// For every input combination, the lab says what the simulator's own decision says.
#[test]
fn every_lab_agrees_with_the_simulator_for_every_input() {
    let b = |v: u8| v != 0;
    let mut checked = 0;
    for l in LABS {
        for v in l.all_inputs() {
            let got = l.decide(&v).key;
            let want = match l.slug {
                "deploy-impact" => {
                    format!("{:?}", decide::deploy_impact(b(v[0]), b(v[1]), b(v[2])))
                }
                "route-event" => format!("{:?}", decide::route_event(v[0], v[1], v[2], v[3])),
                "resume-or-fresh" => format!(
                    "{:?}",
                    decide::continuity(b(v[0]), b(v[1]), b(v[2]), b(v[3]))
                ),
                "wake-request" => format!(
                    "{:?}",
                    decide::wake_request(b(v[0]), b(v[1]), b(v[2]), b(v[3]))
                ),
                "scale-readiness" => {
                    format!("{:?}", decide::scale_readiness(b(v[0]), b(v[1]), b(v[2])))
                }
                "region-enablement" => format!(
                    "{:?}",
                    decide::region_gates(b(v[0]), b(v[1]), b(v[2]), b(v[3]))
                ),
                "host-drain" => format!("{:?}", decide::host_drain(b(v[0]), b(v[1]))),
                other => panic!("a lab this test does not know: {other}"),
            };
            // Outcome keys are the simulator's variant names in kebab case.
            assert_eq!(got, kebab(&want), "{} {v:?}", l.slug);
            checked += 1;
        }
    }
    assert_eq!(checked, 8 + 5 * 6 * 6 * 7 + 16 + 16 + 8 + 16 + 4);
}

fn kebab(variant: &str) -> String {
    let mut out = String::new();
    for (i, ch) in variant.chars().enumerate() {
        if ch.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(ch.to_ascii_lowercase());
        } else if ch.is_ascii_digit() && !out.ends_with(|c: char| c.is_ascii_digit()) {
            out.push('-');
            out.push(ch);
        } else {
            out.push(ch);
        }
    }
    out
}

#[test]
fn the_decisions_a_learner_meets_first_read_right() {
    // Spot checks in the words of the spec.
    let wake = lab("wake-request").unwrap();
    assert_eq!(
        wake.decide(&[0, 1, 0, 0]).key,
        "retry-503",
        "unsafe, no key: controlled 503"
    );
    assert_eq!(wake.decide(&[0, 1, 1, 1]).key, "hold-replay");
    assert_eq!(wake.decide(&[0, 0, 0, 0]).tone, Tone::Caution);
    let event = lab("route-event").unwrap();
    assert_eq!(event.decide(&[2, 3, 3, 4]).key, "apply");
    assert_eq!(event.decide(&[2, 3, 2, 4]).key, "ignore", "stale epoch");
    assert_eq!(event.decide(&[2, 3, 3, 6]).key, "fail-closed", "gap");
    let host = lab("host-drain").unwrap();
    assert_eq!(
        host.decide(&host.defaults()).key,
        "blocked-no-headroom",
        "cordon is not enough"
    );
    // Out-of-range and missing values are brought into range, never a panic.
    assert_eq!(event.decide(&[200]).key, event.decide(&[4, 3, 3, 4]).key);
}

// ---------- the guided path ----------

use vango_study_lab::learn::{lessons, next_lesson, prediction};
use vango_study_lab::sim::drill::{drills, play_correct};

#[test]
fn the_path_has_at_least_nine_lessons_in_teaching_order() {
    let all = lessons();
    assert!(all.len() >= 9, "{}", all.len());
    assert_eq!(all[0].slug, "stateful-is-not-magic");
    assert_eq!(
        all.last().unwrap().slug,
        "recovering-honestly",
        "the path ends with recovery"
    );
    assert_eq!(
        next_lesson(&all[0].slug).map(|l| l.slug.as_str()),
        Some(all[1].slug.as_str())
    );
    assert!(next_lesson(&all.last().unwrap().slug).is_none());
}

#[test]
fn every_prediction_is_answered_by_the_model() {
    let mut answers = Vec::new();
    for l in lessons() {
        let p = prediction(&l.predict).unwrap_or_else(|e| panic!("{}: {e}", l.slug));
        assert!(
            p.options.len() >= 2 && p.answer < p.options.len(),
            "{}",
            l.slug
        );
        answers.push(p.answer);
    }
    // Not always the same position: the answer comes from the model, not a pattern.
    answers.sort_unstable();
    answers.dedup();
    assert!(answers.len() >= 2, "{answers:?}");
}

#[test]
fn a_prediction_that_no_statement_or_two_statements_answer_is_refused() {
    let mut p = lessons()
        .iter()
        .find(|l| l.predict.drill.is_some())
        .unwrap()
        .predict
        .clone();
    let first = p.options[0].clone();
    p.options = vec![first.clone(), first];
    assert!(prediction(&p).unwrap_err().contains("exactly one"));
    p.options[0].holds = "owner Z".into();
    assert!(prediction(&p).is_err());
    let mut q = lessons()
        .iter()
        .find(|l| l.predict.lab.is_some())
        .unwrap()
        .predict
        .clone();
    q.inputs.push(1);
    assert!(prediction(&q).unwrap_err().contains("inputs"));
}

#[test]
fn every_lesson_links_to_drills_labs_terms_and_cards_that_exist() {
    let c = catalog();
    let drill_slugs: Vec<String> = drills().into_iter().map(|d| d.slug).collect();
    for l in lessons() {
        assert!(
            drill_slugs.contains(&l.see.drill),
            "{}: see {}",
            l.slug,
            l.see.drill
        );
        if let Some(d) = &l.apply.drill {
            assert!(drill_slugs.contains(d), "{}: apply {d}", l.slug);
        }
        if let Some(x) = &l.apply.lab {
            assert!(lab(x).is_some(), "{}: apply {x}", l.slug);
        }
        for t in &l.terms {
            assert!(c.term(t).is_some(), "{}: {t}", l.slug);
        }
        for k in &l.cards {
            assert!(c.card(k).is_some(), "{}: {k}", l.slug);
        }
    }
}

#[test]
fn every_drill_a_lesson_shows_meets_its_goal_under_the_correct_policy() {
    let all = drills();
    for l in lessons() {
        for slug in std::iter::once(&l.see.drill).chain(&l.apply.drill) {
            let d = all.iter().find(|d| &d.slug == slug).unwrap();
            let played = play_correct(d).unwrap();
            assert!(
                played.goal_met(),
                "{}: {slug} unmet {:?}",
                l.slug,
                played.unmet
            );
        }
    }
}

#[test]
fn every_lesson_reading_uses_the_glossary_terms_it_rests_on() {
    let c = catalog();
    for l in lessons() {
        for t in &l.terms {
            let term = c.term(t).unwrap();
            assert!(
                vango_study_lab::content::mentions(&l.reading, term),
                "{}: the reading never mentions {}",
                l.slug,
                term.name
            );
        }
    }
}

// ---------- glossary links in lesson text ----------

use vango_study_lab::content::link::{link_terms, paragraphs, Segment};

#[test]
fn the_first_mention_of_each_term_becomes_a_link_and_the_text_is_kept_whole() {
    let c = catalog();
    let text = "A drain lets sessions finish; a second drain is plain. The route owner and its route epoch decide, not the CAS in passing; cas is a word.";
    let segs = link_terms(c, text, &[]);
    let rebuilt: String = segs
        .iter()
        .map(|s| match s {
            Segment::Text(t) | Segment::Term { text: t, .. } => *t,
        })
        .collect();
    assert_eq!(rebuilt, text, "no text is lost or added");
    let links: Vec<(&str, &str)> = segs
        .iter()
        .filter_map(|s| match s {
            Segment::Term { text, slug } => Some((*text, *slug)),
            _ => None,
        })
        .collect();
    assert_eq!(
        links,
        [
            ("drain", "drain"),
            ("route owner", "route-owner"),
            ("route epoch", "route-epoch"),
            ("CAS", "compare-and-swap")
        ],
        "longest alias wins, each term once, all-caps aliases match only in capitals"
    );
    let only = link_terms(c, text, &["route-epoch".to_string()]);
    assert_eq!(
        only.iter()
            .filter(|s| matches!(s, Segment::Term { .. }))
            .count(),
        1
    );
}

#[test]
fn every_lesson_links_each_term_it_rests_on() {
    let c = catalog();
    for l in lessons() {
        let linked: Vec<&str> = paragraphs(&l.reading)
            .into_iter()
            .flat_map(|p| link_terms(c, p, &l.terms))
            .filter_map(|s| match s {
                Segment::Term { slug, .. } => Some(slug),
                _ => None,
            })
            .collect();
        for t in &l.terms {
            assert!(
                linked.contains(&t.as_str()),
                "{}: {t} is never linked",
                l.slug
            );
        }
        assert!(paragraphs(&l.reading).len() >= 2, "{}", l.slug);
    }
}

// ---------- lifecycle diagrams ----------

use vango_study_lab::learn::lifecycles::{diagram, diagrams, drills_at, BLOCKED, FAILED};
use vango_study_lab::sim::lifecycle::{gates, stages, transitions};
use vango_study_lab::sim::world::OpKind;

#[test]
fn every_diagram_is_the_models_transition_table() {
    let all = diagrams();
    assert_eq!(all.len(), OpKind::ALL.len());
    for d in &all {
        assert_eq!(d.edges, transitions(d.kind), "{}", d.title());
        assert_eq!(d.path, stages(d.kind));
        assert_eq!(d.edges.len() + 1, d.path.len());
        for (e, gate) in d.edges.iter().zip(gates(d.kind)) {
            assert_eq!(e.gate, *gate);
        }
        assert_eq!(d.states().last(), Some(&FAILED));
        assert_eq!(diagram(d.slug()).as_ref(), Some(d));
    }
    assert!(diagram("nope").is_none());
}

#[test]
fn every_state_on_every_happy_path_is_shown_by_a_drill() {
    let mut missing = Vec::new();
    for d in diagrams() {
        for s in d.path {
            if drills_at(d.kind, s).is_empty() {
                missing.push(format!("{} {s}", d.slug()));
            }
        }
    }
    assert!(missing.is_empty(), "no drill passes through: {missing:?}");
    // The side exits are real too: a cold change waits, a bad rollback fails.
    assert!(drills_at(OpKind::Rollback, BLOCKED).contains(&"cold-rollback-needs-ack".to_string()));
    assert!(drills_at(OpKind::Deploy, BLOCKED).contains(&"cold-deploy-needs-ack".to_string()));
    assert!(drills_at(OpKind::Rollback, FAILED).contains(&"recovery-forward-fix".to_string()));
}
