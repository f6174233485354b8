//! Review: questions generated from the content, and the FSRS-6 scheduler
//! checked against the reference implementation's published figures and
//! driven over simulated weeks.

use std::collections::BTreeMap;

use proptest::prelude::*;
use vango_study_lab::content::{catalog, words};
use vango_study_lab::lab::LabSession;
use vango_study_lab::learn::lessons;
use vango_study_lab::review::predictions::{played_drills, prediction_steps};
use vango_study_lab::review::schedule::{DEFAULT_WEIGHTS, LEECH_LAPSES};
use vango_study_lab::review::*;
use vango_study_lab::share::LabLink;
use vango_study_lab::sim::drill::{drills, play};
use vango_study_lab::sim::{step, Policy};

const DAY: u64 = 86_400_000;
const START: u64 = 1_790_000_000_000; // some afternoon in 2026, UTC

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-4 * b.abs().max(1.0)
}

// ---------- questions ----------

#[test]
fn every_item_of_the_content_can_be_asked() {
    let c = catalog();
    let items = all_items(c);
    let predictions = items
        .iter()
        .filter(|i| matches!(i, Item::Prediction(..)))
        .count();
    assert_eq!(
        items.len(),
        16 * 2 + 7 + lessons().len() + predictions,
        "definition and trap per term, signals per card, one explain item per lesson, the predictions"
    );
    assert!(
        predictions >= drills().len() / 2,
        "most drills give at least one prediction: {predictions}"
    );
    for item in &items {
        for variant in 0..40 {
            let q = question(c, item, variant).expect("askable");
            match item {
                Item::Explain(_) => {
                    assert!(q.is_open() && q.options.is_empty(), "{item:?}");
                    assert!(q.checklist.len() >= 3, "{item:?}");
                }
                Item::Prediction(..) => {
                    assert!(
                        (3..=4).contains(&q.options.len()),
                        "{item:?}: {:?}",
                        q.options
                    );
                    assert!(q.answer < q.options.len());
                    assert!(q.lab_state.is_some());
                }
                _ => {
                    assert_eq!(q.options.len(), 4, "{item:?}");
                    assert!(q.answer < q.options.len());
                }
            }
            assert_eq!(Item::from_key(c, &item.key()).as_ref(), Some(item));
        }
    }
}

#[test]
fn every_kind_of_item_is_in_the_queue_order_and_lessons_teach_in_path_order() {
    let c = catalog();
    let items = all_items(c);
    for l in lessons() {
        assert!(items.contains(&Item::Explain(l.slug.clone())), "{}", l.slug);
        for i in lesson_items(l) {
            assert!(items.contains(&i), "{}: {i:?}", l.slug);
        }
    }
    // The first lesson's items open the queue, in its order.
    let first = lesson_items(&lessons()[0]);
    assert_eq!(items[..first.len()], first[..]);
    assert!(matches!(first.last(), Some(Item::Explain(_))));
    let unique: std::collections::BTreeSet<_> = items.iter().collect();
    assert_eq!(unique.len(), items.len(), "no item twice");
}

#[test]
fn the_answer_is_the_seed_text_and_the_explanation_quotes_it() {
    let c = catalog();
    for t in &c.terms {
        for v in 0..20 {
            let q = question(c, &Item::Definition(t.slug.clone()), v).unwrap();
            let right = &q.options[q.answer];
            match q.form {
                Form::TermToDefinition => {
                    assert_eq!(right, &t.definition);
                    assert_eq!(q.cue, t.name);
                }
                Form::DefinitionToTerm => {
                    assert_eq!(right, &t.name);
                    assert_eq!(q.cue, t.definition);
                }
                f => panic!("unexpected form {f:?}"),
            }
            assert!(q.explanation.contains(&t.definition));
            assert_eq!(q.subject, Subject::Term(t.slug.clone()));
        }
        let q = question(c, &Item::Trap(t.slug.clone()), 3).unwrap();
        assert_eq!(q.options[q.answer], t.trap);
        assert!(q.explanation.contains(&t.trap));
    }
    for card in &c.cards {
        for v in 0..20 {
            let q = question(c, &Item::Signals(card.slug.clone()), v).unwrap();
            match q.form {
                Form::CardToSignal => assert!(card.signals.contains(&q.options[q.answer])),
                Form::SignalToCard => {
                    assert_eq!(q.options[q.answer], card.name);
                    assert!(card.signals.contains(&q.cue));
                }
                f => panic!("unexpected form {f:?}"),
            }
            assert!(card
                .signals
                .iter()
                .all(|s| q.explanation.contains(s.as_str())));
        }
    }
}

