#![cfg(not(target_arch = "wasm32"))]
//! Host tests for the progress module: schema, migrations, merge laws,
//! import validation and the store over `MemoryStore`.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::{json, Value};
use vango_study_lab::content::catalog;
use vango_study_lab::progress::*;

// The shipped content is the source of truth for what a progress file may name.
fn terms() -> Vec<&'static str> {
    catalog().term_slugs()
}

fn cards() -> Vec<&'static str> {
    catalog().card_slugs()
}

const SCENARIOS: &[&str] = &["promote-basic", "drain-a-cell", "rollback-1"];
const LESSONS: &[&str] = &["stateful-is-not-magic", "who-owns-the-route"];
const LABS: &[&str] = &["wake-request", "route-event"];

fn known() -> Known<'static> {
    // Leaked once per test: `Known` borrows slices for the life of the test.
    Known {
        terms: Box::leak(terms().into_boxed_slice()),
        cards: Box::leak(cards().into_boxed_slice()),
        scenarios: SCENARIOS,
        lessons: LESSONS,
        labs: LABS,
    }
}

fn sample() -> Progress {
    let mut p = Progress::default();
    p.set_learned("drain", true);
    p.set_learned("cell", true);
    p.set_spotted("logs-as-truth", true);
    p.tick_signal("logs-as-truth", 2, true);
    p.tick_signal("unsafe-wake-replay", 0, true);
    p.complete_scenario("drain-a-cell", 9);
    p.complete_scenario("drain-a-cell", 7);
    p.add_review("drain", ReviewResult::Good, 3);
    p.set_last_place(Some("#/glossary/drain"));
    p.set_theme(Theme::Dark);
    p
}

fn v1_blob() -> String {
    r#"{"version":1,"learned":["drain","rpo","drain"],"spotted":["logs-as-truth"]}"#.to_owned()
}

// ---------------------------------------------------------------- schema

#[test]
fn setters_keep_normal_form_and_reject_bad_input() {
    let mut p = Progress::default();
    assert!(!p.set_learned("", true));
    assert!(!p.set_learned("Drain", true));
    assert!(!p.set_learned(&"a".repeat(65), true));
    assert!(p.set_learned(&"a".repeat(64), true));
    assert!(!p.tick_signal("logs-as-truth", SIGNALS_PER_CARD, true));
    assert!(p.tick_signal("logs-as-truth", 1, true));
    assert_eq!(p.ticked_count("logs-as-truth"), 1);
    assert!(p.tick_signal("logs-as-truth", 1, false));
    assert!(p.card("logs-as-truth").is_none(), "empty card is removed");
    assert!(p.complete_scenario("s", 5));
    assert!(p.complete_scenario("s", 8));
    assert_eq!(p.scenario("s"), Some(ScenarioResult { best_steps: 5 }));
    assert!(!p.set_last_place(Some("glossary")));
    assert!(!p.set_last_place(Some("#/\u{7}")));
    assert!(p.set_last_place(Some("#/glossary/drain")));
    assert_eq!(p.last_place(), Some("#/glossary/drain"));
    p.add_review("drain", ReviewResult::Again, 2);
    p.add_review("drain", ReviewResult::Again, 2);
    p.add_review("cell", ReviewResult::Easy, 1);
    assert_eq!(p.reviews().len(), 2);
    assert!(p.reviews().windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn counts_and_queries() {
    let p = sample();
    assert!(p.is_learned("drain") && !p.is_learned("rpo"));
    assert_eq!(p.learned_count(), 2);
    assert_eq!(p.spotted_count(), 1);
    assert!(p.is_spotted("logs-as-truth") && !p.is_spotted("unsafe-wake-replay"));
    assert!(p.is_ticked("unsafe-wake-replay", 0));
    assert!(p.is_completed("drain-a-cell"));
    assert_eq!(p.completed_count(), 1);
    assert_eq!(p.theme(), Theme::Dark);
    assert!(!p.is_blank());
    assert!(Progress::default().is_blank());
}

#[test]
fn export_import_round_trip() {
    let p = sample();
    let text = export_json(&p);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["version"], json!(CURRENT_VERSION));
    let imp = import_json(&text, &known()).unwrap();
    assert_eq!(imp.progress, p);
    assert!(imp.skipped.is_empty());
    assert_eq!(imp.migrated_from, None);
    // Default round trip too.
    let d = import_json(&export_json(&Progress::default()), &known()).unwrap();
    assert_eq!(d.progress, Progress::default());
}

#[test]
fn serde_round_trip_of_progress_body() {
    let p = sample();
    let s = serde_json::to_string(&p).unwrap();
    let back: Progress = serde_json::from_str(&s).unwrap();
    assert_eq!(back, p);
}

#[test]
fn wire_format_is_stable() {
    let mut p = Progress::default();
    p.set_learned("drain", true);
    p.tick_signal("logs-as-truth", 1, true);
    let v: Value = serde_json::from_str(&export_json(&p)).unwrap();
    assert_eq!(
        v,
        json!({
            "version": 3,
            "updated": 2,
            "learned_terms": ["drain"],
            "cards": {"logs-as-truth": {"spotted": false, "ticked": [1]}},
            "scenarios": {},
            "reviews": [],
            "last_place": null,
            "last_place_at": 0,
            "theme": "system",
            "theme_at": 0,
            "answers": [],
            "review_settings": {"retention_percent": 90, "new_per_day": 10},
            "review_settings_at": 0,
            "lessons_done": []
        })
    );
    // A tried decision lab adds its own field; nothing else moves.
    p.set_lab_tried("wake-request");
    let w: Value = serde_json::from_str(&export_json(&p)).unwrap();
    assert_eq!(w["labs_tried"], json!(["wake-request"]));
    assert_eq!(w["learned_terms"], v["learned_terms"]);
}

#[test]
fn reset_learning_keeps_theme_and_clock() {
    let p = sample();
    let r = p.reset_learning();
    assert!(r.is_blank());
    assert_eq!(r.theme(), Theme::Dark);
    assert!(r.updated() > p.updated());
}

// ------------------------------------------------------------ migrations

#[test]
fn migrate_v1_to_v2_step_is_pure_and_complete() {
    let v1: Value = serde_json::from_str(&v1_blob()).unwrap();
    let v2 = migrate_v1_to_v2(v1.clone()).unwrap();
    assert_eq!(read_version(&v2).unwrap(), 2);
    assert_eq!(v2["learned_terms"], json!(["drain", "rpo", "drain"]));
    assert_eq!(
        v2["cards"],
        json!({"logs-as-truth": {"spotted": true, "ticked": []}})
    );
    assert_eq!(v2["reviews"], json!([]));
    assert_eq!(v2["theme"], json!("system"));
    // Deterministic.
    assert_eq!(migrate_v1_to_v2(v1).unwrap(), v2);
}

#[test]
fn v1_minimal_and_empty_layouts_migrate() {
    for text in [
        r#"{"version":1}"#,
        r#"{"version":1,"learned":[]}"#,
        r#"{"version":1,"learned":[],"spotted":[]}"#,
    ] {
        let d = decode(text).unwrap();
        assert_eq!(d.migrated_from, Some(1));
        assert_eq!(d.progress, Progress::default());
    }
}

#[test]
fn decode_v1_gives_current_progress() {
    let d = decode(&v1_blob()).unwrap();
    assert_eq!(d.migrated_from, Some(1));
    assert_eq!(d.newer, None);
    assert!(d.skipped.is_empty());
    let p = d.progress;
    assert!(p.is_learned("drain") && p.is_learned("rpo"));
    assert_eq!(p.learned_count(), 2);
    assert!(p.is_spotted("logs-as-truth"));
    assert!(p.reviews().is_empty());
    assert_eq!(p.theme(), Theme::System);
}

#[test]
fn migrate_to_current_leaves_current_unchanged() {
    let v: Value = serde_json::from_str(&export_json(&sample())).unwrap();
    let (out, from) = migrate_to_current(v.clone()).unwrap();
    assert_eq!(out, v);
    assert_eq!(from, 3);
}

#[test]
fn v1_with_wrong_shape_is_an_error() {
    for text in [
        r#"{"version":1,"learned":"drain"}"#,
        r#"{"version":1,"learned":[],"extra":1}"#,
        r#"{"version":1,"spotted":[1,2]}"#,
    ] {
        assert!(
            matches!(decode(text), Err(DecodeError::Shape { version: 1, .. })),
            "{text}"
        );
    }
}

#[test]
fn read_version_rejects_bad_versions() {
    for v in [
        json!({}),
        json!({"version": "2"}),
        json!({"version": 0}),
        json!({"version": -1}),
        json!({"version": 2.5}),
        json!({"version": 99_999_999_999u64}),
        json!({"version": null}),
    ] {
        assert!(
            matches!(read_version(&v), Err(DecodeError::BadVersion(_))),
            "{v}"
        );
    }
    assert!(matches!(
        read_version(&json!([])),
        Err(DecodeError::NotAnObject)
    ));
    assert_eq!(read_version(&json!({"version": 7})).unwrap(), 7);
}

#[test]
fn newer_version_reads_known_fields_only() {
    let text = json!({
        "version": 4,
        "updated": 9,
        "learned_terms": ["drain", 5, "NOT OK"],
        "cards": {"logs-as-truth": {"spotted": true, "ticked": [0], "confidence": 0.7},
                  "sessions-teleport": "weird"},
        "scenarios": {"rollback-1": {"best_steps": 4, "time_ms": 1000}},
        "reviews": [{"item":"drain","result":"good","day":4,"interval":3}],
        "theme": "dark",
        "theme_at": 2,
        "brand_new_field": {"x": 1}
    })
    .to_string();
    let d = decode(&text).unwrap();
    assert_eq!(d.newer, Some(4));
    let p = d.progress;
    assert!(p.is_learned("drain"));
    assert_eq!(p.learned_count(), 1);
    assert!(p.is_ticked("logs-as-truth", 0) && p.is_spotted("logs-as-truth"));
    assert_eq!(
        p.scenario("rollback-1"),
        Some(ScenarioResult { best_steps: 4 })
    );
    assert_eq!(p.reviews().len(), 1);
    assert_eq!(p.theme(), Theme::Dark);
    assert!(d.skipped.len() >= 3, "{:?}", d.skipped);
}

// ------------------------------------------------------------ merge laws

#[derive(Clone, Debug)]
enum Op {
    Learn(String, bool),
    Spot(String, bool),
    Tick(String, u8, bool),
    Complete(String, u32),
    ClearScenario(String),
    Review(String, ReviewResult, u32),
    Place(Option<String>),
    Theme(Theme),
    Answer(String, u64, u8),
    Lesson(String, bool),
    Lab(String),
    NewPerDay(u8),
}

fn slug() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["drain", "cell", "rpo", "logs-as-truth", "s-1"])
        .prop_map(String::from)
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (slug(), any::<bool>()).prop_map(|(s, b)| Op::Learn(s, b)),
        (slug(), any::<bool>()).prop_map(|(s, b)| Op::Spot(s, b)),
        (slug(), 0u8..4, any::<bool>()).prop_map(|(s, i, b)| Op::Tick(s, i, b)),
        (slug(), 1u32..20).prop_map(|(s, n)| Op::Complete(s, n)),
        slug().prop_map(Op::ClearScenario),
        (
            slug(),
            prop::sample::select(vec![
                ReviewResult::Again,
                ReviewResult::Hard,
                ReviewResult::Good,
                ReviewResult::Easy
            ]),
            0u32..5
        )
            .prop_map(|(s, r, d)| Op::Review(s, r, d)),
        prop::option::of(prop::sample::select(vec![
            "#/",
            "#/glossary/drain",
            "#/cards"
        ]))
        .prop_map(|p| Op::Place(p.map(String::from))),
        prop::sample::select(vec![Theme::System, Theme::Light, Theme::Dark]).prop_map(Op::Theme),
        (slug(), 0u64..4, 1u8..=4).prop_map(|(s, at, g)| Op::Answer(s, at, g)),
        (slug(), any::<bool>()).prop_map(|(s, b)| Op::Lesson(s, b)),
        slug().prop_map(Op::Lab),
        (0u8..60).prop_map(Op::NewPerDay),
    ]
}

