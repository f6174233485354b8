//! The storage adapter: a tiny key-value trait, an in-memory implementation
//! for tests (and as the fallback), and [`ProgressStore`], which owns every
//! rule about what may be written where.
//!
//! Keys used:
//! * [`tab_key`]`(id)` — one per open tab (page load): that tab's
//!   [`Ledger`], written by that tab only (see `ledger.rs` for why);
//! * [`STORAGE_KEY`] — the single blob of versions 1 and 2. It is read and
//!   folded in; once this tab's own key holds it, it is removed (if it still
//!   holds the same text). Never written.
//! * `DAMAGED_KEY_PREFIX<n>-<tab>` — unreadable blobs set aside byte-for-byte.
//!   Never overwritten (the tab id makes the name unique to the writer); the
//!   same content is never stored twice. Only the learner removes them
//!   ([`ProgressStore::discard_damaged`]). There is no fixed number of them.
//! * [`THEME_KEY`] — a copy of the theme (`light` or `dark`; absent for the
//!   system's), read by `public/boot.js` before the first paint. Never read
//!   back here: the ledger stays the truth, and a bad copy only tints one load.
//!
//! Compaction: a tab that closes marks its blob `closed` and never writes it
//! again; the next tab to read it folds it into its own key and only then
//! removes it (if unchanged). A key left by a crashed tab is treated the same
//! once it is [`STALE_TAB_MS`] old. Should a live tab's key be removed anyway
//! (devtools, a race), that tab writes it back when it hears of the removal.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use super::ledger::{
    decode_tab, encode_tab, is_valid_tab_id, tab_key, Ledger, TabBlob, LEDGER_VERSION,
    MAX_TAB_ID_LEN, TAB_KEY_PREFIX,
};
use super::merge::merge;
use super::migrate::{decode, DecodeError};
use super::schema::{Progress, Theme, MAX_BLOB_BYTES, STORAGE_KEY};

/// The theme's mirror for the boot script (see the module comment).
pub const THEME_KEY: &str = "vango-study-lab/theme";

/// Prefix of the keys holding set-aside unreadable blobs.
pub const DAMAGED_KEY_PREFIX: &str = "vango-study-lab/progress/damaged/";
/// A tab key nobody has closed is folded away once its tab opened this long
/// ago (30 days, in ms): its tab has crashed or is long gone.
pub const STALE_TAB_MS: u64 = 30 * 24 * 60 * 60 * 1000;

/// A storage failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// Storage cannot be used at all (disabled, SecurityError, no window).
    Unavailable(String),
    /// The write did not fit (QuotaExceededError).
    QuotaExceeded,
    /// Anything else.
    Other(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Unavailable(r) => write!(f, "storage is unavailable: {r}"),
            StoreError::QuotaExceeded => write!(f, "storage is full"),
            StoreError::Other(r) => write!(f, "storage error: {r}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// Minimal string key-value storage (the shape of `window.localStorage`).
pub trait KeyValueStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError>;
    fn set(&self, key: &str, value: &str) -> Result<(), StoreError>;
    fn remove(&self, key: &str) -> Result<(), StoreError>;
    /// Every key present.
    fn keys(&self) -> Result<Vec<String>, StoreError>;
}

#[derive(Debug, Default)]
struct MemoryInner {
    map: RefCell<BTreeMap<String, String>>,
    /// Maximum of Σ (key bytes + value bytes); `None` = unlimited.
    quota: Cell<Option<usize>>,
    /// When set, every operation fails with `Unavailable(reason)`.
    unavailable: RefCell<Option<String>>,
}

/// In-memory [`KeyValueStore`]. Clones share the same map, so two clones
/// behave like two tabs over one `localStorage`. Can simulate a quota and an
/// unavailable storage.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    inner: Rc<MemoryInner>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }
    /// A store that refuses writes once keys + values exceed `bytes`.
    pub fn with_quota(bytes: usize) -> Self {
        let s = Self::default();
        s.set_quota(Some(bytes));
        s
    }
    pub fn set_quota(&self, bytes: Option<usize>) {
        self.inner.quota.set(bytes);
    }
    /// `Some(reason)`: every call fails with `StoreError::Unavailable(reason)`.
    pub fn set_unavailable(&self, reason: Option<&str>) {
        *self.inner.unavailable.borrow_mut() = reason.map(str::to_owned);
    }
    /// Copy of all entries.
    pub fn snapshot(&self) -> BTreeMap<String, String> {
        self.inner.map.borrow().clone()
    }
    /// Bytes used (keys + values).
    pub fn used_bytes(&self) -> usize {
        self.inner
            .map
            .borrow()
            .iter()
            .map(|(k, v)| k.len() + v.len())
            .sum()
    }
    fn check(&self) -> Result<(), StoreError> {
        match &*self.inner.unavailable.borrow() {
            Some(r) => Err(StoreError::Unavailable(r.clone())),
            None => Ok(()),
        }
    }
}

