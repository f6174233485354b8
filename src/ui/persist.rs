//! The one bridge between the progress signal and browser storage.
//!
//! An effect is the right tool here: saving is a side effect of the progress
//! value changing, wherever the change came from (a toggle, the Lab, an
//! import). The `storage` event brings another tab's saves in.

use std::cell::RefCell;

use leptos::prelude::*;

use super::app::AppState;
use crate::progress::{BrowserStore, Mode, Notice, Progress, ProgressStore, STORAGE_KEY};

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
}

/// Open storage and read progress. Never fails: problems become notices.
pub fn open() -> Saved {
    let (store, notices) = match BrowserStore::open() {
        Ok(s) => ProgressStore::load(s),
        Err(e) => ProgressStore::memory_only(e.to_string()),
    };
    let saved = Saved {
        progress: store.progress().clone(),
        mode: store.mode().clone(),
        notices,
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
        if !s.notices.contains(&notice) {
            s.notices.push(notice);
        }
    });
}

/// Save on every change; merge in what other tabs save.
pub fn keep_saved(state: AppState) {
    let progress = state.progress;
    Effect::new(move |last: Option<Progress>| {
        let current = progress.get();
        if last.as_ref() == Some(&current) {
            return current;
        }
        let result = with_store(|store| (store.save(&current), store.mode().clone()));
        if let Some((result, mode)) = result {
            state.saved.update(|s| s.mode = mode);
            match result {
                Ok(saved) if saved != current => {
                    // Another tab added something: show the union.
                    progress.set(saved.clone());
                    return saved;
                }
                Ok(_) => {}
                Err(notice) => notify(state, notice),
            }
        }
        current
    });

    let listener = window_event_listener(leptos::ev::storage, move |ev| {
        if ev.key().as_deref() != Some(STORAGE_KEY) {
            return;
        }
        let ours = progress.get_untracked();
        if let Some((merged, notices)) = with_store(|store| store.reload_from_other_tab(&ours)) {
            for n in notices {
                notify(state, n);
            }
            if merged != ours {
                progress.set(merged);
            }
        }
    });
    on_cleanup(move || listener.remove());
}

/// Write exactly `p` (reset, undo, import-replace) and show it.
pub fn replace(state: AppState, p: &Progress) {
    show_written(state, p.clone(), |store| store.replace(p));
}

/// Bring back what a reset or a replacing import removed, keeping anything
/// learned since (nothing is ever lost by undo).
pub fn undo_replace(state: AppState, previous: &Progress) {
    let current = state.progress.get_untracked();
    let wanted = crate::progress::merge(&current, previous);
    show_written(state, wanted, |store| {
        store.undo_replace(&current, previous)
    });
}

/// Show what `write` saved; if it could not save, show `wanted` (kept in
/// memory) and tell the learner why.
fn show_written(
    state: AppState,
    wanted: Progress,
    write: impl FnOnce(&mut ProgressStore<BrowserStore>) -> Result<Progress, Notice>,
) {
    match with_store(write) {
        Some(Ok(saved)) => state.progress.set(saved),
        Some(Err(notice)) => {
            notify(state, notice);
            state.progress.set(wanted);
        }
        None => state.progress.set(wanted),
    }
}

/// Every unreadable blob kept aside, as `(key, text)`.
pub fn damaged_blobs() -> Vec<(String, String)> {
    with_store(|store| store.damaged_blobs()).unwrap_or_default()
}

/// Drop a kept blob the learner has downloaded.
pub fn discard_damaged(state: AppState, key: &str) {
    if let Some(Err(n)) = with_store(|store| store.discard_damaged(key)) {
        notify(state, n);
    }
}