fn apply(p: &mut Progress, ops: &[Op]) {
    for op in ops {
        match op {
            Op::Learn(s, b) => p.set_learned(s, *b),
            Op::Spot(s, b) => p.set_spotted(s, *b),
            Op::Tick(s, i, b) => p.tick_signal(s, *i, *b),
            Op::Complete(s, n) => p.complete_scenario(s, *n),
            Op::ClearScenario(s) => p.clear_scenario(s),
            Op::Review(s, r, d) => p.add_review(s, *r, *d),
            Op::Place(pl) => p.set_last_place(pl.as_deref()),
            Op::Theme(t) => p.set_theme(*t),
            Op::Answer(s, at, g) => p.record_answer(vango_study_lab::review::Review {
                at: *at,
                item: format!("trap/{s}"),
                grade: Grade::from_number(*g).unwrap(),
            }),
            Op::Lesson(s, b) => p.set_lesson_done(s, *b),
            Op::Lab(s) => p.set_lab_tried(s),
            Op::NewPerDay(n) => p.set_new_per_day(*n),
        };
    }
}

fn progress() -> impl Strategy<Value = Progress> {
    prop::collection::vec(op(), 0..24).prop_map(|ops| {
        let mut p = Progress::default();
        apply(&mut p, &ops);
        p
    })
}

