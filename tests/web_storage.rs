#![cfg(target_arch = "wasm32")]
//! `BrowserStore` against the real `window.localStorage` (headless browser).
//!
//! Run: CHROMEDRIVER=/usr/bin/chromedriver \
//!      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!      cargo test --target wasm32-unknown-unknown --test web_storage

use vango_study_lab::progress::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const FILLER_PREFIX: &str = "vango-test-filler/";

fn storage() -> web_sys::Storage {
    web_sys::window()
        .expect("window")
        .local_storage()
        .expect("localStorage getter")
        .expect("localStorage present")
}

/// Removes every key this suite may have written.
fn clean() {
    let s = storage();
    let n = s.length().unwrap_or(0);
    let keys: Vec<String> = (0..n).filter_map(|i| s.key(i).ok().flatten()).collect();
    for k in keys {
        if k.starts_with("vango-study-lab") || k.starts_with(FILLER_PREFIX) {
            let _ = s.remove_item(&k);
        }
    }
}

fn sample() -> Progress {
    let mut p = Progress::default();
    for t in ["drain", "cell", "rpo", "jetstream", "route-owner"] {
        p.set_learned(t, true);
    }
    p.set_spotted("logs-as-truth", true);
    p.tick_signal("logs-as-truth", 1, true);
    p.complete_scenario("drain-a-cell", 6);
    p.set_last_place(Some("#/glossary/drain"));
    p.set_theme(Theme::Dark);
    p
}

#[wasm_bindgen_test]
fn open_probes_and_leaves_nothing_behind() {
    clean();
    let store = BrowserStore::open().expect("localStorage works in the test browser");
    assert_eq!(store.get("vango-study-lab/probe").unwrap(), None);
    assert_eq!(store.get(STORAGE_KEY).unwrap(), None);
    clean();
}

#[wasm_bindgen_test]
fn round_trip_through_local_storage() {
    clean();
    let (mut ps, notices) = ProgressStore::load(BrowserStore::open().unwrap(), "a", 0);
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(ps.mode(), &Mode::Persisted);
    let saved = ps.save(&sample()).unwrap();
    assert_eq!(saved.learned_terms(), sample().learned_terms());

    let raw = storage().get_item(&tab_key("a")).unwrap().expect("saved");
    assert!(raw.contains("\"version\":3"));
    assert_eq!(storage().get_item(STORAGE_KEY).unwrap(), None);

    let (again, notices) = ProgressStore::load(BrowserStore::open().unwrap(), "b", 0);
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(again.progress(), &saved);
    assert_eq!(again.progress().theme(), Theme::Dark);
    assert_eq!(
        again
            .progress()
            .scenario("drain-a-cell")
            .unwrap()
            .best_steps,
        6
    );
    clean();
}

#[wasm_bindgen_test]
fn v1_blob_is_migrated_in_the_browser() {
    clean();
    let v1 = r#"{"version":1,"learned":["drain"],"spotted":["logs-as-truth"]}"#;
    storage().set_item(STORAGE_KEY, v1).unwrap();
    let (ps, notices) = ProgressStore::load(BrowserStore::open().unwrap(), "a", 0);
    assert_eq!(notices, vec![Notice::Migrated { from: 1 }]);
    assert!(ps.progress().is_learned("drain") && ps.progress().is_spotted("logs-as-truth"));
    // Held in the tab's own key now, so the old blob is gone.
    assert_eq!(storage().get_item(STORAGE_KEY).unwrap(), None);
    assert!(storage().get_item(&tab_key("a")).unwrap().is_some());
    clean();
}

#[wasm_bindgen_test]
fn corrupt_blob_is_kept_aside() {
    clean();
    let corrupt = "{\"version\":2,\"learned_terms\":[\"drai";
    storage().set_item(STORAGE_KEY, corrupt).unwrap();
    let (mut ps, notices) = ProgressStore::load(BrowserStore::open().unwrap(), "a", 0);
    assert_eq!(ps.progress(), &Progress::default());
    let key = match &notices[..] {
        [Notice::Damaged { kept_under, .. }] => kept_under.clone(),
        other => panic!("expected one Damaged notice, got {other:?}"),
    };
    assert!(key.starts_with(DAMAGED_KEY_PREFIX), "{key}");
    assert_eq!(storage().get_item(&key).unwrap().as_deref(), Some(corrupt));
    assert_eq!(ps.damaged_blobs(), vec![(key.clone(), corrupt.to_owned())]);
    // A save leaves the kept blob untouched.
    ps.save(&sample()).unwrap();
    assert_eq!(storage().get_item(&key).unwrap().as_deref(), Some(corrupt));
    clean();
}

