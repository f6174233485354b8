//! The storage adapter: a tiny key-value trait, an in-memory implementation
//! for tests (and as the fallback), and [`ProgressStore`], which owns every
//! rule about what may be written where.
//!
//! Keys used:
//! * [`STORAGE_KEY`] — the current progress blob;
//! * [`backup_key`]`(v)` — the original blob of an older version `v`, kept
//!   while a migration is not yet saved and removed once it is;
//! * [`damaged_key`]`(n)`, `n = 1..=MAX_DAMAGED_SLOTS` — unreadable blobs set
//!   aside byte-for-byte. A slot is never overwritten; the same content is
//!   never stored twice. Only the learner removes them
//!   ([`ProgressStore::discard_damaged`]), after downloading them.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use super::merge::rebase;
use super::migrate::{decode, encode};
use super::schema::{Progress, MAX_BLOB_BYTES, STORAGE_KEY};

/// Prefix of the keys holding set-aside unreadable blobs.
pub const DAMAGED_KEY_PREFIX: &str = "vango-study-lab/progress/damaged/";
/// How many set-aside blobs can be kept at once.
pub const MAX_DAMAGED_SLOTS: u32 = 32;
/// Prefix of the key holding the pre-migration original.
pub const BACKUP_KEY_PREFIX: &str = "vango-study-lab/progress/backup-v";

/// `vango-study-lab/progress/damaged/<n>`.
pub fn damaged_key(n: u32) -> String {
    format!("{DAMAGED_KEY_PREFIX}{n}")
}

/// `vango-study-lab/progress/backup-v<version>`.
pub fn backup_key(version: u32) -> String {
    format!("{BACKUP_KEY_PREFIX}{version}")
}

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
}

/// Where progress currently lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Saved to storage.
    Persisted,
    /// Storage cannot be used; progress lives in memory only and will not
    /// survive a reload. The string says why.
    MemoryOnly(String),
    /// Storage holds progress from a newer release (this version): it is read
    /// but never overwritten; changes live in memory only.
    ReadOnlyNewerVersion(u32),
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
    /// Progress was written by a newer version; it is read-only here.
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
                 want to keep or inspect it."
            ),
            Notice::PartlyRecovered { skipped, .. } => format!(
                "Part of your saved progress could not be read ({} entr{} skipped). \
                 Everything else was loaded, and the original was kept untouched: \
                 download it if you want to keep or inspect it.",
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
                "Your progress was saved by a newer version of this app (format {found}). \
                 It is shown as far as this version understands it, but changes made here \
                 will not be saved, so the newer data is not overwritten. Reload to get \
                 the newer version."
            ),
            Notice::StorageUnavailable(reason) => format!(
                "This browser is not letting the app use local storage ({reason}). \
                 Your progress will not survive a reload; export it to keep it."
            ),
            Notice::QuotaExceeded => "Browser storage is full, so your latest progress \
                 was not saved and will not survive a reload. Free some space for this \
                 site or export your progress."
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

/// The one owner of persisted progress. See the module docs for the keys.
#[derive(Debug)]
pub struct ProgressStore<S: KeyValueStore> {
    backend: Option<S>,
    mode: Mode,
    /// Latest progress known to this store (loaded, merged or handed to save).
    progress: Progress,
    /// What storage held (decoded) when we last read or wrote it.
    base: Progress,
    /// Raw text at `STORAGE_KEY` when we last read or wrote it.
    last_seen: Option<String>,
    /// An unreadable blob that could not be set aside and therefore still
    /// sits at `STORAGE_KEY` (saves are refused until it is discarded).
    damaged_in_place: bool,
    /// Pre-migration original `(version, text)` not yet superseded by a save.
    pending_backup: Option<(u32, String)>,
}

enum Write {
    /// Re-read and three-way merge with what another tab wrote.
    Merge,
    /// Write exactly this (reset, undo, import-replace).
    Replace,
}