/// Everything but the logical clock and its stamps.
fn content(p: &Progress) -> Value {
    let mut v: Value = serde_json::to_value(p).unwrap();
    let o = v.as_object_mut().unwrap();
    for clock in ["updated", "last_place_at", "theme_at", "review_settings_at"] {
        o.remove(clock);
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn merge_is_commutative(a in progress(), b in progress()) {
        prop_assert_eq!(merge(&a, &b), merge(&b, &a));
    }

    #[test]
    fn merge_is_associative(a in progress(), b in progress(), c in progress()) {
        prop_assert_eq!(merge(&merge(&a, &b), &c), merge(&a, &merge(&b, &c)));
    }

    #[test]
    fn merge_is_idempotent_with_identity(a in progress()) {
        prop_assert_eq!(merge(&a, &a), a.clone());
        prop_assert_eq!(merge(&a, &Progress::default()), a.clone());
    }

    #[test]
    fn merge_loses_nothing(a in progress(), b in progress()) {
        let m = merge(&a, &b);
        for p in [&a, &b] {
            prop_assert!(p.learned_terms().is_subset(m.learned_terms()));
            for (slug, c) in p.cards() {
                let mc = m.card(slug).unwrap();
                prop_assert!(!c.spotted || mc.spotted);
                prop_assert!(c.ticked.is_subset(&mc.ticked));
            }
            for (slug, r) in p.scenarios() {
                prop_assert!(m.scenario(slug).unwrap().best_steps <= r.best_steps);
            }
            for r in p.reviews() {
                prop_assert!(m.reviews().contains(r));
            }
        }
        // The merged record survives export/import unchanged.
        let back = import_json(&export_json(&m), &Known { terms: &["drain","cell","rpo","logs-as-truth","s-1"], cards: &["drain","cell","rpo","logs-as-truth","s-1"], scenarios: &["drain","cell","rpo","logs-as-truth","s-1"], lessons: &["drain","cell","rpo","logs-as-truth","s-1"], labs: &["drain","cell","rpo","logs-as-truth","s-1"] }).unwrap();
        prop_assert_eq!(back.progress, m);
    }
}

#[test]
fn merge_picks_better_scenario_and_latest_place() {
    let mut a = Progress::default();
    a.complete_scenario("rollback-1", 9);
    a.set_last_place(Some("#/glossary/drain"));
    let mut b = Progress::default();
    b.complete_scenario("rollback-1", 4);
    b.complete_scenario("drain-a-cell", 12);
    b.set_theme(Theme::Light);
    b.set_theme(Theme::Dark);
    b.set_last_place(Some("#/cards")); // b's clock is further along
    let m = merge(&a, &b);
    assert_eq!(m.scenario("rollback-1").unwrap().best_steps, 4);
    assert_eq!(m.scenario("drain-a-cell").unwrap().best_steps, 12);
    assert_eq!(m.last_place(), Some("#/cards"));
    assert_eq!(m.theme(), Theme::Dark);
}

// --------------------------------------------------------------- import

#[test]
fn import_reports_and_skips_unknown_items() {
    let text = json!({
        "version": 2,
        "learned_terms": ["drain", "not-a-term", "Bad Slug"],
        "cards": {"logs-as-truth": {"spotted": true, "ticked": [0, 7]}, "old-card": {"spotted": true}},
        "scenarios": {"rollback-1": {"best_steps": 3}, "gone": {"best_steps": 1}},
        "reviews": [{"item": "drain", "result": "easy", "day": 1},
                    {"item": "nope", "result": "easy", "day": 1}]
    })
    .to_string();
    let imp = import_json(&text, &known()).unwrap();
    let p = &imp.progress;
    assert!(p.is_learned("drain"));
    assert_eq!(p.learned_count(), 1);
    assert!(p.is_ticked("logs-as-truth", 0) && !p.is_ticked("logs-as-truth", 7));
    assert!(p.card("old-card").is_none());
    assert!(p.is_completed("rollback-1") && !p.is_completed("gone"));
    assert_eq!(p.reviews().len(), 1);
    let all = imp.skipped.join("\n");
    for needle in [
        "not-a-term",
        "Bad Slug",
        "old-card",
        "gone",
        "nope",
        "signal 7",
    ] {
        assert!(all.contains(needle), "{needle} missing from {all}");
    }
    assert_eq!(imp.skipped.len(), 6);
}

#[test]
fn import_migrates_v1() {
    let imp = import_json(&v1_blob(), &known()).unwrap();
    assert_eq!(imp.migrated_from, Some(1));
    assert!(imp.progress.is_learned("rpo"));
}

#[test]
fn import_refuses_newer_version_with_message() {
    let e = import_json(r#"{"version":4,"learned_terms":["drain"]}"#, &known()).unwrap_err();
    assert_eq!(e, ImportError::NewerVersion { found: 4 });
    assert!(e.to_string().contains("newer version"));
}

#[test]
fn import_error_cases() {
    let k = known();
    assert_eq!(import_json("", &k).unwrap_err(), ImportError::Empty);
    assert_eq!(import_json("  \n", &k).unwrap_err(), ImportError::Empty);
    assert!(matches!(
        import_json("{\"version\":2,", &k),
        Err(ImportError::NotJson(_))
    ));
    assert!(matches!(
        import_json("[1,2]", &k),
        Err(ImportError::NotProgress(_))
    ));
    assert!(matches!(
        import_json("{}", &k),
        Err(ImportError::NotProgress(_))
    ));
    assert!(matches!(
        import_json(r#"{"version":2,"learned_terms":"drain"}"#, &k),
        Err(ImportError::NotProgress(_))
    ));
    assert!(matches!(
        import_json(r#"{"version":2,"surprise":true}"#, &k),
        Err(ImportError::NotProgress(_))
    ));
    let huge = format!(
        "{{\"version\":2,\"pad\":\"{}\"}}",
        "x".repeat(MAX_BLOB_BYTES)
    );
    let e = import_json(&huge, &k).unwrap_err();
    assert!(matches!(e, ImportError::TooLarge { .. }));
    assert!(e.to_string().contains("too large"));
    // Deep nesting is an error, not a stack overflow.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(import_json(&deep, &k).is_err());
    // Every error has a user sentence.
    for e in [
        ImportError::Empty,
        ImportError::NotJson("x".into()),
        ImportError::NotProgress("x".into()),
    ] {
        assert!(e.to_string().ends_with('.'));
    }
}

#[test]
fn a_huge_import_is_summarised_not_listed() {
    let slugs: Vec<String> = (0..10_000).map(|i| format!("unknown-{i}")).collect();
    let text = json!({"version": 2, "learned_terms": slugs, "cards": {"nope": {"spotted": true}}, "reviews": [{"item": "zz", "result": "good", "day": 1}]}).to_string();
    let imp = import_json(&text, &known()).unwrap();
    assert_eq!(imp.skipped.len(), 10_002);
    let (counts, first, more) = imp.skipped_summary(5);
    assert_eq!(counts, "10000 terms, 1 card, 1 review");
    assert_eq!(first.len(), 5);
    assert_eq!(more, 9_997);
    assert!(first[0].contains("unknown-"));
    let few = Imported {
        skipped: vec![
            "scenario \"x\" (not in this version of the app)".into(),
            "odd".into(),
        ],
        ..imp
    };
    assert_eq!(
        few.skipped_summary(5),
        (
            "1 scenario, 1 other entry".into(),
            vec![few.skipped[0].as_str(), "odd"],
            0
        )
    );
}

#[test]
fn import_tolerates_bom() {
    let text = format!("\u{feff}{}", export_json(&sample()));
    assert_eq!(import_json(&text, &known()).unwrap().progress, sample());
}

#[test]
fn import_then_merge_or_replace() {
    let mut current = Progress::default();
    current.set_learned("rpo", true);
    let imp = import_json(&export_json(&sample()), &known()).unwrap();
    let merged = merge(&current, &imp.progress);
    assert!(merged.is_learned("rpo") && merged.is_learned("drain"));
    let store = MemoryStore::new();
    let (mut ps, _) = ProgressStore::load(store.clone(), "a", 0);
    let current = ps.save(&current).unwrap();
    let undo = current.clone();
    let saved = ps.replace(&imp.progress).unwrap();
    assert!(!saved.is_learned("rpo"));
    assert_eq!(content(&saved), content(&imp.progress));
    // Undo of the replace.
    let back = ps.replace(&undo).unwrap();
    assert_eq!(content(&back), content(&undo));
}

#[test]
fn theme_mirror_follows_the_theme_and_leaves_the_ledger_alone() {
    let store = MemoryStore::new();
    let (mut ps, _) = ProgressStore::load(store.clone(), "a", 0);
    let mut p = Progress::default();
    p.set_learned("drain", true);
    p.set_theme(Theme::Dark);
    let saved = ps.save(&p).unwrap();
    let ledger_before: BTreeMap<_, _> = store
        .snapshot()
        .into_iter()
        .filter(|(k, _)| k != THEME_KEY)
        .collect();
    ps.mirror_theme(saved.theme());
    assert_eq!(
        store.snapshot().get(THEME_KEY).map(String::as_str),
        Some("dark")
    );
    ps.mirror_theme(Theme::Light);
    assert_eq!(
        store.snapshot().get(THEME_KEY).map(String::as_str),
        Some("light")
    );
    ps.mirror_theme(Theme::System);
    assert!(!store.snapshot().contains_key(THEME_KEY), "system: no copy");
    let ledger_after: BTreeMap<_, _> = store.snapshot().into_iter().collect();
    assert_eq!(
        ledger_before, ledger_after,
        "only the mirror key was touched"
    );
    // A hostile or stale copy is never read back: the ledger decides.
    store.set(THEME_KEY, "<script>").unwrap();
    let (again, notices) = ProgressStore::load(store.clone(), "b", 1);
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(again.progress().theme(), Theme::Dark);
    assert!(again.progress().is_learned("drain"));
    assert!(again.damaged_blobs().is_empty());
    // Unavailable storage: nothing to write, no panic.
    store.set_unavailable(Some("denied"));
    again.mirror_theme(Theme::Light);
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-z#/ -]{0,12}".prop_map(Value::from),
        prop::sample::select(vec!["drain", "logs-as-truth", "good", "dark", "#/x"])
            .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "version",
                    "updated",
                    "learned_terms",
                    "cards",
                    "scenarios",
                    "reviews",
                    "last_place",
                    "last_place_at",
                    "theme",
                    "theme_at",
                    "spotted",
                    "ticked",
                    "best_steps",
                    "item",
                    "result",
                    "day",
                    "learned",
                    "drain",
                    "other"
                ])
                .prop_map(String::from),
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn with_version(v: Value, version: u64) -> Value {
    match v {
        Value::Object(mut m) => {
            m.insert("version".into(), Value::from(version));
            Value::Object(m)
        }
        other => other,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn import_never_panics_on_arbitrary_text(s in ".{0,400}") {
        let _ = import_json(&s, &known());
        let _ = decode(&s);
    }

    #[test]
    fn import_never_panics_on_truncated_exports(p in progress(), cut in 0usize..2000) {
        let text = export_json(&p);
        let cut = cut.min(text.len());
        if let Some(prefix) = text.get(..cut) {
            let r = import_json(prefix, &known());
            if cut < text.len() {
                prop_assert!(r.is_err(), "truncated export accepted: {}", prefix);
            }
        }
    }

    #[test]
    fn import_never_panics_on_wrong_types(v in arb_json(), version in 0u64..5) {
        let text = with_version(v, version).to_string();
        let _ = import_json(&text, &known());
    }

    #[test]
    fn load_never_panics_and_never_loses_a_blob(v in arb_json(), version in 0u64..5, raw in prop::option::of(".{0,200}")) {
        let text = raw.unwrap_or_else(|| with_version(v, version).to_string());
        let store = MemoryStore::new();
        store.set(STORAGE_KEY, &text).unwrap();
        let (mut ps, notices) = ProgressStore::load(store.clone(), "a", 0);
        let snap = store.snapshot();
        let kept = snap.values().any(|s| *s == text);
        let decoded = decode(&text);
        let newer = decoded.as_ref().map(|d| d.newer.is_some()).unwrap_or(false);
        let readable = decoded.as_ref().map(|d| d.skipped.is_empty()).unwrap_or(false);
        // Unreadable or partly readable blobs are kept byte-for-byte.
        prop_assert!(readable || kept, "blob lost: {:?} {:?}", text, notices);
        if !readable && !newer {
            prop_assert!(notices.iter().any(|n| n.download_key().is_some()));
        }
        // What could be read is shown.
        if let Ok(d) = &decoded {
            prop_assert_eq!(content(ps.progress()), content(&d.progress));
        }
        if newer {
            let told = notices.iter().any(|n| matches!(n, Notice::NewerVersion { .. }));
            prop_assert!(told);
        }
        // A save afterwards never removes a kept blob, and always works.
        let mut p = ps.progress().clone();
        p.set_learned("drain", true);
        prop_assert!(ps.save(&p).is_ok());
        let snap2 = store.snapshot();
        if newer {
            prop_assert_eq!(snap2.get(STORAGE_KEY), Some(&text), "newer blob overwritten");
        }
        for (k, val) in &snap {
            if k.starts_with(DAMAGED_KEY_PREFIX) {
                prop_assert_eq!(snap2.get(k), Some(val));
            }
        }
        let (again, _) = ProgressStore::load(store.clone(), "b", 0);
        prop_assert!(again.progress().is_learned("drain"));
    }
}

// ---------------------------------------------------------------- store

/// Loads tab `tab` over `store` at time 0.
fn tab(store: &MemoryStore, tab: &str) -> ProgressStore<MemoryStore> {
    ProgressStore::load(store.clone(), tab, 0).0
}

fn keys_with(store: &MemoryStore, prefix: &str) -> Vec<String> {
    store
        .snapshot()
        .into_keys()
        .filter(|k| k.starts_with(prefix))
        .collect()
}

#[test]
fn fresh_start() {
    let store = MemoryStore::new();
    let (mut ps, notices) = ProgressStore::load(store.clone(), "a", 0);
    assert!(notices.is_empty());
    assert_eq!(ps.mode(), &Mode::Persisted);
    assert_eq!(ps.progress(), &Progress::default());
    assert!(
        store.snapshot().is_empty(),
        "nothing written before a change"
    );
    let saved = ps.save(&sample()).unwrap();
    assert_eq!(content(&saved), content(&sample()));
    let (again, notices) = ProgressStore::load(store.clone(), "b", 0);
    assert!(notices.is_empty());
    assert_eq!(content(again.progress()), content(&sample()));
    assert_eq!(
        store.snapshot().into_keys().collect::<Vec<_>>(),
        vec![tab_key("a")],
        "only the tab's own key is used"
    );
}

fn load_text(text: &str) -> (MemoryStore, ProgressStore<MemoryStore>, Vec<Notice>) {
    let store = MemoryStore::new();
    store.set(STORAGE_KEY, text).unwrap();
    let (ps, n) = ProgressStore::load(store.clone(), "a", 0);
    (store, ps, n)
}

#[test]
fn corrupt_blob_is_kept_aside_byte_for_byte() {
    let corrupt = "{\"version\":2,\"learned_terms\":[\"dra";
    let (store, mut ps, notices) = load_text(corrupt);
    assert_eq!(ps.progress(), &Progress::default());
    assert_eq!(ps.mode(), &Mode::Persisted);
    assert_eq!(notices.len(), 1);
    let Notice::Damaged { kept_under, reason } = &notices[0] else {
        panic!("{notices:?}")
    };
    assert!(kept_under.starts_with(DAMAGED_KEY_PREFIX), "{kept_under}");
    assert!(reason.contains("JSON"));
    assert_eq!(notices[0].download_key(), Some(kept_under.as_str()));
    assert_eq!(store.get(kept_under).unwrap().as_deref(), Some(corrupt));
    assert_eq!(store.get(STORAGE_KEY).unwrap(), None);
    assert_eq!(
        ps.damaged_blobs(),
        vec![(kept_under.clone(), corrupt.to_owned())]
    );
    // Saving does not touch it.
    ps.save(&sample()).unwrap();
    assert_eq!(store.get(kept_under).unwrap().as_deref(), Some(corrupt));
}

#[test]
fn second_damaged_blob_never_overwrites_the_first() {
    let (store, _ps, n1) = load_text("garbage one");
    let first = n1[0].download_key().unwrap().to_owned();
    store.set(STORAGE_KEY, "garbage two").unwrap();
    let (_ps, n) = ProgressStore::load(store.clone(), "b", 0);
    let second = n[0].download_key().unwrap().to_owned();
    assert_ne!(first, second);
    assert_eq!(store.get(&first).unwrap().as_deref(), Some("garbage one"));
    assert_eq!(store.get(&second).unwrap().as_deref(), Some("garbage two"));
    // The same content again is not duplicated.
    store.set(STORAGE_KEY, "garbage one").unwrap();
    let (mut ps, n) = ProgressStore::load(store.clone(), "c", 0);
    assert_eq!(n[0].download_key(), Some(first.as_str()));
    assert_eq!(ps.damaged_blobs().len(), 2);
    // Discard after download.
    ps.discard_damaged(&first).unwrap();
    assert_eq!(ps.damaged_blobs().len(), 1);
    assert!(ps.discard_damaged(STORAGE_KEY).is_err());
    assert!(ps.discard_damaged("unrelated").is_err());
}

#[test]
fn many_damaged_blobs_never_turn_saving_off() {
    let store = MemoryStore::new();
    for i in 0..40 {
        store.set(STORAGE_KEY, &format!("garbage {i}")).unwrap();
        let (mut ps, n) = ProgressStore::load(store.clone(), &format!("t{i}"), 0);
        assert!(matches!(&n[..], [Notice::Damaged { .. }]), "{n:?}");
        assert_eq!(ps.mode(), &Mode::Persisted);
        let mut p = ps.progress().clone();
        p.set_learned("drain", true);
        ps.save(&p).unwrap();
        ps.close().unwrap();
    }
    let ps = tab(&store, "last");
    assert_eq!(ps.damaged_blobs().len(), 40);
    let texts: Vec<String> = ps.damaged_blobs().into_iter().map(|(_, t)| t).collect();
    assert!((0..40).all(|i| texts.contains(&format!("garbage {i}"))));
    assert!(ps.progress().is_learned("drain"));
}

#[test]
fn wrong_types_unknown_fields_and_huge_blobs_are_damaged() {
    let huge = format!(
        "{{\"version\":2,\"learned_terms\":[\"{}\"]}}",
        "a".repeat(MAX_BLOB_BYTES + 10)
    );
    for text in [
        r#"{"version":2,"learned_terms":{"drain":true}}"#.to_owned(),
        r#"{"version":2,"cards":{"logs-as-truth":{"spotted":"yes"}}}"#.to_owned(),
        r#"{"version":2,"learned_terms":[],"unexpected":1}"#.to_owned(),
        r#"{"version":"two"}"#.to_owned(),
        r#"[]"#.to_owned(),
        "null".to_owned(),
        String::new(),
        huge,
    ] {
        let (store, ps, notices) = load_text(&text);
        assert!(
            matches!(&notices[..], [Notice::Damaged { .. }]),
            "{notices:?} for {}",
            &text[..text.len().min(60)]
        );
        assert_eq!(ps.progress(), &Progress::default());
        let kept = notices[0].download_key().unwrap();
        assert_eq!(store.get(kept).unwrap().as_deref(), Some(text.as_str()));
    }
}

#[test]
fn partly_invalid_blob_is_recovered_and_kept() {
    let text = r#"{"version":3,"learned_terms":["drain","BAD!"],"cards":{"logs-as-truth":{"spotted":true,"ticked":[9]}}}"#;
    let (store, mut ps, notices) = load_text(text);
    let [Notice::PartlyRecovered {
        kept_under,
        skipped,
    }] = &notices[..]
    else {
        panic!("{notices:?}")
    };
    assert_eq!(skipped.len(), 2);
    assert_eq!(store.get(kept_under).unwrap().as_deref(), Some(text));
    assert!(ps.progress().is_learned("drain"));
    assert!(ps.progress().is_spotted("logs-as-truth"));
    let p = ps.progress().clone();
    ps.save(&p).unwrap();
    assert_eq!(store.get(kept_under).unwrap().as_deref(), Some(text));
}

#[test]
fn version_2_blob_is_upgraded_to_a_tab_key_and_nothing_is_lost() {
    let v2 = export_json(&sample());
    let (store, ps, notices) = load_text(&v2);
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(content(ps.progress()), content(&sample()));
    // Our key now holds it, so the shared blob is gone.
    assert_eq!(store.get(STORAGE_KEY).unwrap(), None);
    let own = store.get(&tab_key("a")).unwrap().unwrap();
    assert_eq!(
        read_version(&serde_json::from_str(&own).unwrap()).unwrap(),
        LEDGER_VERSION
    );
    let again = tab(&store, "b");
    assert_eq!(content(again.progress()), content(&sample()));
}

#[test]
fn older_version_is_migrated_and_saved() {
    let (store, ps, notices) = load_text(&v1_blob());
    assert_eq!(notices, vec![Notice::Migrated { from: 1 }]);
    assert_eq!(ps.mode(), &Mode::Persisted);
    assert!(ps.progress().is_learned("drain") && ps.progress().is_spotted("logs-as-truth"));
    assert_eq!(store.get(STORAGE_KEY).unwrap(), None, "removed once held");
    let (again, n) = ProgressStore::load(store, "b", 0);
    assert!(n.is_empty());
    assert_eq!(content(again.progress()), content(ps.progress()));
}

/// A store whose writes to tab keys fail (as if they did not fit), while
/// other keys work.
#[derive(Clone, Default)]
struct TabKeysFail {
    inner: MemoryStore,
    fail: std::rc::Rc<std::cell::Cell<bool>>,
}

impl KeyValueStore for TabKeysFail {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.inner.get(key)
    }
    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        if key.starts_with(TAB_KEY_PREFIX) && self.fail.get() {
            return Err(StoreError::QuotaExceeded);
        }
        self.inner.set(key, value)
    }
    fn remove(&self, key: &str) -> Result<(), StoreError> {
        self.inner.remove(key)
    }
    fn keys(&self) -> Result<Vec<String>, StoreError> {
        self.inner.keys()
    }
}

#[test]
fn migration_keeps_original_until_migrated_is_saved() {
    let backing = TabKeysFail::default();
    backing.inner.set(STORAGE_KEY, &v1_blob()).unwrap();
    backing.fail.set(true);
    let (mut ps, notices) = ProgressStore::load(backing.clone(), "a", 0);
    assert_eq!(
        notices,
        vec![Notice::Migrated { from: 1 }, Notice::QuotaExceeded]
    );
    // Original untouched in place.
    assert_eq!(backing.inner.get(STORAGE_KEY).unwrap(), Some(v1_blob()));
    assert!(ps.progress().is_learned("rpo"));
    // Saves keep failing: the original stays, the change lives in memory.
    let mut p = ps.progress().clone();
    p.set_learned("cell", true);
    assert_eq!(ps.save(&p), Err(Notice::QuotaExceeded));
    assert!(ps.progress().is_learned("cell") && ps.progress().is_learned("rpo"));
    assert_eq!(backing.inner.get(STORAGE_KEY).unwrap(), Some(v1_blob()));
    // Once the save succeeds the original goes.
    backing.fail.set(false);
    let p = ps.progress().clone();
    let saved = ps.save(&p).unwrap();
    assert!(saved.is_learned("cell") && saved.is_learned("rpo"));
    assert_eq!(backing.inner.get(STORAGE_KEY).unwrap(), None);
}

#[test]
fn newer_version_is_read_never_overwritten_and_saving_goes_on() {
    let newer = r#"{"version":5,"learned_terms":["drain"],"theme":"light","hologram":true}"#;
    let (store, mut ps, notices) = load_text(newer);
    assert_eq!(notices, vec![Notice::NewerVersion { found: 5 }]);
    assert!(notices[0].message().contains("newer version"));
    assert_eq!(ps.mode(), &Mode::Persisted);
    assert!(ps.progress().is_learned("drain"));
    assert_eq!(ps.progress().theme(), Theme::Light);
    let mut p = ps.progress().clone();
    p.set_learned("cell", true);
    let saved = ps.save(&p).unwrap();
    assert!(saved.is_learned("cell") && saved.is_learned("drain"));
    assert_eq!(store.get(STORAGE_KEY).unwrap().as_deref(), Some(newer));
    // A newer tab key is left alone too.
    let newer_tab = r#"{"version":4,"marks":{"learned/rpo":[1,"z",true]}}"#;
    store.set(&tab_key("z"), newer_tab).unwrap();
    let (q, n) = ps.reload_from_other_tab(&saved);
    assert_eq!(n, vec![Notice::NewerVersion { found: 4 }]);
    assert_eq!(content(&q), content(&saved));
    ps.save(&q).unwrap();
    assert_eq!(
        store.get(&tab_key("z")).unwrap().as_deref(),
        Some(newer_tab)
    );
    assert!(ps.damaged_blobs().is_empty());
}

#[test]
fn unavailable_storage_works_from_memory() {
    let store = MemoryStore::new();
    store.set_unavailable(Some("SecurityError: The operation is insecure."));
    let (mut ps, notices) = ProgressStore::load(store.clone(), "a", 0);
    assert!(matches!(&notices[..], [Notice::StorageUnavailable(_)]));
    assert!(notices[0].message().contains("will not survive a reload"));
    assert!(matches!(ps.mode(), Mode::MemoryOnly(_)));
    let p = sample();
    let e = ps.save(&p).unwrap_err();
    assert!(matches!(e, Notice::StorageUnavailable(_)));
    assert_eq!(content(ps.progress()), content(&p));

    let (mut mem, notices) = ProgressStore::<MemoryStore>::memory_only("no localStorage");
    assert!(matches!(&notices[..], [Notice::StorageUnavailable(r)] if r == "no localStorage"));
    assert!(mem.save(&p).is_err());
    assert_eq!(content(mem.progress()), content(&p));
    let shown = mem.progress().clone();
    assert_eq!(mem.reload_from_other_tab(&shown).0, shown);
    assert!(mem.damaged_blobs().is_empty());
}

#[test]
fn storage_lost_mid_session_falls_back_to_memory_and_comes_back() {
    let store = MemoryStore::new();
    let (mut ps, _) = ProgressStore::load(store.clone(), "a", 0);
    let p = ps.save(&sample()).unwrap();
    store.set_unavailable(Some("gone"));
    let mut q = p.clone();
    q.set_learned("rpo", true);
    assert!(matches!(ps.save(&q), Err(Notice::StorageUnavailable(_))));
    assert!(matches!(ps.mode(), Mode::MemoryOnly(_)));
    assert!(ps.progress().is_learned("rpo"));
    store.set_unavailable(None);
    let q = ps.progress().clone();
    ps.save(&q).unwrap();
    assert_eq!(ps.mode(), &Mode::Persisted, "saving works again");
    assert!(tab(&store, "b").progress().is_learned("rpo"));
}

#[test]
fn quota_exceeded_keeps_memory_and_recovers() {
    let store = MemoryStore::with_quota(200);
    let (mut ps, notices) = ProgressStore::load(store.clone(), "a", 0);
    assert!(notices.is_empty());
    let mut p = sample();
    for t in terms() {
        p.set_learned(t, true);
    }
    let e = ps.save(&p).unwrap_err();
    assert_eq!(e, Notice::QuotaExceeded);
    assert!(e.message().contains("will not survive a reload"));
    assert_eq!(content(ps.progress()), content(&p));
    assert_eq!(
        ps.mode(),
        &Mode::Persisted,
        "quota is retried on the next save"
    );
    assert_eq!(store.get(&tab_key("a")).unwrap(), None);
    store.set_quota(None);
    let shown = ps.progress().clone();
    assert_eq!(content(&ps.save(&shown).unwrap()), content(&p));
}

#[test]
fn full_storage_keeps_the_old_value_and_saves_once_there_is_room() {
    let store = MemoryStore::new();
    let (mut ps, _) = ProgressStore::load(store.clone(), "a", 0);
    let mut p = ps.save(&sample()).unwrap();
    store.set_quota(Some(store.used_bytes()));
    p.set_learned("rpo", true);
    assert_eq!(ps.save(&p), Err(Notice::QuotaExceeded));
    assert!(ps.progress().is_learned("rpo"), "kept in memory");
    let before = tab(&store, "b");
    assert_eq!(
        content(before.progress()),
        content(&sample()),
        "old value intact"
    );
    store.set_quota(None);
    let shown = ps.progress().clone();
    assert!(ps.save(&shown).unwrap().is_learned("rpo"));
    assert!(tab(&store, "c").progress().is_learned("rpo"));
}

#[test]
fn damaged_blob_that_cannot_be_set_aside_is_left_in_place_and_saving_goes_on() {
    let store = MemoryStore::new();
    store.set(STORAGE_KEY, "not json at all").unwrap();
    store.set_quota(Some(store.used_bytes()));
    let (mut ps, notices) = ProgressStore::load(store.clone(), "a", 0);
    assert_eq!(notices[0].download_key(), Some(STORAGE_KEY));
    assert_eq!(ps.mode(), &Mode::Persisted);
    assert_eq!(
        ps.damaged_blobs(),
        vec![(STORAGE_KEY.to_owned(), "not json at all".to_owned())]
    );
    // Room again: saving works and the blob is still untouched.
    store.set_quota(None);
    ps.save(&sample()).unwrap();
    assert_eq!(
        store.get(STORAGE_KEY).unwrap().as_deref(),
        Some("not json at all")
    );
    ps.discard_damaged(STORAGE_KEY).unwrap();
    assert!(ps.damaged_blobs().is_empty());
    assert_eq!(content(tab(&store, "b").progress()), content(&sample()));
}

#[test]
fn progress_too_large_to_save_is_refused() {
    let store = MemoryStore::new();
    let (mut ps, _) = ProgressStore::load(store.clone(), "a", 0);
    let mut p = Progress::default();
    for day in 0..50_000 {
        p.add_review("idempotency-key", ReviewResult::Good, day);
    }
    assert!(matches!(ps.save(&p), Err(Notice::TooLargeToSave { .. })));
    assert_eq!(content(ps.progress()), content(&p));
    assert_eq!(store.get(&tab_key("a")).unwrap(), None);
}

// ------------------------------------------------------------ two tabs

fn two_tabs() -> (
    MemoryStore,
    ProgressStore<MemoryStore>,
    ProgressStore<MemoryStore>,
) {
    let shared = MemoryStore::new();
    let a = tab(&shared, "a");
    let b = tab(&shared, "b");
    (shared, a, b)
}

#[test]
fn two_tabs_never_erase_each_other() {
    let (shared, mut a, mut b) = two_tabs();
    let mut pa = a.progress().clone();
    let mut pb = b.progress().clone();
    pa.set_learned("drain", true);
    pa.tick_signal("logs-as-truth", 0, true);
    pa = a.save(&pa).unwrap();
    // Tab B has not seen A's save yet.
    pb.set_learned("rpo", true);
    pb.tick_signal("logs-as-truth", 2, true);
    pb.complete_scenario("rollback-1", 5);
    pb = b.save(&pb).unwrap();
    assert!(pb.is_learned("drain") && pb.is_learned("rpo"));
    assert!(pb.is_ticked("logs-as-truth", 0) && pb.is_ticked("logs-as-truth", 2));
    // A gets the storage event.
    let (merged, notices) = a.reload_from_other_tab(&pa);
    assert!(notices.is_empty());
    assert_eq!(merged, pb);
    let stored = tab(&shared, "c");
    assert_eq!(stored.progress(), &pb);
}

#[test]
fn two_tabs_unsaved_changes_survive_reload() {
    let (_shared, mut a, mut b) = two_tabs();
    let mut pa = a.progress().clone();
    pa.set_learned("drain", true);
    a.save(&pa).unwrap();
    let mut pb = b.progress().clone();
    pb.set_learned("cell", true); // not saved yet
    let (pb, _) = b.reload_from_other_tab(&pb);
    assert!(pb.is_learned("drain") && pb.is_learned("cell"));
    let saved = b.save(&pb).unwrap();
    assert!(saved.is_learned("drain") && saved.is_learned("cell"));
}

#[test]
fn two_tabs_deliberate_removals_stick() {
    let (_shared, mut a, mut b) = two_tabs();
    let mut pa = a.progress().clone();
    pa.set_learned("drain", true);
    pa.set_learned("cell", true);
    pa = a.save(&pa).unwrap();
    let (mut pb, _) = b.reload_from_other_tab(&Progress::default());
    // A unlearns "cell"; B concurrently learns "rpo".
    pa.set_learned("cell", false);
    a.save(&pa).unwrap();
    pb.set_learned("rpo", true);
    let saved = b.save(&pb).unwrap();
    assert!(saved.is_learned("drain") && saved.is_learned("rpo"));
    assert!(!saved.is_learned("cell"), "A's unlearn is not undone by B");
}

#[test]
fn the_clicked_toggle_never_flips_back() {
    // Both tabs toggle the same term many times without hearing each other.
    let (_shared, mut a, mut b) = two_tabs();
    let mut pa = a.progress().clone();
    let mut pb = b.progress().clone();
    for _ in 0..20 {
        // A click flips what the tab shows.
        let want = !pa.is_learned("drain");
        pa.set_learned("drain", want);
        pa = a.save(&pa).unwrap();
        assert_eq!(pa.is_learned("drain"), want, "A's click shows");
        let want = !pb.is_learned("drain");
        pb.set_learned("drain", want);
        pb = b.save(&pb).unwrap();
        assert_eq!(pb.is_learned("drain"), want, "B's click shows");
    }
}

#[test]
fn reset_in_one_tab_reaches_the_other_and_undo_works() {
    let (shared, mut a, mut b) = two_tabs();
    let full = a.save(&sample()).unwrap();
    let (pb, _) = b.reload_from_other_tab(&Progress::default());
    assert_eq!(pb, full);
    // Reset in A (keep `full` for undo).
    let reset = a.replace(&full.reset_learning()).unwrap();
    assert!(reset.is_blank());
    let (mut pb, _) = b.reload_from_other_tab(&pb);
    assert!(pb.is_blank(), "reset reached B");
    pb.set_learned("rpo", true);
    let pb = b.save(&pb).unwrap();
    assert!(pb.is_learned("rpo") && !pb.is_learned("drain"));
    // Undo in A: the previous progress comes back, merged with B's new work.
    let (pa, _) = a.reload_from_other_tab(&reset);
    let undone = a.undo_replace(&pa, &full).unwrap();
    assert!(undone.is_learned("drain") && undone.is_learned("rpo"));
    assert_eq!(undone.scenario("drain-a-cell").unwrap().best_steps, 7);
    assert_eq!(tab(&shared, "c").progress(), &undone);
}

#[test]
fn reset_clears_every_result_of_a_scenario() {
    let (_shared, mut a, mut b) = two_tabs();
    let mut pa = a.progress().clone();
    pa.complete_scenario("rollback-1", 9);
    a.save(&pa).unwrap();
    let mut pb = b.progress().clone();
    pb.complete_scenario("rollback-1", 4);
    b.save(&pb).unwrap();
    let (pa, _) = a.reload_from_other_tab(&a.progress().clone());
    assert_eq!(pa.scenario("rollback-1").unwrap().best_steps, 4);
    let reset = a.replace(&pa.reset_learning()).unwrap();
    assert!(reset.scenario("rollback-1").is_none(), "{reset:?}");
    // A worse result after the reset shows as it is.
    let mut again = reset.clone();
    again.complete_scenario("rollback-1", 12);
    let again = a.save(&again).unwrap();
    assert_eq!(again.scenario("rollback-1").unwrap().best_steps, 12);
}

#[test]
fn other_tab_writing_garbage_is_kept_aside() {
    let (shared, mut a, _b) = two_tabs();
    a.save(&sample()).unwrap();
    shared.set(&tab_key("b"), "{oops").unwrap();
    let shown = a.progress().clone();
    let (p, notices) = a.reload_from_other_tab(&shown);
    assert_eq!(p, shown);
    let kept = notices[0].download_key().unwrap().to_owned();
    assert_eq!(shared.get(&kept).unwrap().as_deref(), Some("{oops"));
    assert_eq!(shared.get(&tab_key("b")).unwrap(), None);
    a.save(&p).unwrap();
    assert_eq!(shared.get(&kept).unwrap().as_deref(), Some("{oops"));
    assert_eq!(a.damaged_blobs(), vec![(kept, "{oops".to_owned())]);
}

#[test]
fn every_notice_has_a_message() {
    let notices = [
        Notice::Damaged {
            kept_under: "k".into(),
            reason: "x".into(),
        },
        Notice::PartlyRecovered {
            kept_under: "k".into(),
            skipped: vec!["a".into()],
        },
        Notice::Migrated { from: 1 },
        Notice::NewerVersion { found: 3 },
        Notice::StorageUnavailable("x".into()),
        Notice::QuotaExceeded,
        Notice::TooLargeToSave { bytes: 300_000 },
        Notice::SaveFailed("x".into()),
    ];
    let mut seen = BTreeMap::new();
    for n in notices {
        let m = n.message();
        assert!(m.len() > 20 && m.ends_with('.'), "{m}");
        assert_eq!(n.to_string(), m);
        seen.insert(m, ());
    }
    assert_eq!(seen.len(), 8);
}

#[test]
fn key_deleted_behind_our_back_is_written_back() {
    let (shared, mut a, _b) = two_tabs();
    let saved = a.save(&sample()).unwrap();
    shared.remove(&tab_key("a")).unwrap();
    let (p, notices) = a.reload_from_other_tab(&saved);
    assert!(notices.is_empty());
    assert_eq!(p, saved);
    assert!(
        shared.get(&tab_key("a")).unwrap().is_some(),
        "restored at once"
    );
    assert_eq!(tab(&shared, "c").progress(), &saved);
}

#[test]
fn a_tab_of_an_older_release_writing_the_single_blob_is_heard() {
    let (shared, mut a, _b) = two_tabs();
    let shown = a.save(&sample()).unwrap();
    let mut old = Progress::default();
    old.set_learned("rpo", true);
    shared.set(STORAGE_KEY, &export_json(&old)).unwrap();
    let (p, notices) = a.reload_from_other_tab(&shown);
    assert!(notices.is_empty(), "{notices:?}");
    assert!(p.is_learned("rpo") && p.is_learned("drain"));
    a.save(&p).unwrap();
    assert_eq!(
        shared.get(STORAGE_KEY).unwrap(),
        None,
        "held by our key now"
    );
    assert!(tab(&shared, "c").progress().is_learned("rpo"));
}

#[test]
fn a_change_after_close_goes_to_a_new_key() {
    let shared = MemoryStore::new();
    let mut a = tab(&shared, "a");
    let mut p = a.progress().clone();
    p.set_learned("drain", true);
    let p = a.save(&p).unwrap();
    a.close().unwrap();
    let closed = shared.get(&tab_key("a")).unwrap();
    let mut q = p.clone();
    q.set_learned("rpo", true);
    a.save(&q).unwrap();
    assert_ne!(a.tab(), "a");
    assert!(is_valid_tab_id(a.tab()));
    // The closed key was either left exactly as closed or folded away.
    let now = shared.get(&tab_key("a")).unwrap();
    assert!(now.is_none() || now == closed);
    let fresh = tab(&shared, "z");
    assert!(fresh.progress().is_learned("drain") && fresh.progress().is_learned("rpo"));
}

#[test]
fn a_page_that_is_only_looked_at_writes_nothing() {
    let shared = MemoryStore::new();
    let mut a = tab(&shared, "a");
    let p = a.progress().clone();
    a.save(&p).unwrap();
    a.close().unwrap();
    assert!(shared.snapshot().is_empty());
}

#[test]
fn closed_tabs_are_folded_into_the_next_and_removed() {
    let shared = MemoryStore::new();
    for (i, t) in ["drain", "cell", "rpo"].iter().enumerate() {
        let mut ps = tab(&shared, &format!("t{i}"));
        let mut p = ps.progress().clone();
        p.set_learned(t, true);
        ps.save(&p).unwrap();
        ps.close().unwrap();
    }
    // Only the last closed key can remain: each load folds the earlier ones.
    assert!(keys_with(&shared, TAB_KEY_PREFIX).len() <= 2);
    let next = tab(&shared, "n");
    assert_eq!(keys_with(&shared, TAB_KEY_PREFIX), vec![tab_key("n")]);
    for t in ["drain", "cell", "rpo"] {
        assert!(next.progress().is_learned(t), "{t}");
    }
    // A tab that is still open is never folded away.
    let mut live = tab(&shared, "live");
    let mut p = live.progress().clone();
    p.set_learned("cell", false);
    live.save(&p).unwrap();
    let _other = tab(&shared, "o");
    assert!(shared.get(&tab_key("live")).unwrap().is_some());
}

#[test]
fn a_crashed_tab_is_folded_away_once_stale_and_a_reopened_tab_moves_on() {
    let shared = MemoryStore::new();
    let (mut old, _) = ProgressStore::load(shared.clone(), "old", 1_000);
    let mut p = old.progress().clone();
    p.set_learned("drain", true);
    old.save(&p).unwrap();
    // Never closed. A day later it stays; a month later it is folded.
    let (_, _) = ProgressStore::load(shared.clone(), "day", 1_000 + 86_400_000);
    assert!(shared.get(&tab_key("old")).unwrap().is_some());
    let (late, _) = ProgressStore::load(shared.clone(), "late", 1_000 + STALE_TAB_MS + 1);
    assert!(shared.get(&tab_key("old")).unwrap().is_none());
    assert!(late.progress().is_learned("drain"));
    // Had "old" still been open, it writes its key back when it hears of it.
    let shown = old.progress().clone();
    old.reload_from_other_tab(&shown);
    assert!(shared.get(&tab_key("old")).unwrap().is_some());

    // Back from the page cache: a new id, and the closed key is folded in.
    let mut t = tab(&shared, "first");
    let mut p = t.progress().clone();
    p.set_learned("rpo", true);
    t.save(&p).unwrap();
    t.close().unwrap();
    t.reopen("second", 5).unwrap();
    assert_eq!(t.tab(), "second");
    assert!(shared.get(&tab_key("first")).unwrap().is_none());
    assert!(tab(&shared, "z").progress().is_learned("rpo"));
}

// ------------------------------------------- ledger laws and interleavings

fn ledger() -> impl Strategy<Value = Ledger> {
    prop::collection::vec((0usize..3, prop::collection::vec(op(), 1..4)), 0..8).prop_map(|edits| {
        // Three tabs editing and hearing each other at random points.
        let mut tabs = [Ledger::default(), Ledger::default(), Ledger::default()];
        for (t, ops) in edits {
            let before = tabs[t].view();
            let mut after = before.clone();
            apply(&mut after, &ops);
            tabs[t].record(&format!("t{t}"), &before, &after);
            if ops.len() == 2 {
                let other = tabs[(t + 1) % 3].clone();
                tabs[t].join(&other);
            }
        }
        let [a, _, _] = tabs;
        a
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn join_is_commutative(a in ledger(), b in ledger()) {
        prop_assert_eq!(a.clone().joined(&b), b.joined(&a));
    }

    #[test]
    fn join_is_associative(a in ledger(), b in ledger(), c in ledger()) {
        prop_assert_eq!(a.clone().joined(&b).joined(&c), a.joined(&b.joined(&c)));
    }

    #[test]
    fn join_is_idempotent(a in ledger(), b in ledger()) {
        prop_assert_eq!(a.clone().joined(&a), a.clone());
        let ab = a.clone().joined(&b);
        prop_assert_eq!(ab.clone().joined(&b), ab);
    }

    #[test]
    fn tab_blob_round_trips(l in ledger(), closed in any::<bool>(), opened in any::<u64>()) {
        let blob = TabBlob { ledger: l, closed, opened_ms: opened };
        let d = decode_tab(&encode_tab(&blob)).unwrap();
        prop_assert!(d.skipped.is_empty());
        prop_assert_eq!(d.blob, blob);
    }

    #[test]
    fn a_recorded_change_always_shows(l in ledger(), ops in prop::collection::vec(op(), 1..6)) {
        let mut l = l;
        let before = l.view();
        let mut after = before.clone();
        apply(&mut after, &ops);
        l.record("me", &before, &after);
        prop_assert_eq!(content(&l.view()), content(&after));
    }
}

/// One tab's window on a shared storage whose reads can lag: while frozen,
/// the tab reads the storage as it was when frozen (plus its own writes), as a
/// renderer process does when another tab's write has not reached it yet.
/// Writes always land.
#[derive(Clone)]
struct Lagging {
    shared: MemoryStore,
    frozen: std::rc::Rc<std::cell::RefCell<Option<BTreeMap<String, String>>>>,
}

impl Lagging {
    fn new(shared: &MemoryStore) -> Self {
        Lagging {
            shared: shared.clone(),
            frozen: Default::default(),
        }
    }
    fn freeze(&self) {
        *self.frozen.borrow_mut() = Some(self.shared.snapshot());
    }
    fn thaw(&self) {
        *self.frozen.borrow_mut() = None;
    }
}

impl KeyValueStore for Lagging {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        match &*self.frozen.borrow() {
            Some(snap) => Ok(snap.get(key).cloned()),
            None => self.shared.get(key),
        }
    }
    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        if let Some(snap) = &mut *self.frozen.borrow_mut() {
            snap.insert(key.to_owned(), value.to_owned());
        }
        self.shared.set(key, value)
    }
    fn remove(&self, key: &str) -> Result<(), StoreError> {
        if let Some(snap) = &mut *self.frozen.borrow_mut() {
            snap.remove(key);
        }
        self.shared.remove(key)
    }
    fn keys(&self) -> Result<Vec<String>, StoreError> {
        match &*self.frozen.borrow() {
            Some(snap) => Ok(snap.keys().cloned().collect()),
            None => self.shared.keys(),
        }
    }
}

#[derive(Clone, Debug)]
enum TabStep {
    /// A click: change the view and save at once (what the UI does).
    Click(usize, Op),
    /// A change not saved yet.
    Edit(usize, Op),
    Save(usize),
    Reload(usize),
    /// From now on this tab reads a stale storage...
    Freeze(usize),
    /// ...until now.
    Thaw(usize),
    /// The tab loads another document (a reload, an old lab.html link): closes, and a new page
    /// load with a new id takes its place.
    Navigate(usize),
    /// `pagehide` without the page going away (it comes back and is used).
    Hide(usize),
}

fn additive_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        slug().prop_map(|s| Op::Learn(s, true)),
        slug().prop_map(|s| Op::Spot(s, true)),
        (slug(), 0u8..3).prop_map(|(s, i)| Op::Tick(s, i, true)),
        (slug(), 1u32..20).prop_map(|(s, n)| Op::Complete(s, n)),
        (slug(), 0u32..3).prop_map(|(s, d)| Op::Review(s, ReviewResult::Good, d)),
        (slug(), 0u64..3).prop_map(|(s, at)| Op::Answer(s, at, 3)),
        slug().prop_map(|s| Op::Lesson(s, true)),
        slug().prop_map(Op::Lab),
    ]
}