impl KeyValueStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.check()?;
        Ok(self.inner.map.borrow().get(key).cloned())
    }
    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.check()?;
        if let Some(quota) = self.inner.quota.get() {
            let old = self
                .inner
                .map
                .borrow()
                .get(key)
                .map_or(0, |v| key.len() + v.len());
            if self.used_bytes() - old + key.len() + value.len() > quota {
                return Err(StoreError::QuotaExceeded);
            }
        }
        self.inner
            .map
            .borrow_mut()
            .insert(key.to_owned(), value.to_owned());
        Ok(())
    }
    fn remove(&self, key: &str) -> Result<(), StoreError> {
        self.check()?;
        self.inner.map.borrow_mut().remove(key);
        Ok(())
    }
    fn keys(&self) -> Result<Vec<String>, StoreError> {
        self.check()?;
        Ok(self.inner.map.borrow().keys().cloned().collect())
    }
}

/// Where progress currently lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Saved to storage.
    Persisted,
    /// Storage cannot be used; progress lives in memory only and will not
    /// survive a reload. The string says why. Every save tries storage
    /// again, and the mode returns to `Persisted` when one succeeds.
    MemoryOnly(String),
}

/// Something the learner should be told (a banner). `message()` is the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// Stored progress was unreadable; we started fresh and kept the blob
    /// untouched under `kept_under` (offer a download).
    Damaged { kept_under: String, reason: String },
    /// Stored progress was partly readable; what could be read was loaded,
    /// the original is kept untouched under `kept_under`.
    PartlyRecovered {
        kept_under: String,
        skipped: Vec<String>,
    },
    /// Progress from an older version was upgraded.
    Migrated { from: u32 },
    /// Progress was written by a newer version; what this version
    /// understands is shown, and that data is never overwritten or removed.
    NewerVersion { found: u32 },
    /// Storage cannot be used; memory only (lasting).
    StorageUnavailable(String),
    /// Storage is full; the last change is only in memory.
    QuotaExceeded,
    /// The progress record itself is over the size limit and was not saved.
    TooLargeToSave { bytes: usize },
    /// Any other failed save.
    SaveFailed(String),
}

impl Notice {
    /// Plain English for a banner.
    pub fn message(&self) -> String {
        match self {
            Notice::Damaged { reason, .. } => format!(
                "Your saved progress could not be read ({reason}), so you are starting \
                 fresh. The unreadable data was kept, untouched: download it if you \
                 want to keep or inspect it. It stays listed on the Progress page."
            ),
            Notice::PartlyRecovered { skipped, .. } => format!(
                "Part of your saved progress could not be read ({} entr{} skipped). \
                 Everything else was loaded, and the original was kept untouched: \
                 download it if you want to keep or inspect it. It stays listed on the \
                 Progress page.",
                skipped.len(),
                if skipped.len() == 1 {
                    "y was"
                } else {
                    "ies were"
                }
            ),
            Notice::Migrated { from } => format!(
                "Your progress was upgraded from an older format (version {from}). \
                 Nothing was lost."
            ),
            Notice::NewerVersion { found } => format!(
                "Some progress was saved by a newer version of this app (format {found}). \
                 It is shown as far as this version understands it and is never \
                 overwritten; changes made here are saved beside it. Reload to get the \
                 newer version."
            ),
            Notice::StorageUnavailable(reason) => format!(
                "This browser is not letting the app use local storage ({reason}). \
                 Your progress will not survive a reload; export it to keep it."
            ),
            Notice::QuotaExceeded => "Browser storage is full, so your latest progress \
                 was not saved and will not survive a reload. The app keeps trying with \
                 every change; free some space for this site or export your progress."
                .to_owned(),
            Notice::TooLargeToSave { bytes } => format!(
                "Your progress has grown too large to save ({} KiB; the limit is {} KiB). \
                 Export it to keep it.",
                bytes.div_ceil(1024),
                MAX_BLOB_BYTES / 1024
            ),
            Notice::SaveFailed(reason) => format!(
                "Your latest progress could not be saved ({reason}). It will not survive \
                 a reload; export it to keep it."
            ),
        }
    }