#[test]
fn both_directions_and_every_signal_are_asked_over_variants() {
    let c = catalog();
    let term = Item::Definition("drain".into());
    let forms: Vec<Form> = (0..30)
        .map(|v| question(c, &term, v).unwrap().form)
        .collect();
    assert!(forms.contains(&Form::TermToDefinition) && forms.contains(&Form::DefinitionToTerm));
    let card = &c.cards[0];
    let mut cues = std::collections::BTreeSet::new();
    for v in 0..60 {
        let q = question(c, &Item::Signals(card.slug.clone()), v).unwrap();
        cues.insert(if q.form == Form::SignalToCard {
            q.cue
        } else {
            q.options[q.answer].clone()
        });
    }
    assert_eq!(
        cues.len(),
        card.signals.len(),
        "each signal is asked sometime"
    );
}

#[test]
fn term_distractors_are_the_closest_terms_same_category_first() {
    let c = catalog();
    for t in &c.terms {
        // The closeness order, worked out independently: same category, then the rest.
        let mut order: Vec<_> = c.terms.iter().filter(|o| o.slug != t.slug).collect();
        order.sort_by_key(|o| (o.category != t.category, o.name.to_lowercase()));
        let nearest: Vec<&str> = order.iter().take(6).map(|o| o.trap.as_str()).collect();
        for v in 0..20 {
            let q = question(c, &Item::Trap(t.slug.clone()), v).unwrap();
            for (i, o) in q.options.iter().enumerate() {
                if i != q.answer {
                    assert!(
                        nearest.contains(&o.as_str()),
                        "{o} is not among the closest traps of {}",
                        t.slug
                    );
                }
            }
        }
    }
}

#[test]
fn unknown_or_malformed_keys_name_no_item() {
    let c = catalog();
    for key in [
        "",
        "definition",
        "definition/",
        "definition/nope",
        "signals/drain",
        "trap/logs-as-truth",
        "x/drain",
        "definition/drain/x",
        "prediction",
        "prediction/promotion",
        "prediction/promotion/",
        "prediction/promotion/x",
        "prediction/promotion/-1",
        "prediction/promotion/99999999999999999999999",
        "prediction/no-such-drill/0",
        "explain/",
        "explain/no-such-lesson",
        "explain/stateful-is-not-magic/1",
    ] {
        assert_eq!(Item::from_key(c, key), None, "{key}");
    }
    // A step of a drill that the rule does not ask is not an item either
    // (an old key left by a drill that changed is skipped, never a panic).
    let d = &played_drills()[0];
    let not_asked = (0..d.lines.len() + 3).find(|s| !prediction_steps(&d.slug).contains(s));
    let key = format!("prediction/{}/{}", d.slug, not_asked.unwrap());
    assert_eq!(Item::from_key(c, &key), None, "{key}");
}

/// Every multiple-choice item (all kinds but explain it back).
fn choice_items() -> Vec<Item> {
    all_items(catalog())
        .into_iter()
        .filter(|i| !matches!(i, Item::Explain(_)))
        .collect()
}

proptest! {
    #[test]
    fn options_are_distinct_and_the_answer_appears_once(item_ix in any::<prop::sample::Index>(), variant in any::<u64>()) {
        let c = catalog();
        let items = choice_items();
        let item = &items[item_ix.index(items.len())];
        let q = question(c, item, variant).unwrap();
        let answer = words(&q.options[q.answer]);
        let same_as_answer = q.options.iter().filter(|o| words(o) == answer).count();
        prop_assert_eq!(same_as_answer, 1);
        for (i, a) in q.options.iter().enumerate() {
            for b in &q.options[i + 1..] {
                prop_assert_ne!(words(a), words(b));
            }
        }
        prop_assert_eq!(question(c, item, variant), Some(q), "same variant, same question");
    }
}

// ---------- the scheduler against the reference implementation ----------

#[test]
fn forgetting_curve_matches_the_reference() {
    let s = Scheduler::default();
    let got: Vec<f64> = [
        (0.0, 1.0),
        (1.0, 2.0),
        (2.0, 3.0),
        (3.0, 4.0),
        (4.0, 4.0),
        (5.0, 2.0),
    ]
    .iter()
    .map(|&(t, st)| s.retrievability(t, st))
    .collect();
    let want = [1.0, 0.9403443, 0.9253786, 0.9185229, 0.9, 0.8261359];
    for (g, w) in got.iter().zip(want) {
        assert!(close(*g, w), "{got:?}");
    }
}