fn tab_steps(tabs: usize, op: BoxedStrategy<Op>) -> impl Strategy<Value = Vec<TabStep>> {
    prop::collection::vec(
        prop_oneof![
            4 => (0..tabs, op.clone()).prop_map(|(t, o)| TabStep::Click(t, o)),
            1 => (0..tabs, op).prop_map(|(t, o)| TabStep::Edit(t, o)),
            1 => (0..tabs).prop_map(TabStep::Save),
            1 => (0..tabs).prop_map(TabStep::Reload),
            2 => (0..tabs).prop_map(TabStep::Freeze),
            1 => (0..tabs).prop_map(TabStep::Thaw),
            1 => (0..tabs).prop_map(TabStep::Navigate),
            1 => (0..tabs).prop_map(TabStep::Hide),
        ],
        0..48,
    )
}

/// Runs the steps on `n` tabs over one storage. Returns the storage as the
/// steps left it, the tabs, their windows and their views.
#[allow(clippy::type_complexity)]
fn run_steps(
    n: usize,
    steps: &[TabStep],
) -> (
    MemoryStore,
    Vec<ProgressStore<Lagging>>,
    Vec<Lagging>,
    Vec<Progress>,
) {
    let shared = MemoryStore::new();
    let windows: Vec<Lagging> = (0..n).map(|_| Lagging::new(&shared)).collect();
    let mut pages = 0;
    let mut open = |w: &Lagging| {
        pages += 1;
        ProgressStore::load(w.clone(), &format!("p{pages}"), 0).0
    };
    let mut stores: Vec<_> = windows.iter().map(&mut open).collect();
    let mut views: Vec<Progress> = stores.iter().map(|s| s.progress().clone()).collect();
    for step in steps {
        match step {
            TabStep::Click(t, op) => {
                apply(&mut views[*t], std::slice::from_ref(op));
                views[*t] = stores[*t].save(&views[*t]).unwrap();
            }
            TabStep::Edit(t, op) => apply(&mut views[*t], std::slice::from_ref(op)),
            TabStep::Save(t) => views[*t] = stores[*t].save(&views[*t]).unwrap(),
            TabStep::Reload(t) => views[*t] = stores[*t].reload_from_other_tab(&views[*t]).0,
            TabStep::Freeze(t) => windows[*t].freeze(),
            TabStep::Thaw(t) => windows[*t].thaw(),
            TabStep::Navigate(t) => {
                // The UI saves every change at once, so nothing is pending.
                views[*t] = stores[*t].save(&views[*t]).unwrap();
                stores[*t].close().unwrap();
                stores[*t] = open(&windows[*t]);
                views[*t] = stores[*t].progress().clone();
            }
            TabStep::Hide(t) => {
                views[*t] = stores[*t].save(&views[*t]).unwrap();
                stores[*t].close().unwrap();
            }
        }
    }
    (shared, stores, windows, views)
}

