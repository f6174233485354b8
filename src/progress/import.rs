//! Export to / import from a JSON file the learner keeps.

use std::fmt;

use super::migrate::{decode, encode, DecodeError};
use super::schema::{Progress, RawProgress, CURRENT_VERSION, MAX_BLOB_BYTES};

/// The slugs this build of the app knows about. Imported entries for anything
/// else are reported and skipped.
#[derive(Clone, Copy, Debug, Default)]
pub struct Known<'a> {
    pub terms: &'a [&'a str],
    pub cards: &'a [&'a str],
    pub scenarios: &'a [&'a str],
    pub lessons: &'a [&'a str],
    pub labs: &'a [&'a str],
}

impl Known<'_> {
    fn any(&self, slug: &str) -> bool {
        self.terms.contains(&slug) || self.cards.contains(&slug) || self.scenarios.contains(&slug)
    }
}

/// A successfully imported file. The caller chooses what to do with it:
/// `merge(&current, &imported.progress)` or replace (keep `current` for undo).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    pub progress: Progress,
    /// Human-readable descriptions of entries that were skipped (unknown or
    /// invalid), e.g. `term "foo" (not in this version of the app)`.
    pub skipped: Vec<String>,
    /// `Some(v)` when the file was an older version `v` and was migrated.
    pub migrated_from: Option<u32>,
}

impl Imported {
    /// What was skipped, for a page: one line of counts ("3 terms, 1 card"),
    /// the first `first` descriptions, and how many more there are. A file
    /// may name thousands of unknown items; a page should not list them all.
    pub fn skipped_summary(&self, first: usize) -> (String, Vec<&str>, usize) {
        let kinds = ["term", "card", "scenario", "review", "signal", "last place"];
        let mut counts = vec![0usize; kinds.len() + 1];
        for s in &self.skipped {
            let i = kinds
                .iter()
                .position(|k| s.starts_with(k))
                .unwrap_or(kinds.len());
            counts[i] += 1;
        }
        let plural = |n: usize, one: &str| {
            if n == 1 {
                format!("1 {one}")
            } else if one.ends_with('y') && !one.ends_with("ay") {
                format!("{n} {}ies", &one[..one.len() - 1])
            } else {
                format!("{n} {one}s")
            }
        };
        let mut parts: Vec<String> = kinds
            .iter()
            .zip(&counts)
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| plural(*n, k))
            .collect();
        if counts[kinds.len()] > 0 {
            parts.push(plural(counts[kinds.len()], "other entry"));
        }
        let listed: Vec<&str> = self
            .skipped
            .iter()
            .take(first)
            .map(String::as_str)
            .collect();
        let more = self.skipped.len() - listed.len();
        (parts.join(", "), listed, more)
    }
}

/// Why an import was refused. `Display` is a sentence for the learner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    Empty,
    TooLarge { bytes: usize },
    NotJson(String),
    NotProgress(String),
    NewerVersion { found: u32 },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Empty => write!(f, "The file is empty."),
            ImportError::TooLarge { bytes } => write!(
                f,
                "The file is too large to be a progress export ({} KiB; the limit is {} KiB).",
                bytes.div_ceil(1024),
                MAX_BLOB_BYTES / 1024
            ),
            ImportError::NotJson(detail) => write!(
                f,
                "The file is not valid JSON, so it cannot be a progress export ({detail})."
            ),
            ImportError::NotProgress(detail) => write!(
                f,
                "The file is JSON but not a Vango Study Lab progress export: {detail}."
            ),
            ImportError::NewerVersion { found } => write!(
                f,
                "The file was exported by a newer version of the app (progress format \
                 {found}; this version reads up to {CURRENT_VERSION}). Update the app, \
                 then import it again."
            ),
        }
    }
}

impl std::error::Error for ImportError {}

impl From<DecodeError> for ImportError {
    fn from(e: DecodeError) -> Self {
        match e {
            DecodeError::TooLarge { bytes } => ImportError::TooLarge { bytes },
            DecodeError::NotJson(d) => ImportError::NotJson(d),
            other => ImportError::NotProgress(other.to_string()),
        }
    }
}

/// Pretty JSON of `p` at the current version, for the learner to download.
pub fn export_json(p: &Progress) -> String {
    encode(p, true)
}

/// Reads an exported file: size cap, JSON, version (older migrated, newer
/// refused), layout, then drops entries whose slug `known` does not list.
/// Never panics.
pub fn import_json(text: &str, known: &Known) -> Result<Imported, ImportError> {
    // Tolerate a UTF-8 byte-order mark some editors add.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let decoded = decode(text)?;
    if let Some(found) = decoded.newer {
        return Err(ImportError::NewerVersion { found });
    }
    let mut skipped = decoded.skipped;
    let mut raw: RawProgress = decoded.progress.into_raw();

    raw.learned_terms.retain(|s| {
        let ok = known.terms.contains(&s.as_str());
        if !ok {
            skipped.push(format!("term {s:?} (not in this version of the app)"));
        }
        ok
    });
    raw.cards.retain(|s, _| {
        let ok = known.cards.contains(&s.as_str());
        if !ok {
            skipped.push(format!("card {s:?} (not in this version of the app)"));
        }
        ok
    });
    raw.scenarios.retain(|s, _| {
        let ok = known.scenarios.contains(&s.as_str());
        if !ok {
            skipped.push(format!("scenario {s:?} (not in this version of the app)"));
        }
        ok
    });
    raw.answers.retain(|a| {
        let ok = match a.item.split_once('/') {
            Some(("explain", lesson)) => known.lessons.contains(&lesson),
            // `prediction/<drill>/<step>`: the drill must exist here.
            Some(("prediction", rest)) => rest
                .split_once('/')
                .is_some_and(|(drill, _)| known.scenarios.contains(&drill)),
            Some((_, slug)) => known.terms.contains(&slug) || known.cards.contains(&slug),
            None => false,
        };
        if !ok {
            skipped.push(format!(
                "review answer for {:?} (not in this version of the app)",
                a.item
            ));
        }
        ok
    });
    raw.lessons_done.retain(|s| {
        let ok = known.lessons.contains(&s.as_str());
        if !ok {
            skipped.push(format!("lesson {s:?} (not in this version of the app)"));
        }
        ok
    });
    raw.labs_tried.retain(|s| {
        let ok = known.labs.contains(&s.as_str());
        if !ok {
            skipped.push(format!(
                "decision lab {s:?} (not in this version of the app)"
            ));
        }
        ok
    });
    raw.reviews.retain(|r| {
        let ok = known.any(&r.item);
        if !ok {
            skipped.push(format!(
                "review of {:?} (not in this version of the app)",
                r.item
            ));
        }
        ok
    });
    let (progress, mut more) = Progress::from_raw(raw);
    skipped.append(&mut more);
    Ok(Imported {
        progress,
        skipped,
        migrated_from: decoded.migrated_from,
    })
}
