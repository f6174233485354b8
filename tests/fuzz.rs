#![cfg(not(target_arch = "wasm32"))]
//! Fuzzing on the host, bounded, inside `cargo test`: every reader of an
//! outside input (URL fragment, share link, stored progress, imported file)
//! gets arbitrary bytes and mutations of valid inputs. None may panic, and a
//! stored blob is never dropped: it is read, or kept byte-for-byte.
//!
//! `tests/fuzz_corpus/` holds inputs that once broke something or are tricky;
//! each is replayed through every reader. Add a file there for each new find.

use std::fs;
use std::path::Path;

use proptest::prelude::*;
use vango_study_lab::content::catalog;
use vango_study_lab::progress::*;
use vango_study_lab::route::{percent_decode, Route};
use vango_study_lab::share::{LabLink, LinkStart};

fn known() -> Known<'static> {
    Known {
        terms: Box::leak(catalog().term_slugs().into_boxed_slice()),
        cards: Box::leak(catalog().card_slugs().into_boxed_slice()),
        scenarios: &["drain-a-cell"],
        lessons: &["stateful-is-not-magic"],
        labs: &["wake-request"],
    }
}

/// Every link reader: none panics; a parsed route prints a link that parses
/// back to the same route.
fn read_link(text: &str) {
    let r = Route::parse(text);
    if !matches!(r, Route::NotFound(_)) {
        assert_eq!(Route::parse(&r.href()), r, "round trip of {text:?}");
    }
    let _ = r.title(Some(text));
    if let Route::Lab { state: Some(s) } = &r {
        let _ = LabLink::decode(s);
    }
    let _ = LabLink::decode(text);
    let _ = LabLink::decode(&percent_decode(text));
}

/// Every progress reader, and the store over the text as the old single blob
/// and as another tab's key: no panic, nothing dropped, saving still works.
fn read_progress(text: &str) {
    let _ = decode(text);
    let _ = decode_tab(text);
    let _ = import_json(text, &known());

    let store = MemoryStore::new();
    store.set(STORAGE_KEY, text).unwrap();
    store.set(&tab_key("other"), text).unwrap();
    let (mut ps, _) = ProgressStore::load(store.clone(), "me", 0);
    let snap = store.snapshot();
    let readable = decode(text).is_ok_and(|d| d.skipped.is_empty());
    let tab_readable = decode_tab(text).is_ok_and(|d| d.skipped.is_empty());
    if !(readable && tab_readable) {
        assert!(snap.values().any(|v| v == text), "blob dropped: {text:?}");
    }
    let mut p = ps.progress().clone();
    p.set_learned("drain", true);
    ps.save(&p).expect("saving works whatever was stored");
    let (again, _) = ProgressStore::load(store.clone(), "next", 0);
    assert!(again.progress().is_learned("drain"));
}

fn valid_blobs() -> Vec<String> {
    let mut p = Progress::default();
    p.set_learned("drain", true);
    p.tick_signal("logs-as-truth", 2, true);
    p.complete_scenario("drain-a-cell", 7);
    p.add_review("drain", ReviewResult::Good, 3);
    p.set_last_place(Some("#/glossary/drain"));
    let mut ledger = Ledger::default();
    ledger.record("a", &Progress::default(), &p);
    vec![
        export_json(&p),
        r#"{"version":1,"learned":["drain","rpo"],"spotted":["logs-as-truth"]}"#.to_owned(),
        encode_tab(&TabBlob {
            ledger,
            closed: true,
            opened_ms: 5,
        }),
    ]
}

fn valid_links() -> Vec<String> {
    vec![
        "#/glossary/drain?category=nats".into(),
        "#/anti-patterns/logs-as-truth".into(),
        "#/lab?v1~drain-a-cell~7~3~a.b-c.d_e~2".into(),
        "#/lab?scenario=drain-a-cell".into(),
        "#/progress".into(),
        "".into(),
    ]
}

/// A mutation of `base`: flip, insert, delete or truncate at some positions.
fn mutated(bases: Vec<String>) -> impl Strategy<Value = String> {
    (
        prop::sample::select(bases),
        prop::collection::vec((any::<u16>(), any::<u8>(), 0u8..4), 1..6),
    )
        .prop_map(|(base, edits)| {
            let mut b = base.into_bytes();
            for (pos, byte, kind) in edits {
                let at = if b.is_empty() {
                    0
                } else {
                    pos as usize % b.len()
                };
                match kind {
                    0 if !b.is_empty() => b[at] = byte,
                    1 => b.insert(at, byte),
                    2 if !b.is_empty() => {
                        b.remove(at);
                    }
                    _ => b.truncate(at),
                }
            }
            // Storage and fragments hold strings: bytes that are not UTF-8
            // arrive as U+FFFD.
            String::from_utf8_lossy(&b).into_owned()
        })
}

fn arbitrary_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..300)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        ".{0,200}",
        "[#/?=&%~.a-z0-9{}\\[\\]\":,]{0,120}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 400,
        max_shrink_time: 10_000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn links_never_panic_on_arbitrary_text(s in arbitrary_text()) {
        read_link(&s);
    }

    #[test]
    fn links_never_panic_on_mutated_links(s in mutated(valid_links())) {
        read_link(&s);
    }

    #[test]
    fn progress_readers_never_panic_or_drop_arbitrary_text(s in arbitrary_text()) {
        read_progress(&s);
    }

    #[test]
    fn progress_readers_never_panic_or_drop_mutated_blobs(s in mutated(valid_blobs())) {
        read_progress(&s);
    }
}

#[test]
fn corpus_replays() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_corpus");
    let mut n = 0;
    for entry in fs::read_dir(&dir).expect("tests/fuzz_corpus") {
        let path = entry.unwrap().path();
        let bytes = fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        read_link(&text);
        read_progress(&text);
        n += 1;
    }
    assert!(n >= 10, "corpus went missing ({n} files)");
}

#[test]
fn corpus_cases_mean_what_they_say() {
    let read = |name: &str| {
        fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fuzz_corpus")
                .join(name),
        )
        .unwrap()
    };
    let Route::Lab { state: Some(s) } = Route::parse(&read("link_escaped_tilde.txt")) else {
        panic!("not the Lab")
    };
    assert_eq!(
        LabLink::decode(&s).unwrap().start,
        LinkStart::Drill("drain-a-cell".into())
    );
    assert_eq!(
        Route::parse(&read("link_unicode.txt")),
        Route::NotFound("glossary/été?category=%".into())
    );
    let d = decode_tab(&read("tab_hostile_marks.txt")).unwrap();
    assert_eq!(d.skipped.len(), 3, "{:?}", d.skipped);
    assert!(d.blob.ledger.view().is_learned("drain"));
}