/// Runs the steps, then lets every tab hear every other (all thawed, each
/// saves, then each reloads).
fn run_tabs(n: usize, steps: &[TabStep]) -> (MemoryStore, Vec<Progress>) {
    let (shared, mut stores, windows, mut views) = run_steps(n, steps);
    for w in &windows {
        w.thaw();
    }
    for t in 0..n {
        views[t] = stores[t].save(&views[t]).unwrap();
    }
    for t in 0..n {
        views[t] = stores[t].reload_from_other_tab(&views[t]).0;
    }
    (shared, views)
}

/// What the clicks marked (edits not saved yet are not expected in storage).
fn clicked_union(steps: &[TabStep]) -> Progress {
    let mut expected = Progress::default();
    for s in steps {
        if let TabStep::Click(_, op) = s {
            apply(&mut expected, std::slice::from_ref(op));
        }
    }
    expected
}

fn expected_union(steps: &[TabStep]) -> Progress {
    let mut expected = Progress::default();
    for s in steps {
        if let TabStep::Click(_, op) | TabStep::Edit(_, op) = s {
            apply(&mut expected, std::slice::from_ref(op));
        }
    }
    expected
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever the interleaving of clicks, saves, storage events, stale
    /// reads and navigations in two tabs, storage holds every clicked mark
    /// as soon as the clicks are done (no tab has to save again), and once
    /// the tabs hear each other they show every mark.
    #[test]
    fn two_tabs_lose_no_mark(steps in tab_steps(2, additive_op().boxed())) {
        let (stored_now, _, _, _) = run_steps(2, &steps);
        let fresh = ProgressStore::load(stored_now, "fresh", 0).0;
        let now = fresh.progress();
        prop_assert_eq!(content(&merge(now, &clicked_union(&steps))), content(now), "a mark was lost");
        let (shared, views) = run_tabs(2, &steps);
        let expected = expected_union(&steps);
        prop_assert_eq!(content(&views[0]), content(&expected));
        prop_assert_eq!(&views[0], &views[1]);
        let (stored, notices) = ProgressStore::load(shared, "fresh", 0);
        prop_assert!(notices.is_empty(), "{:?}", notices);
        prop_assert_eq!(stored.progress(), &views[0]);
    }

    /// The same with three tabs.
    #[test]
    fn three_tabs_lose_no_mark(steps in tab_steps(3, additive_op().boxed())) {
        let (stored_now, _, _, _) = run_steps(3, &steps);
        let fresh = ProgressStore::load(stored_now, "fresh", 0).0;
        let now = fresh.progress();
        prop_assert_eq!(content(&merge(now, &clicked_union(&steps))), content(now), "a mark was lost");
        let (shared, views) = run_tabs(3, &steps);
        let expected = expected_union(&steps);
        for v in &views {
            prop_assert_eq!(content(v), content(&expected));
        }
        let (stored, _) = ProgressStore::load(shared, "fresh", 0);
        prop_assert_eq!(content(stored.progress()), content(&expected));
    }

    /// With removals too, every tab converges on what is stored.
    #[test]
    fn tabs_converge(steps in tab_steps(3, op().boxed())) {
        let (shared, views) = run_tabs(3, &steps);
        prop_assert_eq!(&views[0], &views[1]);
        prop_assert_eq!(&views[1], &views[2]);
        let (stored, _) = ProgressStore::load(shared, "fresh", 0);
        prop_assert_eq!(stored.progress(), &views[0]);
    }
}

