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

/// Start a page: panics reported to the console, then, once the static shell
/// (the page's heading and lede, painted before the wasm arrived) is on
/// screen, the shell removed and `root` mounted.
pub fn start<F, N>(root: F)
where
    F: FnOnce() -> N + 'static,
    N: leptos::prelude::IntoView + 'static,
{
    console_error_panic_hook::set_once();
    // Even when the wasm arrives within the first frame (a warm cache), the
    // shell is painted before the app replaces it: the learner sees the
    // page's words at once and the browser's largest paint is the shell's.
    // A hidden tab paints no frames: the timer starts the app there.
    let root = std::rc::Rc::new(std::cell::Cell::new(Some(root)));
    let mount = move || {
        let Some(root) = root.take() else { return };
        if let Some(boot) = browser::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("boot"))
        {
            boot.remove();
        }
        leptos::mount::mount_to_body(root);
    };
    if browser::shell_shown() {
        browser::after_paint(mount.clone());
        leptos::prelude::set_timeout(mount, std::time::Duration::from_millis(250));
    } else {
        // Only the "Loading…" line is up (a lesson, the Lab): nothing to wait for.
        mount();
    }
}