#[test]
fn intervals_match_the_reference_for_each_retention() {
    // Reference: stability 1.0 at retention 0.7, 0.8, 0.9 gives 9, 3, 1 days.
    for (r, days) in [(0.7, 9.0), (0.8, 3.0), (0.9, 1.0)] {
        assert_eq!(Scheduler::with_retention(r).interval_days(1.0), days);
    }
}

#[test]
fn difficulty_update_matches_the_reference() {
    let s = Scheduler::default();
    let want = [8.341763, 6.6659956, 4.990228, 3.3144615];
    for (g, w) in Grade::ALL.iter().zip(want) {
        assert!(close(s.next_difficulty(5.0, *g), w), "{g:?}");
    }
}

#[test]
fn two_reviews_match_the_reference_forward_pass() {
    // Reference: a first review, then the same grade 1, 1, 1, 1, 2, 2 days later.
    let s = Scheduler::default();
    let cases = [
        (Grade::Again, 1, 0.10088589, 8.806304),
        (Grade::Hard, 1, 3.2494123, 6.7404594),
        (Grade::Good, 1, 7.3153, 2.1112142),
        (Grade::Easy, 1, 18.014914, 1.0),
        (Grade::Again, 2, 0.112798266, 8.806304),
        (Grade::Hard, 2, 4.4694576, 6.7404594),
    ];
    for (g, days, stability, difficulty) in cases {
        let first = s.review(None, g, START);
        assert_eq!(first.stability, DEFAULT_WEIGHTS[g as usize - 1]);
        let second = s.review(Some(&first), g, START + days * DAY);
        assert!(close(second.stability, stability), "{g:?}: {second:?}");
        assert!(close(second.difficulty, difficulty), "{g:?}: {second:?}");
    }
}

// ---------- the scheduler over simulated weeks ----------

/// A learner who answers `grade(n)` at every due review for `days` days.
fn simulate(s: &Scheduler, days: u64, mut grade: impl FnMut(u32) -> Grade) -> Vec<Review> {
    let mut log = Vec::new();
    let mut state: Option<ItemState> = None;
    let mut now = START;
    let mut n = 0;
    while now < START + days * DAY {
        let g = grade(n);
        log.push(Review {
            at: now,
            item: "definition/drain".into(),
            grade: g,
        });
        let next = s.review(state.as_ref(), g, now);
        now = next.due.max(now + 1);
        state = Some(next);
        n += 1;
    }
    log
}

#[test]
fn a_learner_who_remembers_sees_growing_intervals_and_reaches_mastered() {
    let s = Scheduler::default();
    let log = simulate(&s, 180, |_| Grade::Good);
    let gaps: Vec<u64> = log.windows(2).map(|w| (w[1].at - w[0].at) / DAY).collect();
    assert!(
        gaps.windows(2).all(|g| g[1] >= g[0]),
        "intervals never shrink: {gaps:?}"
    );
    assert!(gaps.last().unwrap() > &30, "{gaps:?}");
    let states = replay(&s, &log);
    let st = states["definition/drain"];
    assert_eq!(st.mastery(), Mastery::Mastered);
    assert_eq!(st.lapses, 0);
    // The mastery ladder is climbed in order.
    let mut seen = Vec::new();
    for i in 1..=log.len() {
        let m = replay(&s, &log[..i])["definition/drain"].mastery();
        if seen.last() != Some(&m) {
            seen.push(m);
        }
    }
    assert_eq!(seen, [Mastery::Learning, Mastery::Known, Mastery::Mastered]);
}

#[test]
fn a_lapse_brings_the_item_back_within_the_sitting_and_lowers_stability() {
    let s = Scheduler::default();
    let a = s.review(None, Grade::Good, START);
    let b = s.review(Some(&a), Grade::Good, a.due);
    let c = s.review(Some(&b), Grade::Again, b.due);
    assert!(c.stability < b.stability);
    assert_eq!(c.due, b.due + 10 * 60 * 1000);
    assert_eq!((c.lapses, c.mastery()), (1, Mastery::Learning));
}