/// Fills localStorage until even small writes fail. Returns how many filler
/// keys were written and whether a QuotaExceeded was observed via
/// `BrowserStore::set`.
fn fill_storage(store: &BrowserStore) -> (usize, bool) {
    let mut chunk = 1usize << 20; // 1 MiB of chars
    let mut written = 0usize;
    let mut saw_quota = false;
    while chunk >= 16 {
        let value = "x".repeat(chunk);
        loop {
            let key = format!("{FILLER_PREFIX}{written}");
            match store.set(&key, &value) {
                Ok(()) => written += 1,
                Err(StoreError::QuotaExceeded) => {
                    saw_quota = true;
                    break;
                }
                Err(e) => panic!("unexpected error while filling: {e:?}"),
            }
            assert!(written < 10_000, "storage never filled up");
        }
        chunk /= 4;
    }
    (written, saw_quota)
}

#[wasm_bindgen_test]
fn full_quota_reports_notice_and_keeps_memory() {
    clean();
    let (mut ps, notices) = ProgressStore::load(BrowserStore::open().unwrap(), "a", 0);
    assert!(notices.is_empty(), "{notices:?}");
    let filler_store = BrowserStore::open().unwrap();
    let (written, saw_quota) = fill_storage(&filler_store);
    assert!(written > 0);
    assert!(
        saw_quota,
        "DOMException QuotaExceededError maps to StoreError::QuotaExceeded"
    );

    let p = sample();
    let result = ps.save(&p);
    // Clean up before asserting so a failure does not leave the browser full.
    let own_after = storage().get_item(&tab_key("a")).unwrap();
    clean();

    assert_eq!(result, Err(Notice::QuotaExceeded));
    assert!(Notice::QuotaExceeded
        .message()
        .contains("will not survive a reload"));
    assert_eq!(
        ps.progress().learned_terms(),
        p.learned_terms(),
        "memory progress intact"
    );
    assert_eq!(ps.mode(), &Mode::Persisted);
    assert_eq!(own_after, None);

    // With space again, the next save goes through.
    let shown = ps.progress().clone();
    assert_eq!(ps.save(&shown).unwrap(), shown);
    assert!(storage().get_item(&tab_key("a")).unwrap().is_some());
    clean();
}

#[wasm_bindgen_test]
fn two_stores_over_one_local_storage_merge() {
    clean();
    let (mut a, _) = ProgressStore::load(BrowserStore::open().unwrap(), "a", 0);
    let (mut b, _) = ProgressStore::load(BrowserStore::open().unwrap(), "b", 0);
    let mut pa = Progress::default();
    pa.set_learned("drain", true);
    let pa = a.save(&pa).unwrap();
    let mut pb = Progress::default();
    pb.set_learned("rpo", true);
    let saved = b.save(&pb).unwrap();
    assert!(saved.is_learned("drain") && saved.is_learned("rpo"));
    let (merged, notices) = a.reload_from_other_tab(&pa);
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(merged, saved);
    // Each tab wrote only its own key.
    assert!(storage().get_item(&tab_key("a")).unwrap().is_some());
    assert!(storage().get_item(&tab_key("b")).unwrap().is_some());
    clean();
}

#[wasm_bindgen_test]
fn keys_lists_every_key() {
    clean();
    let store = BrowserStore::open().unwrap();
    store.set(&tab_key("k1"), "x").unwrap();
    store.set(&tab_key("k2"), "y").unwrap();
    let keys = store.keys().unwrap();
    assert!(keys.contains(&tab_key("k1")) && keys.contains(&tab_key("k2")));
    clean();
}