impl<S: KeyValueStore> ProgressStore<S> {
    /// A store with no storage at all (e.g. `BrowserStore::open` failed).
    pub fn memory_only(reason: impl Into<String>) -> (Self, Vec<Notice>) {
        let reason = reason.into();
        let store = ProgressStore {
            backend: None,
            mode: Mode::MemoryOnly(reason.clone()),
            progress: Progress::default(),
            base: Progress::default(),
            last_seen: None,
            damaged_in_place: false,
            pending_backup: None,
        };
        (store, vec![Notice::StorageUnavailable(reason)])
    }

    /// Reads progress from `backend`. Never fails: problems become notices and
    /// a mode (`mode()`), and progress is always usable (`progress()`).
    pub fn load(backend: S) -> (Self, Vec<Notice>) {
        let mut store = ProgressStore {
            backend: Some(backend),
            mode: Mode::Persisted,
            progress: Progress::default(),
            base: Progress::default(),
            last_seen: None,
            damaged_in_place: false,
            pending_backup: None,
        };
        let mut notices = Vec::new();
        let text = match store.read_main() {
            Ok(t) => t,
            Err(n) => return (store, vec![n]),
        };
        let Some(text) = text else {
            return (store, notices); // fresh start
        };
        match decode(&text) {
            Err(e) => {
                store.last_seen = Some(text.clone());
                match store.keep_aside(&text) {
                    Ok(key) => {
                        // It is safe elsewhere; clear the main key so the next
                        // load does not trip over it again.
                        if store.remove(STORAGE_KEY).is_ok() {
                            store.last_seen = None;
                        }
                        notices.push(Notice::Damaged {
                            kept_under: key,
                            reason: e.to_string(),
                        });
                    }
                    Err(err) => {
                        store.block_damaged_in_place(&err);
                        notices.push(Notice::Damaged {
                            kept_under: STORAGE_KEY.to_owned(),
                            reason: e.to_string(),
                        });
                        if let StoreError::Unavailable(r) = err {
                            notices.push(Notice::StorageUnavailable(r));
                        }
                    }
                }
            }
            Ok(d) if d.newer.is_some() => {
                let found = d.newer.unwrap_or_default();
                store.mode = Mode::ReadOnlyNewerVersion(found);
                store.progress = d.progress.clone();
                store.base = d.progress;
                store.last_seen = Some(text);
                notices.push(Notice::NewerVersion { found });
            }
            Ok(d) => {
                store.progress = d.progress.clone();
                store.base = d.progress;
                store.last_seen = Some(text.clone());
                if !d.skipped.is_empty() {
                    match store.keep_aside(&text) {
                        Ok(key) => notices.push(Notice::PartlyRecovered {
                            kept_under: key,
                            skipped: d.skipped,
                        }),
                        Err(err) => {
                            store.block_damaged_in_place(&err);
                            notices.push(Notice::PartlyRecovered {
                                kept_under: STORAGE_KEY.to_owned(),
                                skipped: d.skipped,
                            });
                        }
                    }
                } else if let Some(from) = d.migrated_from {
                    store.pending_backup = Some((from, text));
                }
                if let Some(from) = d.migrated_from {
                    notices.push(Notice::Migrated { from });
                    if store.mode == Mode::Persisted {
                        // Complete the migration now; if it fails, the
                        // original stays where it is and we retry on save.
                        let p = store.progress.clone();
                        if let Err(n) = store.save(&p) {
                            notices.push(n);
                        }
                    }
                }
            }
        }
        (store, notices)
    }

    fn block_damaged_in_place(&mut self, err: &StoreError) {
        self.damaged_in_place = true;
        self.mode = Mode::MemoryOnly(format!(
            "unreadable saved progress could not be set aside ({err}), so it is left \
             untouched and nothing new is saved"
        ));
    }

    /// Where progress lives right now.
    pub fn mode(&self) -> &Mode {
        &self.mode
    }

    /// `true` when changes reach storage.
    pub fn is_persisted(&self) -> bool {
        self.mode == Mode::Persisted
    }

