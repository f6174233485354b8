//! Plain-English narration and log lines, rendered on demand.
//!
//! Logs are evidence only: each line is a small enum with its region/cell, turned
//! into text when the UI draws it. Narration is built only when asked for, so the
//! checker never formats strings.

use super::lifecycle::Stage;
use super::world::{artifact_name, region_name, Place, World};
use serde::Serialize;

/// Collects the narration of one step (or nothing, when `on` is false).
#[derive(Debug, Default)]
pub struct Say {
    pub on: bool,
    pub text: String,
}

impl Say {
    /// A narrator that writes.
    pub fn on() -> Say {
        Say {
            on: true,
            text: String::new(),
        }
    }
    /// A silent narrator for the checker.
    pub fn off() -> Say {
        Say {
            on: false,
            text: String::new(),
        }
    }
    /// Appends one sentence.
    pub fn add(&mut self, sentence: std::fmt::Arguments<'_>) {
        if self.on {
            use std::fmt::Write;
            if !self.text.is_empty() {
                self.text.push(' ');
            }
            let _ = self.text.write_fmt(sentence);
        }
    }
}

/// What a log line says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum LogEntry {
    /// A worker reports an operation stage.
    Stage { op: u8, stage: Stage },
    /// A worker crashed right after logging.
    WorkerCrashed { op: u8 },
    /// A superseded worker reported success late.
    LateReport { op: u8, accepted: bool },
    /// A CAS found a newer epoch.
    CasRejected { op: u8, found: u16 },
    /// An allocation crashed on a missing column.
    AllocationCrashed { allocation: u8, column: u8 },
    /// An allocation served a request.
    Served { request: u8, allocation: u8 },
    /// The edge loaded a verified snapshot after a sequence gap.
    EdgeSnapshot { seq: u16 },
    /// A region failed.
    RegionFailed { region: u8 },
    /// A store binding was created.
    Bound { store: super::action::Store },
}

impl Default for LogEntry {
    fn default() -> Self {
        LogEntry::Stage {
            op: 0,
            stage: Stage::default(),
        }
    }
}

/// One log line: evidence, placed by region/cell.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct LogLine {
    pub place: Place,
    pub entry: LogEntry,
}

impl LogLine {
    /// The line as text, e.g. "[eu-west/c1] op 3 promotion: healthy".
    pub fn text(&self, world: &World) -> String {
        let body = match self.entry {
            LogEntry::Stage { op, stage } => {
                let kind = world.op(op).map(|o| o.kind.name()).unwrap_or("operation");
                format!("op {op} {kind}: {}", stage.name())
            }
            LogEntry::WorkerCrashed { op } => format!("op {op} worker exited unexpectedly"),
            LogEntry::LateReport { op, accepted } => format!(
                "op {op} late report \"promoted\" {}",
                if accepted {
                    "applied"
                } else {
                    "rejected: epoch moved on"
                }
            ),
            LogEntry::CasRejected { op, found } => {
                format!("op {op} route CAS rejected: found epoch {found}")
            }
            LogEntry::AllocationCrashed { allocation, column } => format!(
                "alloc-{allocation} crashed: column \"{}\" does not exist",
                super::world::COLUMNS
                    .get(column as usize)
                    .copied()
                    .unwrap_or("?")
            ),
            LogEntry::Served {
                request,
                allocation,
            } => {
                format!("req-{request} served by alloc-{allocation}")
            }
            LogEntry::EdgeSnapshot { seq } => {
                format!("edge: sequence gap, loaded verified snapshot at seq {seq}")
            }
            LogEntry::RegionFailed { region } => format!("region {} failed", region_name(region)),
            LogEntry::Bound { store } => format!("{} bound", store.name()),
        };
        format!("[{}] {body}", self.place.label())
    }
}

/// "artifact B (sha 1a2b3c4d)".
pub fn artifact_label(world: &World, a: u8) -> String {
    match world.artifacts.as_slice().get(a as usize) {
        Some(art) => format!("artifact {} (digest {:08x})", artifact_name(a), art.digest),
        None => format!("artifact {}", artifact_name(a)),
    }
}
