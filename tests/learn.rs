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

// ---------- decision lab → Lab ----------

use vango_study_lab::lab::LabSession;
use vango_study_lab::learn::situations::{decided_here, situation, situations};
use vango_study_lab::learn::walk::Moment;
use vango_study_lab::sim::step;

/// Opens the Lab as a decision lab's link does and plays the drill's next
/// line there: the decision the platform makes on it, if the lab's.
fn decision_in_lab(lab_slug: &str, drill: &str, line: usize) -> Vec<&'static str> {
    let at = LabSession::open_query(&format!("{drill}&step={line}")).expect("the drill exists");
    let end = LabSession::open_query(&format!("{drill}&step={}", line + 1)).unwrap();
    let (from, to) = (at.timeline.cursor(), end.timeline.cursor());
    assert_eq!(at.timeline.actions(), end.timeline.actions());
    let mut w = at.world_now();
    let mut seen = Vec::new();
    for a in &at.timeline.actions()[from..to] {
        let after = step(&w, a, at.policy).ok().map(|s| s.world);
        let m = Moment {
            line,
            before: &w,
            action: a,
            after: after.as_ref(),
        };
        seen.extend(decided_here(lab_slug, &m));
        if let Some(next) = after {
            w = next;
        }
    }
    seen
}

#[test]
fn every_decision_lab_link_opens_the_lab_where_it_makes_that_decision() {
    let mut per_lab = Vec::new();
    for l in LABS {
        let mut linked = 0;
        for o in l.outcomes {
            if let Some(s) = situation(l.slug, o.key) {
                linked += 1;
                let seen = decision_in_lab(l.slug, &s.drill, s.line);
                assert!(
                    seen.contains(&o.key),
                    "{} → {}: {} step {} shows {seen:?}",
                    l.slug,
                    o.key,
                    s.drill,
                    s.line
                );
            }
        }
        assert!(
            linked >= 1,
            "{}: no drill shows any of its decisions",
            l.slug
        );
        per_lab.push((l.slug, linked, l.outcomes.len()));
    }
    // Every situation names a lab and one of its outcomes.
    for (lab_slug, outcome) in situations().keys() {
        assert!(lab(lab_slug).and_then(|l| l.outcome(outcome)).is_some());
    }
    let total: usize = per_lab.iter().map(|(_, n, _)| n).sum();
    assert!(
        total >= 14,
        "only {total} decisions reach the Lab: {per_lab:?}"
    );
}

#[test]
fn a_lab_link_with_a_step_opens_the_drill_after_that_many_lines() {
    let d = drills()
        .into_iter()
        .find(|d| d.slug == "trace-get-sleeping")
        .unwrap();
    let s0 = LabSession::open_query("trace-get-sleeping").unwrap();
    assert_eq!(s0.timeline.cursor(), 0);
    let all =
        LabSession::open_query(&format!("trace-get-sleeping&step={}", d.steps.len())).unwrap();
    assert_eq!(all.timeline.cursor(), all.timeline.len());
    assert_eq!(all.world_now(), play_correct(&d).unwrap().end);
    assert!(
        all.shared,
        "steps a page played are not the learner's progress"
    );
    assert!(!s0.shared);
    let past = LabSession::open_query("trace-get-sleeping&step=999").unwrap();
    assert_eq!(past.timeline.cursor(), all.timeline.cursor());
    let junk = LabSession::open_query("trace-get-sleeping&step=x").unwrap();
    assert_eq!(junk.timeline.cursor(), 0);
    assert!(LabSession::open_query("no-such-drill&step=1").is_none());
}

// ---------- allocation and session lifecycles ----------

use vango_study_lab::learn::lifecycles::{drills_at_object, object_diagram, object_diagrams};
use vango_study_lab::sim::lifecycle::{ALLOCATION, SESSION};

