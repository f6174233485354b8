//! Reading versioned blobs: size cap, JSON, `"version"`, the pure migration
//! steps (v1 → v2 → ...) and best-effort reading of blobs from a newer
//! release.
//!
//! serde cannot tag by an integer, so the version is read from a
//! `serde_json::Value` first and the body is then deserialized for that
//! version. Each migration step is a pure `Value -> Value` function that
//! takes a blob of version `n` and returns one of version `n + 1`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::schema::{
    CardProgress, Progress, RawProgress, Review, ScenarioResult, Theme, CURRENT_VERSION,
    MAX_BLOB_BYTES,
};

/// Why a blob could not be read at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Larger than [`MAX_BLOB_BYTES`]; not parsed.
    TooLarge { bytes: usize },
    /// Not valid JSON (corrupt or truncated).
    NotJson(String),
    /// Valid JSON, but not an object.
    NotAnObject,
    /// No usable `"version"` (missing, not a positive integer, out of range).
    BadVersion(String),
    /// The version is known but the content does not match its layout
    /// (wrong types, unknown fields).
    Shape { version: u32, detail: String },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::TooLarge { bytes } => write!(
                f,
                "it is too large ({} KiB; the limit is {} KiB)",
                bytes.div_ceil(1024),
                MAX_BLOB_BYTES / 1024
            ),
            DecodeError::NotJson(e) => write!(f, "it is not valid JSON ({e})"),
            DecodeError::NotAnObject => write!(f, "it is not a progress object"),
            DecodeError::BadVersion(e) => write!(f, "it has no usable version number ({e})"),
            DecodeError::Shape { version, detail } => {
                write!(
                    f,
                    "it does not match the version {version} layout ({detail})"
                )
            }
        }
    }
}

impl std::error::Error for DecodeError {}

/// A successfully read blob.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub progress: Progress,
    /// Entries that were present but invalid and therefore dropped
    /// (plus, for a newer version, fields that could not be read).
    pub skipped: Vec<String>,
    /// `Some(v)` when the blob was version `v < CURRENT_VERSION` and was migrated.
    pub migrated_from: Option<u32>,
    /// `Some(v)` when the blob came from a newer release (`v > CURRENT_VERSION`);
    /// `progress` then holds only what this release understands.
    pub newer: Option<u32>,
}

/// Reads the `"version"` field of a blob.
pub fn read_version(v: &Value) -> Result<u32, DecodeError> {
    let obj = v.as_object().ok_or(DecodeError::NotAnObject)?;
    let version = obj
        .get("version")
        .ok_or_else(|| DecodeError::BadVersion("missing".into()))?;
    let n = version
        .as_u64()
        .ok_or_else(|| DecodeError::BadVersion(format!("{version} is not a positive integer")))?;
    match u32::try_from(n) {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(DecodeError::BadVersion(format!("{n} is out of range"))),
    }
}

/// The v1 layout, the first store that shipped.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct V1 {
    #[allow(dead_code)]
    version: u32,
    #[serde(default)]
    learned: Vec<String>,
    #[serde(default)]
    spotted: Vec<String>,
}

/// Migration step v1 → v2: `learned` becomes `learned_terms`, each `spotted`
/// card becomes `{"spotted": true, "ticked": []}`; all new fields take their
/// defaults. Pure; nothing is dropped (invalid slugs are carried over and
/// reported by the v2 reader).
pub fn migrate_v1_to_v2(v1: Value) -> Result<Value, DecodeError> {
    let old: V1 = serde_json::from_value(v1).map_err(|e| DecodeError::Shape {
        version: 1,
        detail: e.to_string(),
    })?;
    let mut cards = Map::new();
    for card in old.spotted {
        cards.insert(card, serde_json::json!({ "spotted": true, "ticked": [] }));
    }
    Ok(serde_json::json!({
        "version": 2,
        "updated": 0,
        "learned_terms": old.learned,
        "cards": cards,
        "scenarios": {},
        "reviews": [],
        "last_place": null,
        "last_place_at": 0,
        "theme": "system",
        "theme_at": 0,
    }))
}

