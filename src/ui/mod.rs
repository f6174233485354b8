//! The Leptos projection of the app. Components read plain state from the
//! pure modules and send the learner's intent back; no domain rule lives here.

mod app;
pub mod browser;
mod components;
mod lab_catalog;
pub mod lab_client;
mod pages;
mod persist;
mod review_plan;

pub use app::App;

/// Start a page: panics reported to the console, the static "Loading…" line
/// (painted before the wasm arrived) removed, and `root` mounted.
pub fn start<F, N>(root: F)
where
    F: FnOnce() -> N + 'static,
    N: leptos::prelude::IntoView + 'static,
{
    console_error_panic_hook::set_once();
    if let Some(boot) = browser::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    leptos::mount::mount_to_body(root);
}
