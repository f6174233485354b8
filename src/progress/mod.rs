//! Learner progress: schema, version, migrations, serialization, merge,
//! import validation and the storage adapter. The rest of the app reads and
//! writes progress only through this module.
//!
//! Plain types, no reactivity. Nothing here panics on any input.
//!
//! Storage keys (all under `localStorage`):
//! * `vango-study-lab/progress/tab/<id>` — one per page load, written by that
//!   page only: its ledger of marks, `{"version": 3, ...}` (`ledger.rs` says
//!   why two tabs must never share a key);
//! * `vango-study-lab/progress` — the single blob of versions 1 and 2, read,
//!   folded in and removed once a tab key holds it; never written;
//! * `vango-study-lab/progress/damaged/<n>-<id>` — unreadable blobs, kept
//!   byte-for-byte, never overwritten, removed only by
//!   `ProgressStore::discard_damaged` after the learner downloads them;
//! * `vango-study-lab/probe` — written and removed at once by
//!   `BrowserStore::open` to prove storage works.
//!
//! Typical use (UI side):
//! ```ignore
//! let (mut store, notices) = ProgressStore::open_browser(tab, now_ms); // wasm32; memory-only fallback
//! // show each notice.message() as a banner (Damaged/PartlyRecovered: offer
//! // notice.download_key() / store.damaged_blobs() for download);
//! // start from store.progress().clone().
//! // On every change:  match store.save(&p) { Ok(saved) => p = saved, Err(n) => banner(n) }
//! // On the window `storage` event for any progress key, or None (clear()):
//! //     let (merged, notices) = store.reload_from_other_tab(&p); p = merged;
//! // Reset:   let undo = p.clone(); p = store.replace(&p.reset_learning())?;  undo: store.undo_replace(&p, &undo)
//! // Page hidden for good: store.close();  shown again from the cache: store.reopen(new_id, now_ms)
//! // Import:  let imp = import_json(&text, &known)?;  merge(&p, &imp.progress) then save,
//! //          or store.replace(&imp.progress) (keep p for undo).
//! ```

mod import;
mod ledger;
mod merge;
mod migrate;
mod schema;
mod store;

#[cfg(all(target_arch = "wasm32", feature = "ui"))]
mod browser;

pub use import::{export_json, import_json, ImportError, Imported, Known};
pub use ledger::{
    decode_tab, encode_tab, is_valid_tab_id, tab_key, DecodedTab, Ledger, Mark, Register, Stamp,
    TabBlob, LEDGER_VERSION, MAX_TAB_ID_LEN, TAB_KEY_PREFIX,
};
pub use merge::merge;
pub use migrate::{
    decode, migrate_to_current, migrate_v1_to_v2, migrate_v2_to_v3, read_version, DecodeError,
    Decoded,
};
pub use schema::{
    is_valid_item_key, is_valid_place, is_valid_slug, Answer, CardProgress, Progress, Review,
    ReviewResult, ScenarioResult, Theme, CURRENT_VERSION, MAX_BLOB_BYTES, MAX_PLACE_LEN,
    MAX_SLUG_LEN, SIGNALS_PER_CARD, STORAGE_KEY,
};
pub use store::{
    KeyValueStore, MemoryStore, Mode, Notice, ProgressStore, StoreError, DAMAGED_KEY_PREFIX,
    STALE_TAB_MS, THEME_KEY,
};

#[cfg(all(target_arch = "wasm32", feature = "ui"))]
pub use browser::BrowserStore;