/// Migration step v2 → v3: the review log (`answers`), review settings and
/// completed lessons arrive, empty and at their defaults. Everything a v2
/// blob holds is carried over as it is (its placeholder `reviews` included).
pub fn migrate_v2_to_v3(v2: Value) -> Result<Value, DecodeError> {
    let Value::Object(mut obj) = v2 else {
        return Err(DecodeError::NotAnObject);
    };
    obj.insert("version".into(), 3.into());
    for (key, empty) in [
        ("answers", serde_json::json!([])),
        (
            "review_settings",
            serde_json::to_value(crate::review::Settings::default()).unwrap_or_default(),
        ),
        ("review_settings_at", serde_json::json!(0)),
        ("lessons_done", serde_json::json!([])),
    ] {
        obj.entry(key).or_insert(empty);
    }
    Ok(Value::Object(obj))
}

/// Runs every step from the blob's version up to [`CURRENT_VERSION`].
/// Returns the migrated value and the version it started from.
/// Blobs already at (or beyond) the current version are returned unchanged.
pub fn migrate_to_current(mut v: Value) -> Result<(Value, u32), DecodeError> {
    let from = read_version(&v)?;
    let mut at = from;
    while at < CURRENT_VERSION {
        v = match at {
            1 => migrate_v1_to_v2(v)?,
            2 => migrate_v2_to_v3(v)?,
            // Unreachable while CURRENT_VERSION == 3; kept total on purpose.
            other => {
                return Err(DecodeError::BadVersion(format!(
                    "no migration from version {other}"
                )))
            }
        };
        at = read_version(&v)?;
    }
    Ok((v, from))
}

/// Reads the body of a current-version blob strictly.
fn read_current(v: Value) -> Result<(Progress, Vec<String>), DecodeError> {
    let Value::Object(mut obj) = v else {
        return Err(DecodeError::NotAnObject);
    };
    obj.remove("version");
    let raw: RawProgress =
        serde_json::from_value(Value::Object(obj)).map_err(|e| DecodeError::Shape {
            version: CURRENT_VERSION,
            detail: e.to_string(),
        })?;
    Ok(Progress::from_raw(raw))
}

