//! Log lines as the platform would show them: evidence derived from the
//! world, never read back as truth (except by the naive logs-as-truth
//! status). Each line carries the region and cell the platform recorded, so
//! under the MVP-erases-topology switch the logs say the wrong place.

use super::action::{alloc_name, op_name};
use super::world::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LogLine {
    /// Where the platform says it happened (recorded identity).
    pub region: &'static str,
    pub cell: &'static str,
    pub source: String,
    pub text: String,
}

/// Every log line the world implies, allocations first, then workers.
pub fn logs(w: &World) -> Vec<LogLine> {
    let mut out = Vec::new();
    for (i, a) in w
        .allocs
        .iter()
        .enumerate()
        .filter(|(_, a)| a.used && a.logged_listening)
    {
        let recorded = a.stamped_region;
        // The cell is recorded with the region: a wrong region means no true cell either.
        let cell = if recorded == a.region() {
            CELL_TABLE[a.cell() as usize].0
        } else {
            "?"
        };
        out.push(LogLine {
            region: REGION_NAMES[recorded as usize],
            cell,
            source: alloc_name(i as u8),
            text: format!(
                "{} listening on :8080 ({})",
                ARTIFACT_NAMES[a.artifact as usize],
                a.state.name()
            ),
        });
    }
    for (i, o) in w
        .ops
        .iter()
        .enumerate()
        .filter(|(_, o)| o.used && o.logged_ahead)
    {
        out.push(LogLine {
            region: REGION_NAMES[o.region as usize],
            cell: "control",
            source: op_name(w, i as u8),
            text: format!(
                "promoted {} at epoch {}",
                ARTIFACT_NAMES[o.target as usize],
                o.read_epoch.saturating_add(1)
            ),
        });
    }
    out
}