#[test]
fn allocation_and_session_diagrams_draw_every_row_of_the_models_tables() {
    let all = object_diagrams();
    assert_eq!(all.len(), 2);
    for (d, table) in all.iter().zip([ALLOCATION, SESSION]) {
        assert_eq!(d.moves, table);
        let mut rows: Vec<usize> = Vec::new();
        for arc in d.arcs() {
            for r in &arc.rows {
                let m = table[r - 1];
                assert_eq!((m.from, m.to), (d.states[arc.from], d.states[arc.to]));
            }
            rows.extend(&arc.rows);
        }
        rows.sort_unstable();
        assert_eq!(rows, (1..=table.len()).collect::<Vec<_>>(), "{}", d.slug);
        let named: BTreeSet<&str> = table.iter().flat_map(|m| [m.from, m.to]).collect();
        assert_eq!(named, d.states.iter().copied().collect());
        assert_eq!(object_diagram(d.slug).as_ref(), Some(d));
    }
    assert!(object_diagram("operation").is_none());
}

#[test]
fn every_allocation_and_session_state_is_shown_by_a_drill() {
    let mut missing = Vec::new();
    for d in object_diagrams() {
        for s in &d.states {
            if drills_at_object(d.slug, s).is_empty() {
                missing.push(format!("{} {s}", d.slug));
            }
        }
    }
    assert!(missing.is_empty(), "no drill passes through: {missing:?}");
    assert!(drills_at_object("session", "expired").contains(&"session-expires".to_string()));
}

// ---------- request traces and runbooks ----------

use vango_study_lab::learn::walkthroughs::{runbook, trace, walk_drill, RUNBOOKS, TRACES};

#[test]
fn the_four_traces_and_four_runbooks_cover_every_trace_and_runbook_drill() {
    assert_eq!(TRACES.len(), 4);
    assert_eq!(RUNBOOKS.len(), 4);
    for w in TRACES.iter().chain(RUNBOOKS) {
        assert_eq!(
            trace(w.slug).or(runbook(w.slug)).map(|x| x.slug),
            Some(w.slug)
        );
    }
    for d in drills() {
        let groups = TRACES
            .iter()
            .chain(RUNBOOKS)
            .filter(|w| w.drills.contains(&d.slug.as_str()))
            .collect::<Vec<_>>();
        match d.kind.as_str() {
            "trace" | "runbook" => {
                assert_eq!(groups.len(), 1, "{} is on exactly one page", d.slug);
                assert_eq!(groups[0].kind.drill_kind(), d.kind);
            }
            _ => assert!(groups.is_empty(), "{} is not a {}", d.slug, d.kind),
        }
    }
}

#[test]
fn every_trace_and_runbook_page_shows_its_drills_played_steps() {
    for w in TRACES.iter().chain(RUNBOOKS) {
        for slug in w.drills {
            let page = walk_drill(slug).unwrap();
            let played = play_correct(&page.drill).unwrap();
            assert!(played.goal_met(), "{slug}: {:?}", played.unmet);
            assert_eq!(page.steps.len(), played.steps.len(), "{slug}");
            for (s, p) in page.steps.iter().zip(&played.steps) {
                assert_eq!(s.line, p.line);
                assert_eq!(s.actions, p.actions, "{slug} step {}", s.n);
                assert_eq!(s.refused, p.refused, "{slug} step {}", s.n);
                assert_eq!(s.narration, p.narration, "{slug} step {}", s.n);
                let broken: Vec<(u8, &str)> = p
                    .invariants
                    .iter()
                    .filter(|r| !r.holds)
                    .map(|r| (r.id, r.name))
                    .collect();
                assert_eq!(s.broken, broken);
                if s.refused.is_some() {
                    assert!(
                        s.changes.is_empty(),
                        "{slug} step {}: a refusal changes nothing",
                        s.n
                    );
                }
            }
            assert!(
                page.goal.iter().all(|(_, ok)| *ok),
                "{slug}: {:?}",
                page.goal
            );
            assert_eq!(
                page.goal.iter().map(|(q, _)| q.clone()).collect::<Vec<_>>(),
                page.drill.expect
            );
            // "Open the Lab after step n" shows the world the page describes.
            let last =
                LabSession::open_query(&format!("{slug}&step={}", page.steps.len())).unwrap();
            assert_eq!(last.world_now(), played.end, "{slug}");
        }
    }
}