// ---------- version 3: the review log, review settings, lessons ----------

use vango_study_lab::review::{Grade, Review as Answered};

/// A version-2 blob exactly as the landed release exported it.
const REAL_V2: &str = r##"{
  "version": 2,
  "updated": 14,
  "learned_terms": ["drain", "route-epoch"],
  "cards": {"logs-as-truth": {"spotted": true, "ticked": [0, 2]}},
  "scenarios": {"promote-basic": {"best_steps": 5}},
  "reviews": [{"item": "drain", "result": "good", "day": 3}],
  "last_place": "#/glossary/drain",
  "last_place_at": 12,
  "theme": "dark",
  "theme_at": 9
}"##;

#[test]
fn migrate_v2_to_v3_carries_everything_and_adds_the_review_fields() {
    let v2: Value = serde_json::from_str(REAL_V2).unwrap();
    let v3 = migrate_v2_to_v3(v2.clone()).unwrap();
    assert_eq!(v3["version"], json!(3));
    for (k, v) in v2.as_object().unwrap() {
        if k != "version" {
            assert_eq!(&v3[k], v, "{k} is carried over unchanged");
        }
    }
    assert_eq!(v3["answers"], json!([]));
    assert_eq!(v3["lessons_done"], json!([]));
    assert_eq!(
        v3["review_settings"],
        json!({"retention_percent": 90, "new_per_day": 10})
    );
    assert_eq!(
        migrate_v2_to_v3(v3.clone()).unwrap(),
        v3,
        "idempotent on what it adds"
    );
    assert!(migrate_v2_to_v3(json!([1])).is_err());

    let d = decode(REAL_V2).unwrap();
    assert_eq!(d.migrated_from, Some(2));
    let p = d.progress;
    assert!(p.is_learned("drain") && p.is_learned("route-epoch"));
    assert!(p.is_spotted("logs-as-truth") && p.is_ticked("logs-as-truth", 2));
    assert_eq!(p.scenario("promote-basic").map(|r| r.best_steps), Some(5));
    assert_eq!(
        p.reviews().len(),
        1,
        "the placeholder review is kept, not converted"
    );
    assert_eq!(p.last_place(), Some("#/glossary/drain"));
    assert_eq!(p.theme(), Theme::Dark);
    assert!(p.answers().is_empty());
}

