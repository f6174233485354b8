//! The one bridge between the progress signal and browser storage.
//!
//! An effect is the right tool here: saving is a side effect of the progress
//! value changing, wherever the change came from (a toggle, the Lab, an
//! import). The `storage` event brings another tab's saves in; `pagehide`
//! tells the other tabs this one is gone, so its key can be folded away.

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::app::AppState;
use crate::progress::{
    BrowserStore, Mode, Notice, Progress, ProgressStore, Theme, STORAGE_KEY, TAB_KEY_PREFIX,
};

thread_local! {
    /// The store lives outside the reactive graph: it is plain state with I/O.
    static STORE: RefCell<Option<ProgressStore<BrowserStore>>> = const { RefCell::new(None) };
}

/// What the banners and the Progress page show about saving.
#[derive(Clone, Debug, PartialEq)]
pub struct Saved {
    /// The progress as loaded (the app's signal starts from it).
    pub progress: Progress,
    pub mode: Mode,
    pub notices: Vec<Notice>,
    /// Bumped whenever the set-aside blobs may have changed (the Progress
    /// page lists them).
    pub damaged_version: u32,
}

/// A fresh id for this page load: the key only this page writes. Two tabs
/// must never share one, so it is random (not a counter in storage, which two
/// tabs could read at the same instant).
fn new_tab_id() -> String {
    let mut id = String::new();
    for _ in 0..2 {
        // 2 × 40 bits from Math.random, base 36.
        let mut n = (js_sys::Math::random() * (1u64 << 40) as f64) as u64;
        for _ in 0..8 {
            let d = (n % 36) as u32;
            id.push(char::from_digit(d, 36).unwrap_or('0'));
            n /= 36;
        }
    }
    id
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Open storage and read progress. Never fails: problems become notices.
pub fn open() -> Saved {
    let (store, notices) = match BrowserStore::open() {
        Ok(s) => ProgressStore::load(s, &new_tab_id(), now_ms()),
        Err(e) => ProgressStore::memory_only(e.to_string()),
    };
    let saved = Saved {
        progress: store.progress().clone(),
        mode: store.mode().clone(),
        notices,
        damaged_version: 0,
    };
    STORE.with(|s| *s.borrow_mut() = Some(store));
    saved
}

fn with_store<T>(f: impl FnOnce(&mut ProgressStore<BrowserStore>) -> T) -> Option<T> {
    STORE.with(|s| s.borrow_mut().as_mut().map(f))
}

/// Add a notice unless the same one is already showing (no banner storms).
pub fn notify(state: AppState, notice: Notice) {
    state.saved.update(|s| {
        if notice.download_key().is_some() {
            s.damaged_version += 1;
        }
        if !s.notices.contains(&notice) {
            s.notices.push(notice);
        }
    });
}

/// A save went through: the banners about failing to save are no longer true.
fn saving_works(state: AppState) {
    let stale = |n: &Notice| {
        matches!(
            n,
            Notice::QuotaExceeded
                | Notice::TooLargeToSave { .. }
                | Notice::SaveFailed(_)
                | Notice::StorageUnavailable(_)
        )
    };
    if state.saved.with_untracked(|s| s.notices.iter().any(stale)) {
        state.saved.update(|s| s.notices.retain(|n| !stale(n)));
    }
}

/// Reflect the outcome of a write in the banners and the mode.
fn report(state: AppState, result: Result<(), Notice>, mode: Mode, more: Vec<Notice>) {
    if state.saved.with_untracked(|s| s.mode != mode) {
        state.saved.update(|s| s.mode = mode.clone());
    }
    match result {
        Ok(()) if mode == Mode::Persisted => saving_works(state),
        Ok(()) => {}
        Err(n) => notify(state, n),
    }
    for n in more {
        notify(state, n);
    }
}

/// Save on every change; merge in what other tabs save.
pub fn keep_saved(state: AppState) {
    let progress = state.progress;
    Effect::new(move |last: Option<Progress>| {
        let current = progress.get();
        if last.as_ref() == Some(&current) {
            return current;
        }
        let Some((result, shown, mode, more)) = with_store(|store| {
            let r = store.save(&current).map(|_| ());
            (
                r,
                store.progress().clone(),
                store.mode().clone(),
                store.take_notices(),
            )
        }) else {
            return current;
        };
        report(state, result, mode, more);
        // Show the store's view whether or not it reached storage: the next
        // change is recorded as a difference from it.
        if shown != current {
            progress.set(shown.clone());
        }
        shown
    });

    let listener = window_event_listener(leptos::ev::storage, move |ev| {
        // `None` is `localStorage.clear()`.
        let ours_changed = ev
            .key()
            .is_none_or(|k| k == STORAGE_KEY || k.starts_with(TAB_KEY_PREFIX));
        if !ours_changed {
            return;
        }
        let ours = progress.get_untracked();
        if let Some((merged, notices, mode)) = with_store(|store| {
            let (p, n) = store.reload_from_other_tab(&ours);
            (p, n, store.mode().clone())
        }) {
            report(state, Ok(()), mode, notices);
            if merged != ours {
                progress.set(merged);
            }
        }
    });
    on_cleanup(move || listener.remove());

    // Leaving for good (or into the back/forward cache): say so in our key.
    let hide = window_event_listener_untyped("pagehide", move |_| {
        let _ = with_store(|store| store.close());
    });
    let show = window_event_listener_untyped("pageshow", move |ev| {
        let persisted = js_sys::Reflect::get(&ev, &JsValue::from_str("persisted"))
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if persisted {
            if let Some(r) = with_store(|store| store.reopen(&new_tab_id(), now_ms())) {
                report(
                    state,
                    r,
                    state.saved.with_untracked(|s| s.mode.clone()),
                    vec![],
                );
            }
        }
    });
    on_cleanup(move || {
        hide.remove();
        show.remove();
    });
}

/// Write exactly `p` (reset, undo, import-replace) and show it.
pub fn replace(state: AppState, p: &Progress) {
    show_written(state, |store| store.replace(p));
}

/// Bring back what a reset or a replacing import removed, keeping anything
/// learned since (nothing is ever lost by undo).
pub fn undo_replace(state: AppState, previous: &Progress) {
    let current = state.progress.get_untracked();
    show_written(state, |store| store.undo_replace(&current, previous));
}

/// Show what the store now holds (saved or, if it could not save, kept in
/// memory) and tell the learner why when it could not.
fn show_written(
    state: AppState,
    write: impl FnOnce(&mut ProgressStore<BrowserStore>) -> Result<Progress, Notice>,
) {
    if let Some((result, shown, mode)) = with_store(|store| {
        let r = write(store).map(|_| ());
        (r, store.progress().clone(), store.mode().clone())
    }) {
        report(state, result, mode, vec![]);
        state.progress.set(shown);
    }
}

/// Copy the theme where `public/boot.js` reads it before the first paint.
pub fn mirror_theme(theme: Theme) {
    with_store(|store| store.mirror_theme(theme));
}

/// Every unreadable blob kept aside, as `(key, text)`.
pub fn damaged_blobs() -> Vec<(String, String)> {
    with_store(|store| store.damaged_blobs()).unwrap_or_default()
}

/// Drop a kept blob the learner has downloaded; its banner goes with it.
pub fn discard_damaged(state: AppState, key: &str) {
    match with_store(|store| store.discard_damaged(key)) {
        Some(Err(n)) => notify(state, n),
        _ => state.saved.update(|s| {
            s.damaged_version += 1;
            s.notices.retain(|m| m.download_key() != Some(key));
        }),
    }
}