#[test]
fn what_changed_names_the_route_owner_and_the_operation_stage() {
    let page = walk_drill("runbook-bad-deploy").unwrap();
    let all: Vec<&String> = page.steps.iter().flat_map(|s| &s.changes).collect();
    assert!(
        all.iter()
            .any(|c| c.starts_with("Route owner: A at epoch 1 → B at epoch 2")),
        "{all:?}"
    );
    assert!(
        all.iter().any(|c| c.as_str() == "Promotions frozen"),
        "{all:?}"
    );
    let refused = page
        .steps
        .iter()
        .find(|s| s.refused.is_some())
        .expect("a frozen promotion is refused");
    assert!(refused.changes.is_empty());
}

// ---------- search over the learning pages and the Lab ----------

use vango_study_lab::content::search::{Index, Kind};
use vango_study_lab::learn::search_entries::entries;
use vango_study_lab::route::Route;

fn index() -> Index {
    Index::new(catalog()).with_entries(entries())
}

#[test]
fn search_finds_lessons_labs_lifecycles_traces_and_runbook_steps() {
    let idx = index();
    let first_of = |q: &str, kind: Kind| {
        idx.search(q)
            .all()
            .find(|h| h.kind == kind)
            .map(|h| h.route.clone())
    };
    let l = &lessons()[0];
    assert_eq!(
        first_of(&l.title, Kind::Lesson),
        Some(Route::Learn {
            lesson: Some(l.slug.clone())
        })
    );
    assert_eq!(
        first_of("wake request classifier", Kind::DecisionLab),
        Some(Route::Decisions {
            lab: Some("wake-request".into())
        })
    );
    assert_eq!(
        first_of("replicating artifacts", Kind::Lifecycle).map(|r| r.href()),
        Some("#/lifecycles/enablement".to_string())
    );
    assert_eq!(
        first_of("detached", Kind::Lifecycle),
        Some(Route::Lifecycles {
            kind: Some("session".into())
        })
    );
    assert_eq!(
        first_of("websocket reconect", Kind::Trace),
        Some(Route::Traces {
            trace: Some("websocket-reconnect".into())
        }),
        "a typo still finds the trace"
    );
    // A runbook step, in the vocabulary the Lab uses.
    assert_eq!(
        first_of("operator freeze", Kind::Runbook),
        Some(Route::Runbooks {
            runbook: Some("bad-deploy".into())
        })
    );
}

#[test]
fn search_finds_the_labs_words_with_deep_links_into_the_lab() {
    let idx = index();
    let lab_hits = |q: &str| idx.search(q).lab;
    // CAS: the Lab's invariant that says it.
    assert!(lab_hits("CAS").iter().any(|h| h.kind == Kind::Invariant));
    // An invariant opens the drill that breaks it (its switch on).
    let gap = lab_hits("POP applies across a gap")
        .into_iter()
        .find(|h| h.kind == Kind::Invariant)
        .expect("invariant 4");
    let Route::Lab { state: Some(q) } = &gap.route else {
        panic!("{:?}", gap.route)
    };
    let d = vango_study_lab::lab::drill(q.strip_prefix("drill=").unwrap()).unwrap();
    assert_eq!(d.breaks, Some(4));
    // Readiness (with a typo): a move or an invariant of the Lab.
    assert!(!lab_hits("readines").is_empty());
    // A move opens the first drill that makes it, just before that line.
    let reconnect = lab_hits("reconnect")
        .into_iter()
        .find(|h| h.kind == Kind::Action)
        .expect("the reconnect move");
    let Route::Lab { state: Some(q) } = &reconnect.route else {
        panic!("{:?}", reconnect.route)
    };
    let (slug, step) = q
        .strip_prefix("drill=")
        .and_then(|q| q.split_once("&step="))
        .expect("a drill and a step");
    let d = vango_study_lab::lab::drill(slug).unwrap();
    let line = &d.steps[step.parse::<usize>().unwrap()];
    assert!(line.starts_with("client reconnect"), "{line}");
    // A drill result opens the drill.
    let drill = lab_hits("cold deploy")
        .into_iter()
        .find(|h| h.kind == Kind::Drill)
        .expect("a drill");
    assert!(matches!(&drill.route, Route::Lab { state: Some(s) } if s.starts_with("drill=")));
}