    /// The latest progress this store knows (after load / save / reload).
    pub fn progress(&self) -> &Progress {
        &self.progress
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

    fn read_main(&mut self) -> Result<Option<String>, Notice> {
        self.backend_op(|b| b.get(STORAGE_KEY)).map_err(notice_for)
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        self.backend_op(|b| b.remove(key))
    }

    /// Copies `text` into a free damaged slot (or finds it already there).
    fn keep_aside(&mut self, text: &str) -> Result<String, StoreError> {
        for n in 1..=MAX_DAMAGED_SLOTS {
            let key = damaged_key(n);
            match self.backend_op(|b| b.get(&key))? {
                Some(existing) if existing == text => return Ok(key),
                Some(_) => continue,
                None => {
                    self.backend_op(|b| b.set(&key, text))?;
                    return Ok(key);
                }
            }
        }
        Err(StoreError::Other("no free slot for unreadable data".into()))
    }

    /// Saves `p`. Storage is re-read first; if another tab wrote since we
    /// last looked, our changes are applied on top of theirs, so neither
    /// tab erases the other's additions. Returns what was actually saved
    /// (show that). On error `p` is still kept in memory (`progress()`).
    pub fn save(&mut self, p: &Progress) -> Result<Progress, Notice> {
        self.write(p, Write::Merge)
    }

    /// Saves exactly `p`, discarding whatever is stored (reset, undo of a
    /// reset, import-replace). Keep the previous `Progress` for undo.
    pub fn replace(&mut self, p: &Progress) -> Result<Progress, Notice> {
        self.write(p, Write::Replace)
    }

    /// Undoes a reset (or a replacing import): brings `previous` back on
    /// top of `current`, keeping anything added since (here or in another
    /// tab). `previous` is the value the caller kept before the reset.
    pub fn undo_replace(
        &mut self,
        current: &Progress,
        previous: &Progress,
    ) -> Result<Progress, Notice> {
        self.save(&super::merge::merge(current, previous))
    }

    fn write(&mut self, p: &Progress, how: Write) -> Result<Progress, Notice> {
        self.progress = p.clone();
        match &self.mode {
            Mode::Persisted => {}
            Mode::MemoryOnly(r) => return Err(Notice::StorageUnavailable(r.clone())),
            Mode::ReadOnlyNewerVersion(v) => return Err(Notice::NewerVersion { found: *v }),
        }
        let current = self.read_main()?;
        let mut to_write = p.clone();
        if current != self.last_seen {
            // Someone else (another tab) wrote since we last looked.
            match &current {
                // The key was deleted behind our back (devtools, "clear site
                // data"): that is not a learner's decision, so write ours whole.
                None => {}
                Some(text) => match decode(text) {
                    Ok(d) if d.newer.is_some() => {
                        let found = d.newer.unwrap_or_default();
                        self.mode = Mode::ReadOnlyNewerVersion(found);
                        if let Write::Merge = how {
                            self.progress = rebase(&self.base, p, &d.progress);
                        }
                        return Err(Notice::NewerVersion { found });
                    }
                    Ok(d) => {
                        if !d.skipped.is_empty() {
                            // Keep the original before overwriting it.
                            self.keep_aside(text).map_err(notice_for)?;
                        }
                        if let Write::Merge = how {
                            to_write = rebase(&self.base, p, &d.progress);
                        }
                    }
                    Err(_) => {
                        self.keep_aside(text).map_err(notice_for)?;
                    }
                },
            }
        }
        let text = encode(&to_write, false);
        if text.len() > MAX_BLOB_BYTES {
            self.progress = to_write;
            return Err(Notice::TooLargeToSave { bytes: text.len() });
        }
        if let Some((from, original)) = &self.pending_backup {
            let key = backup_key(*from);
            let original = original.clone();
            // Never overwrite a different, earlier backup.
            let existing = self.backend_op(|b| b.get(&key)).map_err(notice_for)?;
            if existing.is_none() {
                // Best effort: the migrated blob holds everything the original
                // did, so a full storage must not block the save itself.
                let _ = self.backend_op(|b| b.set(&key, &original));
            }
        }
        self.progress = to_write.clone();
        self.backend_op(|b| b.set(STORAGE_KEY, &text))
            .map_err(notice_for)?;
        self.last_seen = Some(text);
        self.base = to_write.clone();
        if let Some((from, original)) = self.pending_backup.take() {
            let key = backup_key(from);
            if let Ok(Some(existing)) = self.backend_op(|b| b.get(&key)) {
                if existing == original {
                    let _ = self.remove(&key);
                }
            }
        }
        Ok(to_write)
    }

    /// Call on the `storage` event for [`STORAGE_KEY`] (another tab saved).
    /// Re-reads storage and returns `ours` with the other tab's changes
    /// applied (nothing of either side is lost); show the result. Never
    /// writes, except to set aside an unreadable blob.
    pub fn reload_from_other_tab(&mut self, ours: &Progress) -> (Progress, Vec<Notice>) {
        self.progress = ours.clone();
        if self.backend.is_none() || matches!(self.mode, Mode::MemoryOnly(_)) {
            return (ours.clone(), Vec::new());
        }
        let current = match self.read_main() {
            Ok(c) => c,
            Err(n) => return (ours.clone(), vec![n]),
        };
        if current == self.last_seen {
            return (ours.clone(), Vec::new());
        }
        let mut notices = Vec::new();
        match &current {
            // Deleted behind our back: keep ours whole (the next save
            // writes it back); a reset by another tab arrives as a blob.
            None => {
                self.base = Progress::default();
                self.last_seen = None;
            }
            Some(text) => match decode(text) {
                Ok(d) => {
                    if let Some(found) = d.newer {
                        if self.mode != Mode::ReadOnlyNewerVersion(found) {
                            notices.push(Notice::NewerVersion { found });
                        }
                        self.mode = Mode::ReadOnlyNewerVersion(found);
                    }
                    self.progress = rebase(&self.base, ours, &d.progress);
                    self.base = d.progress;
                    self.last_seen = Some(text.clone());
                }
                Err(e) => match self.keep_aside(text) {
                    Ok(key) => notices.push(Notice::Damaged {
                        kept_under: key,
                        reason: e.to_string(),
                    }),
                    Err(err) => notices.push(notice_for(err)),
                },
            },
        }
        (self.progress.clone(), notices)
    }

    /// Every kept unreadable blob as `(key, text)`, for download.
    pub fn damaged_blobs(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let Some(b) = self.backend.as_ref() else {
            return out;
        };
        if self.damaged_in_place {
            if let Ok(Some(text)) = b.get(STORAGE_KEY) {
                out.push((STORAGE_KEY.to_owned(), text));
            }
        }
        for n in 1..=MAX_DAMAGED_SLOTS {
            let key = damaged_key(n);
            if let Ok(Some(text)) = b.get(&key) {
                out.push((key, text));
            }
        }
        out
    }

    /// Deletes a kept blob the learner has downloaded (or chosen to drop).
    /// Only damaged slots — or the main key while it holds a blob that could
    /// not be set aside — can be discarded this way.
    pub fn discard_damaged(&mut self, key: &str) -> Result<(), Notice> {
        if key == STORAGE_KEY && self.damaged_in_place {
            self.remove(STORAGE_KEY).map_err(notice_for)?;
            self.damaged_in_place = false;
            self.last_seen = None;
            self.base = Progress::default();
            self.mode = Mode::Persisted;
            return Ok(());
        }
        let is_slot = key
            .strip_prefix(DAMAGED_KEY_PREFIX)
            .and_then(|n| n.parse::<u32>().ok())
            .is_some_and(|n| (1..=MAX_DAMAGED_SLOTS).contains(&n));
        if !is_slot {
            return Err(Notice::SaveFailed(format!("{key:?} is not a kept blob")));
        }
        self.remove(key).map_err(notice_for)
    }
}
