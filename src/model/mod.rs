//! The pure simulator behind the Study Lab: promotion, drain, wake and rollback
//! on a platform with regions, cells, an edge router and a control plane.
//!
//! Deterministic and self-contained (std + serde only): the same seed and the same
//! actions give the same trace, bit for bit, on the host and on wasm32. Time is
//! never read; the caller measures it.
//!
//! - [`World`]: every object, with region/cell identity from day one.
//! - [`Action`]: learner actions and faults; [`menu`] lists the controls.
//! - [`step`]: one transition under a [`Policy`] (correct, or with anti-pattern
//!   switches on), narrated and checked against the eleven [`Invariant`]s.
//! - [`Explorer`]: breadth-first search for the shortest counterexample.
//! - [`scenarios`]: guided drills as data.

mod action;
mod check;
mod control;
mod edge;
mod faults;
mod few;
mod hash;
mod invariant;
mod lifecycle;
mod narrate;
mod policy;
mod promote;
mod requests;
mod runtime;
mod scenario;
mod step;
mod verify;
mod world;

pub use action::{menu, script_from_code, script_to_code, Action, Store};
pub use check::{CheckStatus, Counterexample, Explorer};
pub use few::Few;
pub use hash::{fingerprint, splitmix64, FxHasher};
pub use invariant::{check as check_transition, Invariant, Violation};
pub use lifecycle::{AllocLife, DeployStage, PromotionStage, Stage, WakeStage};
pub use narrate::{artifact_label, LogEntry, LogLine};
pub use policy::{AntiPattern, Policy};
pub use scenario::{scenario, scenarios, Goal, Scenario};
pub use step::{replay, step, Refusal, Step, Trace, TraceStep};
pub use world::*;