#[test]
fn a_long_text_match_shows_a_short_snippet_around_it() {
    let idx = index();
    for h in idx.search("epoch").all() {
        if let Some((_, segs)) = &h.snippet {
            let text: String = segs.iter().map(|s| s.text.as_str()).collect();
            assert!(text.chars().count() <= 170, "{text}");
        }
    }
}

// ---------- cross-links ----------

use vango_study_lab::learn::crosslinks::{card_uses, term_uses};

#[test]
fn terms_and_cards_list_the_lessons_and_drills_that_use_them_both_ways() {
    let c = catalog();
    for l in lessons() {
        for t in &l.terms {
            assert!(
                term_uses(t).lessons.iter().any(|x| x.slug == l.slug),
                "{t} ↛ {}",
                l.slug
            );
        }
        for k in &l.cards {
            assert!(
                card_uses(k).lessons.iter().any(|x| x.slug == l.slug),
                "{k} ↛ {}",
                l.slug
            );
        }
    }
    for card in &c.cards {
        let uses = card_uses(&card.slug);
        assert!(!uses.drills.is_empty(), "{}: no drill breaks it", card.slug);
        for (slug, _) in &uses.drills {
            let d = drills().into_iter().find(|d| &d.slug == slug).unwrap();
            assert_eq!(d.switch.as_deref(), Some(card.slug.as_str()));
        }
    }
    // A term a drill's text names links to that drill.
    let drain = term_uses("drain");
    assert!(
        drain.drills.iter().any(|(s, _)| s.starts_with("drain-")),
        "{:?}",
        drain.drills
    );
    assert!(term_uses("no-such-term").is_empty());
    let used = c
        .terms
        .iter()
        .filter(|t| !term_uses(&t.slug).is_empty())
        .count();
    assert!(
        used * 2 >= c.terms.len(),
        "only {used} terms are used by a lesson or a drill"
    );
}

#[test]
fn every_decision_the_world_can_reach_has_a_drill_that_makes_it() {
    // These four are reachable by the decision functions but never by the
    // world a drill plays: the enablement replicates artifacts itself; a
    // session detaches only when its allocation is gone (so never back to
    // the original); scale readiness is read from the start world, and no
    // start world has a broadcast backend bound before an enablement.
    let unreachable = [
        ("resume-or-fresh", "original"),
        ("scale-readiness", "allowed"),
        ("scale-readiness", "blocked-no-idempotency"),
        ("region-enablement", "blocked-artifacts"),
    ];
    let mut missing = Vec::new();
    for l in LABS {
        for o in l.outcomes {
            if vango_study_lab::learn::situations::situation(l.slug, o.key).is_none() {
                missing.push((l.slug, o.key));
            }
        }
    }
    assert_eq!(
        missing, unreachable,
        "a decision lost its drill, or a new one has none"
    );
}

#[test]
fn play_next_follows_the_path_then_the_rest_of_the_drills() {
    use vango_study_lab::learn::lessons::drills_in_path_order;
    use vango_study_lab::sim::drill::drills;
    let order = drills_in_path_order();
    let all: BTreeSet<String> = drills().into_iter().map(|d| d.slug).collect();
    // Every drill once.
    assert_eq!(order.len(), all.len());
    assert_eq!(order.iter().cloned().collect::<BTreeSet<_>>(), all);
    // The first lesson's drill to watch comes first.
    assert_eq!(order[0], lessons()[0].see.drill);
    // Every drill a lesson names comes before every drill none names.
    let named: Vec<&String> = lessons()
        .iter()
        .flat_map(|l| [Some(&l.see.drill), l.apply.drill.as_ref()])
        .flatten()
        .collect();
    let last_named = order.iter().rposition(|s| named.contains(&s)).unwrap();
    let first_unnamed = order.iter().position(|s| !named.contains(&s));
    assert!(first_unnamed.is_none_or(|i| i > last_named));
}