#[test]
fn an_item_missed_again_and_again_is_flagged() {
    let s = Scheduler::default();
    // Fails every review on a new day, passes the relearning step in between.
    let log = simulate(&s, 60, |n| {
        if n % 2 == 0 {
            Grade::Again
        } else {
            Grade::Good
        }
    });
    let st = replay(&s, &log)["definition/drain"];
    assert!(st.lapses >= LEECH_LAPSES, "{st:?}");
    assert!(st.is_leech());
    let fresh = s.review(None, Grade::Good, START);
    assert!(!fresh.is_leech());
}

#[test]
fn a_higher_retention_target_plans_shorter_intervals() {
    for stability in [0.5, 3.0, 20.0, 200.0] {
        let low = Scheduler::with_retention(0.8).interval_days(stability);
        let high = Scheduler::with_retention(0.95).interval_days(stability);
        assert!(high <= low, "{stability}: {high} > {low}");
    }
    assert!(
        Scheduler::with_retention(0.95).interval_days(200.0)
            < Scheduler::with_retention(0.8).interval_days(200.0)
    );
    // Out-of-range or broken settings fall back to sane ones.
    assert_eq!(
        Scheduler::with_retention(2.0).desired_retention,
        Scheduler::MAX_RETENTION
    );
    assert_eq!(Scheduler::with_retention(f64::NAN).desired_retention, 0.9);
}

#[test]
fn the_new_per_day_limit_counts_what_was_introduced_today() {
    let s = Scheduler::default();
    let items: Vec<String> = all_items(catalog()).iter().map(Item::key).collect();
    let log: Vec<Review> = items[..3]
        .iter()
        .map(|i| Review {
            at: START,
            item: i.clone(),
            grade: Grade::Good,
        })
        .collect();
    let states = replay(&s, &log);
    let q = queue(&items, &states, &log, START + 60_000, 0, 5);
    assert_eq!((q.new_seen_today, q.new.len(), q.due.len()), (3, 2, 0));
    assert_eq!(q.new, items[3..5].to_vec(), "new items in teaching order");
    // Three days later the first three are due again and five new ones are offered.
    let later = queue(&items, &states, &log, START + 3 * DAY, 0, 5);
    assert_eq!((later.due.len(), later.new.len()), (3, 5));
    assert_eq!(later.items().next(), Some(items[0].as_str()));
}

#[test]
fn the_day_boundary_is_the_learners_own() {
    let midnight_utc = 20_000 * DAY;
    assert_eq!(day_of(midnight_utc - 1, 0), 19_999);
    assert_eq!(
        day_of(midnight_utc - 1, 60),
        20_000,
        "an hour east of UTC it is already tomorrow"
    );
    assert_eq!(day_of(midnight_utc, -60), 19_999);
}

#[test]
fn history_counts_reviews_per_day_for_the_chart() {
    let log: Vec<Review> = [0, 0, 1, 29, 30, 45]
        .iter()
        .map(|&d| Review {
            at: START - d * DAY,
            item: "trap/drain".into(),
            grade: Grade::Hard,
        })
        .collect();
    let h = history(&log, START, 0, 30);
    assert_eq!(h.len(), 30);
    assert_eq!((h[29], h[28], h[0]), (2, 1, 1));
    assert_eq!(
        h.iter().sum::<usize>(),
        4,
        "older reviews fall outside the chart"
    );
}

fn review_strategy() -> impl Strategy<Value = Review> {
    (0u64..40 * DAY, 0usize..4, 1u8..=4).prop_map(|(at, i, g)| Review {
        at: START + at,
        item: [
            "definition/drain",
            "trap/drain",
            "signals/logs-as-truth",
            "definition/epoch",
        ][i]
            .into(),
        grade: Grade::from_number(g).unwrap(),
    })
}

proptest! {
    /// Two tabs' logs merge by union: order, duplicates and grouping never matter.
    #[test]
    fn replay_is_a_function_of_the_set_of_reviews(
        a in prop::collection::vec(review_strategy(), 0..30),
        b in prop::collection::vec(review_strategy(), 0..30),
        rot in 0usize..60,
    ) {
        let s = Scheduler::default();
        let ab: Vec<Review> = a.iter().chain(&b).cloned().collect();
        let mut ba: Vec<Review> = b.iter().chain(&a).chain(&a).cloned().collect();
        if !ba.is_empty() {
            let k = rot % ba.len();
            ba.rotate_left(k);
        }
        prop_assert_eq!(replay(&s, &ab), replay(&s, &ba));
    }

    #[test]
    fn any_history_gives_finite_states_in_range(log in prop::collection::vec(review_strategy(), 0..60), r in 0.0f64..1.5) {
        let s = Scheduler::with_retention(r);
        let states: BTreeMap<String, ItemState> = replay(&s, &log);
        for st in states.values() {
            prop_assert!(st.stability.is_finite() && st.stability > 0.0);
            prop_assert!((1.0..=10.0).contains(&st.difficulty));
            prop_assert!(st.due > st.last_review);
        }
    }
}

