//! Vango Study Lab: a study app for how a stateful platform promotes, drains,
//! wakes and rolls back.
//!
//! The pure modules (`model`, `content`, `progress`, `route`) compile and test
//! on the host; `ui` is the Leptos projection and exists only on wasm32.

pub mod content;
pub mod lab;
pub mod model;
pub mod progress;
pub mod route;
pub mod share;

#[cfg(target_arch = "wasm32")]
pub mod ui;