    /// The storage key whose blob the banner should offer for download.
    pub fn download_key(&self) -> Option<&str> {
        match self {
            Notice::Damaged { kept_under, .. } | Notice::PartlyRecovered { kept_under, .. } => {
                Some(kept_under)
            }
            _ => None,
        }
    }
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

fn notice_for(e: StoreError) -> Notice {
    match e {
        StoreError::Unavailable(r) => Notice::StorageUnavailable(r),
        StoreError::QuotaExceeded => Notice::QuotaExceeded,
        StoreError::Other(r) => Notice::SaveFailed(r),
    }
}

/// The one owner of persisted progress for one tab. See the module docs for
/// the keys, and `ledger.rs` for why each tab writes only its own key.
#[derive(Debug)]
pub struct ProgressStore<S: KeyValueStore> {
    backend: Option<S>,
    mode: Mode,
    /// This tab's id; it writes [`tab_key`]`(tab)` and nothing else but
    /// set-aside copies.
    tab: String,
    opened_ms: u64,
    closed: bool,
    /// Every mark this tab knows: its own changes joined with every key read.
    ledger: Ledger,
    /// The view last handed out: the learner's next change is a diff from it.
    view: Progress,
    /// The text last written to our key.
    written: Option<String>,
    /// Text last read at each other key (to skip re-reading unchanged keys).
    seen: BTreeMap<String, String>,
    /// Keys (with the text read) already folded into `ledger` that may be
    /// removed once our key holds them.
    foldable: Vec<(String, String)>,
    /// Notices found while saving (another tab's damaged or newer blob).
    pending: Vec<Notice>,
    /// How many times `save` went on under a new id after `close`.
    reopens: u32,
}

fn damaged_number(key: &str) -> Option<u64> {
    let rest = key.strip_prefix(DAMAGED_KEY_PREFIX)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

impl<S: KeyValueStore> ProgressStore<S> {
    fn new(backend: Option<S>, mode: Mode, tab: &str, opened_ms: u64) -> Self {
        ProgressStore {
            backend,
            mode,
            // The caller picks the id; a bad one still gets a usable key.
            tab: if is_valid_tab_id(tab) {
                tab.to_owned()
            } else {
                "tab".to_owned()
            },
            opened_ms,
            closed: false,
            ledger: Ledger::default(),
            view: Progress::default(),
            written: None,
            seen: BTreeMap::new(),
            foldable: Vec::new(),
            pending: Vec::new(),
            reopens: 0,
        }
    }

    /// A store with no storage at all (e.g. `BrowserStore::open` failed).
    pub fn memory_only(reason: impl Into<String>) -> (Self, Vec<Notice>) {
        let reason = reason.into();
        let store = Self::new(None, Mode::MemoryOnly(reason.clone()), "memory", 0);
        (store, vec![Notice::StorageUnavailable(reason)])
    }

    /// Reads progress from `backend` as tab `tab` (a fresh id per page load,
    /// `[a-z0-9]{1,32}`), at `now_ms` (the browser's clock; only used to
    /// recognise keys left by long-crashed tabs). Never fails: problems become
    /// notices and a mode (`mode()`), and progress is always usable.
    pub fn load(backend: S, tab: &str, now_ms: u64) -> (Self, Vec<Notice>) {
        let mut store = Self::new(Some(backend), Mode::Persisted, tab, now_ms);
        if let Err(e) = store.backend_op(|b| b.keys()) {
            return (store, vec![notice_for(e)]);
        }
        store.read_all(Some(now_ms));
        let mut notices = std::mem::take(&mut store.pending);
        store.view = store.ledger.view();
        if !store.foldable.is_empty() {
            // Finish the upgrade / compaction now: once our key holds what we
            // folded, the old keys can go.
            if let Err(n) = store.write_own() {
                notices.push(n);
            }
        }
        (store, notices)
    }

    /// Reads the old single blob (a tab of an older release may still write
    /// it) and every other tab's key, and joins them in.
    fn read_all(&mut self, now_ms: Option<u64>) {
        if let Ok(Some(text)) = self.backend_op(|b| b.get(STORAGE_KEY)) {
            if self.seen.get(STORAGE_KEY) != Some(&text) {
                self.seen.insert(STORAGE_KEY.to_owned(), text.clone());
                let mut notices = Vec::new();
                self.fold_single_blob(text, &mut notices);
                self.pending.append(&mut notices);
            }
        }
        self.read_tabs(now_ms);
    }

    /// Folds the version-1/2 single blob in (or sets it aside if unreadable).
    fn fold_single_blob(&mut self, text: String, notices: &mut Vec<Notice>) {
        match decode(&text) {
            Err(e) => match self.keep_aside(&text) {
                Ok(key) => {
                    self.remove_if_unchanged(STORAGE_KEY, &text);
                    notices.push(Notice::Damaged {
                        kept_under: key,
                        reason: e.to_string(),
                    });
                }
                // Left where it is: we never write that key, so it is safe
                // there and listed with the other damaged blobs.
                Err(_) => notices.push(Notice::Damaged {
                    kept_under: STORAGE_KEY.to_owned(),
                    reason: e.to_string(),
                }),
            },
            Ok(d) => {
                self.ledger.join(&Ledger::from_progress(&d.progress));
                let mut removable = d.newer.is_none();
                if !d.skipped.is_empty() {
                    let kept_under = match self.keep_aside(&text) {
                        Ok(key) => key,
                        Err(_) => {
                            removable = false;
                            STORAGE_KEY.to_owned()
                        }
                    };
                    notices.push(Notice::PartlyRecovered {
                        kept_under,
                        skipped: d.skipped,
                    });
                }
                if let Some(found) = d.newer {
                    notices.push(Notice::NewerVersion { found });
                }
                if let Some(from) = d.migrated_from {
                    notices.push(Notice::Migrated { from });
                }
                if removable {
                    self.foldable.push((STORAGE_KEY.to_owned(), text));
                }
            }
        }
    }

    /// Reads every other tab's key and joins it in. `now_ms` (at load) also
    /// marks keys of long-gone tabs for compaction.
    fn read_tabs(&mut self, now_ms: Option<u64>) {
        let own = tab_key(&self.tab);
        let Ok(keys) = self.backend_op(|b| b.keys()) else {
            return;
        };
        for key in keys {
            if !key.starts_with(TAB_KEY_PREFIX) || key == own {
                continue;
            }
            let Ok(Some(text)) = self.backend_op(|b| b.get(&key)) else {
                continue;
            };
            if self.seen.get(&key) == Some(&text) {
                continue;
            }
            self.seen.insert(key.clone(), text.clone());
            match decode_tab(&text) {
                Ok(d) => {
                    self.ledger.join(&d.blob.ledger);
                    let gone = d.blob.closed
                        || now_ms
                            .is_some_and(|n| d.blob.opened_ms.saturating_add(STALE_TAB_MS) < n);
                    // Partly unreadable blobs stay: they may hold marks a
                    // newer version can read.
                    if gone && d.skipped.is_empty() {
                        self.foldable.push((key, text));
                    }
                }
                Err(DecodeError::Shape { version, .. }) if version > LEDGER_VERSION => {
                    let n = Notice::NewerVersion { found: version };
                    if !self.pending.contains(&n) {
                        self.pending.push(n);
                    }
                }
                Err(e) => {
                    let kept_under = match self.keep_aside(&text) {
                        Ok(k) => {
                            // Its tab, if still open, writes its key back.
                            self.remove_if_unchanged(&key, &text);
                            k
                        }
                        Err(_) => key,
                    };
                    self.pending.push(Notice::Damaged {
                        kept_under,
                        reason: e.to_string(),
                    });
                }
            }
        }
    }

    /// Where progress lives right now.
    pub fn mode(&self) -> &Mode {
        &self.mode
    }

    /// `true` when changes reach storage.
    pub fn is_persisted(&self) -> bool {
        self.mode == Mode::Persisted
    }

    /// The latest progress this store knows (after load / save / reload),
    /// including changes that could not be written.
    pub fn progress(&self) -> &Progress {
        &self.view
    }

    /// This tab's id.
    pub fn tab(&self) -> &str {
        &self.tab
    }

    /// The joined ledger (for tests and diagnostics).
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// Keep [`THEME_KEY`] equal to `theme`, writing only when it differs.
    /// Best effort: a failure leaves the next load's first paint in the
    /// system theme until the app starts, nothing more.
    pub fn mirror_theme(&self, theme: Theme) {
        let Some(b) = self.backend.as_ref() else {
            return;
        };
        let want = match theme {
            Theme::System => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        };
        if b.get(THEME_KEY).ok().flatten().as_deref() == want {
            return;
        }
        let _ = match want {
            Some(v) => b.set(THEME_KEY, v),
            None => b.remove(THEME_KEY),
        };
    }

    /// The storage backend, if any.
    pub fn backend(&self) -> Option<&S> {
        self.backend.as_ref()
    }

    fn backend_op<T>(
        &mut self,
        op: impl FnOnce(&S) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let Some(b) = self.backend.as_ref() else {
            return Err(StoreError::Unavailable("no storage".into()));
        };
        let r = op(b);
        if let Err(StoreError::Unavailable(reason)) = &r {
            self.mode = Mode::MemoryOnly(reason.clone());
        }
        r
    }

    fn remove_if_unchanged(&mut self, key: &str, text: &str) {
        if let Ok(Some(now)) = self.backend_op(|b| b.get(key)) {
            if now == text {
                let _ = self.backend_op(|b| b.remove(key));
            }
        }
    }

    /// Copies `text` to a new damaged key (or finds it already there). The
    /// name carries our tab id, so no other tab can pick the same one.
    fn keep_aside(&mut self, text: &str) -> Result<String, StoreError> {
        let keys = self.backend_op(|b| b.keys())?;
        let mut next = 1;
        for key in keys.iter().filter(|k| k.starts_with(DAMAGED_KEY_PREFIX)) {
            if self.backend_op(|b| b.get(key))?.as_deref() == Some(text) {
                return Ok(key.clone());
            }
            next = next.max(damaged_number(key).unwrap_or(0).saturating_add(1));
        }
        let key = format!("{DAMAGED_KEY_PREFIX}{next}-{}", self.tab);
        self.backend_op(|b| b.set(&key, text))?;
        Ok(key)
    }

    /// Writes our ledger to our key (if it changed or went missing), then
    /// removes what it now holds for others.
    fn write_own(&mut self) -> Result<(), Notice> {
        if self.backend.is_none() {
            if let Mode::MemoryOnly(r) = &self.mode {
                return Err(Notice::StorageUnavailable(r.clone()));
            }
        }
        if self.written.is_none() && self.ledger == Ledger::default() {
            // Nothing to keep yet: a page that is only looked at writes nothing.
            return Ok(());
        }
        let own = tab_key(&self.tab);
        let text = encode_tab(&TabBlob {
            ledger: self.ledger.clone(),
            closed: self.closed,
            opened_ms: self.opened_ms,
        });
        if text.len() > MAX_BLOB_BYTES {
            return Err(Notice::TooLargeToSave { bytes: text.len() });
        }
        let current = self.backend_op(|b| b.get(&own)).map_err(notice_for)?;
        if current.as_ref() != Some(&text) {
            // On a full storage this fails and the old value stays as it was;
            // the change is kept in memory and every later save retries.
            self.backend_op(|b| b.set(&own, &text))
                .map_err(notice_for)?;
        }
        self.written = Some(text);
        self.mode = Mode::Persisted;
        for (key, seen) in std::mem::take(&mut self.foldable) {
            self.remove_if_unchanged(&key, &seen);
            self.seen.remove(&key);
        }
        Ok(())
    }

    /// Records the learner's change from the last view to `p` and returns the
    /// new view (with every other tab's marks folded in).
    fn absorb(&mut self, p: &Progress) -> Progress {
        let before = std::mem::take(&mut self.view);
        self.ledger.record(&self.tab, &before, p);
        if self.backend.is_some() {
            self.read_all(None);
        }
        self.view = self.ledger.view();
        self.view.clone()
    }

    /// Saves `p` (the learner's latest progress, derived from the last value
    /// this store returned). Only this tab's key is written, so no other tab's
    /// marks can be erased, whatever the timing. Returns what to show: `p`
    /// plus everything other tabs saved. On error the change is still kept in
    /// memory (`progress()` holds what to show) and the next save retries.
    pub fn save(&mut self, p: &Progress) -> Result<Progress, Notice> {
        if self.closed {
            // A change after `close` (the page was not gone after all): the
            // closed key may be being folded away, so go on under a new id.
            // The tab's random id stays its prefix, so the new one is unique.
            self.reopens += 1;
            let base: String = self.tab.chars().take(MAX_TAB_ID_LEN - 8).collect();
            let next = format!("{base}r{}", self.reopens);
            let at = self.opened_ms;
            let _ = self.reopen(&next, at);
        }
        let shown = self.absorb(p);
        self.write_own()?;
        Ok(shown)
    }

    /// Saves exactly `p` as this tab's choice (reset, undo, import-replace):
    /// what it removed is cleared everywhere. Keep the previous `Progress`
    /// for undo. Marks another tab adds at the same time survive.
    pub fn replace(&mut self, p: &Progress) -> Result<Progress, Notice> {
        self.save(p)
    }

    /// Undoes a reset (or a replacing import): brings `previous` back on
    /// top of `current`, keeping anything added since (here or in another
    /// tab). `previous` is the value the caller kept before the reset.
    pub fn undo_replace(
        &mut self,
        current: &Progress,
        previous: &Progress,
    ) -> Result<Progress, Notice> {
        self.save(&merge(current, previous))
    }

    /// Call on the `storage` event for any progress key (another tab saved,
    /// or a key was removed). Returns `ours` with every other tab's changes
    /// folded in; show the result. Writes only to put our own key back if it
    /// was removed, or to set aside an unreadable blob.
    pub fn reload_from_other_tab(&mut self, ours: &Progress) -> (Progress, Vec<Notice>) {
        let shown = self.absorb(ours);
        let mut notices = std::mem::take(&mut self.pending);
        // A closed key is left to be folded away; the next save moves on.
        if self.written.is_some() && !self.closed {
            let own = tab_key(&self.tab);
            let present = self.backend_op(|b| b.get(&own)).ok().flatten();
            if present != self.written {
                if let Err(n) = self.write_own() {
                    notices.push(n);
                }
            }
        }
        (shown, notices)
    }

    /// Notices found by the last save (another tab's unreadable or newer
    /// blob). `reload_from_other_tab` returns its own.
    pub fn take_notices(&mut self) -> Vec<Notice> {
        std::mem::take(&mut self.pending)
    }

    /// The page is going away: mark our key closed, so the next tab may fold
    /// it into its own and remove it. Nothing is written to it after this,
    /// unless [`ProgressStore::reopen`] is called.
    pub fn close(&mut self) -> Result<(), Notice> {
        self.closed = true;
        self.write_own()
    }

    /// The page came back (from the back/forward cache) after `close`:
    /// continue under a fresh id, since another tab may already be folding
    /// the closed key away.
    pub fn reopen(&mut self, tab: &str, now_ms: u64) -> Result<(), Notice> {
        if !self.closed || !is_valid_tab_id(tab) || tab == self.tab {
            return Ok(());
        }
        if let Some(old) = self.written.take() {
            self.foldable.push((tab_key(&self.tab), old));
        }
        self.tab = tab.to_owned();
        self.opened_ms = now_ms;
        self.closed = false;
        self.write_own()
    }

    /// Every kept unreadable blob as `(key, text)`, for download: the
    /// set-aside copies, and any unreadable blob that could not be moved.
    pub fn damaged_blobs(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let Some(b) = self.backend.as_ref() else {
            return out;
        };
        let Ok(keys) = b.keys() else {
            return out;
        };
        for key in keys {
            let Ok(Some(text)) = b.get(&key) else {
                continue;
            };
            let unreadable = if key.starts_with(DAMAGED_KEY_PREFIX) {
                true
            } else if key == STORAGE_KEY {
                decode(&text).is_err()
            } else if key.starts_with(TAB_KEY_PREFIX) {
                matches!(decode_tab(&text), Err(e) if !matches!(e, DecodeError::Shape { version, .. } if version > LEDGER_VERSION))
            } else {
                false
            };
            if unreadable {
                out.push((key, text));
            }
        }
        out.sort_by_key(|(k, _)| (damaged_number(k), k.clone()));
        out
    }

    /// Deletes a kept blob the learner has downloaded (or chosen to drop).
    /// Only a key [`ProgressStore::damaged_blobs`] lists can go this way.
    pub fn discard_damaged(&mut self, key: &str) -> Result<(), Notice> {
        if !self.damaged_blobs().iter().any(|(k, _)| k == key) {
            return Err(Notice::SaveFailed(format!("{key:?} is not a kept blob")));
        }
        self.backend_op(|b| b.remove(key)).map_err(notice_for)?;
        self.seen.remove(key);
        Ok(())
    }
}