/// Reads what a current release understands from a newer blob: each known
/// field on its own, each map / list entry on its own; unknown fields are
/// ignored, unreadable known ones reported.
fn read_newer(v: &Value) -> (Progress, Vec<String>) {
    let mut skipped = Vec::new();
    let mut raw = RawProgress::default();
    let Some(obj) = v.as_object() else {
        return (Progress::default(), skipped);
    };
    fn field<T: DeserializeOwned>(
        obj: &Map<String, Value>,
        name: &str,
        skipped: &mut Vec<String>,
    ) -> Option<T> {
        let v = obj.get(name)?;
        match T::deserialize(v) {
            Ok(t) => Some(t),
            Err(_) => {
                skipped.push(format!("field {name:?} (unreadable)"));
                None
            }
        }
    }
    fn entries<T: DeserializeOwned>(
        obj: &Map<String, Value>,
        name: &str,
        skipped: &mut Vec<String>,
    ) -> Vec<(String, T)> {
        let mut out = Vec::new();
        match obj.get(name) {
            None => {}
            Some(Value::Object(m)) => {
                for (k, v) in m {
                    match T::deserialize(v) {
                        Ok(t) => out.push((k.clone(), t)),
                        Err(_) => skipped.push(format!("{name} entry {k:?} (unreadable)")),
                    }
                }
            }
            Some(_) => skipped.push(format!("field {name:?} (unreadable)")),
        }
        out
    }
    fn items<T: DeserializeOwned>(
        obj: &Map<String, Value>,
        name: &str,
        skipped: &mut Vec<String>,
    ) -> Vec<T> {
        let mut out = Vec::new();
        match obj.get(name) {
            None => {}
            Some(Value::Array(a)) => {
                for v in a {
                    match T::deserialize(v) {
                        Ok(t) => out.push(t),
                        Err(_) => skipped.push(format!("{name} entry (unreadable)")),
                    }
                }
            }
            Some(_) => skipped.push(format!("field {name:?} (unreadable)")),
        }
        out
    }
    /// A newer card may carry extra fields; read the two we know.
    #[derive(serde::Deserialize)]
    struct LenientCard {
        #[serde(default)]
        spotted: bool,
        #[serde(default)]
        ticked: BTreeSet<u8>,
    }
    #[derive(serde::Deserialize)]
    struct LenientScenario {
        best_steps: u32,
    }
    #[derive(serde::Deserialize)]
    struct LenientReview {
        item: String,
        result: super::schema::ReviewResult,
        day: u32,
    }

    raw.updated = field(obj, "updated", &mut skipped).unwrap_or(0);
    raw.learned_terms = items(obj, "learned_terms", &mut skipped);
    raw.cards = entries::<LenientCard>(obj, "cards", &mut skipped)
        .into_iter()
        .map(|(k, c)| {
            (
                k,
                CardProgress {
                    spotted: c.spotted,
                    ticked: c.ticked,
                },
            )
        })
        .collect::<BTreeMap<_, _>>();
    raw.scenarios = entries::<LenientScenario>(obj, "scenarios", &mut skipped)
        .into_iter()
        .map(|(k, s)| {
            (
                k,
                ScenarioResult {
                    best_steps: s.best_steps,
                },
            )
        })
        .collect();
    raw.reviews = items::<LenientReview>(obj, "reviews", &mut skipped)
        .into_iter()
        .map(|r| Review {
            item: r.item,
            result: r.result,
            day: r.day,
        })
        .collect();
    raw.last_place = field::<Option<String>>(obj, "last_place", &mut skipped).flatten();
    raw.last_place_at = field(obj, "last_place_at", &mut skipped).unwrap_or(0);
    raw.theme = field::<Theme>(obj, "theme", &mut skipped).unwrap_or_default();
    raw.theme_at = field(obj, "theme_at", &mut skipped).unwrap_or(0);
    let (p, mut dropped) = Progress::from_raw(raw);
    skipped.append(&mut dropped);
    (p, skipped)
}

/// Reads a stored or exported blob of any version.
///
/// Never panics. Order of checks: size, JSON, object, version, layout.
pub fn decode(text: &str) -> Result<Decoded, DecodeError> {
    if text.len() > MAX_BLOB_BYTES {
        return Err(DecodeError::TooLarge { bytes: text.len() });
    }
    let value: Value =
        serde_json::from_str(text).map_err(|e| DecodeError::NotJson(e.to_string()))?;
    let version = read_version(&value)?;
    if version > CURRENT_VERSION {
        let (progress, skipped) = read_newer(&value);
        return Ok(Decoded {
            progress,
            skipped,
            migrated_from: None,
            newer: Some(version),
        });
    }
    let (value, from) = migrate_to_current(value)?;
    let (progress, skipped) = read_current(value)?;
    Ok(Decoded {
        progress,
        skipped,
        migrated_from: (from < CURRENT_VERSION).then_some(from),
        newer: None,
    })
}

/// Serializes `p` as a current-version blob (`{"version": 2, ...}`).
pub fn encode(p: &Progress, pretty: bool) -> String {
    let mut obj = Map::new();
    obj.insert("version".into(), Value::from(CURRENT_VERSION));
    if let Ok(Value::Object(body)) = serde_json::to_value(p) {
        obj.extend(body);
    }
    let v = Value::Object(obj);
    let out = if pretty {
        serde_json::to_string_pretty(&v)
    } else {
        serde_json::to_string(&v)
    };
    // Serializing a Value to a String cannot fail (string keys, finite numbers).
    out.unwrap_or_default()
}