// ---------- one sitting ----------

#[test]
fn a_sitting_asks_each_item_once_and_logs_each_grade() {
    let c = catalog();
    let items: Vec<Item> = all_items(c).into_iter().take(3).collect();
    let mut s = Session::new(c, items.clone(), 7, false);
    let mut logged = Vec::new();
    for (n, item) in items.iter().enumerate() {
        assert_eq!(s.position(), (n + 1, 3));
        assert_eq!(*s.phase(), Phase::Asking);
        let q = s.question().unwrap().clone();
        assert_eq!(&q.item, item);
        assert_eq!(
            s.grade(c, Grade::Good, START),
            None,
            "no grade before an answer"
        );
        s.choose(q.answer);
        assert_eq!(
            (s.correct(), s.suggested_grade()),
            (Some(true), Some(Grade::Good))
        );
        s.choose((q.answer + 1) % 4);
        assert_eq!(s.correct(), Some(true), "the first choice stands");
        logged.push(s.grade(c, Grade::Easy, START + n as u64).unwrap());
    }
    assert_eq!(*s.phase(), Phase::Done);
    assert!(s.question().is_none());
    assert_eq!(
        logged.iter().map(|r| r.item.clone()).collect::<Vec<_>>(),
        items.iter().map(Item::key).collect::<Vec<_>>()
    );
    assert!(logged.iter().all(|r| r.grade == Grade::Easy));
    assert_eq!(s.recalled(), 3);
}

#[test]
fn a_wrong_or_revealed_answer_counts_as_again() {
    let c = catalog();
    let items: Vec<Item> = all_items(c).into_iter().take(2).collect();
    let mut s = Session::new(c, items, 1, false);
    let q = s.question().unwrap().clone();
    s.choose((q.answer + 1) % q.options.len());
    assert_eq!(
        (s.correct(), s.suggested_grade()),
        (Some(false), Some(Grade::Again))
    );
    assert_eq!(
        s.grade(c, Grade::Easy, START).unwrap().grade,
        Grade::Again,
        "a wrong pick is not recalled"
    );
    s.reveal();
    assert_eq!(
        (s.correct(), s.suggested_grade()),
        (None, Some(Grade::Again))
    );
    assert_eq!(
        s.grade(c, Grade::Hard, START).unwrap().grade,
        Grade::Hard,
        "revealed: the learner judges"
    );
    assert_eq!(s.recalled(), 1);
}

#[test]
fn practice_leaves_the_schedule_alone() {
    let c = catalog();
    let mut s = Session::new(c, all_items(c), 3, true);
    s.reveal();
    assert_eq!(s.grade(c, Grade::Good, START), None);
    assert_eq!(s.graded.len(), 1);
    assert_eq!(s.position().0, 2);
}

#[test]
fn items_that_left_the_content_are_skipped() {
    let c = catalog();
    let items = vec![
        Item::Definition("gone".into()),
        Item::Trap("drain".into()),
        Item::Signals("gone-too".into()),
    ];
    let mut s = Session::new(c, items, 0, false);
    assert_eq!(s.question().unwrap().item, Item::Trap("drain".into()));
    s.reveal();
    s.grade(c, Grade::Good, START);
    assert_eq!(*s.phase(), Phase::Done);
    assert_eq!(*Session::new(c, vec![], 0, false).phase(), Phase::Done);
}

// ---------- the plan the pages show ----------

