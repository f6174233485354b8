//! `window.localStorage` as a [`KeyValueStore`] (wasm32 only).
//!
//! gloo-storage panics / throws when `window.localStorage` itself is
//! unavailable (disabled storage, sandboxed iframe, SecurityError), so
//! [`BrowserStore::open`] first probes through `web-sys`, and only once
//! storage is proven reachable takes gloo's handle to it. Every failure after
//! that is a [`StoreError`], never a panic.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DomException, Storage};

use super::store::{KeyValueStore, Notice, ProgressStore, StoreError};

/// Key written and removed by [`BrowserStore::open`] to prove storage works.
pub const PROBE_KEY: &str = "vango-study-lab/probe";

/// The browser's `localStorage`.
#[derive(Clone, Debug)]
pub struct BrowserStore {
    storage: Storage,
}

fn describe(e: &JsValue) -> String {
    if let Some(ex) = e.dyn_ref::<DomException>() {
        let msg = ex.message();
        if msg.is_empty() {
            ex.name()
        } else {
            format!("{}: {}", ex.name(), msg)
        }
    } else if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        String::from(err.message())
    } else {
        e.as_string().unwrap_or_else(|| "unknown error".to_owned())
    }
}

/// Maps a thrown JS value to a [`StoreError`].
fn map_err(e: JsValue) -> StoreError {
    if let Some(ex) = e.dyn_ref::<DomException>() {
        let name = ex.name();
        // Chrome/Safari: QuotaExceededError (code 22); Firefox (old):
        // NS_ERROR_DOM_QUOTA_REACHED (code 1014).
        if name == "QuotaExceededError"
            || name == "NS_ERROR_DOM_QUOTA_REACHED"
            || ex.code() == 22
            || ex.code() == 1014
        {
            return StoreError::QuotaExceeded;
        }
        if name == "SecurityError" || name == "InvalidAccessError" {
            return StoreError::Unavailable(describe(&e));
        }
    }
    StoreError::Other(describe(&e))
}

impl BrowserStore {
    /// Opens `localStorage`, proving it works with a set/remove of
    /// [`PROBE_KEY`]. Fails with `Unavailable` when there is no window, the
    /// `localStorage` getter throws or returns null, or the probe is refused
    /// for any reason other than a full quota. A full storage still opens
    /// (it can be read; saves will report `QuotaExceeded`).
    pub fn open() -> Result<BrowserStore, StoreError> {
        let window =
            web_sys::window().ok_or_else(|| StoreError::Unavailable("no window".to_owned()))?;
        let storage = window
            .local_storage()
            .map_err(|e| StoreError::Unavailable(describe(&e)))?
            .ok_or_else(|| StoreError::Unavailable("localStorage is not available".to_owned()))?;
        match storage.set_item(PROBE_KEY, "1") {
            Ok(()) => {
                let _ = storage.remove_item(PROBE_KEY);
            }
            Err(e) => match map_err(e) {
                StoreError::QuotaExceeded => {}
                StoreError::Unavailable(r) | StoreError::Other(r) => {
                    return Err(StoreError::Unavailable(r))
                }
            },
        }
        // Proven reachable above, so gloo's accessor cannot throw here.
        let _ = storage;
        Ok(BrowserStore {
            storage: <gloo_storage::LocalStorage as gloo_storage::Storage>::raw(),
        })
    }

    /// The underlying `Storage` object.
    pub fn storage(&self) -> &Storage {
        &self.storage
    }
}

impl KeyValueStore for BrowserStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.storage.get_item(key).map_err(map_err)
    }
    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.storage.set_item(key, value).map_err(map_err)
    }
    fn remove(&self, key: &str) -> Result<(), StoreError> {
        self.storage.remove_item(key).map_err(map_err)
    }
    fn keys(&self) -> Result<Vec<String>, StoreError> {
        let n = self.storage.length().map_err(map_err)?;
        let mut out = Vec::with_capacity(n as usize);
        for i in 0..n {
            if let Some(k) = self.storage.key(i).map_err(map_err)? {
                out.push(k);
            }
        }
        Ok(out)
    }
}

impl ProgressStore<BrowserStore> {
    /// Opens `localStorage` and loads progress from it, or falls back to
    /// memory only (with a `StorageUnavailable` notice) when it cannot be used.
    /// `tab` and `now_ms` as for [`ProgressStore::load`].
    pub fn open_browser(tab: &str, now_ms: u64) -> (Self, Vec<Notice>) {
        match BrowserStore::open() {
            Ok(store) => ProgressStore::load(store, tab, now_ms),
            Err(e) => ProgressStore::memory_only(match e {
                StoreError::Unavailable(r) | StoreError::Other(r) => r,
                StoreError::QuotaExceeded => "storage is full".to_owned(),
            }),
        }
    }
}