fn answer(at: u64, item: &str, grade: Grade) -> Answered {
    Answered {
        at,
        item: item.into(),
        grade,
    }
}

#[test]
fn answers_settings_and_lessons_round_trip_through_export_and_import() {
    let mut p = Progress::default();
    assert!(p.record_answer(answer(1_000, "definition/drain", Grade::Good)));
    assert!(p.record_answer(answer(2_000, "signals/logs-as-truth", Grade::Again)));
    assert!(
        !p.record_answer(answer(3_000, "nonsense/drain", Grade::Good)),
        "not a review item"
    );
    assert!(!p.record_answer(answer(3_000, "definition/BAD", Grade::Good)));
    p.record_answer(answer(1_000, "definition/drain", Grade::Good));
    assert_eq!(p.answers().len(), 2, "the log is a set");
    p.set_review_retention(200);
    assert_eq!(p.review_settings().retention_percent, 97, "clamped");
    p.set_new_per_day(5);
    p.set_lesson_done("stateful-is-not-magic", true);
    assert!(p.is_lesson_done("stateful-is-not-magic") && !p.is_blank());

    let back = import_json(&export_json(&p), &known()).unwrap();
    assert_eq!(back.progress, p);
    assert!(back.skipped.is_empty(), "{:?}", back.skipped);

    // Unknown items and lessons are reported, not silently kept or dropped.
    let mut q = p.clone();
    q.record_answer(answer(5_000, "trap/not-a-term", Grade::Hard));
    q.set_lesson_done("lesson-from-the-future", true);
    let back = import_json(&export_json(&q), &known()).unwrap();
    assert_eq!(back.progress.answers().len(), 2);
    assert!(!back.progress.is_lesson_done("lesson-from-the-future"));
    assert_eq!(back.skipped.len(), 2, "{:?}", back.skipped);
}

