//! Vango Study Lab: a study app for how a stateful platform promotes, drains,
//! wakes and rolls back.
//!
//! The pure modules (`sim`, `checker`, `lab`, `content`, `progress`, `route`) compile and test
//! on the host; `ui` is the Leptos projection and exists only on wasm32.

pub mod checker;
pub mod content;
pub mod lab;
pub mod learn;
pub mod progress;
pub mod review;
pub mod route;
pub mod share;
pub mod sim;

#[cfg(all(target_arch = "wasm32", feature = "ui"))]
pub mod ui;

/// What the binaries say when run natively instead of in a browser.
#[cfg(not(target_arch = "wasm32"))]
pub fn print_how_to_run() {
    eprintln!("The Study Lab runs in a browser: `make serve`, then open http://127.0.0.1:8080/");
}