#[test]
fn a_plan_orders_practice_flagged_then_unstable_then_unseen() {
    let c = catalog();
    let mut log = Vec::new();
    // "definition/drain" is missed again and again; "trap/drain" is known well.
    for d in 0..8u64 {
        log.push(Review {
            at: START + d * 2 * DAY,
            item: "definition/drain".into(),
            grade: Grade::Again,
        });
        log.push(Review {
            at: START + d * 2 * DAY + 60_000,
            item: "definition/drain".into(),
            grade: Grade::Good,
        });
    }
    for d in [0u64, 3, 10, 30] {
        log.push(Review {
            at: START + d * DAY,
            item: "trap/drain".into(),
            grade: Grade::Easy,
        });
    }
    let now = START + 40 * DAY;
    let plan = Plan::new(c, &log, Settings::default(), now, 0);
    assert_eq!(plan.flagged(), vec![Item::Definition("drain".into())]);
    let weakest = plan.weakest(3);
    assert_eq!(weakest[0], Item::Definition("drain".into()));
    assert_eq!(weakest[1], Item::Trap("drain".into()));
    assert_eq!(
        weakest[2],
        all_items(c)[0],
        "then unseen items in teaching order"
    );
    let counts = plan.mastery_counts();
    assert_eq!(counts.iter().sum::<usize>(), all_items(c).len());
    assert_eq!(counts[Mastery::New as usize], all_items(c).len() - 2);
    assert_eq!(
        plan.mastery_of_subject(&Subject::Term("drain".into())),
        Mastery::Learning,
        "the weaker of its two items"
    );
    assert_eq!(
        plan.mastery_of_subject(&Subject::Term("epoch-nope".into())),
        Mastery::New
    );
}

#[test]
fn settings_are_kept_in_range_and_change_the_schedule() {
    let wild = Settings {
        retention_percent: 250,
        new_per_day: 200,
    }
    .clamped();
    assert_eq!((wild.retention_percent, wild.new_per_day), (97, 50));
    assert_eq!(
        Settings {
            retention_percent: 0,
            new_per_day: 5
        }
        .clamped()
        .retention_percent,
        70
    );
    let c = catalog();
    let log = vec![Review {
        at: START,
        item: "trap/drain".into(),
        grade: Grade::Good,
    }];
    let strict = Plan::new(
        c,
        &log,
        Settings {
            retention_percent: 97,
            new_per_day: 10,
        },
        START,
        0,
    );
    let relaxed = Plan::new(
        c,
        &log,
        Settings {
            retention_percent: 70,
            new_per_day: 10,
        },
        START,
        0,
    );
    assert!(strict.states["trap/drain"].due < relaxed.states["trap/drain"].due);
    assert_eq!(strict.next_due(), Some(strict.states["trap/drain"].due));
    let none = Plan::new(
        c,
        &log,
        Settings {
            retention_percent: 90,
            new_per_day: 0,
        },
        START,
        0,
    );
    assert!(none.queue.new.is_empty());
}

// ---------- predictions from the model ----------

/// What the drill module itself reports for each line played on the correct
/// platform (an independent play, not the review module's): the narration,
/// then the refusal if the platform refused.
fn played_outcomes(slug: &str) -> Vec<String> {
    let d = drills().into_iter().find(|d| d.slug == slug).unwrap();
    let played = play(&d, Policy::correct(), &[], false).unwrap();
    played
        .steps
        .iter()
        .map(|s| {
            let mut parts = s.narration.clone();
            if let Some(r) = &s.refused {
                parts.push(format!("The platform refuses: {r}."));
            }
            parts.join(" ")
        })
        .collect()
}

#[test]
fn predictions_match_the_model() {
    let c = catalog();
    let mut asked = 0;
    for item in all_items(c) {
        let Item::Prediction(slug, at) = &item else {
            continue;
        };
        let outcomes = played_outcomes(slug);
        for variant in 0..12 {
            let q = question(c, &item, variant).unwrap();
            assert_eq!(q.form, Form::Prediction);
            assert_eq!(
                q.options[q.answer], outcomes[*at],
                "{slug} step {at}: the marked answer is what playing the step produces"
            );
            assert!(
                q.explanation.contains(&outcomes[*at]),
                "the answer screen shows the narration"
            );
            for (i, o) in q.options.iter().enumerate() {
                if i != q.answer {
                    assert_ne!(
                        words(o),
                        words(&outcomes[*at]),
                        "{slug} {at}: a distractor is the answer"
                    );
                    assert!(!o.trim().is_empty());
                }
            }
            assert_eq!(q.subject, Subject::Drill(slug.clone()));
        }
        asked += 1;
    }
    assert!(asked > 0);
}

