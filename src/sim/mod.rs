//! The simulator: a pure, deterministic model of a stateful platform that
//! promotes, drains, wakes and rolls back — and produces its failures when a
//! naive code path replaces a correct one. No clock, no randomness, no browser.
//!
//! Read in this order: `world` (objects), `action` (moves by actor),
//! `step` (one move), `diff` (what changed between two worlds), the
//! subsystems (`promotion`, `edge`, `wake`, `sessions`, `data`,
//! `topology`), `decide` (the decision labs),
//! `lifecycle` (stage tables), `invariant` (1-14), `signal` (21 warning
//! signals), `check` (the model for the checker), `drill` (scenarios as data).

pub mod action;
pub mod check;
pub mod data;
pub mod decide;
pub mod diff;
pub mod drill;
pub mod drill_schema;
pub mod edge;
pub mod invariant;
pub mod lifecycle;
pub mod logs;
pub mod policy;
pub mod preset;
pub mod promotion;
pub mod sessions;
pub mod signal;
pub mod step;
pub mod topology;
pub mod wake;
pub mod world;

pub use action::{format_action, parse_action, Action, ActionKind, Who, ACTION_KINDS};
pub use invariant::{check_all, first_broken, InvResult, INVARIANTS};
pub use policy::{Policy, Switch, SWITCHES};
pub use preset::{apply_override, preset, PRESETS};
pub use signal::{lit, Signal, SIGNALS};
pub use step::{apply, serving, step, Narration, Refusal, Stepped};
pub use world::World;