#[test]
fn prediction_and_explain_answers_are_kept_by_tabs_export_and_import() {
    let mut p = Progress::default();
    assert!(p.record_answer(answer(1_000, "prediction/promote-basic/3", Grade::Good)));
    assert!(p.record_answer(answer(1_500, "prediction/promote-basic/0", Grade::Hard)));
    assert!(p.record_answer(answer(2_000, "explain/who-owns-the-route", Grade::Easy)));
    for bad in [
        "prediction/promote-basic",
        "prediction/promote-basic/",
        "prediction/promote-basic/03",
        "prediction/promote-basic/-1",
        "prediction/promote-basic/12345",
        "prediction/Promote/1",
        "prediction/promote-basic/1/2",
        "explain/",
        "explain/a/b",
    ] {
        assert!(!p.record_answer(answer(3_000, bad, Grade::Good)), "{bad}");
    }
    assert_eq!(p.answers().len(), 3);

    // Another tab reads every answer back from the stored marks.
    let store = MemoryStore::new();
    let (mut a, _) = ProgressStore::load(store.clone(), "a", 0);
    a.save(&p).unwrap();
    let (b, _) = ProgressStore::load(store, "b", 0);
    assert_eq!(b.progress().answers(), p.answers());

    // Export and import keep them while the drill and lesson exist here.
    let back = import_json(&export_json(&p), &known()).unwrap();
    assert_eq!(back.progress.answers(), p.answers());
    assert!(back.skipped.is_empty(), "{:?}", back.skipped);
    let mut q = p.clone();
    q.record_answer(answer(
        4_000,
        "prediction/drill-from-the-future/2",
        Grade::Good,
    ));
    q.record_answer(answer(4_000, "explain/lesson-from-the-future", Grade::Good));
    let back = import_json(&export_json(&q), &known()).unwrap();
    assert_eq!(back.progress.answers(), p.answers());
    assert_eq!(back.skipped.len(), 2, "{:?}", back.skipped);
}

#[test]
fn an_older_export_imported_by_merge_keeps_todays_review_log() {
    let mut today = Progress::default();
    today.record_answer(answer(10, "trap/drain", Grade::Easy));
    today.set_new_per_day(20);
    let older = import_json(REAL_V2, &known()).unwrap();
    assert_eq!(older.migrated_from, Some(2));
    let merged = merge(&today, &older.progress);
    assert_eq!(merged.answers(), today.answers());
    assert_eq!(
        merged.review_settings().new_per_day,
        20,
        "the newer setting wins"
    );
    assert!(merged.is_learned("drain") && merged.is_spotted("logs-as-truth"));
    assert_eq!(
        merge(&older.progress, &today),
        merged,
        "merge is commutative"
    );
}

#[test]
fn two_tabs_answering_at_the_same_instant_keep_every_answer() {
    let store = MemoryStore::new();
    let (mut a, _) = ProgressStore::load(store.clone(), "a", 0);
    let (mut b, _) = ProgressStore::load(store.clone(), "b", 0);
    for i in 0..50u64 {
        let mut pa = a.progress().clone();
        pa.record_answer(answer(i, "definition/drain", Grade::Good));
        let mut pb = b.progress().clone();
        pb.record_answer(answer(i, "trap/drain", Grade::Hard));
        pb.set_lesson_done("who-owns-the-route", true);
        a.save(&pa).unwrap();
        b.save(&pb).unwrap();
    }
    let (c, _) = ProgressStore::load(store, "c", 0);
    assert_eq!(c.progress().answers().len(), 100);
    assert!(c.progress().is_lesson_done("who-owns-the-route"));
}

#[test]
fn a_tried_decision_lab_is_saved_exported_merged_and_checked_on_import() {
    let mut p = Progress::default();
    assert!(!p.set_lab_tried("Not A Slug"));
    assert!(p.set_lab_tried("wake-request"));
    assert!(p.is_lab_tried("wake-request") && !p.is_blank());
    // Saved as a mark of its own: a second tab sees it, a reset clears it.
    let store = MemoryStore::new();
    let (mut a, _) = ProgressStore::load(store.clone(), "a", 0);
    a.save(&p).unwrap();
    let (b, _) = ProgressStore::load(store, "b", 0);
    assert!(b.progress().is_lab_tried("wake-request"));
    assert!(!p.reset_learning().is_lab_tried("wake-request"));
    // Export and import keep it; a lab this version does not have is reported.
    let back = import_json(&export_json(&p), &known()).unwrap();
    assert_eq!(back.progress, p);
    let mut q = p.clone();
    q.set_lab_tried("lab-from-the-future");
    let back = import_json(&export_json(&q), &known()).unwrap();
    assert!(!back.progress.is_lab_tried("lab-from-the-future"));
    assert_eq!(back.skipped.len(), 1, "{:?}", back.skipped);
    // Merge is a union.
    let mut r = Progress::default();
    r.set_lab_tried("route-event");
    let m = merge(&p, &r);
    assert!(m.is_lab_tried("wake-request") && m.is_lab_tried("route-event"));
    assert_eq!(merge(&r, &p), m);
    // An older (v2) file has no labs: it migrates with none tried.
    let older = import_json(REAL_V2, &known()).unwrap();
    assert!(older.progress.labs_tried().is_empty());
}