#[test]
fn a_prediction_links_to_the_lab_just_before_the_step() {
    let c = catalog();
    for item in all_items(c) {
        let Item::Prediction(slug, at) = &item else {
            continue;
        };
        let q = question(c, &item, 0).unwrap();
        let link = LabLink::decode(q.lab_state.as_deref().unwrap()).expect("a link the Lab reads");
        let lab = LabSession::from_link(&link).expect("the Lab opens it");
        assert_eq!(
            lab.policy,
            Policy::correct(),
            "{slug}: the correct platform"
        );
        // Playing the next move in the Lab narrates the start of the answer.
        let next = lab.timeline.actions()[link.step];
        let here = lab.world_now();
        let said = match step(&here, &next, lab.policy) {
            Ok(s) => s.narration.join(" "),
            Err(r) => format!("The platform refuses: {r}."),
        };
        assert!(
            q.options[q.answer].starts_with(&said),
            "{slug} step {at}: the Lab plays `{said}`, the answer is `{}`",
            q.options[q.answer]
        );
    }
}

/// What the learner watches, restated here: route owner and epoch, serving,
/// broken invariants, lit signals, operations ended or waiting for an ack,
/// sessions, requests, the wake and the charges.
fn watched(w: &vango_study_lab::sim::World) -> String {
    use vango_study_lab::sim::drill::lit_names;
    use vango_study_lab::sim::lifecycle::is_terminal;
    use vango_study_lab::sim::{check_all, serving};
    let broken: Vec<u8> = check_all(w)
        .iter()
        .filter(|r| !r.holds)
        .map(|r| r.id)
        .collect();
    let ops: Vec<(usize, bool, bool)> = (0..w.ops.len())
        .map(|i| (i, &w.ops[i]))
        .filter(|(_, o)| o.used && (is_terminal(o.kind, o.stage) || (o.needs_ack && !o.acked)))
        .map(|(i, o)| (i, is_terminal(o.kind, o.stage), o.needs_ack && !o.acked))
        .collect();
    let sessions: Vec<String> = w
        .sessions
        .iter()
        .map(|s| format!("{:?}/{}", s.state, s.draft))
        .collect();
    let requests: Vec<String> = (0..w.requests.len())
        .filter(|&i| w.requests[i].used)
        .map(|i| format!("{i}:{:?}", w.requests[i].state))
        .collect();
    format!(
        "{} {} {} {broken:?} {:?} {ops:?} {sessions:?} {requests:?} {:?} {:?}",
        w.owner.artifact,
        w.owner.epoch,
        serving(w),
        lit_names(w, Policy::correct()),
        w.wake,
        w.charges,
    )
}

#[test]
fn predictions_are_asked_at_turning_points_only() {
    use vango_study_lab::review::predictions::PER_DRILL;
    let (mut turning, mut quiet) = (0, 0);
    for d in played_drills() {
        let steps = prediction_steps(&d.slug);
        assert!(steps.len() <= PER_DRILL, "{}: {steps:?}", d.slug);
        assert!(steps.windows(2).all(|w| w[0] < w[1]), "in drill order");
        for (i, l) in d.lines.iter().enumerate() {
            if steps.contains(&i) {
                assert!(l.weight > 0, "{} {i}", d.slug);
            }
            // The world after a line is the one before the next.
            let Some(next) = d.lines.get(i + 1) else {
                continue;
            };
            let refused = l.outcome.contains("The platform refuses:");
            let changed = watched(&l.before) != watched(&next.before);
            assert_eq!(
                l.weight > 0,
                !l.outcome.is_empty() && (refused || changed),
                "{} step {i} `{}`: {}",
                d.slug,
                l.line,
                l.outcome
            );
            if l.weight > 0 {
                turning += 1;
            } else {
                quiet += 1;
            }
        }
    }
    assert!(
        turning > 0 && quiet > 0,
        "the rule picks steps: {turning} turning, {quiet} quiet"
    );
}

// ---------- explain it back ----------

#[test]
fn the_explain_grade_is_the_share_of_the_checklist_covered() {
    use Grade::*;
    let table = [
        (0, 4, Again),
        (1, 4, Again),
        (2, 4, Hard),
        (3, 4, Good),
        (4, 4, Good),
        (0, 3, Again),
        (1, 3, Again),
        (2, 3, Hard),
        (3, 3, Good),
        (2, 5, Again),
        (3, 5, Hard),
        (4, 5, Good),
        (0, 0, Again),
    ];
    for (ticked, of, want) in table {
        assert_eq!(explain_grade(ticked, of), want, "{ticked} of {of}");
    }
    // Never Easy: that is the learner's own call.
    for of in 1..10 {
        for t in 0..=of {
            assert_ne!(explain_grade(t, of), Easy);
        }
    }
}

#[test]
fn an_explain_item_is_ticked_graded_and_can_be_overridden() {
    let c = catalog();
    let l = &lessons()[0];
    let items = vec![
        Item::Explain(l.slug.clone()),
        Item::Explain(lessons()[1].slug.clone()),
    ];
    let mut s = Session::new(c, items, 5, false);
    let q = s.question().unwrap().clone();
    assert!(q.is_open());
    assert_eq!(q.prompt, l.explain.prompt);
    assert_eq!(q.checklist, l.explain.checklist);
    assert_eq!(q.subject, Subject::Lesson(l.slug.clone()));
    s.choose(0);
    assert_eq!(*s.phase(), Phase::Asking, "nothing to choose");
    s.toggle(0);
    assert!(
        s.ticked().iter().all(|t| !t),
        "ticks only once the checklist shows"
    );
    s.reveal();
    assert_eq!(s.suggested_grade(), Some(Grade::Again));
    let n = q.checklist.len();
    for i in 0..n {
        s.toggle(i);
    }
    s.toggle(n + 5); // out of range: ignored
    assert_eq!(s.suggested_grade(), Some(explain_grade(n, n)));
    s.toggle(0);
    assert_eq!(s.suggested_grade(), Some(explain_grade(n - 1, n)));
    assert_eq!(s.correct(), None, "no option is right or wrong");
    let r = s.grade(c, Grade::Easy, START).unwrap();
    assert_eq!(
        (r.item.as_str(), r.grade),
        (format!("explain/{}", l.slug).as_str(), Grade::Easy),
        "the learner overrides"
    );
    assert!(s.question().unwrap().is_open());
    assert!(
        s.ticked().iter().all(|t| !t),
        "the next prompt starts unticked"
    );
}

// ---------- mastery per lesson ----------

#[test]
fn a_lessons_mastery_is_the_weakest_of_its_items() {
    let c = catalog();
    let l = &lessons()[0];
    let mine = lesson_items(l);
    assert!(mine.contains(&Item::Explain(l.slug.clone())));
    assert!(mine.iter().any(|i| matches!(i, Item::Definition(_))));
    let fresh = Plan::new(c, &[], Settings::default(), START, 0);
    let m = fresh.lesson_mastery(l);
    assert_eq!(
        (m.level, m.reviewed, m.items),
        (Mastery::New, 0, mine.len())
    );

    // Every item of the lesson remembered for months: mastered.
    let mut log = Vec::new();
    for item in &mine {
        for d in [0u64, 4, 20, 80, 250] {
            log.push(Review {
                at: START + d * DAY,
                item: item.key(),
                grade: Grade::Easy,
            });
        }
    }
    let now = START + 260 * DAY;
    let plan = Plan::new(c, &log, Settings::default(), now, 0);
    let m = plan.lesson_mastery(l);
    assert_eq!((m.level, m.reviewed), (Mastery::Mastered, mine.len()));
    // Another lesson's items do not count toward it.
    let other = lessons()
        .iter()
        .find(|o| lesson_items(o).iter().all(|i| !mine.contains(i)));
    if let Some(o) = other {
        assert_eq!(plan.lesson_mastery(o).level, Mastery::New);
        assert_eq!(plan.lesson_mastery(o).reviewed, 0);
    }
    // One item of it forgotten today: the lesson is only as good as that item.
    let mut lapsed = log.clone();
    lapsed.push(Review {
        at: now + 1000,
        item: Item::Explain(l.slug.clone()).key(),
        grade: Grade::Again,
    });
    let plan = Plan::new(c, &lapsed, Settings::default(), now + 2000, 0);
    assert_eq!(
        plan.lesson_mastery(l).level,
        plan.mastery(&Item::Explain(l.slug.clone()))
    );
    assert!(plan.lesson_mastery(l).level < Mastery::Mastered);
    // One item never reviewed: the lesson stays New.
    let partial: Vec<Review> = log
        .iter()
        .filter(|r| r.item != mine[0].key())
        .cloned()
        .collect();
    let plan = Plan::new(c, &partial, Settings::default(), now, 0);
    assert_eq!(plan.lesson_mastery(l).level, Mastery::New);
    assert_eq!(plan.lesson_mastery(l).reviewed, mine.len() - 1);
}
